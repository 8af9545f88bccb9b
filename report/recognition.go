package report

import (
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/parley-project/parley/internal/plural"

	"github.com/parley-project/parley/model/recognition"
	"github.com/parley-project/parley/report/svg"
)

// Recognition prints a recognition forecast: the sides, the expected
// cumulative count with its 90% band at the end of each year, and every
// state's probability of having recognised by each reported date, most
// likely first, fitted to the writer's width (WithWidth).
func Recognition(w io.Writer, r *recognition.Result) error {
	width := WidthOf(w)
	ew := &errWriter{w: w}
	for _, l := range recognitionLines(r) {
		ew.printf("%s\n", Wrap(l, width, "", "  "))
	}
	ew.printf("\n")
	ew.printf("%s\n\n", Wrap("States that have recognised (median, mean, 5th and 95th percentile over the draws)", width, "", ""))
	RecognitionYears(r).Write(ew, width, "")
	ew.printf("\n%s\n\n", Wrap("Each state's probability of having recognised by each date", width, "", ""))
	RecognitionStates(r).Write(ew, width, "")
	return ew.err
}

// recognitionLines say what a recognition forecast is of: the entity and
// its declaration, the draws, the sides and the uncertainty drawn.
func recognitionLines(r *recognition.Result) []string {
	return []string{
		fmt.Sprintf("Recognition of %s, declared %s: %s, seed %d", entityName(r), declaredText(r), plural.Count(r.Draws, "draw"), r.Seed),
		fmt.Sprintf("Recognising side's patrons: %s; parent state: %s; opposing patrons: %s", strings.Join(r.Recognising, ", "), r.Parent, orNone(r.Opposing)),
		"Uncertainty in the draws: " + r.Uncertainty,
	}
}

// RecognitionPlot is the chart of a recognition forecast: a line chart of
// the shared report/svg package and the title drawn above it when the
// chart is written as a file of its own.
type RecognitionPlot struct {
	svg.LineChart
}

// RecognitionChart returns the chart of the expected cumulative number of
// recognitions per month (the line) with its 90% band (5th to 95th
// percentile, shaded), on a time axis in years.
func RecognitionChart(r *recognition.Result) (RecognitionPlot, error) {
	entity := entityName(r)
	c := svg.LineChart{
		Title:  fmt.Sprintf("UN member states recognising %s (declared %s): expected number and 90%% band", entity, declaredText(r)),
		XLabel: fmt.Sprintf("year (end of month); shaded: 5th–95th percentile of %s, seed %d", plural.Count(r.Draws, "draw"), r.Seed),
		YLabel: "states that have recognised",
		Width:  760, EndLabels: true, LabelWidth: 110,
	}
	// The mean is a curve through the month ends, not a count observed
	// at them: no dot at each month (they made the line look heavy).
	s := svg.Series{Name: "mean (expected number)", Bold: true, NoDots: true}
	for _, p := range r.Cumulative {
		t, err := time.Parse(time.DateOnly, p.Date)
		if err != nil {
			return RecognitionPlot{c}, fmt.Errorf("cumulative date %q: %w", p.Date, err)
		}
		s.X = append(s.X, decimalYear(t))
		s.Y = append(s.Y, p.Expected)
		s.Lo = append(s.Lo, p.P05)
		s.Hi = append(s.Hi, p.P95)
	}
	if len(s.X) < 2 {
		return RecognitionPlot{c}, fmt.Errorf("recognition chart: need at least two months, got %d", len(s.X))
	}
	// Counts start at 0; the top is the next round number above the band.
	top := 0.0
	for _, v := range s.Hi {
		top = max(top, v)
	}
	c.YMin, c.YMax = 0, max(top, 1)
	if ticks := svg.NiceTicks(0, c.YMax, 5); len(ticks) >= 2 {
		step := ticks[1].Value - ticks[0].Value
		c.YMax = math.Ceil(c.YMax/step) * step
	}
	c.Series = []svg.Series{s}
	// The median, where the result has one (results stored before issue
	// 15 do not): with the episode effect drawn per draw the count is
	// skewed and the mean lies above it.
	med := svg.Series{Name: "median", X: s.X}
	has := false
	for _, p := range r.Cumulative {
		med.Y = append(med.Y, p.P50)
		has = has || p.P50 != 0
	}
	if has {
		c.Series = append(c.Series, med)
		c.Title = strings.Replace(c.Title, "expected number and 90% band", "mean, median and 90% band", 1)
	}
	return RecognitionPlot{c}, nil
}

// Titled is the chart with its title above it, as a document of its own
// shows it (a page around the chart names it otherwise).
func (p RecognitionPlot) Titled() svg.Grid {
	w, _ := p.Size()
	return svg.Grid{Background: true, Parts: []svg.Chart{
		svg.Heading{Text: p.Title, Width: w, Height: 26, X: 8, Baseline: 17, FontSize: 12, Bold: true}, p.LineChart}}
}

// WriteSVG writes the titled chart as an SVG document of its own.
func (p RecognitionPlot) WriteSVG(w io.Writer) error {
	_, err := io.WriteString(w, p.Titled().SVG()+"\n")
	return err
}

// yearEnds are the points of a cumulative curve that the tables print:
// the end of each year and the last month.
func yearEnds(cum []recognition.Point) []recognition.Point {
	var out []recognition.Point
	for i, p := range cum {
		if strings.HasSuffix(p.Date, "-12-31") || i == len(cum)-1 {
			out = append(out, p)
		}
	}
	return out
}

// entityName names the state whose recognition is forecast.
func entityName(r *recognition.Result) string {
	if r.Entity == "" {
		return "the declared state"
	}
	return r.Entity
}

// decimalYear places the end of day t on a continuous year axis
// (2008-12-31 → 2009.0).
func decimalYear(t time.Time) float64 {
	y := time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	next := y.AddDate(1, 0, 0)
	end := t.AddDate(0, 0, 1)
	return float64(t.Year()) + float64(end.Sub(y))/float64(next.Sub(y))
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

// declaredText is the declaration's date, or its window.
func declaredText(r *recognition.Result) string {
	if r.StartLatest != "" {
		return "on a day from " + r.Start + " to " + r.StartLatest
	}
	return r.Start
}
