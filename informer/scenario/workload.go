package scenario

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/informerscope/informerscope/informer/mock"
	"github.com/informerscope/informerscope/informer/sim"
)

// workload runs a Workload as a goroutine of the runtime: ticks Burst/Rate
// apart, Burst operations each, for the workload's duration. Every random
// choice comes from the runtime, so a seed replays it exactly.
type workload struct {
	spec   Workload
	kind   mock.Kind
	server *mock.Server
	rt     sim.Runtime
	// n numbers the workload in its scenario: its objects are named
	// w<n>-1, w<n>-2, ...; line is where it is declared, for errors.
	n    int
	line int
	fail func(line int, format string, args ...any)
	// live are the objects the workload created and has not deleted, in
	// creation order; next numbers the names it gives.
	live []Object
	next int
}

func (w *workload) run() {
	burst := max(w.spec.Burst, 1)
	// rate=300/s for=10s is exactly 3000 operations: the count is computed,
	// not left to where float ticks happen to fall.
	ticks := int(math.Round(w.spec.For.Seconds() * w.spec.Rate / float64(burst)))
	interval := max(time.Duration(float64(time.Second)*float64(burst)/w.spec.Rate), time.Microsecond)
	for i := range ticks {
		if i > 0 {
			w.rt.Sleep(interval)
		}
		for range burst {
			w.operate()
		}
	}
}

// operate does one create, update or delete, picked by the mix. Updates and
// deletes need a live object, and creates stop at the object cap; then the
// other kind of operation happens instead.
func (w *workload) operate() {
	total := int64(w.spec.Create + w.spec.Update + w.spec.Delete)
	pick := w.rt.Int64N(total)
	op := "create"
	switch {
	case pick >= int64(w.spec.Create+w.spec.Update):
		op = "delete"
	case pick >= int64(w.spec.Create):
		op = "update"
	}
	if op != "create" && len(w.live) == 0 {
		op = "create"
	}
	if op == "create" && len(w.live) >= w.spec.Objects {
		op = "delete"
	}
	ctx := context.Background()
	// Like the scenario's own changes, a workload writes through another
	// replica: a restart of the informer's server does not stop it.
	res := w.server.Resource(w.kind.Resource).ThroughOtherReplica()
	var err error
	var o Object
	switch op {
	case "create":
		w.next++
		o = Object{Namespace: w.spec.Namespaces[w.rt.Int64N(int64(len(w.spec.Namespaces)))], Name: fmt.Sprintf("w%d-%d", w.n, w.next)}
		if len(w.spec.Labels) > 0 {
			o.Labels = w.spec.Labels[w.rt.Int64N(int64(len(w.spec.Labels)))]
		}
		if _, err = res.Namespace(o.Namespace).Create(ctx, newObject(w.kind, o), createOptions); err == nil {
			w.live = append(w.live, o)
		}
	case "update":
		o = w.live[w.rt.Int64N(int64(len(w.live)))]
		u, gerr := res.Namespace(o.Namespace).Get(ctx, o.Name, getOptions)
		if err = gerr; err == nil {
			bumpRevision(u)
			_, err = res.Namespace(o.Namespace).Update(ctx, u, updateOptions)
		}
	case "delete":
		i := int(w.rt.Int64N(int64(len(w.live))))
		o = w.live[i]
		w.live = slices.Delete(w.live, i, i+1)
		err = res.Namespace(o.Namespace).Delete(ctx, o.Name, deleteOptions)
	}
	if err != nil {
		w.fail(w.line, "workload %s %s: %v", op, o.Key(), err)
	}
}
