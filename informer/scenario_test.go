package informer

// Queue scenarios are small scripts in testdata/queues/*.txt, run on our
// queues and on client-go's; both must print the expected output, and both
// must agree on HasSynced after every command. Run with -rewrite to take
// client-go's output as the new expected output (then read the diff).
//
// A file holds cases separated by blank lines. A case is:
//
//	# what it checks
//	mode deltafifo known replaced      (first command; flags as queueMode)
//	known a@1 b@1                      (preload the consumer store)
//	add a@1 / update a@2 / delete a@3  (one operation per object)
//	replace a@1 d@7 rv=10              (objects in list order)
//	resync / bookmark 12 / close
//	pop / pop-batch                    (one pop; "pop blocked" if empty)
//	pop-all / pop-batch-all            (pop until closed or empty)
//	synced / store / transformed       (print state)
//	----
//	expected output, one line per printed line

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var rewrite = flag.Bool("rewrite", false, "rewrite expected outputs of scenario files from client-go's output")

type queueScenario struct {
	line     int
	body     []string // the lines before "----", comments included
	cmds     []string
	expected []string
}

func parseQueueScenarios(t *testing.T, path string) []queueScenario {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []queueScenario
	var cur *queueScenario
	inExpected := false
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), " ")
		switch {
		case line == "":
			cur, inExpected = nil, false
			continue
		case cur == nil:
			out = append(out, queueScenario{line: n})
			cur = &out[len(out)-1]
		}
		switch {
		case inExpected:
			cur.expected = append(cur.expected, line)
		case line == "----":
			inExpected = true
		case strings.HasPrefix(line, "#"):
			cur.body = append(cur.body, line)
		default:
			cur.body = append(cur.body, line)
			cur.cmds = append(cur.cmds, line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func parseMode(fields []string) (queueMode, error) {
	var m queueMode
	for _, f := range fields {
		switch f {
		case "deltafifo":
			m.delta = true
		case "realfifo":
		case "known":
			m.known = true
		case "replaced":
			m.replaced = true
		case "atomic":
			m.atomic = true
		case "unlock":
			m.unlock = true
		case "bookmarks":
			m.bookmarks = true
		case "transform":
			m.transform = true
		default:
			return m, fmt.Errorf("unknown mode flag %q", f)
		}
	}
	return m, nil
}

// scriptRun executes script commands on one side.
type scriptRun struct {
	newSide func(queueMode) queueSide
	pool    objectPool
	s       queueSide
}

// exec runs one command and returns what it printed.
func (r *scriptRun) exec(cmd string) ([]string, error) {
	fields := strings.Fields(cmd)
	if len(fields) == 0 {
		return nil, nil
	}
	if r.s == nil && fields[0] != "mode" {
		return nil, fmt.Errorf("the first command must be mode, not %q", cmd)
	}
	var out []string
	printErr := func(err error) {
		if err != nil {
			out = append(out, "error: "+err.Error())
		}
	}
	args := fields[1:]
	objs := func(tokens []string) []any {
		list := make([]any, 0, len(tokens))
		for _, tok := range tokens {
			list = append(list, r.pool.get(tok))
		}
		return list
	}
	s := r.s
	switch fields[0] {
	case "mode":
		m, err := parseMode(args)
		if err != nil {
			return nil, err
		}
		r.s = r.newSide(m)
	case "known":
		for _, o := range objs(args) {
			s.know(o)
		}
	case "add":
		for _, o := range objs(args) {
			printErr(s.add(o))
		}
	case "update":
		for _, o := range objs(args) {
			printErr(s.update(o))
		}
	case "delete":
		for _, o := range objs(args) {
			printErr(s.delete(o))
		}
	case "replace":
		rv := ""
		if n := len(args); n > 0 && strings.HasPrefix(args[n-1], "rv=") {
			rv = strings.TrimPrefix(args[n-1], "rv=")
			args = args[:n-1]
		}
		printErr(s.replace(objs(args), rv))
	case "resync":
		printErr(s.resync())
	case "bookmark":
		printErr(s.bookmark(args[0]))
	case "close":
		s.close()
	case "pop", "pop-batch", "pop-all", "pop-batch-all":
		batch := strings.HasPrefix(fields[0], "pop-batch")
		all := strings.HasSuffix(fields[0], "-all")
		for {
			line, ok := s.pop(batch)
			if !ok {
				out = append(out, "pop blocked")
				break
			}
			out = append(out, line)
			if !all || strings.HasPrefix(line, "pop error") {
				break
			}
		}
	case "synced":
		out = append(out, fmt.Sprintf("synced=%v", s.hasSynced()))
	case "store":
		out = append(out, s.store())
	case "transformed":
		out = append(out, fmt.Sprintf("transformed %v", s.transformed()))
	default:
		return nil, fmt.Errorf("unknown command %q", cmd)
	}
	return out, nil
}

// runQueueScript runs cmds on the side newSide makes for the script's mode.
// afterEach is called after every command with the side.
func runQueueScript(cmds []string, newSide func(queueMode) queueSide, afterEach func(cmd string, s queueSide)) ([]string, error) {
	r := &scriptRun{newSide: newSide, pool: objectPool{}}
	var out []string
	for _, cmd := range cmds {
		lines, err := r.exec(cmd)
		if err != nil {
			return nil, err
		}
		out = append(out, lines...)
		if afterEach != nil {
			afterEach(cmd, r.s)
		}
	}
	return out, nil
}

func TestQueueScenarios(t *testing.T) {
	files, err := filepath.Glob("testdata/queues/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenario files: %v", err)
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			cases := parseQueueScenarios(t, path)
			for i := range cases {
				c := &cases[i]
				name := fmt.Sprintf("line%d", c.line)
				t.Run(name, func(t *testing.T) {
					ours, theirs := runBothScripts(t, c.cmds)
					if *rewrite {
						c.expected = theirs
						return
					}
					if diff := diffLines(c.expected, theirs); diff != "" {
						t.Errorf("%s:%d: client-go differs from the expected output:\n%s", path, c.line, diff)
					}
					if diff := diffLines(c.expected, ours); diff != "" {
						t.Errorf("%s:%d: ours differs from the expected output:\n%s", path, c.line, diff)
					}
				})
			}
			if *rewrite {
				writeQueueScenarios(t, path, cases)
			}
		})
	}
}

