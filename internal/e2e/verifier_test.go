package e2e

import (
	"bytes"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/okta-connector/okta-connector/internal/kafkatest"
	"github.com/okta-connector/okta-connector/schemas"
)

// TestVerifierUnits runs the verifier's own Python unit tests, so CI runs
// them with every go test.
func TestVerifierUnits(t *testing.T) {
	python := Python(t)
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, "-m", "unittest", "-v")
	cmd.Dir = filepath.Join(root, "tools", "verify-consumer")
	cmd.Env = append(cmd.Environ(), "PYTHONDONTWRITEBYTECODE=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("python -m unittest in %s: %v\n%s", cmd.Dir, err, out.String())
	}
	if !strings.Contains(out.String(), "\nOK") {
		t.Fatalf("got no OK from python -m unittest:\n%s", out.String())
	}
}

// verifierCase is one hand-made output and what the verifier must say.
type verifierCase struct {
	name     string
	soe      bool                                          // single-object framing
	bad      func(good []*kgo.Record) []*kgo.Record        // records added
	aborted  func(good []*kgo.Record) []*kgo.Record        // added, then aborted
	truth    func(Truth) Truth                             // changes to the truth
	wantExit int                                           // 0 or 1
	want     func(prefix string, bad []*kgo.Record) string // must be in the output
}

// TestVerifierVerdicts is the test of the test: the verifier passes a
// correct output and fails, naming the record, every way one can be wrong.
func TestVerifierVerdicts(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	registry := kafkatest.Registry(t)
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range verifierCases() {
		t.Run(tc.name, func(t *testing.T) {
			prefix := kafkatest.UniqueTopicPrefix(t)
			createTopics(t, brokers, prefix)
			var codec encoder
			args := VerifyArgs{Brokers: brokers, Prefix: prefix}
			if tc.soe {
				codec, args.AvscDir = soeCodec(t), filepath.Join(root, "schemas")
			} else {
				codec, args.RegistryURL = registryCodec(t, registry, prefix), registry
			}
			good := produce(t, brokers, sample(t, codec, prefix)...)
			var bad []*kgo.Record
			if tc.bad != nil {
				bad = produce(t, brokers, tc.bad(good)...)
			}
			if tc.aborted != nil {
				produceAborted(t, brokers, tc.aborted(good)...)
			}
			truth := sampleTruth()
			if tc.truth != nil {
				truth = tc.truth(truth)
			}
			args.TruthFile = truth.Write(t)

			res := Verify(t, args)
			t.Logf("verifier output (%v):\n%s", res.Elapsed.Round(1e6), res.Output)
			if res.ExitCode != tc.wantExit {
				t.Errorf("got exit code %d, want %d", res.ExitCode, tc.wantExit)
			}
			if want := tc.want(prefix, bad); !strings.Contains(res.Output, want) {
				t.Errorf("got output without %q", want)
			}
		})
	}
}

