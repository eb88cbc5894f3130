package connector

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/okta-connector/okta-connector/internal/kafkatest"
)

// clusterShards is the shard count of the cluster tests: DESIGN §5's
// default.
const clusterShards = 16

// testSessionTimeout is the members' session timeout: the shortest a
// broker allows by default (group.min.session.timeout.ms), and the bound a
// leaving member's shards must move within.
const testSessionTimeout = 6 * time.Second

// ledger records which member claimed each shard, in the order the claims
// and releases happen, and every claim of a shard another member still
// held: the "never two owners" invariant, checked at every instant a
// shard changes hands rather than only at the end.
type ledger struct {
	mu         sync.Mutex
	owner      map[int]string
	violations []string
}

// ledgerOwner is a member's publisher, seen through the ledger.
type ledgerOwner struct {
	name string
	pub  *TxnPublisher
	l    *ledger
}

func (o ledgerOwner) Shards() int { return o.pub.Shards() }

func (o ledgerOwner) Claim(ctx context.Context, shards ...int) error {
	o.l.mu.Lock()
	for _, n := range shards {
		if prev, ok := o.l.owner[n]; ok && prev != o.name {
			o.l.violations = append(o.l.violations,
				fmt.Sprintf("%s claimed shard %d while %s held it", o.name, n, prev))
		}
		o.l.owner[n] = o.name
	}
	o.l.mu.Unlock()
	return o.pub.Claim(ctx, shards...)
}

func (o ledgerOwner) Release(shards ...int) error {
	err := o.pub.Release(shards...)
	o.l.mu.Lock()
	for _, n := range shards {
		if o.l.owner[n] == o.name {
			delete(o.l.owner, n)
		}
	}
	o.l.mu.Unlock()
	return err
}

// fakeEngine is a TenantSet that only remembers what it was told to run.
type fakeEngine struct {
	mu      sync.Mutex
	tenants []Tenant
}

func (e *fakeEngine) Tenants() []Tenant {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.tenants)
}

func (e *fakeEngine) SetTenants(ts []Tenant) TenantChanges {
	e.mu.Lock()
	defer e.mu.Unlock()
	ch := diffTenants(e.tenants, ts)
	e.tenants = slices.Clone(ts)
	return ch
}

func (e *fakeEngine) ids() []string {
	var out []string
	for _, t := range e.Tenants() {
		out = append(out, t.ID)
	}
	slices.Sort(out)
	return out
}

// member is one instance of the cluster test: its publisher, engine and
// membership, running until stop.
type member struct {
	once    sync.Once
	name    string
	pub     *TxnPublisher
	engine  *fakeEngine
	cluster *Cluster
	stop    context.CancelFunc
	done    chan error
}

// clusterRig is the world of the cluster tests: one broker, the topics
// and codec of txnRig, a ledger and names unique to the test.
type clusterRig struct {
	txnRig
	l       *ledger
	topic   string
	group   string
	tenants []Tenant
}

func newClusterRig(t *testing.T, tenants int) *clusterRig {
	t.Helper()
	r := &clusterRig{txnRig: newTxnRig(t), l: &ledger{owner: map[int]string{}}}
	r.topic, r.group = AssignmentsTopic(r.ckTopic), GroupName(r.ckTopic)
	for i := range tenants {
		r.tenants = append(r.tenants, Tenant{ID: fmt.Sprintf("tenant-%02d", i)})
	}
	return r
}

// start runs a member named name until the test ends or it is stopped.
func (r *clusterRig) start(t *testing.T, name string) *member {
	t.Helper()
	pub, err := NewTxnPublisher(TxnConfig{Kafka: KafkaConfig{Brokers: r.brokers},
		Shards: clusterShards, IDPrefix: r.idPfx, Timeout: 20 * time.Second},
		r.codec, r.store(t), r.topics)
	if err != nil {
		t.Fatalf("creating the publisher of %s: %v", name, err)
	}
	t.Cleanup(pub.Close)
	m := &member{name: name, pub: pub, engine: &fakeEngine{tenants: r.tenants},
		done: make(chan error, 1)}
	m.cluster, err = NewCluster(ClusterConfig{Kafka: KafkaConfig{Brokers: r.brokers},
		Topic: r.topic, Group: r.group, SessionTimeout: testSessionTimeout,
		Logger: slog.New(slog.DiscardHandler)},
		ledgerOwner{name: name, pub: pub, l: r.l}, m.engine)
	if err != nil {
		t.Fatalf("creating the cluster member %s: %v", name, err)
	}
	if got := m.engine.ids(); len(got) != 0 {
		t.Fatalf("%s's engine before joining: got tenants %v, want none", name, got)
	}
	ctx, cancel := context.WithCancel(context.Background())
	m.stop = cancel
	go func() { m.done <- m.cluster.Run(ctx) }()
	t.Cleanup(func() { m.leave(t) })
	return m
}

