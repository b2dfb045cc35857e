package mock

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/internalversion"
	"k8s.io/apimachinery/pkg/apis/meta/internalversion/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/informerscope/informerscope/informer/sim"
	"github.com/informerscope/informerscope/informer/trace"
)

// listExpired is etcd's answer to a read at a compacted revision.
const listExpired = "The resourceVersion for the provided list is too old."

// list serves a LIST the way the real server decides where to read from;
// see the package doc.
func (s *Server) list(ctx context.Context, gvr schema.GroupVersionResource, ns string, opts metav1.ListOptions) (*unstructured.UnstructuredList, error) {
	l, err := s.serveList(ctx, gvr, ns, opts)
	if s.probe != nil {
		e := trace.Event{Kind: trace.ServerListServed}
		if l != nil {
			e.RV, e.Count, e.Key = l.GetResourceVersion(), len(l.Items), l.GetContinue()
		}
		s.traceRequest(e, gvr, ns, opts, err)
	}
	return l, err
}

func (s *Server) serveList(_ context.Context, gvr schema.GroupVersionResource, ns string, opts metav1.ListOptions) (*unstructured.UnstructuredList, error) {
	if err := s.refused("GET", gvr, ns, ""); err != nil {
		return nil, err
	}
	sel, err := checkOptions(opts, false)
	if err != nil {
		return nil, err
	}
	if opts.Continue != "" {
		return s.listContinue(gvr, ns, sel, opts)
	}
	rv := opts.ResourceVersion
	var want int64
	if rv != "" && rv != "0" {
		if want, err = parseRV(rv); err != nil {
			return nil, err
		}
	}
	exact := opts.ResourceVersionMatch == metav1.ResourceVersionMatchExact ||
		(opts.ResourceVersionMatch == "" && opts.Limit > 0 && want > 0)
	if want > 0 {
		if err := s.waitForRV(want); err != nil {
			return nil, err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.storeLocked(gvr)
	if err != nil {
		return nil, err
	}
	switch {
	case exact:
		// Read from "etcd" at that revision.
		state, ok := st.stateAt(want)
		if !ok {
			return nil, apierrors.NewResourceExpired(listExpired)
		}
		return page(st.kind, ns, state, want, "", opts.Limit, sel), nil
	case rv == "0":
		// From the watch cache as it is, in one page whatever the limit.
		return page(st.kind, ns, st.objects, s.rv, "", 0, sel), nil
	default:
		// "" (a consistent read) or NotOlderThan: the cache at now.
		return page(st.kind, ns, st.objects, s.rv, "", opts.Limit, sel), nil
	}
}

// listContinue serves a continued page, from the state at the token's
// resourceVersion.
func (s *Server) listContinue(gvr schema.GroupVersionResource, ns string, sel selector, opts metav1.ListOptions) (*unstructured.UnstructuredList, error) {
	if opts.ResourceVersion != "" {
		return nil, apierrors.NewBadRequest("specifying resource version is not allowed when using continue")
	}
	rv, start, err := decodeContinue(opts.Continue)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.storeLocked(gvr)
	if err != nil {
		return nil, err
	}
	if rv < 0 {
		return page(st.kind, ns, st.objects, s.rv, start, opts.Limit, sel), nil
	}
	state, ok := st.stateAt(rv)
	if !ok {
		expired := apierrors.NewResourceExpired(inconsistentContinue)
		// The token for the inconsistent remainder, as the real server
		// offers it: same start, read at "now".
		expired.ErrStatus.ListMeta.Continue = encodeContinue(-1, strings.TrimSuffix(start, "\x00"))
		return nil, expired
	}
	return page(st.kind, ns, state, rv, start, opts.Limit, sel), nil
}

// page lists state's objects in ns (all namespaces when "") that match sel,
// in key order, from the relative key start on, at most limit of them (0:
// all). The list is stamped with rv; a continue token and, for an
// unselective list, remainingItemCount say what is left.
func page(k Kind, ns string, state map[string]*unstructured.Unstructured, rv int64, start string, limit int64, sel selector) *unstructured.UnstructuredList {
	out := &unstructured.UnstructuredList{Object: map[string]any{}}
	out.SetAPIVersion(k.apiVersion())
	out.SetKind(k.Kind + "List")
	out.SetResourceVersion(strconv.FormatInt(rv, 10))
	out.Items = []unstructured.Unstructured{}
	keys := sortedKeys(state)
	var inScope []string
	for _, key := range keys {
		if k.Namespaced && ns != "" && !strings.HasPrefix(key, ns+"/") {
			continue
		}
		if relativeKey(k, ns, key) < start {
			continue
		}
		inScope = append(inScope, key)
	}
	for i, key := range inScope {
		if limit > 0 && int64(len(out.Items)) == limit {
			out.SetContinue(encodeContinue(rv, relativeKey(k, ns, inScope[i-1])))
			if sel.empty() {
				out.SetRemainingItemCount(ptrInt64(int64(len(inScope) - i)))
			}
			break
		}
		if o := state[key]; sel.matches(o) {
			out.Items = append(out.Items, *o.DeepCopy())
		}
	}
	return out
}

// checkOptions validates the options as the real server does, with
// apimachinery's own validation, and parses the selectors.
func checkOptions(opts metav1.ListOptions, isWatch bool) (selector, error) {
	sel, err := parseSelector(opts.LabelSelector, opts.FieldSelector)
	if err != nil {
		return selector{}, err
	}
	internal := &internalversion.ListOptions{
		LabelSelector: sel.labels, FieldSelector: sel.fields, Watch: isWatch,
		AllowWatchBookmarks: opts.AllowWatchBookmarks, ResourceVersion: opts.ResourceVersion,
		ResourceVersionMatch: opts.ResourceVersionMatch, TimeoutSeconds: opts.TimeoutSeconds,
		Limit: opts.Limit, Continue: opts.Continue, SendInitialEvents: opts.SendInitialEvents,
	}
	if errs := validation.ValidateListOptions(internal, true); len(errs) > 0 {
		return selector{}, apierrors.NewInvalid(schema.GroupKind{Group: metav1.GroupName, Kind: "ListOptions"}, "", errs)
	}
	return sel, nil
}

// parseRV parses a resourceVersion parameter; a bad one is the real
// server's 400.
func parseRV(rv string) (int64, error) {
	n, err := strconv.ParseUint(rv, 10, 63)
	if err != nil {
		return 0, apierrors.NewBadRequest(fmt.Sprintf("invalid resource version: %v", field.Invalid(field.NewPath("resourceVersion"), rv, err.Error())))
	}
	return int64(n), nil
}

// waitForRV waits, on the runtime's clock, until the server has reached
// resourceVersion want, for at most tooLargeWait; then it fails as the
// watch cache does, with 504 and the ResourceVersionTooLarge cause that
// client-go's reflector recognises.
func (s *Server) waitForRV(want int64) error {
	deadline := s.rt.Now().Add(tooLargeWait)
	for {
		bell := sim.NewChan[struct{}](s.rt, "apiserver resourceVersion wait", 1)
		s.mu.Lock()
		cur := s.rv
		left := deadline.Sub(s.rt.Now())
		if cur >= want || left <= 0 {
			s.mu.Unlock()
			if cur >= want {
				return nil
			}
			return tooLargeRV(want, cur)
		}
		s.rvWaiters = append(s.rvWaiters, bell)
		s.mu.Unlock()
		timer := s.rt.NewTimer(left)
		s.rt.Select(true, bell.RecvCase(), timer.C().RecvCase())
		timer.Stop()
	}
}

func tooLargeRV(want, cur int64) error {
	err := apierrors.NewTimeoutError(fmt.Sprintf("Too large resource version: %d, current: %d", want, cur), 1)
	err.ErrStatus.Details.Causes = []metav1.StatusCause{{Type: metav1.CauseTypeResourceVersionTooLarge, Message: "Too large resource version"}}
	return err
}

func ptrInt64(v int64) *int64 { return &v }
