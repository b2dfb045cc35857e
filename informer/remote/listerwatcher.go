package remote

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/watch"
)

// Options says which resource to list and watch, and where.
type Options struct {
	// BaseURL is where the API is served: the proxy's path, such as
	// "http://127.0.0.1:8080/cluster" natively or "/cluster" in the page
	// (the browser resolves it against the page's address). Request paths
	// (/api/v1/..., /apis/...) are appended to it.
	BaseURL string
	// Resource is the resource to list and watch; Group "" is the core
	// group (/api/v1).
	Resource schema.GroupVersionResource
	// Namespace narrows a namespaced resource to one namespace; "" is all
	// namespaces (or a cluster-scoped resource).
	Namespace string
	// LabelSelector and FieldSelector, when set, replace the ones in the
	// Reflector's options on every call, as client-go's
	// NewFilteredListWatchFromClient does.
	LabelSelector string
	FieldSelector string
	// Client makes the requests natively; nil is http.DefaultClient. It
	// must not time out whole requests (http.Client.Timeout), or long
	// watches end early; each watch asks the server for its own timeout.
	// In the browser requests go through the Fetch API (see Do).
	Client *http.Client
}

// ListerWatcher lists and watches one resource over HTTP. It satisfies
// package informer's ListerWatcher and ListerWatcherWithContext (and
// client-go's), structurally: lists are *unstructured.UnstructuredList,
// watches are plain watches whose ResultChan is a Go channel, which the
// Reflector bridges on the native runtime.
//
// It does not say IsWatchListSemanticsUnSupported: a real kube-apiserver
// serves streaming lists, so a v0.37 Reflector tries one first.
type ListerWatcher struct {
	opts     Options
	base     *url.URL
	resource string // the path of the collection, after the base
	client   *http.Client
}

// New returns a ListerWatcher for opts, or an error when the base URL or
// the resource cannot make a request path.
func New(opts Options) (*ListerWatcher, error) {
	if opts.Resource.Version == "" || opts.Resource.Resource == "" {
		return nil, fmt.Errorf("remote: resource %q needs a version and a resource name", opts.Resource.String())
	}
	base, err := url.Parse(strings.TrimSuffix(opts.BaseURL, "/"))
	if err != nil {
		return nil, fmt.Errorf("remote: base URL %q: %w", opts.BaseURL, err)
	}
	return &ListerWatcher{opts: opts, base: base, resource: collectionPath(opts.Resource, opts.Namespace), client: opts.Client}, nil
}

// collectionPath is the API path of gvr's collection in ns: the core group
// lives under /api, every other group under /apis/GROUP.
func collectionPath(gvr schema.GroupVersionResource, ns string) string {
	p := "/apis/" + gvr.Group + "/" + gvr.Version
	if gvr.Group == "" {
		p = "/api/" + gvr.Version
	}
	if ns != "" {
		p += "/namespaces/" + ns
	}
	return p + "/" + gvr.Resource
}

// URL is the request URL of a list or watch with options.
func (lw *ListerWatcher) URL(options metav1.ListOptions) (string, error) {
	if lw.opts.LabelSelector != "" {
		options.LabelSelector = lw.opts.LabelSelector
	}
	if lw.opts.FieldSelector != "" {
		options.FieldSelector = lw.opts.FieldSelector
	}
	q, err := metav1.ParameterCodec.EncodeParameters(&options, metav1.SchemeGroupVersion)
	if err != nil {
		return "", fmt.Errorf("remote: encoding list options: %w", err)
	}
	u := *lw.base
	u.Path = path.Join(u.Path, lw.resource)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// List lists without a context.
//
// Deprecated: use ListWithContext.
func (lw *ListerWatcher) List(options metav1.ListOptions) (runtime.Object, error) {
	return lw.ListWithContext(context.Background(), options)
}

// ListWithContext makes one LIST request and returns its page. It does not
// page by itself: the Reflector does, through options.Limit and
// options.Continue.
func (lw *ListerWatcher) ListWithContext(ctx context.Context, options metav1.ListOptions) (runtime.Object, error) {
	options.Watch = false
	resp, err := lw.get(ctx, options)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		// Cut off mid-body: client-go's transformResponse says the same.
		return nil, fmt.Errorf("unexpected error when reading response body. Please retry. Original error: %w", err)
	}
	list := &unstructured.UnstructuredList{}
	if err := list.UnmarshalJSON(body); err != nil {
		return nil, &DecodeError{URL: resp.Request.URL.String(), ContentType: resp.Header.Get("Content-Type"), Err: err}
	}
	return list, nil
}

// Watch watches without a context.
//
// Deprecated: use WatchWithContext.
func (lw *ListerWatcher) Watch(options metav1.ListOptions) (watch.Interface, error) {
	return lw.WatchWithContext(context.Background(), options)
}

// WatchWithContext opens a watch. The watch lasts until the server ends it
// (timeoutSeconds), the stream breaks, ctx ends, or Stop is called; any of
// them closes ResultChan.
func (lw *ListerWatcher) WatchWithContext(ctx context.Context, options metav1.ListOptions) (watch.Interface, error) {
	options.Watch = true
	resp, err := lw.get(ctx, options)
	if err != nil {
		return nil, err
	}
	return newStreamWatch(resp.Body), nil
}

// get sends the GET and returns a 200 response, or the error client-go's
// REST client would return for what came back.
func (lw *ListerWatcher) get(ctx context.Context, options metav1.ListOptions) (*http.Response, error) {
	u, err := lw.URL(options)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("remote: %w", err)
	}
	// JSON only: apimachinery's protobuf and CBOR decoders would need
	// the typed schemes, and unstructured objects decode from JSON.
	req.Header.Set("Accept", "application/json")
	resp, err := Do(lw.client, req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode == http.StatusOK {
		return resp, nil
	}
	defer resp.Body.Close()
	return nil, responseError(resp, schema.GroupResource{Group: lw.opts.Resource.Group, Resource: lw.opts.Resource.Resource})
}

// DecodeError is a 200 response whose body is not the list asked for: the
// base URL probably does not lead to a Kubernetes API (a web page, a
// different proxy), or the body was cut.
type DecodeError struct {
	URL         string
	ContentType string
	Err         error
}

func (e *DecodeError) Error() string {
	ct := e.ContentType
	if ct == "" {
		ct = "no content type"
	}
	return fmt.Sprintf("the response from %s (%s) is not a Kubernetes list: %v", e.URL, ct, e.Err)
}

func (e *DecodeError) Unwrap() error { return e.Err }

// IsDecodeError tells whether err is, or wraps, a *DecodeError.
func IsDecodeError(err error) bool {
	var d *DecodeError
	return errors.As(err, &d)
}
