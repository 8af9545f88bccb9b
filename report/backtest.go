package report

import (
	"fmt"
	"io"
	"math"
	"path/filepath"
	"sort"
	"strings"

	"github.com/parley-project/parley/internal/plural"

	"github.com/parley-project/parley/backtest"
)

// Backtest writes a backtest report as tables (BacktestTables), fitted
// to the writer's width (WithWidth); markdown selects Markdown tables.
func Backtest(w io.Writer, rep *backtest.Report, markdown bool) error {
	width := WidthOf(w)
	ew := &errWriter{w: w}
	intro, tables, notes := BacktestTables(rep)
	for _, l := range intro {
		ew.printf("%s\n", Wrap(l, width, "", ""))
	}
	if !markdown && tables[0].overflows(width) {
		// Too narrow for the scores beside their intervals.
		tables = append(backtestScores(rep, true), tables[1:]...)
	}
	for _, t := range tables {
		if t.Caption != "" {
			ew.printf("\n%s\n", Wrap(t.Caption, width, "", ""))
		}
		ew.printf("\n")
		if markdown {
			t.Markdown(ew)
		} else {
			t.Write(ew, width, "")
		}
	}
	for _, n := range notes {
		ew.printf("\n%s\n", Wrap(n, width, "", "  "))
	}
	return ew.err
}

// BacktestTables lays out a backtest report: the lines that say what was
// scored, the tables (every model's scores with their bootstrap 95%
// intervals; the MAE by Council voting rule and by procedure; the CRPS of
// the models that give a distribution) and the notes on the ensembles'
// weights and the learned models' parameters.
func BacktestTables(rep *backtest.Report) (intro []string, tables []Table, notes []string) {
	skipped := make([]string, 0, len(rep.Skipped))
	for k, v := range rep.Skipped {
		skipped = append(skipped, fmt.Sprintf("%d with %s", v, k))
	}
	sort.Strings(skipped)
	intro = append(intro, fmt.Sprintf("Backtest on %s: %s from %s used, %d skipped (%s); %s imputed, %s with salience 0 left out.",
		filepath.Base(rep.Data), plural.Count(rep.IssuesUsed, "issue"), plural.Count(rep.Proposals, "proposal"), rep.IssuesSkipped, strings.Join(skipped, ", "),
		plural.Count(rep.ImputedSaliences, "missing salience"), plural.Count(rep.ZeroSalience, "actor")))
	line := fmt.Sprintf("Errors on the 0–100 scale; [95%% bootstrap interval, %s of proposals, seed %d]", plural.Count(rep.Bootstrap, "resample"), rep.Seed)
	if rep.Folds > 0 {
		line += fmt.Sprintf("; the ensemble and the learned models are cross-validated (cv: yes), %s grouped by proposal", plural.Count(rep.Folds, "fold"))
	}
	intro = append(intro, line+". A model beats the mean when the paired 95% interval of its MAE minus the mean's lies below zero.")

	tables = append(tables, backtestScores(rep, false)...)

	rules, procs := keys(rep, func(e backtest.Entry) map[string]backtest.Metrics { return e.ByRule }),
		keys(rep, func(e backtest.Entry) map[string]backtest.Metrics { return e.ByProcedure })
	by := Table{Caption: "MAE by Council voting rule and by procedure (n in brackets):", Head: []string{"model", "capabilities"}, Cols: []Column{wrapCol(10), {}}}
	for _, r := range rules {
		by.Head = append(by.Head, "rule "+r)
	}
	for _, p := range procs {
		by.Head = append(by.Head, "proc "+p)
	}
	for range len(rules) + len(procs) {
		by.Cols = append(by.Cols, numCol)
	}
	for _, e := range rep.Models {
		cells := []string{label(e), e.Capabilities}
		for _, r := range rules {
			m := e.ByRule[r]
			cells = append(cells, fmt.Sprintf("%.2f (%d)", m.MAE, m.N))
		}
		for _, p := range procs {
			m := e.ByProcedure[p]
			cells = append(cells, fmt.Sprintf("%.2f (%d)", m.MAE, m.N))
		}
		by.Rows = append(by.Rows, cells)
	}
	tables = append(tables, by)

	crps := Table{Caption: "Models that give a predictive distribution, scored by the CRPS (continuous ranked probability score; a point forecast's CRPS is its absolute error, so the mean's is its MAE):",
		Head: []string{"model", "capabilities", "CRPS", "CRPS − mean's MAE"}, Cols: []Column{wrapCol(10), {}, wrapCol(8), wrapCol(8)}}
	for _, e := range rep.Models {
		if e.CRPS == nil {
			continue
		}
		vs := ""
		if e.CRPSVsMean != nil {
			vs = fmt.Sprintf("%+.2f [%+.2f, %+.2f]", *e.CRPSVsMean, e.CRPSVsMeanCI[0], e.CRPSVsMeanCI[1])
		}
		interval := [2]float64{math.NaN(), math.NaN()}
		if e.CRPSCI != nil {
			interval = *e.CRPSCI
		}
		crps.Rows = append(crps.Rows, []string{label(e), e.Capabilities, ci(*e.CRPS, interval, 1, "%.2f"), vs})
	}
	if len(crps.Rows) > 0 {
		tables = append(tables, crps)
	}

	for _, e := range rep.Models {
		if len(e.Weights) > 0 {
			parts := sortedPairs(e.Weights, "%.3f")
			if len(e.Alphas) == 0 {
				notes = append(notes, fmt.Sprintf("%s (%s) weights averaged over folds: %s.", label(e), e.Capabilities, parts))
			} else {
				notes = append(notes, fmt.Sprintf("%s (%s) weights averaged over folds: %s; shrinkage α per fold %v.", label(e), e.Capabilities, parts, e.Alphas))
			}
		}
		if len(e.Params) > 0 {
			notes = append(notes, fmt.Sprintf("%s (%s) parameters averaged over folds: %s.", label(e), e.Capabilities, sortedPairs(e.Params, "%.3g")))
		}
	}
	return intro, tables, notes
}

