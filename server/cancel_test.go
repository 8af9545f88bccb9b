package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/model/registry"
	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/scenario"
)

// watched wraps a model and reports, on done, the error each run returns
// (nil for a run that finished): whether the run outlived its request.
type watched struct {
	model.Model
	done chan error
}

func (w watched) Run(ctx context.Context, sc *scenario.Scenario, opt model.Options) (*result.Result, error) {
	res, err := w.Model.Run(ctx, sc, opt)
	w.done <- err
	return res, err
}

// watchedServer serves a registry whose eum model is watched.
func watchedServer(t *testing.T, timeout time.Duration) (chan error, string) {
	t.Helper()
	eum, err := registry.Default().Get(registry.DefaultModel)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 4)
	_, ts := newTest(t, Config{RequestTimeout: timeout, Registry: model.NewRegistry(watched{eum, done})})
	return done, ts.URL
}

// TestForecastStopsWithItsRequest is issue 12's case 3: a forecast whose
// request times out must not keep running. Kosovo's EUM at the most rounds
// allowed takes seconds (model.MaxRounds); the server's timeout is 200 ms:
// the answer is 503 and the model's run ends with the request's context,
// well before it would have finished.
func TestForecastStopsWithItsRequest(t *testing.T) {
	done, url := watchedServer(t, 200*time.Millisecond)
	body := `{"scenario": "kosovo-2007", "rounds": ` + itoa(model.MaxRounds) + `}`
	start := time.Now()
	resp, err := http.Post(url+"/api/v1/runs/forecast", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want 503", resp.StatusCode)
	}
	select {
	case err := <-done:
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("the model's run ended with %v, want the request's deadline", err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("the model ran %v, past its 200 ms request", d)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the model is still running 5 s after its request timed out")
	}
}

// TestForecastStopsWhenTheClientLeaves: a client that goes away cancels
// the forecast it asked for.
func TestForecastStopsWhenTheClientLeaves(t *testing.T) {
	done, url := watchedServer(t, time.Minute)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	body := `{"scenario": "kosovo-2007", "rounds": ` + itoa(model.MaxRounds) + `}`
	req, err := http.NewRequestWithContext(ctx, "POST", url+"/api/v1/runs/forecast", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("the forecast answered %d before the client left", resp.StatusCode)
	}
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("the model's run ended with %v, want the request's cancellation", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the model is still running 5 s after its client left")
	}
}

// TestForecastBounds: a count past the bound and a parameter the model
// does not take are refused with 422, naming the field and what it takes;
// parameters come as JSON numbers, booleans or strings.
func TestForecastBounds(t *testing.T) {
	_, ts := newTest(t, Config{})
	cases := []struct {
		body map[string]any
		code int
		msg  string
	}{
		{map[string]any{"scenario": "kosovo-2007", "rounds": 4.6e18}, 422, "rounds: 4600000000000000000 is outside 0 to 10000"},
		{map[string]any{"scenario": "kosovo-2007", "rounds": model.MaxRounds + 1}, 422, "rounds: 10001 is outside 0 to 10000"},
		{map[string]any{"scenario": "kosovo-2007", "params": map[string]any{"q": 2}}, 422, "parameter q: 2 is not allowed (want a number from 0 to 1)"},
		{map[string]any{"scenario": "kosovo-2007", "params": map[string]any{"q": "half"}}, 422, `parameter q: \"half\" is not allowed`},
		{map[string]any{"scenario": "kosovo-2007", "model": "smp", "params": map[string]any{"voting_rule": "majority"}}, 422, "want one of Binary (0)"},
		{map[string]any{"scenario": "kosovo-2007", "model": "exchange", "params": map[string]any{"exact": "perhaps"}}, 422, "want true or false"},
		{map[string]any{"scenario": "kosovo-2007", "params": map[string]any{"q": []int{1}}}, 400, "want a number, true or false, or a string"},
		{map[string]any{"scenario": "emission-1994", "params": map[string]any{"q": "0.5"}}, 201, ""},
		{map[string]any{"scenario": "emission-1994", "model": "smp", "params": map[string]any{"voting_rule": "PropCbc", "bargain_model": 2}}, 201, ""},
		{map[string]any{"scenario": "emission-1994", "model": "exchange", "params": map[string]any{"exact": false, "seed": "3"}}, 201, ""},
	}
	for _, c := range cases {
		resp := call(t, ts, "POST", "/api/v1/runs/forecast", c.body, nil)
		var buf bytes.Buffer
		buf.ReadFrom(resp.Body)
		if resp.StatusCode != c.code || !strings.Contains(buf.String(), c.msg) {
			t.Errorf("%v: %d %s, want %d mentioning %q", c.body, resp.StatusCode, buf.String(), c.code, c.msg)
		}
	}
	// The stored run keeps the parameters in canonical form.
	var runs []struct {
		Model  string          `json:"model"`
		Params json.RawMessage `json:"params"`
	}
	want(t, call(t, ts, "GET", "/api/v1/runs?kind=forecast", nil, &runs), 200)
	got := map[string]string{}
	for _, r := range runs {
		got[r.Model] = string(r.Params)
	}
	for m, p := range map[string]string{"eum": `{"q":0.5}`, "smp": `{"bargain_model":"PWCompInterp","voting_rule":"PropCbc"}`,
		"exchange": `{"exact":false,"fixed_weight":0.1,"p":0,"repetitions":1,"salience_weight":0.4,"seed":3}`} {
		if got[m] != p {
			t.Errorf("stored %s params %s, want %s", m, got[m], p)
		}
	}
}
