package mock

import (
	"encoding/base64"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// fill creates configmaps: ns1/a..e and ns0/z, rv 2..7.
func (r *rig) fill() {
	for _, n := range []string{"a", "b", "c", "d", "e"} {
		r.mustCreate(r.cms("ns1"), cm("ns1", n, nil))
	}
	r.mustCreate(r.cms("ns0"), cm("ns0", "z", nil))
}

func TestListPagesAndResourceVersions(t *testing.T) {
	r := newRig(t, Options{})
	r.fill()
	all := r.s.Resource(ConfigMaps.Resource)
	for _, tc := range []struct {
		name      string
		c         *ResourceClient
		opts      metav1.ListOptions
		items     string
		rv        string
		token     string // decoded
		remaining int64  // -1: none
	}{
		{"all namespaces in key order", all, metav1.ListOptions{}, "ns0/z ns1/a ns1/b ns1/c ns1/d ns1/e", "7", "", -1},
		{"rv '' honours limit", r.cms("ns1"), metav1.ListOptions{Limit: 2}, "ns1/a ns1/b", "7", `{"v":"meta.k8s.io/v1","rv":7,"start":"/b\u0000"}`, 3},
		{"across namespaces the token names the namespace", all, metav1.ListOptions{Limit: 2}, "ns0/z ns1/a", "7", `{"v":"meta.k8s.io/v1","rv":7,"start":"/ns1/a\u0000"}`, 4},
		{"rv 0 ignores limit", r.cms("ns1"), metav1.ListOptions{ResourceVersion: "0", Limit: 2}, "ns1/a ns1/b ns1/c ns1/d ns1/e", "7", "", -1},
		{"exact at an old rv", r.cms("ns1"), metav1.ListOptions{ResourceVersion: "3", ResourceVersionMatch: metav1.ResourceVersionMatchExact}, "ns1/a ns1/b", "3", "", -1},
		{"legacy exact: rv with a limit", r.cms("ns1"), metav1.ListOptions{ResourceVersion: "4", Limit: 2}, "ns1/a ns1/b", "4", `{"v":"meta.k8s.io/v1","rv":4,"start":"/b\u0000"}`, 1},
		{"NotOlderThan an old rv is now", r.cms("ns1"), metav1.ListOptions{ResourceVersion: "3", ResourceVersionMatch: metav1.ResourceVersionMatchNotOlderThan}, "ns1/a ns1/b ns1/c ns1/d ns1/e", "7", "", -1},
		{"legacy rv without limit is NotOlderThan", r.cms("ns1"), metav1.ListOptions{ResourceVersion: "3"}, "ns1/a ns1/b ns1/c ns1/d ns1/e", "7", "", -1},
		{"a selector: no remainingItemCount", r.cms("ns1"), metav1.ListOptions{Limit: 1, FieldSelector: "metadata.name!=a"}, "ns1/b", "7", `{"v":"meta.k8s.io/v1","rv":7,"start":"/b\u0000"}`, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, err := tc.c.List(ctx, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := names(l); got != tc.items {
				t.Errorf("items %q, want %q", got, tc.items)
			}
			if l.GetResourceVersion() != tc.rv || l.GetKind() != "ConfigMapList" || l.GetAPIVersion() != "v1" {
				t.Errorf("list rv %s kind %s apiVersion %s", l.GetResourceVersion(), l.GetKind(), l.GetAPIVersion())
			}
			for _, it := range l.Items {
				if it.GetKind() != "ConfigMap" || it.GetAPIVersion() != "v1" {
					t.Errorf("item without kind/apiVersion: %v", it.Object)
				}
			}
			token := ""
			if c := l.GetContinue(); c != "" {
				b, err := base64.RawURLEncoding.DecodeString(c)
				if err != nil {
					t.Fatal(err)
				}
				token = string(b)
			}
			if token != tc.token {
				t.Errorf("continue %s, want %s", token, tc.token)
			}
			remaining := int64(-1)
			if p := l.GetRemainingItemCount(); p != nil {
				remaining = *p
			}
			if remaining != tc.remaining {
				t.Errorf("remainingItemCount %d, want %d", remaining, tc.remaining)
			}
		})
	}
}

// A paginated list is a snapshot: later writes do not show in later pages.
func TestContinueReadsTheSnapshot(t *testing.T) {
	r := newRig(t, Options{})
	r.fill()
	c := r.cms("ns1")
	p1, err := c.List(ctx, metav1.ListOptions{Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Delete(ctx, "c", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	r.mustCreate(c, cm("ns1", "bb", nil))
	var got []string
	for token := p1.GetContinue(); token != ""; {
		p, err := c.List(ctx, metav1.ListOptions{Limit: 2, Continue: token})
		if err != nil {
			t.Fatal(err)
		}
		if p.GetResourceVersion() != "7" {
			t.Errorf("page at rv %s, want the first page's 7", p.GetResourceVersion())
		}
		got = append(got, names(p))
		token = p.GetContinue()
	}
	equalLines(t, "pages", got, []string{"ns1/c ns1/d", "ns1/e"})

	_, err = c.List(ctx, metav1.ListOptions{Limit: 2, Continue: p1.GetContinue(), ResourceVersion: "7"})
	if !apierrors.IsBadRequest(err) || err.Error() != "specifying resource version is not allowed when using continue" {
		t.Errorf("continue with a resourceVersion: %v", err)
	}
	_, err = c.List(ctx, metav1.ListOptions{Limit: 2, Continue: "garbage"})
	if !apierrors.IsBadRequest(err) {
		t.Errorf("a bad token: %v", err)
	}
}

func TestCompactExpiresExactListsAndContinueTokens(t *testing.T) {
	r := newRig(t, Options{})
	r.fill()
	c := r.cms("ns1")
	p1, err := c.List(ctx, metav1.ListOptions{Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	r.mustCreate(c, cm("ns1", "f", nil))
	r.s.Compact()

	_, err = c.List(ctx, metav1.ListOptions{Limit: 2, Continue: p1.GetContinue()})
	if !apierrors.IsResourceExpired(err) || err.Error() != inconsistentContinue {
		t.Fatalf("a continue from before Compact: %v", err)
	}
	// The error offers the inconsistent remainder, read at now.
	rest := err.(*apierrors.StatusError).ErrStatus.ListMeta.Continue
	p, err := c.List(ctx, metav1.ListOptions{Continue: rest})
	if err != nil || names(p) != "ns1/c ns1/d ns1/e ns1/f" || p.GetResourceVersion() != "8" {
		t.Errorf("the remainder: %v %v", p, err)
	}

	_, err = c.List(ctx, metav1.ListOptions{ResourceVersion: "7", ResourceVersionMatch: metav1.ResourceVersionMatchExact})
	if !apierrors.IsResourceExpired(err) || err.Error() != listExpired {
		t.Errorf("an exact list before Compact: %v", err)
	}
	if l, err := c.List(ctx, metav1.ListOptions{ResourceVersion: "8", ResourceVersionMatch: metav1.ResourceVersionMatchExact}); err != nil || l.GetResourceVersion() != "8" {
		t.Errorf("an exact list at the compaction point: %v", err)
	}
}

// The window, trimmed to its size, bounds exact lists too.
func TestWindowSizeBoundsHistory(t *testing.T) {
	r := newRig(t, Options{WindowSize: 3})
	r.fill() // rv 2..7; the window keeps 5, 6, 7: history from 4 on
	c := r.cms("ns1")
	if _, err := c.List(ctx, metav1.ListOptions{ResourceVersion: "4", ResourceVersionMatch: metav1.ResourceVersionMatchExact}); err != nil {
		t.Errorf("exact at 4: %v", err)
	}
	if _, err := c.List(ctx, metav1.ListOptions{ResourceVersion: "3", ResourceVersionMatch: metav1.ResourceVersionMatchExact}); !apierrors.IsResourceExpired(err) {
		t.Errorf("exact at 3: %v, want 410", err)
	}
}

// A read ahead of the server waits 3 s of runtime time, then fails as the
// watch cache does; a write within the wait lets it through.
func TestTooLargeResourceVersion(t *testing.T) {
	for _, opts := range []metav1.ListOptions{
		{ResourceVersion: "100", ResourceVersionMatch: metav1.ResourceVersionMatchNotOlderThan},
		{ResourceVersion: "100", ResourceVersionMatch: metav1.ResourceVersionMatchExact},
		{ResourceVersion: "100"},
	} {
		r := newRig(t, Options{})
		var err error
		r.do(func() { _, err = r.cms("ns").List(ctx, opts) })
		want := "Timeout: Too large resource version: 100, current: 1"
		if !apierrors.IsTimeout(err) || err.Error() != want || r.at() != 3*time.Second {
			t.Errorf("%+v: %v at %v, want %q at 3s", opts, err, r.at(), want)
		}
		if st := err.(*apierrors.StatusError).ErrStatus; len(st.Details.Causes) != 1 || st.Details.Causes[0].Type != metav1.CauseTypeResourceVersionTooLarge || st.Code != 504 {
			t.Errorf("status %+v", st)
		}
	}

	r := newRig(t, Options{})
	r.rt.Go("writer", func() {
		r.rt.Sleep(time.Second)
		r.mustCreate(r.cms("ns"), cm("ns", "a", nil))
	})
	var l *unstructured.UnstructuredList
	var err error
	r.do(func() {
		l, err = r.cms("ns").List(ctx, metav1.ListOptions{ResourceVersion: "2", ResourceVersionMatch: metav1.ResourceVersionMatchNotOlderThan})
	})
	if err != nil || names(l) != "ns/a" || r.at() != time.Second {
		t.Errorf("a list that the server catches up with: %v at %v", err, r.at())
	}
}

// Validation is apimachinery's own, so the answers are the real server's.
func TestListAndWatchValidation(t *testing.T) {
	r := newRig(t, Options{})
	c := r.cms("ns")
	for _, tc := range []struct {
		name  string
		watch bool
		opts  metav1.ListOptions
		code  int32
		msg   string
	}{
		{"sendInitialEvents on a list", false, metav1.ListOptions{SendInitialEvents: ptr(true), ResourceVersionMatch: metav1.ResourceVersionMatchNotOlderThan, AllowWatchBookmarks: true}, 422,
			`ListOptions.meta.k8s.io "" is invalid: [resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided, sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list]`},
		{"exact at 0", false, metav1.ListOptions{ResourceVersion: "0", ResourceVersionMatch: metav1.ResourceVersionMatchExact}, 422,
			`ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"`},
		{"a match without a resourceVersion", false, metav1.ListOptions{ResourceVersionMatch: metav1.ResourceVersionMatchNotOlderThan}, 422,
			`ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided`},
		{"an unknown field selector", false, metav1.ListOptions{FieldSelector: "data.x=1"}, 400,
			`"data.x" is not a known field selector: only "metadata.name", "metadata.namespace"`},
		{"an unknown field selector on a watch", true, metav1.ListOptions{FieldSelector: "spec.foo=1"}, 400,
			`"spec.foo" is not a known field selector: only "metadata.name", "metadata.namespace"`},
		{"a bad label selector", false, metav1.ListOptions{LabelSelector: "a===b"}, 400,
			`unable to parse requirement: found '=', expected: identifier`},
		{"a bad resourceVersion", false, metav1.ListOptions{ResourceVersion: "abc"}, 400,
			`invalid resource version: resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax`},
		{"sendInitialEvents without NotOlderThan", true, metav1.ListOptions{SendInitialEvents: ptr(true), AllowWatchBookmarks: true}, 422,
			`ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan`},
		{"Exact on a watch", true, metav1.ListOptions{ResourceVersion: "2", ResourceVersionMatch: metav1.ResourceVersionMatchExact}, 422,
			`ListOptions.meta.k8s.io "" is invalid: [resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided, resourceVersionMatch: Unsupported value: "Exact": supported values: "NotOlderThan"]`},
	} {
		var err error
		if tc.watch {
			_, err = c.Watch(ctx, tc.opts)
		} else {
			_, err = c.List(ctx, tc.opts)
		}
		st, ok := err.(apierrors.APIStatus)
		if !ok || st.Status().Code != tc.code || err.Error() != tc.msg {
			t.Errorf("%s: got %v, want %d %s", tc.name, err, tc.code, tc.msg)
		}
	}
}
