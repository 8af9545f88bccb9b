package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/parley-project/parley/model/recognition"
	"github.com/parley-project/parley/model/registry"
	"github.com/parley-project/parley/process"
	"github.com/parley-project/parley/report"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/store"
)

func newRecognition() *cobra.Command {
	var (
		draws, workers                                           int
		seed                                                     uint64
		asJSON, certain                                          bool
		stored                                                   storeFlags
		svgPath, output, entity, start, startLatest, end, parent string
		recognising, opposing, initial, params, by               []string
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
February 2008, Serbia the parent state, Russia and China its patrons, the
United States, the United Kingdom, France, Germany, Italy and Albania
recognising, through 31 December 2020; abkhazia-2008: Russia's recognition
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
  parley recognition --recognising USA,GBR --parent SRB --opposing RUS --start 2010-01-01 --entity X -p peer=0 my.yaml
  parley recognition backtest --json
  parley recognition fit`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkOutputs(output, svgPath); err != nil {
				return err
			}
			// The scenario's recognition stage is checked as 'parley
			// validate' checks it, less what the flags replace.
			check := recognitionCheck(len(recognising) > 0, len(opposing) > 0 || parent != "", len(initial) > 0, start != "" || end != "")
			sc, err := loadScenario(cmd, args, check)
			if err != nil {
				return err
			}
			in, err := recognitionInput(sc)
			if err != nil {
				return err
			}
			if in.Start.IsZero() && (len(recognising) == 0 || len(opposing) == 0 && parent == "" || start == "") {
				return usage("scenario %s declares no recognition stage: give --recognising, --opposing (or --parent) and --start", sc.Name)
			}
			if in.End.IsZero() {
				in.End = time.Date(2020, 12, 31, 0, 0, 0, 0, time.UTC)
			}
			if entity != "" {
				in.Entity = entity
			}
			if len(recognising) > 0 {
				in.Recognising = recognising
			}
			if len(opposing) > 0 || parent != "" {
				in.Opposing, in.Parent = opposing, parent
			}
			if len(initial) > 0 {
				in.Initial = initial
			}
			for _, d := range []struct {
				flag, v string
				dst     *time.Time
			}{{"start", start, &in.Start}, {"start-latest", startLatest, &in.StartLatest}, {"end", end, &in.End}} {
				if d.v == "" {
					continue
				}
				if d.flag == "start" {
					in.StartLatest = time.Time{} // a new start drops the scenario's window
				}
				t, err := time.Parse(time.DateOnly, d.v)
				if err != nil {
					return usage("--%s %q: want YYYY-MM-DD", d.flag, d.v)
				}
				*d.dst = t
			}
			fixed := map[string]float64{}
			for _, kv := range params {
				k, v, ok := strings.Cut(kv, "=")
				f, err := strconv.ParseFloat(v, 64)
				if !ok || err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
					return usage("--param %q: want NAME=NUMBER", kv)
				}
				if !slices.Contains(recognition.ParamNames, k) {
					return usage("--param %q: unknown parameter %q (want one of %s)", kv, k, strings.Join(recognition.ParamNames, ", "))
				}
				fixed[k] = f
			}
			if draws <= 0 || draws > recognition.MaxDraws {
				return usage("--draws %d: want a positive number up to %d", draws, recognition.MaxDraws)
			}
			opt := recognition.Options{Draws: draws, Seed: seed, Workers: workers, Fixed: fixed, NoUncertainty: certain, ByDates: by}
			// Ctrl-C stops the draws; nothing is written.
			res, err := recognition.Forecast(cmd.Context(), in, opt)
			if errors.Is(err, context.Canceled) {
				return errors.New("interrupted; nothing written")
			} else if err != nil {
				return usageError{err}
			}
			run := &store.Run{Kind: store.KindRecognition, Model: "recognition", Seed: seed}
			if err := storeRun(cmd, &stored, run, sc, map[string]int{"draws": draws}, res); err != nil {
				return err
			}
			data, err := render(asJSON, res, func(w io.Writer) error { return report.Recognition(w, res) })
			if err != nil {
				return err
			}
			if svgPath != "" {
				if err := emitRecognitionSVG(svgPath, res); err != nil {
					return err
				}
			}
			return emit(cmd.OutOrStdout(), output, data)
		},
	}
	f := cmd.Flags()
	stored.register(f, "do not save the run in the results store")
	f.IntVar(&draws, "draws", recognition.DefaultDraws, "Monte Carlo draws")
	f.Uint64Var(&seed, "seed", 1, "random seed; the same seed gives the same result")
	f.IntVar(&workers, "workers", 0, "goroutines to use (default: one per CPU); results do not depend on it")
	f.BoolVar(&asJSON, "json", false, "print the result as JSON")
	f.StringVar(&svgPath, "svg", "", "also draw the cumulative curve with its band to this SVG file (atomically)")
	f.StringVarP(&output, "output", "o", "", "write to this file (atomically) instead of standard output")
	f.StringVar(&entity, "entity", "", "name of the declared state, for the report")
	f.StringSliceVar(&recognising, "recognising", nil, "the recognising side's patrons (ISO3 codes or names, comma-separated)")
	f.StringSliceVar(&opposing, "opposing", nil, "the opposing side's patrons (ISO3 codes or names)")
	f.StringSliceVar(&initial, "initial", nil, "states that have recognised by the start date")
	f.StringVar(&parent, "parent", "", "the state the entity leaves (ISO3 code or name; default: the first opposing state)")
	f.StringVar(&start, "start", "", "date of the declaration, YYYY-MM-DD (the first day of its window with --start-latest)")
	f.StringVar(&startLatest, "start-latest", "", "the last day the declaration may fall on: each draw takes a day from --start to this, YYYY-MM-DD")
	f.BoolVar(&certain, "no-uncertainty", false, "keep the coefficients at their estimates and leave out the episode effect (a narrow band that ignores what the fit does not know)")
	f.StringVar(&end, "end", "", "last date forecast, YYYY-MM-DD (default 2020-12-31)")
	f.StringSliceVar(&by, "by", nil, "dates for the per-state probabilities (default 2008-12-31, 2010-12-31, 2013-12-31, 2020-12-31 where in range)")
	f.StringArrayVarP(&params, "param", "p", nil, fmt.Sprintf("fix a model parameter NAME=VALUE (no uncertainty), repeatable (%s)", strings.Join(recognition.ParamNames, ", ")))
	cmd.AddCommand(newRecognitionFit(), newRecognitionBacktest())
	return cmd
}

// recognitionInput reads the first recognition stage of the scenario's
// process: its sides, entity and end date, and its start, which is the
// stage's own date or else the date of the stage it follows. It returns a
// zero Input when the scenario has no recognition stage.
func recognitionInput(sc *scenario.Scenario) (recognition.Input, error) {
	var in recognition.Input
	if i := recognitionStage(sc); i >= 0 {
		st := sc.Process.Stages[i]
		in.Entity, in.Parent, in.Recognising, in.Opposing, in.Initial = st.Entity, st.Parent, st.Recognising, st.Opposing, st.Initial
		date, latest := st.Date, ""
		if date == "" {
			if after := sc.Process.Stage(st.After); after != nil {
				date = after.FirstDate()
				if after.LastDate() != date {
					latest = after.LastDate()
				}
			}
		}
		for _, d := range []struct {
			field, v string
			dst      *time.Time
		}{{"date", date, &in.Start}, {"window", latest, &in.StartLatest}, {"until", st.Until, &in.End}} {
			if d.v == "" {
				continue
			}
			t, err := time.Parse(time.DateOnly, d.v)
			if err != nil {
				return in, usage("%s: process stage %s: %s %q: want YYYY-MM-DD", sc.Name, st.ID, d.field, d.v)
			}
			*d.dst = t
		}
		if in.Start.IsZero() {
			return in, usage("%s: process stage %s: no start date (neither its date nor that of the stage it follows)", sc.Name, st.ID)
		}
	}
	return in, nil
}

// recognitionStage returns the index of the scenario's first recognition
// stage, the one 'parley recognition' plays, or -1.
func recognitionStage(sc *scenario.Scenario) int {
	if sc.Process == nil {
		return -1
	}
	return slices.IndexFunc(sc.Process.Stages, func(st scenario.Stage) bool { return st.Kind == scenario.StageRecognition })
}

// recognitionCheck is process.Check applied to what 'parley recognition'
// takes from the scenario: its first recognition stage, with the state
// lists the flags replace left out, and its until (a horizon counted from
// the stage it follows) left out when --start or --end sets the dates.
// What the flags give, recognition.Forecast checks. Problems are reported
// at the scenario's file, line and field, as 'parley validate' does.
func recognitionCheck(recognising, opposing, initial, dates bool) scenario.Check {
	return func(sc *scenario.Scenario) scenario.Problems {
		i := recognitionStage(sc)
		if i < 0 {
			return nil
		}
		st := sc.Process.Stages[i]
		if recognising {
			st.Recognising = nil
		}
		if opposing {
			st.Opposing, st.Parent = nil, ""
		}
		if initial {
			st.Initial = nil
		}
		if dates {
			st.Until = ""
		}
		return process.CheckStage(sc, i, &st, registry.Default())
	}
}
