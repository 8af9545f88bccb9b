package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parley-project/parley/backtest"
	"github.com/parley-project/parley/backtest/deu3"
	"github.com/parley-project/parley/internal/fixture"
	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/model/registry"
	"github.com/parley-project/parley/process"
	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/scenarios"
	"github.com/parley-project/parley/sensitivity"
	"github.com/parley-project/parley/store"
	"github.com/parley-project/parley/store/storetest"
	"github.com/parley-project/parley/sweep"
)

// newTest starts a server on a fresh SQLite store.
func newTest(t testing.TB, cfg Config) (*Server, *httptest.Server) {
	t.Helper()
	return newTestAt(t, cfg, filepath.Join(t.TempDir(), "parley.db"))
}

// newTestAt starts a server on the store at loc.
func newTestAt(t testing.TB, cfg Config, loc string) (*Server, *httptest.Server) {
	t.Helper()
	st, err := store.Open(context.Background(), loc)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Store = st
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(func() {
		ts.Close()
		s.Close()
		st.Close()
	})
	return s, ts
}

// call makes a request and decodes a JSON answer into out (when not nil).
func call(t testing.TB, ts *httptest.Server, method, path string, body any, out any) *http.Response {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, ts.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if rd != nil {
		// What the browser UI sends; the raw uploads (validate, import)
		// take any type.
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s %s: %d %q: %v", method, path, resp.StatusCode, data, err)
		}
	}
	resp.Body = io.NopCloser(bytes.NewReader(data))
	return resp
}

func want(t testing.TB, resp *http.Response, code int) {
	t.Helper()
	if resp.StatusCode != code {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("%s %s: status %d, want %d: %s", resp.Request.Method, resp.Request.URL.Path, resp.StatusCode, code, b)
	}
}

func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	s, ts := newTest(t, Config{})
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	want(t, call(t, ts, "GET", "/api/v1/openapi.json", nil, &doc), 200)
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Errorf("openapi version %q", doc.OpenAPI)
	}
	described := 0
	for _, r := range s.routes() {
		if _, ok := doc.Paths[r.path][strings.ToLower(r.method)]; !ok {
			t.Errorf("route %s %s is not in openapi.json", r.method, r.path)
		}
	}
	for p, ops := range doc.Paths {
		for m := range ops {
			described++
			if !slices.ContainsFunc(s.routes(), func(r route) bool { return r.path == p && strings.ToLower(r.method) == m }) {
				t.Errorf("openapi.json describes %s %s, which the server does not serve", m, p)
			}
		}
	}
	if described != len(s.routes()) {
		t.Errorf("openapi.json has %d operations, the server %d routes", described, len(s.routes()))
	}
}

// blank is a small valid scenario in Parley's JSON form.
func blank(name string) map[string]any {
	actor := func(id string, c, p, s float64) map[string]any {
		return map[string]any{"id": id, "capability": c, "stances": map[string]any{"x": map[string]any{"position": p, "salience": s}}}
	}
	return map[string]any{"name": name, "title": "Test", "issues": []any{map[string]any{"id": "x", "name": "X", "min": 0, "max": 100,
		"anchors": []any{map[string]any{"value": 0, "label": "none"}, map[string]any{"value": 100, "label": "all"}}}},
		"actors": []any{actor("a", 50, 10, 80), actor("b", 30, 60, 60), actor("c", 20, 90, 50)}}
}

func TestScenarios(t *testing.T) {
	_, ts := newTest(t, Config{})
	testScenarios(t, ts)
}

// TestScenariosPostgres runs the scenario routes on the PostgreSQL store.
func TestScenariosPostgres(t *testing.T) {
	_, ts := newTestAt(t, Config{}, storetest.Postgres(t))
	testScenarios(t, ts)
	var run store.Run
	want(t, call(t, ts, "POST", "/api/v1/runs/forecast", map[string]any{"scenario": "emission-1994", "model": "mean"}, &run), 201)
	want(t, call(t, ts, "GET", "/api/v1/runs/"+itoa(run.ID)+"/chart", nil, nil), 200)
}

func testScenarios(t *testing.T, ts *httptest.Server) {
	var doc scenarioDoc
	want(t, call(t, ts, "POST", "/api/v1/scenarios", map[string]any{"scenario": blank("demo")}, &doc), 201)
	if doc.Version != 1 || doc.Name != "demo" {
		t.Fatalf("created %+v", doc)
	}
	// A duplicate name and a built-in name are refused.
	want(t, call(t, ts, "POST", "/api/v1/scenarios", map[string]any{"scenario": blank("demo")}, nil), 409)
	var e apiError
	want(t, call(t, ts, "POST", "/api/v1/scenarios", map[string]any{"scenario": blank("kosovo-2007")}, &e), 422)
	// Update with the version read; a stale version is a conflict.
	sc := blank("demo")
	sc["title"] = "Renamed"
	want(t, call(t, ts, "PUT", "/api/v1/scenarios/demo", map[string]any{"version": 1, "scenario": sc}, &doc), 200)
	if doc.Version != 2 {
		t.Errorf("version after update %d", doc.Version)
	}
	want(t, call(t, ts, "PUT", "/api/v1/scenarios/demo", map[string]any{"version": 1, "scenario": sc}, nil), 409)
	want(t, call(t, ts, "PUT", "/api/v1/scenarios/nope", map[string]any{"version": 1, "scenario": blank("nope")}, nil), 404)
	// An invalid update answers 422 with the field-level problems the
	// command line prints, and leaves the stored scenario as it was.
	bad := blank("demo")
	bad["actors"].([]any)[1].(map[string]any)["capability"] = -3
	bad["actors"].([]any)[0].(map[string]any)["stances"].(map[string]any)["x"].(map[string]any)["position"] = 150
	e = apiError{}
	want(t, call(t, ts, "PUT", "/api/v1/scenarios/demo", map[string]any{"version": 2, "scenario": bad}, &e), 422)
	probs, _ := json.Marshal(e.Problems)
	for _, s := range []string{`"field":"actors[1].capability"`, `capability must not be negative, got -3`, `"field":"actors[0].stances.x.position"`, `"file":"demo.json"`} {
		if !strings.Contains(string(probs), s) {
			t.Errorf("problems %s lack %s", probs, s)
		}
	}
	want(t, call(t, ts, "GET", "/api/v1/scenarios/demo", nil, &doc), 200)
	if doc.Version != 2 || doc.Scenario.Title != "Renamed" || len(doc.Scenario.Actors) != 3 {
		t.Errorf("stored after a refused update: %+v", doc)
	}
	// Built-ins are readable, not deletable.
	want(t, call(t, ts, "GET", "/api/v1/scenarios/kosovo-2007", nil, &doc), 200)
	if !doc.Builtin || len(doc.Scenario.Actors) != 24 {
		t.Errorf("built-in: builtin=%v, %d actors", doc.Builtin, len(doc.Scenario.Actors))
	}
	want(t, call(t, ts, "DELETE", "/api/v1/scenarios/kosovo-2007", nil, nil), 409)
	want(t, call(t, ts, "GET", "/api/v1/scenarios/nope", nil, nil), 404)
	var list []scenarioInfo
	want(t, call(t, ts, "GET", "/api/v1/scenarios", nil, &list), 200)
	var names []string
	for _, s := range list {
		names = append(names, s.Name)
	}
	if !slices.Equal(names, append(scenarios.Names(), "demo")) {
		t.Errorf("list %v", names)
	}
	want(t, call(t, ts, "DELETE", "/api/v1/scenarios/demo", nil, nil), 204)
	want(t, call(t, ts, "DELETE", "/api/v1/scenarios/demo", nil, nil), 404)
	// Bad bodies.
	want(t, call(t, ts, "POST", "/api/v1/scenarios", `{"scenario":`, nil), 400)
	want(t, call(t, ts, "POST", "/api/v1/scenarios", `{"bogus":1}`, nil), 400)
	want(t, call(t, ts, "POST", "/api/v1/scenarios", `{}`, nil), 400)
	want(t, call(t, ts, "GET", "/api/v1/nothing", nil, nil), 404)
}

