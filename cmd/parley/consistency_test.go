package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/parley-project/parley/run"
	"github.com/parley-project/parley/server"
	"github.com/parley-project/parley/store"
)

// TestCommandLineAndServerStoreTheSame makes each kind of run twice, once
// with the command line and once with the server's API, from the same
// request, in one store: the two stored runs are the same apart from their
// ids and times (kind, status, scenario and snapshot, model, variant,
// parameters, seed, config, result, code version, draws).
func TestCommandLineAndServerStoreTheSame(t *testing.T) {
	data, err := os.ReadFile(deu3Fixture)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		kind string
		cli  []string
		api  map[string]any
		path string // of POST /runs/PATH, when not the kind
	}{
		{run.KindForecast, []string{"forecast", "-r", "3", "--variant", "paper", "-p", "q=0.5", "emission-1994"},
			map[string]any{"scenario": "emission-1994", "rounds": 3, "variant": "paper", "params": map[string]any{"q": 0.5}}, ""},
		{run.KindForecast, []string{"forecast", "--model", "smp", "-p", "voting_rule=proportional", "--stable", "2", "kosovo-2007"},
			map[string]any{"scenario": "kosovo-2007", "model": "smp", "params": map[string]any{"voting_rule": "proportional"}, "stable": 2}, ""},
		{run.KindSweep, []string{"sweep", "-n", "30", "--seed", "4", "--position-sd", "0.05", "--param-dist", "q=uniform(0.5,1)", "emission-1994"},
			map[string]any{"scenario": "emission-1994", "draws": 30, "seed": 4, "noise": map[string]any{"position": 0.05, "params": map[string]string{"q": "uniform(0.5,1)"}}}, ""},
		{run.KindSensitivity, []string{"sensitivity", "--model", "mean", "--samples", "8", "--seed", "2", "emission-1994"},
			map[string]any{"scenario": "emission-1994", "model": "mean", "samples": 8, "seed": 2}, ""},
		{run.KindProcess, []string{"process", "--draws", "40", "--seed", "3", "kosovo-2007"},
			map[string]any{"scenario": "kosovo-2007", "draws": 40, "seed": 3}, ""},
		{run.KindRecognition, []string{"recognition", "--draws", "40", "--by", "2009-12-31", "kosovo-2007"},
			map[string]any{"scenario": "kosovo-2007", "draws": 40, "by": []string{"2009-12-31"}}, ""},
		{run.KindBacktest, []string{"backtest", "deu3", "--data", deu3Fixture, "--models", "mean,median", "--bootstrap", "50", "--folds", "2"},
			map[string]any{"data": string(data), "name": deu3Fixture, "models": "mean,median", "bootstrap": 50, "folds": 2}, ""},
		{run.KindConflicts, []string{"conflicts", "--issue", "status", "--round", "2", "kosovo-2007"},
			map[string]any{"scenario": "kosovo-2007", "issue": "status", "round": 2}, ""},
		{run.KindConflicts, []string{"conflicts", "--model", "smp", "--perspective", "serbia", "kosovo-2007"},
			map[string]any{"scenario": "kosovo-2007", "model": "smp", "perspective": "serbia"}, ""},
		{run.KindAdvice, []string{"advise", "usa", "--model", "mean", "--grid", "5", "kosovo-2007"},
			map[string]any{"scenario": "kosovo-2007", "actor": "usa", "model": "mean", "grid": 5}, "advise"},
		{run.KindPower, []string{"vote", "unsc-2007", "--power", "kosovo-2007"},
			map[string]any{"scenario": "kosovo-2007", "body": "unsc-2007"}, ""},
		{run.KindPower, []string{"vote", "unsc-2007", "--power", "--proposal", "80", "--issue", "status", "kosovo-2007"},
			map[string]any{"scenario": "kosovo-2007", "body": "unsc-2007", "proposal": 80, "issue": "status"}, ""},
	}
	db := filepath.Join(t.TempDir(), "runs.db")
	ctx := context.Background()
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	srv, err := server.New(server.Config{Store: st, CodeVersion: codeVersion()})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ts := httptest.NewServer(srv)
	defer ts.Close()

	for _, c := range cases {
		t.Run(c.cli[0], func(t *testing.T) {
			code, _, errs := parley(append(c.cli, "--db", db)...)
			m := savedAs.FindStringSubmatch(errs)
			if code != 0 || m == nil {
				t.Fatalf("%v: exit %d: %s", c.cli, code, errs)
			}
			cliID, _ := strconv.ParseInt(m[1], 10, 64)
			path := c.path
			if path == "" {
				path = c.kind
			}
			apiID := postRun(t, ts, path, c.api)
			a, errA := st.Get(ctx, cliID)
			b, errB := st.Get(ctx, apiID)
			if errA != nil || errB != nil {
				t.Fatal(errA, errB)
			}
			if a.Kind != c.kind || a.Status != store.StatusDone || len(a.Result) == 0 {
				t.Fatalf("command line's run: %s %s", a.Kind, a.Status)
			}
			for _, d := range []struct {
				field string
				x, y  any
			}{{"kind", a.Kind, b.Kind}, {"status", a.Status, b.Status}, {"scenario", a.Scenario, b.Scenario},
				{"model", a.Model, b.Model}, {"variant", a.Variant, b.Variant}, {"params", run.FormatParams(a.Params), run.FormatParams(b.Params)},
				{"seed", a.Seed, b.Seed}, {"code version", a.CodeVersion, b.CodeVersion}, {"draws", a.Draws, b.Draws},
				{"snapshot", compactJSON(a.Snapshot), compactJSON(b.Snapshot)}, {"config", compactJSON(a.Config), compactJSON(b.Config)},
				{"result", compactJSON(a.Result), compactJSON(b.Result)}} {
				if fmt.Sprint(d.x) != fmt.Sprint(d.y) {
					t.Errorf("%s: command line %.300v, server %.300v", d.field, d.x, d.y)
				}
			}
		})
	}
}

// savedAs finds the id of the run a command stored.
var savedAs = regexp.MustCompile(`(?:saved as run|sweep stored as run) (\d+) in `)

// postRun posts a run request to the server and returns the stored run's
// id: at once for the runs made in the request (a forecast, a strategy
// view), from the finished job for the others.
func postRun(t *testing.T, ts *httptest.Server, path string, body map[string]any) int64 {
	t.Helper()
	data, _ := json.Marshal(body)
	resp, err := http.Post(ts.URL+"/api/v1/runs/"+path, "application/json", bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc struct {
		ID     any    `json:"id"`
		RunID  int64  `json:"run_id"`
		Status string `json:"status"`
		Error  string `json:"error"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil || resp.StatusCode >= 300 {
		t.Fatalf("POST /runs/%s: %d %v %+v", path, resp.StatusCode, err, doc)
	}
	if id, ok := doc.ID.(float64); ok {
		return int64(id)
	}
	job := doc.ID.(string)
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		r, err := http.Get(ts.URL + "/api/v1/jobs/" + job)
		if err != nil {
			t.Fatal(err)
		}
		json.NewDecoder(r.Body).Decode(&doc)
		r.Body.Close()
		switch doc.Status {
		case "done":
			return doc.RunID
		case "failed", "cancelled", "interrupted":
			t.Fatalf("job %s: %s %s", job, doc.Status, doc.Error)
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("job %s did not finish", job)
	return 0
}