// leave stops the member and waits for it to have left the group.
func (m *member) leave(t *testing.T) {
	t.Helper()
	m.once.Do(func() {
		m.stop()
		select {
		case err := <-m.done:
			if err != nil {
				t.Errorf("%s's Run: %v", m.name, err)
			}
		case <-time.After(30 * time.Second):
			t.Errorf("%s still in the group 30s after its stop", m.name)
		}
	})
}

// settled returns what is not so yet of: every shard claimed by exactly
// one of members, evenly spread, and each engine running exactly the
// tenants of its member's shards; "" when all is.
func (r *clusterRig) settled(members []*member) string {
	seen := map[int]string{}
	for _, m := range members {
		claimed := m.pub.Claimed()
		if diff := cmp.Diff(m.cluster.Owned(), claimed, cmpopts.EquateEmpty()); diff != "" {
			return fmt.Sprintf("%s: cluster's and publisher's shards differ (-owned +claimed):\n%s",
				m.name, diff)
		}
		for _, n := range claimed {
			if prev, ok := seen[n]; ok {
				return fmt.Sprintf("shard %d claimed by %s and %s", n, prev, m.name)
			}
			seen[n] = m.name
		}
		var want []string
		for _, t := range r.tenants {
			if slices.Contains(claimed, ShardOf(t.ID, clusterShards)) {
				want = append(want, t.ID)
			}
		}
		slices.Sort(want)
		if diff := cmp.Diff(want, m.engine.ids()); diff != "" {
			return fmt.Sprintf("%s's engine runs other tenants than its shards' "+
				"(-want +got):\n%s", m.name, diff)
		}
	}
	if len(seen) != clusterShards {
		return fmt.Sprintf("%d of %d shards claimed: %v", len(seen), clusterShards, seen)
	}
	// The balancer spreads the shards evenly over the members.
	low := clusterShards / len(members)
	high := (clusterShards + len(members) - 1) / len(members)
	for _, m := range members {
		if n := len(m.pub.Claimed()); n < low || n > high {
			return fmt.Sprintf("%s claimed %d shards, want %d to %d", m.name, n, low, high)
		}
	}
	return ""
}

