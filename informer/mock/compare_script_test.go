//go:build !js

package mock_test

import "time"

// A comparison script is a list of steps run in order against one server.
// Names are the script's own: namespaces ns1, ns2, ns3 become unique
// namespaces per run, "@N" in rv stands for the Nth resourceVersion the run
// anchored (@0 is the first list's, then one per create and update), and
// resources are "configmaps" or "widgets" (the example.com/v1 CR).
type step struct {
	op   string // create, update, delete, list, watch, wait, expire
	res  string // configmaps or widgets
	ns   string // ns1, ns2, ns3, or "" for all namespaces
	name string
	// labels and content are the object's labels and its data (ConfigMap)
	// or spec (Widget), "k=v,k=v".
	labels, content string
	// tick marks an object outside the run: it carries no run label, so no
	// all-namespace request of the run selects it. It only moves the
	// server's resourceVersion (see the bookmark rule in compare_test.go).
	tick bool
	// rv, on an update, makes it conditional on that resourceVersion
	// ("@N"); without it the update overwrites unconditionally.
	rv   string
	opts reqOpts
}

// reqOpts are the list and watch options a step sets.
type reqOpts struct {
	labelSelector, fieldSelector string
	rv, rvMatch                  string
	limit                        int64
	bookmarks                    bool
	sendInitialEvents            bool
	timeout                      time.Duration // watch timeoutSeconds
	// untilInitialEnd stops a watch after the initial-events-end bookmark
	// instead of waiting for the server to close it.
	untilInitialEnd bool
}

// watchTimeout is short: every plain watch of a script runs concurrently
// and the real server closes them all after it, sending each one bookmark
// about 2 s before (see the bookmark rule).
const watchTimeout = 4 * time.Second

type script struct {
	name  string // testdata file name
	steps []step
}

