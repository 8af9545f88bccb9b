package conflict

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/model/eum"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/scenarios"
)

func TestClassify(t *testing.T) {
	for _, c := range []struct {
		a, b            float64
		relation, ahead string
	}{
		{0.5, 0.2, Conflict, "i"},
		{0.2, 0.5, Conflict, "j"},
		{0.3, 0.3, Conflict, ""},
		{0.5, -0.2, Compromise, "i"}, // j loses less than i gains: j yields part way
		{0.2, -0.5, Compel, "i"},     // j loses more than i gains: j gives in
		{0.2, -0.2, Compel, "i"},     // eq. 36 would move j the whole way
		{-0.2, 0.5, Compromise, "j"},
		{-0.5, 0.2, Capitulation, "j"},
		{-0.1, -0.3, StatusQuo, ""},
		{0, 0, StatusQuo, ""},
		{0, 0.4, Compromise, "j"}, // i indifferent, j gains: eq. 36 moves i by 0
		{1e-13, 0.4, Compromise, "j"},
		{0.4, 0, Compromise, "i"},
	} {
		r, a := Classify(c.a, c.b)
		if r != c.relation || a != c.ahead {
			t.Errorf("Classify(%v, %v) = %s %q, want %s %q", c.a, c.b, r, a, c.relation, c.ahead)
		}
	}
}

// TestRelationsMatchMoves checks the view against the model's own moves:
// every move of round r + 1 is the one the relation at round r implies
// for the mover (a lost confrontation, a compromise or a capitulation,
// with the partner ahead), read as the variant reads it: the scholz code
// from the mover's perception, the paper variant from each side's own.
func TestRelationsMatchMoves(t *testing.T) {
	sc, err := scenarios.Get("kosovo-2007")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{eum.Confrontation: Conflict, eum.Compromise: Compromise, eum.Capitulation: Capitulation}
	checked := 0
	for _, variant := range []string{eum.VariantScholz, eum.VariantPaper} {
		opt := model.Options{Variant: variant, Workers: 1}
		res, err := eum.Model{}.Run(context.Background(), sc, opt)
		if err != nil {
			t.Fatal(err)
		}
		for _, ir := range res.Issues {
			for r := 0; r+1 < len(ir.Rounds) && r < 4; r++ {
				v, err := Compute(context.Background(), Config{Scenario: sc, Options: opt, Issue: ir.ID, Round: r})
				if err != nil {
					t.Fatal(err)
				}
				is := v.Issues[0]
				for _, mv := range ir.Rounds[r+1].Moves {
					p := is.Pair(mv.Actor, mv.Partner)
					rel, ahead := p.Relation, p.Ahead
					if variant == eum.VariantScholz {
						rel, ahead = p.ByI, p.ByIAhead
					}
					if rel != want[mv.Kind] || ahead != mv.Partner {
						t.Fatalf("%s %s round %d: %s moved to %s by %s; the view says %s, %s ahead (%+v)", variant, ir.ID, r+1, mv.Actor, mv.Partner, mv.Kind, rel, ahead, *p)
					}
					checked++
				}
			}
		}
	}
	if checked < 50 {
		t.Fatalf("only %d moves checked", checked)
	}
}

