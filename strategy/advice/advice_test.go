package advice

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/model/baseline"
	"github.com/parley-project/parley/model/registry"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/scenarios"
)

// three actors on 0–100: a at 80 (capability 2, salience 50), b at 20
// (1, 100), c at 50 (1, 50). Weights c·s are 1, 1 and ½: the weighted mean
// is (80 + 20 + 25)/2.5 = 50.
func three() *scenario.Scenario {
	sc := &scenario.Scenario{Name: "three", Issues: []scenario.Issue{{ID: "i", Min: 0, Max: 100}}}
	for _, a := range []struct {
		id        string
		c, x, sal float64
	}{{"a", 2, 80, 50}, {"b", 1, 20, 100}, {"c", 1, 50, 50}} {
		sc.Actors = append(sc.Actors, scenario.Actor{ID: a.id, Capability: scenario.N(a.c),
			Stances: map[string]scenario.Stance{"i": {Position: scenario.N(a.x), Salience: scenario.N(a.sal)}}})
	}
	return sc
}

// With the weighted mean every answer can be worked out by hand, for
// adviser a (ideal 80) and target 60:
//   - a's own best lever is its salience at 100: (160 + 20 + 25)/3.5 =
//     58.57 (gain 8.57), ahead of its position at 100: 145/2.5 = 58;
//   - b helps most by moving to 95: (80 + 95 + 25)/2.5 = 80 exactly (gain
//     30), or by not caring: (80 + 25)/1.5 = 70 (gain 20); it brings the
//     mean to 60 by moving to 45 (80 + x + 25 = 150);
//   - c's best is 100: 150/2.5 = 60 (gain 10), which also reaches the
//     target; the bisection stops within the tolerance (½) of it;
//   - b at 95 and c at 100 together: 225/2.5 = 90, gain 20, synergy
//     20 − 30 − 10 = −20 (they overshoot).
func TestWeightedMean(t *testing.T) {
	target := 60.0
	res, err := Advise(context.Background(), Config{Scenario: three(), Model: baseline.Mean{}, Actor: "a", Target: &target, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if res.Baseline.Forecast != 50 || res.Ideal != 80 || res.Issue != "i" || res.Baseline.Stopped != "static" || res.Tolerance != 0.5 {
		t.Fatalf("%+v", res)
	}
	own := res.Own[0]
	if own.Attributes[0] != "salience" || own.To[0] != 100 || math.Abs(own.Forecast-410.0/7) > 1e-9 || math.Abs(own.Gain-(410.0/7-50)) > 1e-9 {
		t.Errorf("own lever %+v", own)
	}
	if own := res.Own[1]; own.Attributes[0] != "position" || own.To[0] != 100 || math.Abs(own.Forecast-58) > 1e-9 {
		t.Errorf("second own lever %+v", own)
	}
	b := res.Others[0]
	if b.Actor != "b" || b.BestPosition == nil || b.BestPosition.To[0] != 95 || math.Abs(b.BestPosition.Gain-30) > 1e-9 {
		t.Fatalf("first other %+v", b)
	}
	if b.BestSalience == nil || b.BestSalience.To[0] != 0 || math.Abs(b.BestSalience.Gain-20) > 1e-9 {
		t.Errorf("b's salience %+v", b.BestSalience)
	}
	// The grid step is 5; six halvings bring the bracket to 5/64; the
	// tolerance allows the forecast within ½ of 60, so b within 1.25.
	if b.Reach == nil || b.Reach.To[0] < 45-1.25-1e-9 || b.Reach.To[0] > 45+5.0/64 || math.Abs(b.Reach.Forecast-60) > res.Tolerance {
		t.Errorf("b's move to reach 60: %+v", b.Reach)
	}
	c := res.Others[1]
	if c.Actor != "c" || c.BestPosition == nil || c.BestPosition.To[0] != 100 || math.Abs(c.BestPosition.Gain-10) > 1e-9 {
		t.Errorf("c %+v", c)
	}
	if c.Reach == nil || c.Reach.To[0] < 97.5-1e-9 || c.Reach.To[0] > 100 {
		t.Errorf("c's move to reach 60: %+v", c.Reach)
	}
	if len(res.Pairs) != 1 || math.Abs(res.Pairs[0].Forecast-90) > 1e-9 || math.Abs(res.Pairs[0].Synergy+20) > 1e-9 {
		t.Errorf("pairs %+v", res.Pairs)
	}
}

// The output does not depend on the number of goroutines.
func TestWorkers(t *testing.T) {
	sc, err := scenarios.Get("kosovo-2007")
	if err != nil {
		t.Fatal(err)
	}
	m, _ := registry.Default().Get("eum")
	var docs []string
	for _, w := range []int{1, 3} {
		res, err := Advise(context.Background(), Config{Scenario: sc, Model: m, Actor: "russia", Issue: "cfe", Workers: w, Grid: 11})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(res)
		docs = append(docs, string(b))
	}
	if docs[0] != docs[1] {
		t.Error("advice differs between 1 and 3 workers")
	}
}

// Every model can be advised on, and the levers' forecasts are the
// model's own (the forecast-only path agrees with a full run).
func TestEveryModel(t *testing.T) {
	sc := three()
	sc.Issues = append(sc.Issues, scenario.Issue{ID: "j", Min: 0, Max: 10})
	for k := range sc.Actors {
		sc.Actors[k].Stances["j"] = scenario.Stance{Position: scenario.N(float64(3 * k)), Salience: scenario.N(40)}
	}
	for _, m := range registry.Default().All() {
		res, err := Advise(context.Background(), Config{Scenario: sc, Model: m, Actor: "b", Issue: "i", Grid: 5})
		if err != nil {
			t.Fatalf("%s: %v", m.Info().Name, err)
		}
		for _, l := range res.Own {
			r, err := m.Run(context.Background(), apply(sc, change{actors: []int{1}, issues: l.Issues, attrs: l.Attributes, to: l.To}), model.Options{Workers: 1})
			if err != nil {
				t.Fatal(err)
			}
			ir := r.Issues[0]
			want := ir.Forecast
			if ir.Settlement != nil {
				want = ir.Settlement.Value
			}
			if ir.Forecast != l.Forecast || want != l.Value || ir.Stopped != l.Stopped || (ir.Settlement == nil) != (l.Settlement == nil) {
				t.Fatalf("%s: lever %+v, run %v %s %+v", m.Info().Name, l, ir.Forecast, ir.Stopped, ir.Settlement)
			}
		}
	}
}

func TestBadInput(t *testing.T) {
	sc, _ := scenarios.Get("kosovo-2007")
	m, _ := registry.Default().Get("mean")
	hi, lo := 101.0, -1.0
	for _, c := range []struct {
		cfg  Config
		want string
	}{
		{Config{}, "missing actor: name the actor to advise (one of kosovo_albanians, serbia,"},
		{Config{Actor: "atlantis"}, "unknown actor \"atlantis\" (have kosovo_albanians, serbia,"},
		{Config{Actor: "usa", Issue: "nope"}, "unknown issue \"nope\" (have status, "},
		{Config{Actor: "china", Issue: "serbia_eu"}, `china holds no position on issue "serbia_eu" (it does on status`},
		{Config{Actor: "usa", Target: &hi}, "target 101 is outside the scale 0 to 100"},
		{Config{Actor: "usa", Target: &lo}, "outside the scale"},
		{Config{Actor: "usa", Grid: 2}, "3 to 201"},
	} {
		c.cfg.Scenario, c.cfg.Model = sc, m
		if _, err := Advise(context.Background(), c.cfg); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.cfg, err, c.want)
		}
	}
}

