package eum_test

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/parley-project/parley/internal/fixture"
	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/model/eum"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/scenarios"
)

// TestPerceiveMatchesMoves checks that Perceive, started from the
// positions after round r − 1 of a run, gives exactly the expected
// utilities that every move of round r records: E(U_ij) with the mover's
// risk exponent, and the partner's E(U_ji) as the variant computes it (as
// the mover perceives it in scholz, as the partner itself does in paper).
func TestPerceiveMatchesMoves(t *testing.T) {
	kosovo, err := scenarios.Get("kosovo-2007")
	if err != nil {
		t.Fatal(err)
	}
	bases := []*scenario.Scenario{kosovo, fixture.Emission(t)}
	rng := rand.New(rand.NewPCG(16, 16))
	checked := 0
	for trial := range 24 {
		sc := bases[trial%2]
		if trial >= 4 {
			sc = jitter(sc, rng)
		}
		variant := []string{eum.VariantScholz, eum.VariantPaper}[trial/2%2]
		opt := model.Options{Variant: variant, Workers: 1 + trial%3}
		if trial%5 == 4 && variant == eum.VariantPaper {
			opt.Params = model.Params{"q": model.Number(0.5)}
		}
		res, err := eum.Model{}.Run(context.Background(), sc, opt)
		if err != nil {
			t.Fatal(err)
		}
		for _, ir := range res.Issues {
			st := sc.Stakeholders(ir.ID)
			index := map[string]int{}
			for i, s := range st {
				index[s.ID] = i
			}
			for r := 1; r < len(ir.Rounds); r++ {
				if len(ir.Rounds[r].Moves) == 0 {
					continue
				}
				x := make([]float64, len(st))
				for i, s := range st {
					x[i] = ir.Rounds[r-1].Positions[s.ID]
				}
				p, err := eum.Model{}.Perceive(context.Background(), st, x, opt)
				if err != nil {
					t.Fatal(err)
				}
				if p.Median != ir.Rounds[r-1].Median && variant == eum.VariantPaper {
					t.Fatalf("trial %d %s round %d: median %v, run's %v", trial, ir.ID, r, p.Median, ir.Rounds[r-1].Median)
				}
				for _, mv := range ir.Rounds[r].Moves {
					i, j := index[mv.Actor], index[mv.Partner]
					perceiver := j
					if variant == eum.VariantScholz {
						perceiver = i
					}
					a, b := p.EU(i, j, i), p.EU(j, i, perceiver)
					if mv.Utilities == nil || !near(a, mv.Utilities.EU) || !near(b, mv.Utilities.PartnerEU) {
						t.Fatalf("trial %d %s round %d: %s→%s (%s): Perceive gives %v, %v; the run %+v", trial, ir.ID, r, mv.Actor, mv.Partner, mv.Kind, a, b, mv.Utilities)
					}
					checked++
				}
			}
		}
	}
	if checked < 200 {
		t.Fatalf("only %d moves checked", checked)
	}
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

func TestPerceiveBadInput(t *testing.T) {
	st := []scenario.Stakeholder{{ID: "a", Capability: 1, Position: 5, Salience: 1}, {ID: "b", Capability: 1, Position: 5, Salience: 1}}
	if _, err := (eum.Model{}).Perceive(context.Background(), st, nil, model.Options{}); err == nil {
		t.Error("no range accepted")
	}
	st[1].Position = 9
	if _, err := (eum.Model{}).Perceive(context.Background(), st, []float64{1}, model.Options{}); err == nil {
		t.Error("wrong number of positions accepted")
	}
	if _, err := (eum.Model{}).Perceive(context.Background(), st, nil, model.Options{Variant: "nope"}); err == nil {
		t.Error("unknown variant accepted")
	}
}
