package proxy

import (
	"fmt"
	"path"
	"strings"
)

// namespaceSubresources are the words after /namespaces/NAME/ that name a
// subresource of the namespace rather than a resource inside it; the
// apiserver's RequestInfoFactory makes the same exception.
var namespaceSubresources = map[string]bool{"status": true, "finalize": true}

// refusal is why a request may not pass, said to the page.
type refusal struct {
	code    int
	message string
}

// checkPath decides whether an API path (the part after the proxy's own
// prefix) is one the proxy serves: discovery, /version, or a list, watch
// or get of a resource. It is an allow-list; everything it does not
// recognise is refused. allowSecrets lets core Secrets through.
func checkPath(p string, allowSecrets bool) *refusal {
	if p == "" || p[0] != '/' || path.Clean(p) != p {
		return &refusal{403, fmt.Sprintf("path %q is not a clean API path", p)}
	}
	seg := strings.Split(p[1:], "/")
	switch {
	case p == "/version", p == "/api", p == "/apis":
		return nil
	case seg[0] == "api":
		// /api/VERSION[/...]
		if len(seg) == 2 {
			return nil
		}
		return checkResource(seg[2:], true, allowSecrets)
	case seg[0] == "apis":
		// /apis/GROUP, /apis/GROUP/VERSION[/...]
		if len(seg) <= 3 {
			return nil
		}
		return checkResource(seg[3:], false, allowSecrets)
	}
	return &refusal{403, fmt.Sprintf("%s is not served: only discovery (/api, /apis), /version and list, watch and get of resources are", p)}
}

// checkResource checks the part of a resource path after the group and
// version: [namespaces/NS/]RESOURCE[/NAME].
func checkResource(rest []string, core, allowSecrets bool) *refusal {
	switch rest[0] {
	case "watch":
		return &refusal{403, "the legacy /watch/ paths are not served; watch with ?watch=true"}
	case "proxy", "redirect":
		return &refusal{403, "the " + rest[0] + " verb is not served: the proxy is read-only"}
	}
	if rest[0] == "namespaces" && len(rest) > 2 && !namespaceSubresources[rest[2]] {
		rest = rest[2:] // namespaces/NS/RESOURCE...
	}
	resource := rest[0]
	if len(rest) > 2 {
		return &refusal{403, fmt.Sprintf("subresource %q of %s is not served: only list, watch and get of resources are (no exec, attach, portforward, proxy, logs)", strings.Join(rest[2:], "/"), resource)}
	}
	if core && resource == "secrets" && !allowSecrets {
		return &refusal{403, "Secrets are not served unless the server is started with --allow-secrets"}
	}
	return nil
}
