package run_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/run"
	"github.com/parley-project/parley/scenarios"
	"github.com/parley-project/parley/store"
)

func openStore(t *testing.T) store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "runs.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestSaveRead saves a run of every kind and reads it back: the header,
// the typed config and the typed result are those saved.
func TestSaveRead(t *testing.T) {
	ctx := context.Background()
	env := run.Env{Workers: 2, CodeVersion: "test"}
	emission, _ := scenarios.Get("emission-1994")
	kosovo, _ := scenarios.Get("kosovo-2007")
	data, err := os.ReadFile("../testdata/deu3/fixture.tsv")
	if err != nil {
		t.Fatal(err)
	}
	fc := run.NewForecastSpec()
	fc.Rounds, fc.Params = 3, model.Params{"q": model.Text("0.5")}
	sens := run.NewSensitivitySpec()
	sens.Model, sens.Samples = "mean", 4
	proc := run.NewProcessSpec()
	proc.Draws = 20
	rec := run.NewRecognitionSpec()
	rec.Draws = 20
	bt := run.NewBacktestSpec()
	bt.Models, bt.Bootstrap, bt.Folds = "mean", 20, 0
	d, err := run.ReadData(data, "fixture.tsv")
	if err != nil {
		t.Fatal(err)
	}
	makers := map[string]func() (run.Run, error){
		run.KindForecast:    func() (run.Run, error) { return fc.Run(ctx, emission, env) },
		run.KindSensitivity: func() (run.Run, error) { return sens.Run(ctx, emission, env) },
		run.KindProcess:     func() (run.Run, error) { return proc.Run(ctx, kosovo, env) },
		run.KindRecognition: func() (run.Run, error) { return rec.Run(ctx, kosovo, env) },
		run.KindBacktest:    func() (run.Run, error) { return bt.Run(ctx, d, env) },
	}
	s := openStore(t)
	for kind, make := range makers {
		r, err := make()
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		if err := run.Save(ctx, s, r); err != nil {
			t.Fatalf("%s: save: %v", kind, err)
		}
		got, err := run.Get(ctx, s, r.Head().ID)
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		if reflect.TypeOf(got) != reflect.TypeOf(r) {
			t.Errorf("%s read back as %T, saved as %T", kind, got, r)
		}
		h, g := r.Head(), got.Head()
		if g.Kind != kind || g.Status != store.StatusDone || g.CodeVersion != "test" || g.Model != h.Model || g.Seed != h.Seed ||
			run.FormatParams(g.Params) != run.FormatParams(h.Params) || g.Created.IsZero() || !g.Updated.Equal(g.Created) {
			t.Errorf("%s header: saved %+v, read %+v", kind, h, g)
		}
		want, _ := run.Result(r)
		have, _ := run.Result(got)
		if string(want) != string(have) || len(want) == 0 {
			t.Errorf("%s: result differs", kind)
		}
		leaves := run.Leaves(got)
		if len(leaves) == 0 {
			t.Errorf("%s: no leaves", kind)
		}
		if b, ok := got.(*run.Backtest); ok {
			if l := leaves[2]; l.Path != "mean.equal.mae" || l.Value != b.Result.Models[0].MAE {
				t.Errorf("backtest leaf %+v, want mean.equal.mae %v", l, b.Result.Models[0].MAE)
			}
		}
		if diffs := run.Diff(r, got); len(diffs) != 0 {
			t.Errorf("%s: a run differs from itself read back: %+v", kind, diffs)
		}
	}
}

