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

// view is what the template renders: the page with its charts drawn and
// its tables laid out. The page opens with the findings, then the
// results of the run's kind in the tables its command prints, then the
// scenario it ran with its evidence.
type view struct {
	*Page
	Title  string
	Params string
	// Findings is the findings table; FindingsInterval and FindingsLast
	// say whether it has an interval and a last-round column, and
	// FindingsRange whether some forecast is shown with its range.
	Findings                                      []IssueSummary
	FindingsInterval, FindingsLast, FindingsRange bool
	Interval                                      *IssueSummary
	// Issues are the scenario's issues with their actors (the inputs);
	// Trajectories each issue's forecast run (charts and tables).
	Sources      []scenario.Source
	Issues       []issueView
	Evidence     []evidenceNote
	Trajectories []issueView
	Trades       []Table
	TradeNote    string
	// Sweep: its settings and each issue's distribution.
	SweepSettings [][2]string
	Outcomes      []outcomeView
	// Sensitivity: its settings, the columns' meaning and each issue's
	// ranking.
	SensSettings [][2]string
	SensColumns  string
	Sens         []sensView
	// Process: its tables and charts; RecChart and the recognition tables
	// are a process's recognition stage or a recognition forecast.
	Process     *ProcessTables
	Timeline    template.HTML
	RecChart    template.HTML
	RecYears    *Table
	RecStates   *Table
	RecSettings []string
	// Backtest: its chart, the lines that say what was scored, its tables
	// and notes.
	BacktestChart template.HTML
	BacktestIntro []string
	BacktestTabs  []Table
	BacktestNotes []string
	Strategy      *strategyView
}

// chartHTML renders a chart for the page.
func chartHTML(c svg.Chart) template.HTML { return template.HTML(svg.SVG(c)) }

// HTML writes the page as one self-contained HTML document: inline CSS,
// inline SVG charts, no scripts and no external resources.
func HTML(w io.Writer, p *Page) error {
	v := &view{Page: p, Params: paramString(p.Run.Params), Findings: p.Findings}
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
		v.Issues, v.Evidence = scenarioViews(sc)
	}
	v.findingsColumns()
	if p.Forecast != nil {
		for i := range p.Forecast.Issues {
			ir := &p.Forecast.Issues[i]
			v.Trajectories = append(v.Trajectories, trajectoryView(p.Scenario, issueOf(p.Scenario, ir), p.Forecast, ir))
		}
		sc := p.Scenario
		if sc == nil {
			sc = &scenario.Scenario{}
		}
		v.Trades = TradeTables(sc, p.Forecast)
		if len(v.Trades) > 0 {
			v.TradeNote = ExchangeNote
			for _, t := range []Table{ActorGainTable(sc, p.Forecast.Trades), VotingTable(sc, p.Forecast.Trades)} {
				if len(t.Rows) > 0 {
					v.Trades = append(v.Trades, t)
				}
			}
		}
	}
	if p.Sweep != nil {
		v.SweepSettings = SweepSettings(p.Sweep)
		for k := range p.Sweep.Issues {
			v.Outcomes = append(v.Outcomes, outcomeViewOf(p.Scenario, p.Sweep, k))
		}
	}
	if p.Sensitivity != nil {
		v.SensSettings, v.SensColumns = SensitivitySettings(p.Sensitivity), SensitivityColumns
		for _, is := range p.Sensitivity.Issues {
			v.Sens = append(v.Sens, sensitivityView(is))
		}
	}
	v.processViews(p)
	if p.Backtest != nil {
		v.BacktestChart = chartHTML(BacktestChart(p.Backtest))
		v.BacktestIntro, v.BacktestTabs, v.BacktestNotes = BacktestTables(p.Backtest)
	}
	sv, err := strategyViews(p.Scenario, p.Strategy)
	if err != nil {
		return err
	}
	v.Strategy = sv
	return tmpl.Execute(w, v)
}

// findingsColumns sets the columns the findings table needs.
func (v *view) findingsColumns() {
	for i, s := range v.Findings {
		v.FindingsRange = v.FindingsRange || s.Kind == result.Cycle || s.Kind == result.Unsettled
		v.FindingsLast = v.FindingsLast || s.LastRound != ""
		if s.Interval != "" {
			v.FindingsInterval = true
			if v.Interval == nil && s.IntervalDraws > 0 {
				v.Interval = &v.Findings[i]
			}
		}
	}
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
