package connector

import (
	"encoding/json"
	"hash/fnv"
	"sort"
	"strconv"
	"strings"
	"time"
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
// most max of them, the newest first kept.
func (v *versions) list(floor time.Time, max int) []string {
	out := make([]string, 0, len(v.byKey))
	for k, at := range v.byKey {
		if !at.Before(floor) {
			out = append(out, k)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		ai, aj := v.byKey[out[i]], v.byKey[out[j]]
		if !ai.Equal(aj) {
			return ai.After(aj)
		}
		return out[i] < out[j]
	})
	if len(out) > max {
		out = out[:max]
	}
	return out
}

// contentHash fingerprints an object as Okta sent it. encoding/json sorts
// map keys, so equal content always hashes equally.
func contentHash(v any) string {
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
