// Package tidy writes runs as tidy long tables in CSV, for R, pandas and
// spreadsheets: one observation per row, one variable per column, the
// same columns whatever the scenario (an issue or an actor is a value in
// a column, never a column of its own), so that tables of several runs
// can be stacked. Each kind of run has one table (docs/csv.md lists
// their columns):
//
//   - forecast: one row per issue × round × series (the forecast, the
//     median, the weighted mean, each actor's position);
//   - sweep: one row per draw × issue, the draw's forecast;
//   - sensitivity: one row per issue × input, its effects;
//   - recognition (and a process's recognition stage): one row per date ×
//     state (the probability of having recognised) and per month (the
//     expected count and its percentiles);
//   - backtest: one row per model × capability scheme × subset × metric;
//   - process: one row per event of the timeline;
//   - conflicts: one row per issue × ordered pair of actors.
//
// A missing value is written NA, which R's read.csv and pandas' read_csv
// both read as missing; numbers are written with every digit
// (strconv 'g', -1), so a table loses nothing of the run.
package tidy

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"

	"github.com/parley-project/parley/backtest"
	"github.com/parley-project/parley/model/recognition"
	"github.com/parley-project/parley/process"
	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/run"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/sensitivity"
	"github.com/parley-project/parley/strategy/conflict"
	"github.com/parley-project/parley/sweep"
)

// NA is how a table writes a missing value.
const NA = "NA"

// ErrNoTable is Write's error for a run whose kind has no table (advice,
// voting power) or that has no result yet.
var ErrNoTable = errors.New("no CSV table for this run")

// Write writes r as its kind's table. A sweep's table is its draws,
// which the caller gives (the store keeps them apart from the run's
// result: run.LoadSweep); draws is ignored for other kinds.
func Write(w io.Writer, r run.Run, draws []sweep.Draw) error {
	t := &table{cw: csv.NewWriter(w), h: r.Head()}
	switch r := r.(type) {
	case *run.Forecast:
		if r.Result != nil {
			return t.forecast(r.Result)
		}
	case *run.Sweep:
		if r.Result != nil {
			return t.sweep(r.Result, draws)
		}
	case *run.Sensitivity:
		if r.Result != nil {
			return t.sensitivity(r.Result)
		}
	case *run.Recognition:
		if r.Result != nil {
			return t.recognition(r.Result)
		}
	case *run.Process:
		if r.Result != nil {
			return t.process(r.Result)
		}
	case *run.Backtest:
		if r.Result != nil {
			return t.backtest(r.Result)
		}
	case *run.Conflicts:
		if r.Result != nil && r.Result.Conflicts != nil {
			return t.conflicts(r.Result.Conflicts)
		}
	}
	h := r.Head()
	if h.Status != "" && h.Status != "done" {
		return fmt.Errorf("%w: run %d is %s", ErrNoTable, h.ID, h.Status)
	}
	return fmt.Errorf("%w: a %s run has none (CSV tables: forecast, sweep, sensitivity, recognition, process, backtest, conflicts)", ErrNoTable, h.Kind)
}

// table writes one CSV table of a run.
type table struct {
	cw *csv.Writer
	h  *run.Header
}

