package registry

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/parley-project/parley/internal/fixture"
	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/scenarios"
)

// runs lists every model and variant of the default registry, with the
// few rounds a property test needs (the defaults for static models).
func runs() []struct {
	m       model.Model
	variant string
} {
	var out []struct {
		m       model.Model
		variant string
	}
	for _, m := range Default().All() {
		vs := m.Info().Variants
		if len(vs) == 0 {
			vs = []model.Variant{{}}
		}
		for _, v := range vs {
			out = append(out, struct {
				m       model.Model
				variant string
			}{m, v.Name})
		}
	}
	return out
}

func runModel(t *testing.T, m model.Model, variant string, sc *scenario.Scenario) *result.Result {
	t.Helper()
	res, err := m.Run(context.Background(), sc, model.Options{Variant: variant, Rounds: 3, Workers: 1})
	if err != nil {
		t.Fatalf("%s %s on %s: %v", m.Info().Name, variant, sc.Name, err)
	}
	return res
}

// TestCapabilityOnIssueEqualToActorsChangesNothing is a property of every
// model and variant: a capability on an issue equal to the actor's own
// capability is no capability of its own. Giving every actor, on every
// issue it holds a stance on and has no capability of its own, its
// capability there must leave the whole result bit for bit the same
// (forecasts, every round's positions, trades and summaries).
func TestCapabilityOnIssueEqualToActorsChangesNothing(t *testing.T) {
	var scs []*scenario.Scenario
	for _, name := range []string{"kosovo-2007", "emission-1994"} {
		sc, err := scenarios.Get(name)
		if err != nil {
			t.Fatal(err)
		}
		scs = append(scs, sc)
	}
	scs = append(scs, fixture.Load(t, "reference/decide/sample_data.txt"))
	for _, sc := range scs {
		spelled := clone(sc)
		n := 0
		for i := range spelled.Actors {
			a := &spelled.Actors[i]
			for id, st := range a.Stances {
				if !st.Capability.Set {
					st.Capability = scenario.N(a.Capability.Value)
					a.Stances[id] = st
					n++
				}
			}
		}
		if n == 0 {
			t.Fatalf("%s: no stance without a capability of its own", sc.Name)
		}
		if err := spelled.Validate(); err != nil {
			t.Fatal(err)
		}
		for _, r := range runs() {
			t.Run(fmt.Sprintf("%s/%s/%s", sc.Name, r.m.Info().Name, r.variant), func(t *testing.T) {
				if r.m.Info().Name == "procedure" && sc.Process == nil {
					t.Skip("no voting bodies")
				}
				want, got := runModel(t, r.m, r.variant, sc), runModel(t, r.m, r.variant, spelled)
				if !reflect.DeepEqual(got, want) {
					t.Errorf("capabilities on issues equal to the actors' change the result")
					for k := range want.Issues {
						if got.Issues[k].Forecast != want.Issues[k].Forecast {
							t.Errorf("%s: forecast %v, without them %v", want.Issues[k].ID, got.Issues[k].Forecast, want.Issues[k].Forecast)
						}
					}
				}
			})
		}
	}
}

// TestCapabilityOnOneIssueMovesOnlyThatIssue is a property of the models
// that forecast each issue on its own (every model but smp and exchange,
// whose issues interact): scaling one actor's capability on one issue, for
// seeded random actors, issues and factors, changes that issue's forecast
// only, and gives it the forecast of a scenario where the actor's
// capability itself is scaled.
func TestCapabilityOnOneIssueMovesOnlyThatIssue(t *testing.T) {
	sc, err := scenarios.Get("kosovo-2007")
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(19, 2026))
	for trial := range 4 {
		ai := rng.IntN(len(sc.Actors))
		a := &sc.Actors[ai]
		var held []string
		for _, is := range sc.Issues {
			if _, ok := a.Stances[is.ID]; ok {
				held = append(held, is.ID)
			}
		}
		issue := held[rng.IntN(len(held))]
		f := []float64{0.25, 3, 10}[trial%3]
		base := clone(sc)
		one := clone(base)
		st := one.Actor(a.ID).Stances[issue]
		st.Capability = scenario.N(f * a.CapabilityOn(issue))
		one.Actor(a.ID).Stances[issue] = st
		// The same capability on that issue, got by scaling the actor's
		// capability everywhere (its own capabilities on other issues too).
		all := clone(base)
		all.Actor(a.ID).ScaleCapability(f)
		for _, r := range runs() {
			name := r.m.Info().Name
			if name == "smp" || name == "exchange" {
				continue
			}
			if name == "procedure" && len(base.Institutions) == 0 {
				t.Fatalf("kosovo-2007 has no voting bodies: the procedure model is not checked")
			}
			t.Run(fmt.Sprintf("%s-%s-%s/%s/%s", a.ID, issue, fmt.Sprint(f), name, r.variant), func(t *testing.T) {
				orig, got, want := runModel(t, r.m, r.variant, base), runModel(t, r.m, r.variant, one), runModel(t, r.m, r.variant, all)
				for k, ir := range got.Issues {
					w := orig.Issues[k].Forecast
					if ir.ID == issue {
						w = want.Issues[k].Forecast
					}
					if math.Abs(ir.Forecast-w) > 1e-9*math.Max(1, math.Abs(w)) {
						t.Errorf("issue %s: forecast %v, want %v", ir.ID, ir.Forecast, w)
					}
				}
			})
		}
	}
}
