package procedure_test

import (
	"context"
	"math"
	"os"
	"testing"

	"github.com/parley-project/parley/backtest/deu3"
	"github.com/parley-project/parley/internal/fixture"
	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/model/baseline"
	"github.com/parley-project/parley/model/eum"
	"github.com/parley-project/parley/model/procedure"
	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/scenarios"
)

// three builds a one-issue scenario with actors at 10, 60 and 90 (equal
// capability and salience, so the weighted mean is 160/3) and a body of
// the three in which a proposal needs `need` yes votes.
// proc is the model as the registry makes it.
var proc = procedure.New(baseline.Mean{}, baseline.Median{}, baseline.Condorcet{}, eum.Model{})

func three(need float64, rule string) *scenario.Scenario {
	sc := &scenario.Scenario{Name: "three", Issues: []scenario.Issue{{ID: "x", Min: 0, Max: 100}}}
	for _, a := range []struct {
		id string
		x  float64
	}{{"a", 10}, {"b", 60}, {"c", 90}} {
		sc.Actors = append(sc.Actors, scenario.Actor{ID: a.id, Capability: scenario.N(1),
			Stances: map[string]scenario.Stance{"x": {Position: scenario.N(a.x), Salience: scenario.N(100)}}})
	}
	in := scenario.Institution{ID: "body", Rule: rule, Members: []scenario.InstitutionMember{{ID: "a"}, {ID: "b"}, {ID: "c"}}}
	if need > 0 {
		in.Threshold = &scenario.InstitutionThreshold{Votes: need}
	}
	sc.Institutions = []scenario.Institution{in}
	return sc
}

func TestRun(t *testing.T) {
	mean := 160.0 / 3
	cases := []struct {
		name    string
		sc      *scenario.Scenario
		variant string
		sq      float64
		want    float64
	}{
		// Status quo 0: a supports y in (0, 20), b (0, 120), c (0, 180).
		{"two of three pass the mean", three(2, "votes"), "", 0, mean},
		{"three of three stop where a turns", three(3, "votes"), "", 0, 20},
		{"unanimity likewise", three(0, "unanimity"), "", 0, 20},
		// Status quo 100: a supports (−80, 100), b (20, 100), c (80, 100).
		{"from above, two of three", three(2, "votes"), "", 100, mean},
		{"from above, unanimity stops at c's cut", three(0, "unanimity"), "", 100, 80},
		// The weighted median is 60: from status quo 0 only (0, 20) passes
		// unanimously.
		{"median variant", three(0, "unanimity"), "median", 0, 20},
		{"status quo at the forecast", three(0, "unanimity"), "", mean, mean},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := proc.Run(context.Background(), c.sc, model.Options{Variant: c.variant, Params: model.Params{"status_quo": model.Number(c.sq)}})
			if err != nil {
				t.Fatal(err)
			}
			is := res.Issues[0]
			if math.Abs(is.Forecast-c.want) > 1e-12 {
				t.Errorf("forecast %v, want %v", is.Forecast, c.want)
			}
			if res.Model != "procedure" || len(is.Rounds) < 2 || is.Final().Forecast != is.Forecast {
				t.Errorf("result %+v", res)
			}
		})
	}
}

