// Package sweeprun keeps Monte Carlo sweeps in a results store: it records
// a sweep as a run, writes its finished draws in batches as they come
// (through the sweep's Sink), and rebuilds an interrupted sweep's
// configuration and finished draws (for the sweep's Prior) so that it can
// be resumed without recomputing them. Because a sweep's aggregation is
// exact and order-independent, the resumed result equals the
// uninterrupted one byte for byte. Both the command line (parley sweep
// --resume) and the server use it.
package sweeprun

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/store"
	"github.com/parley-project/parley/sweep"
)

// Defaults for Recorder.Batch and Recorder.Interval: a killed sweep loses
// at most this much finished work.
const (
	DefaultBatch    = 500
	DefaultInterval = time.Second
)

// Lease timing: a recorder holds its run's writer lease (store.Lease)
// for LeaseTTL and renews it every LeaseRenew while the sweep runs, so
// that no second process resumes the run meanwhile; a process killed
// outright leaves a lease that lapses within LeaseTTL.
const (
	LeaseTTL   = 2 * time.Minute
	LeaseRenew = 30 * time.Second
)

// Recorder writes a stored sweep's draws as they finish. It holds the
// run's writer lease from Create or Resume until End or Close.
type Recorder struct {
	Store store.Store
	Run   *store.Run
	// Batch and Interval: the buffered draws are written when Batch have
	// gathered or Interval has passed since the last write.
	Batch    int
	Interval time.Duration

	buf  []store.Draw
	last time.Time

	owner string        // this writer's lease token
	stop  chan struct{} // closed by Close: the renewal stops
	ended chan struct{} // closed when the renewal has stopped
	mu    sync.Mutex
	lost  error // the lease could not be renewed
}

// Create stores a new, running sweep run for cfg (its Header as the run's
// config, the scenario as its snapshot) and returns its recorder.
func Create(ctx context.Context, s store.Store, cfg sweep.Config, codeVersion string) (*Recorder, error) {
	h, err := sweep.Describe(cfg)
	if err != nil {
		return nil, err
	}
	run, err := newRun(h, cfg.Scenario, codeVersion)
	if err != nil {
		return nil, err
	}
	if err := s.Create(ctx, run); err != nil {
		return nil, err
	}
	r := For(s, run)
	if err := r.lease(ctx); err != nil {
		return nil, err
	}
	return r, nil
}

// newRun is the record of a sweep with header h: the header as the run's
// config and sc, when not nil, as its snapshot.
func newRun(h sweep.Header, sc *scenario.Scenario, codeVersion string) (*store.Run, error) {
	var snap []byte
	if sc != nil {
		var err error
		if snap, err = json.Marshal(sc); err != nil {
			return nil, err
		}
	}
	conf, err := json.Marshal(h)
	if err != nil {
		return nil, err
	}
	return &store.Run{Kind: store.KindSweep, Scenario: h.Scenario, Snapshot: snap, Model: h.Model, Variant: h.Variant,
		Params: h.Params, Config: conf, Seed: h.Seed, CodeVersion: codeVersion}, nil
}

// Save stores a complete sweep result computed elsewhere, such as the
// merge of a sweep's shards, as a finished sweep run: its header as the
// config (as Create stores it), sc as the snapshot and the result
// document (Result.Encode). sc may be nil when the scenario is not at
// hand; otherwise it must be the scenario the header's digest names. The
// draws themselves are not stored, so an incomplete result, which could
// never be resumed, is refused.
func Save(ctx context.Context, s store.Store, res *sweep.Result, sc *scenario.Scenario, codeVersion string) (*store.Run, error) {
	if !res.Complete {
		return nil, fmt.Errorf("the sweep is incomplete (%d of its %d draws); only a complete sweep is stored", res.Draws, res.Requested)
	}
	if sc != nil {
		sum, err := sweep.ScenarioDigest(sc)
		if err != nil {
			return nil, err
		}
		if sum != res.ScenarioSHA256 {
			return nil, fmt.Errorf("scenario %s is not the one the sweep ran (SHA-256 %.12s…, the sweep's %.12s…)", sc.Name, sum, res.ScenarioSHA256)
		}
	}
	doc, err := res.Encode()
	if err != nil {
		return nil, err
	}
	run, err := newRun(res.Header, sc, codeVersion)
	if err != nil {
		return nil, err
	}
	if err := s.Create(ctx, run); err != nil {
		return nil, err
	}
	if err := s.Finish(ctx, run.ID, doc); err != nil {
		return nil, err
	}
	return run, nil
}

