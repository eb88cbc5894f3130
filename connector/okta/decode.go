package okta

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
)

// Body size caps. A page is decoded whole before it is returned, so the cap
// bounds the memory of one listing step however large the tenant; 64 MiB is
// far above a 1000-event System Log page (a few MiB).
const (
	maxPageBytes  = 64 << 20
	maxErrorBytes = 64 << 10
)

// bodyReader caps a response body and remembers a transport failure, so
// that a connection cut mid-body (worth retrying) is told apart from a body
// that arrived whole but is not valid JSON (not worth retrying).
type bodyReader struct {
	r        io.Reader
	n, limit int64
	readErr  error
	tooLarge bool
}

// Read counts bytes and records any error other than a clean end.
func (b *bodyReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.n += int64(n)
	if b.n > b.limit {
		b.tooLarge = true
		return n, ErrBodyTooLarge
	}
	if err != nil && !errors.Is(err, io.EOF) {
		b.readErr = err
	}
	return n, err
}

// readBufferSize is what one read from a response body asks for. The JSON
// decoder alone asks for the free end of its buffer, a few KiB, so a page
// of a thousand System Log events (a few MiB) took a system call per 4 KiB,
// the transport's buffer; 64 KiB cuts those calls to a sixteenth.
const readBufferSize = 64 << 10

// readers reuses the read buffers of decodePage, one per page in flight.
var readers = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, readBufferSize) }}

// decodePage streams a JSON array into items one element at a time. Any
// syntax error, truncation or trailing data fails the whole page.
func decodePage[T any](r io.Reader) ([]T, error) {
	br := readers.Get().(*bufio.Reader)
	br.Reset(r)
	defer func() {
		br.Reset(nil)
		readers.Put(br)
	}()
	dec := json.NewDecoder(br)
	if err := expectDelim(dec, '['); err != nil {
		return nil, err
	}
	var items []T
	for dec.More() {
		var v T
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("decoding item %d: %w", len(items), err)
		}
		items = append(items, v)
	}
	if err := expectDelim(dec, ']'); err != nil {
		return nil, err
	}
	if err := expectEnd(dec); err != nil {
		return nil, err // a page with trailing data is not half accepted
	}
	return items, nil
}

// decodeObject decodes exactly one JSON value into v.
func decodeObject[T any](r io.Reader, v *T) error {
	dec := json.NewDecoder(r)
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("decoding object: %w", noEOF(err))
	}
	return expectEnd(dec)
}

// expectDelim reads the next token and wants it to be the delimiter d.
func expectDelim(dec *json.Decoder, d json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return fmt.Errorf("reading %q: %w", d, noEOF(err))
	}
	if got, ok := tok.(json.Delim); !ok || got != d {
		return fmt.Errorf("got %v, want %q", tok, d)
	}
	return nil
}

// expectEnd wants nothing but white space after the value.
func expectEnd(dec *json.Decoder) error {
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("trailing data after the JSON value")
	}
	return nil
}

// noEOF turns a clean end of input inside a value into ErrUnexpectedEOF: an
// empty or cut body is a truncated page, not the end of a listing.
func noEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}
