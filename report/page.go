package report

import (
	"github.com/parley-project/parley/backtest"
	"github.com/parley-project/parley/model/recognition"
	"github.com/parley-project/parley/process"
	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/run"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/sensitivity"
	"github.com/parley-project/parley/sweep"
)

// Page is everything an HTML report shows: the run, the scenario it ran
// and its typed result, one of the fields below (all nil for a run that
// has not finished or whose kind has no view). Sections whose data is
// absent are left out.
type Page struct {
	// Run is the run's header: its id, kind, status, model settings, seed,
	// code version and times.
	Run      run.Header
	Scenario *scenario.Scenario
	// Findings is what the run found, issue by issue: the table the page
	// opens with (none for kinds without per-issue findings; Findings).
	Findings []IssueSummary
	// WhatIf is the what-if the run applied to its scenario ("" for none).
	WhatIf string
	// Forecast holds each issue's round-by-round trajectory.
	Forecast *result.Result
	// Sweep is the distribution of a sweep's forecasts, per issue.
	Sweep *sweep.Result
	// Sensitivity ranks the inputs by their effect on each forecast.
	Sensitivity *sensitivity.Result
	// Process is a process run: its stages and its recognition forecast.
	Process *process.Result
	// Recognition is a recognition forecast.
	Recognition *recognition.Result
	// Backtest is a backtest's accuracy report.
	Backtest *backtest.Report
	// Strategy holds the conflicts view, advice or voting power of a
	// strategy run.
	Strategy *Strategy
}

// NewPage is the page of a run read by the run layer.
func NewPage(r run.Run) *Page {
	h := r.Head()
	p := &Page{Run: *h, Scenario: h.Snapshot, Findings: Findings(r)}
	switch r := r.(type) {
	case *run.Forecast:
		p.Forecast, p.WhatIf = r.Result, r.Config.WhatIf.String()
	case *run.Sweep:
		p.Sweep, p.WhatIf = r.Result, r.Config.WhatIf.String()
	case *run.Sensitivity:
		p.Sensitivity, p.WhatIf = r.Result, r.Config.WhatIf.String()
	case *run.Process:
		p.Process, p.WhatIf = r.Result, r.Config.WhatIf.String()
	case *run.Recognition:
		p.Recognition = r.Result
	case *run.Backtest:
		p.Backtest = r.Result
	case *run.Conflicts:
		if r.Result != nil && r.Result.Conflicts != nil {
			p.Strategy = &Strategy{Conflicts: r.Result.Conflicts}
		}
	case *run.Advice:
		if r.Result != nil && r.Result.Advice != nil {
			p.Strategy = &Strategy{Advice: r.Result.Advice}
		}
	case *run.Power:
		// A power analysis whose body does not hold the indices' members
		// shows none.
		if pr := r.Result; pr != nil && pr.Power != nil && pr.Body != nil && len(pr.Body.Members) == len(pr.Power.Indices) {
			p.Strategy = &Strategy{Power: pr.Power, Body: pr.Body, Switches: pr.Switches}
		}
	}
	return p
}
