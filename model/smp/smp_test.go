package smp

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/scenario"
)

// randomScenario builds a seeded random scenario with na actors on nd
// issues with various scales; some actors hold no position on some issues.
func randomScenario(seed uint64, na, nd int) *scenario.Scenario {
	r := rand.New(rand.NewPCG(seed, 7))
	sc := &scenario.Scenario{Name: fmt.Sprintf("random-%d", seed), SalienceScale: 100}
	for k := 0; k < nd; k++ {
		lo := math.Round(r.Float64()*200 - 100)
		sc.Issues = append(sc.Issues, scenario.Issue{ID: fmt.Sprintf("i%d", k), Min: lo, Max: lo + 1 + math.Round(r.Float64()*100)})
	}
	for i := 0; i < na; i++ {
		a := scenario.Actor{ID: fmt.Sprintf("a%02d", i), Capability: scenario.N(1 + r.Float64()*99), Stances: map[string]scenario.Stance{}}
		for k, is := range sc.Issues {
			if k > 0 && r.IntN(5) == 0 {
				continue
			}
			a.Stances[is.ID] = scenario.Stance{
				Position: scenario.N(is.Min + r.Float64()*(is.Max-is.Min)),
				Salience: scenario.N(1 + r.Float64()*60),
			}
		}
		sc.Actors = append(sc.Actors, a)
	}
	return sc
}

