package ui

import (
	"fmt"
	"maps"
	"slices"
	"testing"
)

func TestFirstKeys(t *testing.T) {
	m := map[string]int{}
	for i := range 1000 {
		m[fmt.Sprintf("k%04d", (i*7919)%1000)] = i
	}
	all := slices.Sorted(maps.Keys(m))
	for _, n := range []int{0, 1, 80, 999, 1000, 5000} {
		got, total := firstKeys(m, n)
		if total != 1000 || !slices.Equal(got, all[:min(n, 1000)]) {
			t.Errorf("firstKeys(_, %d): %d keys, total %d", n, len(got), total)
		}
	}
}
