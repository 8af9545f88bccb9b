package report

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/parley-project/parley/backtest"
	"github.com/parley-project/parley/internal/plural"
	"github.com/parley-project/parley/process"
	"github.com/parley-project/parley/report/svg"
	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/run"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/strategy/conflict"
	"github.com/parley-project/parley/sweep"
)

// The charts of Parley's runs, built as values of package svg. The HTML
// report, the server's /runs/{id}/chart and the command line's --svg
// files draw these, so each kind of chart is drawn one way.

// ErrNoResult is RunChart's error for a run that has not finished.
var ErrNoResult = errors.New("the run has no result yet")

// ErrNoChart is RunChart's error for a chart a run does not have (an
// issue it lacks, a view of another kind of run).
var ErrNoChart = errors.New("no such chart")

// ChartQuery picks one of a run's charts: the issue (the first when
// empty), the view of a process run ("timeline", the default, or
// "recognition") and the actor whose map a conflicts view draws.
type ChartQuery struct {
	Issue, View, Actor string
}

// RunChart is the chart of a stored run: a forecast's trajectories on the
// issue, a sweep's histogram of the issue, a
// sensitivity analysis's rankings, a process's timeline or recognition
// curve, a recognition forecast's curve, a backtest's accuracy, a
// conflicts view's map of the actor on the issue.
func RunChart(r run.Run, q ChartQuery) (svg.Chart, error) {
	issue, view := q.Issue, q.View
	h := r.Head()
	none := func(format string, args ...any) error {
		return fmt.Errorf("run %d: %w: %s", h.ID, ErrNoChart, fmt.Sprintf(format, args...))
	}
	unfinished := fmt.Errorf("run %d (%s): %w", h.ID, h.Status, ErrNoResult)
	switch r := r.(type) {
	case *run.Forecast:
		if r.Result == nil {
			return nil, unfinished
		}
		for i := range r.Result.Issues {
			if ir := &r.Result.Issues[i]; issue == "" || ir.ID == issue {
				return Trajectory(h.Snapshot, issueOf(h.Snapshot, ir), ir), nil
			}
		}
		return nil, none("the run has no issue %q", issue)
	case *run.Sweep:
		if r.Result == nil {
			return nil, unfinished
		}
		for _, is := range r.Result.Issues {
			if issue == "" || is.ID == issue {
				return HistogramChart(is), nil
			}
		}
		return nil, none("the sweep has no issue %q", issue)
	case *run.Sensitivity:
		if r.Result == nil {
			return nil, unfinished
		}
		return SensitivityCharts(r.Result, 15), nil
	case *run.Process:
		if r.Result == nil {
			return nil, unfinished
		}
		if view == "recognition" {
			if r.Result.Recognition == nil {
				return nil, none("the process has no recognition stage that ran")
			}
			c, err := RecognitionChart(r.Result.Recognition)
			if err != nil {
				return nil, none("%v", err)
			}
			return c.Titled(), nil
		}
		return TimelineChart(r.Result), nil
	case *run.Recognition:
		if r.Result == nil {
			return nil, unfinished
		}
		c, err := RecognitionChart(r.Result)
		if err != nil {
			return nil, none("%v", err)
		}
		return c.Titled(), nil
	case *run.Backtest:
		if r.Result == nil {
			return nil, unfinished
		}
		return BacktestChart(r.Result), nil
	case *run.Conflicts:
		if r.Result == nil || r.Result.Conflicts == nil {
			return nil, unfinished
		}
		return conflictsChart(r.Result.Conflicts, q, none)
	}
	return nil, none("no chart for a %s run", h.Kind)
}

// issueOf is the scenario's issue ir forecasts, or one named after ir
// without a known scale when the scenario is not at hand.
func issueOf(sc *scenario.Scenario, ir *result.Issue) *scenario.Issue {
	if sc != nil {
		if is := sc.Issue(ir.ID); is != nil {
			return is
		}
	}
	return &scenario.Issue{ID: ir.ID, Name: ir.Name, Min: math.NaN(), Max: math.NaN()}
}

