package informer

import (
	"fmt"
	"sync/atomic"
	"time"

	"github.com/informerscope/informerscope/informer/sim"
	"github.com/informerscope/informerscope/informer/trace"
)

// sharedProcessor hands every notification to its listeners, and decides
// which of them are due a resync.
//
// listenersLock guards listeners, order and listenersStarted. listeners
// maps each listener to its syncing flag: true when it is due a resync, and
// then it also gets sync notifications (updates that did not change the
// resourceVersion); non-sync notifications go to every listener. A listener
// is syncing from when it is added until the first resync check.
type sharedProcessor struct {
	rt   sim.Runtime
	name string

	listenersLock    sim.RWMutex
	listenersRCond   sim.Cond // waited on under a read lock of listenersLock
	listenersStarted bool
	listeners        map[*processorListener]bool
	// order is every listener ever added, in order: distribute walks it, so
	// that each run delivers in the same order (client-go walks the map).
	order []*processorListener
	wg    *sim.Group
	probe *trace.Probe
	// targetNames holds the names of the listeners distribute last traced a
	// notification to, so that the next one, to the same listeners, reuses
	// them rather than allocating them again. Never changed once stored: an
	// OnEvent callback may keep it. Atomic, as distribute holds only a read
	// lock.
	targetNames atomic.Pointer[[]string]
}

func newSharedProcessor(rt sim.Runtime, name string, probe *trace.Probe) *sharedProcessor {
	p := &sharedProcessor{rt: rt, name: name, listeners: map[*processorListener]bool{}, wg: sim.NewGroup(rt), probe: probe}
	p.listenersLock = rt.NewRWMutex(name + ".listenersLock")
	p.listenersRCond = rt.NewCond(sim.RLocker(p.listenersLock))
	return p
}

// newListenerName names the next listener "<processor>/listener-<n>".
func (p *sharedProcessor) newListenerName() string {
	return fmt.Sprintf("%s/listener-%d", p.name, len(p.order)+1)
}

// getListener returns the listener registration stands for, if it is one of
// this processor's.
func (p *sharedProcessor) getListener(registration ResourceEventHandlerRegistration) *processorListener {
	p.listenersLock.RLock()
	defer p.listenersLock.RUnlock()
	l, ok := registration.(*processorListener)
	if !ok || p.listeners == nil {
		return nil
	}
	if _, exists := p.listeners[l]; exists {
		return l
	}
	return nil
}

// addListener adds l, syncing, and starts its run and pop goroutines if the
// processor runs; the caller then starts watchSynced. It reports whether the
// processor runs.
func (p *sharedProcessor) addListener(l *processorListener) (ResourceEventHandlerRegistration, bool) {
	p.listenersLock.Lock()
	defer p.listenersLock.Unlock()
	if p.listeners == nil {
		p.listeners = map[*processorListener]bool{}
	}
	p.listeners[l] = true
	l.syncing = true
	p.order = append(p.order, l)
	l.probe.Emit(trace.Event{Kind: trace.ListenerAdded, Key: p.name, Value: l.handlerName, Cap: l.pendingNotifications.Cap()})
	if p.listenersStarted {
		p.startListenerLocked(l, false)
	}
	return l, p.listenersStarted
}

func (p *sharedProcessor) startListenerLocked(l *processorListener, withWatchSynced bool) {
	if withWatchSynced {
		p.wg.Go(l.name+" watchSynced", l.watchSynced)
	}
	p.wg.Go(l.name+" run", l.run)
	p.wg.Go(l.name+" pop", l.pop)
}

// removeListener removes the listener handle stands for. Removing a
// listener twice, or one of another processor, is not an error; a handle
// that is not a listener is.
func (p *sharedProcessor) removeListener(handle ResourceEventHandlerRegistration) error {
	p.listenersLock.Lock()
	defer p.listenersLock.Unlock()
	l, ok := handle.(*processorListener)
	if !ok {
		return fmt.Errorf("invalid key type %t", handle)
	}
	if p.listeners == nil {
		return nil
	}
	if _, exists := p.listeners[l]; !exists {
		return nil
	}
	delete(p.listeners, l)
	l.removed = true
	l.probe.Emit(trace.Event{Kind: trace.ListenerRemoved})
	if p.listenersStarted {
		l.addCh.Close() // pop drops what is pending; run ends after the current call
	} else {
		l.runFinished.close()
	}
	return nil
}

