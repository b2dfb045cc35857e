package ui

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"github.com/informerscope/informerscope/informer/trace"
)

// The stages an object passes through, left to right.
var stages = []string{"server", "reflector", "queue", "indexer", "processor", "listener", "handler"}

var stageText = map[string]string{
	"server":    "API server",
	"reflector": "Reflector",
	"queue":     "Queue",
	"indexer":   "Indexer",
	"processor": "Processor",
	"listener":  "Listener",
	"handler":   "Handler",
}

// hop says which stage an event moves something from and to; from == to
// for an event within one stage, "" when it is about none.
func hop(e trace.Event) (from, to string) {
	switch e.Kind {
	case trace.ListReturned, trace.WatchEventReceived, trace.WatchOpened:
		return "server", "reflector"
	case trace.ListRequested, trace.WatchRequested:
		return "reflector", "server"
	case trace.DeltaAppended, trace.DeltaMerged, trace.TombstoneMade:
		return "reflector", "queue"
	case trace.DeltaDeduped, trace.DeltaDropped, trace.QueuePopulated, trace.QueueSynced, trace.QueueClosed:
		return "queue", "queue"
	case trace.QueuePopped, trace.QueueBatchPopped:
		return "queue", "indexer"
	case trace.StoreAdded, trace.StoreUpdated, trace.StoreDeleted, trace.StoreReplaced, trace.StoreBookmark,
		trace.IndexEntryAdded, trace.IndexEntryRemoved:
		return "indexer", "indexer"
	case trace.NotificationDistributed:
		return "indexer", "processor"
	case trace.NotificationSent:
		return "processor", "listener"
	case trace.NotificationOffered, trace.RingPushed, trace.ListenerSynced:
		return "listener", "listener"
	case trace.NotificationHandedOff, trace.HandlerStarted, trace.HandlerFinished:
		return "listener", "handler"
	case trace.ResyncTriggered:
		return "indexer", "queue"
	}
	switch e.Kind.Area() {
	case "server":
		return "server", "server"
	case "reflector":
		return "reflector", "reflector"
	}
	return "", ""
}

// renderFlow draws the pipeline with the last step's hop lit: a token
// travels from stage to stage when stepping or playing slowly. At high
// speed, or when the user prefers less motion, only the stages light.
func (p *Page) renderFlow() app.UI {
	e, ok := p.lastEvent()
	from, to := "", ""
	if ok {
		from, to = hop(e)
	}
	animate := !p.reduced && (!p.playing || rate(p.speed) > 0 && rate(p.speed) < animateBelow)
	fi, ti := indexOf(stages, from), indexOf(stages, to)
	var b htmlBuilder
	b.open("div", "id", "flow", "aria-hidden", "true", "data-from", from, "data-to", to)
	for _, st := range stages {
		cls := "stage"
		if st == from || st == to {
			cls += " lit"
		}
		b.elem("span", stageText[st], "class", cls)
	}
	// The token is a new element each step (the fragment changes with
	// the step), so its CSS animation plays again.
	if animate && fi >= 0 && ti >= 0 && fi != ti {
		step := itoa(p.tl.Cursor())
		b.elem("span", "", "class", "token", "data-step", step,
			"style", "--from: "+itoa(fi)+"; --to: "+itoa(ti)+"; animation-name: travel"+itoa(p.tl.Cursor()%2)+";")
	}
	b.close("div")
	return app.Raw(b.String())
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}
