package remote

import (
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// maxErrorBody caps how much of an error response is read and quoted, as
// client-go's maxUnstructuredResponseTextBytes does.
const maxErrorBody = 2048

// responseError is the error for a response that is not 200, shaped as
// client-go's rest.Request shapes it (transformResponse): the response's own
// Status when its body is one, so that reasons and causes (Expired, "Too
// large resource version") survive; otherwise a generic StatusError for the
// code, quoting a textual body. The Reflector only ever sees these through
// apierrors' predicates, which read the code and reason.
func responseError(resp *http.Response, gr schema.GroupResource) error {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if st, ok := decodeStatus(body); ok {
		return &apierrors.StatusError{ErrStatus: st}
	}
	if len(body) > maxErrorBody {
		body = body[:maxErrorBody]
	}
	message := "unknown"
	if isTextResponse(resp) {
		message = strings.TrimSpace(string(body))
	}
	retryAfter, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
	return apierrors.NewGenericServerResponse(resp.StatusCode, resp.Request.Method, gr, "", message, retryAfter, true)
}

// decodeStatus reads body as a metav1.Status, and says whether it is one
// that reports a failure (client-go's Result.Error ignores a Status of
// Success).
func decodeStatus(body []byte) (metav1.Status, bool) {
	var st metav1.Status
	if err := json.Unmarshal(body, &st); err != nil {
		return st, false
	}
	if st.Kind != "Status" || st.Status == metav1.StatusSuccess {
		return st, false
	}
	return st, true
}

// isTextResponse tells whether the body is meant to be read by people, so
// worth quoting in the error: a text/* type, or none (client-go's test).
func isTextResponse(resp *http.Response) bool {
	ct := resp.Header.Get("Content-Type")
	if ct == "" {
		return true
	}
	media, _, err := mime.ParseMediaType(ct)
	return err == nil && strings.HasPrefix(media, "text/")
}
