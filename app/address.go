package ui

import (
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// addressDelay is how long the cursor must rest before the address bar
// follows it. Writing the address costs a link (compressed, for an edited
// scenario), a history call and go-app's og:url update, about 5 ms in the
// page: a seek, a held arrow key or a play should not wait for it.
const addressDelay = 250 * time.Millisecond

// followAddress has the address bar show the current moment once the
// cursor has rested for addressDelay; a later move supersedes it. The
// write is dispatched in go-app's Next mode, which runs it on the UI
// goroutine without redrawing the page.
func (p *Page) followAddress() {
	ctx := p.self()
	if ctx == nil {
		return
	}
	p.addressGen++
	gen := p.addressGen
	ctx.Async(func() {
		time.Sleep(addressDelay)
		ctx.Dispatcher().Dispatch(app.Dispatch{Mode: app.Next, Source: p, Function: func(ctx app.Context) {
			if gen != p.addressGen || !p.ready || p.playing || p.busy {
				return
			}
			ctx.Page().ReplaceURL(p.momentURL(ctx))
		}})
	})
}
