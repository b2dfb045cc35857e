package informer

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/informerscope/informerscope/informer/buffer"
	"github.com/informerscope/informerscope/informer/sim"
	"github.com/informerscope/informerscope/informer/trace"
)

// initialBufferSize is the capacity pendingNotifications starts with.
const initialBufferSize = 1024

// ResourceEventHandlerRegistration is what adding a handler returns: the
// handle to remove it with, and its own HasSynced, true once the handler has
// processed the informer's whole initial list.
type ResourceEventHandlerRegistration interface {
	HasSynced() bool
	HasSyncedChecker() DoneChecker
}

// processorListener delivers notifications to one handler, in order,
// without ever blocking the processor for long: three goroutines of its
// own.
//
//   - pop receives from addCh. When nothing is waiting to be delivered it
//     offers the notification on nextCh at once; otherwise it appends it to
//     pendingNotifications, a ring buffer that grows without bound. It is
//     the only goroutine that touches the ring and the offered notification.
//   - run receives from nextCh and calls the handler, one notification at a
//     time.
//   - watchSynced waits for the informer to sync, then tells syncTracker.
//
// addCh and nextCh are unbuffered. Closing addCh stops pop, which closes
// nextCh and done, which stop run and watchSynced.
type processorListener struct {
	rt   sim.Runtime
	name string // the listener's name in traces and goroutine lanes

	nextCh      sim.Chan[any]
	addCh       sim.Chan[any]
	done        sim.Chan[struct{}]
	runFinished *doneSignal

	handler     ResourceEventHandler
	handlerName string

	syncTracker       *singleFileTracker
	upstreamHasSynced runtimeDone

	pendingNotifications       *buffer.RingGrowing
	pendingNotificationsLength atomic.Int64

	// resyncLock guards the resync fields: the processor reads them while
	// the informer may change the period.
	resyncLock            sync.Mutex
	requestedResyncPeriod time.Duration
	resyncPeriod          time.Duration
	nextResync            time.Time

	// What the goroutines hold in local variables in client-go, kept here
	// so that a trace can be checked against the listener: offered is
	// pop's, handling is run's. removed and stopped are the processor's
	// and pop's verdicts.
	offered  any
	handling any
	syncing  bool
	synced   bool
	removed  bool
	stopped  bool
	probe    *trace.Probe
}

var _ ResourceEventHandlerRegistration = &processorListener{}

// newProcessListener returns a listener for handler. hasSynced is the
// informer, whose sync the registration's HasSynced waits for.
func newProcessListener(rt sim.Runtime, name string, handler ResourceEventHandler, requestedResyncPeriod, resyncPeriod time.Duration,
	now time.Time, bufferSize int, hasSynced DoneChecker, probe *trace.Probe) *processorListener {
	upstream, ok := hasSynced.(runtimeDone)
	if !ok {
		panic(fmt.Sprintf("informer: %T cannot be waited for in a sim.Runtime", hasSynced))
	}
	handlerName := nameForHandler(handler)
	p := &processorListener{
		rt:                    rt,
		name:                  name,
		nextCh:                sim.NewChan[any](rt, name+".nextCh", 0),
		addCh:                 sim.NewChan[any](rt, name+".addCh", 0),
		done:                  sim.NewChan[struct{}](rt, name+".done", 0),
		runFinished:           newDoneSignal(rt, name+".runFinished"),
		handler:               handler,
		handlerName:           handlerName,
		syncTracker:           newSingleFileTracker(rt, fmt.Sprintf("%s + event handler %s", hasSynced.Name(), handlerName)),
		upstreamHasSynced:     upstream,
		pendingNotifications:  buffer.NewRingGrowing(bufferSize),
		requestedResyncPeriod: requestedResyncPeriod,
		resyncPeriod:          resyncPeriod,
		probe:                 probe,
	}
	p.determineNextResync(now)
	return p
}

// HasSynced tells whether the handler has processed the initial list.
func (p *processorListener) HasSynced() bool { return p.syncTracker.HasSynced() }

// HasSyncedChecker signals when HasSynced becomes true.
func (p *processorListener) HasSyncedChecker() DoneChecker { return p.syncTracker }

// ShutdownChan is closed once run has returned: after removal, no handler
// call is in flight any more.
func (p *processorListener) ShutdownChan() <-chan struct{} { return p.runFinished.plain }

// add hands a notification to pop. It blocks only until pop takes it, which
// pop always does promptly.
func (p *processorListener) add(notification any) {
	if a, ok := notification.(addNotification); ok && a.isInInitialList {
		p.syncTracker.Start()
	}
	if p.probe != nil {
		e := notificationEvent(p.probe, trace.NotificationSent, notification)
		e.Left = p.syncTracker.pending()
		p.probe.Emit(e)
	}
	p.addCh.Send(notification)
}

