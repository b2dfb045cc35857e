package trace

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// FileFormat names the format of a trace file; FileVersion is the newest
// version this build reads and the one it writes.
const (
	FileFormat  = "informerscope-trace"
	FileVersion = 1
)

// Trace is a recorded run: the object table and the events that refer to it.
type Trace struct {
	Objects []Object
	Events  []Event
	// Scenario, if set, is the scenario file the run came from, and
	// Decisions the deterministic runtime's decisions (see sim): with both,
	// the run can be made again exactly, and continued.
	Scenario  string
	Decisions []uint64
}

type fileHeader struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
}

type fileBody struct {
	fileHeader
	Scenario  string   `json:"scenario,omitempty"`
	Decisions []uint64 `json:"decisions,omitempty"`
	Objects   []Object `json:"objects"`
	Events    []Event  `json:"events"`
}

// Encode writes t as a versioned JSON trace file.
func (t *Trace) Encode(w io.Writer) error {
	body := fileBody{
		fileHeader: fileHeader{Format: FileFormat, Version: FileVersion},
		Scenario:   t.Scenario,
		Decisions:  t.Decisions,
		Objects:    t.Objects,
		Events:     t.Events,
	}
	if body.Objects == nil {
		body.Objects = []Object{}
	}
	if body.Events == nil {
		body.Events = []Event{}
	}
	enc := json.NewEncoder(w)
	return enc.Encode(body)
}

// Decode reads a trace file. A file that is not JSON, is cut short, is not a
// trace, comes from a newer version, or refers to objects it does not hold is
// rejected with an error that says which.
func Decode(r io.Reader) (*Trace, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("reading trace file: %w", err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("trace file is empty")
	}
	var hdr fileHeader
	if err := json.Unmarshal(data, &hdr); err != nil {
		return nil, describeJSONError(data, err)
	}
	switch {
	case hdr.Format != FileFormat:
		return nil, fmt.Errorf("not an InformerScope trace file: format is %q, want %q", hdr.Format, FileFormat)
	case hdr.Version > FileVersion:
		return nil, fmt.Errorf("trace file version %d is newer than this InformerScope reads (up to %d); use a newer InformerScope", hdr.Version, FileVersion)
	case hdr.Version < 1:
		return nil, fmt.Errorf("trace file has invalid version %d", hdr.Version)
	}
	var body fileBody
	if err := json.Unmarshal(data, &body); err != nil {
		return nil, describeJSONError(data, err)
	}
	t := &Trace{Objects: body.Objects, Events: body.Events, Scenario: body.Scenario, Decisions: body.Decisions}
	if err := t.Validate(); err != nil {
		return nil, err
	}
	return t, nil
}

// Validate checks that every event has a kind and that every object
// reference points into the object table.
func (t *Trace) Validate() error {
	n := ObjRef(len(t.Objects))
	check := func(where string, r ObjRef) error {
		if r < 0 || r > n {
			return fmt.Errorf("%s refers to object %d, but the trace has %d objects", where, r, n)
		}
		return nil
	}
	for i, o := range t.Objects {
		where := fmt.Sprintf("object %d", i+1)
		if err := check(where, o.Inner); err != nil {
			return err
		}
		for _, r := range o.Items {
			if err := check(where, r); err != nil {
				return err
			}
		}
	}
	for i, e := range t.Events {
		where := fmt.Sprintf("event %d (%s)", i, e.Kind)
		if !e.Kind.Valid() {
			return fmt.Errorf("event %d has no valid kind", i)
		}
		if e.Comp == "" {
			return fmt.Errorf("%s names no component", where)
		}
		if err := check(where, e.Obj); err != nil {
			return err
		}
		if err := check(where, e.Old); err != nil {
			return err
		}
		if e.Kind.Area() == "server" {
			if err := checkServer(e); err != nil {
				return fmt.Errorf("%s %w", where, err)
			}
		}
		for _, r := range e.Objs {
			if err := check(where, r); err != nil {
				return err
			}
		}
		if e.Kind == StoreReplaced && len(e.Keys) != len(e.Objs) {
			return fmt.Errorf("%s has %d keys but %d objects", where, len(e.Keys), len(e.Objs))
		}
		if e.Pos < 0 || e.Count < 0 || e.Left < 0 {
			return fmt.Errorf("%s has a negative position or count", where)
		}
	}
	return nil
}

func describeJSONError(data []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF) || (errors.As(err, &syn) && syn.Offset >= int64(len(data))):
		return fmt.Errorf("trace file is truncated: it ends after %d bytes in the middle of the data", len(data))
	case errors.As(err, &syn):
		return fmt.Errorf("trace file is not valid JSON at byte %d: %v", syn.Offset, err)
	case errors.As(err, &typ):
		return fmt.Errorf("trace file has a wrong value at byte %d (field %q): %v", typ.Offset, typ.Field, err)
	}
	return fmt.Errorf("trace file is malformed: %v", err)
}
