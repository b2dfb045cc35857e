package scenario

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/informerscope/informerscope/assets"
)

func mustParse(t *testing.T, src string) *Scenario {
	t.Helper()
	s, err := Parse("t", src)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func run(t *testing.T, src string) (*Session, []string) {
	t.Helper()
	x := Start(mustParse(t, src))
	failures, err := x.Run()
	if err != nil {
		t.Fatal(err)
	}
	return x, failures
}

// An expectation that does not hold fails with its line, its text and what
// was found instead; one that holds does not.
func TestExpectationFailures(t *testing.T) {
	_, failures := run(t, `
object default/a
handler h1
run 3s
at 1s delete default/a
at 500ms expect store default/a
at 500ms expect store empty
expect h1 OnDelete default/a
expect h1 OnDelete default/a tombstone
expect h1 count=5
expect h1 order OnDelete default/a, OnAdd default/a
expect h1 ring-cap=1024
expect h1 synced
expect informer not-synced
expect trace ListAndWatchStarted count=1
expect trace no ListAndWatchStarted
expect store count=0
expect store default/a
`)
	want := []string{
		"t:7: at 500ms expect store empty: the store holds 1 objects: [default/a]",
		"t:9: expect h1 OnDelete default/a tombstone: 0 calls match OnDelete default/a tombstone, want >=1; calls: OnAdd default/a initial, OnDelete default/a",
		"t:10: expect h1 count=5: 2 calls match any call, want 5",
		"t:11: expect h1 order OnDelete default/a, OnAdd default/a: no OnAdd default/a after the calls before it",
		"t:14: expect informer not-synced: the informer's HasSynced is true",
		"t:16: expect trace no ListAndWatchStarted: 1 such events, want 0",
		"t:18: expect store default/a: the store holds 0 objects: []",
	}
	got := strings.Join(failures, "\n")
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("missing failure %q", w)
		}
	}
	if len(failures) != len(want) {
		t.Errorf("%d failures, want %d:\n%s", len(failures), len(want), got)
	}
}

// A scenario's API calls that fail are reported with their line, and the
// run goes on.
func TestActionErrorsAreReported(t *testing.T) {
	_, failures := run(t, `
handler h1
run 2s
at 1s delete default/missing
at 1s create default/a
at 1s create default/a
expect store default/a
`)
	got := strings.Join(failures, "\n")
	if len(failures) != 2 || !strings.Contains(got, "t:4: delete default/missing:") || !strings.Contains(got, "t:6: create default/a:") {
		t.Errorf("failures:\n%s", got)
	}
}

// One seed gives one run: the same trace, byte for byte.
func TestSessionIsDeterministic(t *testing.T) {
	src, _ := assets.Scenario("slow-handler-backlog")
	traceOf := func(seed uint64) []byte {
		s := mustParse(t, src)
		s.Seed = seed
		x := Start(s)
		if _, err := x.Run(); err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := x.Recorder.Trace().Encode(&b); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	a, b := traceOf(5), traceOf(5)
	if !bytes.Equal(a, b) {
		t.Error("two runs of one seed differ")
	}
	if bytes.Equal(a, traceOf(6)) {
		t.Error("two seeds gave the same trace: the seed does not reach the run")
	}
}

// RealFIFO keeps the order of events across objects on every interleaving,
// which is what the ordering-realfifo lesson claims.
func TestRealFIFOOrderOnEverySeed(t *testing.T) {
	src, _ := assets.Scenario("ordering-realfifo")
	for seed := uint64(1); seed <= 30; seed++ {
		s := mustParse(t, src)
		s.Seed = seed
		x := Start(s)
		failures, err := x.Run()
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range failures {
			t.Errorf("seed %d: %s", seed, f)
		}
	}
}

// A late handler is added at its time, a removed one gets nothing after its
// removal, and a workload's operations all reach the handler.
func TestHandlerTimesAndWorkload(t *testing.T) {
	x, failures := run(t, `
seed 3
handler early
handler late at=2s
handler gone remove-at=2s
run 5s
at 1s create default/a
at 3s workload rate=10/s for=1s mix=create:1
`)
	for _, f := range failures {
		t.Error(f)
	}
	count := func(name string) string {
		return fmt.Sprint(len(x.Calls(name)))
	}
	if got := count("early") + " " + count("late") + " " + count("gone"); got != "11 11 1" {
		t.Errorf("calls of early, late, gone: %s, want 11 11 1 (late gets a as an initial add)", got)
	}
	if c := x.Calls("late")[0]; c.Call != "OnAdd" || !c.Initial || c.At.Seconds() != 2 {
		t.Errorf("late's first call: %+v", c)
	}
}
