package scim

// Map is an Object backed by a map from dotted path to value, for tests
// and for callers that flatten their objects once before matching many
// expressions.
type Map map[string]any

// Attr returns m[path]; a key holding nil is present but null.
func (m Map) Attr(path string) (any, bool) {
	v, ok := m[path]
	return v, ok
}