func TestValidateImportExport(t *testing.T) {
	_, ts := newTest(t, Config{})
	var v struct {
		Valid    bool   `json:"valid"`
		Format   string `json:"format"`
		Problems []struct {
			File, Field, Message string
			Line                 int
		} `json:"problems"`
	}
	yml := "name: t\nissues:\n  - id: x\n    min: 0\n    max: 10\nactors:\n  - id: a\n    capability: -1\n    stances:\n      x: {position: 5, salience: 1}\n"
	want(t, call(t, ts, "POST", "/api/v1/scenarios/validate?file=t.yaml", yml, &v), 200)
	if v.Valid || v.Format != "yaml" || len(v.Problems) == 0 {
		t.Fatalf("validate: %+v", v)
	}
	found := false
	for _, p := range v.Problems {
		if p.File == "t.yaml" && p.Line == 8 && p.Field == "actors[0].capability" {
			found = true
		}
	}
	if !found {
		t.Errorf("no problem at t.yaml:8 actors[0].capability in %+v", v.Problems)
	}
	// Every export format of a built-in imports back (the same readers
	// and writers as 'parley export' and 'parley import').
	for _, f := range exportFormats {
		q := "?format=" + f.Name
		if f.Name == "bdm" {
			q += "&issue=issue"
		}
		resp := call(t, ts, "GET", "/api/v1/scenarios/emission-1994/export"+q, nil, nil)
		want(t, resp, 200)
		body, _ := io.ReadAll(resp.Body)
		if resp.Header.Get("Content-Type") != f.ContentType || len(body) == 0 {
			t.Errorf("%s: content type %q, %d bytes", f.Name, resp.Header.Get("Content-Type"), len(body))
		}
		var doc scenarioDoc
		want(t, call(t, ts, "POST", "/api/v1/scenarios/import?name=imp-"+f.Name, body, &doc), 201)
		if doc.Name != "imp-"+f.Name || len(doc.Scenario.Actors) != 10 {
			t.Errorf("%s: imported %s with %d actors", f.Name, doc.Name, len(doc.Scenario.Actors))
		}
		// The stored Parley JSON (written without a second reading) reads
		// back as the same scenario.
		var back scenarioDoc
		want(t, call(t, ts, "GET", "/api/v1/scenarios/imp-"+f.Name, nil, &back), 200)
		if a, b := mustJSON(t, back.Scenario), mustJSON(t, doc.Scenario); a != b {
			t.Errorf("%s: stored %s, imported %s", f.Name, a, b)
		}
	}
	want(t, call(t, ts, "GET", "/api/v1/scenarios/emission-1994/export?format=nope", nil, nil), 400)
	want(t, call(t, ts, "POST", "/api/v1/scenarios/import", yml, nil), 422)
	var formats map[string]any
	want(t, call(t, ts, "GET", "/api/v1/formats", nil, &formats), 200)
}

