package main

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"runtime"
	"strings"

	"github.com/spf13/cobra"

	"github.com/parley-project/parley/backtest"
	"github.com/parley-project/parley/backtest/deu3"
	"github.com/parley-project/parley/model/registry"
	"github.com/parley-project/parley/report"
)

// defaultDEU3 is where `parley backtest deu3` looks for the data when
// --data is not given. The data set is not shipped (its licence is not
// stated with the copy the project has); README.md says how to get it.
const defaultDEU3 = "data/deu3.csv"

func newBacktest() *cobra.Command {
	var (
		data, models, caps, svg, output string
		learned                         string
		asJSON, markdown                bool
		seed                            uint64
		boot, folds, workers            int
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
  parley backtest deu3 --data deu3.csv --capabilities equal,votes,gdp --json -o accuracy.json --svg accuracy.svg`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if args[0] != "deu3" {
				return usage("unknown data set %q (have deu3)", args[0])
			}
			schemes, err := deu3.ParseSchemes(caps)
			if err != nil {
				return usage("--capabilities: %v", err)
			}
			if err := checkOutputs(output, svg); err != nil {
				return err
			}
			reg := registry.Default()
			specs, err := backtest.ParseSpecs(models, reg)
			if err != nil {
				return usageError{err}
			}
			learners, err := backtest.ParseLearners(learned)
			if err != nil {
				return usage("--learned: %v", err)
			}
			if boot < 0 || folds < 0 || folds == 1 {
				return usage("--bootstrap must be ≥ 0 and --folds 0 (no ensemble) or ≥ 2")
			}
			if workers <= 0 {
				workers = defaultWorkers()
			}
			f, err := os.Open(data)
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) && !cmd.Flags().Changed("data") {
					return usage("no DEU III data at %s: give --data FILE (README.md, section Backtest, says where to get deu3.csv)", data)
				}
				return usageError{err}
			}
			d, err := deu3.Read(f, data)
			f.Close()
			if err != nil {
				return usageError{err}
			}
			cfg := backtest.Config{Seed: seed, Bootstrap: boot, Folds: folds, Workers: workers, Learners: learners}
			rep, err := backtest.Run(context.Background(), d, schemes, specs, reg, cfg, nil)
			if err != nil {
				return err
			}
			data, err := render(asJSON, rep, func(w io.Writer) error { return report.Backtest(w, rep, markdown) })
			if err != nil {
				return err
			}
			if svg != "" {
				if err := emitText(nil, svg, func(w io.Writer) error { return report.BacktestSVG(w, rep) }); err != nil {
					return err
				}
			}
			return emit(cmd.OutOrStdout(), output, data)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&data, "data", defaultDEU3, "the DEU III file (tab-separated, two header rows)")
	fl.StringVar(&models, "models", "all", "comma-separated models, each model or model:variant; a model alone means all its variants")
	fl.StringVar(&learned, "learned", "all", "learned models to cross-validate with the ensemble (when --folds ≥ 2): all, none, or a comma-separated list of "+strings.Join(backtest.LearnerNames(), ", "))
	fl.StringVar(&caps, "capabilities", deu3.Equal, "capability scheme(s), comma-separated: equal, votes (Council votes under Nice), gdp (the file's row 2)")
	fl.Uint64Var(&seed, "seed", 1, "seed of the bootstrap and the cross-validation folds")
	fl.IntVar(&boot, "bootstrap", 2000, "bootstrap resamples of proposals for the 95% intervals")
	fl.IntVar(&folds, "folds", 10, "K of the ensemble's K-fold cross-validation grouped by proposal; 0 leaves the ensemble out")
	fl.IntVar(&workers, "workers", 0, "goroutines to use (default: one per CPU); results do not depend on it")
	fl.BoolVar(&asJSON, "json", false, "print the report as JSON")
	fl.BoolVar(&markdown, "markdown", false, "print the tables in Markdown")
	fl.StringVar(&svg, "svg", "", "also draw the models' MAE with intervals as an SVG chart in this file")
	fl.StringVarP(&output, "output", "o", "", "write to this file (atomically) instead of standard output")
	return cmd
}

func defaultWorkers() int { return runtime.GOMAXPROCS(0) }
