package ui

import (
	"regexp"
	"testing"
)

// tagRE finds start and end tags; what is between them is text, escaped.
var tagRE = regexp.MustCompile(`<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>`)

// voidTags have no end tag.
var voidTags = map[string]bool{"input": true, "br": true, "img": true, "meta": true, "link": true, "hr": true, "wbr": true, "col": true, "source": true}

// unbalanced says where a page's HTML closes a tag it did not open, or
// leaves one open: the views write fragments by hand (htmlBuilder), and
// the browser would silently move what follows a wrong tag elsewhere.
func unbalanced(html string) string {
	var open []string
	for _, m := range tagRE.FindAllStringSubmatch(html, -1) {
		end, tag := m[1] == "/", m[2]
		switch {
		case voidTags[tag]:
		case !end:
			open = append(open, tag)
		case len(open) == 0 || open[len(open)-1] != tag:
			return "</" + tag + "> closes " + m[0] + " but open are " + fmtTags(open)
		default:
			open = open[:len(open)-1]
		}
	}
	if len(open) > 0 {
		return "left open: " + fmtTags(open)
	}
	return ""
}

func fmtTags(tags []string) string {
	s := ""
	for _, t := range tags {
		s += "<" + t + ">"
	}
	return s
}

func TestUnbalanced(t *testing.T) {
	for html, bad := range map[string]bool{
		`<div><p>a</p><input type="x"></div>`: false,
		`<div><p>a</div>`:                     true,
		`<div><span>a</span>`:                 true,
		`</p>`:                                true,
	} {
		if got := unbalanced(html) != ""; got != bad {
			t.Errorf("unbalanced(%q) = %q", html, unbalanced(html))
		}
	}
}
