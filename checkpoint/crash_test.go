package checkpoint

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// crashDirEnv, when set, turns the test binary into a child that saves in
// a loop into that directory until it is killed (see TestMain).
const crashDirEnv = "CHECKPOINT_CRASH_CHILD_DIR"

// Bounds of the child's loop: it stops on its own if nobody kills it.
const (
	crashChildMaxRuntime = 20 * time.Second
	crashChildMaxSaves   = 1_000_000
)

var crashKey = SetKey{Tenant: "crash.okta.com", Stream: "group_members", Owner: "00gcrash"}

func TestMain(m *testing.M) {
	if dir := os.Getenv(crashDirEnv); dir != "" {
		if err := crashChild(dir); err != nil {
			fmt.Fprintln(os.Stderr, "crash child:", err)
			os.Exit(2)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// generation builds the checkpoint and set written by save number gen. Both
// carry gen redundantly so a reader can tell a torn write from a whole one.
func generation(gen int) (Checkpoint, []string) {
	cp := Checkpoint{
		Tenant: crashKey.Tenant,
		Stream: crashKey.Stream,
		Cursor: strconv.Itoa(gen),
		Extra:  map[string]string{"check": strconv.Itoa(gen * 31)},
	}
	for i := range 50 {
		cp.AtWatermark = append(cp.AtWatermark, fmt.Sprintf("00u%d@%d", i, gen))
	}
	ids := make([]string, 100+gen%50)
	for i := range ids {
		ids[i] = fmt.Sprintf("g%d-%04d", gen, i)
	}
	return cp, ids
}

// crashChild continues the save loop where the last child left it and says
// "ready" on stdout after its first save.
func crashChild(dir string) error {
	ctx := context.Background()
	s, err := NewFileStore(dir)
	if err != nil {
		return err
	}
	start := 0
	if cp, err := s.Load(ctx, Key{Tenant: crashKey.Tenant, Stream: crashKey.Stream}); err == nil {
		start, _ = strconv.Atoi(cp.Cursor)
	}
	deadline := time.Now().Add(crashChildMaxRuntime)
	for gen := start + 1; gen < start+crashChildMaxSaves; gen++ {
		cp, ids := generation(gen)
		if err := s.Save(ctx, cp); err != nil {
			return err
		}
		if err := s.SaveSet(ctx, crashKey, ids); err != nil {
			return err
		}
		if gen == start+1 {
			fmt.Println("ready")
		}
		if time.Now().After(deadline) {
			break
		}
	}
	return s.Close()
}

// TestKillDuringSaves kills a child process (this test binary re-executed)
// at random instants of its save loop and checks after each kill that the
// checkpoint and the set are whole and that no saved generation went back.
func TestKillDuringSaves(t *testing.T) {
	const kills = 12
	dir := t.TempDir()
	last := 0
	for n := range kills {
		runAndKill(t, dir, time.Duration(rand.IntN(20_000))*time.Microsecond)
		gen := verifyCrashState(t, dir)
		if gen < last {
			t.Fatalf("kill %d: generation went back from %d to %d", n, last, gen)
		}
		last = gen
	}
	if last < kills {
		t.Errorf("after %d kills: got generation %d, want at least %d", kills, last, kills)
	}
}

// runAndKill starts a child, waits for its first save, lets it run for
// delay and kills it with SIGKILL.
func runAndKill(t *testing.T, dir string, delay time.Duration) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashDirEnv+"="+dir)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting child: %v", err)
	}
	ready := make(chan error, 1)
	go func() {
		line, err := bufio.NewReader(out).ReadString('\n')
		if err == nil && strings.TrimSpace(line) != "ready" {
			err = fmt.Errorf("child said %q", line)
		}
		ready <- err
	}()
	select {
	case err = <-ready:
	case <-time.After(10 * time.Second):
		err = errors.New("child not ready after 10s")
	}
	if err == nil {
		time.Sleep(delay)
	}
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	if err != nil {
		t.Fatalf("child: %v", err)
	}
}

// verifyCrashState opens dir, checks the checkpoint and the set are each
// some whole generation and returns the checkpoint's generation.
func verifyCrashState(t *testing.T, dir string) int {
	t.Helper()
	ctx := context.Background()
	s, err := NewFileStore(dir)
	if err != nil {
		t.Fatalf("reopening after kill: %v", err)
	}
	defer func() { _ = s.Close() }()
	cp, err := s.Load(ctx, Key{Tenant: crashKey.Tenant, Stream: crashKey.Stream})
	if err != nil {
		t.Fatalf("Load after kill: %v", err)
	}
	gen, err := strconv.Atoi(cp.Cursor)
	if err != nil {
		t.Fatalf("Load after kill: cursor %q is not a generation", cp.Cursor)
	}
	want, _ := generation(gen)
	if cp.Extra["check"] != want.Extra["check"] || len(cp.AtWatermark) != 50 ||
		cp.AtWatermark[49] != want.AtWatermark[49] {
		t.Fatalf("Load after kill: checkpoint of generation %d is torn: %+v", gen, cp)
	}
	ids, err := s.LoadSet(ctx, crashKey)
	if err != nil {
		t.Fatalf("LoadSet after kill: %v", err)
	}
	checkSetGeneration(t, ids, gen)
	return gen
}

// checkSetGeneration fails unless ids is exactly the set of one generation,
// the checkpoint's or the one before it (the set is saved second).
func checkSetGeneration(t *testing.T, ids []string, cpGen int) {
	t.Helper()
	if len(ids) == 0 {
		t.Fatalf("LoadSet after kill: empty set with checkpoint generation %d", cpGen)
	}
	prefix, _, _ := strings.Cut(ids[0], "-")
	setGen, err := strconv.Atoi(strings.TrimPrefix(prefix, "g"))
	if err != nil || (setGen != cpGen && setGen != cpGen-1) {
		t.Fatalf("LoadSet after kill: set of generation %q with checkpoint %d", prefix, cpGen)
	}
	_, want := generation(setGen)
	if len(ids) != len(want) || ids[0] != want[0] || ids[len(ids)-1] != want[len(want)-1] {
		t.Fatalf("LoadSet after kill: got %d ids, want %d of generation %d",
			len(ids), len(want), setGen)
	}
}
