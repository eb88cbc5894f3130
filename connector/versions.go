package connector

import (
	"encoding/json"
	"hash/fnv"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/okta-connector/okta-connector/connector/okta"
)

// versions remembers which object versions were already published, so an
// overlapping listing skips them. An entry reads
// "<id>@<lastUpdated unix ms>#<content hash>" (checkpoint.Checkpoint).
// Not safe for concurrent use.
type versions struct {
	byKey map[string]time.Time // entry → lastUpdated
}

func newVersions(entries []string) *versions {
	v := &versions{byKey: make(map[string]time.Time, len(entries))}
	for _, e := range entries {
		at, ok := versionTime(e)
		if ok {
			v.byKey[e] = at
		}
	}
	return v
}

// versionKey builds the entry of one object version.
func versionKey(id string, lastUpdated time.Time, hash string) string {
	return id + "@" + strconv.FormatInt(lastUpdated.UnixMilli(), 10) + "#" + hash
}

// versionTime reads the lastUpdated back out of an entry.
func versionTime(entry string) (time.Time, bool) {
	at := strings.IndexByte(entry, '@')
	hash := strings.LastIndexByte(entry, '#')
	if at < 0 || hash < at {
		return time.Time{}, false
	}
	ms, err := strconv.ParseInt(entry[at+1:hash], 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	return time.UnixMilli(ms).UTC(), true
}

// seen reports whether this exact version was published.
func (v *versions) seen(key string) bool {
	_, ok := v.byKey[key]
	return ok
}

// add records a published version.
func (v *versions) add(key string, lastUpdated time.Time) { v.byKey[key] = lastUpdated }

// list returns the entries worth keeping: those at or after floor (older
// ones can no longer come back from a listing that starts at floor), at
// most max of them, the newest first kept. It forgets the entries it leaves
// out, so that a full listing, which calls it once a page with a floor
// that only rises, holds a window of versions rather than every user's.
// NOTE: seen is false for a forgotten entry; call list only once seen has
// nothing more to answer, or with a floor that never moves back.
func (v *versions) list(floor time.Time, max int) []string {
	out := make([]string, 0, len(v.byKey))
	for k, at := range v.byKey {
		if at.Before(floor) {
			delete(v.byKey, k)
			continue
		}
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool {
		ai, aj := v.byKey[out[i]], v.byKey[out[j]]
		if !ai.Equal(aj) {
			return ai.After(aj)
		}
		return out[i] < out[j]
	})
	if len(out) > max {
		for _, k := range out[max:] {
			delete(v.byKey, k)
		}
		out = out[:max:max]
	}
	return out
}

// contentHash fingerprints an object as Okta sent it: equal content
// always hashes equally. Users, hashed once per user and full listing, take
// a field-by-field path (userHash) that is about ten times cheaper than
// marshalling; anything else is hashed over its JSON, where encoding/json
// sorts map keys.
func contentHash(v any) string {
	if u, ok := v.(okta.User); ok {
		return strconv.FormatUint(userHash(u), 36)
	}
	b, err := json.Marshal(v)
	if err != nil {
		// NOTE: Okta types always marshal; an empty hash only means the
		// version is published again, never skipped wrongly.
		return ""
	}
	h := fnv.New64a()
	h.Write(b)
	return strconv.FormatUint(h.Sum64(), 36)
}

// userHash is FNV-1a over every field of u, each length- or
// presence-prefixed so that no two users run together into the same bytes.
// Profile attributes are hashed one by one and summed, which makes the
// result independent of map order without sorting the keys. Times count as
// instants: the same moment in another zone hashes the same.
// NOTE: a field added to okta.User must be added here too;
// TestUserHashCoversEveryField fails until it is.
func userHash(u okta.User) uint64 {
	h := newFNV()
	h.str(u.ID)
	h.str(u.Status)
	h.time(&u.Created)
	h.time(u.Activated)
	h.time(u.StatusChanged)
	h.time(u.LastLogin)
	h.time(&u.LastUpdated)
	h.time(u.PasswordChanged)
	h.str(u.TransitioningToStatus)
	if u.Type != nil {
		h.add(1)
		h.str(u.Type.ID)
	} else {
		h.add(0)
	}
	h.str(u.RealmID)
	var attrs uint64
	for k, raw := range u.Profile {
		a := newFNV()
		a.str(k)
		a.bytes(raw)
		attrs += uint64(a)
	}
	h.u64(uint64(len(u.Profile)))
	h.u64(attrs)
	return uint64(h)
}

// fnv64 is an FNV-1a state, written out so that strings hash in place.
type fnv64 uint64

func newFNV() fnv64 { return 14695981039346656037 }

func (h *fnv64) add(c byte) { *h = (*h ^ fnv64(c)) * 1099511628211 }

func (h *fnv64) u64(v uint64) {
	for range 8 {
		h.add(byte(v))
		v >>= 8
	}
}

func (h *fnv64) str(s string) {
	h.u64(uint64(len(s)))
	for i := 0; i < len(s); i++ {
		h.add(s[i])
	}
}

func (h *fnv64) bytes(b []byte) {
	h.u64(uint64(len(b)))
	for _, c := range b {
		h.add(c)
	}
}

// time hashes presence, then the instant: seconds and nanoseconds.
func (h *fnv64) time(t *time.Time) {
	if t == nil {
		h.add(0)
		return
	}
	h.add(1)
	h.u64(uint64(t.Unix()))
	h.u64(uint64(t.Nanosecond()))
}
