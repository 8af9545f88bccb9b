package server

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// wideCSV is a BDM CSV file of n actors on its one issue.
func wideCSV(n int) string {
	var b strings.Builder
	b.WriteString("Actor,Capability,Position,Salience\n")
	for i := range n {
		fmt.Fprintf(&b, "a%d,%d,%d,0.%d\n", i, 1+i%7, (i*37)%101, 1+i%9)
	}
	return b.String()
}

// gridYAML is a scenario of the given actors, each on every one of the
// given issues.
func gridYAML(actors, issues int) string {
	var b strings.Builder
	b.WriteString("name: grid\nissues:\n")
	for i := range issues {
		fmt.Fprintf(&b, "  - {id: i%d, min: 0, max: 100}\n", i)
	}
	b.WriteString("actors:\n")
	for a := range actors {
		fmt.Fprintf(&b, "  - {id: a%d, capability: %d, stances: {", a, 1+a%7)
		for i := range issues {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "i%d: {position: %d, salience: %d}", i, (a*37+i*11)%101, 1+(a+i)%9)
		}
		b.WriteString("}}\n")
	}
	return b.String()
}

// TestHostileRequests: requests an attacker (or a mistaken client) sends
// to the API end with a clear 4xx naming what is wrong, promptly, and the
// server keeps serving. The scenarios here are legal (within the readers'
// limits) but too large for a model: before the models' own limits, the
// EUM's forecast of 100,000 actors on one issue asked for an 80 GB table
// and the fatal out-of-memory error ended the server; 10,001 actors here
// ran for a minute.
func TestHostileRequests(t *testing.T) {
	_, ts := newTest(t, Config{RequestTimeout: 20 * time.Second})
	for name, body := range map[string]string{"wide": wideCSV(10001), "grid": gridYAML(300, 10), "long": gridYAML(20, 100)} {
		if resp := call(t, ts, "POST", "/api/v1/scenarios/import?name="+name, body, nil); resp.StatusCode != http.StatusCreated {
			t.Fatalf("import %s: %d", name, resp.StatusCode)
		}
	}
	for _, r := range []struct {
		method, path, body string
		code               int
		want               string
	}{
		// Models refuse what they cannot hold.
		{"POST", "/api/v1/runs/forecast", `{"scenario": "wide"}`, 400, `issue "issue": 10001 actors hold a position; the eum model takes at most 10000 on one issue (its work grows with the square of the actors: n² log n steps a round)`},
		{"POST", "/api/v1/runs/forecast", `{"scenario": "wide", "model": "procedure", "variant": "eum"}`, 400, "10001 actors hold a position"},
		{"POST", "/api/v1/runs/forecast", `{"scenario": "wide", "model": "smp"}`, 400, "the spatial model takes at most 1000 actors (the scenario has 10001)"},
		{"POST", "/api/v1/runs/forecast", `{"scenario": "wide", "interval": true, "draws": 5000}`, 400, "10001 actors hold a position"},
		{"POST", "/api/v1/runs/forecast", `{"scenario": "grid", "model": "exchange"}`, 400, "300 actors on 10 issues could make 1012500, more than 250000"},
		{"POST", "/api/v1/runs/forecast", `{"scenario": "long", "rounds": 10000}`, 400, "10000 rounds of the eum model on 2000 positions would record 20002000 positions, more than 2000000; ask for at most 999 rounds"},
		{"POST", "/api/v1/runs/forecast", `{"scenario": "long", "model": "smp", "rounds": 1000}`, 400, "1000 rounds of the smp model on 2000 positions would record 2002000 positions"},
		// A sweep of the same scenarios is refused as its forecast is,
		// before it is queued (it was accepted, and failed at its first
		// draw with the reason stored).
		{"POST", "/api/v1/runs/sweep", `{"scenario": "wide", "draws": 10}`, 400, `issue "issue": 10001 actors hold a position; the eum model takes at most 10000 on one issue (its work grows with the square of the actors: n² log n steps a round)`},
		{"POST", "/api/v1/runs/sweep", `{"scenario": "wide", "draws": 10, "model": "procedure", "variant": "eum"}`, 400, "10001 actors hold a position"},
		{"POST", "/api/v1/runs/sweep", `{"scenario": "grid", "draws": 10, "model": "exchange"}`, 400, "300 actors on 10 issues could make 1012500, more than 250000"},
		{"POST", "/api/v1/runs/sweep", `{"scenario": "wide", "draws": 10, "model": "smp"}`, 400, "the spatial model takes at most 1000 actors (the scenario has 10001)"},
		// Request bodies.
		{"POST", "/api/v1/runs/forecast", `{"scenario": "kosovo-2007"}{"rounds": 5}`, 400, "unexpected data after the JSON document"},
		{"POST", "/api/v1/runs/forecast", `[1, 2, 3]`, 400, "cannot unmarshal array"},
		{"POST", "/api/v1/runs/forecast", `{"scenario": "kosovo-2007", "rounds": 1e30}`, 400, "cannot unmarshal number 1e30"},
		{"POST", "/api/v1/runs/forecast", `{"scenario": "kosovo-2007", "rounds": "10"}`, 400, "cannot unmarshal string"},
		{"POST", "/api/v1/runs/forecast", `{"scenario": "kosovo-2007", "rounds": -1}`, 422, "rounds: -1 is outside 0 to 10000"},
		{"POST", "/api/v1/runs/forecast", `{"scenario": "kosovo-2007", "stable": 1e18}`, 400, "cannot unmarshal number 1e18"},
		{"POST", "/api/v1/runs/forecast", `{"scenario": "kosovo-2007", "seed": -1, "interval": true}`, 400, "cannot unmarshal number -1"},
		{"POST", "/api/v1/runs/forecast", `{"scenario": "kosovo-2007", "interval": true, "draws": 5001}`, 400, "draws 5001: want a positive number up to 5000 on this server (--max-interval-draws)"},
		{"POST", "/api/v1/runs/forecast", `{"scenario": "../../../etc/passwd"}`, 404, `scenario "../../../etc/passwd": no such scenario`},
		{"POST", "/api/v1/runs/forecast", `{"scenario": "kosovo-2007", "params": {"q": "NaN"}}`, 422, "parameter q: NaN is not allowed (want a number from 0 to 1)"},
		{"POST", "/api/v1/runs/forecast", `{"scenario": "kosovo-2007", "params": {"q": 1e999}}`, 400, "cannot unmarshal number 1e999"},
		{"POST", "/api/v1/runs/forecast", `{"scenario": "kosovo-2007", "model": "exchange", "params": {"repetitions": 1000000000}}`, 422, "parameter repetitions: 1e+09 is not allowed (want a whole number from 1 to 10000)"},
		{"POST", "/api/v1/runs/forecast", `{"scenario": "kosovo-2007", "model": "smp", "params": {"seed": 1e30}}`, 422, "parameter seed: 1e+30 is not allowed"},
		{"POST", "/api/v1/runs/forecast", `{"scenario": "kosovo-2007", "variant": "\u001b[2J"}`, 422, `model eum has no variant "\x1b[2J"`},
		{"POST", "/api/v1/runs/sweep", `{"scenario": "kosovo-2007", "draws": 10, "workers": 1000}`, 400, `unknown field "workers"`},
		{"POST", "/api/v1/runs/sweep", `{"scenario": "kosovo-2007", "draws": 10, "shard": "5/3"}`, 400, "want K/N with 1 ≤ K ≤ N ≤ 1000000"},
		{"POST", "/api/v1/runs/sensitivity", `{"scenario": "kosovo-2007", "samples": -1}`, 400, "samples must be 0 (no Sobol indices) or at least 2, got -1"},
		{"GET", "/api/v1/runs/99999999999999999999999", "", 400, `run id "99999999999999999999999": want a positive integer`},
		{"GET", "/api/v1/runs/-1", "", 400, `run id "-1": want a positive integer`},
		{"DELETE", "/api/v1/runs/0", "", 400, `run id "0": want a positive integer`},
	} {
		var e apiError
		var body any
		if r.body != "" {
			body = r.body
		}
		start := time.Now()
		resp := call(t, ts, r.method, r.path, body, &e)
		if resp.StatusCode != r.code || !strings.Contains(e.Error, r.want) {
			t.Errorf("%s %s %s: %d %q, want %d and %q", r.method, r.path, r.body, resp.StatusCode, e.Error, r.code, r.want)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("%s %s %s: answered after %v", r.method, r.path, r.body, d)
		}
	}
	if resp := call(t, ts, "GET", "/api/v1/scenarios", nil, nil); resp.StatusCode != http.StatusOK {
		t.Errorf("after: %d", resp.StatusCode)
	}
}

