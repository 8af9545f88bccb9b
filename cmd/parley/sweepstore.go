package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/model/registry"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/store"
	"github.com/parley-project/parley/sweep"
)

// Finished draws are written to the store in batches of this many, or
// after flushInterval, whichever comes first; a killed sweep loses at most
// one batch, which a resume recomputes.
const (
	flushDraws    = 500
	flushInterval = time.Second
)

// sweepStoreFlags are the results-store flags of parley sweep.
type sweepStoreFlags struct {
	db      dbFlag
	noStore bool
	resume  int64
}

func (sf *sweepStoreFlags) register(f *pflag.FlagSet) {
	sf.db.register(f)
	f.BoolVar(&sf.noStore, "no-store", false, "do not save the sweep (nor its draws) in the results store; it cannot be resumed")
	f.Int64Var(&sf.resume, "resume", 0, "continue the stored, interrupted sweep with this run id (its settings come from the store)")
}

// settingFlags change what a sweep computes; with --resume they come
// from the store and may not be given.
var settingFlags = []string{"model", "variant", "rounds", "param", "draws", "seed", "shard", "bins",
	"position-sd", "salience-sd", "capability-sd", "dropout", "param-dist"}

// sweepRecorder saves a sweep's draws as they finish.
type sweepRecorder struct {
	s      store.Store
	run    *store.Run
	header sweep.Header
	buf    []store.Draw
	last   time.Time
	stderr io.Writer
	// done is the stored result of a sweep that had already finished.
	done []byte
}

// begin opens the store for a sweep. A new sweep is recorded as a
// running run; with --resume the stored sweep's settings replace cfg's
// (keeping its workers and progress) and its finished draws become
// cfg.Prior. Every new draw is then written in batches through cfg.Sink.
// It returns nil when the sweep is not to be stored.
func (sf *sweepStoreFlags) begin(ctx context.Context, cmd *cobra.Command, args []string, cfg *sweep.Config) (*sweepRecorder, error) {
	if sf.noStore {
		if sf.resume != 0 {
			return nil, usage("--resume needs the store; drop --no-store")
		}
		return nil, nil
	}
	if sf.resume != 0 {
		if len(args) > 0 {
			return nil, usage("--resume takes the scenario from the store; drop %q", args[0])
		}
		for _, name := range settingFlags {
			if f := cmd.Flags().Lookup(name); f != nil && f.Changed {
				return nil, usage("--resume takes --%s from the store; drop it", name)
			}
		}
	}
	s, err := sf.db.open(ctx)
	if err != nil {
		return nil, fmt.Errorf("%w (use --no-store to run without saving)", err)
	}
	rec := &sweepRecorder{s: s, stderr: cmd.ErrOrStderr(), last: time.Now()}
	if sf.resume != 0 {
		err = rec.resume(ctx, sf.resume, cfg)
	} else {
		err = rec.create(ctx, cfg)
	}
	if err != nil || rec.done != nil {
		if rec.done == nil {
			s.Close()
		}
		return rec, err
	}
	cfg.Sink = rec.add
	return rec, nil
}

func (r *sweepRecorder) create(ctx context.Context, cfg *sweep.Config) error {
	h, err := sweep.Describe(*cfg)
	if err != nil {
		return usageError{err}
	}
	snap, err := json.Marshal(cfg.Scenario)
	if err != nil {
		return err
	}
	conf, err := json.Marshal(h)
	if err != nil {
		return err
	}
	r.header = h
	r.run = &store.Run{Kind: store.KindSweep, Scenario: h.Scenario, Snapshot: snap, Model: h.Model, Variant: h.Variant,
		Params: h.Params, Config: conf, Seed: h.Seed, CodeVersion: codeVersion()}
	if err := r.s.Create(ctx, r.run); err != nil {
		return err
	}
	fmt.Fprintf(r.stderr, "sweep stored as run %d in %s (if interrupted: parley sweep --resume %d)\n", r.run.ID, r.s.Location(), r.run.ID)
	return nil
}

