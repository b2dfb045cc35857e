package remote

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
)

// newStreamWatch reads watch events from a response body. It is
// apimachinery's StreamWatcher, the one client-go's REST client returns,
// over a decoder of our own: so a stream that ends or breaks closes
// ResultChan, and one that cannot be decoded ends with an ERROR event
// carrying an InternalError Status, exactly as for client-go's informers.
// The reporter's reason is client-go's too.
func newStreamWatch(body io.ReadCloser) watch.Interface {
	return watch.NewStreamWatcher(
		newEventDecoder(body),
		apierrors.NewClientErrorReporter(http.StatusInternalServerError, http.MethodGet, "ClientWatchDecoding"),
	)
}

// eventDecoder decodes the server's stream of JSON watch events
// ({"type":..., "object":{...}}, one after another) into events with
// unstructured objects, and ERROR events with a *metav1.Status.
type eventDecoder struct {
	body io.ReadCloser
	dec  *json.Decoder
}

func newEventDecoder(body io.ReadCloser) *eventDecoder {
	return &eventDecoder{body: body, dec: json.NewDecoder(brokenAsEOF{body})}
}

// Decode returns the next event, or an error: io.EOF when the stream ended
// between events, io.ErrUnexpectedEOF when it broke, anything else when it
// holds something that is not a watch event.
func (d *eventDecoder) Decode() (watch.EventType, runtime.Object, error) {
	var ev metav1.WatchEvent
	if err := d.dec.Decode(&ev); err != nil {
		return "", nil, err
	}
	t := watch.EventType(ev.Type)
	switch t {
	case watch.Added, watch.Modified, watch.Deleted, watch.Bookmark:
		u := &unstructured.Unstructured{}
		if err := u.UnmarshalJSON(ev.Object.Raw); err != nil {
			return "", nil, fmt.Errorf("decoding the object of a %s event: %w", t, err)
		}
		return t, u, nil
	case watch.Error:
		st := &metav1.Status{}
		if err := json.Unmarshal(ev.Object.Raw, st); err != nil {
			return "", nil, fmt.Errorf("decoding the Status of an ERROR event: %w", err)
		}
		return t, st, nil
	default:
		// client-go's watch decoder refuses unknown types the same way.
		return "", nil, fmt.Errorf("got invalid watch event type: %v", ev.Type)
	}
}

// Close closes the body, which ends a Decode in progress.
func (d *eventDecoder) Close() { d.body.Close() }

// brokenAsEOF reports any failure to read the stream as io.ErrUnexpectedEOF.
//
// A stream breaks with a different error on each platform: natively a reset
// connection or a closed body ("use of closed network connection"), which
// StreamWatcher recognises as a probable EOF and ends quietly; in the browser
// a JavaScript TypeError from the Fetch API's reader, which it does not
// know, and would report as an ERROR event. Either way the bytes stopped,
// and the Reflector should see what it sees natively: the watch closed, to
// be re-opened from the last resourceVersion.
type brokenAsEOF struct{ r io.Reader }

func (b brokenAsEOF) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return n, err
}
