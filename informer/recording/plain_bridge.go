package recording

import (
	"sync"

	"k8s.io/apimachinery/pkg/watch"

	"github.com/informerscope/informerscope/informer/sim"
)

// plainBridge copies a watch's runtime channel onto a plain Go channel,
// for consumers that are not goroutines of a runtime (client-go's own
// Reflector, a test). Only the native runtime's channels can be read from
// outside it.
type plainBridge struct {
	once sync.Once
	ch   chan watch.Event
}

func (b *plainBridge) start(rt sim.Runtime, in sim.Chan[watch.Event], stop <-chan struct{}) <-chan watch.Event {
	if rt != sim.Native() {
		panic("recording: ResultChan is a plain channel, which only the native runtime can feed; read SimResultChan")
	}
	b.once.Do(func() {
		b.ch = make(chan watch.Event)
		go func() {
			defer close(b.ch)
			for {
				ev, ok := in.Recv()
				if !ok {
					return
				}
				select {
				case b.ch <- ev:
				case <-stop:
					return
				}
			}
		}()
	})
	return b.ch
}
