package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/parley-project/parley/numeric"
)

// Job states.
const (
	JobQueued      = "queued"
	JobRunning     = "running"
	JobDone        = "done"
	JobFailed      = "failed"
	JobCancelled   = "cancelled"
	JobInterrupted = "interrupted" // stopped by shutdown; a sweep can be resumed
)

// ErrQueueFull is returned by Submit when every queue slot is taken.
var ErrQueueFull = errors.New("the job queue is full; try again later")

// ErrClosed is returned by Submit after Shutdown.
var ErrClosed = errors.New("the server is shutting down")

// RunBusyError says that a queued or running job already writes the
// stored run a new job would write (the API answers 409).
type RunBusyError struct {
	Run int64
	Job string
}

func (e *RunBusyError) Error() string {
	return fmt.Sprintf("run %d is being written by job %s; wait for it or cancel it", e.Run, e.Job)
}

// Job is a long run executed by the worker pool.
type Job struct {
	ID     string `json:"id"`
	Kind   string `json:"kind"`
	Status string `json:"status"`
	// Done and Total measure progress (draws of a sweep, stages of a
	// backtest); Total is 0 when unknown.
	Done  int `json:"done"`
	Total int `json:"total"`
	// RunID is the stored run the job writes, once created.
	RunID    int64           `json:"run_id,omitempty"`
	Error    string          `json:"error,omitempty"`
	Problems any             `json:"problems,omitempty"`
	Result   json.RawMessage `json:"result,omitempty"`
	Created  time.Time       `json:"created"`
	Started  *time.Time      `json:"started,omitempty"`
	Finished *time.Time      `json:"finished,omitempty"`

	run    func(ctx context.Context, j *Job) error
	cancel context.CancelFunc
	// cancelled says Cancel asked for the stop (not the shutdown).
	cancelled bool
}

// Jobs is a bounded queue of jobs and the pool of workers running them.
type Jobs struct {
	mu      sync.Mutex
	jobs    map[string]*Job
	queue   chan *Job
	next    int
	closed  bool
	ctx     context.Context // cancelled to interrupt running jobs
	stop    context.CancelFunc
	workers sync.WaitGroup
	// failed, when set, is told of a job that panicked, after its status
	// is set, with the panic and its stack (the server marks the job's
	// stored run failed and logs the stack).
	failed func(j Job, panicked error)
}

// PanicError is a panic of a job's code, caught by the worker that ran
// it: the job fails with it instead of the server dying.
type PanicError struct {
	Value any
	Stack []byte
}

func (e *PanicError) Error() string { return fmt.Sprintf("panic: %v", e.Value) }

// runJob runs a job's code, turning a panic into a *PanicError (a panic
// of the goroutines the code starts is carried into it by them, see
// numeric.Catch).
func runJob(ctx context.Context, j *Job) (err error) {
	defer func() {
		if p := recover(); p != nil {
			if wp, ok := p.(*numeric.WorkerPanic); ok {
				err = &PanicError{Value: wp.Value, Stack: wp.Stack}
				return
			}
			err = &PanicError{Value: p, Stack: debug.Stack()}
		}
	}()
	return j.run(ctx, j)
}

// NewJobs starts workers goroutines that take jobs from a queue of
// queueSize slots.
func NewJobs(workers, queueSize int) *Jobs {
	ctx, stop := context.WithCancel(context.Background())
	js := &Jobs{jobs: map[string]*Job{}, queue: make(chan *Job, queueSize), ctx: ctx, stop: stop}
	for range workers {
		js.workers.Add(1)
		go js.work()
	}
	return js
}

func (js *Jobs) work() {
	defer js.workers.Done()
	for j := range js.queue {
		js.mu.Lock()
		if j.Status != JobQueued { // cancelled while waiting
			js.mu.Unlock()
			continue
		}
		ctx, cancel := context.WithCancel(js.ctx)
		j.cancel = cancel
		now := time.Now().UTC()
		j.Status, j.Started = JobRunning, &now
		js.mu.Unlock()

		err := runJob(ctx, j)
		stopped := ctx.Err() != nil
		cancel()

		js.mu.Lock()
		end := time.Now().UTC()
		j.Finished = &end
		var pe *PanicError
		switch {
		case err == nil:
			j.Status = JobDone
		case errors.As(err, &pe):
			j.Status, j.Error = JobFailed, "internal error: "+err.Error()
		case stopped && j.cancelled:
			j.Status, j.Error = JobCancelled, err.Error()
		case stopped:
			j.Status, j.Error = JobInterrupted, err.Error()
		default:
			j.Status, j.Error = JobFailed, err.Error()
			if p := problemsOf(err); p != nil {
				j.Problems = p
			}
		}
		done := *j
		js.mu.Unlock()
		if pe != nil && js.failed != nil {
			js.failed(done, pe)
		}
	}
}