// pop moves notifications from addCh to nextCh, buffering as needed.
func (p *processorListener) pop() {
	defer p.popStopped()
	// notification is offered on nextCh while nextCh is not nil; the ring
	// is non-empty only while a notification is offered.
	var nextCh sim.Chan[any]
	var notification any
	// One array of cases for the whole loop: a fresh variadic slice per
	// select would be an allocation per notification.
	var cases [2]sim.Case
	cases[1] = p.addCh.RecvCase()
	for {
		cases[0] = nextCh.SendCase(notification)
		chosen, received, ok := p.rt.Select(true, cases[:]...)
		switch chosen {
		case 0: // run took it
			next, ok := p.pendingNotifications.ReadOne()
			if ok {
				p.pendingNotificationsLength.Add(-1)
			} else {
				nextCh = sim.Chan[any]{} // nothing to offer
			}
			notification, p.offered = next, next
			p.probe.Emit(trace.Event{Kind: trace.NotificationHandedOff, Count: p.pendingNotifications.Len(), Cap: p.pendingNotifications.Cap()})
		case 1:
			if !ok {
				return
			}
			if notification == nil {
				notification, p.offered = received, received
				nextCh = p.nextCh
				if p.probe != nil {
					p.probe.Emit(notificationEvent(p.probe, trace.NotificationOffered, received))
				}
				continue
			}
			p.pendingNotifications.WriteOne(received)
			p.pendingNotificationsLength.Add(1)
			if p.probe != nil {
				e := notificationEvent(p.probe, trace.RingPushed, received)
				e.Count, e.Cap = p.pendingNotifications.Len(), p.pendingNotifications.Cap()
				p.probe.Emit(e)
			}
		}
	}
}

// popStopped drops what is pending and stops run and watchSynced.
func (p *processorListener) popStopped() {
	p.stopped, p.offered = true, nil
	p.probe.Emit(trace.Event{Kind: trace.ListenerStopped})
	p.done.Close()
	p.nextCh.Close()
}

// run calls the handler for each notification pop offers. A handler that
// panics does not stop the listener: the notification is skipped, reported,
// and the next one waits a second, as client-go does when crashes are not
// fatal.
func (p *processorListener) run() {
	defer p.runFinished.close()
	sleepAfterCrash := false
	for {
		next, ok := p.nextCh.Recv()
		if !ok {
			return
		}
		if sleepAfterCrash {
			p.rt.Sleep(time.Second)
		}
		p.handling = next
		if p.probe != nil {
			p.probe.Emit(notificationEvent(p.probe, trace.HandlerStarted, next))
		}
		crash := p.callHandler(next)
		sleepAfterCrash = crash != nil
		p.finishedHandling(next, crash)
	}
}

// callHandler calls the handler, returning what it panicked with.
func (p *processorListener) callHandler(n any) (crash any) {
	defer func() { crash = recover() }()
	switch n := n.(type) {
	case updateNotification:
		p.handler.OnUpdate(n.oldObj, n.newObj)
	case addNotification:
		p.handler.OnAdd(n.newObj, n.isInInitialList)
	case deleteNotification:
		p.handler.OnDelete(n.oldObj)
	}
	return nil
}

// finishedHandling records the end of a handler call and, for an initial
// add the handler returned from, counts it in the sync tracker. An initial
// add whose handler panicked is never counted, so that registration never
// syncs: client-go counts after the call, which the panic skips
// (kubernetes issue 129024).
func (p *processorListener) finishedHandling(n any, crash any) {
	p.handling = nil
	left, synced := p.syncTracker.pending(), false
	if a, ok := n.(addNotification); ok && a.isInInitialList && crash == nil {
		left, synced = p.syncTracker.finishedCount()
	}
	if p.probe != nil {
		e := trace.Event{Kind: trace.HandlerFinished, Left: left}
		if crash != nil {
			e.Reason = fmt.Sprintf("handler panicked: %v", crash)
		}
		p.probe.Emit(e)
	}
	if synced {
		p.signalSynced()
	}
}

// watchSynced tells the tracker when the informer has synced.
func (p *processorListener) watchSynced() {
	chosen, _, _ := p.rt.Select(true, p.upstreamHasSynced.doneSignal().inSim.RecvCase(), p.done.RecvCase())
	if chosen == 0 && p.syncTracker.markUpstream() {
		p.signalSynced()
	}
}

func (p *processorListener) signalSynced() {
	p.synced = true
	p.probe.Emit(trace.Event{Kind: trace.ListenerSynced})
	p.syncTracker.signal()
}

// shouldResync tells whether the listener is due a resync at now.
func (p *processorListener) shouldResync(now time.Time) bool {
	p.resyncLock.Lock()
	defer p.resyncLock.Unlock()
	return p.resyncPeriod != 0 && !now.Before(p.nextResync)
}

func (p *processorListener) determineNextResync(now time.Time) {
	p.resyncLock.Lock()
	defer p.resyncLock.Unlock()
	p.nextResync = now.Add(p.resyncPeriod)
}

func (p *processorListener) setResyncPeriod(resyncPeriod time.Duration) {
	p.resyncLock.Lock()
	defer p.resyncLock.Unlock()
	p.resyncPeriod = resyncPeriod
}

// traceState returns the listener as a trace shows it. The caller must keep
// the listener's goroutines still.
func (p *processorListener) traceState(processor string) *trace.ListenerState {
	l := &trace.ListenerState{
		Processor:      processor,
		Handler:        p.handlerName,
		Syncing:        p.syncing,
		Offered:        traceNotification(p.probe, p.offered),
		RingCap:        p.pendingNotifications.Cap(),
		Handling:       traceNotification(p.probe, p.handling),
		InitialPending: p.syncTracker.pending(),
		Synced:         p.synced,
		Removed:        p.removed,
		Stopped:        p.stopped,
	}
	if !p.stopped {
		for _, n := range p.pendingNotifications.Items() {
			l.Ring = append(l.Ring, *traceNotification(p.probe, n))
		}
	}
	return l
}
