// Package sweep runs Monte Carlo sweeps: each draw perturbs a scenario by
// a declared noise model, runs a model on it and records every issue's
// forecast; the forecasts are aggregated in a stream (memory independent
// of the number of draws) into quantiles, a mean, a histogram and the
// probability of each labelled band of the issue scale.
//
// Draw i uses a random number generator derived only from the seed and i
// (DrawRNG), and the aggregate is made of counts, exact sums and
// minima/maxima, so a sweep gives byte-identical results whatever the
// number of workers, however it is split into shards (Shard, Merge), and
// whether or not it was interrupted and resumed (Config.Prior).
package sweep

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"maps"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/parley-project/parley/internal/plural"
	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/numeric"
	"github.com/parley-project/parley/scenario"
)

// Shard is the K-th (1-based) of N disjoint, contiguous slices of a
// sweep's draws. The zero Shard is the whole sweep.
type Shard struct{ K, N int }

// ParseShard reads "K/N" with 1 ≤ K ≤ N.
func ParseShard(s string) (Shard, error) {
	a, b, ok := strings.Cut(s, "/")
	k, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || k < 1 || k > n || n > MaxShards {
		return Shard{}, fmt.Errorf("shard %q: want K/N with 1 ≤ K ≤ N ≤ %d, e.g. 2/8", s, MaxShards)
	}
	return Shard{K: k, N: n}, nil
}

// ParseShardIndex reads "I/N" with 0 ≤ I < N: the shard K = I+1 of N, for
// array jobs whose task index counts from 0 (a Kubernetes Indexed Job's
// JOB_COMPLETION_INDEX, which a container's arguments can name but not
// add one to).
func ParseShardIndex(s string) (Shard, error) {
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n || n > MaxShards {
		return Shard{}, fmt.Errorf("shard index %q: want I/N with 0 ≤ I < N ≤ %d, e.g. 0/8", s, MaxShards)
	}
	return Shard{K: i + 1, N: n}, nil
}

// String writes the shard as K/N ("" for the whole sweep).
func (s Shard) String() string {
	if s.N <= 1 {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.K, s.N)
}

// Range returns the draws [lo, hi) of the shard in a sweep of n draws.
func (s Shard) Range(n int) (lo, hi int) {
	if s.N <= 1 {
		return 0, n
	}
	return int(int64(s.K-1) * int64(n) / int64(s.N)), int(int64(s.K) * int64(n) / int64(s.N))
}

// Draw is one finished draw: its index and the forecast of each issue, in
// the scenario's issue order.
type Draw struct {
	Index     int       `json:"index"`
	Forecasts []float64 `json:"forecasts"`
}

// Config describes a sweep.
type Config struct {
	Scenario *scenario.Scenario
	// WhatIf is the what-if already applied to Scenario, when the sweep
	// asks one (recorded in the Header; the sweep does not apply it).
	WhatIf *scenario.WhatIf
	Model  model.Model
	// Options are the model's settings; Params hold the fixed parameters,
	// which Noise.Params override draw by draw. Options.Workers is ignored:
	// each draw runs on one goroutine and draws run in parallel.
	Options model.Options
	Noise   Noise
	// Settled records each draw's settlement values (result.Settlement:
	// the value a summary shows, which does not depend on the round at
	// which a cycling run stopped) instead of its last round's forecasts;
	// an issue without a settlement (a static model) records its forecast.
	Settled bool
	// Draws is the number of draws of the whole sweep, Seed its seed.
	Draws int
	Seed  uint64
	// Workers is the number of draws run at once; 0 means one per CPU.
	Workers int
	// Shard restricts the run to one slice of the draws.
	Shard Shard
	// HistogramBins is the number of histogram bins in the output; it must
	// divide FineBins. 0 means 20.
	HistogramBins int
	// Prior yields draws finished earlier (for instance read back from a
	// results store after an interruption). They are aggregated as if run
	// now and not run again; each must lie in the shard and appear once.
	Prior iter.Seq[Draw]
	// Sink, when set, receives every newly finished draw, one at a time
	// from a single goroutine, before it is aggregated. An error stops the
	// sweep.
	Sink func(Draw) error
	// Progress, when set, is called from a single goroutine after each
	// draw with the number of draws of the shard finished so far
	// (including Prior) and the shard's total.
	Progress func(done, total int)
}

// errWorkerPanicked stops the collection of draws when a worker panicked;
// Run then raises the panic.
var errWorkerPanicked = errors.New("a sweep worker panicked")

// ErrInterrupted is returned (wrapped, with the partial result) when the
// context is cancelled before every draw has finished.
var ErrInterrupted = errors.New("sweep interrupted")