// Submit queues a job, or returns ErrQueueFull at once when the queue is
// full (the API answers 429).
func (js *Jobs) Submit(kind string, run func(ctx context.Context, j *Job) error) (*Job, error) {
	return js.SubmitRun(kind, 0, run)
}

// SubmitRun is Submit for a job that writes the stored run runID (not
// 0): it is refused with a *RunBusyError while another queued or running
// job writes that run, so that two jobs never write one run at once.
func (js *Jobs) SubmitRun(kind string, runID int64, run func(ctx context.Context, j *Job) error) (*Job, error) {
	js.mu.Lock()
	defer js.mu.Unlock()
	if js.closed {
		return nil, ErrClosed
	}
	if runID != 0 {
		if o := js.writer(runID); o != nil {
			return nil, &RunBusyError{Run: runID, Job: o.ID}
		}
	}
	js.next++
	j := &Job{ID: strconv.Itoa(js.next), Kind: kind, Status: JobQueued, Created: time.Now().UTC(), RunID: runID, run: run}
	select {
	case js.queue <- j:
	default:
		js.next--
		return nil, ErrQueueFull
	}
	js.jobs[j.ID] = j
	js.prune()
	return j, nil
}

// writer returns the queued or running job that writes the stored run
// runID, or nil. It runs under the lock.
func (js *Jobs) writer(runID int64) *Job {
	for _, j := range js.jobs {
		if j.RunID == runID && (j.Status == JobQueued || j.Status == JobRunning) {
			return j
		}
	}
	return nil
}

// Writer returns a copy of the queued or running job that writes the
// stored run runID; false when there is none.
func (js *Jobs) Writer(runID int64) (Job, bool) {
	js.mu.Lock()
	defer js.mu.Unlock()
	if j := js.writer(runID); j != nil {
		return *j, true
	}
	return Job{}, false
}

// keepEnded is how many ended jobs are remembered; older ones are
// forgotten (their runs stay in the store).
const keepEnded = 500

// prune forgets the oldest ended jobs beyond keepEnded. It runs under
// the lock.
func (js *Jobs) prune() {
	var ended []int
	for id, j := range js.jobs {
		if j.Finished != nil {
			n, _ := strconv.Atoi(id)
			ended = append(ended, n)
		}
	}
	if len(ended) <= keepEnded {
		return
	}
	sort.Ints(ended)
	for _, n := range ended[:len(ended)-keepEnded] {
		delete(js.jobs, strconv.Itoa(n))
	}
}

// update changes a job under the lock (progress, run id, result).
func (js *Jobs) update(j *Job, f func(*Job)) {
	js.mu.Lock()
	f(j)
	js.mu.Unlock()
}

// Get returns a copy of a job.
func (js *Jobs) Get(id string) (Job, bool) {
	js.mu.Lock()
	defer js.mu.Unlock()
	j, ok := js.jobs[id]
	if !ok {
		return Job{}, false
	}
	return *j, true
}

// List returns copies of every job, newest first, without results.
func (js *Jobs) List() []Job {
	js.mu.Lock()
	defer js.mu.Unlock()
	out := make([]Job, 0, len(js.jobs))
	for _, j := range js.jobs {
		c := *j
		c.Result = nil
		out = append(out, c)
	}
	sort.Slice(out, func(a, b int) bool {
		x, _ := strconv.Atoi(out[a].ID)
		y, _ := strconv.Atoi(out[b].ID)
		return x > y
	})
	return out
}

// Cancel stops a queued or running job. It reports false for an unknown
// job and an error for one that has already ended.
func (js *Jobs) Cancel(id string) (bool, error) {
	js.mu.Lock()
	defer js.mu.Unlock()
	j, ok := js.jobs[id]
	if !ok {
		return false, nil
	}
	switch j.Status {
	case JobQueued:
		now := time.Now().UTC()
		j.Status, j.Finished, j.cancelled = JobCancelled, &now, true
	case JobRunning:
		j.cancelled = true
		j.cancel()
	default:
		return true, fmt.Errorf("job %s has already ended (%s)", id, j.Status)
	}
	return true, nil
}

// Shutdown refuses new jobs and drops the queued ones, waits for the
// running ones until ctx is done, then cancels them (a sweep checkpoints:
// its finished draws are stored) and waits for the workers to return.
func (js *Jobs) Shutdown(ctx context.Context) error {
	js.mu.Lock()
	if !js.closed {
		js.closed = true
		now := time.Now().UTC()
		for _, j := range js.jobs {
			if j.Status == JobQueued {
				j.Status, j.Finished, j.Error = JobInterrupted, &now, ErrClosed.Error()
			}
		}
		close(js.queue)
	}
	js.mu.Unlock()
	done := make(chan struct{})
	go func() { js.workers.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
	}
	js.stop()
	<-done
	return nil
}

// Close interrupts every job at once and waits for the workers.
func (js *Jobs) Close() error {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return js.Shutdown(ctx)
}