// waitSettled waits up to d for r.settled(members) and returns how long
// it took.
func (r *clusterRig) waitSettled(t *testing.T, d time.Duration, members ...*member) time.Duration {
	t.Helper()
	start := time.Now()
	for {
		why := r.settled(members)
		if why == "" {
			return time.Since(start)
		}
		if time.Since(start) > d {
			t.Fatalf("not settled after %v: %s", d, why)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestClusterSharesShards is issue 6's scale-out in one process: three
// members share 16 shards, each claimed by exactly one; when one leaves,
// its shards move to the other two within the session timeout, no shard
// ever has two owners on the way, and the one that left publishes nothing
// more.
func TestClusterSharesShards(t *testing.T) {
	r := newClusterRig(t, 48)
	a, b, c := r.start(t, "a"), r.start(t, "b"), r.start(t, "c")
	took := r.waitSettled(t, 60*time.Second, a, b, c)
	t.Logf("three members settled in %v", took.Round(time.Millisecond))
	moved := c.pub.Claimed()

	c.leave(t)
	took = r.waitSettled(t, 30*time.Second, a, b)
	t.Logf("shards %v moved in %v", moved, took.Round(time.Millisecond))
	if took > testSessionTimeout {
		t.Errorf("shards of the member that left moved in %v, want within %v", took,
			testSessionTimeout)
	}
	if got := c.pub.Claimed(); len(got) != 0 {
		t.Errorf("member that left: got claimed shards %v, want none", got)
	}
	if got := c.engine.ids(); len(got) != 0 {
		t.Errorf("member that left: got running tenants %v, want none", got)
	}
	tenant := tenantOn(t, r.tenants, moved[0])
	err := c.pub.Publish(context.Background(), employeesBatch(tenant, time.Now(),
		employee(tenant, "00u1", "")))
	if !errors.Is(err, ErrShardReleased) {
		t.Errorf("publishing on a released shard: got %v, want ErrShardReleased", err)
	}
	r.l.mu.Lock()
	defer r.l.mu.Unlock()
	if len(r.l.violations) > 0 {
		t.Errorf("shards with two owners at once:\n%s", strings.Join(r.l.violations, "\n"))
	}
}

// TestClusterReloadsTenants: tenants added or removed through the cluster
// (as the Reloader does) run on exactly the member owning their shard.
func TestClusterReloadsTenants(t *testing.T) {
	r := newClusterRig(t, 8)
	a, b := r.start(t, "a"), r.start(t, "b")
	r.waitSettled(t, 60*time.Second, a, b)

	next := append(slices.Clone(r.tenants[2:]), Tenant{ID: "added"})
	for _, m := range []*member{a, b} {
		ch := m.cluster.SetTenants(next)
		want := TenantChanges{Added: []string{"added"},
			Removed: []string{r.tenants[0].ID, r.tenants[1].ID}}
		if diff := cmp.Diff(want, ch); diff != "" {
			t.Errorf("%s: changes (-want +got):\n%s", m.name, diff)
		}
	}
	r.tenants = next
	if why := r.settled([]*member{a, b}); why != "" {
		t.Errorf("after reload: %s", why)
	}
	if diff := cmp.Diff(next, a.cluster.Tenants()); diff != "" {
		t.Errorf("configured tenants (-want +got):\n%s", diff)
	}
}

// TestClusterRefusesShortTopic: an assignments topic with fewer partitions
// than shards would leave shards unrun, so Run refuses it and says why.
func TestClusterRefusesShortTopic(t *testing.T) {
	r := newClusterRig(t, 1)
	kafkatest.CreateTopic(t, r.brokers, r.topic, 4, nil)
	pub, err := NewTxnPublisher(TxnConfig{Kafka: KafkaConfig{Brokers: r.brokers},
		Shards: clusterShards, IDPrefix: r.idPfx}, r.codec, r.store(t), r.topics)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pub.Close)
	cl, err := NewCluster(ClusterConfig{Kafka: KafkaConfig{Brokers: r.brokers},
		Topic: r.topic, Group: r.group}, pub, &fakeEngine{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err = cl.Run(ctx)
	if err == nil || !strings.Contains(err.Error(), "4 partitions for 16 shards") {
		t.Errorf("Run on a 4-partition topic: got %v, want the partition count refused", err)
	}
}

func TestDiffTenants(t *testing.T) {
	a, b, c := Tenant{ID: "a"}, Tenant{ID: "b"}, Tenant{ID: "c"}
	b2 := Tenant{ID: "b", Domain: "b.example"}
	tests := []struct {
		name      string
		old, next []Tenant
		want      TenantChanges
	}{
		{"none", nil, nil, TenantChanges{}},
		{"same", []Tenant{a, b}, []Tenant{b, a}, TenantChanges{}},
		{"added", []Tenant{a}, []Tenant{a, c}, TenantChanges{Added: []string{"c"}}},
		{"removed", []Tenant{a, b}, []Tenant{b}, TenantChanges{Removed: []string{"a"}}},
		{"changed", []Tenant{a, b}, []Tenant{a, b2}, TenantChanges{Changed: []string{"b"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, diffTenants(tt.old, tt.next)); diff != "" {
				t.Errorf("diffTenants (-want +got):\n%s", diff)
			}
		})
	}
}

// tenantOn returns a tenant of ts on shard n.
func tenantOn(t *testing.T, ts []Tenant, n int) string {
	t.Helper()
	for _, tn := range ts {
		if ShardOf(tn.ID, clusterShards) == n {
			return tn.ID
		}
	}
	t.Fatalf("no tenant on shard %d", n)
	return ""
}
