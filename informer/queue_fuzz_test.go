package informer

// Random and fuzzed differential runs: operation sequences generated from
// bytes run in lockstep on our queues and client-go's, and every command's
// output and HasSynced must agree.

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// scriptGen turns bytes into a queue script. Objects are named a..e and get
// increasing resourceVersions, as from one apiserver; a relist reuses the
// latest object of a name (the same pointer) or makes a newer one.
type scriptGen struct {
	data   []byte
	rv     int
	latest map[string]string // name -> latest token
}

func (g *scriptGen) next() (byte, bool) {
	if len(g.data) == 0 {
		return 0, false
	}
	b := g.data[0]
	g.data = g.data[1:]
	return b, true
}

func (g *scriptGen) name(b byte) string { return string(rune('a' + int(b)%5)) }

func (g *scriptGen) fresh(name string) string {
	g.rv++
	tok := fmt.Sprintf("%s@%d", name, g.rv)
	g.latest[name] = tok
	return tok
}

// genScript returns the mode and commands data encodes. The script always
// ends by closing the queue and draining it, then printing the consumer
// store and HasSynced.
func genScript(data []byte) (queueMode, []string) {
	g := &scriptGen{data: data, latest: map[string]string{}}
	b, _ := g.next()
	mode := allQueueModes[int(b)%len(allQueueModes)]
	cmds := []string{"mode " + strings.TrimPrefix(mode.String(), " ")}
	popCmd := "pop"
	if b2, ok := g.next(); ok && b2%2 == 1 && !mode.delta {
		popCmd = "pop-batch"
	}
	if b, ok := g.next(); ok && b%3 == 0 {
		// The consumer already knows some objects.
		var known []string
		for i := range int(b % 4) {
			known = append(known, g.fresh(string(rune('a'+i))))
		}
		if len(known) > 0 {
			cmds = append(cmds, "known "+strings.Join(known, " "))
		}
	}
	for len(cmds) < 60 {
		op, ok := g.next()
		if !ok {
			break
		}
		arg, _ := g.next()
		name := g.name(arg)
		switch op % 10 {
		case 0, 1:
			cmds = append(cmds, "add "+g.fresh(name))
		case 2, 3:
			cmds = append(cmds, "update "+g.fresh(name))
		case 4:
			cmds = append(cmds, "delete "+g.fresh(name))
		case 5:
			var list []string
			for i := range 5 {
				n := string(rune('a' + i))
				switch (arg >> i) & 1 {
				case 1:
					if tok, ok := g.latest[n]; ok && arg%3 != 0 {
						list = append(list, tok)
					} else {
						list = append(list, g.fresh(n))
					}
				}
			}
			g.rv++
			cmds = append(cmds, strings.TrimSpace(fmt.Sprintf("replace %s rv=%d", strings.Join(list, " "), g.rv)))
		case 6:
			cmds = append(cmds, "resync")
		case 7:
			g.rv++
			cmds = append(cmds, fmt.Sprintf("bookmark %d", g.rv))
		default:
			cmds = append(cmds, popCmd)
		}
		cmds = append(cmds, "synced")
	}
	cmds = append(cmds, "close", popCmd+"-all", "store", "synced", "transformed")
	return mode, cmds
}

// runLockstep runs cmds on both sides, command by command, and returns a
// description of the first disagreement, or "". A pop is only tried on
// client-go's queue when ours has something to pop, since client-go's Pop
// would block.
func runLockstep(cmds []string) string {
	pool := objectPool{}
	ours := &scriptRun{newSide: func(m queueMode) queueSide { return newOurSide(m) }, pool: pool}
	theirs := &scriptRun{newSide: func(m queueMode) queueSide { return newTheirSide(m) }, pool: pool}
	var log []string
	for i, cmd := range cmds {
		if (cmd == "pop" || cmd == "pop-batch") && ours.s.(*ourSide).empty() {
			log = append(log, cmd+" (skipped: empty)")
			continue
		}
		a, errA := ours.exec(cmd)
		b, errB := theirs.exec(cmd)
		if errA != nil || errB != nil {
			return fmt.Sprintf("command %d %q: errors ours=%v client-go=%v", i, cmd, errA, errB)
		}
		log = append(log, cmd)
		if strings.Join(a, "\n") != strings.Join(b, "\n") || ours.s.hasSynced() != theirs.s.hasSynced() {
			return fmt.Sprintf("after command %d %q:\n ours:      %v synced=%v\n client-go: %v synced=%v\nscript:\n  %s",
				i, cmd, a, ours.s.hasSynced(), b, theirs.s.hasSynced(), strings.Join(log, "\n  "))
		}
	}
	return ""
}

// TestQueueDifferentialRandom runs many seeded random scripts in every mode.
func TestQueueDifferentialRandom(t *testing.T) {
	runs := 150
	if testing.Short() {
		runs = 20
	}
	for m := range allQueueModes {
		t.Run(allQueueModes[m].String(), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(m), 42))
			for i := range runs {
				data := make([]byte, 2+rng.IntN(80))
				for j := range data {
					data[j] = byte(rng.UintN(256))
				}
				data[0] = byte(m) // the mode under test
				_, cmds := genScript(data)
				if d := runLockstep(cmds); d != "" {
					t.Fatalf("run %d: %s", i, d)
				}
			}
		})
	}
}

// FuzzQueueDifferential lets go test -fuzz search for operation sequences on
// which our queues and client-go's disagree. make test runs the seed corpus
// in testdata/fuzz; make fuzz searches for a bounded time.
func FuzzQueueDifferential(f *testing.F) {
	for m := range allQueueModes {
		f.Add([]byte{byte(m), 1, 3, 0, 0, 1, 1, 2, 0, 4, 1, 5, 0x1f, 8, 0, 8, 0, 6, 0, 7, 0, 8, 0})
		f.Add([]byte{byte(m), 0, 3, 4, 0, 4, 0, 5, 0x05, 8, 0, 5, 0x0a, 9, 0, 9, 1, 9, 2})
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		_, cmds := genScript(data)
		if d := runLockstep(cmds); d != "" {
			t.Fatal(d)
		}
	})
}