// backtestScores is the table of every model's scores with their
// bootstrap 95% intervals beside them or, split, two tables: the scores,
// and their intervals (for a terminal too narrow for both).
func backtestScores(rep *backtest.Report, split bool) []Table {
	head := []string{"model", "capabilities", "n", "MAE", "RMSE", "median AE", "within 10", "MAE − mean", "beats mean", "cv"}
	cols := []Column{wrapCol(10), wrapCol(8), numCol, {}, {}, {}, {}, {}, {}, {}}
	if split {
		// narrow: the long heads of the short values wrap
		cols = []Column{wrapCol(10), wrapCol(8), numCol, {}, {}, wrapCol(8), wrapCol(8), wrapCol(8), wrapCol(8), {}}
	}
	scores := Table{Head: head, Cols: cols}
	intervals := Table{Caption: "Their 95% bootstrap intervals:", Head: []string{"model", "capabilities", "MAE", "RMSE", "median AE", "within 10", "MAE − mean"},
		Cols: []Column{wrapCol(8), wrapCol(8), {}, {}, {}, wrapCol(8)}}
	// A value and its interval, or the value alone and the interval as a
	// range.
	cell := func(v float64, iv [2]float64, scale float64, format string) (string, string) {
		if !split {
			return ci(v, iv, scale, format), ""
		}
		return fmt.Sprintf(format, v*scale), fmt.Sprintf(format+"–"+format, iv[0]*scale, iv[1]*scale)
	}
	for _, e := range rep.Models {
		vs, vsIv, beats := "", "", ""
		if e.VsMean != nil {
			vs, vsIv = cell(*e.VsMean, *e.VsMeanCI, 1, "%+.2f")
			beats = "no"
			if *e.BeatsMean {
				beats = "yes"
			}
		}
		cv := ""
		if e.CV {
			cv = "yes"
		}
		mae, maeIv := cell(e.MAE, e.MAECI, 1, "%.2f")
		rmse, rmseIv := cell(e.RMSE, e.RMSECI, 1, "%.2f")
		med, medIv := cell(e.MedianAE, e.MedianAECI, 1, "%.2f")
		w10, w10Iv := cell(e.Within10, e.Within10CI, 100, "%.0f%%")
		scores.Rows = append(scores.Rows, []string{label(e), e.Capabilities, fmt.Sprint(e.N), mae, rmse, med, w10, vs, beats, cv})
		intervals.Rows = append(intervals.Rows, []string{label(e), e.Capabilities, maeIv, rmseIv, medIv, w10Iv, vsIv})
	}
	if !split {
		return []Table{scores}
	}
	return []Table{scores, intervals}
}

// sortedPairs writes "name value" pairs in name order.
func sortedPairs(m map[string]float64, format string) string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, k := range names {
		parts[i] = fmt.Sprintf("%s "+format, k, m[k])
	}
	return strings.Join(parts, ", ")
}

func label(e backtest.Entry) string {
	return backtest.Spec{Model: e.Model, Variant: e.Variant, Proposal: e.Scope == backtest.ScopeProposal}.String()
}

// ci writes a value with its interval [lo, hi], each multiplied by scale
// (100 for a share written as a percentage).
func ci(v float64, iv [2]float64, scale float64, format string) string {
	return fmt.Sprintf(format+" ["+format+", "+format+"]", v*scale, iv[0]*scale, iv[1]*scale)
}

func keys(rep *backtest.Report, get func(backtest.Entry) map[string]backtest.Metrics) []string {
	seen := map[string]bool{}
	var out []string
	for _, e := range rep.Models {
		for k := range get(e) {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	sort.Strings(out)
	return out
}
