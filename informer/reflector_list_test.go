package informer

// The Reflector's list rules: which resourceVersion and limit each list
// asks for, from client-go's reflector_test.go. Each relist here is forced
// by a watch that ends with an Expired event.

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
)

// relistRig is a rig whose every watch expires at once, so that the
// Reflector keeps relisting; listFn answers the lists.
func relistRig(t *testing.T, listFn func(opts metav1.ListOptions) (runtime.Object, error)) *reflRig {
	g := newReflRig(t, rigOptions{})
	g.lw.listFn = listFn
	g.lw.watchFn = func(metav1.ListOptions) watchScript {
		return watchScript{steps: instantly(evError(expiredErr()))}
	}
	return g
}

// listCalls returns the LIST calls served, as strings.
func (g *reflRig) listCalls() []string {
	var out []string
	for _, c := range g.lw.log() {
		if strings.HasPrefix(c, "LIST") {
			out = append(out, c)
		}
	}
	return out
}

func (g *reflRig) runUntilLists(n int) {
	g.t.Helper()
	g.runUntil(func() bool { return len(g.listCalls()) >= n })
}

func pods(n int) []*metav1.PartialObjectMetadata {
	out := make([]*metav1.PartialObjectMetadata, n)
	for i := range out {
		out[i] = obj(fmt.Sprintf("pod-%d", i), fmt.Sprint(i))
	}
	return out
}

// TestReflectorNotPaginatingNotConsistentReads: a relist at a
// resourceVersion other than "" and "0" asks for no limit, so the watch
// cache can serve it.
func TestReflectorNotPaginatingNotConsistentReads(t *testing.T) {
	g := relistRig(t, func(metav1.ListOptions) (runtime.Object, error) { return lwList("10", pods(10)...), nil })
	g.start()
	g.runUntilLists(2)
	if got, want := g.listCalls(), []string{`LIST rv="0" limit=500`, `LIST rv="10" limit=0`}; !slices.Equal(got, want) {
		t.Errorf("lists %v, want %v", got, want)
	}
	g.stopAndDrain()
}

// TestReflectorPaginatingNonConsistentReadsIfWatchCacheDisabled: once the
// initial list at "0" came back in pages (the watch cache is off), relists
// page too.
func TestReflectorPaginatingNonConsistentReadsIfWatchCacheDisabled(t *testing.T) {
	all := pods(10)
	g := relistRig(t, func(opts metav1.ListOptions) (runtime.Object, error) {
		switch opts.Continue {
		case "":
			return lwPage("10", "C1", all[0:4]...), nil
		case "C1":
			return lwPage("10", "C2", all[4:8]...), nil
		default:
			return lwPage("10", "", all[8:]...), nil
		}
	})
	g.start()
	g.runUntilLists(6)
	want := []string{
		`LIST rv="0" limit=500`, `LIST rv="" limit=500 continue="C1"`, `LIST rv="" limit=500 continue="C2"`,
		`LIST rv="10" limit=500`, `LIST rv="" limit=500 continue="C1"`, `LIST rv="" limit=500 continue="C2"`,
	}
	if got := g.listCalls(); !slices.Equal(got, want) {
		t.Errorf("lists %v, want %v", got, want)
	}
	if n := len(g.store.(Store).List()); n != 10 {
		t.Errorf("%d items", n)
	}
	g.stopAndDrain()
}

// TestReflectorResyncWithResourceVersion: the relist asks for the last
// resourceVersion, never going back in time.
func TestReflectorResyncWithResourceVersion(t *testing.T) {
	all := pods(8)
	g := relistRig(t, func(opts metav1.ListOptions) (runtime.Object, error) {
		if opts.ResourceVersion == "0" {
			return lwList("10", all[:4]...), nil
		}
		return lwList("11", all...), nil
	})
	g.start()
	g.runUntilLists(2)
	if got, want := g.listCalls(), []string{`LIST rv="0" limit=500`, `LIST rv="10" limit=0`}; !slices.Equal(got, want) {
		t.Errorf("lists %v, want %v", got, want)
	}
	g.runUntil(func() bool { return g.r.LastSyncResourceVersion() == "11" })
	if n := len(g.store.(Store).List()); n != 8 {
		t.Errorf("%d items", n)
	}
	g.stopAndDrain()
}

// TestReflectorExpiredExactResourceVersion: a relist at an expired
// resourceVersion is retried at once from "".
func TestReflectorExpiredExactResourceVersion(t *testing.T) {
	all := pods(8)
	g := relistRig(t, func(opts metav1.ListOptions) (runtime.Object, error) {
		switch opts.ResourceVersion {
		case "0":
			return lwList("10", all[:4]...), nil
		case "10":
			return nil, expiredErr()
		default:
			return lwList("11", all...), nil
		}
	})
	g.start()
	g.runUntilLists(3)
	if got, want := g.listCalls(), []string{`LIST rv="0" limit=500`, `LIST rv="10" limit=0`, `LIST rv="" limit=0`}; !slices.Equal(got, want) {
		t.Errorf("lists %v, want %v", got, want)
	}
	g.stopAndDrain()
}

