package pipelinetest

// maxRSSBytes converts rusage's ru_maxrss, in kilobytes on Linux.
func maxRSSBytes(v int64) int64 { return v * 1024 }
