package scenario

import (
	"strings"
	"testing"

	"github.com/informerscope/informerscope/assets"
)

// Every scenario of the library parses, says what it teaches and what it
// cites, and its expectations hold.
func TestLibrary(t *testing.T) {
	names := assets.ScenarioNames()
	if len(names) < 12 {
		t.Errorf("the library has %d scenarios, want at least 12", len(names))
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			src, _ := assets.Scenario(name)
			s, err := Parse(name, src)
			if err != nil {
				t.Fatal(err)
			}
			if got := Title(src); got != s.Title {
				t.Errorf("Title reads %q, Parse %q", got, s.Title)
			}
			if s.Title == "" || len(s.About) == 0 || !strings.Contains(strings.Join(s.About, " "), "Shows:") {
				t.Errorf("a library scenario starts with a title and says what it shows (\"Shows: ...\")")
			}
			if len(s.Expects) == 0 {
				t.Errorf("a library scenario checks something")
			}
			x := Start(s)
			failures, err := x.Run()
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range failures {
				t.Error(f)
			}
			if t.Failed() {
				t.Logf("calls:\n%s", lastLines(x.CallLog(), 40))
			}
		})
	}
}

// lastLines keeps the last n lines of s.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	if len(lines) > n {
		lines = append([]string{"..."}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "\n")
}