// Run runs the sweep. When ctx is cancelled it stops starting draws, waits
// for the running ones, and returns the result of the finished draws with
// an error wrapping ErrInterrupted.
//
// Its memory does not grow with the number of draws: the finished draws
// are kept as ranges of indices, and the draws still to run are handed
// out one by one. When the draws cannot differ (Noise.Zero), it runs one
// draw and counts it for all (Result.Identical).
func Run(ctx context.Context, cfg Config) (*Result, error) {
	h, err := Describe(cfg)
	if err != nil {
		return nil, err
	}
	sc := cfg.Scenario
	lo, hi := cfg.Shard.Range(cfg.Draws)
	acc := newAccumulator(sc)
	var done rangeSet
	finished := 0
	var first *Draw // a finished draw, for identical draws
	if cfg.Prior != nil {
		for d := range cfg.Prior {
			if d.Index < lo || d.Index >= hi {
				return nil, fmt.Errorf("prior draw %d lies outside draws [%d, %d)", d.Index, lo, hi)
			}
			if !done.add(d.Index) {
				return nil, fmt.Errorf("prior draw %d given twice", d.Index)
			}
			if err := acc.add(d); err != nil {
				return nil, err
			}
			if first == nil {
				first = &Draw{Index: d.Index, Forecasts: slices.Clone(d.Forecasts)}
			}
			finished++
		}
	}
	identical := cfg.Noise.Still(cfg.Scenario)
	if cfg.Progress != nil {
		cfg.Progress(finished, hi-lo)
	}
	queue := &todo{next: lo, hi: hi, skip: done.ranges()}
	if identical && first != nil {
		queue.hi = lo // nothing to run: every draw is the one stored
	}

	workers := cfg.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, hi-lo-finished))
	if identical {
		workers = 1
	}
	type outcome struct {
		d   Draw
		err error
	}
	out := make(chan outcome, 4*workers)
	stop := make(chan struct{})
	// Workers take the draws a few at a time: one lock for several
	// draws, and few enough that the last ones spread over the workers.
	chunk := 1
	if !identical {
		chunk = max(1, min(16, (hi-lo-finished)/(8*workers)))
	}
	var mu sync.Mutex
	take := func() (int, int) {
		mu.Lock()
		defer mu.Unlock()
		return queue.takeN(chunk)
	}
	var wg sync.WaitGroup
	var caught numeric.Catch
	runner := newRunner(cfg)
	for range workers {
		wg.Add(1)
		w := runner.newWorker()
		go func() {
			defer wg.Done()
			// A panic of the model (a bug) stops the sweep and is raised
			// again in Run's goroutine, where a caller may recover it.
			defer func() {
				if v := recover(); v != nil {
					caught.Keep(v)
					out <- outcome{err: errWorkerPanicked}
				}
			}()
			for ctx.Err() == nil {
				select {
				case <-stop:
					return
				default:
				}
				from, to := take()
				if from == to {
					return
				}
				for i := from; i < to; i++ {
					if ctx.Err() != nil {
						return
					}
					d, err := w.draw(ctx, i)
					if err != nil && ctx.Err() != nil {
						return // cut short by the context: not a finished draw
					}
					out <- outcome{d, err}
					if err != nil || identical {
						return
					}
				}
			}
		}()
	}
	go func() { wg.Wait(); close(out) }()
	var firstErr error
	for o := range out {
		if firstErr != nil {
			continue
		}
		err := o.err
		if err == nil && cfg.Sink != nil {
			err = cfg.Sink(o.d)
		}
		if err == nil {
			err = acc.add(o.d)
		}
		if err != nil {
			firstErr = err
			close(stop)
			continue
		}
		done.add(o.d.Index)
		if first == nil {
			first = &o.d
		}
		finished++
		if cfg.Progress != nil {
			cfg.Progress(finished, hi-lo)
		}
	}
	caught.Raise()
	if firstErr != nil {
		return nil, firstErr
	}
	if identical && first != nil && finished < hi-lo {
		// Every other draw would give the same forecasts: count them.
		if err := acc.addN(*first, int64(hi-lo-finished)); err != nil {
			return nil, err
		}
		done = rangeSet{r: [][2]int{{lo, hi}}}
		finished = hi - lo
		if cfg.Progress != nil {
			cfg.Progress(finished, hi-lo)
		}
	}
	res := build(h, acc, done.ranges())
	res.Identical = identical
	if finished < hi-lo {
		return res, fmt.Errorf("%w after %d of %s", ErrInterrupted, finished, plural.Count(hi-lo, "draw"))
	}
	return res, nil
}

