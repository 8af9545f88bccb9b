package export

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/parley-project/parley/report"

	"github.com/parley-project/parley/result"
)

// issueResult returns the result of the issue with the given id, or nil.
func issueResult(res *result.Result, id string) *result.Issue {
	for i := range res.Issues {
		if res.Issues[i].ID == id {
			return &res.Issues[i]
		}
	}
	return nil
}

// num formats a scale end or position: as written, up to 6 significant
// digits.
func num(v float64) string { return strconv.FormatFloat(v, 'g', 6, 64) }

// WriteText writes the report for people, one note a line (wrapped to
// width columns; 0: no limit), then a table of the forecasts that differ;
// nothing when the file loses nothing.
func (r *Report) WriteText(w io.Writer, width int) error {
	if r.Empty() {
		return nil
	}
	fmt.Fprintf(w, "parley: warning: the %s file does not hold everything in the scenario:\n", r.Format)
	for _, n := range r.Notes {
		fmt.Fprintln(w, report.Wrap(n.What+": "+n.Detail, width, fmt.Sprintf("  %-7s  ", n.Kind), strings.Repeat(" ", 11)))
	}
	if len(r.Forecasts) == 0 {
		if len(r.Notes) > 0 {
			fmt.Fprintf(w, "Every model forecasts every issue of the file as it forecasts the scenario.\n")
		}
		return nil
	}
	fmt.Fprintln(w, report.Wrap("Forecasts that differ on the file read back (each model with its default settings, on the scenario's scales):", width, "", ""))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  Issue\tModel\tScenario\tFile\tDifference\n")
	for _, d := range r.Forecasts {
		if d.Error != "" {
			fmt.Fprintf(tw, "  %s\t%s\t%.2f\t-\tcannot run: %s\n", d.Issue, d.Model, d.Scenario, d.Error)
			continue
		}
		fmt.Fprintf(tw, "  %s\t%s\t%.2f\t%.2f\t%s\n", d.Issue, d.Model, d.Scenario, d.File, signed(d.File-d.Scenario))
	}
	return tw.Flush()
}

// signed formats a difference with its sign, with two decimals or, when
// smaller than 0.01, two significant digits.
func signed(d float64) string {
	if d > -0.01 && d < 0.01 {
		return fmt.Sprintf("%+.2g", d)
	}
	return fmt.Sprintf("%+.2f", d)
}

// Lines returns the report as the lines WriteText writes notes in, for
// response headers: one per note and one per forecast that differs.
func (r *Report) Lines() []string {
	var out []string
	for _, n := range r.Notes {
		out = append(out, n.String())
	}
	for _, d := range r.Forecasts {
		if d.Error != "" {
			out = append(out, fmt.Sprintf("forecast %s %s: %.2f on the scenario; cannot run on the file: %s", d.Issue, d.Model, d.Scenario, d.Error))
			continue
		}
		out = append(out, fmt.Sprintf("forecast %s %s: %.2f on the scenario, %.2f on the file (%s)", d.Issue, d.Model, d.Scenario, d.File, signed(d.File-d.Scenario)))
	}
	return out
}
