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
	"strings"
	"testing"
	"time"

	"github.com/parley-project/parley/run"
	"github.com/parley-project/parley/server"
	"github.com/parley-project/parley/store"
	"github.com/parley-project/parley/sweep"
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
	ctx := context.Background()
	db, st, ts := storeAndServer(t, server.Config{})

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

// storeAndServer opens a store in a new file and serves it with cfg (its
// store and code version set) until the test ends.
func storeAndServer(t *testing.T, cfg server.Config) (string, store.Store, *httptest.Server) {
	t.Helper()
	db := filepath.Join(t.TempDir(), "runs.db")
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cfg.Store, cfg.CodeVersion = st, codeVersion()
	srv, err := server.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); srv.Close() })
	return db, st, ts
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

// TestCommandLineAndServerRefuseTheSame sends requests beyond the limits of
// each kind of run (run/limits.go) to the command line and to the server's
// API: the command exits 2 and the server answers 400 (422 for a value the
// model's declaration refuses) with the same message, the run layer's
// (the command names the field as its flag, --draws), and neither stores
// anything.
func TestCommandLineAndServerRefuseTheSame(t *testing.T) {
	data, err := os.ReadFile(deu3Fixture)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		cli  []string
		api  map[string]any
		path string
		want string
	}{
		{[]string{"sweep", "-n", "0", "emission-1994"}, map[string]any{"scenario": "emission-1994", "draws": 0}, "sweep",
			"draws 0: want a positive number up to 1000000000"},
		{[]string{"sweep", "-n", "1000000000000000000", "emission-1994"}, map[string]any{"scenario": "emission-1994", "draws": 1e18}, "sweep",
			"draws 1000000000000000000: want a positive number up to 1000000000"},
		{[]string{"sweep", "--bins", "7", "emission-1994"}, map[string]any{"scenario": "emission-1994", "bins": 7}, "sweep",
			"7"},
		{[]string{"sweep", "--shard", "4/3", "emission-1994"}, map[string]any{"scenario": "emission-1994", "shard": "4/3"}, "sweep",
			`shard "4/3": want K/N with 1 ≤ K ≤ N ≤ 1000000`},
		{[]string{"process", "--draws", "0", "kosovo-2007"}, map[string]any{"scenario": "kosovo-2007", "draws": 0}, "process",
			"draws 0: want a positive number up to 10000000"},
		{[]string{"process", "--draws", "20000000", "kosovo-2007"}, map[string]any{"scenario": "kosovo-2007", "draws": 2e7}, "process",
			"draws 20000000: want a positive number up to 10000000"},
		{[]string{"recognition", "--draws", "20000000", "kosovo-2007"}, map[string]any{"scenario": "kosovo-2007", "draws": 2e7}, "recognition",
			"draws 20000000: want a positive number up to 10000000"},
		{[]string{"sensitivity", "--samples", "1", "emission-1994"}, map[string]any{"scenario": "emission-1994", "samples": 1}, "sensitivity",
			"samples must be 0 (no Sobol indices) or at least 2, got 1"},
		{[]string{"sensitivity", "--samples", "100000000", "emission-1994"}, map[string]any{"scenario": "emission-1994", "samples": 1e8}, "sensitivity",
			"samples for this scenario"},
		{[]string{"forecast", "-r", "20000", "emission-1994"}, map[string]any{"scenario": "emission-1994", "rounds": 20000}, "forecast",
			"20000"},
		{[]string{"forecast", "--draws", "400", "emission-1994"}, map[string]any{"scenario": "emission-1994", "draws": 400}, "forecast",
			"draws 400: draws and seed set the forecast's interval, which was not asked for (add interval)"},
		{[]string{"forecast", "--interval", "--draws", "1000001", "emission-1994"}, map[string]any{"scenario": "emission-1994", "interval": true, "draws": 1000001}, "forecast",
			"draws 1000001: want a positive number up to 1000000"},
		{[]string{"conflicts", "--round", "12", "emission-1994"}, map[string]any{"scenario": "emission-1994", "round": 12}, "conflicts",
			"round 12 is beyond the run of 10 rounds: raise rounds to 12 or more"},
		{[]string{"advise", "", "emission-1994"}, map[string]any{"scenario": "emission-1994"}, "advise",
			"missing actor: name the actor to advise (one of "},
		{[]string{"backtest", "deu3", "--data", deu3Fixture, "--bootstrap", "1000000000"}, map[string]any{"data": string(data), "bootstrap": 1e9}, "backtest",
			"bootstrap must be 0 to 100000, got 1000000000"},
		{[]string{"backtest", "deu3", "--data", deu3Fixture, "--folds", "1"}, map[string]any{"data": string(data), "folds": 1}, "backtest",
			"folds must be 0 (no ensemble) or 2 to 1000, got 1"},
		{[]string{"backtest", "deu3", "--data", deu3Fixture, "--folds", "5000"}, map[string]any{"data": string(data), "folds": 5000}, "backtest",
			"folds must be 0 (no ensemble) or 2 to 1000, got 5000"},
	}
	// Where a message names another field, the command names it as its
	// flag and the server as its field.
	cliSays := map[string]string{
		"forecast --draws 400 emission-1994": "--draws 400: draws and seed set the forecast's interval, which was not asked for (add --interval)",
		"conflicts --round 12 emission-1994": "--round 12 is beyond the run of 10 rounds: raise --rounds to 12 or more",
	}
	ctx := context.Background()
	// The server's --max-draws at the libraries' limit, which the command
	// has (server TestCountLimits tests a lower one).
	db, st, ts := storeAndServer(t, server.Config{MaxDraws: sweep.MaxDraws, MaxIntervalDraws: sweep.MaxIntervalDraws})

	for _, c := range cases {
		t.Run(c.cli[0], func(t *testing.T) {
			code, out, errs := parley(append(c.cli, "--db", db)...)
			body, _ := json.Marshal(c.api)
			resp, err := http.Post(ts.URL+"/api/v1/runs/"+c.path, "application/json", bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			var doc struct {
				Error string `json:"error"`
			}
			json.NewDecoder(resp.Body).Decode(&doc)
			resp.Body.Close()
			if resp.StatusCode != http.StatusBadRequest && resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(doc.Error, c.want) {
				t.Errorf("server: %d %q, want 400 or 422 and %q", resp.StatusCode, doc.Error, c.want)
			}
			want := doc.Error
			if m, ok := cliSays[strings.Join(c.cli, " ")]; ok {
				want = m
			}
			if code != 2 || out != "" || !strings.Contains(errs, want) {
				t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 and %q", c.cli, code, out, errs, want)
			}
		})
	}
	if runs, err := st.List(ctx, store.Filter{}); err != nil || len(runs) != 0 {
		t.Errorf("refused requests stored %d runs (%v)", len(runs), err)
	}
}