// runBothScripts runs cmds on both sides, failing the test where HasSynced
// differs after a command, and returns both outputs.
func runBothScripts(t *testing.T, cmds []string) (ours, theirs []string) {
	t.Helper()
	var ourSynced []bool
	ours, err := runQueueScript(cmds, func(m queueMode) queueSide { return newOurSide(m) },
		func(_ string, s queueSide) { ourSynced = append(ourSynced, s.hasSynced()) })
	if err != nil {
		t.Fatal(err)
	}
	i := 0
	theirs, err = runQueueScript(cmds, func(m queueMode) queueSide { return newTheirSide(m) },
		func(cmd string, s queueSide) {
			if got := s.hasSynced(); got != ourSynced[i] {
				t.Errorf("after %q: HasSynced ours=%v client-go=%v", cmd, ourSynced[i], got)
			}
			i++
		})
	if err != nil {
		t.Fatal(err)
	}
	return ours, theirs
}

func diffLines(want, got []string) string {
	if strings.Join(want, "\n") == strings.Join(got, "\n") {
		return ""
	}
	return fmt.Sprintf("want:\n  %s\ngot:\n  %s", strings.Join(want, "\n  "), strings.Join(got, "\n  "))
}

func writeQueueScenarios(t *testing.T, path string, cases []queueScenario) {
	var b strings.Builder
	for i, c := range cases {
		if i > 0 {
			b.WriteString("\n")
		}
		for _, l := range c.body {
			b.WriteString(l + "\n")
		}
		b.WriteString("----\n")
		for _, l := range c.expected {
			b.WriteString(l + "\n")
		}
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}
