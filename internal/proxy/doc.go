// Package proxy is the locked door between the page and a real cluster
// (DESIGN.md, principle 8): a read-only reverse proxy to the kube-apiserver
// a kubeconfig names, mounted by server.go under a path of its own
// (/cluster), plus the small /cluster-info answer that tells the page
// whether a cluster is connected.
//
// The proxy talks to the cluster with client-go's rest transport, so exec
// plugins, client certificates, tokens and CAs work as they do for kubectl;
// the credentials stay in this process. What it lets through:
//
//   - GET only, and no protocol upgrades (exec, attach and port-forward
//     ride on them);
//   - discovery (/api, /api/VERSION, /apis, /apis/GROUP,
//     /apis/GROUP/VERSION), /version, and list, watch and get of resources
//     (collections and named objects, namespaced or not);
//   - no subresources at all (exec, attach, portforward, proxy, log, ...),
//     no legacy /watch/ and /proxy/ paths;
//   - no Secrets unless the operator opts in (--allow-secrets).
//
// And from whom (guard.go): the Host header must match the accept-hosts
// patterns (loopback names by default), so a DNS-rebinding page cannot
// reach it under its own name; a request from another origin (an Origin
// header that is not this server, or Sec-Fetch-Site other than
// same-origin or none) is refused. Requests carry only a few harmless
// headers upstream (no cookies, no Authorization, no impersonation) and
// answers carry only a few back (no Set-Cookie, no WWW-Authenticate).
// Watch streams are flushed as each chunk arrives.
//
// This package links client-go: server.go is its only importer, and
// nothing of it may reach app.wasm (deps_test.go checks).
package proxy
