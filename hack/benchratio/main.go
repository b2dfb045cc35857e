// Command benchratio copies `go test -bench` output through and then prints,
// for every benchmark with "ours" and "client-go" sub-benchmarks, their
// ns/op side by side and the ratio ours / client-go.
//
//	go test -run '^$' -bench . ./informer/ | go run ./hack/benchratio
package main

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
)

// benchLine matches "BenchmarkX/sub-2   123   456.7 ns/op ..."; a benchmark
// whose op is a batch reports ns per item instead ("ns/event"), which is
// compared the same way.
var benchLine = regexp.MustCompile(`^(Benchmark[^/\s]+)/(\S+?)(?:-\d+)?\s+\d+\s.*?([\d.]+) ns/(?:op|event)`)

func main() {
	type pair struct{ ours, theirs float64 }
	pairs := map[string]*pair{}
	var order []string
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		line := sc.Text()
		fmt.Println(line)
		m := benchLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		ns, err := strconv.ParseFloat(m[3], 64)
		if err != nil {
			continue
		}
		p := pairs[m[1]]
		if p == nil {
			p = &pair{}
			pairs[m[1]] = p
			order = append(order, m[1])
		}
		switch m[2] {
		case "ours":
			p.ours = ns
		case "client-go":
			p.theirs = ns
		}
	}
	fmt.Println()
	fmt.Printf("%-32s %12s %12s %8s\n", "ours vs client-go (tracing off)", "ours ns", "client-go", "ratio")
	for _, name := range order {
		p := pairs[name]
		if p.ours == 0 || p.theirs == 0 {
			continue
		}
		fmt.Printf("%-32s %12.1f %12.1f %7.2fx\n", strings.TrimPrefix(name, "Benchmark"), p.ours, p.theirs, p.ours/p.theirs)
	}
}
