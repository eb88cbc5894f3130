package okta

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
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

// jsonOptions make the decoder as lenient as encoding/json was on what
// Okta never sends but a proxy might (duplicate names, invalid UTF-8,
// which becomes U+FFFD) and on names in another case, which untagged
// structs of callers rely on. Unknown names are ignored.
var jsonOptions = json.JoinOptions(
	json.MatchCaseInsensitiveNames(true),
	jsontext.AllowDuplicateNames(true),
	jsontext.AllowInvalidUTF8(true),
)

// readBufferSize is what one read from a response body asks for. The JSON
// decoder alone asks for a few KiB at a time, so a page of a thousand
// System Log events (a few MiB) took a system call per 4 KiB, the
// transport's buffer; 64 KiB cuts those calls to a sixteenth.
const readBufferSize = 64 << 10

// bodyDecoder is what one decoding reuses from the last: a read buffer and
// a JSON decoder with its own token buffer.
type bodyDecoder struct {
	br  *bufio.Reader
	dec *jsontext.Decoder
}

// noBody stands in for a body while a bodyDecoder waits in its pool, so
// that the pool holds no reference to a finished response.
var noBody = bytes.NewReader(nil)

// decoders reuses bodyDecoders, one per body in flight.
var decoders = sync.Pool{New: func() any {
	return &bodyDecoder{
		br:  bufio.NewReaderSize(noBody, readBufferSize),
		dec: jsontext.NewDecoder(noBody),
	}
}}

// decodeBody runs f with a decoder reading r, then returns the decoder to
// its pool; f must not keep it.
func decodeBody(r io.Reader, f func(*jsontext.Decoder) error) error {
	d := decoders.Get().(*bodyDecoder)
	d.br.Reset(r)
	d.dec.Reset(d.br, jsonOptions)
	err := f(d.dec)
	d.br.Reset(noBody)
	d.dec.Reset(noBody)
	decoders.Put(d)
	return err
}

// decodePage streams a JSON array into items one element at a time, with
// the options of jsonOptions. Any syntax error, truncation or trailing
// data fails the whole page and returns no items.
func decodePage[T any](r io.Reader) ([]T, error) {
	var items []T
	err := decodeBody(r, func(dec *jsontext.Decoder) error {
		if err := expectDelim(dec, '['); err != nil {
			return err
		}
		for dec.PeekKind() != ']' {
			var v T
			if err := json.UnmarshalDecode(dec, &v); err != nil {
				return fmt.Errorf("decoding item %d: %w", len(items), noEOF(err))
			}
			items = append(items, v)
		}
		if err := expectDelim(dec, ']'); err != nil {
			return err
		}
		return expectEnd(dec) // a page with trailing data is not half accepted
	})
	if err != nil {
		return nil, err
	}
	return items, nil
}

// decodeObject decodes exactly one JSON value into v.
func decodeObject[T any](r io.Reader, v *T) error {
	return decodeBody(r, func(dec *jsontext.Decoder) error {
		if err := json.UnmarshalDecode(dec, v); err != nil {
			return fmt.Errorf("decoding object: %w", noEOF(err))
		}
		return expectEnd(dec)
	})
}

// expectDelim reads the next token and wants it to be the delimiter d.
func expectDelim(dec *jsontext.Decoder, d byte) error {
	tok, err := dec.ReadToken()
	if err != nil {
		return fmt.Errorf("reading %q: %w", d, noEOF(err))
	}
	if k := tok.Kind(); k != jsontext.Kind(d) {
		return fmt.Errorf("got %v, want %q", k, d)
	}
	return nil
}

// expectEnd wants nothing but white space after the value.
func expectEnd(dec *jsontext.Decoder) error {
	if _, err := dec.ReadToken(); !errors.Is(err, io.EOF) {
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
