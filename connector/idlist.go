package connector

import (
	"slices"
	"sort"
	"strings"
)

// idList is a sorted, duplicate-free list of ids packed into one string
// with an end offset per id: about 24 bytes an Okta id (20 characters),
// where a []string of separately allocated ids costs 40 and a
// map[string]bool about 90. The sets it holds (the Everyone group, every
// user) grow with the org, so their per-id cost is what sets the
// connector's memory. The zero value is empty; an idList is immutable.
type idList struct {
	data string
	ends []uint32
}

// packIDs packs sorted, duplicate-free ids.
func packIDs(sorted []string) idList {
	var b idBuilder
	b.grow(len(sorted), len(sorted)*20)
	for _, id := range sorted {
		b.add(id)
	}
	return b.list()
}

// Len returns the number of ids.
func (l idList) Len() int { return len(l.ends) }

// at returns the i-th id, a substring of the list's data (no copy).
func (l idList) at(i int) string {
	start := uint32(0)
	if i > 0 {
		start = l.ends[i-1]
	}
	return l.data[start:l.ends[i]]
}

// index returns where id is, or would be inserted, and whether it is there.
func (l idList) index(id string) (int, bool) {
	i := sort.Search(l.Len(), func(i int) bool { return l.at(i) >= id })
	return i, i < l.Len() && l.at(i) == id
}

// strings returns the ids as a slice whose elements share the list's data,
// for callers that want a []string; it costs 16 bytes an id.
func (l idList) strings() []string {
	out := make([]string, l.Len())
	for i := range out {
		out[i] = l.at(i)
	}
	return out
}

// without returns a copy of l without its i-th id.
func (l idList) without(i int) idList {
	var b idBuilder
	b.grow(l.Len()-1, len(l.data))
	for j := range l.Len() {
		if j != i {
			b.add(l.at(j))
		}
	}
	return b.list()
}

// mergeLists returns the ids of a and b together, sorted, without
// duplicates.
func mergeLists(a, b idList) idList {
	var out idBuilder
	out.grow(a.Len()+b.Len(), len(a.data)+len(b.data))
	i, j := 0, 0
	for i < a.Len() || j < b.Len() {
		switch {
		case j == b.Len() || (i < a.Len() && a.at(i) < b.at(j)):
			out.add(a.at(i))
			i++
		case i == a.Len() || b.at(j) < a.at(i):
			out.add(b.at(j))
			j++
		default:
			out.add(a.at(i))
			i, j = i+1, j+1
		}
	}
	return out.list()
}

// idBuilder collects ids into the packed form, in any order; list sorts
// them. The zero value is ready to use.
// Its data is a strings.Builder so that list hands it over without a copy;
// an idBuilder must not be copied once used.
type idBuilder struct {
	data strings.Builder
	ends []uint32
}

func (b *idBuilder) grow(ids, bytes int) {
	b.data.Grow(bytes)
	b.ends = slices.Grow(b.ends, ids)
}

// add appends id.
func (b *idBuilder) add(id string) {
	b.data.WriteString(id)
	b.ends = append(b.ends, uint32(b.data.Len()))
}

// Len returns the number of ids added.
func (b *idBuilder) Len() int { return len(b.ends) }

// list returns the ids added, sorted and without duplicates, and empties
// the builder. Ids already in order (a stored set, a merge) are copied
// once; others are sorted through a permutation of indexes, not strings.
func (b *idBuilder) list() idList {
	unsorted := idList{data: b.data.String(), ends: b.ends}
	*b = idBuilder{}
	if sortedUnique(unsorted) {
		return unsorted
	}
	order := make([]uint32, unsorted.Len())
	for i := range order {
		order[i] = uint32(i)
	}
	slices.SortFunc(order, func(i, j uint32) int {
		return strings.Compare(unsorted.at(int(i)), unsorted.at(int(j)))
	})
	var out idBuilder
	out.grow(len(order), len(unsorted.data))
	for k, i := range order {
		id := unsorted.at(int(i))
		if k > 0 && id == unsorted.at(int(order[k-1])) {
			continue
		}
		out.add(id)
	}
	return out.list()
}

// sortedUnique reports whether l's ids are in strictly increasing order.
func sortedUnique(l idList) bool {
	for i := 1; i < l.Len(); i++ {
		if l.at(i-1) >= l.at(i) {
			return false
		}
	}
	return true
}

// bits is a fixed-size bit set, one bit per id of an idList: which stored
// ids a listing saw, at an eighth of a byte each.
type bits []uint64

func newBits(n int) bits { return make(bits, (n+63)/64) }

func (s bits) set(i int)      { s[i/64] |= 1 << (i % 64) }
func (s bits) has(i int) bool { return s[i/64]&(1<<(i%64)) != 0 }

// idDiff diffs a listing against a stored set while the listing is walked:
// ids of old it saw are marked in a bit set, ids new to old are collected
// packed. Nothing is held per listed id that old already holds, so a
// re-listing that finds its set unchanged costs a bit an id.
type idDiff struct {
	old   idList
	seen  bits
	added idBuilder
}

func newIDDiff(old idList) *idDiff {
	return &idDiff{old: old, seen: newBits(old.Len())}
}

// see records id as listed and reports whether it is new to old.
func (d *idDiff) see(id string) bool {
	if i, ok := d.old.index(id); ok {
		d.seen.set(i)
		return false
	}
	d.added.add(id)
	return true
}

// missing returns the indexes in old of the ids not seen.
func (d *idDiff) missing() []int {
	var out []int
	for i := range d.old.Len() {
		if !d.seen.has(i) {
			out = append(out, i)
		}
	}
	return out
}

// result returns the new set: old's ids seen, merged with the ids
// added. The diff must not be used afterwards.
func (d *idDiff) result() idList {
	added := d.added.list()
	var out idBuilder
	out.grow(d.old.Len()+added.Len(), len(d.old.data)+len(added.data))
	i, j := 0, 0
	for i < d.old.Len() || j < added.Len() {
		switch {
		case i < d.old.Len() && !d.seen.has(i):
			i++
		case j == added.Len() || (i < d.old.Len() && d.old.at(i) < added.at(j)):
			out.add(d.old.at(i))
			i++
		default:
			out.add(added.at(j))
			j++
		}
	}
	*d = idDiff{}
	return out.list()
}
