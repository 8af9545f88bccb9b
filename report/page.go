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
}

// NewPage is the page of a run read by the run layer.
func NewPage(r run.Run) *Page {
	h := r.Head()
	p := &Page{Run: *h, Scenario: h.Snapshot}
	switch r := r.(type) {
	case *run.Forecast:
		p.Forecast = r.Result
	case *run.Sweep:
		p.Sweep = r.Result
	case *run.Sensitivity:
		p.Sensitivity = r.Result
	case *run.Process:
		p.Process = r.Result
	case *run.Recognition:
		p.Recognition = r.Result
	case *run.Backtest:
		p.Backtest = r.Result
	}
	return p
}
