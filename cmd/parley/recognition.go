package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/parley-project/parley/model/recognition"
	"github.com/parley-project/parley/report"
	"github.com/parley-project/parley/run"
)

func newRecognition() *cobra.Command {
	var (
		workers int
		out     outputFlags
		stored  storeFlags
		svgPath string
		params  []string
		spec    = run.NewRecognitionSpec()
	)
	cmd := &cobra.Command{
		Use:   "recognition [SCENARIO]",
		Short: "Forecast which states recognise a unilateral declaration, and when",
		Long: `Run the recognition hazard model (docs/models/recognition.md), fitted on
earlier recognition episodes, over the 193 UN member states: each state's
probability of having recognised by each date, and the expected cumulative
number of recognitions per month with a 90% band, from seeded Monte Carlo
draws. Each draw takes its own coefficients from their estimated sampling
distribution and its own episode effect, so the band carries the
uncertainty of the fit (--no-uncertainty shows the narrow band of a known
model instead).

The sides and dates come from the scenario's recognition stage (the
built-in kosovo-2007 by default: a declaration on a day of January or
February 2008, Serbia the parent state, Russia its patron, the United
States, the United Kingdom, France, Germany and Italy recognising, through
31 December 2020; abkhazia-2008: Russia's recognition
of 26 August 2008). The flags override them; a scenario without a
recognition stage needs --recognising, --opposing (or --parent) and --start.

Subcommands: 'fit' prints the fitted coefficients, 'backtest' validates the
model by leaving each episode out in turn.

The scenario's recognition stage is checked as 'parley validate' checks it
(file:line: field: problem, exit 2), except for what the flags replace.`,
		Example: `  parley recognition
  parley recognition abkhazia-2008
  parley recognition --draws 20000 --seed 7 --svg kosovo.svg
  parley recognition --json -o kosovo.json
  parley recognition --format csv -o kosovo.csv
  parley recognition --recognising USA,GBR --parent SRB --opposing RUS --start 2010-01-01 --entity X -p peer=0 my.yaml
  parley recognition backtest --json
  parley recognition fit`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := out.check(svgPath); err != nil {
				return err
			}
			for _, kv := range params {
				k, v, ok := strings.Cut(kv, "=")
				f, err := strconv.ParseFloat(v, 64)
				if !ok || err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
					return usage("--param %q: want NAME=NUMBER", kv)
				}
				if spec.Params == nil {
					spec.Params = map[string]float64{}
				}
				spec.Params[k] = f
			}
			// The scenario's recognition stage is checked as 'parley
			// validate' checks it, less what the flags replace.
			e := env(workers)
			sc, err := loadScenario(cmd, args, spec.ScenarioCheck(e))
			if err != nil {
				return err
			}
			// Ctrl-C stops the draws; nothing is written.
			r, err := spec.Run(cmd.Context(), sc, e)
			if errors.Is(err, context.Canceled) {
				return errors.New("interrupted; nothing written")
			} else if err != nil {
				return runError(cmd, err)
			}
			if err := stored.save(cmd, r); err != nil {
				return err
			}
			res := r.Result
			if svgPath != "" {
				if err := emitRecognitionSVG(cmd.Context(), svgPath, res); err != nil {
					return err
				}
			}
			return out.emit(cmd, res, r, nil, func(w io.Writer) error { return report.Recognition(w, res) })
		},
	}
	f := cmd.Flags()
	stored.register(f, "do not save the run in the results store")
	f.IntVar(&spec.Draws, "draws", spec.Draws, "Monte Carlo draws")
	f.Uint64Var(&spec.Seed, "seed", spec.Seed, "random seed; the same seed gives the same result")
	f.IntVar(&workers, "workers", 0, "goroutines to use (default: one per CPU); results do not depend on it")
	out.register(f, "print the result as JSON")
	f.StringVar(&svgPath, "svg", "", "also draw the cumulative curve with its band to this SVG file (atomically)")
	f.StringVar(&spec.Entity, "entity", "", "name of the declared state, for the report")
	f.StringSliceVar(&spec.Recognising, "recognising", nil, "the recognising side's patrons (ISO3 codes or names, comma-separated)")
	f.StringSliceVar(&spec.Opposing, "opposing", nil, "the opposing side's patrons (ISO3 codes or names)")
	f.StringSliceVar(&spec.Initial, "initial", nil, "states that have recognised by the start date")
	f.StringVar(&spec.Parent, "parent", "", "the state the entity leaves (ISO3 code or name; default: the first opposing state)")
	f.StringVar(&spec.Start, "start", "", "date of the declaration, YYYY-MM-DD (the first day of its window with --start-latest)")
	f.StringVar(&spec.StartLatest, "start-latest", "", "the last day the declaration may fall on: each draw takes a day from --start to this, YYYY-MM-DD")
	f.BoolVar(&spec.NoUncertainty, "no-uncertainty", false, "keep the coefficients at their estimates and leave out the episode effect (a narrow band that ignores what the fit does not know)")
	f.StringVar(&spec.End, "end", "", "last date forecast, YYYY-MM-DD (default 2020-12-31)")
	f.StringSliceVar(&spec.By, "by", nil, "dates for the per-state probabilities (default 2008-12-31, 2010-12-31, 2013-12-31, 2020-12-31 where in range)")
	f.StringArrayVarP(&params, "param", "p", nil, fmt.Sprintf("fix a model parameter NAME=VALUE (no uncertainty), repeatable (%s)", strings.Join(recognition.ParamNames, ", ")))
	cmd.AddCommand(newRecognitionFit(), newRecognitionBacktest())
	return cmd
}