// With levers on another issue, a one-issue model's forecast does not
// move (every gain 0), a linked model's may; and a lever issue that does
// not exist is refused with the choices.
func TestLeverIssues(t *testing.T) {
	sc, _ := scenarios.Get("kosovo-2007")
	mean, _ := registry.Default().Get("mean")
	exch, _ := registry.Default().Get("exchange")
	res, err := Advise(context.Background(), Config{Scenario: sc, Model: mean, Actor: "eu", Issue: "status", LeverIssues: []string{"serbia_eu"}, Grid: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Own) == 0 || len(res.LeverIssues) != 1 {
		t.Fatalf("%+v", res)
	}
	for _, l := range res.Own {
		if l.Issues[0] != "serbia_eu" || l.Gain != 0 {
			t.Fatalf("mean: lever %+v", l)
		}
	}
	res, err = Advise(context.Background(), Config{Scenario: sc, Model: exch, Actor: "eu", Issue: "status", LeverIssues: []string{"serbia_eu"}, Grid: 5})
	if err != nil {
		t.Fatal(err)
	}
	moved := false
	for _, l := range res.Own {
		moved = moved || l.Gain != 0
	}
	if !moved {
		t.Error("exchange: no change of the EU's stance on Serbia's EU path moves the status forecast")
	}
	if _, err := Advise(context.Background(), Config{Scenario: sc, Model: mean, Actor: "eu", LeverIssues: []string{"tariffs"}}); err == nil || !strings.Contains(err.Error(), "have all, status") {
		t.Errorf("unknown lever issue: %v", err)
	}
}
