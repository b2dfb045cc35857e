package proxy

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

// DefaultAcceptHosts is kubectl proxy's default: the loopback names only.
const DefaultAcceptHosts = `^localhost$,^127\.0\.0\.1$,^\[::1\]$`

// ParseAcceptHosts reads a comma-separated list of regular expressions,
// each matched against the Host header without its port, as kubectl proxy's
// --accept-hosts.
func ParseAcceptHosts(s string) ([]*regexp.Regexp, error) {
	var res []*regexp.Regexp
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		re, err := regexp.Compile(p)
		if err != nil {
			return nil, fmt.Errorf("accept-hosts pattern %q: %w", p, err)
		}
		res = append(res, re)
	}
	if len(res) == 0 {
		return nil, fmt.Errorf("accept-hosts %q has no pattern: no request could pass", s)
	}
	return res, nil
}

// checkCaller refuses a request whose Host is not accepted (a page that
// rebinds its own DNS name to 127.0.0.1 sends its own name) or that comes
// from another origin (a page elsewhere, even another port of localhost,
// fetching with the user's browser).
func checkCaller(r *http.Request, acceptHosts []*regexp.Regexp) *refusal {
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
		if strings.Contains(h, ":") {
			host = "[" + h + "]" // an IPv6 literal, written as in a URL
		}
	}
	accepted := false
	for _, re := range acceptHosts {
		if re.MatchString(host) {
			accepted = true
			break
		}
	}
	if !accepted {
		return &refusal{403, fmt.Sprintf("host %q is not accepted (a guard against DNS rebinding); start the server with --accept-hosts to allow it", host)}
	}
	// Browsers send Sec-Fetch-Site on every request: same-origin for the
	// page's own fetches, none for an address typed or bookmarked.
	switch site := r.Header.Get("Sec-Fetch-Site"); site {
	case "", "same-origin", "none":
	default:
		return &refusal{403, fmt.Sprintf("a request from another site (Sec-Fetch-Site: %s) is refused: only InformerScope's own page may use this cluster", site)}
	}
	if origin := r.Header.Get("Origin"); origin != "" {
		u, err := url.Parse(origin)
		if err != nil || u.Host != r.Host {
			return &refusal{403, fmt.Sprintf("a request from origin %q is refused: only InformerScope's own page may use this cluster", origin)}
		}
	}
	return nil
}
