// Package pipelinetest runs the product's binaries as processes of their
// own, for tests and benchmarks that must see the connector as an operator
// does: okta-sim serving a generated org, okta-connector configured by its
// environment, killed with SIGKILL or stopped with SIGTERM, and measured by
// the kernel's resource usage.
//
// Every helper takes a testing.TB, fails the test on error and stops what it
// started with t.Cleanup. Binaries are built once per test binary. Child
// processes get SIGKILL (the connector) or SIGTERM (the simulator) from the
// kernel if the test binary dies first, so none outlives the test.
//
// Beside the processes, it reads what they wrote as a downstream consumer
// does: every committed record (ReadTopics), a topic as it grows with each
// record's arrival time (Follow), and the broker's view of a
// transactional id (DescribeTxn), which tells whether a killed process
// left a transaction open.
//
// Known limits: the parent-death signal is Linux only; elsewhere a test
// binary killed mid-run can leave its children behind. Resource usage
// (Usage) reads the rusage of a finished process, which is Unix only.
// DescribeTxn needs a broker with DescribeTransactions (Kafka 3.0 on).
package pipelinetest
