package run

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/model/registry"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/store"
	"github.com/parley-project/parley/sweep"
)

// Defaults of a sweep: the draws and seed of a sweep that names none, and
// its histogram's bins.
const (
	DefaultSweepDraws = 1000
	DefaultSweepSeed  = 1
	DefaultSweepBins  = 20
)

// SweepSpec asks for a Monte Carlo sweep: the model run on Draws randomly
// perturbed copies of the scenario. The noise is the scenario's
// uncertainty section, overridden by Noise.
type SweepSpec struct {
	ModelSpec
	Draws int    `json:"draws"`
	Seed  uint64 `json:"seed"`
	// Bins is the number of histogram bins; it must divide sweep.FineBins.
	Bins int `json:"bins"`
	// Shard is the K-th of N slices of the draws, as "K/N"; "" is all.
	Shard string    `json:"shard,omitempty"`
	Noise NoiseSpec `json:"noise"`
	// WhatIf, when set, changes the scenario before the sweep draws its
	// copies (recorded in the sweep's header).
	WhatIf *scenario.WhatIf `json:"what_if,omitempty"`
}

// NoiseSpec overrides a scenario's uncertainty section; nil fields keep
// the scenario's.
type NoiseSpec struct {
	Position   *float64 `json:"position"`
	Salience   *float64 `json:"salience"`
	Capability *float64 `json:"capability"`
	Dropout    *float64 `json:"dropout"`
	// Params draws model parameters: name → distribution, e.g.
	// "uniform(0.5,1)" (see sweep.Noise.SetParam).
	Params map[string]string `json:"params"`
}

// NewSweepSpec is a sweep with the defaults.
func NewSweepSpec() SweepSpec {
	return SweepSpec{ModelSpec: ModelSpec{Model: registry.DefaultModel}, Draws: DefaultSweepDraws, Seed: DefaultSweepSeed, Bins: DefaultSweepBins}
}

// Sweep is a sweep run; its config is the sweep's header.
type Sweep = Record[sweep.Header, sweep.Result]

// Config checks the spec, its counts against their limits (the draws,
// which env.MaxDraws may bound lower; the shards, bins and env's workers,
// sweep.Describe) and makes the sweep's configuration on sc with env's
// workers (without progress or sink). A bad noise parameter is a
// *sweep.ParamError inside the RequestError.
func (s SweepSpec) Config(sc *scenario.Scenario, env Env) (sweep.Config, error) {
	if err := env.checkDraws(s.Draws, sweep.MaxDraws); err != nil {
		return sweep.Config{}, err
	}
	m, opt, _, err := s.resolveIn(env)
	if err != nil {
		return sweep.Config{}, err
	}
	if sc, err = applyWhatIf(s.WhatIf, sc); err != nil {
		return sweep.Config{}, err
	}
	n, err := sweep.NoiseFrom(sc)
	if err != nil {
		return sweep.Config{}, badRequest(err)
	}
	o := s.Noise
	n.Override(sweep.NoiseOverride{Position: o.Position, Salience: o.Salience, Capability: o.Capability, Dropout: o.Dropout})
	if err := n.SetParams(o.Params); err != nil {
		return sweep.Config{}, badRequest(err)
	}
	cfg := sweep.Config{Scenario: sc, WhatIf: recorded(s.WhatIf), Model: m, Noise: n, Draws: s.Draws, Seed: s.Seed, HistogramBins: s.Bins, Workers: env.Workers, Options: opt}
	if s.Shard != "" {
		if cfg.Shard, err = sweep.ParseShard(s.Shard); err != nil {
			return cfg, badRequest(err)
		}
	}
	if _, err := sweep.Describe(cfg); err != nil {
		return cfg, badRequest(err)
	}
	return cfg, nil
}

// Defaults for SweepRecorder.Batch and SweepRecorder.Interval: a killed sweep loses
// at most this much finished work.
const (
	DefaultSweepBatch    = 500
	DefaultSweepInterval = time.Second
)

// SweepRecorder writes a stored sweep's draws as they finish. It holds the
// run's writer lease (writer.go) from CreateSweep or ResumeSweep until End
// or Close.
type SweepRecorder struct {
	Store store.Store
	Run   *store.Run
	// Batch and Interval: the buffered draws are written when Batch have
	// gathered or Interval has passed since the last write.
	Batch    int
	Interval time.Duration

	buf  []store.Draw
	last time.Time

	lease writerLease
}

