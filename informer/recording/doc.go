// Package recording keeps the raw list/watch stream of an informer's
// session and serves it again, so that a session against a real cluster can
// be replayed offline, step by step, with the same informer behaviour.
//
// A Recorder wraps the informer's ListerWatcher and notes every call the
// Reflector makes: its options, its time since the recording began, and
// what came back (a list page, an error, or a watch's events, each with its
// time since the watch opened, and how and when the watch ended). The
// Recording is written as a versioned JSON file (file.go).
//
// A Replayer is a ListerWatcher that answers the Reflector's calls, in
// order, with the recorded ones. Its watches are SimWatches served by a
// goroutine of the runtime, which sends each event at its recorded offset
// on the runtime's clock, so on the deterministic runtime a replay is as
// stepable and as repeatable as a simulated session. It notes where the
// Reflector asks for something other than what was recorded (Diverged):
// the same informer, options and gates make the same calls.
//
// Objects are recorded as the API's JSON and replayed as
// *unstructured.Unstructured (lists as *unstructured.UnstructuredList), the
// shapes the remote ListerWatcher returns.
package recording
