package proxy

import (
	"encoding/json"
	"net/http"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// refusalPrefix starts every message of the proxy's own refusals
// (remote.ProxyRefusalPrefix says the same, for the page's Explain).
const refusalPrefix = "informerscope proxy: "

// writeStatus answers with a metav1.Status, the body a Kubernetes client
// turns into a typed error, as the apiserver's own refusals are.
func writeStatus(w http.ResponseWriter, code int, reason metav1.StatusReason, message string) {
	st := metav1.Status{
		TypeMeta: metav1.TypeMeta{Kind: "Status", APIVersion: "v1"},
		Status:   metav1.StatusFailure,
		Message:  message,
		Reason:   reason,
		Code:     int32(code),
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(st)
}

func writeRefusal(w http.ResponseWriter, r *refusal) {
	reason := metav1.StatusReasonForbidden
	if r.code == http.StatusMethodNotAllowed {
		reason = metav1.StatusReasonMethodNotAllowed
		w.Header().Set("Allow", "GET")
	}
	writeStatus(w, r.code, reason, refusalPrefix+r.message)
}