// distribute hands obj, a notification, to every listener, or, for a sync
// notification, to the syncing ones (see distributeNotification).
func (p *sharedProcessor) distribute(obj any, sync bool) {
	switch n := obj.(type) {
	case addNotification:
		distributeNotification(p, n, sync)
	case updateNotification:
		distributeNotification(p, n, sync)
	case deleteNotification:
		distributeNotification(p, n, sync)
	}
}

// distributeNotification hands n to every listener, or, for a sync
// notification, to the syncing ones. It waits for the processor to start if
// it has listeners: before that nobody would take the notification.
func distributeNotification[N notification](p *sharedProcessor, n N, sync bool) {
	p.listenersLock.RLock()
	defer p.listenersLock.RUnlock()
	for !p.listenersStarted && len(p.listeners) > 0 {
		p.listenersRCond.Wait()
	}
	var targets []*processorListener
	for _, l := range p.order {
		syncing, present := p.listeners[l]
		if present && (!sync || syncing) {
			targets = append(targets, l)
		}
	}
	if p.probe != nil {
		takeRefs(p.probe, &n)
	}
	var obj any = n
	if p.probe != nil {
		e := notificationEvent(p.probe, trace.NotificationDistributed, obj)
		if len(targets) > 0 {
			e.Keys = p.namesOf(targets)
		}
		if sync {
			e.Reason = "sync"
		}
		p.probe.Emit(e)
	}
	for _, l := range targets {
		l.add(obj)
	}
}

// namesOf returns the names of targets, the same slice as last time when
// they are the same listeners.
func (p *sharedProcessor) namesOf(targets []*processorListener) []string {
	if last := p.targetNames.Load(); last != nil && len(*last) == len(targets) {
		same := true
		for i, l := range targets {
			same = same && (*last)[i] == l.name
		}
		if same {
			return *last
		}
	}
	names := make([]string, len(targets))
	for i, l := range targets {
		names[i] = l.name
	}
	p.targetNames.Store(&names)
	return names
}

// run starts every listener's goroutines and, once stop is closed, stops
// them and waits for them. A processor cannot be run twice.
func (p *sharedProcessor) run(stop sim.Chan[struct{}]) {
	p.listenersLock.Lock()
	for _, l := range p.order {
		if _, present := p.listeners[l]; present {
			p.startListenerLocked(l, true)
		}
	}
	p.listenersStarted = true
	p.listenersRCond.Broadcast()
	p.listenersLock.Unlock()

	stop.Recv()

	p.listenersLock.Lock()
	defer p.listenersLock.Unlock()
	for _, l := range p.order {
		if _, present := p.listeners[l]; present {
			l.addCh.Close()
		}
	}
	p.listeners = nil
	p.listenersStarted = false
	p.listenersRCond.Broadcast()
	p.wg.Wait()
}

// shouldResync flags the listeners due a resync now, reschedules them, and
// reports whether any is due. The flags last until the next check.
func (p *sharedProcessor) shouldResync() bool {
	p.listenersLock.Lock()
	defer p.listenersLock.Unlock()
	now := p.rt.Now()
	any := false
	var due []string
	for _, l := range p.order {
		if _, present := p.listeners[l]; !present {
			continue
		}
		should := l.shouldResync(now)
		p.listeners[l] = should
		l.syncing = should
		if should {
			any = true
			due = append(due, l.name)
			l.determineNextResync(now)
		}
	}
	p.probe.Emit(trace.Event{Kind: trace.ResyncChecked, Keys: due})
	return any
}

// resyncCheckPeriodChanged recomputes every listener's resync period for a
// new check period.
func (p *sharedProcessor) resyncCheckPeriodChanged(resyncCheckPeriod time.Duration) {
	p.listenersLock.RLock()
	defer p.listenersLock.RUnlock()
	for l := range p.listeners {
		l.setResyncPeriod(determineResyncPeriod(l.requestedResyncPeriod, resyncCheckPeriod))
	}
}

// determineResyncPeriod is a handler's effective resync period: none if it
// asked for none or the informer never resyncs, else at least the check
// period.
func determineResyncPeriod(desired, check time.Duration) time.Duration {
	if desired == 0 || check == 0 {
		return 0
	}
	return max(desired, check)
}

// traceState returns every listener as a trace shows it. The caller must
// keep the processor's goroutines still.
func (p *sharedProcessor) traceState() map[string]*trace.ListenerState {
	out := map[string]*trace.ListenerState{}
	for _, l := range p.order {
		out[l.name] = l.traceState(p.name)
	}
	return out
}
