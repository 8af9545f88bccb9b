package report

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/parley-project/parley/internal/plural"

	"github.com/parley-project/parley/sweep"
)

// Sweep writes a readable account of a Monte Carlo sweep: per issue the
// quantiles and mean of the forecast, the probability of each labelled
// band of the scale and a histogram drawn with bars.
func Sweep(w io.Writer, r *sweep.Result) error {
	ew := &errWriter{w: w}
	m := modelName(r.Model, r.Variant)
	ew.printf("Scenario: %s\nModel:    %s, %s\n", r.Scenario, m, plural.Count(r.Rounds, "round"))
	status := "complete"
	if !r.Complete {
		status = "INCOMPLETE"
	}
	shard := ""
	if r.Shard != "" {
		shard = ", shard " + r.Shard
	}
	ew.printf("Draws:    %d of %d%s, seed %d (%s)\n", r.Draws, r.Requested, shard, r.Seed, status)
	n := r.Noise
	ew.printf("Noise:    position sd %s of the scale, salience σ %s, capability σ %s, drop-out %s",
		fmtG(n.Position), fmtG(n.Salience), fmtG(n.Capability), fmtG(n.Dropout))
	for _, k := range sortedKeys(n.Params) {
		ew.printf(", %s ~ %s", k, n.Params[k])
	}
	ew.printf("\n")
	if r.Identical {
		ew.printf("Identical draws: the noise cannot make one draw differ from another, so one draw was run and counted for all %d.\n", r.Draws)
	}
	for k, ir := range r.Issues {
		st := r.State.Issues[k]
		ew.printf("\nIssue %s: %s, scale %s to %s\n", ir.ID, ir.Name, Num(st.Min), Num(st.Max))
		if ir.Quantiles == nil {
			ew.printf("  no finished draws\n")
			continue
		}
		q := ir.Quantiles
		tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "  5%%\t25%%\t50%%\t75%%\t95%%\tMean\t\n")
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\t\n", Num(q.P5), Num(q.P25), Num(q.P50), Num(q.P75), Num(q.P95), Num(*ir.Mean))
		tw.Flush()
		ew.printf("\n")
		tw = tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "  Band\tRange\tP\n")
		for _, b := range st.Bands {
			fmt.Fprintf(tw, "  %s\t%s–%s\t%.3f\n", b.Label, Num(b.From), Num(b.To), ir.Bands[b.Label])
		}
		tw.Flush()
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
		for k, r := range rows {
			line := fmt.Sprintf("  %*s  %*s  %s", wr+len(r[0])-len([]rune(r[0])), r[0], wc, r[1], strings.Repeat("█", int(40*ir.Histogram[k].Count/most)))
			ew.printf("%s\n", strings.TrimRight(line, " "))
		}
	}
	return ew.err
}

func fmtG(v float64) string { return fmt.Sprintf("%g", v) }

func sortedKeys(m map[string]string) []string {
	return slices.Sorted(maps.Keys(m))
}
