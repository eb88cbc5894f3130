//go:build !linux

package pipelinetest

// maxRSSBytes passes ru_maxrss through: bytes on macOS, the other system
// these tests run on.
func maxRSSBytes(v int64) int64 { return v }