// TestReflectorFullListIfExpired: when a continuation page expires, the
// pager lists everything at once at the resourceVersion first asked for.
func TestReflectorFullListIfExpired(t *testing.T) {
	all := pods(8)
	g := relistRig(t, func(opts metav1.ListOptions) (runtime.Object, error) {
		switch fmt.Sprintf("%s/%s/%d", opts.ResourceVersion, opts.Continue, opts.Limit) {
		case "0//4":
			return lwList("10", all[:4]...), nil
		case "10//4":
			return lwPage("11", "C1", all[:4]...), nil
		case "/C1/4":
			return nil, expiredErr()
		case "10//0":
			return lwList("11", all...), nil
		}
		return nil, fmt.Errorf("unexpected list options %+v", opts)
	})
	g.r.WatchListPageSize = 4
	g.start()
	g.runUntilLists(4)
	want := []string{`LIST rv="0" limit=4`, `LIST rv="10" limit=4`, `LIST rv="" limit=4 continue="C1"`, `LIST rv="10" limit=0`}
	if got := g.listCalls(); !slices.Equal(got[:4], want) {
		t.Errorf("lists %v, want %v", got, want)
	}
	g.runUntil(func() bool { return g.r.LastSyncResourceVersion() == "11" })
	if n := len(g.store.(Store).List()); n != 8 {
		t.Errorf("%d items", n)
	}
	g.stopAndDrain()
}

// TestReflectorFullListIfTooLarge: each form of the "too large resource
// version" error (the status cause, the 1.17-1.18.5 cause message, the
// older message) makes the relist start over from "".
func TestReflectorFullListIfTooLarge(t *testing.T) {
	version := 30
	g := relistRig(t, func(opts metav1.ListOptions) (runtime.Object, error) {
		switch opts.ResourceVersion {
		case "0":
			return lwList("20"), nil
		case "20":
			err := apierrors.NewTimeoutError("too large resource version", 1)
			err.ErrStatus.Details.Causes = []metav1.StatusCause{{Type: metav1.CauseTypeResourceVersionTooLarge}}
			return nil, err
		case "30":
			err := apierrors.NewTimeoutError("too large resource version", 1)
			err.ErrStatus.Details.Causes = []metav1.StatusCause{{Message: "Too large resource version"}}
			return nil, err
		case "40":
			return nil, apierrors.NewTimeoutError("Too large resource version", 1)
		case "":
			rv := fmt.Sprint(version)
			version += 10
			return lwList(rv), nil
		}
		return nil, fmt.Errorf("unexpected list at %q", opts.ResourceVersion)
	})
	g.start()
	g.runUntilLists(7)
	var rvs []string
	for _, c := range g.lw.callsCopy() {
		if c.verb == "LIST" {
			rvs = append(rvs, c.opts.ResourceVersion)
		}
	}
	if want := []string{"0", "20", "", "30", "", "40", ""}; !slices.Equal(rvs[:7], want) {
		t.Errorf("list resourceVersions %q, want %q", rvs, want)
	}
	g.stopAndDrain()
}

// TestReflectorRelistReplacesTheStore ports client-go's
// TestReflectorReplacesStoreOnUnsafeDelete: after a 500 StoreReadError
// event, the relist's Replace removes the object the server unsafely
// deleted and keeps the others.
func TestReflectorRelistReplacesTheStore(t *testing.T) {
	g := newReflRig(t, rigOptions{})
	existing := []*metav1.PartialObjectMetadata{obj("foo-1", "1"), obj("foo-2", "2"), obj("foo-3", "3")}
	g.lw.lists = []listReply{{list: lwList("3", existing...)}, {list: lwList("5", existing...)}}
	corrupt := &metav1.Status{Status: metav1.StatusFailure, Code: 500, Reason: metav1.StatusReasonStoreReadError,
		Message: "failed to prepare current and previous objects: corrupt object has been deleted"}
	g.lw.watches = []watchScript{{steps: instantly(evAdded(obj("foo", "4")), evStatus(corrupt))}}
	g.start()
	g.runUntil(func() bool { return g.r.LastSyncResourceVersion() == "4" })
	if got := g.storeKeys(); got != "foo@4 foo-1@1 foo-2@2 foo-3@3" {
		t.Errorf("store before the relist: %s", got)
	}
	g.runUntil(func() bool { return g.r.LastSyncResourceVersion() == "5" })
	if got := g.storeKeys(); got != "foo-1@1 foo-2@2 foo-3@3" {
		t.Errorf("store after the relist: %s", got)
	}
	g.stopAndDrain()
}

// evStatus is an Error event carrying status as is.
func evStatus(status *metav1.Status) watch.Event {
	return watch.Event{Type: watch.Error, Object: status}
}
