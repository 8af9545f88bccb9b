package report

import (
	"time"

	"github.com/parley-project/parley/backtest"
	"github.com/parley-project/parley/model/recognition"
	"github.com/parley-project/parley/param"
	"github.com/parley-project/parley/process"
	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/run"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/sensitivity"
	"github.com/parley-project/parley/sweep"
)

// RunInfo describes the stored run a report is made from.
type RunInfo struct {
	ID          int64
	Kind        string
	Status      string
	Model       string
	Variant     string
	Params      map[string]param.Value
	Seed        uint64
	CodeVersion string
	Created     time.Time
}

// Page is everything an HTML report shows: the run, the scenario it ran
// and its typed result, one of the fields below (all nil for a run that
// has not finished or whose kind has no view). Sections whose data is
// absent are left out.
type Page struct {
	Run      RunInfo
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
	p := &Page{Scenario: h.Snapshot, Run: RunInfo{ID: h.ID, Kind: h.Kind, Status: h.Status, Model: h.Model, Variant: h.Variant,
		Params: h.Params, Seed: h.Seed, CodeVersion: h.CodeVersion, Created: h.Created}}
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
