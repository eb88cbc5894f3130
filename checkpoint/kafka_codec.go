package checkpoint

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
)

// setVersion is the format version of set manifests and chunks written by
// this code; checkpoints use Version and audit entries auditVersion.
const setVersion = 1

// chunkBytes is the most compressed set data one record carries. Base64
// in JSON makes it about 850 KB on the wire, under the 1 MB default of
// the broker's message.max.bytes and of kgo's ProducerBatchMaxBytes.
// A variable so tests can force chunking with small sets.
var chunkBytes = 600 << 10

// setManifest is the value under a set's manifest key. A small set travels
// inline in Data; a large one in Chunks records of generation Gen. SHA256
// covers the whole compressed set, so a follower never assembles chunks of
// two generations into one set.
type setManifest struct {
	Version int    `json:"version"`
	Gen     string `json:"gen"`
	Count   int    `json:"count"`
	Chunks  int    `json:"chunks"`
	SHA256  string `json:"sha256"`
	Data    []byte `json:"data,omitempty"`
}

// setChunk is one slice of a large set's compressed data.
type setChunk struct {
	Version int    `json:"version"`
	Gen     string `json:"gen"`
	Index   int    `json:"index"`
	Data    []byte `json:"data"`
}

// versionOnly reads the version every value of the topic carries.
type versionOnly struct {
	Version int `json:"version"`
}

// checkVersion refuses a value whose version this code cannot read: zero
// (not one of ours) or newer than max (written by a later release, which
// an older one must not misread as something else).
func checkVersion(value []byte, max int) error {
	var v versionOnly
	if err := json.Unmarshal(value, &v); err != nil {
		return err
	}
	if v.Version < 1 || v.Version > max {
		return fmt.Errorf("version %d, want 1 to %d", v.Version, max)
	}
	return nil
}

// encodeCheckpointValue is the topic value of cp: the same JSON as a
// checkpoint file, so both stores share one versioned format.
func encodeCheckpointValue(cp Checkpoint) ([]byte, error) {
	return json.Marshal(cp)
}

// decodeCheckpointValue reads a checkpoint value of any supported version.
// Version 1 is the current layout; a later version adds a case here that
// converts it, and a fixture in testdata that keeps it readable.
func decodeCheckpointValue(value []byte) (Checkpoint, error) {
	if err := checkVersion(value, Version); err != nil {
		return Checkpoint{}, err
	}
	var cp Checkpoint
	if err := json.Unmarshal(value, &cp); err != nil {
		return Checkpoint{}, err
	}
	return cp, nil
}

// encodeSetValues returns the manifest and the chunks of ids: one inline
// manifest when the compressed set fits in a record, else chunkBytes
// slices of a fresh generation.
func encodeSetValues(ids []string) (setManifest, []setChunk, error) {
	data, err := encodeSet(ids)
	if err != nil {
		return setManifest{}, nil, err
	}
	sum := sha256.Sum256(data)
	m := setManifest{Version: setVersion, Count: uniqueCount(ids),
		SHA256: hex.EncodeToString(sum[:])}
	if len(data) <= chunkBytes {
		m.Data = data
		return m, nil, nil
	}
	m.Gen = newGen()
	var chunks []setChunk
	for i := 0; len(data) > 0; i++ {
		n := min(chunkBytes, len(data))
		chunks = append(chunks, setChunk{Version: setVersion, Gen: m.Gen, Index: i,
			Data: data[:n]})
		data = data[n:]
	}
	m.Chunks = len(chunks)
	return m, chunks, nil
}

// uniqueCount is how many distinct ids the stored set holds.
func uniqueCount(ids []string) int {
	seen := make(map[string]struct{}, len(ids))
	for _, id := range ids {
		seen[id] = struct{}{}
	}
	return len(seen)
}

// newGen returns a random generation name for a set's chunks.
func newGen() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b)
}

// decodeManifest reads a set manifest of any supported version.
func decodeManifest(value []byte) (setManifest, error) {
	if err := checkVersion(value, setVersion); err != nil {
		return setManifest{}, err
	}
	var m setManifest
	if err := json.Unmarshal(value, &m); err != nil {
		return setManifest{}, err
	}
	if m.Chunks == 0 && m.Data == nil {
		return setManifest{}, errors.New("manifest without data or chunks")
	}
	return m, nil
}

// decodeChunk reads a set chunk of any supported version.
func decodeChunk(value []byte) (setChunk, error) {
	if err := checkVersion(value, setVersion); err != nil {
		return setChunk{}, err
	}
	var c setChunk
	if err := json.Unmarshal(value, &c); err != nil {
		return setChunk{}, err
	}
	return c, nil
}

// assemble joins the compressed data of m (inline, or from chunks indexed
// by position) and decodes the ids, checking the checksum first.
func assemble(m setManifest, chunks [][]byte) ([]string, error) {
	data := m.Data
	if m.Chunks > 0 {
		data = nil
		for _, c := range chunks {
			data = append(data, c...)
		}
	}
	sum := sha256.Sum256(data)
	if hex.EncodeToString(sum[:]) != m.SHA256 {
		return nil, errors.New("set data does not match its checksum")
	}
	return decodeSet(data)
}
