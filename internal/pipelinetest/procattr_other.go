//go:build !linux

package pipelinetest

import "syscall"

// orphanSignal is a no-op outside Linux (package doc, known limits).
func orphanSignal(syscall.Signal) *syscall.SysProcAttr { return nil }
