package server

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestLoad is the bounded load test of docs/performance.md: clients
// concurrent clients send a fixed number of requests over loopback TCP
// with the token checked on each, and the test reports throughput and
// latency percentiles and fails on any error. It runs only when
// PARLEY_LOAD is set (to the number of requests, or 1 for 20000):
//
//	PARLEY_LOAD=20000 go test -run TestLoad -v ./server
func TestLoad(t *testing.T) {
	total, _ := strconv.Atoi(os.Getenv("PARLEY_LOAD"))
	if total == 0 {
		t.Skip("set PARLEY_LOAD to run the load test (e.g. PARLEY_LOAD=20000)")
	}
	if total == 1 {
		total = 20000
	}
	const clients = 50
	_, ts := newTest(t, Config{Token: "load-token"})
	yaml := "name: v\nissues:\n  - {id: x, min: 0, max: 10}\nactors:\n  - {id: a, capability: 1, stances: {x: {position: 2, salience: 1}}}\n  - {id: b, capability: 2, stances: {x: {position: 8, salience: 1}}}\n"
	// The mix: mostly reads, some validations, some forecasts (each a
	// model run and a write to the store).
	type req struct{ method, path, body string }
	mix := []req{
		{"GET", "/api/v1/scenarios", ""},
		{"GET", "/api/v1/models", ""},
		{"GET", "/api/v1/scenarios/emission-1994", ""},
		{"GET", "/api/v1/scenarios/kosovo-2007", ""},
		{"GET", "/api/v1/runs?limit=20", ""},
		{"POST", "/api/v1/scenarios/validate", yaml},
		{"POST", "/api/v1/runs/forecast", `{"scenario":"emission-1994","model":"eum","rounds":5}`},
		{"GET", "/api/v1/openapi.json", ""},
		{"GET", "/", ""},
		{"POST", "/api/v1/runs/forecast", `{"scenario":"emission-1994","model":"mean"}`},
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConns: clients, MaxIdleConnsPerHost: clients}}
	lat := make([]time.Duration, total)
	var next, errs atomic.Int64
	var firstErr sync.Once
	var wg sync.WaitGroup
	start := time.Now()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= total {
					return
				}
				r := mix[i%len(mix)]
				var body io.Reader
				if r.body != "" {
					body = strings.NewReader(r.body)
				}
				hr, _ := http.NewRequest(r.method, ts.URL+r.path, body)
				hr.Header.Set("Authorization", "Bearer load-token")
				hr.Header.Set("Content-Type", "application/json")
				t0 := time.Now()
				resp, err := client.Do(hr)
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if err == nil && resp.StatusCode >= 300 {
						err = fmt.Errorf("%s %s: status %d", r.method, r.path, resp.StatusCode)
					}
				}
				lat[i] = time.Since(t0)
				if err != nil {
					errs.Add(1)
					firstErr.Do(func() { t.Error(err) })
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(lat)
	pct := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
	t.Logf("%d requests, %d clients, %d errors in %v: %.0f requests/s; latency p50 %v, p95 %v, p99 %v, max %v",
		total, clients, errs.Load(), elapsed.Round(time.Millisecond), float64(total)/elapsed.Seconds(),
		pct(0.50).Round(10*time.Microsecond), pct(0.95).Round(10*time.Microsecond), pct(0.99).Round(10*time.Microsecond), lat[len(lat)-1].Round(10*time.Microsecond))
	if errs.Load() != 0 {
		t.Fatalf("%d errors", errs.Load())
	}
}
