package server

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/parley-project/parley/report"
	"github.com/parley-project/parley/run"
)

// findingsDoc is the part of a run document the findings tests read.
type findingsDoc struct {
	ID       int64                 `json:"id"`
	Scenario string                `json:"scenario"`
	Config   map[string]any        `json:"config"`
	Summary  []report.IssueSummary `json:"summary"`
}

func finding(t *testing.T, d findingsDoc, issue string) report.IssueSummary {
	t.Helper()
	for _, s := range d.Summary {
		if s.ID == issue {
			return s
		}
	}
	t.Fatalf("run %d has no finding for %s: %+v", d.ID, issue, d.Summary)
	return report.IssueSummary{}
}

// TestWhatIfFromARun: a what-if forecast on the snapshot of an earlier
// run (base_run), though the stored scenario has changed since; its
// answer carries the findings, and the diff of the two runs names the
// what-if and the changes of the forecasts.
func TestWhatIfFromARun(t *testing.T) {
	_, ts := newTest(t, Config{})
	// A stored copy of kosovo-2007 to edit after the base run.
	var sd scenarioDoc
	want(t, call(t, ts, "GET", "/api/v1/scenarios/kosovo-2007", nil, &sd), 200)
	sd.Scenario.Name = "kosovo-copy"
	want(t, call(t, ts, "POST", "/api/v1/scenarios", map[string]any{"scenario": sd.Scenario}, &sd), 201)
	var base findingsDoc
	want(t, call(t, ts, "POST", "/api/v1/runs/forecast", map[string]any{"scenario": "kosovo-copy", "model": "eum"}, &base), 201)
	if f := finding(t, base, "iran"); f.Value == nil || f.Headline != "65.03 (57.48–68.95)" || f.Kind != "unsettled" {
		t.Errorf("base finding %+v", f)
	}
	// The scenario is edited: Russia loses all capability.
	for i := range sd.Scenario.Actors {
		if sd.Scenario.Actors[i].ID == "russia" {
			sd.Scenario.Actors[i].Capability.Value = 1
		}
	}
	want(t, call(t, ts, "PUT", "/api/v1/scenarios/kosovo-copy", map[string]any{"version": sd.Version, "scenario": sd.Scenario}, nil), 200)
	// The what-if runs on the base run's snapshot (Russia at 75 → 30).
	var wi findingsDoc
	want(t, call(t, ts, "POST", "/api/v1/runs/forecast", map[string]any{"base_run": base.ID, "model": "eum",
		"what_if": map[string]any{"set": []string{"russia.capability=30"}}}, &wi), 201)
	if wi.Scenario != "kosovo-copy" {
		t.Errorf("what-if run of scenario %q", wi.Scenario)
	}
	f := finding(t, wi, "iran")
	if f.Value == nil || *f.Value != 90 || f.Kind != "fixed" {
		t.Errorf("what-if finding %+v", f)
	}
	var diff []run.Difference
	want(t, call(t, ts, "GET", "/api/v1/runs/"+itoa(base.ID)+"/diff/"+itoa(wi.ID), nil, &diff), 200)
	got := map[string]run.Difference{}
	for _, d := range diff {
		got[d.Field] = d
	}
	if d, ok := got["settings.what_if.set.0"]; !ok || d.B != "russia.capability=30" || d.A != nil {
		t.Errorf("diff of the what-if %+v (all: %+v)", d, diff)
	}
	if d, ok := got["cfe.final.russia"]; ok {
		t.Errorf("russia's final cfe position differs: %+v", d)
	}
	if d := got["iran.forecast"]; d.Delta == nil {
		t.Errorf("iran's forecast in the diff: %+v", d)
	}
	if d := got["inputs.russia.capability"]; d.Delta == nil || *d.Delta != -45 {
		t.Errorf("russia's capability in the diff's inputs: %+v", d)
	}
	// Refusals: a what-if naming no actor of the scenario, a base run
	// that does not exist, a base run of another scenario.
	var e apiError
	want(t, call(t, ts, "POST", "/api/v1/runs/forecast", map[string]any{"base_run": base.ID, "what_if": map[string]any{"drop": []string{"moscow"}}}, &e), 400)
	if !strings.Contains(e.Error, `what_if: drop "moscow": no actor "moscow"`) {
		t.Errorf("bad what-if: %q", e.Error)
	}
	want(t, call(t, ts, "POST", "/api/v1/runs/forecast", map[string]any{"base_run": 999}, &e), 400)
	if e.Error != "base_run: no run 999" {
		t.Errorf("missing base run: %q", e.Error)
	}
	want(t, call(t, ts, "POST", "/api/v1/runs/forecast", map[string]any{"base_run": base.ID, "scenario": "kosovo-2007"}, &e), 400)
	if !strings.Contains(e.Error, `ran scenario "kosovo-copy", not "kosovo-2007"`) {
		t.Errorf("base run of another scenario: %q", e.Error)
	}
	want(t, call(t, ts, "GET", "/api/v1/runs/"+itoa(base.ID)+"/diff/x", nil, &e), 400)
	want(t, call(t, ts, "GET", "/api/v1/runs/"+itoa(base.ID)+"/diff/999", nil, &e), 404)
}

