package main

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/parley-project/parley/internal/plural"
	"github.com/parley-project/parley/model/registry"
	"github.com/parley-project/parley/run"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/scenarios"
	"github.com/parley-project/parley/store"
	"github.com/parley-project/parley/sweep"
)

// sweepStoreFlags are the results-store flags of parley sweep: those of
// every command that stores its run, and --resume.
type sweepStoreFlags struct {
	storeFlags
	resume int64
}

func (sf *sweepStoreFlags) register(f *pflag.FlagSet) {
	sf.storeFlags.register(f, "do not save the sweep (nor its draws) in the results store; it cannot be resumed")
	f.Int64Var(&sf.resume, "resume", 0, "continue the stored, interrupted sweep with this run id (its settings come from the store)")
}

// settingFlags change what a sweep computes; with --resume they come
// from the store and may not be given.
var settingFlags = []string{"model", "variant", "rounds", "param", "draws", "seed", "shard", "shard-index", "bins",
	"position-sd", "salience-sd", "capability-sd", "dropout", "param-dist", "set", "drop"}

// sweepRecorder saves a sweep's draws as they finish.
type sweepRecorder struct {
	*run.SweepRecorder
	s      store.Store
	run    *store.Run
	stderr io.Writer
	// done is the stored result of a sweep that had already finished.
	done []byte
}

// begin opens the store for a sweep. A new sweep is recorded as a
// running run; with --resume the stored sweep's settings replace cfg's
// (keeping its workers and progress), its finished draws as cfg.Prior
// (see run.LoadSweep). Every new draw is then written in batches through cfg.Sink.
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
	s, err := sf.open(ctx, "run")
	if err != nil {
		return nil, err
	}
	rec := &sweepRecorder{s: s, stderr: cmd.ErrOrStderr()}
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
	cfg.Sink = rec.Add
	return rec, nil
}

func (r *sweepRecorder) create(ctx context.Context, cfg *sweep.Config) error {
	rec, err := run.CreateSweep(ctx, r.s, *cfg, codeVersion())
	if err != nil {
		return err
	}
	r.SweepRecorder, r.run = rec, rec.Run
	fmt.Fprintf(r.stderr, "sweep stored as run %d in %s (if interrupted: parley sweep --resume %d)\n", r.run.ID, r.s.Location(), r.run.ID)
	return nil
}

// resume rebuilds a stored sweep's configuration and finished draws.
func (r *sweepRecorder) resume(ctx context.Context, id int64, cfg *sweep.Config) error {
	row, err := r.s.Get(ctx, id)
	if err != nil {
		return runNotFound(err, r.s)
	}
	if row.Kind != store.KindSweep {
		return usage("run %d is a %s, not a sweep", id, row.Kind)
	}
	r.run = row
	if row.Status == store.StatusDone {
		fmt.Fprintf(r.stderr, "run %d had already finished; its stored result follows\n", id)
		r.done = row.Result
		return nil
	}
	stored, prior, err := run.LoadSweep(ctx, r.s, row, registry.Default())
	if err != nil {
		return err
	}
	workers, progress := cfg.Workers, cfg.Progress
	*cfg = stored
	cfg.Workers, cfg.Progress = workers, progress
	if r.SweepRecorder, err = run.ResumeSweep(ctx, r.s, row); err != nil {
		return err
	}
	fmt.Fprintf(r.stderr, "resuming run %d: %d of its draws were stored\n", id, len(prior))
	return nil
}

// end writes the last draws and, when the sweep is complete, its result;
// an interrupted sweep is marked "interrupted" and the user is told how to
// resume it.
func (r *sweepRecorder) end(res *sweep.Result, runErr error) error {
	if r == nil {
		return nil
	}
	defer r.s.Close()
	finished, err := r.End(res, runErr)
	if err != nil {
		return err
	}
	if res != nil && !finished {
		fmt.Fprintf(r.stderr, "run %d keeps %s; continue with: parley sweep --resume %d\n", r.run.ID, plural.Count(res.Draws, "finished draw"), r.run.ID)
	}
	return nil
}

// saveMerged stores the merged result of a sweep's shards as a finished
// sweep run, unless --no-store, and prints its id as parley sweep does.
// scenarioArg is --scenario (see mergedScenario). An incomplete merge is
// not stored: its draws are not at hand to resume it.
func (st *storeFlags) saveMerged(cmd *cobra.Command, res *sweep.Result, scenarioArg string) error {
	if st.noStore {
		return nil
	}
	sc, err := mergedScenario(res, scenarioArg)
	if err != nil {
		return err
	}
	stderr := cmd.ErrOrStderr()
	if !res.Complete {
		fmt.Fprintf(stderr, "parley: warning: the merged parts hold %d of the sweep's %s; not stored (merge every shard to store the sweep)\n", res.Draws, plural.Count(res.Requested, "draw"))
		return nil
	}
	ctx := cmd.Context()
	s, err := st.open(ctx, "merge")
	if err != nil {
		return err
	}
	defer s.Close()
	row, err := run.SaveSweep(ctx, s, res, sc, codeVersion())
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "sweep stored as run %d in %s\n", row.ID, s.Location())
	if sc == nil {
		fmt.Fprintf(stderr, "parley: note: the run keeps no snapshot of scenario %s, which is not a built-in as the shards ran it; give its file with --scenario to keep it\n", res.Scenario)
	}
	return nil
}

// mergedScenario finds the scenario a merged sweep ran, for the stored
// run's snapshot: arg (a file or a built-in name) when given, which must
// be that scenario, else the built-in of the sweep's scenario name when it
// is the same, else nil.
func mergedScenario(res *sweep.Result, arg string) (*scenario.Scenario, error) {
	if arg == "" && !slices.Contains(scenarios.Names(), res.Scenario) {
		return nil, nil
	}
	name := arg
	if name == "" {
		name = res.Scenario
	}
	sc, err := loadScenario(nil, []string{name}) // its warnings were shown when the sweep ran
	if err != nil {
		return nil, err
	}
	sum, err := sweep.ScenarioDigest(sc)
	if err != nil {
		return nil, err
	}
	if sum != res.ScenarioSHA256 {
		if arg == "" {
			// The built-in changed since the shards ran.
			return nil, nil
		}
		return nil, usage("--scenario %s: not the scenario the sweep ran (its SHA-256 is %.12s…, the sweep's %.12s…)", arg, sum, res.ScenarioSHA256)
	}
	return sc, nil
}
