package server

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/store"
	"github.com/parley-project/parley/sweep"
)

// A sweep's finished draws are written to the store in batches of
// flushDraws, or after flushInterval, as 'parley sweep' writes them.
const (
	flushDraws    = 500
	flushInterval = time.Second
)

// recorder stores a sweep run and its draws.
type recorder struct {
	s    store.Store
	run  *store.Run
	buf  []store.Draw
	last time.Time
}

func (r *recorder) create(ctx context.Context, cfg sweep.Config, h sweep.Header, version string) error {
	snap, err := json.Marshal(cfg.Scenario)
	if err != nil {
		return err
	}
	conf, err := json.Marshal(h)
	if err != nil {
		return err
	}
	r.run = &store.Run{Kind: store.KindSweep, Scenario: h.Scenario, Snapshot: snap, Model: h.Model, Variant: h.Variant,
		Params: h.Params, Config: conf, Seed: h.Seed, CodeVersion: version}
	return r.s.Create(ctx, r.run)
}

// resumeConfig rebuilds the configuration and finished draws of a stored,
// unfinished sweep, checking that this build runs the same sweep.
func resumeConfig(ctx context.Context, s store.Store, run *store.Run, reg *model.Registry) (sweep.Config, []sweep.Draw, error) {
	var (
		cfg sweep.Config
		h   sweep.Header
		sc  scenario.Scenario
	)
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
	var shard sweep.Shard
	if h.Shard != "" {
		if shard, err = sweep.ParseShard(h.Shard); err != nil {
			return cfg, nil, fmt.Errorf("run %d: %w", run.ID, err)
		}
	}
	cfg = sweep.Config{Scenario: &sc, Model: m, Noise: noise, Draws: h.Requested, Seed: h.Seed, HistogramBins: h.HistogramBins, Shard: shard,
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
	return cfg, prior, nil
}

func (r *recorder) add(d sweep.Draw) error {
	data, err := json.Marshal(d.Forecasts)
	if err != nil {
		return err
	}
	r.buf = append(r.buf, store.Draw{Index: d.Index, Data: data})
	if len(r.buf) >= flushDraws || time.Since(r.last) >= flushInterval {
		return r.flush()
	}
	return nil
}

// flush writes the buffered draws. It does not use the job's context: a
// cancelled sweep must still checkpoint what it finished.
func (r *recorder) flush() error {
	r.last = time.Now()
	if len(r.buf) == 0 {
		return nil
	}
	if err := r.s.AddDraws(context.Background(), r.run.ID, r.buf); err != nil {
		return err
	}
	r.buf = r.buf[:0]
	return nil
}

// end writes the last draws and, for a complete sweep, the result.
func (r *recorder) end(res *sweep.Result, runErr error) error {
	if err := r.flush(); err != nil {
		return err
	}
	if res == nil || !res.Complete || runErr != nil {
		return nil
	}
	doc, err := res.Encode()
	if err != nil {
		return err
	}
	return r.s.Finish(context.Background(), r.run.ID, doc)
}
