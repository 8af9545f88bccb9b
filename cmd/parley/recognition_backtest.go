package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/spf13/cobra"

	"github.com/parley-project/parley/model/recognition"
	"github.com/parley-project/parley/model/recognition/episodes"
	"github.com/parley-project/parley/report"
)

// loadEpisodes returns the embedded episodes, or those of the YAML files
// in dir; a bad file is a usage error naming file, line and field.
func loadEpisodes(dir string) ([]*episodes.Episode, error) {
	if dir == "" {
		return recognition.AllEpisodes()
	}
	w, err := recognition.LoadWorld()
	if err != nil {
		return nil, err
	}
	names, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return nil, usage("--episodes %s: %v", dir, err)
	}
	if len(names) == 0 {
		return nil, usage("--episodes %s: no .yaml episode files there", dir)
	}
	sort.Strings(names)
	var out []*episodes.Episode
	for _, n := range names {
		data, err := readBounded(n, episodes.MaxBytes)
		if err != nil {
			return nil, usage("%v", err)
		}
		ep, err := episodes.Parse(n, data, w.Known)
		if err != nil {
			return nil, usageError{err}
		}
		if _, err := w.AgreementPeriod(ep.ID, ep.Declared); err != nil {
			return nil, usage("%s:%d: id: %v", n, ep.Line, err)
		}
		out = append(out, ep)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Declared.Before(out[j].Declared) })
	return out, nil
}

// readBounded reads a file of at most max bytes; a larger file is an
// error (read no further than max+1 bytes).
func readBounded(name string, max int) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, int64(max)+1))
	if err != nil {
		return nil, err
	}
	if len(data) > max {
		return nil, fmt.Errorf("%s: the file has more than %d bytes", name, max)
	}
	return data, nil
}

// episodesCommand is a subcommand of 'parley recognition' that works on
// the episodes (--episodes, --json, -o): run computes the result and the
// function that prints it as text.
func episodesCommand(cmd *cobra.Command, what string, run func(cmd *cobra.Command, eps []*episodes.Episode) (any, func(io.Writer) error, error)) *cobra.Command {
	var (
		asJSON        bool
		output, epDir string
	)
	cmd.Args = cobra.NoArgs
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if err := checkOutputs(output); err != nil {
			return err
		}
		eps, err := loadEpisodes(epDir)
		if err != nil {
			return err
		}
		v, text, err := run(cmd, eps)
		if errors.Is(err, context.Canceled) {
			return errors.New("interrupted; nothing written")
		} else if err != nil {
			return err
		}
		data, err := render(cmd.Context(), asJSON, v, text)
		if err != nil {
			return err
		}
		return emit(cmd.OutOrStdout(), output, data)
	}
	f := cmd.Flags()
	f.BoolVar(&asJSON, "json", false, "print the "+what+" as JSON")
	f.StringVarP(&output, "output", "o", "", "write to this file (atomically) instead of standard output")
	f.StringVar(&epDir, "episodes", "", "read the episodes from the .yaml files of this folder instead of the shipped ones")
	return cmd
}

func newRecognitionFit() *cobra.Command {
	return episodesCommand(&cobra.Command{
		Use:   "fit",
		Short: "Fit the recognition model on the episodes and print its coefficients",
		Long: `Fit the discrete-time complementary log-log hazard with an episode random
effect by maximum likelihood on the recognition episodes
(model/recognition/episodes, or the YAML files of --episodes), and print each
parameter with its standard error from the observed information. The model
shipped in the binary is this fit on the shipped episodes.`,
		Example: `  parley recognition fit
  parley recognition fit --json -o fit.json
  parley recognition fit --episodes my-episodes/`,
	}, "fit", func(_ *cobra.Command, eps []*episodes.Episode) (any, func(io.Writer) error, error) {
		f, err := recognition.FitEpisodes(eps)
		return f, func(w io.Writer) error { return report.RecognitionFit(w, f) }, err
	})
}

func newRecognitionBacktest() *cobra.Command {
	var (
		draws, workers int
		seed           uint64
	)
	cmd := episodesCommand(&cobra.Command{
		Use:   "backtest",
		Short: "Validate the recognition model by leaving each episode out in turn",
		Long: `For each recognition episode, fit the model on the others and forecast the
one left out from its declaration: the per-state Brier and log scores for
recognising by the end of the episode's window, the error of the expected
number of recognitions at 1, 3, 6 and 12 years (where the window lasts that
long) and at the window's end, and whether the 50% and 90% bands cover the
actual number; each against a bloc-rule baseline (docs/models/recognition.md).`,
		Example: `  parley recognition backtest
  parley recognition backtest --json --draws 4000 --seed 2`,
	}, "scores", func(cmd *cobra.Command, eps []*episodes.Episode) (any, func(io.Writer) error, error) {
		if draws <= 0 || draws > recognition.MaxDraws {
			return nil, nil, usage("--draws %d: want a positive number up to %d", draws, recognition.MaxDraws)
		}
		b, err := recognition.RunBacktest(cmd.Context(), eps, recognition.Options{Draws: draws, Seed: seed, Workers: workers})
		return b, func(w io.Writer) error { return report.RecognitionBacktest(w, b) }, err
	})
	f := cmd.Flags()
	f.IntVar(&draws, "draws", 2000, "Monte Carlo draws per held-out episode")
	f.Uint64Var(&seed, "seed", 1, "random seed; the same seed gives the same result")
	f.IntVar(&workers, "workers", 0, "goroutines to use (default: one per CPU); results do not depend on it")
	return cmd
}
