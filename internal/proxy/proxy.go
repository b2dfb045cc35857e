package proxy

import (
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httputil"
	"net/url"
	"path"
	"regexp"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"
)

// DefaultPrefix is the path the cluster is proxied under.
const DefaultPrefix = "/cluster"

// Options are the operator's choices for the proxy.
type Options struct {
	// Prefix is the path the cluster is served under (DefaultPrefix when
	// empty); /cluster/api/v1/pods is the cluster's /api/v1/pods.
	Prefix string
	// AllowSecrets lets list, watch and get of core Secrets through.
	AllowSecrets bool
	// AcceptHosts are the patterns the Host header (without port) must
	// match; nil means DefaultAcceptHosts.
	AcceptHosts []*regexp.Regexp
	// ErrorLog receives upstream failures; nil is the log package's.
	ErrorLog *log.Logger
}

// Proxy is the read-only reverse proxy to one cluster. It is an
// http.Handler for the requests under its prefix.
type Proxy struct {
	opts     Options
	upstream *url.URL
	rp       *httputil.ReverseProxy
}

// New returns a proxy to the cluster cfg describes, through client-go's
// rest transport (cfg's TLS, token, exec plugin and WrapTransport apply).
func New(cfg *rest.Config, opts Options) (*Proxy, error) {
	if opts.Prefix == "" {
		opts.Prefix = DefaultPrefix
	}
	opts.Prefix = "/" + strings.Trim(opts.Prefix, "/")
	if opts.AcceptHosts == nil {
		opts.AcceptHosts, _ = ParseAcceptHosts(DefaultAcceptHosts)
	}
	upstream, _, err := rest.DefaultServerUrlFor(cfg)
	if err != nil {
		return nil, fmt.Errorf("cluster address %q: %w", cfg.Host, err)
	}
	transport, err := rest.TransportFor(cfg)
	if err != nil {
		return nil, fmt.Errorf("cluster transport: %w", err)
	}
	p := &Proxy{opts: opts, upstream: upstream}
	p.rp = &httputil.ReverseProxy{
		Rewrite:        p.rewrite,
		Transport:      transport,
		FlushInterval:  -1, // a watch event reaches the page as soon as it arrives
		ModifyResponse: filterResponse,
		ErrorHandler:   p.upstreamError,
		ErrorLog:       opts.ErrorLog,
	}
	return p, nil
}

// Prefix is the path the proxy serves under.
func (p *Proxy) Prefix() string { return p.opts.Prefix }

// ServeHTTP checks the request and, if it may pass, forwards it.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if ref := p.check(r); ref != nil {
		writeRefusal(w, ref)
		return
	}
	p.rp.ServeHTTP(w, r)
}

// check is every rule, cheapest first; nil lets the request pass.
func (p *Proxy) check(r *http.Request) *refusal {
	if ref := checkCaller(r, p.opts.AcceptHosts); ref != nil {
		return ref
	}
	if r.Method != http.MethodGet {
		return &refusal{http.StatusMethodNotAllowed, fmt.Sprintf("%s is not allowed: the proxy is read-only (GET only)", r.Method)}
	}
	if r.Header.Get("Upgrade") != "" || headerHasToken(r.Header, "Connection", "upgrade") {
		return &refusal{http.StatusForbidden, "protocol upgrades (exec, attach, port-forward) are not served"}
	}
	// An escaped path (%2F and the like) could read differently here and
	// upstream; a client of the API never needs one.
	if r.URL.RawPath != "" && r.URL.RawPath != r.URL.Path {
		return &refusal{http.StatusForbidden, "escaped paths are not served"}
	}
	apiPath, ok := strings.CutPrefix(r.URL.Path, p.opts.Prefix)
	if !ok {
		return &refusal{http.StatusNotFound, fmt.Sprintf("%s is not under %s", r.URL.Path, p.opts.Prefix)}
	}
	return checkPath(apiPath, p.opts.AllowSecrets)
}

func headerHasToken(h http.Header, name, token string) bool {
	for _, v := range h.Values(name) {
		for _, t := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}

// rewrite aims the checked request at the cluster, with only the allowed
// headers. The transport adds the credentials.
func (p *Proxy) rewrite(pr *httputil.ProxyRequest) {
	apiPath := strings.TrimPrefix(pr.In.URL.Path, p.opts.Prefix)
	out := *p.upstream
	out.Path = path.Join("/", p.upstream.Path, apiPath)
	out.RawPath = ""
	out.RawQuery = pr.In.URL.RawQuery
	pr.Out.URL = &out
	pr.Out.Host = ""
	pr.Out.Header = http.Header{}
	copyAllowed(pr.Out.Header, pr.In.Header, requestHeaders)
}

// filterResponse keeps the allowed headers of the cluster's answer and
// keeps it out of every cache.
func filterResponse(resp *http.Response) error {
	h := http.Header{}
	copyAllowed(h, resp.Header, responseHeaders)
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	resp.Header = h
	return nil
}

// upstreamError answers when the cluster could not be reached, as a 503
// Status the client can read, so the page can say so.
func (p *Proxy) upstreamError(w http.ResponseWriter, r *http.Request, err error) {
	if r.Context().Err() != nil {
		return // the page went away; nobody to answer
	}
	if p.opts.ErrorLog != nil {
		p.opts.ErrorLog.Printf("proxy %s: %v", r.URL.Path, err)
	} else {
		log.Printf("proxy %s: %v", r.URL.Path, err)
	}
	writeStatus(w, http.StatusServiceUnavailable, metav1.StatusReasonServiceUnavailable,
		fmt.Sprintf("the cluster at %s cannot be reached: %v", p.upstream.Host, unwrapURLError(err)))
}

// unwrapURLError drops net/http's "Get URL:" wrapping, which would repeat
// the path and query.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
