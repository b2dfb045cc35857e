//go:build !js

package remote_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/informerscope/informerscope/informer"
	"github.com/informerscope/informerscope/informer/trace"
	"github.com/informerscope/informerscope/internal/kubetest"
)

// Faults on a private kube-apiserver (they would disturb the shared one):
// connections cut between the proxy and the cluster while it changes, a
// 410 on the widgets' watch, and a restart of kube-apiserver mid-watch.
// After each, the informer converges to the server's list with nothing
// lost and no phantom object (indexer and handler calls both equal the
// server's list), and its trace shows the relist.
func TestInformerThroughTheProxyFaults(t *testing.T) {
	priv := kubetest.StartPrivate(t)
	r := newLiveRig(t, priv.Config)
	r.ensureWidgets()
	cms, widgets := r.writer(configMapsGVR), r.writer(widgetsGVR)
	for i := range 3 {
		cms.create(fmt.Sprintf("pre-%d", i), true)
		widgets.create(fmt.Sprintf("pre-%d", i), true)
	}
	// Each fault gets informers of its own: the Reflector's backoff
	// (as client-go's: 0.8 s doubling, reset after 2 min quiet) grows
	// with every failure, and would make each later fault slower to heal.
	var cmInf, wInf *liveInformer
	fresh := func(t *testing.T) {
		cmInf = r.informerFor(t, configMapsGVR, informer.FeatureGates{})
		wInf = r.informerFor(t, widgetsGVR, informer.FeatureGates{DisableWatchListClient: true})
	}
	both := func(t *testing.T, phase string) {
		t.Helper()
		cmInf.converges(t, cms, phase+" (configmaps)", 45*time.Second)
		wInf.converges(t, widgets, phase+" (widgets)", 45*time.Second)
	}
	relisted := func(t *testing.T, li *liveInformer, mark int, phase string) {
		t.Helper()
		k := li.kinds(mark)
		if k[trace.ListAndWatchStarted] == 0 || k[trace.ListRequested]+k[trace.TemporaryStoreCreated] == 0 {
			t.Errorf("%s: the trace shows no relist: %v", phase, k)
		}
	}

	t.Run("dropped connections", func(t *testing.T) {
		fresh(t)
		both(t, "the initial list")
		markC, markW := cmInf.rec.Len(), wInf.rec.Len()
		// Break every stream and keep the cluster unreachable while it
		// changes: the informers' watches end, their re-watches fail
		// (503 from the proxy), and what changed meanwhile comes back
		// through a relist, deletes as tombstones.
		r.door.cut(true)
		cms.create("drop-0", false)
		cms.update("pre-0", "while cut")
		cms.remove("pre-1")
		widgets.create("drop-0", false)
		widgets.remove("pre-1")
		time.Sleep(1500 * time.Millisecond)
		r.door.setShut(false)
		both(t, "dropped connections")
		relisted(t, cmInf, markC, "configmaps")
		relisted(t, wInf, markW, "widgets")
		if k := cmInf.kinds(markC); k[trace.WatchEnded] == 0 {
			t.Errorf("the trace shows no watch ending: %v", k)
		}
		// A cut without the cluster unreachable: the streams break, the
		// informers watch again from where they were.
		markC = cmInf.rec.Len()
		r.door.cut(false)
		cms.create("drop-1", false)
		both(t, "a cut while the cluster stays reachable")
		if k := cmInf.kinds(markC); k[trace.WatchEnded] == 0 || k[trace.WatchRequested] == 0 {
			t.Errorf("the trace shows no re-watch after the cut: %v", k)
		}
	})

	t.Run("410 Gone", func(t *testing.T) {
		fresh(t)
		both(t, "the initial list")
		// The cuts before may have left the informer backing off before
		// a relist, which would pick up the new cache without a 410:
		// start from an open watch.
		waitUntil(t, 60*time.Second, "the widgets informer watching", wInf.watching)
		mark := wInf.rec.Len()
		// Any change of a CRD's spec replaces its resources' storage and
		// watch cache; the open watch ends and a watch from any older
		// resourceVersion is too old (the informer/mock comparison found
		// this; compacting etcd does not expire watches on v1.37.2).
		rebuildWidgetStorage(t, r)
		// The swap is asynchronous, and the old storage's watches may
		// linger: wait until a watch from an old resourceVersion is
		// refused, then break the informers' streams, so that they
		// re-watch from their last resourceVersion into the new cache.
		rv := wInf.inf.LastSyncResourceVersion()
		waitUntil(t, 20*time.Second, "the widgets' new watch cache", func() bool { return probe410(r, rv) })
		defer func() {
			if t.Failed() {
				for _, e := range wInf.rec.Events()[mark:] {
					if e.Value != "" || e.Reason != "" {
						t.Logf("%s %s rv=%s value=%q reason=%q", e.Comp, e.Kind, e.RV, e.Value, e.Reason)
					}
				}
			}
		}()
		// A re-watch that is still served by the old storage does not
		// see the 410; cut again until one does. Sometimes the old
		// storage closes the re-watch at once instead, and the informer
		// relists for a very short watch: the swap forced the relist
		// all the same, so either ends the wait.
		gone := func() bool { return wInf.mentions(mark, "too old resource version") }
		forced := func() bool { return gone() || wInf.kinds(mark)[trace.RelistNeeded] > 0 }
		for cut := 1; !forced(); cut++ {
			if cut > 4 {
				t.Fatalf("no 410 and no relist in the widgets informer's trace after %d cuts", cut-1)
			}
			r.door.cut(false)
			deadline := time.Now().Add(6 * time.Second)
			for time.Now().Before(deadline) && !forced() {
				time.Sleep(50 * time.Millisecond)
			}
		}
		t.Logf("the rebuilt watch cache answered the re-watch with a 410: %v", gone())
		widgets.create("after-410", false)
		widgets.update("pre-0", "after 410")
		both(t, "410")
		relisted(t, wInf, mark, "widgets")
	})

	t.Run("kube-apiserver restart", func(t *testing.T) {
		fresh(t)
		both(t, "the initial list")
		markC, markW := cmInf.rec.Len(), wInf.rec.Len()
		start := time.Now()
		priv.RestartAPIServer(t, func() { time.Sleep(500 * time.Millisecond) })
		t.Logf("kube-apiserver back after %v", time.Since(start).Round(100*time.Millisecond))
		cms.create("after-restart", false)
		cms.remove("pre-2")
		widgets.create("after-restart", false)
		widgets.remove("pre-2")
		both(t, "a kube-apiserver restart")
		relisted(t, cmInf, markC, "configmaps")
		relisted(t, wInf, markW, "widgets")
	})
}

