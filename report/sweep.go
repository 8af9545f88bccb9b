package report

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/parley-project/parley/internal/plural"

	"github.com/parley-project/parley/sweep"
)

// Sweep writes a readable account of a Monte Carlo sweep: its settings,
// then per issue the quantiles and mean of the forecast, the probability
// of each labelled band of the scale and a histogram drawn with bars,
// fitted to the writer's width (WithWidth). The HTML report shows the same
// settings and tables (SweepSettings, SweepTables).
func Sweep(w io.Writer, r *sweep.Result) error {
	width := WidthOf(w)
	ew := &errWriter{w: w}
	for _, l := range SweepSettings(r) {
		ew.printf("%s\n", Wrap(l[1], width, fmt.Sprintf("%-10s", l[0]+":"), "          "))
	}
	if r.Identical {
		ew.printf("%s\n", Wrap(fmt.Sprintf("Identical draws: the noise cannot make one draw differ from another, so one draw was run and counted for all %d.", r.Draws), width, "", ""))
	}
	for k, ir := range r.Issues {
		st := r.State.Issues[k]
		ew.printf("\n%s\n", Wrap(fmt.Sprintf("Issue %s: %s, scale %s to %s", ir.ID, ir.Name, Num(st.Min), Num(st.Max)), width, "", "  "))
		if ir.Quantiles == nil {
			ew.printf("  no finished draws\n")
			continue
		}
		q, bands := SweepTables(r, k)
		q.Write(ew, width, "  ")
		ew.printf("\n")
		bands.Write(ew, width, "  ")
		ew.printf("\n")
		var most int64 = 1
		for _, h := range ir.Histogram {
			most = max(most, h.Count)
		}
		var rows [][2]string
		wr, wc := 0, 0
		for _, h := range ir.Histogram {
			r := [2]string{Num(h.From) + "–" + Num(h.To), fmt.Sprint(h.Count)}
			wr, wc = max(wr, len([]rune(r[0]))), max(wc, len(r[1]))
			rows = append(rows, r)
		}
		// The bars take what the width leaves, at most 40 columns.
		bar := 40
		if width > 0 {
			bar = max(min(bar, width-(2+wr+2+wc+2)), 10)
		}
		for k, r := range rows {
			line := fmt.Sprintf("  %*s  %*s  %s", wr, r[0], wc, r[1], strings.Repeat("█", int(int64(bar)*ir.Histogram[k].Count/most)))
			ew.printf("%s\n", strings.TrimRight(line, " "))
		}
	}
	return ew.err
}

// SweepSettings are a sweep's settings as labelled lines: the scenario,
// its what-if, the model, the draws and the noise.
func SweepSettings(r *sweep.Result) [][2]string {
	status := "complete"
	if !r.Complete {
		status = "INCOMPLETE"
	}
	shard := ""
	if r.Shard != "" {
		shard = ", shard " + r.Shard
	}
	n := r.Noise
	noise := fmt.Sprintf("position sd %s of the scale, salience σ %s, capability σ %s, drop-out %s",
		fmtG(n.Position), fmtG(n.Salience), fmtG(n.Capability), fmtG(n.Dropout))
	for _, k := range sortedKeys(n.Params) {
		noise += fmt.Sprintf(", %s ~ %s", k, n.Params[k])
	}
	out := [][2]string{{"Scenario", r.Scenario}}
	if !r.WhatIf.Empty() {
		out = append(out, [2]string{"What if", r.WhatIf.String()})
	}
	return append(out,
		[2]string{"Model", fmt.Sprintf("%s, %s", modelName(r.Model, r.Variant), plural.Count(r.Rounds, "round"))},
		[2]string{"Draws", fmt.Sprintf("%d of %d%s, seed %d (%s)", r.Draws, r.Requested, shard, r.Seed, status)},
		[2]string{"Noise", noise})
}

// SweepTables are the k-th issue's quantiles and mean of the forecast,
// and the share of draws in each labelled band of its scale (by label,
// without their ranges, for a result that keeps no state).
func SweepTables(r *sweep.Result, k int) (quantiles, bands Table) {
	ir := r.Issues[k]
	quantiles = Table{Head: []string{"5%", "25%", "50%", "75%", "95%", "Mean"}, Cols: []Column{numCol, numCol, numCol, numCol, numCol, numCol}}
	if q := ir.Quantiles; q != nil {
		quantiles.Rows = [][]string{{Num(q.P5), Num(q.P25), Num(q.P50), Num(q.P75), Num(q.P95), Num(*ir.Mean)}}
	}
	bands = Table{Head: []string{"Band", "Range", "P"}, Cols: []Column{wrapCol(20), {}, numCol}}
	if k < len(r.State.Issues) {
		for _, b := range r.State.Issues[k].Bands {
			bands.Rows = append(bands.Rows, []string{b.Label, Num(b.From) + "–" + Num(b.To), fmt.Sprintf("%.3f", ir.Bands[b.Label])})
		}
		return quantiles, bands
	}
	for _, l := range slices.Sorted(maps.Keys(ir.Bands)) {
		bands.Rows = append(bands.Rows, []string{l, "-", fmt.Sprintf("%.3f", ir.Bands[l])})
	}
	return quantiles, bands
}

func fmtG(v float64) string { return fmt.Sprintf("%g", v) }

func sortedKeys(m map[string]string) []string {
	return slices.Sorted(maps.Keys(m))
}
