package recording

import (
	"bytes"
	"strings"
	"testing"
)

// Bad files are refused with an error that says what is wrong and where.
func TestDecodeRejects(t *testing.T) {
	const hdr = `"format":"informerscope-recording","version":1`
	obj := `{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"a","resourceVersion":"2"}}`
	cases := []struct{ name, in, want string }{
		{"empty", "  \n", "recording file is empty"},
		{"not JSON", "hello", "not valid JSON at byte 1"},
		{"truncated", `{` + hdr + `,"calls":[{"verb":"list"`, "truncated"},
		{"a trace file", `{"format":"informerscope-trace","version":1}`, `not an InformerScope recording: format is "informerscope-trace"`},
		{"newer", `{"format":"informerscope-recording","version":9,"calls":[]}`, "version 9 is newer"},
		{"version 0", `{"format":"informerscope-recording","version":0,"calls":[]}`, "invalid version 0"},
		{"wrong type", `{` + hdr + `,"calls":[{"verb":"list","at":"soon"}]}`, "has a string where"},
		{"unknown verb", `{` + hdr + `,"calls":[{"verb":"delete"}]}`, `call 1 has verb "delete"`},
		{"list without a page", `{` + hdr + `,"calls":[{"verb":"list"}]}`, "call 1 (list) has neither a list nor an error"},
		{"list that is not a list", `{` + hdr + `,"calls":[{"verb":"list","list":{"items":3}}]}`, "call 1 (list): the list does not decode"},
		{"list with events", `{` + hdr + `,"calls":[{"verb":"list","list":{"items":[]},"events":[{"type":"ADDED","object":` + obj + `}]}]}`, "call 1 (list) has watch events"},
		{"events out of order", `{` + hdr + `,"calls":[{"verb":"watch","events":[{"at":5,"type":"ADDED","object":` + obj + `},{"at":4,"type":"ADDED","object":` + obj + `}]}]}`, "call 1 (watch): event 2 is earlier"},
		{"unknown event type", `{` + hdr + `,"calls":[{"verb":"watch","events":[{"type":"NOPE","object":{}}]}]}`, `event 1: unknown event type "NOPE"`},
		{"an ERROR event without a Status", `{` + hdr + `,"calls":[{"verb":"watch","events":[{"type":"ERROR","object":[1]}]}]}`, "event 1: the ERROR event's Status does not decode"},
		{"end by nobody", `{` + hdr + `,"calls":[{"verb":"watch","end":{"at":1,"by":"moon"}}]}`, `end by "moon"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Decode(strings.NewReader(c.in))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want %q", err, c.want)
			}
		})
	}
}

func TestRoundTrip(t *testing.T) {
	in := `{"format":"informerscope-recording","version":1,"source":"s","calls":[` +
		`{"verb":"list","at":1,"options":{"resourceVersion":"0","limit":500},"list":{"kind":"ConfigMapList","apiVersion":"v1","metadata":{"resourceVersion":"3"},"items":[]}},` +
		`{"verb":"watch","at":2,"options":{"resourceVersion":"3","allowWatchBookmarks":true},"error":{"connectionRefused":true,"message":"dial tcp: connection refused"}}]}`
	r, err := Decode(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := r.Encode(&out); err != nil {
		t.Fatal(err)
	}
	r2, err := Decode(&out)
	if err != nil {
		t.Fatal(err)
	}
	if len(r2.Calls) != 2 || r2.Source != "s" || r2.Calls[1].Error == nil || !r2.Calls[1].Error.ConnectionRefused {
		t.Errorf("round trip lost something: %+v", r2)
	}
}
