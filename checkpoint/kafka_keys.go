package checkpoint

import (
	"fmt"
	"strconv"
	"strings"
)

// Keys of the checkpoint topic. Tenant ids, stream names and owners never
// hold a "/" (names.go), so a key splits back into its parts without
// ambiguity:
//
//	<tenant>/<stream>                          a checkpoint (DESIGN §5)
//	<tenant>/<stream>/set/<owner>              an id set's manifest
//	<tenant>/<stream>/set/<owner>/<gen>/<i>    chunk i of a large set
//	_audit/<unix nanos>-<random>               one audit entry
//	_inbox/<tenant>/<stream>/<request id>      one queued operator change
//
// Owner "" is spelt "_all", as in the file store. No tenant starts with
// "_", so audit and inbox keys never collide with a tenant's.
const (
	setSegment  = "set"
	auditPrefix = "_audit/"
	inboxPrefix = "_inbox/"
)

// keyKind says what a record of the checkpoint topic holds.
type keyKind int

const (
	kindUnknown keyKind = iota
	kindCheckpoint
	kindSet
	kindChunk
	kindAudit
	kindInbox
)

// topicKey is a parsed key of the checkpoint topic.
type topicKey struct {
	kind  keyKind
	cp    Key
	set   SetKey
	gen   string
	index int
}

// checkpointKey is the topic key of a checkpoint.
func checkpointKey(k Key) string { return k.Tenant + "/" + k.Stream }

// setManifestKey is the topic key of an id set's manifest.
func setManifestKey(k SetKey) string {
	return k.Tenant + "/" + k.Stream + "/" + setSegment + "/" + ownerFile(k.Owner)
}

// setChunkKey is the topic key of one chunk of generation gen of a set.
func setChunkKey(k SetKey, gen string, i int) string {
	return setManifestKey(k) + "/" + gen + "/" + strconv.Itoa(i)
}

// parseKey classifies a key of the checkpoint topic. Keys it does not know
// (written by a later version, say) come back as kindUnknown and are left
// alone rather than failing the whole store.
func parseKey(key string) topicKey {
	if strings.HasPrefix(key, auditPrefix) {
		return topicKey{kind: kindAudit}
	}
	if strings.HasPrefix(key, inboxPrefix) {
		return topicKey{kind: kindInbox}
	}
	parts := strings.Split(key, "/")
	if len(parts) < 2 {
		return topicKey{}
	}
	cp := Key{Tenant: parts[0], Stream: parts[1]}
	if checkKey(cp) != nil {
		return topicKey{}
	}
	switch {
	case len(parts) == 2:
		return topicKey{kind: kindCheckpoint, cp: cp}
	case parts[2] != setSegment || (len(parts) != 4 && len(parts) != 6):
		return topicKey{}
	}
	owner := parts[3]
	if owner == allOwner {
		owner = ""
	} else if owner == "" || checkOwner(owner) != nil {
		return topicKey{}
	}
	sk := SetKey{Tenant: cp.Tenant, Stream: cp.Stream, Owner: owner}
	if len(parts) == 4 {
		return topicKey{kind: kindSet, set: sk}
	}
	i, err := strconv.Atoi(parts[5])
	if err != nil || i < 0 || parts[4] == "" {
		return topicKey{}
	}
	return topicKey{kind: kindChunk, set: sk, gen: parts[4], index: i}
}

// describe names a set key in errors.
func (k SetKey) describe() string {
	return fmt.Sprintf("%s/%s/%s", k.Tenant, k.Stream, ownerFile(k.Owner))
}
