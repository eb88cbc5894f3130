package pipelinetest

import "syscall"

// orphanSignal asks the kernel to send sig to the child when the test
// binary's thread that started it dies, so a crashed test leaves no
// process behind.
func orphanSignal(sig syscall.Signal) *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: sig}
}