// Num writes a number with every digit, NA for NaN or an infinity.
func Num(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return NA
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// opt writes an optional number, NA when absent.
func opt(v *float64) string {
	if v == nil {
		return NA
	}
	return Num(*v)
}

// str writes a text value, NA when empty.
func str(s string) string {
	if s == "" {
		return NA
	}
	return s
}

// runID is the run's id, NA for a run not stored.
func (t *table) runID() string {
	if t.h.ID == 0 {
		return NA
	}
	return strconv.FormatInt(t.h.ID, 10)
}

// prefix is the columns every table of a model run starts with.
func (t *table) prefix() []string {
	return []string{t.runID(), str(t.h.Scenario), str(t.h.Model), str(t.h.Variant)}
}

var prefixColumns = []string{"run", "scenario", "model", "variant"}

func (t *table) header(cols ...string) {
	t.cw.Write(append(slices.Clone(prefixColumns), cols...))
}

func (t *table) row(cols ...string) {
	t.cw.Write(append(t.prefix(), cols...))
}

// done flushes the table and returns the first error of its writes.
func (t *table) done() error {
	t.cw.Flush()
	return t.cw.Error()
}

// actorOrder is the ids of positions in the scenario's actor order (ids
// it does not list after them, sorted).
func actorOrder(sc *scenario.Scenario, positions map[string]float64) []string {
	ids := make([]string, 0, len(positions))
	for id := range positions {
		ids = append(ids, id)
	}
	sc.SortActorIDs(ids)
	return ids
}

// ForecastColumns are the columns of a forecast's table.
var ForecastColumns = []string{"issue", "round", "series", "actor", "value"}

func (t *table) forecast(res *result.Result) error {
	t.header(ForecastColumns...)
	for _, is := range res.Issues {
		for _, r := range is.Rounds {
			round := strconv.Itoa(r.Round)
			t.row(is.ID, round, "forecast", NA, Num(r.Forecast))
			t.row(is.ID, round, "median", NA, Num(r.Median))
			t.row(is.ID, round, "mean", NA, Num(r.Mean))
			for _, id := range actorOrder(t.h.Snapshot, r.Positions) {
				t.row(is.ID, round, "position", id, Num(r.Positions[id]))
			}
		}
	}
	return t.done()
}

// SweepColumns are the columns of a sweep's table.
var SweepColumns = []string{"draw", "issue", "forecast"}

func (t *table) sweep(res *sweep.Result, draws []sweep.Draw) error {
	t.header(SweepColumns...)
	draws = slices.Clone(draws)
	slices.SortFunc(draws, func(a, b sweep.Draw) int { return a.Index - b.Index })
	for _, d := range draws {
		if len(d.Forecasts) != len(res.Issues) {
			return fmt.Errorf("draw %d has %d forecasts for %d issues", d.Index, len(d.Forecasts), len(res.Issues))
		}
		for k, is := range res.Issues {
			t.row(strconv.Itoa(d.Index), is.ID, Num(d.Forecasts[k]))
		}
	}
	return t.done()
}

// SensitivityColumns are the columns of a sensitivity analysis's table.
var SensitivityColumns = []string{"issue", "baseline", "rank", "actor", "actor_name", "input", "low", "high", "effect", "first_order", "total"}

func (t *table) sensitivity(res *sensitivity.Result) error {
	t.header(SensitivityColumns...)
	for _, is := range res.Issues {
		for k, f := range is.Factors {
			t.row(is.ID, Num(is.Baseline), strconv.Itoa(k+1), f.Actor, str(f.Name), f.Attribute,
				Num(f.Low), Num(f.High), Num(f.Effect), opt(f.First), opt(f.Total))
		}
	}
	return t.done()
}

// RecognitionColumns are the columns of a recognition forecast's table.
var RecognitionColumns = []string{"date", "measure", "state", "state_name", "side", "value"}

func (t *table) recognition(res *recognition.Result) error {
	t.header(RecognitionColumns...)
	t.recognitionRows(res)
	return t.done()
}

// recognitionRows are the rows of a recognition forecast: each month's
// expected count and percentiles, then each state's probability by each
// reported date.
func (t *table) recognitionRows(res *recognition.Result) {
	for _, p := range res.Cumulative {
		t.row(p.Date, "expected", NA, NA, NA, Num(p.Expected))
		t.row(p.Date, "p05", NA, NA, NA, Num(p.P05))
		t.row(p.Date, "p50", NA, NA, NA, Num(p.P50))
		t.row(p.Date, "p95", NA, NA, NA, Num(p.P95))
	}
	for _, s := range res.States {
		dates := make([]string, 0, len(s.PBy))
		for d := range s.PBy {
			dates = append(dates, d)
		}
		sort.Strings(dates)
		for _, d := range dates {
			t.row(d, "p_recognised", s.ISO3, str(s.Name), str(s.Side), Num(s.PBy[d]))
		}
	}
}

// ProcessColumns are the columns of a process's table.
var ProcessColumns = []string{"date", "date_from", "date_to", "stage", "kind", "dispute", "outcome", "description"}

func (t *table) process(res *process.Result) error {
	t.header(ProcessColumns...)
	for _, e := range res.Events {
		t.row(e.Date, str(e.From), str(e.To), e.Stage, e.Kind, str(e.Dispute), str(e.Outcome), e.Description)
	}
	return t.done()
}

// BacktestColumns are the columns of a backtest's table; the model of
// each row is in "entry" (the run's own model column says "backtest").
var BacktestColumns = []string{"entry", "entry_variant", "capabilities", "scope", "cross_validated", "subset", "n", "metric", "value", "ci_low", "ci_high"}

func (t *table) backtest(rep *backtest.Report) error {
	t.header(BacktestColumns...)
	for _, e := range rep.Models {
		metrics := func(subset string, m backtest.Metrics, cis map[string][2]float64) {
			for _, v := range []struct {
				name  string
				value float64
			}{{"mae", m.MAE}, {"rmse", m.RMSE}, {"median_ae", m.MedianAE}, {"within10", m.Within10}} {
				lo, hi := NA, NA
				if ci, ok := cis[v.name]; ok {
					lo, hi = Num(ci[0]), Num(ci[1])
				}
				t.row(e.Model, str(e.Variant), e.Capabilities, str(e.Scope), strconv.FormatBool(e.CV), subset, strconv.Itoa(m.N), v.name, Num(v.value), lo, hi)
			}
		}
		metrics("all", e.Metrics, map[string][2]float64{"mae": e.MAECI, "rmse": e.RMSECI, "median_ae": e.MedianAECI, "within10": e.Within10CI})
		extra := func(name string, v *float64, ci *[2]float64) {
			if v == nil {
				return
			}
			lo, hi := NA, NA
			if ci != nil {
				lo, hi = Num(ci[0]), Num(ci[1])
			}
			t.row(e.Model, str(e.Variant), e.Capabilities, str(e.Scope), strconv.FormatBool(e.CV), "all", strconv.Itoa(e.N), name, Num(*v), lo, hi)
		}
		extra("mae_vs_mean", e.VsMean, e.VsMeanCI)
		extra("crps", e.CRPS, e.CRPSCI)
		extra("crps_vs_mean", e.CRPSVsMean, e.CRPSVsMeanCI)
		for _, by := range []struct {
			prefix string
			m      map[string]backtest.Metrics
		}{{"rule", e.ByRule}, {"procedure", e.ByProcedure}} {
			keys := make([]string, 0, len(by.m))
			for k := range by.m {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				metrics(by.prefix+":"+k, by.m[k], nil)
			}
		}
	}
	return t.done()
}

// ConflictsColumns are the columns of a conflicts view's table.
var ConflictsColumns = []string{"round", "perspective", "issue", "actor", "other", "a", "b", "relation", "ahead"}

func (t *table) conflicts(v *conflict.View) error {
	t.header(ConflictsColumns...)
	for _, is := range v.Issues {
		for _, p := range is.Pairs {
			t.row(strconv.Itoa(v.Round), str(v.Perspective), str(is.ID), p.I, p.J, Num(p.A), Num(p.B), str(p.Relation), str(p.Ahead))
		}
	}
	return t.done()
}