// TestReadLegacy reads runs as older versions stored them: configs with
// fewer fields, a process run with an empty model, a kind this build does
// not know.
func TestReadLegacy(t *testing.T) {
	rows := []store.Run{
		{Kind: "process", Config: json.RawMessage(`{"draws":0}`), Result: json.RawMessage(`{"scenario":"x","seed":1,"events":[],"stages":[]}`)},
		{Kind: "sensitivity", Config: json.RawMessage(`{"ranges":{"position":0.1,"salience":0.5,"capability":0.5},"samples":16}`)},
		{Kind: "recognition", Config: json.RawMessage(`{"draws":500}`)},
		{Kind: "forecast", Config: json.RawMessage(`{"rounds":3,"epsilon":0.01}`)},
		{Kind: "future", Config: json.RawMessage(`{"actor":"a"}`), Result: json.RawMessage(`{"pairs":[{"id":"x","eu":1.5}]}`)},
	}
	for _, row := range rows {
		r, err := run.Read(&row)
		if err != nil {
			t.Fatalf("%s: %v", row.Kind, err)
		}
		switch r := r.(type) {
		case *run.Process:
			if r.Config.Draws != 0 || r.Result == nil || r.Result.Scenario != "x" {
				t.Errorf("process: %+v", r)
			}
		case *run.Sensitivity:
			if r.Config.Samples != 16 || r.Config.Ranges.Salience != 0.5 || r.Result != nil {
				t.Errorf("sensitivity: %+v", r)
			}
		case *run.Recognition:
			if r.Config.Draws != 500 || r.Config.Recognising != nil {
				t.Errorf("recognition: %+v", r)
			}
		case *run.Forecast:
			if r.Config.Rounds != 3 || r.Config.Epsilon != 0.01 {
				t.Errorf("forecast: %+v", r)
			}
		case *run.Other:
			if l := run.Leaves(r); string(r.Config) != `{"actor":"a"}` || len(l) != 2 || l[0].Path != "pairs.x.eu" || l[0].Value != 1.5 {
				t.Errorf("unknown kind: %+v %v", r, run.Leaves(r))
			}
		default:
			t.Errorf("%s read as %T", row.Kind, r)
		}
	}
	if _, err := run.Read(&store.Run{ID: 7, Kind: "sweep", Result: json.RawMessage(`{"issues": 5}`)}); err == nil || !strings.Contains(err.Error(), "run 7") {
		t.Errorf("bad result: %v", err)
	}
}

