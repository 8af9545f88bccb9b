package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/parley-project/parley/param"
	"github.com/parley-project/parley/report/svg"
	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/scenario"
)

//go:embed report.html.tmpl
var pageTemplate string

var tmpl = template.Must(template.New("report").Funcs(template.FuncMap{
	"num":  func(v float64) string { return svg.FormatNum(v) },
	"pct":  func(v float64) string { return strconv.FormatFloat(100*v, 'f', 1, 64) + "%" },
	"time": func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") },
}).Parse(pageTemplate + strategyTemplate))

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
	Strategy *strategyView
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
	sv, err := strategyViews(p.Scenario, p.Strategy)
	if err != nil {
		return err
	}
	v.Strategy = sv
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