// runner runs single draws.
type runner struct {
	cfg   Config
	order map[string]int // issue id → index in the scenario
}

func newRunner(cfg Config) *runner {
	r := &runner{cfg: cfg, order: map[string]int{}}
	for i, is := range cfg.Scenario.Issues {
		r.order[is.ID] = i
	}
	return r
}

// worker is one goroutine's memory for running draws, reused from draw to
// draw: the perturbed scenario, the parameters and, when the model offers
// one (model.Forecasting), its Forecaster.
type worker struct {
	*runner
	perturbation
	forecaster model.Forecaster
	params     model.Params
}

func (r *runner) newWorker() *worker {
	w := &worker{runner: r}
	if m, ok := r.cfg.Model.(model.Forecasting); ok {
		w.forecaster = m.NewForecaster()
	}
	return w
}

// draw runs draw i; the model stops with ctx's error once ctx has ended.
func (w *worker) draw(ctx context.Context, i int) (Draw, error) {
	cfg := w.cfg
	sc, params := w.perturb(cfg.Scenario, cfg.Noise, DrawRNG(cfg.Seed, i))
	opt := cfg.Options
	opt.Workers = 1
	if len(params) > 0 {
		if w.params == nil {
			w.params = model.Params{}
		}
		clear(w.params)
		maps.Copy(w.params, opt.Params)
		for k, v := range params {
			w.params[k] = model.Number(v)
		}
		opt.Params = w.params
	}
	d := Draw{Index: i}
	sf, settled := w.forecaster.(model.SettledForecaster)
	if w.forecaster != nil && (!cfg.Settled || settled) {
		// The model's fast path: the forecasts (or settlement values)
		// alone, bit for bit those of Run, in the scenario's issue order.
		forecasts := w.forecaster.Forecasts
		if cfg.Settled {
			forecasts = sf.Settled
		}
		f, err := forecasts(ctx, sc, opt, make([]float64, 0, len(cfg.Scenario.Issues)))
		if err != nil {
			return Draw{}, fmt.Errorf("draw %d: %w", i, err)
		}
		if len(f) != len(cfg.Scenario.Issues) {
			return Draw{}, fmt.Errorf("draw %d: the model forecast %d of %s", i, len(f), plural.Count(len(cfg.Scenario.Issues), "issue"))
		}
		for k, v := range f {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return Draw{}, fmt.Errorf("draw %d: issue %q: the forecast is not a finite number", i, cfg.Scenario.Issues[k].ID)
			}
		}
		d.Forecasts = f
		return d, nil
	}
	res, err := cfg.Model.Run(ctx, sc, opt)
	if err != nil {
		return Draw{}, fmt.Errorf("draw %d: %w", i, err)
	}
	d.Forecasts = make([]float64, len(cfg.Scenario.Issues))
	seen := 0
	for _, is := range res.Issues {
		k, ok := w.order[is.ID]
		if !ok {
			continue
		}
		v := is.Forecast
		if cfg.Settled && is.Settlement != nil {
			v = is.Settlement.Value
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return Draw{}, fmt.Errorf("draw %d: issue %q: the forecast is not a finite number", i, is.ID)
		}
		d.Forecasts[k] = v
		seen++
	}
	if seen != len(d.Forecasts) {
		return Draw{}, fmt.Errorf("draw %d: the model forecast %d of %s", i, seen, plural.Count(len(d.Forecasts), "issue"))
	}
	return d, nil
}

// accumulator holds the Stats of every issue.
type accumulator struct {
	issues     []*Stats
	bands      [][]Band
	ids, names []string
}

func newAccumulator(sc *scenario.Scenario) *accumulator {
	a := &accumulator{}
	for i := range sc.Issues {
		is := &sc.Issues[i]
		b := Bands(is)
		a.bands = append(a.bands, b)
		a.ids = append(a.ids, is.ID)
		a.names = append(a.names, is.DisplayName())
		a.issues = append(a.issues, NewStats(is.Min, is.Max, len(b)))
	}
	return a
}

func (a *accumulator) add(d Draw) error { return a.addN(d, 1) }

// addN records the forecasts of d n times, as n draws that gave the same.
func (a *accumulator) addN(d Draw, n int64) error {
	if len(d.Forecasts) != len(a.issues) {
		return fmt.Errorf("draw %d has %d forecasts for %d issues", d.Index, len(d.Forecasts), len(a.issues))
	}
	for k, v := range d.Forecasts {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("draw %d: forecast %d is not a finite number", d.Index, k)
		}
	}
	for k, v := range d.Forecasts {
		a.issues[k].AddN(v, bandOf(a.bands[k], v), n)
	}
	return nil
}