func TestForecastAndRuns(t *testing.T) {
	_, ts := newTest(t, Config{})
	var models []modelDoc
	resp := call(t, ts, "GET", "/api/v1/models", nil, &models)
	want(t, resp, 200)
	if len(models) != len(registry.Default().All()) {
		t.Errorf("%d models", len(models))
	}
	if body, _ := io.ReadAll(resp.Body); !bytes.Contains(body, []byte(`{"name":"eum","description":`)) || !bytes.Contains(body, []byte(`"variants":[{"name":"scholz"`)) {
		t.Errorf("models: %.300s", body)
	}
	var run store.Run
	want(t, call(t, ts, "POST", "/api/v1/runs/forecast", map[string]any{"scenario": "emission-1994", "model": "eum", "rounds": 5}, &run), 201)
	var got result.Result
	if err := json.Unmarshal(run.Result, &got); err != nil {
		t.Fatal(err)
	}
	// The API runs the same code as 'parley forecast'.
	sc, _ := scenarios.Get("emission-1994")
	m, _ := registry.Default().Get("eum")
	ref, err := m.Run(context.Background(), sc, model.Options{Rounds: 5, Stop: model.StopRule{Epsilon: 0.01}, Params: model.Params{}})
	if err != nil {
		t.Fatal(err)
	}
	if got.Issues[0].Forecast != ref.Issues[0].Forecast || len(got.Issues[0].Rounds) != 6 {
		t.Errorf("forecast %v (%d rounds), CLI code gives %v", got.Issues[0].Forecast, len(got.Issues[0].Rounds), ref.Issues[0].Forecast)
	}
	resp = call(t, ts, "GET", "/api/v1/runs/1/chart", nil, nil)
	want(t, resp, 200)
	body, _ := io.ReadAll(resp.Body)
	if !bytes.HasPrefix(body, []byte("<svg")) || !bytes.Contains(body, []byte("forecast")) || resp.Header.Get("Content-Type") != "image/svg+xml" {
		t.Errorf("chart: %s %.200s", resp.Header.Get("Content-Type"), body)
	}
	want(t, call(t, ts, "GET", "/api/v1/runs/1/chart?issue=nope", nil, nil), 404)
	// The HTML report is the one 'parley report --html' writes.
	resp = call(t, ts, "GET", "/api/v1/runs/1/report", nil, nil)
	want(t, resp, 200)
	if body, _ := io.ReadAll(resp.Body); !bytes.HasPrefix(body, []byte("<!DOCTYPE html>")) && !bytes.HasPrefix(body, []byte("<!doctype html>")) || !bytes.Contains(body, []byte("emission-1994")) {
		t.Errorf("report: %s %.200s", resp.Header.Get("Content-Type"), body)
	}
	var runs []store.Run
	want(t, call(t, ts, "GET", "/api/v1/runs?kind=forecast&limit=5", nil, &runs), 200)
	if len(runs) != 1 || runs[0].ID != 1 || runs[0].Model != "eum" {
		t.Errorf("runs %+v", runs)
	}
	want(t, call(t, ts, "GET", "/api/v1/runs/1", nil, &run), 200)
	want(t, call(t, ts, "GET", "/api/v1/runs?limit=x", nil, nil), 400)
	want(t, call(t, ts, "GET", "/api/v1/runs/x", nil, nil), 400)
	want(t, call(t, ts, "POST", "/api/v1/runs/forecast", map[string]any{"scenario": "emission-1994", "model": "nope"}, nil), 400)
	want(t, call(t, ts, "POST", "/api/v1/runs/forecast", map[string]any{"scenario": "nope"}, nil), 404)
	want(t, call(t, ts, "POST", "/api/v1/runs/forecast", map[string]any{}, nil), 400)
	// An interval beside each forecast, as parley forecast --interval.
	want(t, call(t, ts, "POST", "/api/v1/runs/forecast", map[string]any{"scenario": "emission-1994", "interval": true, "draws": 40, "seed": 3}, &run), 201)
	if err := json.Unmarshal(run.Result, &got); err != nil {
		t.Fatal(err)
	}
	if err := sweep.AddIntervals(context.Background(), ref, sc, m, model.Options{}, 40, 3, 1); err != nil {
		t.Fatal(err)
	}
	if iv := got.Issues[0].Interval; iv == nil || *iv != *ref.Issues[0].Interval || run.Seed != 3 || !bytes.Contains(run.Config, []byte(`"interval_draws":40`)) {
		t.Errorf("interval %+v (seed %d, config %s), CLI code gives %+v", iv, run.Seed, run.Config, ref.Issues[0].Interval)
	}
	if s := got.Issues[0].Settlement; s == nil || s.Kind != result.Unsettled {
		t.Errorf("settlement %+v", s)
	}
	for _, bad := range []map[string]any{
		{"scenario": "emission-1994", "interval": true, "draws": -1},
		{"scenario": "emission-1994", "interval": true, "draws": 5001}, // server.DefaultMaxIntervalDraws + 1
		{"scenario": "emission-1994", "stable": -1},
	} {
		want(t, call(t, ts, "POST", "/api/v1/runs/forecast", bad, nil), 400)
	}
	want(t, call(t, ts, "DELETE", "/api/v1/runs/1", nil, nil), 204)
	want(t, call(t, ts, "GET", "/api/v1/runs/1", nil, nil), 404)
	want(t, call(t, ts, "DELETE", "/api/v1/runs/1", nil, nil), 404)
}

