//go:build !wasm

package main

// holdServiceWorker goes into the page's <head> (Handler.RawHeaders), where
// it runs before go-app's deferred app.js. go-app registers its service
// worker as soon as app.js runs, and the worker's install downloads every
// resource again, app.wasm among them, while the page is still fetching
// and compiling its own copy. On two cores that contention cost about a
// fifth of a second of a cold load. So registration waits until the wasm
// has mounted the page (ui.releaseServiceWorker calls
// informerscopeMounted), as web.dev advises for a first visit's critical
// resources; offline use still gets everything once the page is up.
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
