package server

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/parley-project/parley/report/tidy"
	"github.com/parley-project/parley/run"
	"github.com/parley-project/parley/scenarios"
	"github.com/parley-project/parley/store"
)

// getCSV asks for a run's table with the query or the Accept header.
func getCSV(t *testing.T, url, accept string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// TestRunCSV: GET /runs/{id} answers with the run's tidy table — the bytes
// package tidy writes for the stored run, which the command line's
// --format csv writes too — for format=csv or Accept: text/csv; a sweep's
// table holds its stored draws; a kind without a table is 406, an
// unknown format 400.
func TestRunCSV(t *testing.T) {
	s, ts := newTest(t, Config{Workers: 2})
	var fc store.Run
	want(t, call(t, ts, "POST", "/api/v1/runs/forecast", map[string]any{"scenario": "emission-1994", "model": "eum", "rounds": 3}, &fc), 201)
	typed, err := run.Get(context.Background(), s.cfg.Store, fc.ID)
	if err != nil {
		t.Fatal(err)
	}
	var direct bytes.Buffer
	if err := tidy.Write(&direct, typed, nil); err != nil {
		t.Fatal(err)
	}
	base := ts.URL + "/api/v1/runs/" + itoa(fc.ID)
	for _, c := range []struct{ url, accept string }{{base + "?format=csv", ""}, {base, "text/csv"}, {base, "text/csv;q=0.9, application/json;q=0.5"}} {
		resp, body := getCSV(t, c.url, c.accept)
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") || body != direct.String() {
			t.Errorf("%s (Accept %q): %d %s\n%.300s", c.url, c.accept, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
	}
	rows, err := csv.NewReader(strings.NewReader(direct.String())).ReadAll()
	// 4 rounds (0–3) of 3 series and 10 actors.
	if err != nil || len(rows) != 1+4*13 || rows[1][0] != itoa(fc.ID) || rows[1][1] != "emission-1994" {
		t.Errorf("table: %v, %d rows, first %v", err, len(rows), rows[1])
	}
	// JSON stays the default, for browsers too.
	if resp, body := getCSV(t, base, "text/html,application/xhtml+xml,*/*;q=0.8"); !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") || !strings.Contains(body, `"kind":"forecast"`) {
		t.Errorf("a browser's Accept: %s %.100s", resp.Header.Get("Content-Type"), body)
	}
	want(t, call(t, ts, "GET", "/api/v1/runs/"+itoa(fc.ID)+"?format=xml", nil, nil), 400)
	want(t, call(t, ts, "GET", "/api/v1/runs/999?format=csv", nil, nil), 404)

	// A sweep: its draws.
	var j Job
	want(t, call(t, ts, "POST", "/api/v1/runs/sweep", map[string]any{"scenario": "kosovo-2007", "model": "eum", "rounds": 3, "draws": 5, "seed": 7}, &j), 202)
	j = waitJob(t, ts, j.ID, ended)
	if j.Status != JobDone {
		t.Fatalf("sweep job %+v", j)
	}
	resp, body := getCSV(t, ts.URL+"/api/v1/runs/"+itoa(j.RunID)+"?format=csv", "")
	rows, err = csv.NewReader(strings.NewReader(body)).ReadAll()
	k, _ := scenarios.Get("kosovo-2007")
	if resp.StatusCode != 200 || err != nil || len(rows) != 1+5*len(k.Issues) || rows[0][4] != "draw" {
		t.Errorf("sweep table: %d, %v, %d rows\n%.300s", resp.StatusCode, err, len(rows), body)
	}

	// Voting power has no table.
	var pw store.Run
	want(t, call(t, ts, "POST", "/api/v1/runs/power", map[string]any{"scenario": "kosovo-2007", "body": "unsc-2007"}, &pw), 201)
	want(t, call(t, ts, "GET", "/api/v1/runs/"+itoa(pw.ID)+"?format=csv", nil, nil), 406)
}