// TestRunStatusText: the runs list and a run describe its status as
// 'parley runs' does (run.StatusText), judged by the server's clock,
// and say which sweeps POST /runs/{id}/resume may continue.
func TestRunStatusText(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "parley.db"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{Store: st})
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu    sync.Mutex
		clock time.Time // zero: the real time
	)
	s.now = func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		if clock.IsZero() {
			return time.Now()
		}
		return clock
	}
	ts := httptest.NewServer(s)
	t.Cleanup(func() {
		ts.Close()
		s.Close()
		st.Close()
	})
	sweepRun := func(draws int, status string) *store.Run {
		t.Helper()
		run := &store.Run{Kind: store.KindSweep, Scenario: "x", Config: json.RawMessage(`{"requested":40}`)}
		if err := st.Create(ctx, run); err != nil {
			t.Fatal(err)
		}
		var ds []store.Draw
		for i := range draws {
			ds = append(ds, store.Draw{Index: i, Data: json.RawMessage(`{}`)})
		}
		if err := st.AddDraws(ctx, run.ID, ds); err != nil {
			t.Fatal(err)
		}
		if status != store.StatusRunning {
			if err := st.SetStatus(ctx, run.ID, status); err != nil {
				t.Fatal(err)
			}
		}
		got, err := st.Get(ctx, run.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	running := sweepRun(12, store.StatusRunning)
	interrupted := sweepRun(5, store.StatusInterrupted)
	var forecast store.Run
	want(t, call(t, ts, "POST", "/api/v1/runs/forecast", map[string]any{"scenario": "kosovo-2007", "rounds": 2}, &forecast), 201)

	type doc struct {
		ID         int64  `json:"id"`
		Status     string `json:"status"`
		StatusText string `json:"status_text"`
		Resumable  bool   `json:"resumable"`
	}
	check := func(when string, want map[int64]doc) {
		t.Helper()
		var list []doc
		call(t, ts, "GET", "/api/v1/runs", nil, &list)
		if len(list) != len(want) {
			t.Fatalf("%s: %d runs listed, want %d", when, len(list), len(want))
		}
		for _, got := range list {
			var one doc
			call(t, ts, "GET", "/api/v1/runs/"+itoa(got.ID), nil, &one)
			if got != want[got.ID] || one != want[got.ID] {
				t.Errorf("%s: run %d listed as %+v, shown as %+v, want %+v", when, got.ID, got, one, want[got.ID])
			}
		}
	}
	check("now", map[int64]doc{
		running.ID:     {running.ID, store.StatusRunning, "running", false},
		interrupted.ID: {interrupted.ID, store.StatusInterrupted, "interrupted (5/40 draws)", true},
		forecast.ID:    {forecast.ID, store.StatusDone, "done", false},
	})
	mu.Lock()
	clock = running.Updated.Add(12*time.Minute + 30*time.Second)
	mu.Unlock()
	check("12 minutes later", map[int64]doc{
		running.ID:     {running.ID, store.StatusRunning, "running? (no progress for 12 minutes)", true},
		interrupted.ID: {interrupted.ID, store.StatusInterrupted, "interrupted (5/40 draws)", true},
		forecast.ID:    {forecast.ID, store.StatusDone, "done", false},
	})
}

// waitJob polls a job until cond holds.
func waitJob(t *testing.T, ts *httptest.Server, id string, cond func(Job) bool) Job {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var j Job
		want(t, call(t, ts, "GET", "/api/v1/jobs/"+id, nil, &j), 200)
		if cond(j) {
			return j
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %s: still %+v", id, j)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func ended(j Job) bool { return j.Status != JobQueued && j.Status != JobRunning }

func TestSweepCancelResume(t *testing.T) {
	s, ts := newTest(t, Config{Workers: 2})
	req := map[string]any{"scenario": "kosovo-2007", "model": "eum", "rounds": 3, "draws": 400, "seed": 7, "noise": map[string]any{"position": 0.05}}
	var j Job
	want(t, call(t, ts, "POST", "/api/v1/runs/sweep", req, &j), 202)
	j = waitJob(t, ts, j.ID, func(j Job) bool { return j.Done >= 10 || ended(j) })
	if ended(j) {
		t.Fatalf("the sweep ended before it could be cancelled: %+v", j)
	}
	want(t, call(t, ts, "POST", "/api/v1/jobs/"+j.ID+"/cancel", nil, &j), 200)
	j = waitJob(t, ts, j.ID, ended)
	if j.Status != JobCancelled || j.RunID == 0 || !strings.Contains(j.Error, "resume") {
		t.Fatalf("cancelled job %+v", j)
	}
	want(t, call(t, ts, "POST", "/api/v1/jobs/"+j.ID+"/cancel", nil, nil), 409)
	want(t, call(t, ts, "POST", "/api/v1/jobs/999/cancel", nil, nil), 404)
	var run store.Run
	want(t, call(t, ts, "GET", "/api/v1/runs/"+itoa(j.RunID), nil, &run), 200)
	if run.Status != store.StatusInterrupted || run.Draws < 10 || run.Draws >= 400 {
		t.Fatalf("interrupted run: status %s, %d draws stored", run.Status, run.Draws)
	}
	want(t, call(t, ts, "GET", "/api/v1/runs/"+itoa(j.RunID)+"/chart", nil, nil), 409)
	// While another job writes the run, resuming it is refused.
	release := make(chan struct{})
	var once sync.Once
	free := func() { once.Do(func() { close(release) }) }
	t.Cleanup(free) // before the server's shutdown, should the test fail here
	hold, err := s.jobs.SubmitRun("sweep", j.RunID, func(context.Context, *Job) error { <-release; return nil })
	if err != nil {
		t.Fatal(err)
	}
	resp := call(t, ts, "POST", "/api/v1/runs/"+itoa(j.RunID)+"/resume", nil, nil)
	want(t, resp, 409)
	if body, _ := io.ReadAll(resp.Body); !strings.Contains(string(body), "is being written by job "+hold.ID) {
		t.Errorf("resume of a run another job writes: %s", body)
	}
	free()
	waitJob(t, ts, hold.ID, ended)
	// Resuming finishes the sweep with exactly the result of an
	// uninterrupted one.
	var j2 Job
	want(t, call(t, ts, "POST", "/api/v1/runs/"+itoa(j.RunID)+"/resume", nil, &j2), 202)
	j2 = waitJob(t, ts, j2.ID, ended)
	if j2.Status != JobDone || j2.Done != 400 || j2.Total != 400 {
		t.Fatalf("resumed job %+v", j2)
	}
	want(t, call(t, ts, "GET", "/api/v1/runs/"+itoa(j.RunID), nil, &run), 200)
	sc, _ := scenarios.Get("kosovo-2007")
	m, _ := registry.Default().Get("eum")
	n, _ := sweep.NoiseFrom(sc)
	pos := 0.05
	n.Override(sweep.NoiseOverride{Position: &pos}) // as the request's noise.position
	ref, err := sweep.Run(context.Background(), sweep.Config{Scenario: sc, Model: m, Noise: n, Draws: 400, Seed: 7,
		Options: model.Options{Rounds: 3, Params: model.Params{}}})
	if err != nil {
		t.Fatal(err)
	}
	refDoc, _ := ref.Encode()
	if !jsonEqual(t, run.Result, refDoc) {
		t.Errorf("resumed sweep differs from an uninterrupted one")
	}
	want(t, call(t, ts, "POST", "/api/v1/runs/"+itoa(j.RunID)+"/resume", nil, nil), 409)
	resp = call(t, ts, "GET", "/api/v1/runs/"+itoa(j.RunID)+"/chart?issue=status", nil, nil)
	want(t, resp, 200)
	var jobs []Job
	want(t, call(t, ts, "GET", "/api/v1/jobs", nil, &jobs), 200)
	if len(jobs) != 3 || jobs[0].ID != j2.ID {
		t.Errorf("jobs %+v", jobs)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func jsonEqual(t *testing.T, a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		t.Fatal("not JSON")
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return bytes.Equal(xa, ya)
}

func itoa(id int64) string { b, _ := json.Marshal(id); return string(b) }

func TestShutdownCheckpointsSweep(t *testing.T) {
	s, ts := newTest(t, Config{Workers: 1, QueueSize: 4})
	req := map[string]any{"scenario": "kosovo-2007", "rounds": 3, "draws": 5000, "noise": map[string]any{"position": 0.05}}
	var a, b Job
	want(t, call(t, ts, "POST", "/api/v1/runs/sweep", req, &a), 202)
	want(t, call(t, ts, "POST", "/api/v1/runs/sweep", req, &b), 202)
	waitJob(t, ts, a.ID, func(j Job) bool { return j.Done >= 5 })
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := s.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	a, _ = s.jobs.Get(a.ID)
	b, _ = s.jobs.Get(b.ID)
	if a.Status != JobInterrupted || b.Status != JobInterrupted {
		t.Fatalf("after shutdown: running job %s, queued job %s", a.Status, b.Status)
	}
	run, err := s.cfg.Store.Get(context.Background(), a.RunID)
	if err != nil {
		t.Fatal(err)
	}
	if run.Status != store.StatusInterrupted || run.Draws < 5 {
		t.Errorf("checkpointed run: %s with %d draws", run.Status, run.Draws)
	}
	want(t, call(t, ts, "POST", "/api/v1/runs/sweep", req, nil), 503)
}

func TestQueueFull(t *testing.T) {
	s, ts := newTest(t, Config{Workers: 1, QueueSize: 1})
	release := make(chan struct{})
	started := make(chan struct{})
	block := func(ctx context.Context, _ *Job) error {
		close(started)
		select {
		case <-release:
		case <-ctx.Done():
		}
		return nil
	}
	if _, err := s.jobs.Submit("test", block); err != nil {
		t.Fatal(err)
	}
	<-started
	if _, err := s.jobs.Submit("test", func(context.Context, *Job) error { return nil }); err != nil {
		t.Fatal(err)
	}
	// The one worker is busy and the one queue slot taken: 429.
	var e apiError
	resp := call(t, ts, "POST", "/api/v1/runs/process", map[string]any{"scenario": "kosovo-2007", "draws": 10}, &e)
	want(t, resp, 429)
	if resp.Header.Get("Retry-After") == "" || !strings.Contains(e.Error, "queue is full") {
		t.Errorf("429: %v %+v", resp.Header, e)
	}
	// Other requests are still served while the job runs.
	want(t, call(t, ts, "POST", "/api/v1/runs/forecast", map[string]any{"scenario": "emission-1994"}, nil), 201)
	close(release)
}

func TestProcessJob(t *testing.T) {
	_, ts := newTest(t, Config{})
	var j Job
	want(t, call(t, ts, "POST", "/api/v1/runs/process", map[string]any{"scenario": "kosovo-2007", "draws": 200, "seed": 3}, &j), 202)
	j = waitJob(t, ts, j.ID, ended)
	if j.Status != JobDone || j.RunID == 0 {
		t.Fatalf("process job %+v", j)
	}
	for _, view := range []string{"timeline", "recognition"} {
		resp := call(t, ts, "GET", "/api/v1/runs/"+itoa(j.RunID)+"/chart?view="+view, nil, nil)
		want(t, resp, 200)
		body, _ := io.ReadAll(resp.Body)
		if !bytes.HasPrefix(body, []byte("<svg")) {
			t.Errorf("%s chart: %.100s", view, body)
		}
	}
	want(t, call(t, ts, "POST", "/api/v1/runs/process", map[string]any{"scenario": "emission-1994"}, nil), 400)
	want(t, call(t, ts, "POST", "/api/v1/runs/process", map[string]any{"scenario": "kosovo-2007", "draws": -1}, nil), 400)
	want(t, call(t, ts, "GET", "/api/v1/jobs/"+j.ID+"/chart", nil, nil), 409)
	want(t, call(t, ts, "GET", "/api/v1/jobs/nope", nil, nil), 404)
	want(t, call(t, ts, "GET", "/api/v1/jobs/nope/chart", nil, nil), 404)
}

func TestBacktestJob(t *testing.T) {
	_, ts := newTest(t, Config{})
	data, err := os.ReadFile(fixture.Path("deu3/fixture.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	var j Job
	want(t, call(t, ts, "POST", "/api/v1/runs/backtest", map[string]any{"data": string(data), "models": "mean,median", "bootstrap": 50, "folds": 0}, &j), 202)
	j = waitJob(t, ts, j.ID, ended)
	if j.Status != JobDone || j.Done != j.Total || j.Total != 2 {
		t.Fatalf("backtest job %+v", j)
	}
	// The job's report is the one package backtest gives the CLI.
	d, _ := deu3.Read(bytes.NewReader(data), "data")
	issues, skipped := d.Usable()
	specs, _ := backtest.ParseSpecs("mean,median", registry.Default())
	fc, err := backtest.Predict(context.Background(), d, issues, deu3.Equal, specs, registry.Default(), 1)
	if err != nil {
		t.Fatal(err)
	}
	ref, _ := json.Marshal(backtest.Evaluate(d, []*backtest.Forecasts{fc}, skipped, backtest.Config{Seed: 1, Bootstrap: 50, Workers: 1}))
	if !jsonEqual(t, j.Result, ref) {
		t.Errorf("backtest report differs from the package's:\n%s\n%s", j.Result, ref)
	}
	resp := call(t, ts, "GET", "/api/v1/jobs/"+j.ID+"/chart", nil, nil)
	want(t, resp, 200)
	if body, _ := io.ReadAll(resp.Body); !bytes.Contains(body, []byte("MAE on DEU III")) {
		t.Errorf("backtest chart %.200s", body)
	}
	// With folds, the learned models asked for are cross-validated too.
	want(t, call(t, ts, "POST", "/api/v1/runs/backtest", map[string]any{"data": string(data), "models": "mean", "bootstrap": 50, "folds": 2, "learned": "focal"}, &j), 202)
	j = waitJob(t, ts, j.ID, ended)
	specs, _ = backtest.ParseSpecs("mean", registry.Default())
	if fc, err = backtest.Predict(context.Background(), d, issues, deu3.Equal, specs, registry.Default(), 1); err != nil {
		t.Fatal(err)
	}
	learners, _ := backtest.ParseLearners("focal")
	ref, _ = json.Marshal(backtest.Evaluate(d, []*backtest.Forecasts{fc}, skipped, backtest.Config{Seed: 1, Bootstrap: 50, Folds: 2, Workers: 1, Learners: learners}))
	if j.Status != JobDone || !jsonEqual(t, j.Result, ref) || !bytes.Contains(ref, []byte(`"crps"`)) {
		t.Errorf("backtest job with learned models %+v:\n%s", j, ref)
	}
}

func TestBacktestValidation(t *testing.T) {
	_, ts := newTest(t, Config{})
	want(t, call(t, ts, "POST", "/api/v1/runs/backtest", map[string]any{"data": "x", "capabilities": "nope"}, nil), 400)
	want(t, call(t, ts, "POST", "/api/v1/runs/backtest", map[string]any{"data": "x", "models": "nope"}, nil), 400)
	want(t, call(t, ts, "POST", "/api/v1/runs/backtest", map[string]any{"data": "x", "folds": 1}, nil), 400)
	want(t, call(t, ts, "POST", "/api/v1/runs/backtest", map[string]any{"data": "x", "learned": "focal,nope"}, nil), 400)
	var e apiError
	want(t, call(t, ts, "POST", "/api/v1/runs/backtest", map[string]any{"data": "not\ta\tDEU\tfile\n"}, &e), 422)
	if e.Error == "" {
		t.Error("no message for bad data")
	}
}

func TestAuth(t *testing.T) {
	_, ts := newTest(t, Config{Token: "s3cret"})
	c := ts.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	get := func(path string, h map[string]string) *http.Response {
		req, _ := http.NewRequest("GET", ts.URL+path, nil)
		for k, v := range h {
			req.Header.Set(k, v)
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	for _, tc := range []struct {
		path   string
		header map[string]string
		code   int
	}{
		{"/api/v1/models", nil, 401},
		{"/api/v1/models", map[string]string{"Authorization": "Bearer wrong"}, 401},
		{"/api/v1/models", map[string]string{"Authorization": "Bearer s3cret"}, 200},
		{"/api/v1/models", map[string]string{"Cookie": "parley_token=s3cret"}, 200},
		{"/api/v1/models", map[string]string{"Cookie": "parley_token=s3cre"}, 401},
		{"/api/v1/openapi.json", nil, 401},
		{"/", nil, 303},
		{"/static/app.js", nil, 303},
		{"/", map[string]string{"Cookie": "parley_token=s3cret"}, 200},
		{"/static/app.js", map[string]string{"Cookie": "parley_token=s3cret"}, 200},
		{"/login", nil, 200},
		{"/?token=wrong", nil, 303},
	} {
		if got := get(tc.path, tc.header); got.StatusCode != tc.code {
			t.Errorf("GET %s %v: %d, want %d", tc.path, tc.header, got.StatusCode, tc.code)
		}
	}
	// A link with the token sets the cookie and drops the token.
	resp := get("/?token=s3cret", nil)
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/" || !strings.Contains(resp.Header.Get("Set-Cookie"), "parley_token=s3cret") {
		t.Errorf("token link: %d %v", resp.StatusCode, resp.Header)
	}
	if resp := get("/?token=wrong", nil); resp.Header.Get("Location") != "/login" || resp.Header.Get("Set-Cookie") != "" {
		t.Errorf("wrong token link: %v", resp.Header)
	}
	post := func(tok string) *http.Response {
		resp, err := c.PostForm(ts.URL+"/login", map[string][]string{"token": {tok}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if r := post("nope"); r.StatusCode != 401 || r.Header.Get("Set-Cookie") != "" {
		t.Errorf("wrong login: %d", r.StatusCode)
	}
	if r := post("s3cret"); r.StatusCode != 303 || !strings.Contains(r.Header.Get("Set-Cookie"), "HttpOnly") {
		t.Errorf("login: %d %v", r.StatusCode, r.Header)
	}
}

func TestBodyLimit(t *testing.T) {
	_, ts := newTest(t, Config{MaxBody: 1024})
	big := strings.Repeat("x", 4096)
	var e apiError
	want(t, call(t, ts, "POST", "/api/v1/scenarios/import", big, &e), 413)
	if !strings.Contains(e.Error, "limit") {
		t.Errorf("413 body %+v", e)
	}
	// A body without Content-Length is cut off by the reader.
	req, _ := http.NewRequest("POST", ts.URL+"/api/v1/scenarios/validate", io.MultiReader(strings.NewReader(big)))
	req.ContentLength = -1
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 413 {
		t.Errorf("chunked body over the limit: %d", resp.StatusCode)
	}
	want(t, call(t, ts, "POST", "/api/v1/runs/forecast", map[string]any{"scenario": "emission-1994", "model": "mean", "variant": strings.Repeat("v", 2000)}, nil), 413)
}

func TestRequestTimeout(t *testing.T) {
	_, ts := newTest(t, Config{RequestTimeout: time.Microsecond})
	var e apiError
	resp := call(t, ts, "POST", "/api/v1/runs/forecast", map[string]any{"scenario": "kosovo-2007", "model": "eum"}, &e)
	want(t, resp, 503)
	if e.Error != "request timed out" || resp.Header.Get("Content-Type") != "application/json" {
		t.Errorf("timeout: %q %+v", resp.Header.Get("Content-Type"), e)
	}
}

func TestJobsShutdownErrors(t *testing.T) {
	js := NewJobs(1, 1)
	failing, _ := js.Submit("x", func(context.Context, *Job) error { return errors.New("boom") })
	for j, _ := js.Get(failing.ID); !ended(j); j, _ = js.Get(failing.ID) {
		time.Sleep(time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := js.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if j, _ := js.Get(failing.ID); j.Status != JobFailed || j.Error != "boom" {
		t.Errorf("failed job %+v", j)
	}
	if _, err := js.Submit("x", nil); !errors.Is(err, ErrClosed) {
		t.Errorf("submit after shutdown: %v", err)
	}
}

func TestJobsForgetOldEndedJobs(t *testing.T) {
	js := NewJobs(2, keepEnded+10)
	defer js.Close()
	var last *Job
	for range keepEnded + 5 {
		j, err := js.Submit("x", func(context.Context, *Job) error { return nil })
		if err != nil {
			t.Fatal(err)
		}
		last = j
	}
	for j, _ := js.Get(last.ID); !ended(j); j, _ = js.Get(last.ID) {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond)
	// One more submission prunes down to keepEnded ended jobs.
	if _, err := js.Submit("x", func(context.Context, *Job) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if n := len(js.List()); n > keepEnded+1 {
		t.Errorf("%d jobs remembered, want at most %d", n, keepEnded+1)
	}
	if _, ok := js.Get("1"); ok {
		t.Error("the oldest job is still remembered")
	}
	if _, ok := js.Get(last.ID); !ok {
		t.Error("the newest job was forgotten")
	}
}

// TestChartsOfCommandLineRuns draws the runs 'parley recognition' and
// 'parley sensitivity' store.
func TestChartsOfCommandLineRuns(t *testing.T) {
	s, ts := newTest(t, Config{})
	ctx := context.Background()
	sc, _ := scenarios.Get("emission-1994")
	m, _ := registry.Default().Get("mean")
	sens, err := sensitivity.Analyse(context.Background(), sensitivity.Config{Scenario: sc, Model: m, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	kosovo, _ := scenarios.Get("kosovo-2007")
	proc, err := process.Run(ctx, kosovo, process.Options{Seed: 1, Draws: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		kind, text string
		result     any
	}{
		{store.KindSensitivity, "Years of delay", sens},
		{store.KindRecognition, "recognising", proc.Recognition},
	} {
		doc, _ := json.Marshal(tc.result)
		run := &store.Run{Kind: tc.kind, Scenario: "x", Status: store.StatusDone, Result: doc}
		if err := s.cfg.Store.Create(ctx, run); err != nil {
			t.Fatal(err)
		}
		resp := call(t, ts, "GET", "/api/v1/runs/"+itoa(run.ID)+"/chart", nil, nil)
		want(t, resp, 200)
		if body, _ := io.ReadAll(resp.Body); !bytes.HasPrefix(body, []byte("<svg")) || !bytes.Contains(body, []byte(tc.text)) {
			t.Errorf("%s chart lacks %q: %.300s", tc.kind, tc.text, body)
		}
		want(t, call(t, ts, "GET", "/api/v1/runs/"+itoa(run.ID)+"/report", nil, nil), 200)
	}
}

// TestEditsSurviveAKill saves through one server and reads through a
// second one opened on the same SQLite file while the first is still
// running, as after a kill: every answered save is committed.
func TestEditsSurviveAKill(t *testing.T) {
	db := filepath.Join(t.TempDir(), "shared.db")
	_, a := newTestAt(t, Config{}, db)
	var doc scenarioDoc
	want(t, call(t, a, "POST", "/api/v1/scenarios", map[string]any{"scenario": blank("kept")}, &doc), 201)
	sc := blank("kept")
	sc["title"] = "Second save"
	want(t, call(t, a, "PUT", "/api/v1/scenarios/kept", map[string]any{"version": 1, "scenario": sc}, &doc), 200)
	_, b := newTestAt(t, Config{}, db)
	want(t, call(t, b, "GET", "/api/v1/scenarios/kept", nil, &doc), 200)
	if doc.Version != 2 || doc.Scenario.Title != "Second save" {
		t.Errorf("read by a second server: version %d, title %q", doc.Version, doc.Scenario.Title)
	}
	// The first server's stale version is refused by the second.
	want(t, call(t, b, "PUT", "/api/v1/scenarios/kept", map[string]any{"version": 1, "scenario": sc}, nil), 409)
}

// TestValidateChecksProcess: the validate endpoint reports what a process
// run would refuse (here an unknown model of a talks stage) at its file,
// line and field, as 'parley validate' does, and a process run on a stored
// scenario with that problem is refused before it is queued.
// TestValidateWarnings: validating Decide's own "verkiezing 2012.csv"
// says it is valid and names the actor it leaves out.
func TestValidateWarnings(t *testing.T) {
	_, ts := newTest(t, Config{})
	data, err := os.ReadFile("../testdata/reference/decide/verkiezing-2012.csv")
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Valid    bool   `json:"valid"`
		Format   string `json:"format"`
		Warnings []struct {
			File, Field, Message string
			Line                 int
		} `json:"warnings"`
	}
	want(t, call(t, ts, "POST", "/api/v1/scenarios/validate?file=v.csv", string(data), &v), 200)
	if !v.Valid || v.Format != "decide" || len(v.Warnings) != 1 || v.Warnings[0].Line != 12 || v.Warnings[0].File != "v.csv" ||
		v.Warnings[0].Field != "#A field id" || !strings.Contains(v.Warnings[0].Message, `actor "50+" has no #D rows`) {
		t.Errorf("validate: %+v", v)
	}
}

func TestValidateChecksProcess(t *testing.T) {
	_, ts := newTest(t, Config{})
	src, err := scenarios.Source("kosovo-2007")
	if err != nil {
		t.Fatal(err)
	}
	at := bytes.Index(src, []byte("model: eum\n"))
	if at < 0 {
		t.Fatal("kosovo-2007 has no talks stage with model eum")
	}
	line := bytes.Count(src[:at], []byte("\n")) + 1
	type problem struct {
		File, Field, Message string
		Line                 int
	}
	var v struct {
		Valid    bool      `json:"valid"`
		Problems []problem `json:"problems"`
	}
	want(t, call(t, ts, "POST", "/api/v1/scenarios/validate?file=k.yaml", string(src), &v), 200)
	if !v.Valid || len(v.Problems) != 0 {
		t.Errorf("kosovo-2007: %+v", v)
	}
	bad := strings.Replace(string(src), "model: eum\n", "model: eumm\n", 1)
	want(t, call(t, ts, "POST", "/api/v1/scenarios/validate?file=k.yaml", bad, &v), 200)
	msg := `unknown model "eumm" (have mean, median, condorcet, power-mean, eum, smp, exchange, procedure, nash)`
	if w := (problem{File: "k.yaml", Line: line, Field: "process.stages[0].model", Message: msg}); v.Valid || len(v.Problems) != 1 || v.Problems[0] != w {
		t.Errorf("validate: %+v, want one problem %+v", v, w)
	}
	// Stored as it is (a draft may be saved), but not run.
	want(t, call(t, ts, "POST", "/api/v1/scenarios/import?name=proc", bad, nil), 201)
	var e struct {
		Error    string    `json:"error"`
		Problems []problem `json:"problems"`
	}
	want(t, call(t, ts, "POST", "/api/v1/runs/process", map[string]any{"scenario": "proc", "draws": 10}, &e), 422)
	if len(e.Problems) != 1 || e.Problems[0].Field != "process.stages[0].model" || e.Problems[0].Message != msg ||
		e.Problems[0].File != "proc.json" || e.Problems[0].Line == 0 {
		t.Errorf("process run: %+v", e)
	}
}

// TestScenarioEvidence: evidence on a capability, a position and a
// salience, saved through the API, reads back as it was sent (through the
// store and again after an update), is exported in the {value, evidence}
// form of YAML files, and an entry with an unknown source or no paraphrase
// is refused with the problem at the entry's field.
func TestScenarioEvidence(t *testing.T) {
	_, ts := newTest(t, Config{})
	sc := blank("cited")
	sc["sources"] = []any{map[string]any{"id": "ft", "outlet": "Financial Times", "date": "2007-11-05"},
		map[string]any{"id": "un", "outlet": "UN Security Council", "date": "2007-03-26", "ref": "S/2007/168"}}
	actors := sc["actors"].([]any)
	a, b := actors[0].(map[string]any), actors[1].(map[string]any)
	a["capability"] = map[string]any{"value": 50, "note": "economic weight",
		"evidence": []any{map[string]any{"source": "un", "paragraph": 2, "text": "The envoy counts the party among the main ones."}}}
	b["stances"].(map[string]any)["x"] = map[string]any{
		"position": map[string]any{"value": 60, "evidence": []any{
			map[string]any{"source": "ft", "paragraph": 4, "text": "The party asked for a mid-point settlement."},
			map[string]any{"source": "un", "text": "The report records the same demand."}}},
		"salience": map[string]any{"value": 60, "evidence": []any{map[string]any{"source": "ft", "paragraph": 5, "text": "The issue dominates its campaign."}}},
	}
	wantCap := scenario.Number{Value: 50, Set: true, Note: "economic weight", Evidence: []scenario.Evidence{{Source: "un", Paragraph: 2, Text: "The envoy counts the party among the main ones."}}}
	wantPos := []scenario.Evidence{{Source: "ft", Paragraph: 4, Text: "The party asked for a mid-point settlement."}, {Source: "un", Text: "The report records the same demand."}}
	wantSal := []scenario.Evidence{{Source: "ft", Paragraph: 5, Text: "The issue dominates its campaign."}}
	check := func(when string, doc scenarioDoc) {
		t.Helper()
		got := doc.Scenario
		if len(got.Sources) != 2 || got.Sources[1] != (scenario.Source{ID: "un", Outlet: "UN Security Council", Date: "2007-03-26", Ref: "S/2007/168"}) {
			t.Errorf("%s: sources %+v", when, got.Sources)
		}
		if c := got.Actors[0].Capability; c.Value != wantCap.Value || c.Note != wantCap.Note || !slices.Equal(c.Evidence, wantCap.Evidence) {
			t.Errorf("%s: capability %+v, want %+v", when, c, wantCap)
		}
		st := got.Actors[1].Stances["x"]
		if st.Position.Value != 60 || !slices.Equal(st.Position.Evidence, wantPos) {
			t.Errorf("%s: position %+v, want 60 with %+v", when, st.Position, wantPos)
		}
		if st.Salience.Value != 60 || !slices.Equal(st.Salience.Evidence, wantSal) {
			t.Errorf("%s: salience %+v, want 60 with %+v", when, st.Salience, wantSal)
		}
		if n := got.Actors[2].Stances["x"].Position; n.Value != 90 || n.Evidence != nil {
			t.Errorf("%s: an uncited position %+v", when, n)
		}
	}
	var doc scenarioDoc
	want(t, call(t, ts, "POST", "/api/v1/scenarios", map[string]any{"scenario": sc}, &doc), 201)
	want(t, call(t, ts, "GET", "/api/v1/scenarios/cited", nil, &doc), 200)
	check("created", doc)
	// What GET answers, sent back, is saved unchanged.
	want(t, call(t, ts, "PUT", "/api/v1/scenarios/cited", map[string]any{"version": doc.Version, "scenario": doc.Scenario}, &doc), 200)
	want(t, call(t, ts, "GET", "/api/v1/scenarios/cited", nil, &doc), 200)
	if doc.Version != 2 {
		t.Errorf("version %d after one update", doc.Version)
	}
	check("updated", doc)
	resp := call(t, ts, "GET", "/api/v1/scenarios/cited/export?format=yaml", nil, nil)
	want(t, resp, 200)
	yml, _ := io.ReadAll(resp.Body)
	exported, err := scenario.Parse(yml, "cited.yaml")
	if err != nil {
		t.Fatalf("exported YAML: %v\n%s", err, yml)
	}
	check("exported", scenarioDoc{Scenario: exported})

	// Problems in an entry are reported at its field; nothing is stored.
	pos := b["stances"].(map[string]any)["x"].(map[string]any)["position"].(map[string]any)
	pos["evidence"] = []any{map[string]any{"source": "nyt", "paragraph": 1, "text": "x"}, map[string]any{"source": "ft", "text": ""}}
	var e struct{ Problems []scenario.Problem }
	want(t, call(t, ts, "PUT", "/api/v1/scenarios/cited", map[string]any{"version": 2, "scenario": sc}, &e), 422)
	got := map[string]string{}
	for _, p := range e.Problems {
		got[p.Field] = p.Msg
		if p.Line == 0 || p.File != "cited.json" {
			t.Errorf("problem %+v lacks its file or line", p)
		}
	}
	wantProblems := map[string]string{
		"actors[1].stances.x.position.evidence[0].source": `unknown source "nyt"`,
		"actors[1].stances.x.position.evidence[1].text":   "missing paraphrase of the evidence",
	}
	if !maps.Equal(got, wantProblems) {
		t.Errorf("problems %v, want %v", got, wantProblems)
	}
	want(t, call(t, ts, "GET", "/api/v1/scenarios/cited", nil, &doc), 200)
	if doc.Version != 2 {
		t.Errorf("version %d after a refused update", doc.Version)
	}
	check("after a refused update", doc)
}

// TestScenarioTypeProblems checks that a scenario whose values have the
// wrong JSON type (a fraction for an evidence paragraph, a string for a
// number, an unknown field) is answered 422 with each problem at its
// field, as the validator answers, not 400; and that a fault in the
// envelope around the scenario still gets 400.
func TestScenarioTypeProblems(t *testing.T) {
	_, ts := newTest(t, Config{})
	sc := blank("typed")
	sc["sources"] = []any{map[string]any{"id": "ft", "outlet": "Financial Times"}}
	actors := sc["actors"].([]any)
	actors[1].(map[string]any)["stances"].(map[string]any)["x"].(map[string]any)["position"] = map[string]any{
		"value": 60, "evidence": []any{map[string]any{"source": "ft", "paragraph": 2.5, "text": "A paraphrase."}}}
	actors[2].(map[string]any)["capability"] = "twenty"
	actors[0].(map[string]any)["colour"] = "red"
	var e struct {
		Error    string
		Problems []scenario.Problem
	}
	for _, c := range []struct{ method, path string }{{"POST", "/api/v1/scenarios"}, {"PUT", "/api/v1/scenarios/typed"}} {
		body := map[string]any{"scenario": sc}
		if c.method == "PUT" {
			body["version"] = 1
		}
		e.Problems = nil
		want(t, call(t, ts, c.method, c.path, body, &e), 422)
		got := map[string]string{}
		for _, p := range e.Problems {
			got[p.Field] = p.Msg
			if p.Line == 0 || p.File != "typed.json" {
				t.Errorf("%s: problem %+v lacks its file or line", c.method, p)
			}
		}
		wantProblems := map[string]string{
			"actors[1].stances.x.position.evidence[0].paragraph": "want a whole number, got 2.5",
			"actors[2].capability":                               "cannot unmarshal !!str `twenty` into float64",
			"actors[0].colour":                                   "unknown field",
		}
		if !maps.Equal(got, wantProblems) {
			t.Errorf("%s: problems %v, want %v", c.method, got, wantProblems)
		}
	}
	// Nothing was stored.
	want(t, call(t, ts, "GET", "/api/v1/scenarios/typed", nil, nil), 404)

	// The envelope's own faults stay request errors.
	e.Problems = nil
	resp := call(t, ts, "POST", "/api/v1/scenarios", map[string]any{"version": "one", "scenario": blank("typed")}, &e)
	want(t, resp, 400)
	if len(e.Problems) != 0 || !strings.Contains(e.Error, "version") {
		t.Errorf("a bad version: %+v", e)
	}
	want(t, call(t, ts, "POST", "/api/v1/scenarios", `{"scenario": {"name": "typed"`, &e), 400)
}

// TestImportNamesBDMIssue: a BDM CSV file has no names of its own; its
// single issue (ID "issue") is named after ?file= when given, else after ?name=, and
// only an anonymous upload is called "upload".
func TestImportNamesBDMIssue(t *testing.T) {
	_, ts := newTest(t, Config{})
	csv := "Actor,Capability,Position,Salience\nA,60,10,0.8\nB,40,90,0.5\nC,30,50,1\n"
	cases := []struct {
		query, name, issue string
	}{
		{"?name=budget", "budget", "budget"},
		{"?name=budget.v2", "budget.v2", "budget.v2"},
		{"?name=levy&file=tax.csv", "levy", "tax"},
		{"", "upload", "upload"},
	}
	for _, c := range cases {
		var doc scenarioDoc
		want(t, call(t, ts, "POST", "/api/v1/scenarios/import"+c.query, csv, &doc), 201)
		if doc.Name != c.name || doc.Scenario == nil || len(doc.Scenario.Issues) != 1 || doc.Scenario.Issues[0].Name != c.issue {
			t.Errorf("import%s: stored %q with issues %+v, want %q with issue %q", c.query, doc.Name, doc.Scenario, c.name, c.issue)
		}
	}
	// Problems name the upload after ?name= too.
	var e struct {
		Problems []scenario.Problem `json:"problems"`
	}
	want(t, call(t, ts, "POST", "/api/v1/scenarios/import?name=bad", "Actor,Capability,Position,Salience\nA,-1,10,0.8\nB,40,90,0.5\n", &e), 422)
	if len(e.Problems) == 0 || e.Problems[0].File != "bad.csv" {
		t.Errorf("problems %+v, want them in bad.csv", e.Problems)
	}
}
