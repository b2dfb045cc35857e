package trace

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// ServerState is what a simulated API server holds: the source an
// informer lists and watches. What it sent in the past is left to the
// views, which have the events; the state stays small at every step.
type ServerState struct {
	// RV is the server's resourceVersion: that of its last write, of any
	// resource.
	RV string
	// Resources are the resources it serves, by name ("configmaps").
	Resources map[string]*ServerResource
	// Watches are the open watches, in opening order, from
	// ServerWatchOpened to ServerWatchClosed.
	Watches []ServerWatch
	// Restarting is set from a Restart until the server is back
	// (ServerBack): it is down until DownUntil (virtual ns since
	// sim.Epoch), then up with its old, emptied watch cache until the first
	// request or write rebuilds it. DownUntil is 0 when not restarting.
	Restarting bool
	DownUntil  int64
	// ExpireNext: ExpireNextWatch was injected; the next watch gets 410.
	ExpireNext bool
	// Delay is how late watch events reach their watchers (DelayEvents),
	// as time.Duration prints it; "" when they are not delayed.
	Delay string
}

// ServerResource is one resource of a server.
type ServerResource struct {
	// Objects are the stored objects by key; each one's resourceVersion is
	// in the object table.
	Objects map[string]ObjRef
	// OldestRV is the oldest resourceVersion the resource's event window
	// serves: a watch from it or later gets what was written after, an
	// exact list or a continued page at it is rebuilt; an older one gets
	// 410 Expired.
	OldestRV string
}

// ServerWatch is one open watch, as the server serves it.
type ServerWatch struct {
	// Name is the watch's name, which is also its goroutine's.
	Name     string
	Resource string
	// Request is the WATCH request, path and query, as the wire carries
	// it; Namespace and Option read it.
	Request string
	// StartRV: changes written above it are queued as they happen; what
	// came before was queued at opening. "" for a watch that only carries
	// an ERROR.
	StartRV string
	// Deadline is when it times out, in ns of virtual time since
	// sim.Epoch; 0 for none.
	Deadline int64
	// Pending counts the events queued on it, not yet delivered: held back
	// by DelayEvents, or waiting for a slow receiver.
	Pending int
	// Sent counts the events delivered; LastSentRV is the resourceVersion
	// of the last one that had one (bookmarks included, ERRORs not).
	Sent       int
	LastSentRV string
	// Ending is "" while the watch is open, and otherwise why it ends
	// (WatchEndClosed, WatchEndDropped, ...): once its pending events are
	// delivered (closed, expired, expire fault) or at once (dropped,
	// restart).
	Ending string
}

// NewServerState returns the state of a server that serves nothing yet.
func NewServerState() *ServerState {
	return &ServerState{Resources: map[string]*ServerResource{}}
}

// Server returns the state of the named server, creating it empty.
func (s *Snapshot) Server(comp string) *ServerState {
	if s.Servers == nil {
		s.Servers = map[string]*ServerState{}
	}
	st := s.Servers[comp]
	if st == nil {
		st = NewServerState()
		s.Servers[comp] = st
	}
	return st
}

// Resource returns the named resource, creating it empty.
func (st *ServerState) Resource(name string) *ServerResource {
	r := st.Resources[name]
	if r == nil {
		r = &ServerResource{Objects: map[string]ObjRef{}}
		st.Resources[name] = r
	}
	return r
}

// watch returns the open watch named name, or nil.
func (st *ServerState) watch(name string) *ServerWatch {
	for i := range st.Watches {
		if st.Watches[i].Name == name {
			return &st.Watches[i]
		}
	}
	return nil
}

// windowsStartAt starts every resource's window at rv.
func (st *ServerState) windowsStartAt(rv string) {
	for _, r := range st.Resources {
		r.OldestRV = rv
	}
}

