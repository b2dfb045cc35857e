package mock

import (
	"net"
	"net/url"
	"os"
	"strings"
	"syscall"
	"time"

	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/informerscope/informerscope/informer/trace"
)

// The faults. Each may be called from any goroutine of the runtime, or by
// the driver between steps.

// CloseWatches ends every open watch cleanly, as at its timeout: what was
// already sent to it is delivered, then a bookmark if it allows them, then
// the stream ends.
func (s *Server) CloseWatches() {
	s.fault(trace.FaultCloseWatches, "", nil)
	s.endWatches(trace.WatchEndClosed)
}

// DropConnections ends every open watch abruptly: undelivered events are
// lost and no final bookmark is sent, as when a connection breaks.
func (s *Server) DropConnections() {
	s.fault(trace.FaultDropConnections, "", nil)
	s.endWatches(trace.WatchEndDropped)
}

// fault makes the change a fault injects, under the lock, and records it.
func (s *Server) fault(name, arg string, change func(e *trace.Event)) {
	s.mu.Lock()
	e := trace.Event{Kind: trace.ServerFault, Reason: name, Value: arg}
	if change != nil {
		change(&e)
	}
	s.traceLocked(e, nil, nil)
	s.mu.Unlock()
	s.flushTrace()
}

// endWatches ends every watch of the kinds' stores, for why: cleanly
// (trace.WatchEndClosed) or abruptly. Each watch changes under a lock of
// its own, so that each change is recorded before the next is made.
func (s *Server) endWatches(why string) {
	s.mu.Lock()
	var ws []*Watch
	for _, st := range s.sortedStoresLocked() {
		ws = append(ws, st.watches...)
	}
	s.mu.Unlock()
	for _, w := range ws {
		s.mu.Lock()
		switch {
		case w.finished:
			// It ended meanwhile (only natively can it).
		case why == trace.WatchEndClosed:
			w.drainLocked(s.rt.Now(), s.rv, s.delay)
		default:
			w.abortLocked(why)
		}
		s.mu.Unlock()
		s.flushTrace()
	}
	for _, w := range ws {
		s.wake(w.wakeChans())
	}
}

// ExpireNextWatch makes the next Watch call answer with what the watch
// cache sends for a resourceVersion older than its window: an ERROR event
// carrying a 410 Expired Status, then the end of the stream.
func (s *Server) ExpireNextWatch() {
	s.fault(trace.FaultExpireNextWatch, "", func(*trace.Event) { s.expireNext = true })
}

// Compact forgets every kind's event window up to now, as etcd's
// compaction does: watches from an older resourceVersion get 410, exact
// lists at one get 410, and continue tokens issued before get 410.
// Open watches are not affected.
func (s *Server) Compact() {
	s.fault(trace.FaultCompact, "", func(e *trace.Event) {
		for _, st := range s.kinds {
			st.forget(s.rv)
		}
		e.RV = rvString(s.rv)
	})
}

// Restart takes the server down for down of runtime time: open watches end
// abruptly and every request fails with "connection refused" until then.
// It comes back with empty windows at the current resourceVersion, as a
// fresh watch cache initialised by a list, so watches from any older
// resourceVersion get 410. resourceVersions continue where they were.
func (s *Server) Restart(down time.Duration) {
	s.fault(trace.FaultRestart, down.String(), func(e *trace.Event) {
		s.downUntil = s.rt.Now().Add(down)
		s.restarting = true
		for _, st := range s.kinds {
			st.forget(s.rv)
		}
		e.RV, e.Until = rvString(s.rv), virtual(s.downUntil)
	})
	s.endWatches(trace.WatchEndRestart)
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
	s.traceLocked(trace.Event{Kind: trace.ServerBack, RV: rvString(s.rv)}, nil, nil)
	return false
}

// revive brings the server back if its downtime is over. A write calls it
// first, so that the server's coming back is recorded before the write:
// the write would bring it back anyway, at the same resourceVersion.
func (s *Server) revive() {
	s.mu.Lock()
	s.revivedLocked()
	s.mu.Unlock()
	s.flushTrace()
}

// DelayEvents makes watch events (and bookmarks) offered from now on reach
// their watchers d later; 0 turns the delay off. Order is kept.
func (s *Server) DelayEvents(d time.Duration) {
	d = max(d, 0)
	arg := ""
	if d > 0 {
		arg = d.String()
	}
	s.fault(trace.FaultDelayEvents, arg, func(*trace.Event) { s.delay = d })
}

// refused returns a connection-refused error while the server is down. The
// error is shaped as client-go's REST client reports one (a *url.Error
// around a *net.OpError around ECONNREFUSED), so that utilnet's
// IsConnectionRefused, which the Reflector asks, recognises it.
func (s *Server) refused(verb string, gvr schema.GroupVersionResource, ns, name string) error {
	s.mu.Lock()
	down := s.revivedLocked()
	s.mu.Unlock()
	s.flushTrace()
	if !down {
		return nil
	}
	addr := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 6443}
	return &url.Error{
		Op:  verb[:1] + strings.ToLower(verb[1:]),
		URL: "https://" + addr.String() + requestPath(gvr, ns, name),
		Err: &net.OpError{Op: "dial", Net: "tcp", Addr: addr, Err: os.NewSyscallError("connect", connRefused{})},
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

// connRefused is ECONNREFUSED with the same words on every platform:
// syscall's own text differs under js/wasm ("Connection refused"), and the
// error's text goes into traces, which must be the same natively and in
// the browser. errors.As still finds the errno in it, which is how
// utilnet.IsConnectionRefused looks.
type connRefused struct{}

func (connRefused) Error() string { return "connection refused" }

func (connRefused) As(target any) bool {
	if p, ok := target.(*syscall.Errno); ok {
		*p = syscall.ECONNREFUSED
		return true
	}
	return false
}
