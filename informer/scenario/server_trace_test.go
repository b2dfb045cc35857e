package scenario

import (
	"fmt"
	"testing"

	"github.com/informerscope/informerscope/assets"
	"github.com/informerscope/informerscope/informer/mock"
	"github.com/informerscope/informerscope/informer/trace"
)

// A session's trace includes the simulated server: at each of its events,
// the session's fold of the server equals the server's own state, over
// every scenario of the library (with their faults and workloads).
func TestSessionFoldEqualsServer(t *testing.T) {
	for _, name := range assets.ScenarioNames() {
		t.Run(name, func(t *testing.T) {
			src, _ := assets.Scenario(name)
			s, err := Parse(name, src)
			if err != nil {
				t.Fatal(err)
			}
			x := Start(s)
			var failure string
			events := 0
			compare := func() string {
				fold := &trace.Snapshot{Servers: map[string]*trace.ServerState{mock.TraceComponent: x.Fold.Servers[mock.TraceComponent]}}
				own := &trace.Snapshot{Servers: map[string]*trace.ServerState{mock.TraceComponent: x.Server.TraceState()}}
				return trace.Diff(fold, own)
			}
			x.OnEvent(func(e trace.Event) {
				if e.Kind.Area() != "server" || failure != "" {
					return
				}
				events++
				if d := compare(); d != "" {
					failure = fmt.Sprintf("after server event %d %+v: %s", events, e, d)
				}
			})
			if _, err := x.Run(); err != nil {
				t.Fatal(err)
			}
			if failure != "" {
				t.Fatal(failure)
			}
			if events == 0 {
				t.Fatal("the session recorded no server event")
			}
			if d := compare(); d != "" {
				t.Fatalf("at the end: %s", d)
			}
		})
	}
}
