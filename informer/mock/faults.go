package mock

import (
	"net"
	"net/url"
	"os"
	"strings"
	"syscall"
	"time"

	"k8s.io/apimachinery/pkg/runtime/schema"
)

// The faults. Each may be called from any goroutine of the runtime, or by
// the driver between steps.

// CloseWatches ends every open watch cleanly, as at its timeout: what was
// already sent to it is delivered, then a bookmark if it allows them, then
// the stream ends.
func (s *Server) CloseWatches() {
	s.endWatches(false)
}

// DropConnections ends every open watch abruptly: undelivered events are
// lost and no final bookmark is sent, as when a connection breaks.
func (s *Server) DropConnections() {
	s.endWatches(true)
}

func (s *Server) endWatches(abrupt bool) {
	s.mu.Lock()
	now := s.rt.Now()
	var wake []*Watch
	for _, st := range s.sortedStoresLocked() {
		for _, w := range st.watches {
			if abrupt {
				w.abortLocked()
			} else {
				w.drainLocked(now, s.rv, s.delay)
			}
			wake = append(wake, w)
		}
	}
	s.mu.Unlock()
	for _, w := range wake {
		s.wake(w.wakeChans())
	}
}

// ExpireNextWatch makes the next Watch call answer with what the watch
// cache sends for a resourceVersion older than its window: an ERROR event
// carrying a 410 Expired Status, then the end of the stream.
func (s *Server) ExpireNextWatch() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expireNext = true
}

// Compact forgets every kind's event window up to now, as etcd's
// compaction does: watches from an older resourceVersion get 410, exact
// lists at one get 410, and continue tokens issued before get 410.
// Open watches are not affected.
func (s *Server) Compact() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, st := range s.kinds {
		st.forget(s.rv)
	}
}

// Restart takes the server down for down of runtime time: open watches end
// abruptly and every request fails with "connection refused" until then.
// It comes back with empty windows at the current resourceVersion, as a
// fresh watch cache initialised by a list, so watches from any older
// resourceVersion get 410. resourceVersions continue where they were.
func (s *Server) Restart(down time.Duration) {
	s.mu.Lock()
	s.downUntil = s.rt.Now().Add(down)
	s.restarting = true
	for _, st := range s.kinds {
		st.forget(s.rv)
	}
	s.mu.Unlock()
	s.DropConnections()
}

// revivedLocked builds the restarted server's new watch cache once it is
// back: its window starts at the resourceVersion of that moment, so
// whatever other replicas wrote while it was down (see ThroughOtherReplica)
// is not in it, and a watch from before the restart gets 410. It runs
// lazily, at the first request or write after the downtime. It reports
// whether the server is down.
func (s *Server) revivedLocked() (down bool) {
	if !s.restarting {
		return false
	}
	if s.rt.Now().Before(s.downUntil) {
		return true
	}
	s.restarting = false
	for _, st := range s.kinds {
		st.forget(s.rv)
	}
	return false
}

// DelayEvents makes watch events (and bookmarks) offered from now on reach
// their watchers d later; 0 turns the delay off. Order is kept.
func (s *Server) DelayEvents(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delay = max(d, 0)
}

// refused returns a connection-refused error while the server is down. The
// error is shaped as client-go's REST client reports one (a *url.Error
// around a *net.OpError around ECONNREFUSED), so that utilnet's
// IsConnectionRefused, which the Reflector asks, recognises it.
func (s *Server) refused(verb string, gvr schema.GroupVersionResource, ns, name string) error {
	s.mu.Lock()
	down := s.revivedLocked()
	s.mu.Unlock()
	if !down {
		return nil
	}
	addr := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 6443}
	return &url.Error{
		Op:  verb[:1] + strings.ToLower(verb[1:]),
		URL: "https://" + addr.String() + requestPath(gvr, ns, name),
		Err: &net.OpError{Op: "dial", Net: "tcp", Addr: addr, Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)},
	}
}

// requestPath is the REST path of a request, for error messages.
func requestPath(gvr schema.GroupVersionResource, ns, name string) string {
	p := "/apis/" + gvr.Group + "/" + gvr.Version
	if gvr.Group == "" {
		p = "/api/" + gvr.Version
	}
	if ns != "" {
		p += "/namespaces/" + ns
	}
	p += "/" + gvr.Resource
	if name != "" {
		p += "/" + name
	}
	return p
}
