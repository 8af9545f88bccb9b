package report

import (
	"fmt"
	"io"
	"math"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/parley-project/parley/internal/plural"

	"github.com/parley-project/parley/backtest"
)

// Backtest writes a backtest report as tables: one row per model with
// each score and its bootstrap 95% interval, then the MAE by Council
// voting rule and by procedure. markdown selects Markdown tables.
func Backtest(w io.Writer, rep *backtest.Report, markdown bool) error {
	ew := &errWriter{w: w}
	skipped := make([]string, 0, len(rep.Skipped))
	for k, v := range rep.Skipped {
		skipped = append(skipped, fmt.Sprintf("%d with %s", v, k))
	}
	sort.Strings(skipped)
	ew.printf("Backtest on %s: %s from %s used, %d skipped (%s); %s imputed, %s with salience 0 left out.\n",
		filepath.Base(rep.Data), plural.Count(rep.IssuesUsed, "issue"), plural.Count(rep.Proposals, "proposal"), rep.IssuesSkipped, strings.Join(skipped, ", "),
		plural.Count(rep.ImputedSaliences, "missing salience"), plural.Count(rep.ZeroSalience, "actor"))
	ew.printf("Errors on the 0–100 scale; [95%% bootstrap interval, %s of proposals, seed %d]", plural.Count(rep.Bootstrap, "resample"), rep.Seed)
	if rep.Folds > 0 {
		ew.printf("; the ensemble and the learned models are cross-validated, %s grouped by proposal", plural.Count(rep.Folds, "fold"))
	}
	ew.printf(". A model beats the mean when the paired 95%% interval of its MAE minus the mean's lies below zero.\n\n")

	t := newGrid(ew, markdown)
	t.row("model", "capabilities", "n", "MAE", "RMSE", "median AE", "within 10", "MAE − mean", "beats mean", "cv")
	for _, e := range rep.Models {
		vs, beats := "", ""
		if e.VsMean != nil {
			vs = fmt.Sprintf("%+.2f [%+.2f, %+.2f]", *e.VsMean, e.VsMeanCI[0], e.VsMeanCI[1])
			beats = "no"
			if *e.BeatsMean {
				beats = "yes"
			}
		}
		cv := ""
		if e.CV {
			cv = "yes"
		}
		t.row(label(e), e.Capabilities, fmt.Sprint(e.N),
			ci(e.MAE, e.MAECI, 1, "%.2f"), ci(e.RMSE, e.RMSECI, 1, "%.2f"),
			ci(e.MedianAE, e.MedianAECI, 1, "%.2f"), ci(e.Within10, e.Within10CI, 100, "%.0f%%"),
			vs, beats, cv)
	}
	t.flush()

	rules, procs := keys(rep, func(e backtest.Entry) map[string]backtest.Metrics { return e.ByRule }),
		keys(rep, func(e backtest.Entry) map[string]backtest.Metrics { return e.ByProcedure })
	ew.printf("\nMAE by Council voting rule and by procedure (n in brackets):\n\n")
	head := []string{"model", "capabilities"}
	for _, r := range rules {
		head = append(head, "rule "+r)
	}
	for _, p := range procs {
		head = append(head, "proc "+p)
	}
	t = newGrid(ew, markdown)
	t.row(head...)
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
		t.row(cells...)
	}
	t.flush()

	var dist []backtest.Entry
	for _, e := range rep.Models {
		if e.CRPS != nil {
			dist = append(dist, e)
		}
	}
	if len(dist) > 0 {
		ew.printf("\nModels that give a predictive distribution, scored by the CRPS (continuous ranked probability score; a point forecast's CRPS is its absolute error, so the mean's is its MAE):\n\n")
		t = newGrid(ew, markdown)
		t.row("model", "capabilities", "CRPS", "CRPS − mean's MAE")
		for _, e := range dist {
			vs := ""
			if e.CRPSVsMean != nil {
				vs = fmt.Sprintf("%+.2f [%+.2f, %+.2f]", *e.CRPSVsMean, e.CRPSVsMeanCI[0], e.CRPSVsMeanCI[1])
			}
			iv := [2]float64{math.NaN(), math.NaN()}
			if e.CRPSCI != nil {
				iv = *e.CRPSCI
			}
			t.row(label(e), e.Capabilities, ci(*e.CRPS, iv, 1, "%.2f"), vs)
		}
		t.flush()
	}

	for _, e := range rep.Models {
		if len(e.Weights) > 0 {
			parts := sortedPairs(e.Weights, "%.3f")
			if len(e.Alphas) == 0 {
				ew.printf("\n%s (%s) weights averaged over folds: %s.\n", label(e), e.Capabilities, parts)
			} else {
				ew.printf("\n%s (%s) weights averaged over folds: %s; shrinkage α per fold %v.\n", label(e), e.Capabilities, parts, e.Alphas)
			}
		}
		if len(e.Params) > 0 {
			ew.printf("\n%s (%s) parameters averaged over folds: %s.\n", label(e), e.Capabilities, sortedPairs(e.Params, "%.3g"))
		}
	}
	return ew.err
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

// grid writes rows as an aligned plain-text table or a Markdown table.
type grid struct {
	w        io.Writer
	tw       *tabwriter.Writer
	markdown bool
	rows     int
}

func newGrid(w io.Writer, markdown bool) *grid {
	return &grid{w: w, tw: tabwriter.NewWriter(w, 0, 0, 2, ' ', 0), markdown: markdown}
}

func (g *grid) row(cells ...string) {
	if g.markdown {
		fmt.Fprintf(g.w, "| %s |\n", strings.Join(cells, " | "))
		if g.rows == 0 {
			sep := make([]string, len(cells))
			for i := range sep {
				sep[i] = "---"
			}
			fmt.Fprintf(g.w, "|%s|\n", strings.Join(sep, "|"))
		}
	} else {
		fmt.Fprintln(g.tw, strings.Join(cells, "\t"))
	}
	g.rows++
}

func (g *grid) flush() { g.tw.Flush() }
