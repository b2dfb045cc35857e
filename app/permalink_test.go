package ui

import (
	"strings"
	"testing"
)

func TestLinkRoundTrip(t *testing.T) {
	seed := uint64(42)
	for _, l := range []link{
		{Name: "bookmarks"},
		{Name: "ordering-deltafifo", Seed: &seed, Queue: "realfifo", Step: 17},
		{Src: "# mine\nseed 3\nhandler h1\nrun 5s\nat 1s create default/a\n", Step: 3},
	} {
		q := l.encode()
		back, err := parseLink(q)
		if err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		if back.encode() != q || back.Src != l.Src || back.Step != l.Step {
			t.Errorf("%q came back as %+v", q, back)
		}
		s, _, err := back.scenario()
		if err != nil {
			t.Fatal(err)
		}
		if l.Seed != nil && s.Seed != *l.Seed || l.Queue != "" && s.Queue.String() != l.Queue {
			t.Errorf("%q: the overrides did not reach the scenario: seed %d queue %s", q, s.Seed, s.Queue)
		}
	}
}

func TestBrokenLinksSayWhatIsWrong(t *testing.T) {
	for _, tc := range []struct{ query, want string }{
		{"s=no-such-lesson", `names a scenario "no-such-lesson" that this version does not have`},
		{"src=%%%", "the link's query is malformed"},
		{"src=not-deflate!", "the link's scenario text is damaged"},
		{"s=bookmarks&seed=x", `seed "x" is not a whole number`},
		{"s=bookmarks&queue=fast", `queue "fast" is not realfifo`},
		{"s=bookmarks&step=-1", `step "-1" is not a step number`},
		{"s=bookmarks&src=" + packText("run 1s"), "it should do one"},
	} {
		_, err := parseLink(tc.query)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("parseLink(%q) = %v, want an error containing %q", tc.query, err, tc.want)
		}
	}
	// A link whose scenario does not parse says where.
	l, err := parseLink("src=" + packText("seed 1\nfrobnicate\nrun 1s"))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := l.scenario(); err == nil || !strings.Contains(err.Error(), "edited:2: unknown command") {
		t.Errorf("a broken edited scenario: %v", err)
	}
}
