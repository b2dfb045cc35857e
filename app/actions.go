package ui

import "github.com/maxence-charriere/go-app/v9/pkg/app"

// Every handler made per item of a list passes the item as the handler's
// scope: go-app keeps an element's old handler when the new one is the same
// function literal, so without it a row would act on what it showed when
// it was first drawn.
//
// Child components (the event log, the lanes, the minimap) hold only plain
// data, so that go-app, which compares a child's exported fields, skips
// the ones a step did not change. They cannot hold the page's methods, so
// their clicks go up as actions, which the page handles.
const (
	actionSeek          = "informerscope/seek"           // Value: a step
	actionStepGoroutine = "informerscope/step-goroutine" // Value: a goroutine id
)

// handleActions registers the page's handlers for its children's actions.
func (p *Page) handleActions(ctx app.Context) {
	ctx.Handle(actionSeek, func(ctx app.Context, a app.Action) {
		if i, ok := a.Value.(int); ok {
			p.pause()
			p.seek(ctx, i)
		}
	})
	ctx.Handle(actionStepGoroutine, func(ctx app.Context, a app.Action) {
		if id, ok := a.Value.(int); ok {
			p.stepGoroutine(ctx, id)
		}
	})
}
