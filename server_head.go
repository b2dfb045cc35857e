//go:build !wasm

package main

import "encoding/json"

// headScripts go into the page's <head> (Handler.RawHeaders), where they
// run while the HTML is parsed, before go-app's deferred app.js. Both move
// work out of the way of the cold load, which on two cores is bound by
// fetching and compiling app.wasm; wasm is app.wasm's path as go-app's
// loader asks for it (Resources.AppWASM).
func headScripts(wasm string) []string {
	url, _ := json.Marshal(wasm) // a JS string literal, with < and > escaped
	return []string{holdServiceWorker, fetchWasmEarly(string(url))}
}

// holdServiceWorker: go-app registers its service worker as soon as app.js
// runs, and the worker's install downloads every resource again, app.wasm
// among them, while the page is still fetching and compiling its own copy.
// That contention cost about a fifth of a second of a cold load. So
// registration waits until the wasm has mounted the page
// (ui.releaseServiceWorker calls informerscopeMounted), as web.dev advises
// for a first visit; offline use still gets everything once the page is up.
const holdServiceWorker = `<script>
(() => {
  const container = navigator.serviceWorker;
  if (!container) return;
  const register = container.register.bind(container);
  let release;
  const mounted = new Promise(resolve => { release = resolve; });
  window.informerscopeMounted = () => release();
  container.register = (...args) => mounted.then(() => register(...args));
})();
</script>`

// fetchWasmEarly starts fetching app.wasm while the page is parsed and
// hands that response to go-app's loader when it asks for the same path,
// once. Left to go-app, the request waits for the first style and layout
// of the prerendered page and then for app.js, 0.25-0.35 s in. go-app
// still reads the body itself, so its progress label and its error
// message work as before. With ?wasm=false go-app loads no wasm, so
// nothing is fetched.
func fetchWasmEarly(url string) string {
	return `<script>
(() => {
  if (new URLSearchParams(location.search).get("wasm") === "false") return;
  const url = ` + url + `;
  const early = fetch(url);
  early.catch(() => {}); // a failure is go-app's to report, when it asks
  const fetch0 = window.fetch;
  window.fetch = function (input, init) {
    if (input === url && init === undefined) {
      window.fetch = fetch0;
      return early;
    }
    return fetch0.apply(this, arguments);
  };
})();
</script>`
}