var compareScripts = []script{
	{name: "configmaps", steps: []step{
		{op: "list", res: "configmaps"}, // anchors @0
		{op: "create", res: "configmaps", ns: "ns1", name: "cm-a", labels: "app=web", content: "v=1"},
		{op: "create", res: "configmaps", ns: "ns1", name: "cm-b", labels: "app=db", content: "v=1"},
		{op: "create", res: "configmaps", ns: "ns2", name: "cm-c", labels: "app=web", content: "v=1"},
		{op: "update", res: "configmaps", ns: "ns1", name: "cm-a", labels: "app=web,tier=front", content: "v=2"},
		{op: "delete", res: "configmaps", ns: "ns1", name: "cm-b"},
		{op: "create", res: "configmaps", ns: "ns1", name: "cm-d", labels: "app=web", content: "v=1"},
		// cm-a leaves the app=web selector, cm-e enters it.
		{op: "update", res: "configmaps", ns: "ns1", name: "cm-a", labels: "app=old,tier=front", content: "v=3"},
		{op: "create", res: "configmaps", ns: "ns1", name: "cm-e", labels: "app=db", content: "v=1"},
		{op: "update", res: "configmaps", ns: "ns1", name: "cm-e", labels: "app=web", content: "v=2"},
		{op: "create", res: "configmaps", ns: "ns2", name: "cm-f", labels: "app=db", content: "v=1"},

		{op: "list", res: "configmaps", ns: "ns1"},
		{op: "list", res: "configmaps", ns: "ns1", opts: reqOpts{limit: 2}},
		{op: "list", res: "configmaps", opts: reqOpts{labelSelector: "app=web"}},
		{op: "list", res: "configmaps", opts: reqOpts{fieldSelector: "metadata.namespace=ns2"}},
		{op: "list", res: "configmaps", ns: "ns1", opts: reqOpts{fieldSelector: "metadata.name=cm-d"}},
		{op: "list", res: "configmaps", ns: "ns1", opts: reqOpts{labelSelector: "app in (web,db),tier!=front"}},
		{op: "list", res: "configmaps", ns: "ns1", opts: reqOpts{fieldSelector: "data.v=1"}},
		{op: "list", res: "configmaps", ns: "ns1", opts: reqOpts{rv: "0"}},
		{op: "list", res: "configmaps", ns: "ns1", opts: reqOpts{rv: "@3", rvMatch: "Exact"}},
		{op: "list", res: "configmaps", ns: "ns1", opts: reqOpts{rv: "@3", rvMatch: "NotOlderThan"}},
		{op: "list", res: "configmaps", ns: "ns1", opts: reqOpts{rv: "@3", rvMatch: "Exact", limit: 1}},

		// Watches that begin with the current state, each stopped at its
		// initial-events-end bookmark. The real server sends that
		// bookmark on its next bookmark tick (up to ~1.25 s later), so no
		// write may happen meanwhile: it could come first.
		{op: "watch", res: "configmaps", ns: "ns1", opts: reqOpts{sendInitialEvents: true, rvMatch: "NotOlderThan",
			bookmarks: true, timeout: watchTimeout, untilInitialEnd: true}},
		{op: "watch", res: "configmaps", opts: reqOpts{sendInitialEvents: true, rvMatch: "NotOlderThan", labelSelector: "app=web",
			bookmarks: true, timeout: watchTimeout, untilInitialEnd: true}},
		{op: "watch", res: "configmaps", ns: "ns1", opts: reqOpts{sendInitialEvents: true, rvMatch: "NotOlderThan", rv: "@3",
			bookmarks: true, timeout: watchTimeout, untilInitialEnd: true}},
		{op: "watch", res: "configmaps", ns: "ns1", opts: reqOpts{rv: "0", bookmarks: true, timeout: watchTimeout, untilInitialEnd: true}},
		{op: "watch", res: "configmaps", ns: "ns1", opts: reqOpts{bookmarks: true, timeout: watchTimeout, untilInitialEnd: true}},
		{op: "wait"},

		// Watches from @0 replay the history, then see live writes.
		{op: "watch", res: "configmaps", ns: "ns1", opts: reqOpts{rv: "@0", bookmarks: true, timeout: watchTimeout}},
		{op: "watch", res: "configmaps", opts: reqOpts{rv: "@0", bookmarks: true, timeout: watchTimeout}},
		{op: "watch", res: "configmaps", ns: "ns1", opts: reqOpts{rv: "@0", labelSelector: "app=web", bookmarks: true, timeout: watchTimeout}},
		{op: "watch", res: "configmaps", ns: "ns1", opts: reqOpts{rv: "@0", fieldSelector: "metadata.name=cm-a", bookmarks: true, timeout: watchTimeout}},
		{op: "watch", res: "configmaps", opts: reqOpts{rv: "@0", fieldSelector: "metadata.namespace=ns2", bookmarks: true, timeout: watchTimeout}},
		{op: "watch", res: "configmaps", ns: "ns1", opts: reqOpts{rv: "@0", timeout: watchTimeout}},
		{op: "watch", res: "configmaps", ns: "ns1", opts: reqOpts{rv: "@5", bookmarks: true, timeout: watchTimeout}},
		{op: "update", res: "configmaps", ns: "ns1", name: "cm-d", labels: "app=web", content: "v=2"},
		{op: "delete", res: "configmaps", ns: "ns1", name: "cm-e"},
		{op: "create", res: "configmaps", ns: "ns2", name: "cm-g", labels: "app=web", content: "v=1"},
		{op: "create", res: "configmaps", ns: "ns3", name: "tick", tick: true},
		{op: "wait"},
	}},
	{name: "expired", steps: []step{
		{op: "list", res: "widgets", ns: "ns1"}, // anchors @0
		{op: "create", res: "widgets", ns: "ns1", name: "w-1", labels: "app=web", content: "size=1"},
		{op: "create", res: "widgets", ns: "ns1", name: "w-2", labels: "app=db", content: "size=1"},
		// Custom resources refuse an update without a resourceVersion;
		// ConfigMaps take it (the configmaps script's updates are such).
		{op: "update", res: "widgets", ns: "ns1", name: "w-1", labels: "app=web", content: "size=2"},
		{op: "update", res: "widgets", ns: "ns1", name: "w-1", labels: "app=web", content: "size=2", rv: "@1"},
		{op: "update", res: "widgets", ns: "ns1", name: "w-1", labels: "app=web", content: "size=3", rv: "@1"},
		{op: "delete", res: "widgets", ns: "ns2", name: "w-absent"},
		{op: "create", res: "widgets", ns: "ns1", name: "w-1", labels: "app=web", content: "size=3"},
		{op: "list", res: "widgets", ns: "ns1"},
		{op: "watch", res: "widgets", ns: "ns1", opts: reqOpts{rv: "@0", bookmarks: true, timeout: watchTimeout}},
		{op: "delete", res: "widgets", ns: "ns1", name: "w-2"},
		{op: "create", res: "widgets", ns: "ns3", name: "tick", tick: true},
		{op: "wait"},
		{op: "expire"},
		{op: "watch", res: "widgets", ns: "ns1", opts: reqOpts{rv: "@0", bookmarks: true, timeout: watchTimeout}},
		{op: "watch", res: "widgets", ns: "ns1", opts: reqOpts{rv: "@3", timeout: watchTimeout}},
		{op: "wait"},
		{op: "list", res: "widgets", ns: "ns1"},
		{op: "list", res: "widgets", ns: "ns1", opts: reqOpts{rv: "@3", rvMatch: "Exact"}},
		// No exact list at @4, the last write: whether the real etcd's
		// compaction lands on it or after it (other writers) is timing.
		{op: "watch", res: "widgets", ns: "ns1", opts: reqOpts{rv: "0", bookmarks: true, timeout: watchTimeout, untilInitialEnd: true}},
		{op: "wait"},
	}},
}
