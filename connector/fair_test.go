package connector

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// queueWaiter starts a goroutine that takes a slot, reports its name on
// got and waits for release before ending its lease. It returns once the
// goroutine is queued.
func queueWaiter(t *testing.T, s *slots, name string, got chan<- string,
	release <-chan struct{}) {
	t.Helper()
	before := queued(s)
	go func() {
		l, err := s.take(context.Background())
		if err != nil {
			got <- "error: " + err.Error()
			return
		}
		got <- name
		<-release
		l.end()
	}()
	for queued(s) == before {
		time.Sleep(time.Millisecond)
	}
}

func queued(s *slots) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queue)
}

func TestSlotsGrantInArrivalOrder(t *testing.T) {
	s := newSlots(1)
	first, err := s.take(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got, release := make(chan string, 3), make(chan struct{})
	for _, name := range []string{"a", "b", "c"} {
		queueWaiter(t, s, name, got, release)
	}
	first.end()
	var order []string
	for range 3 {
		order = append(order, <-got)
		release <- struct{}{}
	}
	if diff := cmp.Diff([]string{"a", "b", "c"}, order); diff != "" {
		t.Errorf("grant order (-want +got):\n%s", diff)
	}
}

func TestLeaseYieldGoesBehindWaiters(t *testing.T) {
	s := newSlots(1)
	ctx := context.Background()
	l, err := s.take(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got, release := make(chan string, 1), make(chan struct{})
	queueWaiter(t, s, "waiter", got, release)
	yielded := make(chan error, 1)
	go func() { yielded <- l.yield(ctx) }()
	if name := <-got; name != "waiter" {
		t.Fatalf("got %q, want the waiter to run while the lease yields", name)
	}
	select {
	case err := <-yielded:
		t.Fatalf("yield returned (%v) while the waiter held the only slot", err)
	case <-time.After(20 * time.Millisecond):
	}
	release <- struct{}{}
	if err := <-yielded; err != nil {
		t.Fatalf("got %v, want the slot back after the waiter ended", err)
	}
	l.end()
	if s.free != 1 {
		t.Errorf("got %d free slots after every lease ended, want 1", s.free)
	}
}

func TestLeaseYieldWithoutWaitersKeepsSlot(t *testing.T) {
	s := newSlots(1)
	l, err := s.take(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := l.yield(context.Background()); err != nil {
		t.Fatalf("got %v, want nil", err)
	}
	if !l.held || s.free != 0 {
		t.Errorf("got held %v and %d free, want the slot kept", l.held, s.free)
	}
	var none *lease
	if err := none.yield(context.Background()); err != nil {
		t.Errorf("nil lease: got %v, want nil", err)
	}
}

func TestSlotsCancelledWaiterLosesNoSlot(t *testing.T) {
	s := newSlots(1)
	l, err := s.take(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := s.take(ctx)
		errc <- err
	}()
	for queued(s) == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	l.end()
	quick, stop := context.WithTimeout(context.Background(), time.Second)
	defer stop()
	if _, err := s.take(quick); err != nil {
		t.Errorf("got %v, want the slot free again", err)
	}
}

func TestSlotClockLendsSlotWhileSleeping(t *testing.T) {
	tests := []struct {
		name  string
		sleep time.Duration
		lend  bool
	}{
		{"long sleep lends", 300 * time.Millisecond, true},
		{"short sleep keeps", minYieldSleep / 5, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newSlots(1)
			l, err := s.take(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			got, release := make(chan string, 1), make(chan struct{}, 1)
			queueWaiter(t, s, "waiter", got, release)
			ctx := withLease(context.Background(), l)
			slept := make(chan error, 1)
			go func() { slept <- SlotClock{}.Sleep(ctx, tc.sleep) }()
			var lent bool
			select {
			case <-got:
				lent = true
				release <- struct{}{}
			case err := <-slept:
				if err != nil {
					t.Fatalf("sleep: %v", err)
				}
				slept <- nil
			}
			if lent != tc.lend {
				t.Errorf("got slot lent %v, want %v", lent, tc.lend)
			}
			if err := <-slept; err != nil {
				t.Fatalf("sleep: %v", err)
			}
			if !l.held {
				t.Error("got the slot still lent after the sleep, want it held")
			}
			l.end()
			if !tc.lend {
				<-got
				release <- struct{}{}
			}
		})
	}
}
