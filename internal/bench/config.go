package bench

import (
	"errors"
	"fmt"
	"io"
)

// Org is the size of a generated org.
type Org struct {
	Users  int `json:"users"`
	Groups int `json:"groups"`
	Apps   int `json:"apps"`
	Events int `json:"events"`
}

// OrgFor scales an org from its user count with the proportions of the
// issue's large org (100k users, 5k groups, 500 apps, 1M events).
func OrgFor(users int) Org {
	return Org{Users: users, Groups: max(1, users/20), Apps: max(1, users/200),
		Events: users * 10}
}

// String renders the org as the table names it.
func (o Org) String() string {
	return fmt.Sprintf("%d users, %d groups, %d apps, %d events",
		o.Users, o.Groups, o.Apps, o.Events)
}

// Config is what Run measures and with which programs.
type Config struct {
	// Org is the org of the unthrottled, idle, latency and peer rows.
	Org Org
	// RateLimitedOrg is the org of the rate-limited row; zero Users
	// skips the row.
	RateLimitedOrg Org
	// Share is the connector's RATE_LIMIT_SHARE in the rate-limited row.
	Share float64
	// Seed makes the same org twice.
	Seed uint64
	// Latency runs the change-latency row (okta-connector run, up to
	// LatencyTimeout).
	Latency bool
	// Peer runs Airbyte's Okta source; it needs Namespace.
	Peer bool
	// Namespace is the network namespace this process runs in, set by
	// the command that created it; the unthrottled simulator then serves
	// TLS on port 443 as PeerHost, for the peer and the connector alike.
	Namespace string
	// PeerHost is the Okta host name the peer is given
	// (<domain>.okta.com); default sim<seed>.okta.com.
	PeerHost string
	// PeerSetup is the script that prints the peer's entry point.
	PeerSetup string
	// Brokers, when set, is a real Kafka cluster (KAFKA_BROKERS);
	// otherwise a kfake-server process is started.
	Brokers []string
	// BinDir holds okta-connector, okta-sim and kfake-server.
	BinDir string
	// WorkDir receives checkpoints, logs and the peer's files.
	WorkDir string
	// Progress receives one line per step; nil discards them.
	Progress io.Writer
}

// Validate reports the first impossible setting.
func (c Config) Validate() error {
	switch {
	case c.Org.Users < 1 || c.Org.Groups < 0 || c.Org.Apps < 0 || c.Org.Events < 0:
		return errors.New("org: users must be at least 1 and no count negative")
	case c.RateLimitedOrg.Users < 0:
		return errors.New("rate-limited org: users must not be negative")
	case c.Share <= 0 || c.Share > 1:
		return fmt.Errorf("share %v: want 0 < share ≤ 1", c.Share)
	case c.BinDir == "" || c.WorkDir == "":
		return errors.New("bin and work directories are required")
	case c.Peer && c.Namespace == "":
		return errors.New("the peer needs a network namespace")
	case c.Peer && c.PeerSetup == "":
		return errors.New("the peer needs its setup script")
	}
	return nil
}

func (c Config) progress(format string, args ...any) {
	if c.Progress != nil {
		fmt.Fprintf(c.Progress, "okta-bench: "+format+"\n", args...)
	}
}
