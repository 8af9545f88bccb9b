package numeric

import (
	"fmt"
	"runtime/debug"
	"sync"
)

// WorkerPanic is a panic raised in a worker goroutine and raised again in
// the goroutine that waits for the workers (Catch and Raise): a panic in
// a goroutine of its own would end the process whatever its caller
// recovers, so a server that runs models in jobs would die of a bug in
// one of them.
type WorkerPanic struct {
	Value any
	Stack []byte // the worker's stack where it panicked
}

func (p *WorkerPanic) Error() string { return fmt.Sprintf("panic in a worker: %v", p.Value) }

// Catch keeps the first panic of a group of worker goroutines. Each
// worker defers c.Recover(); after waiting for them, the caller calls
// c.Raise().
type Catch struct {
	once sync.Once
	p    *WorkerPanic
}

// Recover, deferred by a worker goroutine, stops its panic and keeps the
// first one of the group.
func (c *Catch) Recover() {
	if v := recover(); v != nil {
		c.Keep(v)
	}
}

// Keep keeps v as the group's panic unless one is kept already; a
// worker that recovers its own panic (to stop the others) calls it.
func (c *Catch) Keep(v any) {
	c.once.Do(func() {
		if wp, ok := v.(*WorkerPanic); ok {
			c.p = wp
			return
		}
		c.p = &WorkerPanic{Value: v, Stack: debug.Stack()}
	})
}

// Raise panics with the group's *WorkerPanic, if a worker panicked.
func (c *Catch) Raise() {
	if c.p != nil {
		panic(c.p)
	}
}
