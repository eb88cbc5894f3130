package checkpoint

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"sync"
	"time"
)

// auditVersion is the format version of audit entries written by this
// code.
const auditVersion = 1

// AuditName is the file, in a file store's directory, that keeps the
// audit trail. It is not a directory, so the store never takes it for a
// tenant.
const AuditName = "audit.log"

// AuditEntry records one operator change of a checkpoint: who made it,
// from where, when, why, and the value before and after, so that a wrong
// reset can be understood and undone.
type AuditEntry struct {
	Version int       `json:"version"`
	Time    time.Time `json:"time"`
	User    string    `json:"user"`
	Host    string    `json:"host"`
	Action  string    `json:"action"`
	Reason  string    `json:"reason"`
	Tenant  string    `json:"tenant"`
	Stream  string    `json:"stream"`
	// Stage is StageRequested when an operator queued the change for a
	// running connector, StageApplied when it was written to the
	// checkpoint; empty in entries written before the inbox existed.
	// Request is the id that ties the two entries of one change.
	Stage   string `json:"stage,omitempty"`
	Request string `json:"request,omitempty"`
	// Old is nil when no checkpoint was stored; New is nil when the
	// change deleted it.
	Old *Checkpoint `json:"old,omitempty"`
	New *Checkpoint `json:"new,omitempty"`
}

// The stages of a change in the audit trail.
const (
	StageRequested = "requested"
	StageApplied   = "applied"
)

// Auditor keeps an append-only trail of operator changes and reads it
// back. Implementations are safe for concurrent use.
type Auditor interface {
	Append(ctx context.Context, e AuditEntry) error
	Entries(ctx context.Context) ([]AuditEntry, error) // oldest first
}

// Operator names who runs this process, for audit entries: $USER (else
// the account name) and the host name; "unknown" for what cannot be read.
func Operator() (who, host string) {
	who = os.Getenv("USER")
	if who == "" {
		if u, err := user.Current(); err == nil {
			who = u.Username
		}
	}
	host, _ = os.Hostname()
	if who == "" {
		who = "unknown"
	}
	if host == "" {
		host = "unknown"
	}
	return who, host
}

// FileAudit is the audit trail of a file store: one JSON line per entry,
// appended to <dir>/audit.log. It needs no lock on the directory, so an
// operator tool can write it while the connector holds the store. Safe for
// concurrent use within a process; across processes each entry is one
// O_APPEND write, which local file systems do not interleave.
type FileAudit struct {
	path string
	mu   sync.Mutex
}

var _ Auditor = (*FileAudit)(nil)

// NewFileAudit returns the audit trail kept in dir.
func NewFileAudit(dir string) *FileAudit {
	return &FileAudit{path: filepath.Join(dir, AuditName)}
}

// Append writes e as one line and syncs the file. A zero Time is set to
// now; Version is set to the current one.
func (a *FileAudit) Append(ctx context.Context, e AuditEntry) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("appending audit entry: %w", err)
	}
	line, err := encodeAuditEntry(e)
	if err != nil {
		return fmt.Errorf("appending audit entry: %w", err)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := os.MkdirAll(filepath.Dir(a.path), 0o750); err != nil {
		return fmt.Errorf("appending audit entry: %w", err)
	}
	f, err := os.OpenFile(a.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o640)
	if err != nil {
		return fmt.Errorf("appending audit entry: %w", err)
	}
	if err := writeSync(f, append(line, '\n')); err != nil {
		return fmt.Errorf("appending audit entry to %q: %w", a.path, err)
	}
	return nil
}

// Entries reads the trail back, oldest first. A last line without its
// newline (a crash during Append) is left out; any other line that does
// not decode is an error naming the line.
func (a *FileAudit) Entries(ctx context.Context) ([]AuditEntry, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("reading audit trail: %w", err)
	}
	data, err := os.ReadFile(a.path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading audit trail: %w", err)
	}
	if i := bytes.LastIndexByte(data, '\n'); i < len(data)-1 {
		data = data[:i+1]
	}
	var out []AuditEntry
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 16<<20)
	for n := 1; sc.Scan(); n++ {
		e, err := decodeAuditEntry(sc.Bytes())
		if err != nil {
			return nil, fmt.Errorf("reading audit trail %q line %d: %w", a.path, n, err)
		}
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading audit trail %q: %w", a.path, err)
	}
	return out, nil
}

// encodeAuditEntry stamps e with the current version (and now, when its
// time is zero) and encodes it.
func encodeAuditEntry(e AuditEntry) ([]byte, error) {
	e.Version = auditVersion
	if e.Time.IsZero() {
		e.Time = time.Now().UTC()
	}
	return json.Marshal(e)
}

// decodeAuditEntry reads an audit entry of any supported version.
func decodeAuditEntry(data []byte) (AuditEntry, error) {
	if err := checkVersion(data, auditVersion); err != nil {
		return AuditEntry{}, err
	}
	var e AuditEntry
	if err := json.Unmarshal(data, &e); err != nil {
		return AuditEntry{}, err
	}
	return e, nil
}

// sortEntries orders entries by time, oldest first.
func sortEntries(es []AuditEntry) {
	slices.SortStableFunc(es, func(a, b AuditEntry) int { return a.Time.Compare(b.Time) })
}
