package main

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"runtime"
	"strings"

	"github.com/spf13/cobra"

	"github.com/parley-project/parley/backtest"
	"github.com/parley-project/parley/report"
	"github.com/parley-project/parley/run"
)

// defaultDEU3 is where `parley backtest deu3` looks for the data when
// --data is not given. The data set is not shipped (its licence is not
// stated with the copy the project has); docs/backtest.md says how to get it.
const defaultDEU3 = "data/deu3.csv"

func newBacktest() *cobra.Command {
	var (
		data, svg string
		out       outputFlags
		markdown  bool
		workers   int
		stored    storeFlags
		spec      = run.NewBacktestSpec()
	)
	cmd := &cobra.Command{
		Use:   "backtest deu3",
		Short: "Score the models' forecasts against the outcomes of real negotiations (DEU III)",
		Long: `Run the chosen models on every usable issue of the DEU III data set
(Arregui & Perarnaud 2021) and score their forecasts against the recorded
outcomes: MAE, RMSE, median absolute error and the share within 10 points,
each with a bootstrap 95% interval from resampling proposals, broken down by
Council voting rule and by procedure. A stacked ensemble of the models and
the reference point is evaluated by K-fold cross-validation grouped by
proposal, and so are the learned models (--learned: a focal-point mixture,
procedure-dependent institution weights, a median regression and others;
docs/accuracy.md). A model beats the weighted mean when the paired 95%
interval of its MAE minus the mean's lies below zero. Issues with no outcome
or fewer than three positioned actors are skipped and counted.`,
		Example: `  parley backtest deu3 --data deu3.csv
  parley backtest deu3 --data deu3.csv --models mean,median,eum:scholz --capabilities gdp
  parley backtest deu3 --data deu3.csv --capabilities equal,votes,gdp --json -o accuracy.json --svg accuracy.svg
  parley backtest deu3 --data deu3.csv --format csv -o accuracy.csv`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if args[0] != "deu3" {
				return usage("unknown data set %q (have deu3)", args[0])
			}
			e := env(workers)
			if err := spec.Check(e); err != nil {
				return runError(cmd, err)
			}
			if e.Workers == 0 {
				e.Workers = defaultWorkers()
			}
			if err := out.check(svg); err != nil {
				return err
			}
			if _, err := os.Stat(data); errors.Is(err, fs.ErrNotExist) && !cmd.Flags().Changed("data") {
				return usage("no DEU III data at %s: give --data FILE (docs/backtest.md, \"Getting the data\", says where to get deu3.csv)", data)
			}
			raw, err := readInput(data)
			if err != nil {
				return err
			}
			d, err := run.ReadData(raw, data)
			if err != nil {
				return runError(cmd, err)
			}
			r, err := spec.Run(cmd.Context(), d, e)
			if err != nil {
				return runError(cmd, err)
			}
			if err := stored.save(cmd, r); err != nil {
				return err
			}
			rep := r.Result
			if svg != "" {
				if err := emitText(cmd.Context(), nil, svg, func(w io.Writer) error { return report.BacktestSVG(w, rep) }); err != nil {
					return err
				}
			}
			return out.emit(cmd, rep, r, nil, func(w io.Writer) error { return report.Backtest(w, rep, markdown) })
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&data, "data", defaultDEU3, "the DEU III file (tab-separated, two header rows)")
	fl.StringVar(&spec.Models, "models", spec.Models, "comma-separated models, each model or model:variant; a model alone means all its variants")
	fl.StringVar(&spec.Capabilities, "capabilities", spec.Capabilities, "capability scheme(s), comma-separated: equal, votes (Council votes under Nice), gdp (the file's row 2)")
	fl.Uint64Var(&spec.Seed, "seed", spec.Seed, "seed of the bootstrap and the cross-validation folds")
	fl.IntVar(&spec.Bootstrap, "bootstrap", spec.Bootstrap, "bootstrap resamples of proposals for the 95% intervals")
	fl.StringVar(&spec.Learned, "learned", spec.Learned, "learned models to cross-validate with the ensemble (when --folds ≥ 2): all, none, or a comma-separated list of "+strings.Join(backtest.LearnerNames(), ", "))
	fl.IntVar(&spec.Folds, "folds", spec.Folds, "K of the ensemble's K-fold cross-validation grouped by proposal; 0 leaves the ensemble out")
	fl.IntVar(&workers, "workers", 0, "goroutines to use (default: one per CPU); results do not depend on it")
	out.register(fl, "print the report as JSON")
	fl.BoolVar(&markdown, "markdown", false, "print the tables in Markdown")
	fl.StringVar(&svg, "svg", "", "also draw the models' MAE with intervals as an SVG chart in this file")
	stored.register(fl, "do not save the backtest in the results store")
	return cmd
}

func defaultWorkers() int { return runtime.GOMAXPROCS(0) }
