package sim

import (
	"math/rand/v2"
	"reflect"
	"sync"
	"time"
)

// Native returns the runtime backed by real goroutines, channels and time.
func Native() Runtime { return nativeRuntime }

var nativeRuntime Runtime = native{}

type native struct{}

func (native) Go(_ string, fn func())          { go fn() }
func (native) NewRWMutex(string) RWMutex       { return &sync.RWMutex{} }
func (native) NewCond(l sync.Locker) Cond      { return sync.NewCond(l) }
func (native) Now() time.Time                  { return time.Now() }
func (native) Since(t time.Time) time.Duration { return time.Since(t) }
func (native) Sleep(d time.Duration)           { time.Sleep(d) }
func (native) Float64() float64                { return rand.Float64() }
func (native) Int64N(n int64) int64            { return rand.Int64N(n) }

func (native) newChan(name string, size int) chanImpl {
	return &nativeChan{ch: make(chan any, size), label: name}
}

type nativeChan struct {
	ch    chan any
	label string
}

func (c *nativeChan) send(v any) { c.ch <- v }
func (c *nativeChan) recv() (any, bool) {
	v, ok := <-c.ch
	return v, ok
}
func (c *nativeChan) close()       { close(c.ch) }
func (c *nativeChan) len() int     { return len(c.ch) }
func (c *nativeChan) cap() int     { return cap(c.ch) }
func (c *nativeChan) name() string { return c.label }

// chanOf returns the Go channel behind a case, nil for a nil Chan, which a
// select statement then never picks.
func chanOf(c Case) chan any {
	if c.ch == nil {
		return nil
	}
	return c.ch.(*nativeChan).ch
}

// Select uses plain select statements for up to four cases and reflection
// beyond. Each of the four slots has a send and a receive arm; the arm that
// does not match the case's direction gets a nil channel, which a select
// never picks, as does every arm of an unused slot or of a nil Chan.
func (native) Select(block bool, cases ...Case) (int, any, bool) {
	// The shapes the core uses most get a select of their own: a select
	// costs in proportion to its arms.
	if block {
		switch {
		case len(cases) == 1 && !cases[0].send:
			v, ok := <-chanOf(cases[0])
			return 0, v, ok
		case len(cases) == 1:
			chanOf(cases[0]) <- cases[0].val
			return 0, nil, false
		case len(cases) == 2 && cases[0].send && !cases[1].send:
			select {
			case chanOf(cases[0]) <- cases[0].val:
				return 0, nil, false
			case v, ok := <-chanOf(cases[1]):
				return 1, v, ok
			}
		case len(cases) == 2 && !cases[0].send && !cases[1].send:
			select {
			case v, ok := <-chanOf(cases[0]):
				return 0, v, ok
			case v, ok := <-chanOf(cases[1]):
				return 1, v, ok
			}
		case len(cases) == 2 && !cases[0].send && cases[1].send:
			select {
			case v, ok := <-chanOf(cases[0]):
				return 0, v, ok
			case chanOf(cases[1]) <- cases[1].val:
				return 1, nil, false
			}
		}
	} else if len(cases) == 1 && !cases[0].send {
		select {
		case v, ok := <-chanOf(cases[0]):
			return 0, v, ok
		default:
			return -1, nil, false
		}
	}
	if len(cases) > 4 {
		return reflectSelect(block, cases)
	}
	var send, recv [4]chan any
	var vals [4]any
	for i, c := range cases {
		if c.send {
			send[i], vals[i] = chanOf(c), c.val
		} else {
			recv[i] = chanOf(c)
		}
	}
	if block {
		select {
		case send[0] <- vals[0]:
			return 0, nil, false
		case v, ok := <-recv[0]:
			return 0, v, ok
		case send[1] <- vals[1]:
			return 1, nil, false
		case v, ok := <-recv[1]:
			return 1, v, ok
		case send[2] <- vals[2]:
			return 2, nil, false
		case v, ok := <-recv[2]:
			return 2, v, ok
		case send[3] <- vals[3]:
			return 3, nil, false
		case v, ok := <-recv[3]:
			return 3, v, ok
		}
	}
	select {
	case send[0] <- vals[0]:
		return 0, nil, false
	case v, ok := <-recv[0]:
		return 0, v, ok
	case send[1] <- vals[1]:
		return 1, nil, false
	case v, ok := <-recv[1]:
		return 1, v, ok
	case send[2] <- vals[2]:
		return 2, nil, false
	case v, ok := <-recv[2]:
		return 2, v, ok
	case send[3] <- vals[3]:
		return 3, nil, false
	case v, ok := <-recv[3]:
		return 3, v, ok
	default:
		return -1, nil, false
	}
}

func reflectSelect(block bool, cases []Case) (int, any, bool) {
	sc := make([]reflect.SelectCase, 0, len(cases)+1)
	for _, c := range cases {
		rc := reflect.SelectCase{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(chanOf(c))}
		if c.send {
			rc.Dir = reflect.SelectSend
			rc.Send = reflect.ValueOf(&c.val).Elem()
		}
		sc = append(sc, rc)
	}
	if !block {
		sc = append(sc, reflect.SelectCase{Dir: reflect.SelectDefault})
	}
	i, v, ok := reflect.Select(sc)
	if i == len(cases) {
		return -1, nil, false
	}
	if cases[i].send || !ok {
		return i, nil, false
	}
	return i, v.Interface(), ok
}

func (native) NewTimer(d time.Duration) Timer {
	t := &nativeTimer{c: &nativeChan{ch: make(chan any, 1), label: "timer"}}
	t.t = time.AfterFunc(d, t.fire)
	return t
}

// nativeTimer delivers into a channel of any, as the runtime's channels
// are, so that it can take part in Select.
type nativeTimer struct {
	t *time.Timer
	c *nativeChan
}

func (t *nativeTimer) fire() {
	select {
	case t.c.ch <- time.Now():
	default:
	}
}

func (t *nativeTimer) C() Chan[time.Time]         { return Chan[time.Time]{c: t.c} }
func (t *nativeTimer) Stop() bool                 { return t.t.Stop() }
func (t *nativeTimer) Reset(d time.Duration) bool { return t.t.Reset(d) }

func (native) NewTicker(d time.Duration) Ticker {
	t := &nativeTicker{c: &nativeChan{ch: make(chan any, 1), label: "ticker"}, stop: make(chan struct{})}
	tk := time.NewTicker(d)
	go func() {
		defer tk.Stop()
		for {
			select {
			case now := <-tk.C:
				select {
				case t.c.ch <- now:
				default: // a tick nobody took is dropped, as time.Ticker does
				}
			case <-t.stop:
				return
			}
		}
	}()
	return t
}

type nativeTicker struct {
	c    *nativeChan
	stop chan struct{}
	once sync.Once
}

func (t *nativeTicker) C() Chan[time.Time] { return Chan[time.Time]{c: t.c} }
func (t *nativeTicker) Stop()              { t.once.Do(func() { close(t.stop) }) }
