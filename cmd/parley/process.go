package main

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/parley-project/parley/report"
	"github.com/parley-project/parley/run"
)

func newProcess() *cobra.Command {
	var (
		out     outputFlags
		whatIf  whatIfFlags
		svg     string
		workers int
		stored  storeFlags
		spec    = run.NewProcessSpec()
	)
	cmd := &cobra.Command{
		Use:   "process [SCENARIO]",
		Short: "Play out a scenario's process: talks, votes, unilateral acts, recognition and contagion",
		Long: `Play out the stages a scenario declares in its process section (default
kosovo-2007): talks under a bargaining model up to a deadline, votes in
institutions, a unilateral act when both fail, recognition by third states
(seeded Monte Carlo) and contagion to linked disputes. Prints the dated
timeline, each issue's position and forecast after each stage, the
recognition forecast and the linked disputes; --json prints the document with
events, stages, recognition (states, cumulative) and contagion; --format csv
the events as a table (docs/csv.md).`,
		Example: `  parley process
  parley process --json --draws 2000 --seed 7 kosovo-2007
  parley process --svg recognition.svg kosovo-2007`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := out.check(svg); err != nil {
				return err
			}
			// The stages' models and states are checked before anything
			// runs, with the lines 'parley validate' gives.
			e := env(workers)
			sc, err := loadScenario(cmd, args, spec.ScenarioCheck(e))
			if err != nil {
				return err
			}
			if spec.WhatIf, err = whatIf.whatIf(sc); err != nil {
				return err
			}
			r, err := spec.Run(cmd.Context(), sc, e)
			if err != nil {
				return runError(cmd, err)
			}
			if err := stored.save(cmd, r); err != nil {
				return err
			}
			res := r.Result
			if svg != "" {
				if err := emit(nil, svg, []byte(report.ProcessCharts(res).SVG()+"\n")); err != nil {
					return err
				}
			}
			return out.emit(cmd, res, r, nil, whatIf.text(spec.WhatIf, func(w io.Writer) error { return report.Process(w, r.Snapshot, res) }))
		},
	}
	f := cmd.Flags()
	stored.register(f, "do not save the run in the results store")
	f.Uint64Var(&spec.Seed, "seed", spec.Seed, "seed of the recognition model's Monte Carlo")
	f.IntVar(&spec.Draws, "draws", spec.Draws, "Monte Carlo draws of the recognition model")
	f.IntVar(&workers, "workers", 0, "goroutines to use (default: one per CPU); results do not depend on it")
	out.register(f, "print the result as JSON")
	whatIf.register(f)
	f.StringVar(&svg, "svg", "", "also draw the timeline on a time axis and, when recognition ran, the expected cumulative recognitions with their 90% band to this SVG file")
	return cmd
}