func TestStatusQuoFromProcessOrNone(t *testing.T) {
	sc := three(0, "unanimity")
	res, err := proc.Run(context.Background(), sc, model.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if f := res.Issues[0].Forecast; math.Abs(f-160.0/3) > 1e-12 || len(res.Issues[0].Rounds) != 1 {
		t.Errorf("no status quo: forecast %v, %d rounds", f, len(res.Issues[0].Rounds))
	}
	sc.Process = &scenario.Process{StatusQuo: map[string]float64{"x": 100}}
	res, _ = proc.Run(context.Background(), sc, model.Options{})
	if f := res.Issues[0].Forecast; f != 80 {
		t.Errorf("process status quo 100: forecast %v, want 80", f)
	}
	// A parameter off the 0–100 scale defers to the process; one on it wins.
	for _, c := range []struct{ param, want float64 }{{150, 80}, {-1, 80}, {0, 20}} {
		res, _ = proc.Run(context.Background(), sc, model.Options{Params: model.Params{"status_quo": model.Number(c.param)}})
		if f := res.Issues[0].Forecast; f != c.want {
			t.Errorf("status_quo=%v: forecast %v, want %v", c.param, f, c.want)
		}
	}
	sc.Institutions = nil
	res, _ = proc.Run(context.Background(), sc, model.Options{})
	if f := res.Issues[0].Forecast; math.Abs(f-160.0/3) > 1e-12 {
		t.Errorf("no bodies: forecast %v", f)
	}
}

func TestConstrain(t *testing.T) {
	passBelow := func(lim float64) func(float64) bool { return func(y float64) bool { return y <= lim } }
	cases := []struct {
		name       string
		f, q, want float64
		cuts       []float64
		pass       func(float64) bool
	}{
		{"passes", 50, 0, 50, []float64{20, 80}, passBelow(60)},
		{"stops at a cut", 50, 0, 20, []float64{20, 35, 80}, passBelow(20)},
		{"nothing passes", 50, 0, 0, []float64{20}, passBelow(-1)},
		{"downwards", 10, 60, 40, []float64{40, 70, 5}, func(y float64) bool { return y >= 38 }},
		{"at the status quo", 30, 30, 30, nil, passBelow(-1)},
	}
	for _, c := range cases {
		if got := procedure.Constrain(c.f, c.q, c.cuts, c.pass); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// On the DEU III fixture: d001i1 (codecision, QMV, reference point 0)
// keeps the weighted mean 20000/390, since only Germany and Poland (56 of
// 345 votes) sit at the reference point; d002i1 (unanimity, reference 0)
// falls back to 0 because Poland, at 0, opposes every change.
func TestDEU3(t *testing.T) {
	f, err := os.Open(fixture.Path("deu3/fixture.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d, err := deu3.Read(f, "fixture.tsv")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		issue int
		want  float64
	}{{0, 20000.0 / 390}, {2, 0}} {
		is := &d.Issues[c.issue]
		sc, _, err := d.ToScenario(is, deu3.Equal)
		if err != nil {
			t.Fatal(err)
		}
		res, err := proc.Run(context.Background(), sc, model.Options{Params: model.Params{"status_quo": model.Number(is.Reference)}})
		if err != nil {
			t.Fatal(err)
		}
		if got := res.Issues[0].Forecast; math.Abs(got-c.want) > 1e-9 {
			t.Errorf("%s: forecast %v, want %v", is.ID, got, c.want)
		}
	}
}

// The settlement describes the constrained forecast. On kosovo-2007 with
// the status quo at 50 the Security Council's vetoes hold every issue at
// 50 in every round, so every issue is fixed there, even those whose
// unconstrained EUM forecast cycles (presence, serb_rights,
// missile_defence) or drifts (serbia_eu): a "cycle between 50.00 and
// 50.00" would contradict itself.
func TestSettlementOfTheConstrainedForecast(t *testing.T) {
	sc, err := scenarios.Resolve("kosovo-2007")
	if err != nil {
		t.Fatal(err)
	}
	res, err := proc.Run(context.Background(), sc, model.Options{Variant: "eum", Rounds: 30,
		Params: model.Params{"status_quo": model.Number(50)}})
	if err != nil {
		t.Fatal(err)
	}
	for _, is := range res.Issues {
		st := is.Settlement
		if st == nil || st.Kind != result.Fixed || st.Period != 0 || st.Low != 50 || st.High != 50 || st.Value != 50 || is.Forecast != 50 {
			t.Errorf("%s: settlement %+v, forecast %v; want fixed at 50", is.ID, st, is.Forecast)
		}
	}
	// With the scenario's own status quo, whatever each issue's kind, a
	// range within the tolerance is a fixed point.
	res, err = proc.Run(context.Background(), sc, model.Options{Variant: "eum", Rounds: 30})
	if err != nil {
		t.Fatal(err)
	}
	for _, is := range res.Issues {
		st := is.Settlement
		if st == nil {
			t.Fatalf("%s: no settlement", is.ID)
		}
		if st.Kind != result.Fixed && st.High-st.Low <= result.Tolerance(0, 100) {
			t.Errorf("%s: %s over %v–%v: a range within the tolerance is a fixed point", is.ID, st.Kind, st.Low, st.High)
		}
	}
}
