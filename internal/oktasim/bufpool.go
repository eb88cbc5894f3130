package oktasim

import "sync"

// maxPooledBody is the largest body buffer kept for reuse; a rare huge
// page is left to the garbage collector rather than pinned.
const maxPooledBody = 8 << 20

// bodies recycles response buffers: a page of a thousand users or events
// is a megabyte or two, and allocating one per request made garbage
// collection a fifth of the simulator's CPU in the benchmark (issue 7).
var bodies = sync.Pool{New: func() any { return new([]byte) }}

// buffer returns an empty buffer of at least n bytes for this call's
// body, which release gives back once the response is written.
func (c *call) buffer(n int) []byte {
	if c.buf == nil {
		c.buf = bodies.Get().(*[]byte)
	}
	b := (*c.buf)[:0]
	if cap(b) < n {
		b = make([]byte, 0, n)
	}
	return b
}

// release gives the body buffer back for reuse; neither the body nor the
// buffer may be used afterwards.
func (c *call) release() {
	if c.buf == nil {
		return
	}
	if cap(c.rendered) <= maxPooledBody {
		*c.buf = c.rendered[:0]
	} else {
		*c.buf = nil
	}
	bodies.Put(c.buf)
	c.buf, c.rendered = nil, nil
}
