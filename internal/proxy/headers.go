package proxy

import "net/http"

// Headers are copied by allow-list, in both directions. Upstream, the
// browser's cookies and any Authorization or Impersonate-* header would
// otherwise ride along with the proxy's own credentials (an impersonation
// header would even change who the cluster thinks is asking); downstream,
// Set-Cookie and WWW-Authenticate have no business reaching the page.
var (
	requestHeaders = []string{"Accept", "User-Agent"}
	// Retry-After lets the client back off on 429 and 503; Audit-Id and
	// Warning help whoever reads the server's logs and deprecations.
	responseHeaders = []string{"Content-Type", "Content-Length", "Date", "Retry-After", "Warning", "Audit-Id"}
)

func copyAllowed(dst, src http.Header, names []string) {
	for _, k := range names {
		if v, ok := src[k]; ok {
			dst[k] = append([]string(nil), v...)
		}
	}
}
