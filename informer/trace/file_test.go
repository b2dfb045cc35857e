package trace

import (
	"bytes"
	"strings"
	"testing"
)

func sampleTrace() *Trace {
	return &Trace{
		Objects: []Object{
			{Namespace: "ns", Name: "a", RV: "1"},
			{Kind: "DeletedFinalStateUnknown", Key: "ns/a", Inner: 1},
		},
		Events: []Event{
			{Kind: DeltaAppended, Comp: "q", Key: "ns/a", Type: "Added", Obj: 1},
			{Kind: DeltaMerged, Comp: "q", Key: "ns/a", Type: "Deleted", Obj: 2},
			{Kind: StoreReplaced, Comp: "s", Keys: []string{"ns/a"}, Objs: []ObjRef{1}, RV: "5"},
		},
	}
}

func TestTraceFileRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	if err := sampleTrace().Encode(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"kind":"DeltaAppended"`) {
		t.Errorf("kinds should be written by name: %s", buf.String())
	}
	got, err := Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if d := Diff(Fold(got.Events), Fold(sampleTrace().Events)); d != "" {
		t.Error(d)
	}
	if len(got.Objects) != 2 || got.Objects[1].Inner != 1 {
		t.Errorf("objects did not survive: %+v", got.Objects)
	}
	if got.Scenario != "" || got.Decisions != nil {
		t.Errorf("a trace without a scenario came back with one: %q %v", got.Scenario, got.Decisions)
	}

	// A trace of a scenario run keeps what it takes to run it again.
	tr := sampleTrace()
	tr.Scenario, tr.Decisions = "seed 1\nrun 1s\n", []uint64{3, 1, 4}
	buf.Reset()
	if err := tr.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	if got, err = Decode(&buf); err != nil {
		t.Fatal(err)
	}
	if got.Scenario != tr.Scenario || len(got.Decisions) != 3 || got.Decisions[2] != 4 {
		t.Errorf("scenario and decisions did not survive: %q %v", got.Scenario, got.Decisions)
	}
}

// TestTraceFileErrorsSayWhatIsWrong feeds broken files and checks that the
// error names the problem.
func TestTraceFileErrorsSayWhatIsWrong(t *testing.T) {
	var good bytes.Buffer
	if err := sampleTrace().Encode(&good); err != nil {
		t.Fatal(err)
	}
	valid := good.String()
	cases := []struct {
		name, file, want string
	}{
		{"empty", "", "trace file is empty"},
		{"blank", "  \n", "trace file is empty"},
		{"truncated", valid[:len(valid)/2], "truncated"},
		{"truncated header", `{"format":"informerscope-trace","vers`, "truncated"},
		{"not json", "hello world", "not valid JSON at byte"},
		{"not a trace", `{"format":"something-else","version":1}`, `not an InformerScope trace file: format is "something-else"`},
		{"no format", `{"events":[]}`, `format is ""`},
		{"newer version", `{"format":"informerscope-trace","version":7,"events":[]}`, "version 7 is newer than this InformerScope reads (up to 1)"},
		{"version zero", `{"format":"informerscope-trace","version":0}`, "invalid version 0"},
		{"unknown kind", `{"format":"informerscope-trace","version":1,"objects":[],"events":[{"kind":"Teleported","comp":"q"}]}`, `unknown event kind "Teleported"`},
		{"kind not a string", `{"format":"informerscope-trace","version":1,"objects":[],"events":[{"kind":3,"comp":"q"}]}`, "event kind must be a string"},
		{"missing kind", `{"format":"informerscope-trace","version":1,"objects":[],"events":[{"comp":"q"}]}`, "event 0 has no valid kind"},
		{"no component", `{"format":"informerscope-trace","version":1,"objects":[],"events":[{"kind":"QueueClosed"}]}`, "names no component"},
		{"dangling object", `{"format":"informerscope-trace","version":1,"objects":[],"events":[{"kind":"DeltaAppended","comp":"q","obj":3}]}`, "refers to object 3, but the trace has 0 objects"},
		{"dangling inner", `{"format":"informerscope-trace","version":1,"objects":[{"inner":9}],"events":[]}`, "object 1 refers to object 9"},
		{"keys without objects", `{"format":"informerscope-trace","version":1,"objects":[],"events":[{"kind":"StoreReplaced","comp":"s","keys":["a"]}]}`, "1 keys but 0 objects"},
		{"wrong type", `{"format":"informerscope-trace","version":1,"objects":[],"events":[{"kind":"QueueClosed","comp":"q","pos":"x"}]}`, "wrong value"},
		{"negative position", `{"format":"informerscope-trace","version":1,"objects":[],"events":[{"kind":"DeltaMerged","comp":"q","pos":-1}]}`, "negative"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Decode(strings.NewReader(c.file))
			if err == nil {
				t.Fatalf("decoded a broken file without error")
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %q does not say %q", err, c.want)
			}
		})
	}
}

func TestKindNamesAreUniqueAndParse(t *testing.T) {
	seen := map[string]bool{}
	for _, k := range Kinds() {
		name := k.String()
		if name == "" || seen[name] {
			t.Fatalf("kind %d has an empty or duplicate name %q", k, name)
		}
		seen[name] = true
		if back, ok := ParseKind(name); !ok || back != k {
			t.Fatalf("ParseKind(%q) = %v, %v", name, back, ok)
		}
	}
	if _, err := Kind(0).MarshalJSON(); err == nil {
		t.Error("the zero kind must not be written")
	}
}
