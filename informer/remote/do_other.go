//go:build !(js && wasm)

package remote

import "net/http"

// Do sends req with client, or http.DefaultClient when client is nil. In
// the browser (do_js.go) it uses the Fetch API instead.
func Do(client *http.Client, req *http.Request) (*http.Response, error) {
	if client == nil {
		client = http.DefaultClient
	}
	return client.Do(req)
}