// For returns a recorder that adds draws to an existing run, without
// taking its lease (Create and Resume take it).
func For(s store.Store, run *store.Run) *Recorder {
	return &Recorder{Store: s, Run: run, Batch: DefaultBatch, Interval: DefaultInterval, last: time.Now()}
}

// Resume takes the writer lease of a stored, unfinished sweep (a
// *store.LeaseError while another process writes it; a writer on this
// machine whose process has ended, killed outright, loses its lease at
// once), marks it running again (it may have been interrupted) and
// returns a recorder that adds draws to it.
func Resume(ctx context.Context, s store.Store, run *store.Run) (*Recorder, error) {
	r := For(s, run)
	if err := r.lease(ctx); err != nil {
		return nil, err
	}
	if err := s.SetStatus(ctx, run.ID, store.StatusRunning); err != nil {
		r.Close()
		return nil, err
	}
	run.Status = store.StatusRunning
	return r, nil
}

// lease takes the run's writer lease under a new owner token, from a
// writer known to be gone if need be, and renews it every LeaseRenew
// until Close.
func (r *Recorder) lease(ctx context.Context) error {
	r.owner = newOwner()
	err := r.Store.Lease(ctx, r.Run.ID, r.owner, LeaseTTL)
	var le *store.LeaseError
	if errors.As(err, &le) && WriterGone(le.Owner) {
		err = r.Store.TakeLease(ctx, r.Run.ID, le.Owner, r.owner, LeaseTTL)
	}
	if err != nil {
		return err
	}
	r.stop, r.ended = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(r.ended)
		t := time.NewTicker(LeaseRenew)
		defer t.Stop()
		for {
			select {
			case <-r.stop:
				return
			case <-t.C:
				if err := r.Store.Lease(context.Background(), r.Run.ID, r.owner, LeaseTTL); err != nil {
					r.mu.Lock()
					r.lost = fmt.Errorf("run %d: the writer lease could not be renewed, so the sweep stops: %w", r.Run.ID, err)
					r.mu.Unlock()
					return
				}
			}
		}
	}()
	return nil
}

// Close stops renewing the lease and releases it. End calls it; a caller
// that may not reach End (a panic) defers it. It may be called more than
// once.
func (r *Recorder) Close() {
	if r.stop == nil {
		return
	}
	select {
	case <-r.stop:
		return
	default:
	}
	close(r.stop)
	<-r.ended
	r.Store.Release(context.Background(), r.Run.ID, r.owner)
}

// lostLease is the error of a lease that could not be renewed, if any.
func (r *Recorder) lostLease() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.lost
}

// Progress returns how many draws of a stored sweep are stored and how
// many it has in all (its shard's share of the requested draws); ok is
// false when run is not a sweep or its settings cannot be read.
func Progress(run *store.Run) (done, total int, ok bool) {
	var h sweep.Header
	if run.Kind != store.KindSweep || json.Unmarshal(run.Config, &h) != nil || h.Requested <= 0 {
		return 0, 0, false
	}
	shard, err := h.ParsedShard()
	if err != nil {
		return 0, 0, false
	}
	lo, hi := shard.Range(h.Requested)
	return run.Draws, hi - lo, true
}

