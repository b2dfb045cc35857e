package ui

import (
	"fmt"
	"strconv"
)

// Speeds are steps per second on a log scale, from one step every four
// seconds to as many as a frame has time for (maxSpeed).
var speeds = []float64{0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024}

// maxSpeed is the level past the last of speeds: as fast as possible.
var maxSpeed = len(speeds)

const (
	defaultSpeed = 4 // 4 steps a second
	// animateBelow: at this many steps a second and more, views update
	// without tokens travelling, which would only blur.
	animateBelow = 8.0
)

// speedLabel says a speed level in words.
func speedLabel(level int) string {
	if level >= maxSpeed {
		return "as fast as possible"
	}
	r := speeds[level]
	if r < 1 {
		return fmt.Sprintf("1 step every %g s", 1/r)
	}
	return fmt.Sprintf("%g steps/s", r)
}

// rate is the steps per second of a level; 0 means as fast as possible.
func rate(level int) float64 {
	if level >= maxSpeed {
		return 0
	}
	return speeds[max(level, 0)]
}

func itoa(n int) string { return strconv.Itoa(n) }
