package report

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/parley-project/parley/model/recognition"
	"github.com/parley-project/parley/report/chart"
)

// Recognition prints a recognition forecast: the sides, the expected
// cumulative count with its 90% band at the end of each year, and every
// state's probability of having recognised by each reported date, most
// likely first.
func Recognition(w io.Writer, r *recognition.Result) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	entity := r.Entity
	if entity == "" {
		entity = "the declared state"
	}
	fmt.Fprintf(tw, "Recognition of %s, declared %s: %d draws, seed %d\n", entity, r.Start, r.Draws, r.Seed)
	fmt.Fprintf(tw, "Recognising side's patrons: %s; opposing: %s\n\n", strings.Join(r.Recognising, ", "), strings.Join(r.Opposing, ", "))
	fmt.Fprintln(tw, "date\texpected\t90% band")
	for i, p := range r.Cumulative {
		if strings.HasSuffix(p.Date, "-12-31") || i == len(r.Cumulative)-1 {
			fmt.Fprintf(tw, "%s\t%.1f\t%g–%g\n", p.Date, p.Expected, p.P05, p.P95)
		}
	}
	fmt.Fprintln(tw)
	var dates []string
	if len(r.States) > 0 {
		for d := range r.States[0].PBy {
			dates = append(dates, d)
		}
	}
	sort.Strings(dates)
	fmt.Fprintf(tw, "state\tname\t%s\tside\n", strings.Join(dates, "\t"))
	states := append([]recognition.StateProb(nil), r.States...)
	sort.SliceStable(states, func(a, b int) bool {
		for k := len(dates) - 1; k >= 0; k-- {
			pa, pb := states[a].PBy[dates[k]], states[b].PBy[dates[k]]
			if pa != pb {
				return pa > pb
			}
		}
		return states[a].ISO3 < states[b].ISO3
	})
	for _, s := range states {
		fmt.Fprintf(tw, "%s\t%s", s.ISO3, s.Name)
		for _, d := range dates {
			fmt.Fprintf(tw, "\t%.3f", s.PBy[d])
		}
		fmt.Fprintf(tw, "\t%s\n", s.Side)
	}
	return tw.Flush()
}

// RecognitionChart returns the chart of the expected cumulative number of
// recognitions per month with its 90% band; call WriteSVG to draw it.
func RecognitionChart(r *recognition.Result) (chart.Band, error) {
	entity := r.Entity
	if entity == "" {
		entity = "the declared state"
	}
	c := chart.Band{
		Title:     fmt.Sprintf("UN member states recognising %s (declared %s)", entity, r.Start),
		XLabel:    fmt.Sprintf("end of month; %d Monte Carlo draws, seed %d", r.Draws, r.Seed),
		YLabel:    "states that have recognised",
		LineLabel: "expected number",
		BandLabel: "90% band (5th–95th percentile)",
	}
	for _, p := range r.Cumulative {
		t, err := time.Parse(time.DateOnly, p.Date)
		if err != nil {
			return c, fmt.Errorf("cumulative date %q: %w", p.Date, err)
		}
		c.X = append(c.X, t)
		c.Y = append(c.Y, p.Expected)
		c.Lo = append(c.Lo, p.P05)
		c.Hi = append(c.Hi, p.P95)
	}
	return c, nil
}