func verifierCases() []verifierCase {
	ok := func(string, []*kgo.Record) string { return "verify-consumer: ok: 5 records" }
	return []verifierCase{
		{name: "registry framing matches truth", wantExit: 0, want: ok},
		{name: "single-object framing matches truth", soe: true, wantExit: 0, want: ok},
		{
			name:     "unknown schema id",
			bad:      withHeader(func(v []byte) []byte { return setID(v, 4095) }),
			wantExit: 1,
			want:     failedAt("unknown schema id 4095"),
		},
		{
			name:     "corrupted confluent magic",
			bad:      withHeader(func(v []byte) []byte { v[0] = 0x07; return v }),
			wantExit: 1,
			want:     failedAt("unknown framing (first bytes 07"),
		},
		{
			name:     "truncated body",
			bad:      withHeader(func(v []byte) []byte { return v[:len(v)-4] }),
			wantExit: 1,
			want:     failedAt("decoding avro body with io.oktaconnector.Employee"),
		},
		{
			name:     "unknown fingerprint",
			soe:      true,
			bad:      withHeader(func(v []byte) []byte { v[2] ^= 0xFF; return v }),
			wantExit: 1,
			want:     failedAt("unknown fingerprint"),
		},
		{
			name: "schema of another stream",
			soe:  true,
			bad: func(good []*kgo.Record) []*kgo.Record {
				r := copyRecord(good[0])
				r.Topic = strings.Replace(r.Topic, schemas.Employees, schemas.GroupMembers, 1)
				return []*kgo.Record{r}
			},
			wantExit: 1,
			want: failedAt("schema io.oktaconnector.Employee on a topic of " +
				"io.oktaconnector.GroupMember"),
		},
		{
			name: "aborted garbage is not read",
			aborted: withHeader(func(v []byte) []byte {
				return []byte("not avro at all")
			}),
			wantExit: 0,
			want:     ok,
		},
		{
			name: "count differs from truth",
			truth: func(tr Truth) Truth {
				tr.Topics[schemas.GroupMembers] = TopicTruth{Tombstones: Count(0)}
				return tr
			},
			wantExit: 1,
			want: func(prefix string, _ []*kgo.Record) string {
				return "DIFFERS " + prefix + "group_members: got 1 tombstones, want 0"
			},
		},
		{
			name: "value differs from truth",
			truth: func(tr Truth) Truth {
				tr.Values[0].Want = "Dmitry"
				return tr
			},
			wantExit: 1,
			want: func(string, []*kgo.Record) string {
				return "field first_name: got 'Дмитрий', want 'Dmitry' (a Cyrillic name)"
			},
		},
	}
}

// withHeader returns a bad-record maker that copies the first good record
// (an employee) and changes its value with f.
func withHeader(f func(value []byte) []byte) func([]*kgo.Record) []*kgo.Record {
	return func(good []*kgo.Record) []*kgo.Record {
		r := copyRecord(good[0])
		r.Value = f(r.Value)
		return []*kgo.Record{r}
	}
}

func copyRecord(r *kgo.Record) *kgo.Record {
	return &kgo.Record{
		Topic: r.Topic, Key: bytes.Clone(r.Key), Value: bytes.Clone(r.Value),
	}
}

func setID(v []byte, id uint32) []byte {
	v[1], v[2], v[3], v[4] = byte(id>>24), byte(id>>16), byte(id>>8), byte(id)
	return v
}

// failedAt names the first bad record as the verifier must:
// FAILED <topic>[<partition>]@<offset>: <reason>.
func failedAt(reason string) func(string, []*kgo.Record) string {
	return func(_ string, bad []*kgo.Record) string {
		r := bad[0]
		return fmt.Sprintf("FAILED %s[%d]@%d: %s", r.Topic, r.Partition, r.Offset, reason)
	}
}

// TestVerifierUnusable covers runs with nothing to verify: they must fail,
// not pass as "no records, no failures".
func TestVerifierUnusable(t *testing.T) {
	brokers := kafkatest.Brokers(t)
	for _, tc := range []struct {
		name     string
		args     VerifyArgs
		wantExit int
		want     string
	}{
		{
			name: "no topics under the prefix",
			args: VerifyArgs{Brokers: brokers, Prefix: kafkatest.UniqueTopicPrefix(t),
				RegistryURL: kafkatest.Registry(t)},
			wantExit: 1,
			want:     "DIFFERS no topics under prefix",
		},
		{
			// Port 1 on loopback: nothing listens there on a test machine.
			name: "unreachable broker",
			args: VerifyArgs{Brokers: []string{"127.0.0.1:1"}, Prefix: "okta.",
				RegistryURL: kafkatest.Registry(t), Deadline: 2 * time.Second},
			wantExit: 2,
			want:     "verify-consumer: listing topics at 127.0.0.1:1",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := Verify(t, tc.args)
			if res.ExitCode != tc.wantExit {
				t.Errorf("got exit code %d, want %d\n%s", res.ExitCode, tc.wantExit, res.Output)
			}
			if !strings.Contains(res.Output, tc.want) {
				t.Errorf("got output without %q:\n%s", tc.want, res.Output)
			}
		})
	}
}
