package recording

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/watch"
)

// FileFormat names the format of a recording file; FileVersion is the
// newest version this build reads and the one it writes.
const (
	FileFormat  = "informerscope-recording"
	FileVersion = 1
)

// The verbs of a call.
const (
	VerbList  = "list"
	VerbWatch = "watch"
)

// Who ended a watch (End.By).
const (
	EndedByServer = "server" // the stream ended or broke: ResultChan closed
	EndedByClient = "client" // the consumer called Stop
)

// Recording is the raw list/watch stream of one informer's session.
type Recording struct {
	// Source describes what was recorded, for people ("configmaps in
	// default at https://..."); nothing reads it.
	Source string `json:"source,omitempty"`
	// WatchListUnsupported is what the source answered to
	// IsWatchListSemanticsUnSupported: a replay must answer the same, or
	// the Reflector would start with a different call.
	WatchListUnsupported bool `json:"watchListUnsupported,omitempty"`
	// Calls in the order the Reflector made them.
	Calls []Call `json:"calls"`
}

// Call is one list or watch call and what came back.
type Call struct {
	Verb string `json:"verb"`
	// At is when the call was made, since the recording began
	// (nanoseconds).
	At      time.Duration      `json:"at"`
	Options metav1.ListOptions `json:"options"`
	// Error is set when the call failed.
	Error *Error `json:"error,omitempty"`
	// List is a list call's page, as the API serves it.
	List json.RawMessage `json:"list,omitempty"`
	// Events are a watch's events, in order.
	Events []Event `json:"events,omitempty"`
	// End is how a watch ended; nil if it was still open when the
	// recording was taken.
	End *End `json:"end,omitempty"`
}

// Event is one watch event.
type Event struct {
	// At is when it arrived, since the watch opened (nanoseconds).
	At   time.Duration   `json:"at"`
	Type watch.EventType `json:"type"`
	// Object is the event's object as the API serves it: a Status for an
	// ERROR event.
	Object json.RawMessage `json:"object"`
}

// End is how and when a watch ended.
type End struct {
	At time.Duration `json:"at"` // since the watch opened (nanoseconds)
	By string        `json:"by"` // EndedByServer or EndedByClient
}

// Error is a failed call: the API's Status, or a failure to get one.
type Error struct {
	Status *metav1.Status `json:"status,omitempty"`
	// ConnectionRefused marks a request nobody answered, which the
	// Reflector treats apart (it backs off and re-watches).
	ConnectionRefused bool   `json:"connectionRefused,omitempty"`
	Message           string `json:"message"`
}

type fileHeader struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
}

type fileBody struct {
	fileHeader
	*Recording
}

// Encode writes r as a versioned JSON recording file.
func (r *Recording) Encode(w io.Writer) error {
	body := fileBody{fileHeader{FileFormat, FileVersion}, r}
	if r.Calls == nil {
		c := *r
		c.Calls = []Call{}
		body.Recording = &c
	}
	return json.NewEncoder(w).Encode(body)
}

// Decode reads a recording file. A file that is empty, not JSON, cut
// short, not a recording, from a newer version, or that holds a call or
// object a replay could not serve is rejected with an error that says
// which and where.
func Decode(rd io.Reader) (*Recording, error) {
	data, err := io.ReadAll(rd)
	if err != nil {
		return nil, fmt.Errorf("reading recording file: %w", err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("recording file is empty")
	}
	var hdr fileHeader
	if err := json.Unmarshal(data, &hdr); err != nil {
		return nil, describeJSONError(data, err)
	}
	switch {
	case hdr.Format != FileFormat:
		return nil, fmt.Errorf("not an InformerScope recording: format is %q, want %q", hdr.Format, FileFormat)
	case hdr.Version > FileVersion:
		return nil, fmt.Errorf("recording file version %d is newer than this InformerScope reads (up to %d); use a newer InformerScope", hdr.Version, FileVersion)
	case hdr.Version < 1:
		return nil, fmt.Errorf("recording file has invalid version %d", hdr.Version)
	}
	body := fileBody{Recording: &Recording{}}
	if err := json.Unmarshal(data, &body); err != nil {
		return nil, describeJSONError(data, err)
	}
	if err := body.Recording.Validate(); err != nil {
		return nil, err
	}
	return body.Recording, nil
}

// Validate checks that a replay can serve every call: known verbs, a page
// or an error for each list, decodable objects, events in time order.
func (r *Recording) Validate() error {
	for i, c := range r.Calls {
		where := fmt.Sprintf("call %d (%s)", i+1, c.Verb)
		if c.At < 0 {
			return fmt.Errorf("%s is at a negative time", where)
		}
		switch c.Verb {
		case VerbList:
			if len(c.Events) > 0 || c.End != nil {
				return fmt.Errorf("%s has watch events", where)
			}
			if c.Error == nil {
				if len(c.List) == 0 {
					return fmt.Errorf("%s has neither a list nor an error", where)
				}
				if err := (&unstructured.UnstructuredList{}).UnmarshalJSON(c.List); err != nil {
					return fmt.Errorf("%s: the list does not decode: %v", where, err)
				}
			}
		case VerbWatch:
			if len(c.List) > 0 {
				return fmt.Errorf("%s has a list", where)
			}
			if c.Error != nil && (len(c.Events) > 0 || c.End != nil) {
				return fmt.Errorf("%s failed but has events", where)
			}
			var last time.Duration
			for j, e := range c.Events {
				if e.At < last {
					return fmt.Errorf("%s: event %d is earlier than the one before it", where, j+1)
				}
				last = e.At
				if _, err := decodeEventObject(e); err != nil {
					return fmt.Errorf("%s: event %d: %v", where, j+1, err)
				}
			}
			if c.End != nil {
				if c.End.By != EndedByServer && c.End.By != EndedByClient {
					return fmt.Errorf("%s: end by %q, want %q or %q", where, c.End.By, EndedByServer, EndedByClient)
				}
				if c.End.At < last {
					return fmt.Errorf("%s ends before its last event", where)
				}
			}
		default:
			return fmt.Errorf("call %d has verb %q, want %q or %q", i+1, c.Verb, VerbList, VerbWatch)
		}
	}
	return nil
}

func describeJSONError(data []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF) || (errors.As(err, &syn) && syn.Offset >= int64(len(data))):
		return fmt.Errorf("recording file is truncated: it ends after %d bytes in the middle of the data", len(data))
	case errors.As(err, &syn):
		return fmt.Errorf("recording file is not valid JSON at byte %d: %v", syn.Offset, err)
	case errors.As(err, &typ):
		return fmt.Errorf("recording file has a %s where %s wants a %s (byte %d)", typ.Value, typ.Field, typ.Type, typ.Offset)
	}
	return fmt.Errorf("recording file: %v", err)
}
