package scenario

import (
	"strings"
	"testing"
	"time"
)

const fullExample = `# Title here
# About line one.
#
# About line two.

seed 7
queue deltafifo
gate WatchListClient=false
resource widgets
namespace ns1
selector app=web
resync 30s
window 50
bookmarks 10s
detect-mutations
object ns1/a app=web tier=fe
object ns1/b
handler h1
handler h2 resync=10s latency=50ms at=5s remove-at=9s mutates
run 20s
at 3s delete ns1/a   # comment after a command
at 1s create ns1/c app=web
at 2s update ns1/b app=db
at 3s recreate ns1/c
at 4s close-watches
at 4s restart 2s
at 4s delay-events 500ms
at 5s workload rate=20/s for=10s mix=create:1,update:3,delete:0 namespaces=a,b labels=app=web|app=db,tier=x objects=50 burst=5
at 6s expect store ns1/b ns1/c
expect h1 OnDelete ns1/a tombstone
expect h1 OnDelete tombstone ns1/a
expect h1 no OnUpdate same-rv
expect h1 OnUpdate count>=3
expect h1 count=12
expect h1 order OnAdd ns1/a initial, OnDelete ns1/a
expect h2 synced
expect h2 ring-cap=1024
expect store empty
expect store count<=3
expect informer not-synced
expect trace RelistNeeded reason=expired count=1
expect trace no MutationDetected
`

