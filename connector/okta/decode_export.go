package okta

import "io"

// DecodePage decodes one page body, a JSON array, exactly as the client
// does: same decoder, same options, same checks. It is exported so that a
// benchmark can time the client's own decoding apart from everything else.
func DecodePage[T any](r io.Reader) ([]T, error) {
	return decodePage[T](r)
}

// DecodeObject decodes one body holding a single JSON value into v exactly
// as the client does, for the same reason as DecodePage.
func DecodeObject[T any](r io.Reader, v *T) error {
	return decodeObject(r, v)
}