// CreateSweep stores a new, running sweep run for cfg (its Header as the run's
// config, the scenario as its snapshot) and returns its recorder.
func CreateSweep(ctx context.Context, s store.Store, cfg sweep.Config, codeVersion string) (*SweepRecorder, error) {
	h, err := sweep.Describe(cfg)
	if err != nil {
		return nil, err
	}
	run, err := newSweepRun(h, cfg.Scenario, codeVersion)
	if err != nil {
		return nil, err
	}
	if err := s.Create(ctx, run); err != nil {
		return nil, err
	}
	r := RecordSweep(s, run)
	if err := r.lease.take(ctx, s, run.ID); err != nil {
		return nil, err
	}
	return r, nil
}

// newSweepRun is the store's row of a sweep with header h: the header as
// the run's config and sc, when not nil, as its snapshot.
func newSweepRun(h sweep.Header, sc *scenario.Scenario, codeVersion string) (*store.Run, error) {
	hd := newHeader(KindSweep, sc, codeVersion)
	hd.Scenario, hd.Model, hd.Variant, hd.Params, hd.Seed = h.Scenario, h.Model, h.Variant, h.Params, h.Seed
	return storeRun(&Sweep{Header: hd, Config: h})
}

// SaveSweep stores a complete sweep result computed elsewhere, such as the
// merge of a sweep's shards, as a finished sweep run: its header as the
// config (as Create stores it), sc as the snapshot and the result
// document (Result.Encode). sc may be nil when the scenario is not at
// hand; otherwise it must be the scenario the header's digest names. The
// draws themselves are not stored, so an incomplete result, which could
// never be resumed, is refused.
func SaveSweep(ctx context.Context, s store.Store, res *sweep.Result, sc *scenario.Scenario, codeVersion string) (*store.Run, error) {
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
	run, err := newSweepRun(res.Header, sc, codeVersion)
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

// RecordSweep returns a recorder that adds draws to an existing run,
// without taking its lease (CreateSweep and ResumeSweep take it).
func RecordSweep(s store.Store, run *store.Run) *SweepRecorder {
	return &SweepRecorder{Store: s, Run: run, Batch: DefaultSweepBatch, Interval: DefaultSweepInterval, last: time.Now()}
}

// ResumeSweep takes the writer lease of a stored, unfinished sweep (a
// *store.LeaseError while another process writes it; a writer on this
// machine whose process has ended, killed outright, loses its lease at
// once), marks it running again (it may have been interrupted) and
// returns a recorder that adds draws to it.
func ResumeSweep(ctx context.Context, s store.Store, run *store.Run) (*SweepRecorder, error) {
	r := RecordSweep(s, run)
	if err := r.lease.take(ctx, s, run.ID); err != nil {
		return nil, err
	}
	if err := s.SetStatus(ctx, run.ID, store.StatusRunning); err != nil {
		r.Close()
		return nil, err
	}
	run.Status = store.StatusRunning
	return r, nil
}

// Close stops renewing the recorder's writer lease and releases it. End
// calls it; a caller that may not reach End (a panic) defers it. It may be
// called more than once.
func (r *SweepRecorder) Close() { r.lease.release() }

// SweepProgress returns how many draws of a stored sweep are stored and how
// many it has in all (its shard's share of the requested draws); ok is
// false when run is not a sweep or its settings cannot be read.
func SweepProgress(run *store.Run) (done, total int, ok bool) {
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

// LoadSweep rebuilds the configuration of a stored, unfinished sweep (without
// workers, progress or sink) and reads its finished draws, which it
// returns and also sets as the configuration's Prior, so that running it
// does not compute them again. It checks that
// this build of Parley would run the same sweep: same scenario digest,
// model, parameters, noise, seed and draws.
func LoadSweep(ctx context.Context, s store.Store, run *store.Run, reg *model.Registry) (sweep.Config, []sweep.Draw, error) {
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
	cfg = sweep.Config{Scenario: &sc, WhatIf: h.WhatIf, Model: m, Noise: noise, Draws: h.Requested, Seed: h.Seed,
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
func (r *SweepRecorder) Add(d sweep.Draw) error {
	if err := r.lease.lost(); err != nil {
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
func (r *SweepRecorder) Flush() error {
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
func (r *SweepRecorder) End(res *sweep.Result, runErr error) (bool, error) {
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
