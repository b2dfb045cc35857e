package remote

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	utilnet "k8s.io/apimachinery/pkg/util/net"
)

// ProxyRefusalPrefix starts the message of every request the InformerScope
// proxy refuses by itself (a write, a Secret, a foreign page), so that
// Explain can tell its refusals from the cluster's.
const ProxyRefusalPrefix = "informerscope proxy: "

// NoClusterReason is the Status reason of the proxy's answer when the
// server was started without a kubeconfig.
const NoClusterReason = "NoClusterConnected"

// Explain says, in a sentence or two for the page, what err means for the
// informer and what the user can do about it. It knows the errors this
// package returns (see the package doc) and those the Reflector wraps them
// in; for anything else it returns the error's own text.
func Explain(err error) string {
	if err == nil {
		return ""
	}
	if status, ok := statusOf(err); ok {
		return explainStatus(status)
	}
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return "The request was cancelled because the informer stopped."
	case utilnet.IsConnectionRefused(err):
		return "Cannot reach the InformerScope server: the connection was refused. Is it still running (make run)? The informer retries with backoff."
	case IsDecodeError(err):
		return "The answer was not a Kubernetes API response. Check that the base URL is the InformerScope server's /cluster path. (" + err.Error() + ")"
	case isNetError(err):
		return "The connection to the InformerScope server was lost (" + err.Error() + "). The informer retries with backoff; check that the server is still running."
	}
	return err.Error()
}

// statusOf finds the API status in err, if any.
func statusOf(err error) (apierrors.APIStatus, bool) {
	var s apierrors.APIStatus
	if errors.As(err, &s) {
		return s, true
	}
	return nil, false
}

func explainStatus(s apierrors.APIStatus) string {
	st := s.Status()
	msg := st.Message
	if strings.HasPrefix(msg, ProxyRefusalPrefix) {
		return "The InformerScope server refused this request: " + strings.TrimPrefix(msg, ProxyRefusalPrefix)
	}
	if string(st.Reason) == NoClusterReason {
		return "No cluster is connected: start the server with --kubeconfig (or KUBECONFIG set) to watch a real cluster, or use the simulated one."
	}
	switch code := int(st.Code); {
	case code == http.StatusUnauthorized:
		return "The cluster did not accept the kubeconfig's credentials (401 Unauthorized). Log in again (the token or certificate may have expired) and restart the server."
	case code == http.StatusForbidden:
		return "The cluster forbids this (403): the kubeconfig's user may not list or watch it. Pick another resource or namespace, or ask for RBAC list and watch permission. (" + msg + ")"
	case code == http.StatusNotFound:
		return "Not found on this cluster (404): the resource, API group or namespace does not exist (a CRD may not be installed). Pick another resource. (" + msg + ")"
	case code == http.StatusGone || st.Reason == "Expired" || st.Reason == "Gone":
		return "The resourceVersion is too old for the server (410 Gone): the informer lists again to catch up. Nothing to do."
	case code == http.StatusTooManyRequests:
		return "The cluster is throttling requests (429 Too Many Requests): the informer waits and tries again."
	case code == http.StatusGatewayTimeout && strings.Contains(msg, "Too large resource version"):
		return "The server has not caught up with the resourceVersion asked for (504): the informer lists again from the newest one."
	case code == http.StatusBadGateway || code == http.StatusServiceUnavailable:
		return "The InformerScope server cannot reach the cluster (" + msg + "). The informer retries with backoff; check that the cluster is up and the kubeconfig's server address is right."
	case code >= 500:
		return "The cluster failed to answer (" + http.StatusText(code) + ": " + msg + "). The informer retries with backoff."
	}
	return msg
}

func isNetError(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) || strings.Contains(err.Error(), "Failed to fetch") || strings.Contains(err.Error(), "NetworkError")
}