// TestSpecs: the defaults fill what a request leaves out, and counts
// below 1 are refused with the field named, the same for every caller.
func TestSpecs(t *testing.T) {
	kosovo, _ := scenarios.Get("kosovo-2007")
	emission, _ := scenarios.Get("emission-1994")
	proc := run.NewProcessSpec()
	if err := json.Unmarshal([]byte(`{"seed": 5}`), &proc); err != nil || proc.Draws != run.DefaultProcessDraws || proc.Seed != 5 {
		t.Errorf("process defaults: %+v %v", proc, err)
	}
	sw := run.NewSweepSpec()
	if err := json.Unmarshal([]byte(`{"model": "mean"}`), &sw); err != nil || sw.Draws != 1000 || sw.Seed != 1 || sw.Bins != 20 {
		t.Errorf("sweep defaults: %+v %v", sw, err)
	}
	// The limits (limits.go): the same refusal, naming the same field, for
	// the command line and for the server, whose Env bounds the draws lower.
	served := run.Env{MaxDraws: 5000}
	sweepOf := func(draws int, env run.Env) error {
		sw := run.NewSweepSpec()
		sw.Draws = draws
		_, err := sw.Config(emission, env)
		return err
	}
	sens := run.NewSensitivitySpec()
	sens.Samples = 1e9
	forecastOf := func(interval bool, draws int, seed uint64, env run.Env) error {
		fc := run.NewForecastSpec()
		fc.Interval, fc.Draws, fc.Seed = interval, draws, seed
		return fc.Check(env)
	}
	servedInterval := run.Env{MaxIntervalDraws: 5000}
	for _, c := range []struct {
		name  string
		err   error
		field string
		msg   string
	}{
		{"process draws 0", run.ProcessSpec{Draws: 0}.Check(kosovo, run.Env{}), "draws", "draws 0: want a positive number up to 10000000"},
		{"process draws 1e8", run.ProcessSpec{Draws: 1e8}.Check(kosovo, run.Env{}), "draws", "draws 100000000: want a positive number up to 10000000"},
		{"process draws served", run.ProcessSpec{Draws: 6000}.Check(kosovo, served), "draws", "draws 6000: want a positive number up to 5000 on this server (--max-draws)"},
		{"process workers", run.NewProcessSpec().Check(kosovo, run.Env{Workers: 257}), "workers", "workers must be 0 (one per CPU) to 256, got 257"},
		{"process without process", run.NewProcessSpec().Check(emission, run.Env{}), "", "the scenario declares no process"},
		{"recognition draws -1", run.RecognitionSpec{RecognitionConfig: run.RecognitionConfig{Draws: -1}}.Check(kosovo, run.Env{}), "draws", "draws -1: want a positive number"},
		{"recognition draws served", run.RecognitionSpec{RecognitionConfig: run.RecognitionConfig{Draws: 5001}}.Check(kosovo, served), "draws", "up to 5000 on this server"},
		{"recognition start", run.RecognitionSpec{RecognitionConfig: run.RecognitionConfig{Draws: 1, Start: "17.2.2008"}}.Check(kosovo, run.Env{}), "start", `start "17.2.2008": want YYYY-MM-DD`},
		{"sweep draws 0", sweepOf(0, run.Env{}), "draws", "draws 0: want a positive number up to 1000000000"},
		{"sweep draws 1e18", sweepOf(1e18, run.Env{}), "draws", "draws 1000000000000000000: want a positive number up to 1000000000"},
		{"sweep draws served", sweepOf(5001, served), "draws", "draws 5001: want a positive number up to 5000 on this server (--max-draws)"},
		{"sweep workers", sweepOf(10, run.Env{Workers: -1}), "workers", "workers must be 0 (one per CPU) to 256, got -1"},
		{"sensitivity samples", sens.Check(emission, run.Env{}), "", "at most"},
		{"interval draws 0", forecastOf(true, 0, 1, run.Env{}), "draws", "draws 0: want a positive number up to 1000000"},
		{"interval draws 1e6+1", forecastOf(true, 1e6+1, 1, run.Env{}), "draws", "draws 1000001: want a positive number up to 1000000"},
		{"interval draws served", forecastOf(true, 5001, 1, servedInterval), "draws", "draws 5001: want a positive number up to 5000 on this server (--max-interval-draws)"},
		{"draws without interval", forecastOf(false, 400, 1, run.Env{}), "draws", "draws 400: draws and seed set the forecast's interval, which was not asked for (add interval)"},
		{"seed without interval", forecastOf(false, run.DefaultIntervalDraws, 7, servedInterval), "seed", "seed 7: draws and seed set the forecast's interval, which was not asked for (add interval)"},
		{"forecast workers", run.NewForecastSpec().Check(run.Env{Workers: 1e6}), "workers", "workers must be 0 (one per CPU) to 256, got 1000000"},
		{"backtest folds", run.BacktestSpec{Models: "mean", Capabilities: "equal", Folds: 1}.Check(run.Env{}), "folds", "folds must be 0 (no ensemble) or 2 to 1000, got 1"},
		{"backtest bootstrap", run.BacktestSpec{Models: "mean", Capabilities: "equal", Bootstrap: 1e9}.Check(run.Env{}), "bootstrap", "bootstrap must be 0 to 100000, got 1000000000"},
		{"backtest workers", run.BacktestSpec{Models: "mean", Capabilities: "equal"}.Check(run.Env{Workers: 9999}), "workers", "workers must be 0 (one per CPU) to 256, got 9999"},
	} {
		var re *run.RequestError
		if !errors.As(c.err, &re) || re.Field != c.field || !strings.Contains(c.err.Error(), c.msg) {
			t.Errorf("%s: %v (%+v), want field %q and %q", c.name, c.err, re, c.field, c.msg)
		}
	}
	if err := sweepOf(5000, served); err != nil {
		t.Errorf("a sweep of 5000 draws on a server that takes 5000: %v", err)
	}
	for _, err := range []error{forecastOf(true, 5000, 0, servedInterval), forecastOf(true, 1e6, 9, run.Env{}),
		forecastOf(false, run.DefaultIntervalDraws, run.DefaultIntervalSeed, servedInterval)} {
		if err != nil {
			t.Errorf("an interval within the limits, or none with the defaults: %v", err)
		}
	}
	fc := run.NewForecastSpec()
	fc.Params = model.Params{"q": model.Number(2)}
	var re *run.RequestError
	if err := fc.Check(run.Env{}); !errors.As(err, &re) || !re.Refused {
		t.Errorf("q=2: %v, want a refused request", err)
	}
	fc = run.NewForecastSpec()
	fc.Model = "nope"
	if err := fc.Check(run.Env{}); !errors.As(err, &re) || re.Refused {
		t.Errorf("unknown model: %v, want a bad request", err)
	}
}
