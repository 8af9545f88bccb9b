package numeric

import (
	"fmt"
	"runtime"
	"sync"
)

// MaxWorkers is the most goroutines a user may ask a computation to run
// at once (--workers): far more than any machine has cores, few enough
// that their stacks and per-worker buffers stay small.
const MaxWorkers = 256

// CheckWorkers reports a number of workers outside 0 (one per CPU) to
// MaxWorkers.
func CheckWorkers(n int) error {
	if n < 0 || n > MaxWorkers {
		return fmt.Errorf("workers must be 0 (one per CPU) to %d, got %d", MaxWorkers, n)
	}
	return nil
}

// ParallelFor calls f(i) for i in [0, n) on up to workers goroutines. Each
// f(i) must write only its own outputs, so results never depend on the
// number of workers. A panic of f stops the workers and is raised again
// in the caller's goroutine, as a *WorkerPanic.
func ParallelFor(n, workers int, f func(i int)) {
	if workers <= 0 {
		// 0 (or less) means one goroutine per CPU.
		workers = runtime.GOMAXPROCS(0)
	}
	if workers > n {
		workers = n
	}
	if workers <= 1 {
		for i := 0; i < n; i++ {
			f(i)
		}
		return
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var caught Catch
	next := 0
	const chunk = 8
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if v := recover(); v != nil {
					caught.Keep(v)
					mu.Lock()
					next = n // the others stop
					mu.Unlock()
				}
			}()
			for {
				mu.Lock()
				lo := next
				next += chunk
				mu.Unlock()
				if lo >= n {
					return
				}
				for i := lo; i < min(lo+chunk, n); i++ {
					f(i)
				}
			}
		}()
	}
	wg.Wait()
	caught.Raise()
}