// TestFindingsOfEveryKind: the findings table of a sweep (median, 5–95%,
// likeliest band), a process (where each issue stands after the last
// stage) and a sensitivity analysis (the forecast analysed, the input
// moving it most).
func TestFindingsOfEveryKind(t *testing.T) {
	_, ts := newTest(t, Config{})
	runJob := func(kind string, body map[string]any) findingsDoc {
		var j Job
		want(t, call(t, ts, "POST", "/api/v1/runs/"+kind, body, &j), 202)
		if j = waitJob(t, ts, j.ID, ended); j.Status != JobDone {
			t.Fatalf("%s job %+v", kind, j)
		}
		var d findingsDoc
		want(t, call(t, ts, "GET", "/api/v1/runs/"+itoa(j.RunID), nil, &d), 200)
		return d
	}
	sw := runJob("sweep", map[string]any{"scenario": "kosovo-2007", "model": "mean", "draws": 50})
	if f := finding(t, sw, "status"); f.Value == nil || f.Interval == "" || !strings.HasPrefix(f.Ends, "most likely band: ") || !strings.HasSuffix(f.Ends, "% of 50 draws)") || f.Place == "" {
		t.Errorf("sweep finding %+v", f)
	}
	pr := runJob("process", map[string]any{"scenario": "kosovo-2007", "draws": 50})
	if f := finding(t, pr, "status"); f.Value == nil || !strings.HasPrefix(f.Ends, "after ") || !strings.Contains(f.Ends, "forecast of the settlement") {
		t.Errorf("process finding %+v", f)
	}
	se := runJob("sensitivity", map[string]any{"scenario": "emission-1994", "model": "mean", "samples": 0})
	if len(se.Summary) == 0 || se.Summary[0].Value == nil || !strings.HasSuffix(se.Summary[0].Ends, " across its range") {
		t.Errorf("sensitivity findings %+v", se.Summary)
	}
}

// TestValidateGivesTheScenario: a valid upload is answered with the
// scenario as read, which the editor's YAML pane takes its sections from.
func TestValidateGivesTheScenario(t *testing.T) {
	_, ts := newTest(t, Config{})
	yaml := "uncertainty:\n  position: 0.07\nname: v\nissues: [{\"id\": \"i\", \"min\": 0, \"max\": 10}]\nactors: [{\"id\": \"a\", \"capability\": 1, \"stances\": {\"i\": {\"position\": 1, \"salience\": 5}}}, {\"id\": \"b\", \"capability\": 1, \"stances\": {\"i\": {\"position\": 9, \"salience\": 5}}}]\n"
	var out struct {
		Valid    bool `json:"valid"`
		Scenario struct {
			Uncertainty struct {
				Position float64 `json:"position"`
			} `json:"uncertainty"`
		} `json:"scenario"`
	}
	want(t, call(t, ts, "POST", "/api/v1/scenarios/validate", yaml, &out), 200)
	if !out.Valid || out.Scenario.Uncertainty.Position != 0.07 {
		t.Errorf("validate answered %+v", out)
	}
}

// TestRunErrorOfACancelledRequest: a run read by a request whose client
// has gone (a page left while its charts load) is no internal error: 503,
// and nothing logged as an incident.
func TestRunErrorOfACancelledRequest(t *testing.T) {
	var logged strings.Builder
	s, _ := newTest(t, Config{Log: log.New(&logged, "", 0)})
	for _, err := range []error{context.Canceled, fmt.Errorf("store: %w", context.DeadlineExceeded)} {
		w := httptest.NewRecorder()
		s.runError(w, err)
		if w.Code != http.StatusServiceUnavailable {
			t.Errorf("%v: %d", err, w.Code)
		}
	}
	if logged.Len() != 0 {
		t.Errorf("logged %q", logged.String())
	}
}
