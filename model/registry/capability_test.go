package registry

import (
	"context"
	"math"
	"testing"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/scenarios"
)

// TestCapabilityOnIssue checks every model that forecasts issue by issue
// (mean, median, Condorcet, power mean, both EUM variants): an actor's
// capability of its own on one issue gives that issue the forecast of a
// scenario in which the actor's capability is that number, and leaves the
// other issues' forecasts alone. The smp model votes over whole positions
// with one capability per actor (KTAB's model): its dynamics keep the
// actor's capability, while its per-issue forecast (the weighted mean of
// the positions) weighs with the capability on the issue.
func TestCapabilityOnIssue(t *testing.T) {
	full, err := scenarios.Get("kosovo-2007")
	if err != nil {
		t.Fatal(err)
	}
	const actor, issue, c = "russia", "status", 500.0
	// Only the actors with a stance on the issue: the SMP gives an actor
	// without one the issue's weighted mean, which the capability on the
	// issue would move.
	var holders []string
	for _, a := range full.Actors {
		if _, ok := a.Stances[issue]; ok {
			holders = append(holders, a.ID)
		}
	}
	base, err := full.Subset(holders, nil)
	if err != nil {
		t.Fatal(err)
	}
	withIssue := clone(base)
	st := withIssue.Actor(actor).Stances[issue]
	st.Capability = scenario.N(c)
	withIssue.Actor(actor).Stances[issue] = st
	everywhere := clone(base)
	everywhere.Actor(actor).Capability = scenario.N(c)
	if err := withIssue.Validate(); err != nil {
		t.Fatal(err)
	}
	forecasts := func(m model.Model, variant string, sc *scenario.Scenario) map[string]float64 {
		res, err := m.Run(context.Background(), sc, model.Options{Variant: variant, Rounds: 5})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]float64{}
		for _, ir := range res.Issues {
			out[ir.ID] = ir.Forecast
		}
		return out
	}
	for _, c := range []struct{ name, variant string }{
		{"mean", ""}, {"median", ""}, {"condorcet", ""}, {"power-mean", ""}, {"eum", "scholz"}, {"eum", "paper"},
	} {
		m, err := Default().Get(c.name)
		if err != nil {
			t.Fatal(err)
		}
		got, all, orig := forecasts(m, c.variant, withIssue), forecasts(m, c.variant, everywhere), forecasts(m, c.variant, base)
		for id, f := range got {
			want := orig[id]
			if id == issue {
				want = all[id]
			}
			if math.Abs(f-want) > 1e-9 {
				t.Errorf("%s %s, issue %s: forecast %v, want %v", c.name, c.variant, id, f, want)
			}
		}
		if got[issue] == orig[issue] && c.name != "median" {
			t.Errorf("%s %s: the capability on %s changes nothing", c.name, c.variant, issue)
		}
	}
	smp, _ := Default().Get("smp")
	res, err := smp.Run(context.Background(), withIssue, model.Options{Rounds: 3})
	if err != nil {
		t.Fatal(err)
	}
	plain, err := smp.Run(context.Background(), base, model.Options{Rounds: 3})
	if err != nil {
		t.Fatal(err)
	}
	sp, err := withIssue.Spatial()
	if err != nil {
		t.Fatal(err)
	}
	for k, ir := range res.Issues {
		r, p := ir.Final(), plain.Issues[k].Final()
		for id, x := range r.Positions {
			if x != p.Positions[id] {
				t.Fatalf("smp: %s on %s moved to %v, not %v: the dynamics changed", id, ir.ID, x, p.Positions[id])
			}
		}
		var sw, swx float64
		for i, a := range withIssue.Actors {
			if sp.Held[i][k] {
				w := sp.IssueCap[i][k] * sp.Sal[i][k]
				sw += w
				swx += w * r.Positions[a.ID]
			}
		}
		if math.Abs(r.Forecast-swx/sw) > 1e-9 {
			t.Errorf("smp %s: forecast %v, mean weighted by the capabilities on the issue %v", ir.ID, r.Forecast, swx/sw)
		}
	}
}

// clone copies a scenario deeply enough to change capabilities.
func clone(sc *scenario.Scenario) *scenario.Scenario {
	out := *sc
	out.Actors = make([]scenario.Actor, len(sc.Actors))
	for i, a := range sc.Actors {
		st := make(map[string]scenario.Stance, len(a.Stances))
		for k, v := range a.Stances {
			st[k] = v
		}
		a.Stances = st
		out.Actors[i] = a
	}
	return &out
}