// resume rebuilds a stored sweep's configuration and finished draws.
func (r *sweepRecorder) resume(ctx context.Context, id int64, cfg *sweep.Config) error {
	run, err := r.s.Get(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return usageError{fmt.Errorf("%w in %s", err, r.s.Location())}
	} else if err != nil {
		return err
	}
	if run.Kind != store.KindSweep {
		return usage("run %d is a %s, not a sweep", id, run.Kind)
	}
	r.run = run
	if run.Status == store.StatusDone {
		fmt.Fprintf(r.stderr, "run %d had already finished; its stored result follows\n", id)
		r.done = run.Result
		return nil
	}
	var h sweep.Header
	if err := json.Unmarshal(run.Config, &h); err != nil {
		return fmt.Errorf("run %d: stored sweep settings: %w", id, err)
	}
	var sc scenario.Scenario
	if err := json.Unmarshal(run.Snapshot, &sc); err != nil {
		return fmt.Errorf("run %d: stored scenario: %w", id, err)
	}
	m, err := registry.Default().Get(h.Model)
	if err != nil {
		return fmt.Errorf("run %d: %w", id, err)
	}
	noise, err := sweep.NoiseFromSpec(h.Noise)
	if err != nil {
		return fmt.Errorf("run %d: %w", id, err)
	}
	var shard sweep.Shard
	if h.Shard != "" {
		if shard, err = sweep.ParseShard(h.Shard); err != nil {
			return fmt.Errorf("run %d: %w", id, err)
		}
	}
	cfg.Scenario, cfg.Model, cfg.Noise, cfg.Draws, cfg.Seed, cfg.HistogramBins, cfg.Shard = &sc, m, noise, h.Requested, h.Seed, h.HistogramBins, shard
	cfg.Options = model.Options{Variant: h.Variant, Rounds: h.Rounds, Params: h.Params}
	// The rebuilt sweep must be the stored one: same scenario digest,
	// model, parameters and noise.
	again, err := sweep.Describe(*cfg)
	if err != nil {
		return fmt.Errorf("run %d: %w", id, err)
	}
	if a, b := mustJSON(again), mustJSON(h); a != b {
		return fmt.Errorf("run %d: this parley would not run the same sweep (stored %s, now %s)", id, b, a)
	}
	r.header = h
	stored, err := r.s.Draws(ctx, id)
	if err != nil {
		return err
	}
	prior := make([]sweep.Draw, len(stored))
	for i, d := range stored {
		prior[i].Index = d.Index
		if err := json.Unmarshal(d.Data, &prior[i].Forecasts); err != nil {
			return fmt.Errorf("run %d: stored draw %d: %w", id, d.Index, err)
		}
	}
	cfg.Prior = func(yield func(sweep.Draw) bool) {
		for _, d := range prior {
			if !yield(d) {
				return
			}
		}
	}
	fmt.Fprintf(r.stderr, "resuming run %d: %d of its draws were stored\n", id, len(stored))
	return nil
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// add is the sweep's sink: it buffers a finished draw and writes the
// buffer when it is full or old enough.
func (r *sweepRecorder) add(d sweep.Draw) error {
	data, err := json.Marshal(d.Forecasts)
	if err != nil {
		return err
	}
	r.buf = append(r.buf, store.Draw{Index: d.Index, Data: data})
	if len(r.buf) >= flushDraws || time.Since(r.last) >= flushInterval {
		return r.flush(context.Background())
	}
	return nil
}

func (r *sweepRecorder) flush(ctx context.Context) error {
	r.last = time.Now()
	if len(r.buf) == 0 {
		return nil
	}
	if err := r.s.AddDraws(ctx, r.run.ID, r.buf); err != nil {
		return err
	}
	r.buf = r.buf[:0]
	return nil
}

// end writes the last draws and, when the sweep is complete, its result;
// an interrupted sweep stays "running" and the user is told how to resume
// it.
func (r *sweepRecorder) end(res *sweep.Result, runErr error) error {
	if r == nil {
		return nil
	}
	defer r.s.Close()
	ctx := context.Background()
	if err := r.flush(ctx); err != nil {
		return err
	}
	if res == nil {
		return nil
	}
	if !res.Complete || runErr != nil {
		fmt.Fprintf(r.stderr, "run %d keeps %d finished draws; continue with: parley sweep --resume %d\n", r.run.ID, res.Draws, r.run.ID)
		return nil
	}
	doc, err := res.Encode()
	if err != nil {
		return err
	}
	return r.s.Finish(ctx, r.run.ID, doc)
}