func TestParseFullExample(t *testing.T) {
	s, err := Parse("full", fullExample)
	if err != nil {
		t.Fatal(err)
	}
	if s.Title != "Title here" || strings.Join(s.About, "|") != "About line one.||About line two." {
		t.Errorf("header: title %q about %q", s.Title, s.About)
	}
	if s.Seed != 7 || s.Queue != DeltaFIFO || s.Resource != "widgets" || s.Namespace != "ns1" ||
		s.Resync != 30*time.Second || s.Window != 50 || !s.DetectMutations || s.RunFor != 20*time.Second {
		t.Errorf("settings: %+v", s)
	}
	if len(s.Objects) != 2 || s.Objects[0].Labels["tier"] != "fe" || s.Objects[1].Labels != nil {
		t.Errorf("objects: %+v", s.Objects)
	}
	h := s.Handlers[1]
	if *h.Resync != 10*time.Second || h.Latency != 50*time.Millisecond || !h.Late || h.At != 5*time.Second ||
		!h.Removed || h.RemoveAt != 9*time.Second || !h.Mutates {
		t.Errorf("handler h2: %+v", h)
	}
	var order []string
	for _, a := range s.Actions {
		order = append(order, a.At.String()+" "+a.Verb.String())
	}
	want := "1s create|2s update|3s delete|3s recreate|4s close-watches|4s restart|4s delay-events|5s workload|6s expect"
	if got := strings.Join(order, "|"); got != want {
		t.Errorf("actions are ordered by time, file order among equals:\n got %s\nwant %s", got, want)
	}
	w := s.Actions[7].Workload
	if w.Rate != 20 || w.For != 10*time.Second || w.Update != 3 || w.Delete != 0 || len(w.Labels) != 2 ||
		w.Labels[1]["tier"] != "x" || w.Objects != 50 || w.Burst != 5 || strings.Join(w.Namespaces, ",") != "a,b" {
		t.Errorf("workload: %+v", w)
	}
	if n := len(s.Expects); n != 13 {
		t.Errorf("%d expectations, want 13", n)
	}
	if a, b := s.Expects[0].Pattern, s.Expects[1].Pattern; a.String() != b.String() {
		t.Errorf("flags before or after the key: %v and %v", a, b)
	}
	if e := s.Expects[3]; e.Pattern.Call != "OnUpdate" || e.Count != (Count{Set: true, Op: ">=", N: 3}) {
		t.Errorf("count expectation: %+v", e)
	}
	if e := s.Expects[5]; len(e.Order) != 2 || e.Order[0].Flags[0] != "initial" {
		t.Errorf("order expectation: %+v", e)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"", "x: no run line"},
		{"run 1s\nfrobnicate", `x:2: unknown command "frobnicate"`},
		{"run 1s\nseed -1", `x:2: seed "-1" is not a whole number`},
		{"run 1s\nseed 1\nseed 2", "x:3: seed is already set on line 2"},
		{"run 1s\nqueue fast", `x:2: queue "fast": say realfifo`},
		{"run 1s\nresource secrets", `x:2: resource "secrets": say one of configmaps`},
		{"run 1s\ngate AtomicFIFO=false", "x:2: gate AtomicFIFO: choose the queue with queue"},
		{"run 1s\ngate WatchListClient", "x:2: gate WatchListClient: write WatchListClient=false"},
		{"run 1s\nselector a==b==c", `x:2: selector "a==b==c"`},
		{"run 1x", `x:1: run "1x" is not a duration`},
		{"run -1s", `x:1: run "-1s" is negative`},
		{"run 1s\nobject a", `x:2: object "a": write namespace/name`},
		{"run 1s\nobject NS/a", `x:2: object "NS/a": namespace:`},
		{"run 1s\nobject ns/a app", `x:2: object ns/a: "app" is not a label key=value`},
		{"run 1s\nobject ns/a\nobject ns/a", "x:3: object ns/a is declared twice"},
		{"run 1s\nhandler store", `x:2: handler name "store" is reserved`},
		{"run 1s\nhandler h\nhandler h", "x:3: handler h is declared twice"},
		{"run 1s\nhandler h speed=2", `x:2: handler h: unknown option "speed"`},
		{"run 1s\nhandler h at=5s remove-at=1s", "x:2: handler h: removed at 1s, before it is added at 5s"},
		{"run 1s\nhandler h at=5s", "x:2: handler h acts after the end of the run"},
		{"run 1s\nat 2s compact", "x:2: at 2s is after the end of the run"},
		{"run 1s\nat 0s explode", `x:2: unknown action "explode"`},
		{"run 1s\nat 0s compact now", "x:2: compact takes no arguments"},
		{"run 1s\nat 0s delete ns/a app=web", "x:2: delete takes only namespace/name"},
		{"run 1s\nat 0s restart", "x:2: restart takes one duration"},
		{"run 1s\nat 0s workload rate=5/s", "x:2: workload needs rate=N/s and for=DURATION"},
		{"run 1s\nat 0s workload rate=fast for=1s", `x:2: workload rate "fast"`},
		{"run 1s\nat 0s workload rate=1/s for=1s mix=create:0", `x:2: workload mix "create:0": every weight is 0`},
		{"run 1s\nat 0s workload rate=1/s for=1s mix=mutate:1", `x:2: workload mix: "mutate" is not create`},
		{"run 1s\nexpect h1 OnAdd", `x:2: expect h1: no handler "h1" is declared above`},
		{"run 1s\nhandler h\nexpect h OnFoo", `x:3: expect h: no call "OnFoo"`},
		{"run 1s\nhandler h\nexpect h OnAdd ns/a tombstone", "x:3: expect h: flag tombstone belongs to OnDelete, not OnAdd"},
		{"run 1s\nhandler h\nexpect h OnAdd ns/a ns/b", `x:3: expect h: unexpected "ns/b": a pattern has one key (ns/a)`},
		{"run 1s\nhandler h\nexpect h count=x", `x:3: count=x: "x" is not a count`},
		{"run 1s\nhandler h\nexpect h count=1 count=2", "x:3: expect h: count given twice"},
		{"run 1s\nhandler h\nexpect h order OnAdd ns/a", "x:3: expect h order: give at least two calls"},
		{"run 1s\nexpect store count=1 ns/a", "x:2: expect store: give either keys or a count"},
		{"run 1s\nexpect trace Nothing", `x:2: expect trace: no event kind "Nothing"`},
		{"run 1s\nexpect trace RelistNeeded why=x", `x:2: expect trace: "why=x" is not field=value`},
		{"run 1s\nexpect informer happy", "x:2: expect informer: say synced or not-synced"},
	} {
		_, err := Parse("x", tc.src)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Parse(%q):\n got %v\nwant an error containing %q", tc.src, err, tc.want)
		}
	}
}

