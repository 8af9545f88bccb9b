package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/parley-project/parley/param"
	"github.com/parley-project/parley/report/svg"
	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/sensitivity"
	"github.com/parley-project/parley/sweep"
)

//go:embed report.html.tmpl
var pageTemplate string

var tmpl = template.Must(template.New("report").Funcs(template.FuncMap{
	"num":  func(v float64) string { return svg.FormatNum(v) },
	"pct":  func(v float64) string { return strconv.FormatFloat(100*v, 'f', 1, 64) + "%" },
	"time": func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") },
}).Parse(pageTemplate))

// view is what the template renders: the page with its charts drawn.
type view struct {
	*Page
	Title    string
	Params   string
	Sources  []scenario.Source
	Issues   []issueView
	Evidence []evidenceNote
	Outcomes []outcomeView
	Sens     []sensView
	// Stages and Timeline are a process run's stages and their chart.
	Stages   []stageView
	Timeline template.HTML
	// RecChart is the recognition curve of a process or recognition run.
	RecChart template.HTML
	// BacktestChart is a backtest's accuracy by model.
	BacktestChart template.HTML
	// Summary is each issue's forecast in words, for a forecast run.
	Summary      []IssueSummary
	SummaryRange bool // some issue cycles or did not settle
	// Interval is the summary of an issue with an interval (its draws and
	// seed), nil when none has one.
	Interval *IssueSummary
}

// chartHTML renders a chart for the page.
func chartHTML(c svg.Chart) template.HTML { return template.HTML(svg.SVG(c)) }

// HTML writes the page as one self-contained HTML document: inline CSS,
// inline SVG charts, no scripts and no external resources.
func HTML(w io.Writer, p *Page) error {
	v := &view{Page: p, Params: paramString(p.Run.Params)}
	if p.Forecast != nil && p.Scenario != nil {
		c := *p
		c.Forecast = settled(p.Scenario, p.Forecast)
		v.Page, p = &c, &c
	}
	v.Title = fmt.Sprintf("Parley run %d", p.Run.ID)
	if sc := p.Scenario; sc != nil {
		v.Title += ": " + sc.Name
		if sc.Title != "" {
			v.Title = fmt.Sprintf("Parley run %d: %s", p.Run.ID, sc.Title)
		}
		v.Sources = sc.Sources
		v.Issues, v.Evidence = scenarioViews(sc, p.Forecast)
	} else if p.Forecast != nil {
		for i := range p.Forecast.Issues {
			ir := &p.Forecast.Issues[i]
			v.Issues = append(v.Issues, trajectoryView(nil, issueOf(nil, ir), ir))
		}
	}
	if p.Forecast != nil {
		sc := p.Scenario
		if sc == nil {
			sc = &scenario.Scenario{}
		}
		v.Summary = Summaries(sc, p.Forecast)
		for i, s := range v.Summary {
			v.SummaryRange = v.SummaryRange || s.Kind == result.Cycle || s.Kind == result.Unsettled
			if s.Interval != "" && v.Interval == nil {
				v.Interval = &v.Summary[i]
			}
		}
	}
	if p.Sweep != nil {
		for _, is := range p.Sweep.Issues {
			v.Outcomes = append(v.Outcomes, outcomeViewOf(p.Scenario, is))
		}
	}
	if p.Sensitivity != nil {
		for _, is := range p.Sensitivity.Issues {
			v.Sens = append(v.Sens, sensitivityView(is))
		}
	}
	v.processViews(p)
	if p.Backtest != nil {
		v.BacktestChart = chartHTML(BacktestChart(p.Backtest))
	}
	return tmpl.Execute(w, v)
}

func paramString(p map[string]param.Value) string {
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, k+" = "+p[k].String())
	}
	return strings.Join(parts, ", ")
}

// outcomeView is one issue's distribution over a sweep's draws.
type outcomeView struct {
	Title                       string
	P5, P25, P50, P75, P95, Avg string
	BandChart, HistChart        template.HTML
}

func outcomeViewOf(sc *scenario.Scenario, is sweep.IssueResult) outcomeView {
	ov := outcomeView{Title: is.ID, P5: "-", P25: "-", P50: "-", P75: "-", P95: "-", Avg: "-"}
	if is.Name != "" && is.Name != is.ID {
		ov.Title = is.Name + " (" + is.ID + ")"
	}
	if q := is.Quantiles; q != nil {
		ov.P5, ov.P25, ov.P50, ov.P75, ov.P95 = Num(q.P5), Num(q.P25), Num(q.P50), Num(q.P75), Num(q.P95)
	}
	if is.Mean != nil {
		ov.Avg = Num(*is.Mean)
	}
	if len(is.Bands) > 0 {
		ov.BandChart = chartHTML(BandChart(sc, is))
	}
	if len(is.Histogram) > 0 {
		ov.HistChart = chartHTML(HistogramChart(is))
	}
	return ov
}

// sensView is one issue's ranking of inputs: its chart and table.
type sensView struct {
	Issue string
	Chart template.HTML
	Cols  []string
	Rows  []sensRow
}

type sensRow struct {
	Input  string
	Values []string
}

func sensitivityView(is sensitivity.Issue) sensView {
	rows, _ := sensitivityRows(is)
	var cols []string
	seen := map[string]bool{}
	for _, r := range rows {
		for _, m := range r.Measures {
			if !seen[m.Name] {
				seen[m.Name] = true
				cols = append(cols, m.Name)
			}
		}
	}
	sv := sensView{Issue: is.ID, Chart: chartHTML(SensitivityChart(is, 0)), Cols: cols}
	for _, r := range rows {
		row := sensRow{Input: r.Input}
		for _, c := range cols {
			if v := r.measure(c); math.IsNaN(v) {
				row.Values = append(row.Values, "-")
			} else {
				row.Values = append(row.Values, svg.FormatNum(v))
			}
		}
		sv.Rows = append(sv.Rows, row)
	}
	return sv
}

// stageView is one stage of a process run in the page's list.
type stageView struct {
	Name, Detail string
	// Final marks the stage where the process ended.
	Final bool
}

// processViews draws a process run's timeline and the recognition curve
// of a process or recognition run.
func (v *view) processViews(p *Page) {
	rec := p.Recognition
	if pr := p.Process; pr != nil {
		for i, st := range pr.Stages {
			v.Stages = append(v.Stages, stageView{Name: stageName(st), Detail: stageDetail(st), Final: i == len(pr.Stages)-1})
		}
		if len(pr.Stages) > 0 {
			v.Timeline = chartHTML(TimelineChart(pr))
		}
		rec = pr.Recognition
	}
	if rec != nil {
		if c, err := RecognitionChart(rec); err == nil {
			v.RecChart = chartHTML(c.LineChart)
		}
	}
}
