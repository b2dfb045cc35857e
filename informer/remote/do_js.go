//go:build js && wasm

package remote

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"syscall/js"
)

// Do sends req with the browser's Fetch API, ignoring client. net/http's
// Transport would call fetch too, but linking it brings its TLS, HTTP/2
// and dialling code into app.wasm as well, about 2 MB that every cold load
// of the page would compile and never run. Only GET without a body is
// needed here, so only that is supported.
//
// The response body streams: a watch delivers each event as it arrives.
// Cancelling req's context aborts the request or the body being read.
// A request that gets no response at all (refused, reset, blocked by the
// browser) is a *url.Error, as from net/http.
func Do(_ *http.Client, req *http.Request) (*http.Response, error) {
	if req.Body != nil && req.Body != http.NoBody {
		return nil, &url.Error{Op: req.Method, URL: req.URL.String(), Err: errors.New("a request body is not supported")}
	}
	ctx := req.Context()
	abort := js.Global().Get("AbortController").New()
	headers := js.Global().Get("Headers").New()
	for k, vs := range req.Header {
		for _, v := range vs {
			headers.Call("append", k, v)
		}
	}
	init := js.Global().Get("Object").New()
	init.Set("method", req.Method)
	init.Set("headers", headers)
	init.Set("signal", abort.Get("signal"))

	// The abort follows the context for the whole exchange, body included,
	// until the body is closed.
	done := make(chan struct{})
	var stop sync.Once
	finish := func() { stop.Do(func() { close(done) }) }
	go func() {
		select {
		case <-ctx.Done():
			abort.Call("abort")
		case <-done:
		}
	}()

	res, err := await(js.Global().Call("fetch", req.URL.String(), init))
	if err != nil {
		finish()
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		return nil, &url.Error{Op: req.Method, URL: req.URL.String(), Err: err}
	}
	status := res.Get("status").Int()
	text := res.Get("statusText").String()
	if text == "" { // HTTP/2 has no reason phrase
		text = http.StatusText(status)
	}
	header := http.Header{}
	forEach := js.FuncOf(func(_ js.Value, args []js.Value) any {
		header.Add(args[1].String(), args[0].String())
		return nil
	})
	res.Get("headers").Call("forEach", forEach)
	forEach.Release()
	length := int64(-1)
	if n, err := strconv.ParseInt(header.Get("Content-Length"), 10, 64); err == nil {
		length = n
	}
	var body io.ReadCloser = http.NoBody
	if b := res.Get("body"); b.Truthy() {
		body = &fetchBody{ctx: ctx, reader: b.Call("getReader"), finish: finish}
	} else {
		finish()
	}
	return &http.Response{
		Status:        strconv.Itoa(status) + " " + text,
		StatusCode:    status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        header,
		Body:          body,
		ContentLength: length,
		Request:       req,
	}, nil
}

// fetchBody reads a fetch response's ReadableStream, one chunk at a time.
type fetchBody struct {
	ctx    context.Context
	reader js.Value
	finish func()
	chunk  []byte // what the last read left over
	err    error
}

func (b *fetchBody) Read(p []byte) (int, error) {
	if len(b.chunk) == 0 && b.err == nil {
		r, err := await(b.reader.Call("read"))
		switch {
		case err != nil && b.ctx.Err() != nil:
			b.err = b.ctx.Err()
		case err != nil:
			b.err = fmt.Errorf("reading the response: %w", err)
		case r.Get("done").Bool():
			b.err = io.EOF
		default:
			v := r.Get("value")
			b.chunk = make([]byte, v.Get("byteLength").Int())
			js.CopyBytesToGo(b.chunk, v)
		}
		if b.err != nil {
			b.finish()
		}
	}
	if len(b.chunk) > 0 {
		n := copy(p, b.chunk)
		b.chunk = b.chunk[n:]
		return n, nil
	}
	return 0, b.err
}

// Close stops the stream, so a watch the informer leaves ends at the
// server too.
func (b *fetchBody) Close() error {
	if b.err == nil {
		b.err = errors.New("read on a closed body")
		b.reader.Call("cancel")
	}
	b.finish()
	return nil
}

// await blocks the calling goroutine until promise settles, and returns
// what it resolved to or an error with the reason it was rejected. The
// page's other goroutines, and the browser, run meanwhile.
func await(promise js.Value) (js.Value, error) {
	type settled struct {
		v   js.Value
		err error
	}
	ch := make(chan settled, 1)
	onOK := js.FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- settled{v: args[0]}
		return nil
	})
	onErr := js.FuncOf(func(_ js.Value, args []js.Value) any {
		msg := "rejected"
		if r := args[0]; r.Truthy() {
			msg = r.Call("toString").String()
		}
		ch <- settled{err: errors.New(msg)}
		return nil
	})
	promise.Call("then", onOK, onErr)
	s := <-ch
	onOK.Release()
	onErr.Release()
	return s.v, s.err
}