// rebuildWidgetStorage changes the widgets CRD's schema description.
func rebuildWidgetStorage(t *testing.T, r *liveRig) {
	ctx := context.Background()
	crds := r.direct.Resource(crdGVR)
	for attempt := 0; ; attempt++ {
		crd, err := crds.Get(ctx, "widgets.example.com", metav1.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		versions, _, _ := unstructured.NestedSlice(crd.Object, "spec", "versions")
		v0 := versions[0].(map[string]any)
		desc := fmt.Sprintf("storage replaced at %s", time.Now().UTC().Format(time.RFC3339Nano))
		if err := unstructured.SetNestedField(v0, desc, "schema", "openAPIV3Schema", "description"); err != nil {
			t.Fatal(err)
		}
		if err := unstructured.SetNestedSlice(crd.Object, versions, "spec", "versions"); err != nil {
			t.Fatal(err)
		}
		_, err = crds.Update(ctx, crd, metav1.UpdateOptions{})
		if err == nil {
			return
		}
		if !apierrors.IsConflict(err) || attempt > 5 {
			t.Fatalf("update CRD: %v", err)
		}
	}
}

// probe410 reports whether a watch of widgets from rv is refused as too
// old, which it is once the rebuilt watch cache serves (before, it is
// within the old cache's window, and the watch just waits).
func probe410(r *liveRig, rv string) bool {
	secs := int64(1)
	w, err := r.direct.Resource(widgetsGVR).Namespace(r.ns).Watch(context.Background(), metav1.ListOptions{ResourceVersion: rv, TimeoutSeconds: &secs})
	if err != nil {
		return apierrors.IsResourceExpired(err) || apierrors.IsGone(err)
	}
	defer w.Stop()
	select {
	case ev, ok := <-w.ResultChan():
		if !ok || ev.Type != watch.Error {
			return false
		}
		e := apierrors.FromObject(ev.Object)
		return apierrors.IsResourceExpired(e) || apierrors.IsGone(e)
	case <-time.After(2 * time.Second):
		return false
	}
}

// watching tells whether the reflector's latest step is an open watch (not
// a list, a backoff or a watch being opened).
func (li *liveInformer) watching() bool {
	ev := li.rec.Events()
	for i := len(ev) - 1; i >= 0; i-- {
		switch ev[i].Kind {
		case trace.WatchOpened:
			return true
		case trace.ReflectorPhase, trace.BackoffStarted, trace.WatchEnded, trace.WatchRequested, trace.ListRequested, trace.WatchOpenFailed:
			return false
		}
	}
	return false
}
