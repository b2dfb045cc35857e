package ui

import "github.com/maxence-charriere/go-app/v9/pkg/app"

// The keyboard, as a debugger's: Space plays or pauses, ←/→ step, Shift+←/→
// go to the previous or next event of the selected key, Home/End go to the
// start and the end, [ and ] change the speed, ? shows the help.

// keyAction names what a key does; "" for keys the page leaves alone.
func keyAction(key string, shift bool) string {
	switch key {
	case " ":
		return "play"
	case "ArrowRight":
		if shift {
			return "next-of-key"
		}
		return "step"
	case "ArrowLeft":
		if shift {
			return "prev-of-key"
		}
		return "back"
	case "Home":
		return "home"
	case "End":
		return "end"
	case "[":
		return "slower"
	case "]":
		return "faster"
	case "?":
		return "help"
	case "Escape":
		return "close"
	}
	return ""
}

// onKey runs a key's action, unless the user is typing in a field.
func (p *Page) onKey(ctx app.Context, e app.Event) {
	if tag := e.Get("target").Get("tagName"); tag.Truthy() {
		switch tag.String() {
		case "INPUT", "TEXTAREA", "SELECT":
			if e.Get("key").String() != "Escape" {
				return
			}
		}
	}
	action := keyAction(e.Get("key").String(), e.Get("shiftKey").Bool())
	if action == "" || e.Get("ctrlKey").Bool() || e.Get("metaKey").Bool() || e.Get("altKey").Bool() {
		return
	}
	e.PreventDefault()
	p.do(ctx, action)
}

// do runs an action by name: the keys and the buttons share it.
func (p *Page) do(ctx app.Context, action string) {
	switch action {
	case "play":
		p.togglePlay(ctx)
	case "step":
		p.pause()
		p.step(ctx)
	case "back":
		p.back(ctx)
	case "next-of-key":
		p.nextOfKey(ctx, 1)
	case "prev-of-key":
		p.nextOfKey(ctx, -1)
	case "home":
		p.home(ctx)
	case "end":
		p.end(ctx)
	case "slower":
		p.setSpeed(p.speed - 1)
	case "faster":
		p.setSpeed(p.speed + 1)
	case "help":
		p.showHelp = !p.showHelp
	case "close":
		p.showHelp, p.showEditor, p.inspect = false, false, 0
	}
}
