package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/parley-project/parley/internal/plural"
	"github.com/parley-project/parley/internal/progress"
	"github.com/parley-project/parley/model/registry"
	"github.com/parley-project/parley/report"
	"github.com/parley-project/parley/run"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/sweep"
)

func newSweep() *cobra.Command {
	var (
		out           outputFlags
		whatIf        whatIfFlags
		svgFile       string
		shardIndex    string
		workers       int
		params, dists []string
		noise         sweep.Noise
		stored        sweepStoreFlags
		spec          = run.NewSweepSpec()
	)
	cmd := &cobra.Command{
		Use:   "sweep [SCENARIO]",
		Short: "Monte Carlo sweep: perturb the inputs, run a model per draw, summarise each issue's forecast",
		Long: `Run a model many times on randomly perturbed copies of a scenario (a file or
a built-in name; default kosovo-2007) and summarise each issue's forecast:
quantiles, mean, the probability of each labelled band of the scale and a
histogram. The noise model comes from the scenario's uncertainty section,
overridden by the flags. Draw i depends only on --seed and i, so the result
is byte-identical for any --workers and any --shard split once merged with
'parley sweep merge'. Ctrl-C stops cleanly and writes the finished draws.`,
		Example: `  parley sweep --draws 10000 --position-sd 0.05 --salience-sd 0.2 kosovo-2007
  parley sweep --draws 1000 --param-dist 'q=uniform(0.5,1)' --json -o sweep.json
  parley sweep --draws 100000 --shard 3/8 --json -o part3.json
  parley sweep merge part*.json --json -o sweep.json
  parley sweep --draws 2000 --format csv -o draws.csv --svg sweep.svg`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := out.check(svgFile); err != nil {
				return err
			}
			sc, err := loadModelRun(cmd, args, params, &spec.ModelSpec)
			if err != nil {
				return err
			}
			if spec.WhatIf, err = whatIf.whatIf(sc); err != nil {
				return err
			}
			set := func(flag string, v *float64) *float64 {
				if cmd.Flags().Changed(flag) {
					return v
				}
				return nil
			}
			spec.Noise = run.NoiseSpec{Position: set("position-sd", &noise.Position), Salience: set("salience-sd", &noise.Salience),
				Capability: set("capability-sd", &noise.Capability), Dropout: set("dropout", &noise.Dropout)}
			bad := func(d string, err error) error {
				return usage("--param-dist %q: want NAME=DIST, e.g. q=uniform(0.5,1) (%v)", d, err)
			}
			for _, d := range dists {
				k, v, ok := strings.Cut(d, "=")
				if !ok || k == "" {
					return bad(d, nil)
				}
				if spec.Noise.Params == nil {
					spec.Noise.Params = map[string]string{}
				}
				spec.Noise.Params[k] = v
			}
			if shardIndex != "" {
				if spec.Shard != "" {
					return usage("give --shard or --shard-index, not both")
				}
				k, err := sweep.ParseShardIndex(shardIndex)
				if err != nil {
					return usageError{err}
				}
				spec.Shard = k.String()
			}
			cfg, err := spec.Config(sc, env(workers))
			var pe *sweep.ParamError
			if errors.As(err, &pe) {
				for _, d := range dists {
					if strings.HasPrefix(d, pe.Name+"=") {
						return bad(d, pe.Err)
					}
				}
			}
			if err != nil {
				return runError(cmd, err)
			}
			rec, err := stored.begin(cmd.Context(), cmd, args, &cfg)
			if err != nil {
				return err
			}
			if rec != nil && rec.SweepRecorder != nil {
				// Releases the run's lease even if the sweep panics.
				defer rec.SweepRecorder.Close()
			}
			if rec != nil && rec.done != nil {
				defer rec.s.Close()
				res, err := sweep.Decode(rec.done)
				if err != nil {
					return fmt.Errorf("run %d: stored result: %w", rec.run.ID, err)
				}
				stored, err := run.Read(rec.run)
				if err != nil {
					return err
				}
				var draws []sweep.Draw
				if out.format == formatCSV {
					if _, draws, err = run.LoadSweep(cmd.Context(), rec.s, rec.run, registry.Default()); err != nil {
						return err
					}
				}
				return writeSweep(cmd, &out, svgFile, stored.Head().Snapshot, rec.run.ID, res, draws, false)
			}
			if cfg.Noise.Still(cfg.Scenario) {
				fmt.Fprintln(cmd.ErrOrStderr(), "parley: warning: no noise: every level is 0 and no number has a range or sd of its own; every draw is the same, so one draw is run and counted for all")
			}
			lo, hi := cfg.Shard.Range(cfg.Draws)
			var bar *progress.Bar
			if f, ok := cmd.ErrOrStderr().(*os.File); ok {
				bar = progress.ForTerminal(f, "sweep", hi-lo)
			}
			cfg.Progress = func(done, _ int) { bar.Update(done) }
			var draws []sweep.Draw
			if out.format == formatCSV {
				keepDraws(&cfg, &draws)
			}
			batchGC()
			res, runErr := sweep.Run(cmd.Context(), cfg)
			bar.Finish()
			if err := rec.end(res, runErr); err != nil {
				return err
			}
			if runErr != nil && !errors.Is(runErr, sweep.ErrInterrupted) {
				return usageError{runErr}
			}
			var id int64
			if rec != nil {
				id = rec.run.ID
			}
			if err := writeSweep(cmd, &out, svgFile, cfg.Scenario, id, res, draws, errors.Is(runErr, sweep.ErrInterrupted)); err != nil {
				return err
			}
			if runErr != nil {
				where := "standard output"
				if out.output != "" {
					where = out.output
				}
				return fmt.Errorf("%w; %s kept in %s", runErr, plural.Count(res.Draws, "finished draw"), where)
			}
			return nil
		},
	}
	f := cmd.Flags()
	modelFlags(f, &spec.ModelSpec, &params, "most rounds per draw (default: the model's, 10 for the EUM)", "fixed model parameter NAME=VALUE, repeatable")
	f.IntVarP(&spec.Draws, "draws", "n", spec.Draws, "number of draws of the whole sweep")
	f.Uint64Var(&spec.Seed, "seed", spec.Seed, "random seed; draw i depends only on the seed and i")
	f.IntVar(&workers, "workers", 0, "draws run at once (default: one per CPU); results do not depend on it")
	f.StringVar(&spec.Shard, "shard", spec.Shard, "run only the K-th of N slices of the draws, as K/N (merge with 'parley sweep merge')")
	f.StringVar(&shardIndex, "shard-index", "", "as --shard, with the slice counted from 0: I/N is --shard I+1/N (for array jobs' 0-based indices, e.g. Kubernetes' $(JOB_COMPLETION_INDEX))")
	f.IntVar(&spec.Bins, "bins", spec.Bins, "histogram bins (must divide 1000)")
	f.Float64Var(&noise.Position, "position-sd", 0, "sd of additive normal noise on positions, as a fraction of the issue's range")
	f.Float64Var(&noise.Salience, "salience-sd", 0, "σ of multiplicative log-normal noise on saliences")
	f.Float64Var(&noise.Capability, "capability-sd", 0, "σ of multiplicative log-normal noise on capabilities")
	f.Float64Var(&noise.Dropout, "dropout", 0, "probability that an actor sits a draw out")
	f.StringArrayVar(&dists, "param-dist", nil, "draw a model parameter: NAME=DIST with DIST fixed(v), uniform(lo,hi), normal(m,sd) or normal(m,sd,lo,hi); repeatable")
	out.register(f, "print the result as JSON (the form 'parley sweep merge' reads)")
	whatIf.register(f)
	f.StringVar(&svgFile, "svg", "", "also draw each issue's bands and histogram to this SVG file")
	stored.register(f)
	cmd.AddCommand(newSweepMerge())
	return cmd
}

