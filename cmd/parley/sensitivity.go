package main

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/parley-project/parley/report"
	"github.com/parley-project/parley/run"
	"github.com/parley-project/parley/sensitivity"
)

func newSensitivity() *cobra.Command {
	var (
		out          outputFlags
		whatIf       whatIfFlags
		svgFile      string
		workers, top int
		params       []string
		stored       storeFlags
		ranges       = sensitivity.Ranges{Position: 0.1, Salience: 0.5, Capability: 0.5}
		spec         = run.NewSensitivitySpec()
	)
	cmd := &cobra.Command{
		Use:   "sensitivity [SCENARIO]",
		Short: "Rank the inputs (actor × position, salience, capability) by how much they move each forecast",
		Long: `Rank every actor's position, salience and capability by its effect on each
issue's forecast (the headline the forecast summary shows: where the forecast
settles, or the mean over its cycle): one at a time (the input at the low and
high end of its range, everything else as coded) and by variance-based
first-order and total Sobol indices with all inputs varying together
(Saltelli et al. 2010 design, Saltelli first-order and Jansen total
estimators; --samples N costs N × (3 × actors + 2) model runs; 0 skips them).
Seeded: the same --seed gives the same indices whatever --workers.

An input's range comes from the scenario's uncertainty: each number's own
range, or the 5th to 95th percentile of its sd or of the default for its
evidence (docs/uncertainty.md). --position-range, --salience-range and
--capability-range replace the latter by fixed fractions.

Columns of the table:
` + report.SensitivityColumns,
		Example: `  parley sensitivity kosovo-2007
  parley sensitivity --samples 512 --svg sensitivity.svg kosovo-2007
  parley sensitivity --model mean --json emission-1994
  parley sensitivity --format csv -o inputs.csv kosovo-2007`,
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
			for _, f := range []string{"position-range", "salience-range", "capability-range"} {
				if cmd.Flags().Changed(f) {
					spec.Ranges = &ranges
				}
			}
			batchGC()
			r, err := spec.Run(cmd.Context(), sc, env(workers))
			if err != nil {
				return runError(cmd, err)
			}
			if err := stored.save(cmd, r); err != nil {
				return err
			}
			res := r.Result
			if svgFile != "" {
				if err := emit(nil, svgFile, []byte(report.SensitivitySVG(res, top))); err != nil {
					return err
				}
			}
			return out.emit(cmd, res, r, nil, whatIf.text(spec.WhatIf, func(w io.Writer) error { return report.Sensitivity(w, res, top) }))
		},
	}
	f := cmd.Flags()
	stored.register(f, "do not save the analysis in the results store")
	modelFlags(f, &spec.ModelSpec, &params, "most rounds per run (default: the model's)", "model parameter NAME=VALUE, repeatable")
	f.Float64Var(&ranges.Position, "position-range", ranges.Position, "instead of the scenario's uncertainty: positions without their own range move by up to ± this fraction of the issue's range")
	f.Float64Var(&ranges.Salience, "salience-range", ranges.Salience, "instead of the scenario's uncertainty: saliences without their own range are multiplied by 1 ± up to this")
	f.Float64Var(&ranges.Capability, "capability-range", ranges.Capability, "instead of the scenario's uncertainty: capabilities without their own range are multiplied by 1 ± up to this")
	f.IntVar(&spec.Samples, "samples", spec.Samples, "base samples of the Sobol design (0: one-at-a-time only)")
	f.Uint64Var(&spec.Seed, "seed", spec.Seed, "random seed of the Sobol sample")
	f.IntVar(&workers, "workers", 0, "model runs at once (default: one per CPU); results do not depend on it")
	f.IntVar(&top, "top", 0, "show only the top N inputs per issue (table and chart; 0: all)")
	out.register(f, "print the result as JSON")
	whatIf.register(f)
	f.StringVar(&svgFile, "svg", "", "also write a bar chart of the ranking to this SVG file")
	return cmd
}