func run(t *testing.T, sc *scenario.Scenario, opt model.Options) *result.Result {
	t.Helper()
	if err := sc.Validate(); err != nil {
		t.Fatal(err)
	}
	res, err := Model{}.Run(context.Background(), sc, opt)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestWorkersDoNotMatter: the same result, bit for bit, on 1, 2 and 5
// goroutines.
func TestWorkersDoNotMatter(t *testing.T) {
	sc := randomScenario(1, 30, 3)
	want := run(t, sc, model.Options{Workers: 1})
	for _, w := range []int{2, 5} {
		if got := run(t, sc, model.Options{Workers: w}); !reflect.DeepEqual(got, want) {
			t.Errorf("%d workers give a different result", w)
		}
	}
}

// TestInvariants checks, on random scenarios, what must hold whatever the
// input: positions stay on their issue's scale; an actor that moves ends
// between its own and its partner's previous positions on every issue (a
// bargain interpolates, rounded to 1e-4 of the scale); the run ends by
// KTAB's rule within the turn limit; holders of no position are not
// reported.
func TestInvariants(t *testing.T) {
	for seed := uint64(1); seed <= 12; seed++ {
		na, nd := 3+int(seed*7%25), 1+int(seed%4)
		sc := randomScenario(seed, na, nd)
		res := run(t, sc, model.Options{})
		turns := len(res.Issues[0].Rounds) - 1
		if turns < 1 || turns > MaxTurns {
			t.Errorf("seed %d: %d turns", seed, turns)
		}
		for k, ir := range res.Issues {
			is := sc.Issues[k]
			tol := 0.5e-4*(is.Max-is.Min) + 1e-9
			if len(ir.Rounds) != turns+1 {
				t.Fatalf("seed %d: issue %s has %d rounds, issue 0 %d", seed, ir.ID, len(ir.Rounds), turns+1)
			}
			for ti, r := range ir.Rounds {
				for id, x := range r.Positions {
					if x < is.Min-tol || x > is.Max+tol {
						t.Errorf("seed %d turn %d: %s at %v outside %v..%v", seed, ti, id, x, is.Min, is.Max)
					}
					if _, held := sc.Actor(id).Stances[is.ID]; !held {
						t.Errorf("seed %d: %s reported on %s where it holds no position", seed, id, is.ID)
					}
				}
				for _, m := range r.Moves {
					prev := ir.Rounds[ti-1].Positions
					lo, hi := math.Min(prev[m.Actor], prev[m.Partner]), math.Max(prev[m.Actor], prev[m.Partner])
					if _, ok := prev[m.Partner]; !ok {
						continue // the partner's position here is the filled-in mean
					}
					if m.To < lo-tol || m.To > hi+tol || m.From != prev[m.Actor] {
						t.Errorf("seed %d turn %d: %s moved %v→%v, outside its and %s's positions %v..%v", seed, ti, m.Actor, m.From, m.To, m.Partner, lo, hi)
					}
				}
			}
		}
	}
}

// TestScaleInvariance: the issue scale is only a labelling. The same
// scenario on 0–100 and on −1..1 gives the same trajectory.
func TestScaleInvariance(t *testing.T) {
	sc := randomScenario(3, 15, 2)
	for k := range sc.Issues {
		is := &sc.Issues[k]
		for i := range sc.Actors {
			if st, ok := sc.Actors[i].Stances[is.ID]; ok {
				st.Position.Value = (st.Position.Value - is.Min) / (is.Max - is.Min) * 100
				sc.Actors[i].Stances[is.ID] = st
			}
		}
		is.Min, is.Max = 0, 100
	}
	a := run(t, sc, model.Options{})
	sc2 := *sc
	sc2.Issues = append([]scenario.Issue(nil), sc.Issues...)
	sc2.Actors = nil
	for _, ac := range sc.Actors {
		c := ac
		c.Stances = map[string]scenario.Stance{}
		for id, st := range ac.Stances {
			st.Position.Value = st.Position.Value/50 - 1
			c.Stances[id] = st
		}
		sc2.Actors = append(sc2.Actors, c)
	}
	for k := range sc2.Issues {
		sc2.Issues[k].Min, sc2.Issues[k].Max = -1, 1
	}
	b := run(t, &sc2, model.Options{})
	for k := range a.Issues {
		if len(a.Issues[k].Rounds) != len(b.Issues[k].Rounds) {
			t.Fatalf("issue %d: %d vs %d rounds", k, len(a.Issues[k].Rounds), len(b.Issues[k].Rounds))
		}
		for ti, r := range a.Issues[k].Rounds {
			for id, x := range r.Positions {
				if y := (b.Issues[k].Rounds[ti].Positions[id] + 1) * 50; math.Abs(x-y) > 1e-6 {
					t.Errorf("issue %d turn %d actor %s: %v on 0–100, %v from −1..1", k, ti, id, x, y)
				}
			}
		}
	}
}

// TestSettings runs every value of every KTAB setting on the 3-dimension
// sample: each runs, keeps positions on the scale, and every non-default
// value changes the trajectory.
func TestSettings(t *testing.T) {
	sc, err := scenario.Load("testdata/dummyData_3Dim.csv")
	if err != nil {
		t.Fatal(err)
	}
	base := run(t, sc, model.Options{})
	def := Defaults()
	for i, name := range paramNames {
		for v := range scenario.KTABParameters[i].Values {
			if v == *def.fields()[i] {
				continue
			}
			key := fmt.Sprintf("%s=%d", name, v)
			res := run(t, sc, model.Options{Params: model.Params{name: model.Number(float64(v)), "seed": model.Number(5)}})
			for _, ir := range res.Issues {
				for _, r := range ir.Rounds {
					for id, x := range r.Positions {
						if x < -1e-9 || x > 100+1e-9 || math.IsNaN(x) {
							t.Errorf("%s: %s at %v", key, id, x)
						}
					}
				}
			}
			if reflect.DeepEqual(res.Issues, base.Issues) {
				t.Errorf("%s gives the default trajectory", key)
			}
		}
	}
}

// TestScenarioParameters: KTAB XML model parameters stored in the
// scenario are used, and --param overrides them.
func TestScenarioParameters(t *testing.T) {
	sc, err := scenario.Load("testdata/dummyData_3Dim.csv")
	if err != nil {
		t.Fatal(err)
	}
	viaParam := run(t, sc, model.Options{Params: model.Params{"voting_rule": model.Number(3), "interp": model.Text("s2pmax")}})
	sc.KTAB = &scenario.KTAB{Parameters: map[string]string{"VotingRule": "PropCbc", "InterVecBrgn": "S2PMax"}}
	viaScenario := run(t, sc, model.Options{})
	if !reflect.DeepEqual(viaParam.Issues, viaScenario.Issues) {
		t.Error("scenario parameters differ from the same parameters given on the command line")
	}
	// A setting by KTAB's name, an alias or its code, as a word (-p) or a
	// JSON number, overrides the scenario's.
	for _, v := range []model.Value{model.Number(2), model.Text("2"), model.Text("Prop"), model.Text("prop"), model.Text("proportional")} {
		set, err := Resolve(sc, model.Params{"voting_rule": v})
		if err != nil || set.VotingRule != 2 || set.InterVecBrgn != 2 || set.BargainModel != 0 {
			t.Errorf("voting_rule=%v: %+v %v", v, set, err)
		}
	}
	for _, bad := range []model.Params{{"voting_rule": model.Number(6)}, {"pce": model.Number(0.5)}, {"interp": model.Number(-2)},
		{"voting_rule": model.Text("majority")}, {"voting_rule": model.Boolean(true)}, {"seed": model.Number(-1)}} {
		_, err := (Model{}).Run(context.Background(), sc, model.Options{Params: bad})
		if err == nil || !strings.Contains(err.Error(), "want ") {
			t.Errorf("%v: error %v, want one listing the allowed values", bad, err)
		}
	}
	// A scenario setting that is not a KTAB value is refused by the same
	// declaration, naming the KTAB element.
	sc.KTAB.Parameters["VotingRule"] = "Majority"
	if _, err := (Model{}).Run(context.Background(), sc, model.Options{}); err == nil || !strings.Contains(err.Error(), "ktab.parameters.VotingRule") || !strings.Contains(err.Error(), "Prop (2, proportional)") {
		t.Errorf("bad scenario setting: %v", err)
	}
}

func TestDegenerate(t *testing.T) {
	same := `name: same
issues: [{id: x, min: 0, max: 10}]
actors:
  - {id: a, capability: 1, stances: {x: {position: 4, salience: 50}}}
  - {id: b, capability: 2, stances: {x: {position: 4, salience: 50}}}
  - {id: c, capability: 3, stances: {x: {position: 4, salience: 50}}}
`
	sc, err := scenario.Parse([]byte(same), "same.yaml")
	if err != nil {
		t.Fatal(err)
	}
	res := run(t, sc, model.Options{})
	ir := res.Issues[0]
	if len(ir.Rounds) != 3 || ir.Forecast != 4 || len(ir.Final().Moves) != 0 || ir.Stopped != "converged" {
		t.Errorf("agreement: %d rounds, forecast %v, stopped %s", len(ir.Rounds), ir.Forecast, ir.Stopped)
	}
	zero := strings.Replace(same, "{position: 4, salience: 50}}}\n  - {id: b", "{position: 4, salience: 0}}}\n  - {id: b", 1)
	sc, err = scenario.Parse([]byte(zero), "zero.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (Model{}).Run(context.Background(), sc, model.Options{}); err == nil || !strings.Contains(err.Error(), "actor a") {
		t.Errorf("zero salience: %v", err)
	}
	res = run(t, randomScenario(2, 8, 2), model.Options{Rounds: 1})
	if n := len(res.Issues[0].Rounds); n != 2 || res.Issues[0].Stopped != "rounds" {
		t.Errorf("one round: %d states, stopped %s", n, res.Issues[0].Stopped)
	}
}

// TestStopRuleAndIdeals: Parley's --stable rule can end a run before
// KTAB's, and KTAB's ideal adjustment (ideals lagging behind positions)
// changes the trajectory.
func TestStopRuleAndIdeals(t *testing.T) {
	sc, err := scenario.Load("testdata/SOE-Pol-Comp.csv")
	if err != nil {
		t.Fatal(err)
	}
	full := run(t, sc, model.Options{})
	early := run(t, sc, model.Options{Stop: model.StopRule{Epsilon: 100, K: 1}})
	if n := len(early.Issues[0].Rounds); n != 2 || early.Issues[0].Stopped != "fixed" {
		t.Errorf("stop rule: %d states, stopped %s", n, early.Issues[0].Stopped)
	}
	if !reflect.DeepEqual(early.Issues[0].Rounds[1], full.Issues[0].Rounds[1]) {
		t.Error("stop rule changed the first turn")
	}
	var ia []scenario.IdealAdjust
	for _, a := range sc.Actors {
		ia = append(ia, scenario.IdealAdjust{Actor: a.ID, Reference: a.ID, Adjust: 0.3})
	}
	sc.KTAB = &scenario.KTAB{IdealAdjustment: ia}
	lag := run(t, sc, model.Options{})
	if reflect.DeepEqual(lag.Issues, full.Issues) {
		t.Error("ideal adjustment had no effect")
	}
	if !reflect.DeepEqual(lag.Issues[0].Rounds[1], full.Issues[0].Rounds[1]) {
		t.Error("ideals start at the positions, so the first turn must not change")
	}
}
