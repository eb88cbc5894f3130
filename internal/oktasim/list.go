package oktasim

import (
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/okta-connector/okta-connector/internal/oktasim/scim"
)

// parseExpr parses a filter or search; a rejection becomes Okta's 400
// with the code and causes the grammar chose (API.md §2: E0000031 for
// users, groups and apps, E0000053 for the System Log).
func parseExpr(expr string, d scim.Dialect) (scim.Expr, *apiError) {
	e, err := scim.Parse(expr, d)
	if err == nil {
		return e, nil
	}
	var se *scim.Error
	if !errors.As(err, &se) {
		return nil, errInternal()
	}
	return nil, &apiError{status: 400, code: se.Code, summary: se.Summary,
		causes: se.Causes, logs: d == scim.LogFilter}
}

// scan walks items (sorted by id) from the first id after `after` and
// returns up to limit that match; more reports that the page filled and
// a next link is due. With exact, more is true only when a further match
// exists; otherwise a full page always has a next, which may lead to an
// empty page (http-exchanges.md §2).
func scan[T any](items []T, id func(T) string, after string, limit int,
	match func(T) bool, exact bool) (page []T, more bool) {
	i := sort.Search(len(items), func(i int) bool { return id(items[i]) > after })
	for ; i < len(items); i++ {
		if match != nil && !match(items[i]) {
			continue
		}
		if len(page) == limit {
			return page, true
		}
		page = append(page, items[i])
	}
	return page, len(page) == limit && !exact
}

// sortKey is the text a sortBy attribute sorts by: strings ignoring case
// (API.md §4.1: ASCII order, case-insensitive), times as Okta text,
// numbers zero-padded, missing or null first.
func sortKey(v any) string {
	switch x := v.(type) {
	case string:
		return strings.ToLower(x)
	case time.Time:
		return formatMillis(x)
	case float64:
		return fmt.Sprintf("%030.6f", x)
	case bool:
		return fmt.Sprint(x)
	case []string:
		return strings.ToLower(strings.Join(x, ","))
	}
	return ""
}

// sorted is a listing ordered by one attribute, ties by id (API.md §4.1);
// its cursor is the last item's key and id, opaque to the client.
type sortedItem[T any] struct {
	key, id string
	item    T
}

func sortedPage[T any](items []sortedItem[T], desc bool, after string,
	limit int) ([]T, string) {
	cmp := func(a, b sortedItem[T]) int {
		c := strings.Compare(a.key, b.key)
		if desc {
			c = -c
		}
		if c == 0 {
			c = strings.Compare(a.id, b.id)
		}
		return c
	}
	slices.SortFunc(items, cmp)
	start := 0
	if after != "" {
		k, id := decodeSortCursor(after)
		start = sort.Search(len(items), func(i int) bool {
			return cmp(items[i], sortedItem[T]{key: k, id: id}) > 0
		})
	}
	end := min(start+limit, len(items))
	out := make([]T, 0, end-start)
	for _, it := range items[start:end] {
		out = append(out, it.item)
	}
	next := ""
	if end-start == limit {
		last := items[end-1]
		next = base64.RawURLEncoding.EncodeToString([]byte(last.key + "\x00" + last.id))
	}
	return out, next
}

func decodeSortCursor(s string) (key, id string) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return "", s
	}
	key, id, _ = strings.Cut(string(b), "\x00")
	return key, id
}