func TestPerspective(t *testing.T) {
	sc, _ := scenarios.Get("kosovo-2007")
	opt := model.Options{Variant: eum.VariantPaper}
	obj, err := Compute(context.Background(), Config{Scenario: sc, Options: opt, Issue: "status"})
	if err != nil {
		t.Fatal(err)
	}
	rus, err := Compute(context.Background(), Config{Scenario: sc, Options: opt, Issue: "status", Perspective: "russia"})
	if err != nil {
		t.Fatal(err)
	}
	o, r := obj.Issues[0], rus.Issues[0]
	if len(o.Pairs) != 20*19 || len(r.Pairs) != len(o.Pairs) {
		t.Fatalf("%d and %d pairs", len(o.Pairs), len(r.Pairs))
	}
	for k, p := range o.Pairs {
		if p.A != *p.EUij || p.B != *p.EUjiByJ {
			t.Fatalf("objective %s→%s: a %v b %v, own %v %v", p.I, p.J, p.A, p.B, *p.EUij, *p.EUjiByJ)
		}
		q := r.Pairs[k]
		if p.I == "russia" && (q.A != *p.EUij || q.B != *p.EUjiByI) {
			t.Fatalf("Russia's view of its own pair with %s: %v %v, its perception %v %v", p.J, q.A, q.B, *p.EUij, *p.EUjiByI)
		}
	}
	// Mutual conflicts are conflicts both ways, ranked by capability.
	for k, m := range o.Mutual {
		if o.Pair(m.A, m.B).Relation != Conflict || o.Pair(m.B, m.A).Relation != Conflict || m.EUA <= 0 || m.EUB <= 0 {
			t.Fatalf("%+v is not a mutual conflict", m)
		}
		if k > 0 && m.Capability > o.Mutual[k-1].Capability {
			t.Fatalf("mutual conflicts out of order at %d", k)
		}
	}
	if len(o.Mutual) == 0 || o.Mutual[0].A != "usa" || o.Mutual[0].B != "russia" {
		t.Fatalf("top mutual conflict %+v", o.Mutual[:1])
	}
}

func TestSMPView(t *testing.T) {
	sc, _ := scenarios.Get("kosovo-2007")
	v, err := Compute(context.Background(), Config{Scenario: sc, Model: "smp", Issue: "status"})
	if err != nil {
		t.Fatal(err)
	}
	is := v.Issues[0]
	n := len(sc.Actors)
	if len(is.Pairs) != n*(n-1) || is.Name != "all issues" {
		t.Fatalf("%d pairs, %q", len(is.Pairs), is.Name)
	}
	for _, p := range is.Pairs {
		if p.Relation != Quadrant(p.A, p.B) || math.IsNaN(p.A) || math.IsNaN(p.B) {
			t.Fatalf("%+v", p)
		}
	}
	for _, m := range is.Mutual {
		if is.Pair(m.A, m.B).A <= 0 || is.Pair(m.B, m.A).A <= 0 {
			t.Fatalf("%+v is not mutual", m)
		}
	}
}

func TestBadInput(t *testing.T) {
	sc, _ := scenarios.Get("kosovo-2007")
	for _, c := range []struct {
		cfg  Config
		want string
	}{
		{Config{Perspective: "nobody"}, "have objective, "},
		{Config{Issue: "nothing"}, "have status, "},
		{Config{Model: "mean"}, "eum or smp"},
		{Config{Round: 11}, "beyond the run of 10 rounds"},
		{Config{Round: 9, Options: model.Options{Variant: eum.VariantPaper}, Issue: "status"}, "ended after round 4"},
		{Config{Round: -1}, "negative"},
		{Config{Model: "smp", Round: 500}, "outside the run"},
		{Config{Perspective: "usa", Issue: "serb_rights", Model: "eum"}, ""},
		{Config{Perspective: "china", Issue: "serbia_eu"}, "holds no position"},
	} {
		c.cfg.Scenario = sc
		_, err := Compute(context.Background(), c.cfg)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%+v: %v", c.cfg, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%+v: error %v, want %q", c.cfg, err, c.want)
		}
	}
	// A round beyond the run is a RoundError, which names no flag: the
	// run layer says which field to raise, as its caller spells it.
	_, err := Compute(context.Background(), Config{Scenario: sc, Round: 12})
	var re *RoundError
	if !errors.As(err, &re) || *re != (RoundError{Round: 12, Rounds: 10}) || strings.Contains(err.Error(), "-") {
		t.Errorf("round 12: %v, want RoundError{12, 10} naming no flag", err)
	}
}

// An issue on which everyone agrees has no pairs, and says so.
func TestAgreedIssue(t *testing.T) {
	sc, _ := scenarios.Get("emission-1994")
	c := *sc
	c.Actors = nil
	for _, a := range sc.Actors {
		st := map[string]scenario.Stance{}
		for k, s := range a.Stances {
			s.Position = scenario.N(7)
			st[k] = s
		}
		a.Stances = st
		c.Actors = append(c.Actors, a)
	}
	v, err := Compute(context.Background(), Config{Scenario: &c})
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Issues[0].Pairs) != 0 || !strings.Contains(v.Issues[0].Note, "same position") {
		t.Fatalf("%+v", v.Issues[0])
	}
}
