// Package cputime reads the CPU time the process has used, which
// benchmarks on a shared, loaded machine report beside wall time.
package cputime
