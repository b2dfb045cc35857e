package scenario

import "time"

// Scenario is one parsed scenario file: a seeded simulated cluster, one
// shared informer over one resource, its handlers, what happens to the
// cluster and when, and what must be true along the way.
type Scenario struct {
	// Name is the file's base name without .txt; Title its first comment
	// line and About the comment lines after it, up to the first command:
	// what the scenario teaches and which real confusion or bug it shows.
	Name  string
	Title string
	About []string

	Seed uint64
	// Queue picks the informer's queue: RealFIFO (atomic, the v0.37
	// default), RealFIFO non-atomic, or DeltaFIFO.
	Queue QueueMode
	// Gates turn further client-go feature gates off, by name.
	Gates []string
	// Plain runs a plain informer (client-go's NewInformerWithOptions)
	// instead of a shared one: its one handler is called inside the
	// controller's processing, so a slow handler holds up the queue.
	Plain bool

	// Resource is the kind the informer watches, by resource name
	// ("configmaps", "pods", "deployments", "widgets").
	Resource string
	// Namespace, if set, limits the informer to one namespace; Selector is
	// its label selector.
	Namespace string
	Selector  string
	// Resync is the informer's default resync period.
	Resync time.Duration
	// Window is how many events the server keeps for watches from an older
	// resourceVersion; 0 is the server's default.
	Window int
	// Bookmarks is the server's bookmark interval; 0 is its default.
	Bookmarks       time.Duration
	DetectMutations bool

	// Objects exist before the informer starts.
	Objects  []Object
	Handlers []Handler
	// Actions happen at virtual times, in file order among equal times.
	Actions []Action
	Expects []Expect
	// RunFor is how long the scenario runs, in virtual time.
	RunFor time.Duration
}

// QueueMode is the informer's queue, as client-go's gates choose it.
type QueueMode int

const (
	RealFIFO          QueueMode = iota // InOrderInformers and AtomicFIFO on: the v0.37 default
	RealFIFONonAtomic                  // AtomicFIFO off
	DeltaFIFO                          // InOrderInformers off: the classic pipeline
)

var queueModeNames = []string{"realfifo", "realfifo-nonatomic", "deltafifo"}

func (m QueueMode) String() string { return queueModeNames[m] }

// Object is an object of the simulated cluster, named namespace/name (or
// just name for a cluster-scoped kind), with labels.
type Object struct {
	Line      int
	Namespace string
	Name      string
	Labels    map[string]string
}

// Key is the object's informer key: namespace/name.
func (o Object) Key() string {
	if o.Namespace == "" {
		return o.Name
	}
	return o.Namespace + "/" + o.Name
}

// Handler is one event handler of the informer.
type Handler struct {
	Line int
	Name string
	// Resync, if set, is the handler's own resync period.
	Resync *time.Duration
	// Latency is how long each call takes.
	Latency time.Duration
	// At, if Late, is when the handler is added to the running informer;
	// otherwise it is added before the informer starts.
	At   time.Duration
	Late bool
	// RemoveAt, if Removed, is when the handler is removed.
	RemoveAt time.Duration
	Removed  bool
	// Mutates makes the handler change the cached objects it is given: the
	// bug the mutation detector catches.
	Mutates bool
}

// Action is something done to the cluster at a virtual time.
type Action struct {
	Line int
	At   time.Duration
	Verb Verb
	// Object is the target of create, update, delete and recreate.
	Object Object
	// Duration is restart's downtime and delay-events' delay.
	Duration time.Duration
	Workload *Workload
	// Expect is checked at this time when Verb is VerbExpect.
	Expect *Expect
}

// Verb says what an Action does.
type Verb int

const (
	VerbCreate Verb = iota
	VerbUpdate
	VerbDelete
	// VerbRecreate deletes the object and creates it again with the same
	// name: a new uid.
	VerbRecreate
	VerbCloseWatches
	VerbDropConnections
	VerbExpireNextWatch
	VerbCompact
	VerbRestart
	VerbDelayEvents
	VerbWorkload
	VerbExpect
)

var verbNames = []string{"create", "update", "delete", "recreate", "close-watches", "drop-connections",
	"expire-next-watch", "compact", "restart", "delay-events", "workload", "expect"}

func (v Verb) String() string { return verbNames[v] }

// Workload is a seeded stream of creates, updates and deletes.
type Workload struct {
	// Rate is operations per second of virtual time, for For.
	Rate float64
	For  time.Duration
	// Create, Update and Delete weigh the mix; an update or delete picks an
	// existing object, so with none they become creates.
	Create, Update, Delete int
	// Namespaces are where objects are created; Labels the label sets they
	// get, one picked at random for each.
	Namespaces []string
	Labels     []map[string]string
	// Objects caps how many objects the workload keeps alive: at the cap, a
	// create becomes a delete.
	Objects int
	// Burst is how many operations happen at each tick (default 1); the
	// ticks then come Burst/Rate apart.
	Burst int
}