// TrajectoryWidth is the width of a trajectory chart: room for the
// scale's labels left of the plot and the actors' names right of it.
const TrajectoryWidth = 900

// Trajectory is the chart of one issue's forecast run: every actor's
// position round by round, in the scenario's actor order (actors it does
// not list after them, by id), each line named at its end by the actor's
// full name, with the model's forecast in bold black over the others; the
// y axis runs over the issue's scale with its labelled anchors written
// beside their values. A round without an actor's position breaks its
// line. sc may be nil.
func Trajectory(sc *scenario.Scenario, is *scenario.Issue, ir *result.Issue) svg.LineChart {
	chart := svg.LineChart{Title: "Trajectory of " + is.DisplayName(), XLabel: "round", YLabel: "position",
		Width: TrajectoryWidth, Height: 360, EndLabels: true, LabelWidth: 190}
	for _, a := range is.SortedAnchors() {
		chart.YAnchors = append(chart.YAnchors, svg.Tick{Value: a.Value, Label: a.Label})
	}
	if len(ir.Rounds) == 0 {
		return chart
	}
	ids := make([]string, 0, len(ir.Rounds[0].Positions))
	for id := range ir.Rounds[0].Positions {
		ids = append(ids, id)
	}
	sc.SortActorIDs(ids)
	if !math.IsNaN(is.Min) && is.Max > is.Min {
		chart.YMin, chart.YMax = is.Min, is.Max
	}
	fs := svg.Series{Name: "forecast", Bold: true}
	for _, r := range ir.Rounds {
		fs.X = append(fs.X, float64(r.Round))
		fs.Y = append(fs.Y, r.Forecast)
	}
	chart.Series = append(chart.Series, fs)
	// A forecast that cycles or does not settle: the rounds and range it
	// moves in, and the mean the tables give as its settlement.
	if st := ir.Settlement; st != nil && st.Kind != result.Fixed {
		chart.Ranges = append(chart.Ranges, svg.YRange{X0: float64(st.FromRound), X1: float64(ir.Rounds[len(ir.Rounds)-1].Round),
			Low: st.Low, High: st.High, Mark: st.Value,
			Label: fmt.Sprintf("%s: %s–%s, settles at the mean %s", st.Short(), Num(st.Low), Num(st.High), Num(st.Value))})
	}
	for _, id := range ids {
		s := svg.Series{Name: id}
		if sc != nil {
			s.Name = name(sc, id)
		}
		for _, r := range ir.Rounds {
			v, ok := r.Positions[id]
			if !ok {
				v = math.NaN()
			}
			s.X = append(s.X, float64(r.Round))
			s.Y = append(s.Y, v)
		}
		chart.Series = append(chart.Series, s)
	}
	return chart
}

// HistogramChart is the histogram of a sweep's forecasts of one issue:
// the number of draws in each bin of the forecast, on the forecast's own
// axis with ticks on the bins' edges, the median marked.
func HistogramChart(is sweep.IssueResult) svg.Histogram {
	c := svg.Histogram{Title: "Histogram of the forecast", XLabel: "forecast", YLabel: "draws"}
	for _, b := range is.Histogram {
		c.Bins = append(c.Bins, svg.HistBin{From: b.From, To: b.To, Count: float64(b.Count)})
	}
	if q := is.Quantiles; q != nil {
		c.Markers = []svg.Marker{{Value: q.P50, Label: "median " + Num(q.P50)}}
	}
	return c
}

// BandChart is the share of a sweep's draws that ends in each labelled
// band of the issue's scale, the bands in the scale's order when the
// scenario is at hand (sc may be nil), else by label; each band is named
// by its anchor's value and full label.
func BandChart(sc *scenario.Scenario, is sweep.IssueResult) svg.BarChart {
	labels := make([]string, 0, len(is.Bands))
	for l := range is.Bands {
		labels = append(labels, l)
	}
	pos := map[string]float64{}
	if sc != nil {
		if si := sc.Issue(is.ID); si != nil {
			for _, a := range si.Anchors {
				pos[a.Label] = a.Value
			}
		}
	}
	sort.Slice(labels, func(i, j int) bool {
		pi, oki := pos[labels[i]]
		pj, okj := pos[labels[j]]
		if oki && okj && pi != pj {
			return pi < pj
		}
		return labels[i] < labels[j]
	})
	var bars []svg.Bar
	for _, l := range labels {
		name := l
		if v, ok := pos[l]; ok {
			name = svg.FormatNum(v) + ": " + l
		}
		bars = append(bars, svg.Bar{Label: name, Value: is.Bands[l]})
	}
	return svg.BarChart{Title: "Probability of each band of the scale", XLabel: "share of draws", Percent: true, LabelWidth: 300, Bars: bars}
}

