//go:build !race

package informer

// raceDetector tells whether the race detector is on.
const raceDetector = false