func (s *Snapshot) applyServer(e Event) {
	st := s.Server(e.Comp)
	switch e.Kind {
	case ServerResourceRegistered:
		r := st.Resource(e.Index)
		r.OldestRV, st.RV = e.RV, e.RV
	case ServerObjectWritten:
		r := st.Resource(e.Index)
		if e.Type == "DELETED" {
			delete(r.Objects, e.Key)
		} else {
			r.Objects[e.Key] = e.Obj
		}
		if e.Value != "" {
			r.OldestRV = e.Value
		}
		st.RV = e.RV
		for _, name := range e.Keys {
			if w := st.watch(name); w != nil {
				w.Pending++
			}
		}
	case ServerWatchOpened:
		st.Watches = append(st.Watches, ServerWatch{Name: e.Key, Resource: e.Index, Request: e.Value,
			StartRV: e.RV, Deadline: e.Until, Pending: e.Count, Ending: e.Reason})
		if e.Reason == WatchEndExpireFault {
			st.ExpireNext = false
		}
	case ServerBookmarkQueued:
		if w := st.watch(e.Key); w != nil {
			w.Pending++
		}
	case ServerWatchEventSent:
		if w := st.watch(e.Key); w != nil {
			w.Pending = max(w.Pending-1, 0)
			w.Sent++
			if e.RV != "" {
				w.LastSentRV = e.RV
			}
		}
	case ServerWatchEnding:
		if w := st.watch(e.Key); w != nil {
			w.Ending, w.Pending = e.Reason, e.Count
		}
	case ServerWatchClosed:
		st.Watches = slices.DeleteFunc(st.Watches, func(w ServerWatch) bool { return w.Name == e.Key })
	case ServerFault:
		switch e.Reason {
		case FaultExpireNextWatch:
			st.ExpireNext = true
		case FaultDelayEvents:
			st.Delay = e.Value
		case FaultCompact:
			st.windowsStartAt(e.RV)
		case FaultRestart:
			st.Restarting, st.DownUntil = true, e.Until
			st.windowsStartAt(e.RV)
		}
	case ServerBack:
		st.Restarting, st.DownUntil = false, 0
		st.windowsStartAt(e.RV)
	case ServerWatchRefused, ServerListServed:
		// Informational: the server did not change.
	}
}

// Namespace is the namespace the watch is confined to, "" for all.
func (w ServerWatch) Namespace() string {
	path, _, _ := strings.Cut(w.Request, "?")
	parts := strings.Split(path, "/")
	for i, p := range parts {
		if p == "namespaces" && i+2 < len(parts) {
			return parts[i+1]
		}
	}
	return ""
}

// Option returns a query parameter of the watch's request:
// "resourceVersion", "labelSelector", "fieldSelector",
// "allowWatchBookmarks", "timeoutSeconds", "sendInitialEvents",
// "resourceVersionMatch"; "" when not given.
func (w ServerWatch) Option(name string) string {
	_, query, _ := strings.Cut(w.Request, "?")
	q, err := url.ParseQuery(query)
	if err != nil {
		return ""
	}
	return q.Get(name)
}

func diffServer(a, b *ServerState) string {
	if a == nil {
		a = NewServerState()
	}
	if b == nil {
		b = NewServerState()
	}
	if fa, fb := formatServer(a), formatServer(b); fa != fb {
		return fa + " != " + fb
	}
	return ""
}

func formatServer(st *ServerState) string {
	var b strings.Builder
	fmt.Fprintf(&b, "{rv %q restarting %v downUntil %d expireNext %v delay %q", st.RV, st.Restarting, st.DownUntil, st.ExpireNext, st.Delay)
	for _, name := range sortedKeys(st.Resources) {
		r := st.Resources[name]
		fmt.Fprintf(&b, " %s{oldest %q objects %v}", name, r.OldestRV, sortedMap(r.Objects))
	}
	for _, w := range st.Watches {
		fmt.Fprintf(&b, " watch%+v", w)
	}
	b.WriteString("}")
	return b.String()
}