// TimelineChart is a process run on a time axis: a lane per stage (a
// lane per linked dispute for contagion), each event a dot at its date
// with a bar over the dates an uncertain one may fall on, the stage where
// the process ended marked. Events with dates that do not read are left
// out.
func TimelineChart(res *process.Result) svg.Timeline {
	t := svg.Timeline{Title: "Process timeline"}
	lanes := map[string]int{}
	stages := map[string]process.StageResult{}
	for _, st := range res.Stages {
		stages[st.ID] = st
	}
	day := func(s string) time.Time {
		d, _ := time.Parse(time.DateOnly, s)
		return d
	}
	for _, e := range res.Events {
		at := day(e.Date)
		if at.IsZero() {
			continue
		}
		key := e.Stage + "\x00" + e.Dispute
		k, ok := lanes[key]
		if !ok {
			st := stages[e.Stage]
			ln := svg.Lane{Label: stageName(st), Detail: st.Outcome}
			switch {
			case st.ID == "":
				ln.Label = e.Stage
			case e.Dispute != "":
				ln.Label, ln.Detail = disputeName(res, e.Dispute), "linked dispute: "+e.Outcome
			case e.Kind == "recognition":
				ln.Detail = "expected number of states that have recognised, by each date"
			}
			k = len(t.Lanes)
			lanes[key] = k
			t.Lanes = append(t.Lanes, ln)
		}
		m := svg.Moment{Date: at, From: day(e.From), To: day(e.To), Label: momentLabel(e)}
		t.Lanes[k].Moments = append(t.Lanes[k].Moments, m)
	}
	return t
}

// momentLabel is what the timeline writes beside an event's dot: its
// date (its range when uncertain) and, for recognition, the expected
// count.
func momentLabel(e process.Event) string {
	d := shortDate(e.Date)
	if e.From != "" && e.To != "" {
		d = "a day from " + shortDate(e.From) + " to " + shortDate(e.To)
		if e.Kind == "contagion" {
			d = "median " + shortDate(e.Date) + " (90%: " + shortDate(e.From) + " – " + shortDate(e.To) + ")"
		}
	}
	if e.Kind == "recognition" {
		return strings.TrimSuffix(e.Outcome, " expected")
	}
	return d
}

// shortDate writes a date of the timeline as "19 Dec 2007".
func shortDate(s string) string {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return d.Format("2 Jan 2006")
}

// disputeName is the name of a linked dispute of a process run.
func disputeName(res *process.Result, id string) string {
	for _, d := range res.Contagion {
		if d.ID == id {
			return d.Name
		}
	}
	return id
}

// stageName names a stage of a process run: its name, else its id.
func stageName(st process.StageResult) string {
	if st.Name != "" {
		return st.Name
	}
	return st.ID
}

