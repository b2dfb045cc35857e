//go:build !js

package mock_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/informerscope/informerscope/internal/kubetest"
)

// The comparison of the simulated kube-apiserver with a real one.
//
// Each script of compareScripts runs against a real kube-apiserver v1.37.2
// (make test starts one) and prints a transcript, one line per observed
// item, with everything that differs between runs normalised away: unique
// namespace names, resourceVersion numbers (printed by their relation to
// the script's own writes), objects the script did not create. The real
// transcripts are kept in testdata/real-v1.37.2; TestRealAPIServerTranscripts
// checks the live server still prints them (a drift in the real behaviour
// or in the normalisation is noticed), and TestMockMatchesRealServer checks
// the mock prints them too, with or without a real server at hand.
//
// The bookmark rule. The real watch cache sends a plain watch (no initial
// events) a BOOKMARK about 2 s before its timeoutSeconds, and about every
// 60 s, but only when its resourceVersion has moved past the last event it
// sent that watcher; on a quiet server that depends on unrelated writes.
// The scripts make it deterministic: after the watched writes they write a
// "tick" object in ns3, which no watch selects but which moves the
// resource's watch cache, so every plain watch with allowWatchBookmarks
// gets exactly one bookmark before timeoutSeconds, at a resourceVersion
// not older than the tick. The bookmark's resourceVersion is printed as
// ">=@N", and repeated identical bookmark lines are printed once, because
// other writers to the same resource (other tests sharing the server) may
// move it further and add one. A streaming list's initial-events-end
// bookmark is immediate and compared as is; the watch is stopped right
// after it, so no timing bookmark follows.

// knownMockDiffs are the mock's differences from the real server that are
// written down in testdata/compare-diffs.md and not fixed yet, as the diff
// TestMockMatchesRealServer prints. A known difference is logged, not
// failed; any other difference, or a known one that went away, fails.
var knownMockDiffs = map[string]string{}

var rewrite = flag.Bool("rewrite", false, "rewrite testdata/real-v1.37.2 from the live real server's transcripts")

const realDir = "testdata/real-v1.37.2"

// runID makes the namespaces of one test run unique on a shared server.
func runID() string {
	return fmt.Sprintf("%x", time.Now().UnixNano()&0xffffffffff)
}

func TestRealAPIServerTranscripts(t *testing.T) {
	cfg, env := kubetest.Env(t)
	id := runID()
	for _, sc := range compareScripts {
		t.Run(sc.name, func(t *testing.T) {
			got := runScript(t, newRealServer(t, cfg, env["ETCD_URL"]), sc, id)
			path := filepath.Join(realDir, sc.name+".txt")
			if *rewrite {
				writeTranscript(t, path, sc, got)
				return
			}
			if d := diffTranscripts(readTranscript(t, path), got); d != "" {
				t.Errorf("the real server's transcript differs from %s (go test ./informer/mock -run %s -rewrite "+
					"records the new one; say why in the commit):\n%s", path, t.Name(), d)
			}
		})
	}
}

func TestMockMatchesRealServer(t *testing.T) {
	id := runID()
	for _, sc := range compareScripts {
		t.Run(sc.name, func(t *testing.T) {
			path := filepath.Join(realDir, sc.name+".txt")
			want := readTranscript(t, path)
			got := runScript(t, newMockServer(t), sc, id)
			d := diffTranscripts(want, got)
			known := knownMockDiffs[sc.name]
			switch {
			case d == known && d != "":
				t.Logf("the mock differs from the real kube-apiserver as known (testdata/compare-diffs.md):\n%s", d)
			case d != "":
				t.Errorf("the mock differs from the real kube-apiserver (%s):\n%s", path, d)
			case known != "":
				t.Errorf("the known difference of script %s is gone: delete it from knownMockDiffs "+
					"and testdata/compare-diffs.md", sc.name)
			}
		})
	}
}

const transcriptHeader = "# The transcript of compare script %q against a real kube-apiserver v1.37.2.\n" +
	"# Written by go test ./informer/mock -run TestRealAPIServerTranscripts -rewrite; see compare_test.go.\n"

func writeTranscript(t *testing.T, path string, sc script, lines []string) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	text := fmt.Sprintf(transcriptHeader, sc.name) + strings.Join(lines, "\n") + "\n"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readTranscript(t *testing.T, path string) []string {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for l := range strings.SplitSeq(strings.TrimRight(string(b), "\n"), "\n") {
		if !strings.HasPrefix(l, "#") {
			lines = append(lines, l)
		}
	}
	return lines
}

// diffTranscripts prints the lines only one side has, in order, each
// marked - (want) or + (got) and numbered in want, or "" when equal.
func diffTranscripts(want, got []string) string {
	// Longest common subsequence, by dynamic programming: transcripts are
	// a few hundred lines.
	n, m := len(want), len(got)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if want[i] == got[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var b strings.Builder
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && want[i] == got[j]:
			i, j = i+1, j+1
		case j < m && (i == n || lcs[i][j+1] >= lcs[i+1][j]):
			fmt.Fprintf(&b, "%4d + %s\n", i+1, got[j])
			j++
		default:
			fmt.Fprintf(&b, "%4d - %s\n", i+1, want[i])
			i++
		}
	}
	return b.String()
}