// Every problem is reported, each with its line, in line order.
func TestParseReportsEveryError(t *testing.T) {
	_, err := Parse("x", "seed a\nrun 1s\nqueue b\n\nfoo\n")
	list, ok := err.(ErrorList)
	if !ok || len(list) != 3 {
		t.Fatalf("got %v, want three errors", err)
	}
	for i, line := range []int{1, 3, 5} {
		if list[i].Line != line {
			t.Errorf("error %d is on line %d, want %d", i, list[i].Line, line)
		}
	}
}

func TestFormatRoundTrip(t *testing.T) {
	s, err := Parse("full", fullExample)
	if err != nil {
		t.Fatal(err)
	}
	text := Format(s)
	again, err := Parse("full", text)
	if err != nil {
		t.Fatalf("Format's output does not parse: %v\n%s", err, text)
	}
	if Format(again) != text {
		t.Errorf("Format is not stable:\n%s\n---\n%s", text, Format(again))
	}
	for _, want := range []string{"queue deltafifo\n", "handler h2 resync=10s latency=50ms at=5s remove-at=9s mutates\n",
		"at 5s workload rate=20/s for=10s mix=create:1,update:3,delete:0 namespaces=a,b labels=app=web|app=db,tier=x objects=50 burst=5\n",
		"expect h1 order OnAdd ns1/a initial, OnDelete ns1/a\n", "expect trace RelistNeeded reason=expired count=1\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("Format lacks %q:\n%s", want, text)
		}
	}
}

// FuzzParse: Parse never panics; every error names a line of the input;
// whatever parses formats to text that parses to the same scenario.
func FuzzParse(f *testing.F) {
	f.Add(fullExample)
	f.Add("run 1s\nat 0s workload rate=1e9/s for=1s")
	f.Add("# t\nrun 5s\nhandler h\nexpect h order OnAdd a, OnDelete a")
	f.Add("run 1s\nobject ns/a a=\nexpect store ns/a")
	f.Fuzz(func(t *testing.T, src string) {
		s, err := Parse("fuzz", src)
		if err != nil {
			lines := strings.Count(src, "\n") + 1
			for _, e := range err.(ErrorList) {
				if e.Line < 0 || e.Line > lines {
					t.Fatalf("error on line %d of a %d-line input: %v", e.Line, lines, e)
				}
			}
			return
		}
		text := Format(s)
		again, err := Parse("fuzz", text)
		if err != nil {
			t.Fatalf("Format's output does not parse: %v\ninput:\n%s\nformatted:\n%s", err, src, text)
		}
		if Format(again) != text {
			t.Fatalf("Format is not stable:\n%s\n---\n%s", text, Format(again))
		}
	})
}

// Title reads what Parse puts in Scenario.Title, from the same lines.
func TestTitle(t *testing.T) {
	for _, src := range []string{
		"# Relist after 410\n#\n# More words.\nseed 1\n",
		"\n   \n#\n#   Spaced title  \nseed 1\n",
		"seed 1\n# a comment after a command is not a title\n",
		"seed 1 # nor is one beside it\n",
		"# a # inside\nseed 1\n",
		"",
		"#\n#\nseed 2\n",
	} {
		src += "run 1s\n" // a scenario must say how long it runs
		s, err := Parse("t", src)
		if err != nil {
			t.Fatalf("%q: %v", src, err)
		}
		if got := Title(src); got != s.Title {
			t.Errorf("Title(%q) = %q, Parse gives %q", src, got, s.Title)
		}
	}
}
