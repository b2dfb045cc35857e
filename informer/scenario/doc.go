// Package scenario reads and runs scenario files: small scripts that set
// up a simulated cluster (informer/mock), one shared informer with its
// handlers, what happens to the cluster at which virtual time, and what
// must hold. A scenario file is both a lesson the browser loads and a test:
// its expectations are checked in make test.
//
// One command per line; # starts a comment. The comment lines before the
// first command are the scenario's title (the first) and its description:
// what it teaches and which real confusion or bug it shows.
//
//	# Deletes are deduplicated in DeltaFIFO
//	# Why two deletes of one object reach a handler once. See ...
//	seed 7
//	queue deltafifo                 realfifo (default), realfifo-nonatomic, deltafifo
//	gate WatchListClient=false      turn a client-go gate off
//	informer plain                  NewInformerWithOptions: one handler, called inside the controller
//	resource configmaps             configmaps (default), pods, deployments, widgets
//	namespace ns1                   watch one namespace (default: all)
//	selector app=web                the informer's label selector
//	resync 30s                      the informer's default resync period
//	window 100                      watch events the server keeps
//	bookmarks 60s                   the server's bookmark interval
//	detect-mutations                turn the cache mutation detector on
//	object ns1/a app=web            exists before the informer starts
//	handler h1 resync=10s latency=50ms at=5s remove-at=9s mutates
//	at 1s create ns1/b app=web
//	at 2s update ns1/a app=db       a new revision; labels, if given, replace the old ones
//	at 3s delete ns1/a
//	at 3s recreate ns1/b            delete and create again: a new uid
//	at 4s close-watches | drop-connections | expire-next-watch | compact
//	at 4s restart 2s                the informer's API server is down for 2s and comes back
//	                                with a new watch cache; the scenario's own writes go
//	                                through another replica and still succeed
//	at 4s delay-events 500ms        watch events arrive late from now on (0 turns it off)
//	at 5s workload rate=20/s for=10s mix=create:1,update:3,delete:1 namespaces=a,b labels=app=web|app=db objects=50 burst=5
//	at 6s expect store ns1/b        checked once everything due by 6s has run
//	run 20s                         how long the scenario runs
//	expect h1 OnDelete ns1/a tombstone
//
// See Expect for every form of expectation.
package scenario