// expandParts expands the arguments of 'sweep merge' that are glob
// patterns and name no file (part-*.json), so that the command works in
// a container without a shell to expand them; a pattern that matches
// nothing is an error.
func expandParts(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		if _, err := os.Stat(a); err == nil || !strings.ContainsAny(a, "*?[") {
			out = append(out, a)
			continue
		}
		m, err := filepath.Glob(a)
		if err != nil || len(m) == 0 {
			return nil, usage("%s: no such file, and no file matches it as a pattern", a)
		}
		out = append(out, m...)
	}
	return out, nil
}

// batchGC lets the heap grow to five times the live data between
// collections (GOGC=400) unless the user set GOGC: a sweep's live heap is a
// few megabytes and it makes garbage fast, so at the default the collector
// runs every few draws and its preemptions cost a third of the time.
func batchGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
}

// writeSweep prints a sweep result as a table, as JSON (the bytes of
// sweep.Result.Encode, which 'parley sweep merge' reads) or as the CSV
// table of its draws, and draws its charts to svgFile when given. id is
// the stored run's (0 when not stored); sc may be nil. A sweep that Ctrl-C
// interrupted (interrupted) writes the draws it finished all the same:
// that Ctrl-C does not stop the writing.
func writeSweep(cmd *cobra.Command, out *outputFlags, svgFile string, sc *scenario.Scenario, id int64, res *sweep.Result, draws []sweep.Draw, interrupted bool) error {
	if svgFile != "" {
		if err := emit(nil, svgFile, []byte(report.SweepCharts(sc, res).SVG()+"\n")); err != nil {
			return err
		}
	}
	r := &run.Sweep{Header: run.Header{ID: id, Kind: run.KindSweep, Scenario: res.Scenario, Snapshot: sc, Model: res.Model, Variant: res.Variant},
		Config: res.Header, Result: res}
	ctx := cmd.Context()
	if interrupted {
		ctx = context.WithoutCancel(ctx)
	}
	return out.emitIn(ctx, cmd, res, r, draws, func(w io.Writer) error { return report.Sweep(w, res) })
}