// BacktestChart draws each model's MAE as a horizontal bar, with its
// bootstrap 95% interval written beside the bar: one bar chart per
// capability scheme, each under a heading, in one grid. Cross-validated
// entries are marked "cv".
func BacktestChart(rep *backtest.Report) svg.Grid {
	const width, headH = 720.0, 26.0
	var schemes []string
	bars := map[string][]svg.Bar{}
	for _, e := range rep.Models {
		if _, ok := bars[e.Capabilities]; !ok {
			schemes = append(schemes, e.Capabilities)
		}
		name := label(e)
		if e.CV {
			name += " (cv)"
		}
		bars[e.Capabilities] = append(bars[e.Capabilities], svg.Bar{Label: name, Value: e.MAE, Note: fmt.Sprintf("[%.2f, %.2f]", e.MAECI[0], e.MAECI[1]),
			Low: e.MAECI[0], High: e.MAECI[1]})
	}
	g := svg.Grid{Font: "sans-serif"}
	for _, s := range schemes {
		title := fmt.Sprintf("MAE on DEU III (%s), %s capabilities, with 95%% bootstrap intervals", plural.Count(rep.IssuesUsed, "issue"), s)
		g.Parts = append(g.Parts, svg.Heading{Text: title, Width: width, Height: headH, X: 8, Baseline: 18, FontSize: 13},
			svg.BarChart{Title: title, XLabel: "MAE (0–100 scale); whiskers: 95% bootstrap interval", Width: width, Bars: bars[s], LabelWidth: 190, NoteWidth: 130,
				Decimals: 2, ValuesRight: true})
	}
	return g
}

// conflictsChart is the map of q.Actor on q.Issue of a conflicts view.
func conflictsChart(v *conflict.View, q ChartQuery, none func(string, ...any) error) (svg.Chart, error) {
	k := 0
	if q.Issue != "" {
		k = slices.IndexFunc(v.Issues, func(is conflict.Issue) bool { return is.ID == q.Issue })
		if k < 0 {
			return nil, none("the view has no issue %q", q.Issue)
		}
	}
	switch {
	case len(v.Issues) == 0:
		return nil, none("the view has no issue")
	case q.Actor == "":
		return nil, none("give actor=ID: whose map to draw")
	}
	c, err := ConflictChart(v, k, q.Actor)
	if err != nil {
		return nil, none("%v", err)
	}
	return c, nil
}

// titled puts a heading above each chart and the charts in a column: the
// document of a command's --svg file.
func titled(parts ...svg.Chart) svg.Grid {
	g := svg.Grid{Background: true, Gap: 4}
	for i := 0; i+1 < len(parts); i += 2 {
		w, _ := parts[i+1].Size()
		h := parts[i].(svg.Heading)
		h.Width, h.Height, h.X, h.Baseline, h.FontSize, h.Bold = w, 24, 8, 17, 12, true
		g.Parts = append(g.Parts, h, parts[i+1])
	}
	return g
}

// ForecastCharts is every issue's Trajectory under a heading naming the
// issue: 'parley forecast --svg'. sc may be nil.
func ForecastCharts(sc *scenario.Scenario, res *result.Result) svg.Grid {
	var parts []svg.Chart
	for i := range res.Issues {
		ir := &res.Issues[i]
		is := issueOf(sc, ir)
		parts = append(parts, svg.Heading{Text: "Issue " + ir.ID + ": " + is.DisplayName()}, Trajectory(sc, is, ir))
	}
	return titled(parts...)
}

// SweepCharts is every issue's BandChart and HistogramChart under a
// heading naming the issue: 'parley sweep --svg'. sc may be nil.
func SweepCharts(sc *scenario.Scenario, res *sweep.Result) svg.Grid {
	var parts []svg.Chart
	for _, is := range res.Issues {
		name := is.Name
		if name == "" {
			name = is.ID
		}
		if len(is.Bands) > 0 {
			parts = append(parts, svg.Heading{Text: "Issue " + is.ID + ": " + name + ", the bands of its scale"}, BandChart(sc, is))
		}
		parts = append(parts, svg.Heading{Text: "Issue " + is.ID + ": " + name + ", the forecast over the draws"}, HistogramChart(is))
	}
	return titled(parts...)
}

// ProcessCharts is a process run's timeline and, when its recognition
// stage ran, the recognition curve: 'parley process --svg'.
func ProcessCharts(res *process.Result) svg.Grid {
	parts := []svg.Chart{svg.Heading{Text: "Process timeline"}, TimelineChart(res)}
	if res.Recognition != nil {
		if c, err := RecognitionChart(res.Recognition); err == nil {
			parts = append(parts, svg.Heading{Text: c.Title}, c.LineChart)
		}
	}
	return titled(parts...)
}
