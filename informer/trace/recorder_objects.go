package trace

// ObjectCount is how many objects the recorder's table holds.
func (r *Recorder) ObjectCount() int {
	r.objs.mu.Lock()
	defer r.objs.mu.Unlock()
	return r.objs.n
}

// ObjectsFrom returns the objects from the n-th on (ObjRef n+1, n+2, ...):
// a reader that keeps its own copy of the table, as the page does, adds
// what is new instead of copying the whole table at every step.
func (r *Recorder) ObjectsFrom(n int) []Object {
	r.objs.mu.Lock()
	defer r.objs.mu.Unlock()
	if n >= r.objs.n {
		return nil
	}
	out := make([]Object, 0, r.objs.n-n)
	for i := max(n, 0); i < r.objs.n; i++ {
		out = append(out, r.objs.chunks[i/objChunk][i%objChunk])
	}
	return out
}