// keepDraws makes the sweep of cfg also keep every draw, earlier ones
// (cfg.Prior) and new ones, in draws, for its CSV table.
func keepDraws(cfg *sweep.Config, draws *[]sweep.Draw) {
	if prior := cfg.Prior; prior != nil {
		cfg.Prior = func(yield func(sweep.Draw) bool) {
			for d := range prior {
				*draws = append(*draws, d)
				if !yield(d) {
					return
				}
			}
		}
	}
	sink := cfg.Sink
	cfg.Sink = func(d sweep.Draw) error {
		*draws = append(*draws, d)
		if sink != nil {
			return sink(d)
		}
		return nil
	}
}

func newSweepMerge() *cobra.Command {
	var (
		output, scenarioArg string
		asJSON              bool
		stored              storeFlags
	)
	cmd := &cobra.Command{
		Use:   "merge FILE...",
		Short: "Combine the JSON outputs of sweep shards into the result of the whole sweep",
		Long: `Combine 'parley sweep --json' outputs of disjoint parts of one sweep (its
--shard slices, in any order) into exactly the result the unsharded sweep
gives: with --json the same bytes. Parts of different sweeps (scenario,
model, parameters, noise, seed or draws) and overlapping parts are refused.

Like 'parley sweep', the merged sweep is saved in the results store as a
finished sweep run (--db, $PARLEY_DB; --no-store not to), for 'parley runs
show ID' and 'parley report ID --html'. The run keeps a snapshot of the
scenario when it is at hand: the built-in of the sweep's scenario name, or
the file given with --scenario; either must be the scenario the shards
ran. A merge with a shard missing is printed but not stored.`,
		Example: `  parley sweep merge part*.json --json -o sweep.json
  parley sweep merge --scenario my-dispute.yaml part*.json`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			// Refused before the merged run is stored.
			if err := checkOutputs(output); err != nil {
				return err
			}
			paths, err := expandParts(args)
			if err != nil {
				return err
			}
			var parts []*sweep.Result
			for _, path := range paths {
				data, err := readInput(path)
				if err != nil {
					return err
				}
				r, err := sweep.Decode(data)
				if err != nil {
					return usage("%s: not a sweep result: %v", path, err)
				}
				parts = append(parts, r)
			}
			res, err := sweep.Merge(parts...)
			if err != nil {
				return usageError{err}
			}
			if err := stored.saveMerged(cmd, res, scenarioArg); err != nil {
				return err
			}
			return emitResult(cmd.Context(), cmd.OutOrStdout(), output, asJSON, res, func(w io.Writer) error { return report.Sweep(sized(cmd, w), res) })
		},
	}
	f := cmd.Flags()
	f.BoolVar(&asJSON, "json", false, "print the merged result as JSON")
	f.StringVarP(&output, "output", "o", "", "write to this file (atomically) instead of standard output")
	f.StringVar(&scenarioArg, "scenario", "", "the scenario the shards ran (a file or a built-in name), kept with the stored run (default: the built-in of the sweep's scenario name)")
	stored.register(f, "do not save the merged sweep in the results store")
	return cmd
}