// TestForecastBudget: forecasts answered in requests hold their (rounds +
// 1) × positions of the forecast budget while they run; one that finds no
// room within 2 s gets 503 with Retry-After, and runs once there is room.
// Without the budget, four 10,000-round forecasts of kosovo-2007 at once
// took the server to 2.4 GB, and every further one added 0.6 GB.
func TestForecastBudget(t *testing.T) {
	s, ts := newTest(t, Config{ForecastBudget: 2 * 11 * 6})
	// emission-1994: one issue, ten actors; 10 rounds of the EUM record 110
	// positions.
	release, err := s.forecasts.acquire(t.Context(), 2*11*6-50)
	if err != nil {
		t.Fatal(err)
	}
	var e apiError
	start := time.Now()
	resp := call(t, ts, "POST", "/api/v1/runs/forecast", `{"scenario": "emission-1994"}`, &e)
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") != "2" || !strings.Contains(e.Error, "busy with other long forecasts") {
		t.Errorf("forecast with no room: %d %q %q", resp.StatusCode, resp.Header.Get("Retry-After"), e.Error)
	}
	if d := time.Since(start); d < time.Second {
		t.Errorf("refused after %v; it should wait for room first", d)
	}
	release()
	if resp := call(t, ts, "POST", "/api/v1/runs/forecast", `{"scenario": "emission-1994"}`, nil); resp.StatusCode != http.StatusCreated {
		t.Errorf("forecast with room: %d", resp.StatusCode)
	}
	// A forecast larger than the whole budget takes all of it, and runs.
	if resp := call(t, ts, "POST", "/api/v1/runs/forecast", `{"scenario": "emission-1994", "rounds": 100}`, nil); resp.StatusCode != http.StatusCreated {
		t.Errorf("a forecast larger than the budget: %d", resp.StatusCode)
	}
}
