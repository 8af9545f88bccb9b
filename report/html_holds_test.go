package report

import (
	"bytes"
	"context"
	"html"
	"os"
	"strings"
	"testing"

	"github.com/parley-project/parley/run"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/scenarios"
	"github.com/parley-project/parley/sweep"
)

// TestHTMLHoldsWhatTheCommandPrints: for real runs of every kind that
// has tables, each cell of every table its command prints (the same
// Tables the text reports write) is in its HTML report, and the report
// opens with the findings where the kind has them.
func TestHTMLHoldsWhatTheCommandPrints(t *testing.T) {
	ctx := context.Background()
	kosovo, err := scenarios.Get("kosovo-2007")
	if err != nil {
		t.Fatal(err)
	}
	emission, _ := scenarios.Get("emission-1994")
	env := run.Env{Workers: 2}
	forecast := run.NewForecastSpec()
	exchange := run.NewForecastSpec()
	exchange.Model, exchange.Rounds = "exchange", 2
	sweepSpec := run.NewSweepSpec()
	sweepSpec.Draws, sweepSpec.Rounds = 20, 3
	sens := run.NewSensitivitySpec()
	sens.Samples = 0
	proc := run.NewProcessSpec()
	proc.Draws = 200
	rec := run.NewRecognitionSpec()
	rec.Draws = 200
	bt := run.NewBacktestSpec()
	bt.Models, bt.Capabilities, bt.Bootstrap, bt.Folds = "mean,median", "equal", 20, 0
	conf := run.NewConflictsSpec()
	conf.Issue = "status"
	adv := run.NewAdviceSpec()
	adv.Model, adv.Actor, adv.Issue = "mean", "eu", "serbia_eu"
	pow := run.PowerSpec{Body: "unsc"}
	data, err := os.ReadFile("../testdata/deu3/fixture.tsv")
	if err != nil {
		t.Fatal(err)
	}
	deu3, err := run.ReadData(data, "fixture.tsv")
	if err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name     string
		run      func() (run.Run, error)
		findings bool
		tables   func(r run.Run) []Table
	}{
		{"forecast", func() (run.Run, error) { return forecast.Run(ctx, kosovo, env) }, true, func(r run.Run) []Table {
			f := r.(*run.Forecast)
			var ts []Table
			for i := range f.Result.Issues {
				ir := &f.Result.Issues[i]
				ts = append(ts, PositionsTable(kosovo, kosovo.Issue(ir.ID), ir), RoundsTable(f.Result, ir))
			}
			return ts
		}},
		{"exchange", func() (run.Run, error) { return exchange.Run(ctx, kosovo, env) }, true, func(r run.Run) []Table {
			ts := TradeTables(kosovo, r.(*run.Forecast).Result)
			if len(ts) == 0 {
				t.Error("the exchange run has no trades")
			}
			return ts
		}},
		{"sweep", func() (run.Run, error) {
			cfg, err := sweepSpec.Config(kosovo, env)
			if err != nil {
				return nil, err
			}
			res, err := sweep.Run(ctx, cfg)
			if err != nil {
				return nil, err
			}
			return &run.Sweep{Header: run.Header{Kind: run.KindSweep, Scenario: res.Scenario, Snapshot: kosovo, Model: res.Model, Variant: res.Variant},
				Config: res.Header, Result: res}, nil
		}, true, func(r run.Run) []Table {
			s := r.(*run.Sweep)
			var ts []Table
			for k := range s.Result.Issues {
				q, b := SweepTables(s.Result, k)
				ts = append(ts, q, b)
			}
			return ts
		}},
		{"sensitivity", func() (run.Run, error) { return sens.Run(ctx, emission, env) }, true, func(r run.Run) []Table {
			var ts []Table
			for _, is := range r.(*run.Sensitivity).Result.Issues {
				ts = append(ts, SensitivityTable(is, 0))
			}
			return ts
		}},
		{"process", func() (run.Run, error) { return proc.Run(ctx, kosovo, env) }, true, func(r run.Run) []Table {
			pt := NewProcessTables(kosovo, r.(*run.Process).Result)
			ts := append([]Table{pt.Events, pt.Stages}, pt.Votes...)
			if pt.Contagion == nil || pt.Recognition == nil || len(pt.Votes) == 0 {
				t.Errorf("the process lacks contagion, recognition or votes")
			}
			res := r.(*run.Process).Result.Recognition
			return append(ts, *pt.Contagion, RecognitionYears(res), RecognitionStates(res))
		}},
		{"recognition", func() (run.Run, error) { return rec.Run(ctx, kosovo, env) }, false, func(r run.Run) []Table {
			res := r.(*run.Recognition).Result
			return []Table{RecognitionYears(res), RecognitionStates(res)}
		}},
		{"backtest", func() (run.Run, error) { return bt.Run(ctx, deu3, env) }, false, func(r run.Run) []Table {
			_, ts, _ := BacktestTables(r.(*run.Backtest).Result)
			return ts
		}},
		{"conflicts", func() (run.Run, error) { return conf.Run(ctx, kosovo, env) }, false, func(r run.Run) []Table {
			is := &r.(*run.Conflicts).Result.Conflicts.Issues[0]
			_, mutual, _ := MutualTable(is, false)
			if len(mutual.Rows) == 0 {
				t.Error("no mutual conflicts on status")
			}
			return []Table{numbersTable(is), mutual}
		}},
		{"advice", func() (run.Run, error) { return adv.Run(ctx, kosovo, env) }, false, func(r run.Run) []Table {
			a := r.(*run.Advice).Result.Advice
			return []Table{LeverTable(a), OthersTable(a), PairsLeverTable(a)}
		}},
		{"power", func() (run.Run, error) { return pow.Run(ctx, kosovo, env) }, false, func(r run.Run) []Table {
			p := r.(*run.Power).Result
			return []Table{PowerTable(p.Body, p.Power)}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := c.run()
			if err != nil {
				t.Fatal(err)
			}
			page := htmlOf(t, r)
			checkSelfContained(t, page)
			// html/template writes + as &#43;.
			page = strings.ReplaceAll(page, "&#43;", "+")
			if got := strings.Contains(page, `id="findings"`); got != c.findings {
				t.Errorf("findings section: %v, want %v", got, c.findings)
			}
			if c.findings && strings.Index(page, `id="findings"`) > strings.Index(page, `id="scenario"`) {
				t.Error("the findings do not open the page")
			}
			missing := 0
			for _, tb := range c.tables(r) {
				for _, row := range append([][]string{tb.Head}, tb.Rows...) {
					for _, cell := range row {
						if cell != "" && !strings.Contains(page, ">"+html.EscapeString(cell)+"<") {
							if missing++; missing <= 5 {
								t.Errorf("the page lacks the cell %q", cell)
							}
						}
					}
				}
			}
		})
	}
}

// TestHTMLWhatIf: a what-if run's report says what was changed, and
// shows the scenario as run (without the dropped actor).
func TestHTMLWhatIf(t *testing.T) {
	k, _ := scenarios.Get("kosovo-2007")
	spec := run.NewForecastSpec()
	spec.WhatIf = &scenario.WhatIf{Set: []string{"russia.capability=30"}, Drop: []string{"georgia"}}
	r, err := spec.Run(context.Background(), k, run.Env{})
	if err != nil {
		t.Fatal(err)
	}
	page := htmlOf(t, r)
	if !strings.Contains(page, "<dt>What if</dt><dd>russia.capability=30; drop georgia") || strings.Contains(page, "Georgia (Tbilisi)") {
		t.Errorf("the what-if's page does not say what changed, or shows the dropped actor")
	}
}

// htmlOf is the HTML report of a run.
func htmlOf(t *testing.T, r run.Run) string {
	t.Helper()
	var b bytes.Buffer
	if err := HTML(&b, NewPage(r)); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
