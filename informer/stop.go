package informer

import (
	"errors"

	"github.com/informerscope/informerscope/informer/sim"
)

// Stopping. Goroutines of a deterministic runtime can wait only on the
// runtime's channels, so every Run of this package has a RunWithStop form
// taking one; the forms that take a plain stop channel or a context bridge
// to it.

// bridgeStop returns a runtime channel closed when done is. Under the native
// runtime a goroutine waits for done until release is called. Under another
// runtime done cannot be waited for: only a nil done (never closed) or an
// already closed one is accepted.
func bridgeStop(rt sim.Runtime, name string, done <-chan struct{}) (stop sim.Chan[struct{}], release func(), err error) {
	stop = sim.NewChan[struct{}](rt, name+".stop", 0)
	select {
	case <-done:
		stop.Close()
		return stop, func() {}, nil
	default:
	}
	if done == nil {
		return stop, func() {}, nil
	}
	if rt != sim.Native() {
		return stop, nil, errors.New("informer: a context or plain stop channel cannot stop a Reflector, controller or informer on a deterministic runtime; use RunWithStop")
	}
	finished := make(chan struct{})
	rt.Go(name+" stop bridge", func() {
		select {
		case <-done:
			stop.Close()
		case <-finished:
		}
	})
	return stop, func() { close(finished) }, nil
}

// isClosed tells, without blocking, whether stop is closed.
func isClosed(rt sim.Runtime, stop sim.Chan[struct{}]) bool {
	chosen, _, _ := rt.Select(false, stop.RecvCase())
	return chosen == 0
}

// runBridged runs run with a runtime stop channel closed when done is.
func runBridged(rt sim.Runtime, name string, done <-chan struct{}, run func(sim.Chan[struct{}])) {
	stop, release, err := bridgeStop(rt, name, done)
	if err != nil {
		panic(err)
	}
	defer release()
	run(stop)
}