// Load rebuilds the configuration of a stored, unfinished sweep (without
// workers, progress or sink) and reads its finished draws, which it
// returns and also sets as the configuration's Prior, so that running it
// does not compute them again. It checks that
// this build of Parley would run the same sweep: same scenario digest,
// model, parameters, noise, seed and draws.
func Load(ctx context.Context, s store.Store, run *store.Run, reg *model.Registry) (sweep.Config, []sweep.Draw, error) {
	var (
		cfg sweep.Config
		h   sweep.Header
		sc  scenario.Scenario
	)
	if run.Kind != store.KindSweep {
		return cfg, nil, fmt.Errorf("run %d is a %s, not a sweep", run.ID, run.Kind)
	}
	if err := json.Unmarshal(run.Config, &h); err != nil {
		return cfg, nil, fmt.Errorf("run %d: stored sweep settings: %w", run.ID, err)
	}
	if err := json.Unmarshal(run.Snapshot, &sc); err != nil {
		return cfg, nil, fmt.Errorf("run %d: stored scenario: %w", run.ID, err)
	}
	m, err := reg.Get(h.Model)
	if err != nil {
		return cfg, nil, fmt.Errorf("run %d: %w", run.ID, err)
	}
	noise, err := sweep.NoiseFromSpec(h.Noise)
	if err != nil {
		return cfg, nil, fmt.Errorf("run %d: %w", run.ID, err)
	}
	shard, err := h.ParsedShard()
	if err != nil {
		return cfg, nil, fmt.Errorf("run %d: %w", run.ID, err)
	}
	cfg = sweep.Config{Scenario: &sc, Model: m, Noise: noise, Draws: h.Requested, Seed: h.Seed,
		HistogramBins: h.HistogramBins, Shard: shard,
		Options: model.Options{Variant: h.Variant, Rounds: h.Rounds, Params: h.Params}}
	again, err := sweep.Describe(cfg)
	if err != nil {
		return cfg, nil, fmt.Errorf("run %d: %w", run.ID, err)
	}
	a, _ := json.Marshal(again)
	b, _ := json.Marshal(h)
	if string(a) != string(b) {
		return cfg, nil, fmt.Errorf("run %d: this parley would not run the same sweep (stored %s, now %s)", run.ID, b, a)
	}
	stored, err := s.Draws(ctx, run.ID)
	if err != nil {
		return cfg, nil, err
	}
	prior := make([]sweep.Draw, len(stored))
	for i, d := range stored {
		prior[i].Index = d.Index
		if err := json.Unmarshal(d.Data, &prior[i].Forecasts); err != nil {
			return cfg, nil, fmt.Errorf("run %d: stored draw %d: %w", run.ID, d.Index, err)
		}
	}
	cfg.Prior = slices.Values(prior)
	return cfg, prior, nil
}

// Add is a sweep Sink: it buffers a finished draw and writes the buffer
// when it is full or old enough.
func (r *Recorder) Add(d sweep.Draw) error {
	if err := r.lostLease(); err != nil {
		return err
	}
	data, err := json.Marshal(d.Forecasts)
	if err != nil {
		return err
	}
	r.buf = append(r.buf, store.Draw{Index: d.Index, Data: data})
	if len(r.buf) >= max(1, r.Batch) || time.Since(r.last) >= r.Interval {
		return r.Flush()
	}
	return nil
}

// Flush writes the buffered draws. It does not take a context on purpose:
// a cancelled sweep must still save what it finished.
func (r *Recorder) Flush() error {
	r.last = time.Now()
	if len(r.buf) == 0 {
		return nil
	}
	if err := r.Store.AddDraws(context.Background(), r.Run.ID, r.buf); err != nil {
		return err
	}
	r.buf = r.buf[:0]
	return nil
}

// End writes the last draws and, when the sweep is complete and did not
// fail, its result (Result.Encode), marking the run done. A sweep that
// ends unfinished (interrupted by a signal, or failed) is marked
// store.StatusInterrupted: it keeps its draws and can be resumed. It
// reports whether the run was finished.
func (r *Recorder) End(res *sweep.Result, runErr error) (bool, error) {
	defer r.Close()
	if err := r.Flush(); err != nil {
		return false, err
	}
	if res == nil || !res.Complete || runErr != nil {
		if err := r.Store.SetStatus(context.Background(), r.Run.ID, store.StatusInterrupted); err != nil {
			return false, err
		}
		r.Run.Status = store.StatusInterrupted
		return false, nil
	}
	doc, err := res.Encode()
	if err != nil {
		return false, err
	}
	return true, r.Store.Finish(context.Background(), r.Run.ID, doc)
}
