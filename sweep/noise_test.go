package sweep_test

import (
	"math"
	"testing"

	"github.com/parley-project/parley/internal/fixture"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/sweep"
)

// evidenceScenario has one issue on 0–100 and four actors at 50 whose
// positions differ only in what backs them: direct evidence, evidence
// marked inferred, none, and an own range or sd.
func evidenceScenario() *scenario.Scenario {
	ev := []scenario.Evidence{{Source: "s", Paragraph: 1, Text: "said so"}}
	sd := 2.0
	pos := []scenario.Number{
		{Value: 50, Set: true, Evidence: ev},
		{Value: 50, Set: true, Evidence: ev, Inferred: true},
		{Value: 50, Set: true},
		{Value: 50, Set: true, Evidence: ev, Range: []float64{40, 90}},
		{Value: 50, Set: true, SD: &sd},
	}
	sc := &scenario.Scenario{Name: "ev", Sources: []scenario.Source{{ID: "s"}}, Issues: []scenario.Issue{{ID: "x", Min: 0, Max: 100}}}
	for i, p := range pos {
		sc.Actors = append(sc.Actors, scenario.Actor{ID: string(rune('a' + i)), Capability: scenario.N(10),
			Stances: map[string]scenario.Stance{"x": {Position: p, Salience: scenario.N(50)}}})
	}
	return sc
}

// moments returns the mean and sd of each actor's position over draws.
func moments(sc *scenario.Scenario, n sweep.Noise, draws int) (mean, sd, lo, hi []float64) {
	k := len(sc.Actors)
	mean, sd, lo, hi = make([]float64, k), make([]float64, k), make([]float64, k), make([]float64, k)
	for a := range k {
		lo[a], hi[a] = math.Inf(1), math.Inf(-1)
	}
	for i := range draws {
		out, _ := sweep.Perturb(sc, n, sweep.DrawRNG(11, i))
		for a, act := range out.Actors {
			v := act.Stances["x"].Position.Value
			mean[a] += v
			sd[a] += v * v
			lo[a], hi[a] = math.Min(lo[a], v), math.Max(hi[a], v)
		}
	}
	for a := range k {
		mean[a] /= float64(draws)
		sd[a] = math.Sqrt(sd[a]/float64(draws) - mean[a]*mean[a])
	}
	return mean, sd, lo, hi
}

// TestNoiseFollowsEvidence checks the spread of each kind of number under
// the default noise model: direct evidence sd 5 points, inferred and
// unevidenced 10, a range triangular on it, an sd its own.
func TestNoiseFollowsEvidence(t *testing.T) {
	const draws = 20000
	mean, sd, lo, hi := moments(evidenceScenario(), sweep.DefaultNoise(), draws)
	want := []struct{ mean, sd float64 }{
		{50, 5}, {50, 10}, {50, 10},
		{(40 + 50 + 90) / 3.0, math.Sqrt((40*40 + 50*50 + 90*90 - 40*50 - 40*90 - 50*90) / 18.0)}, // triangular(40, 50, 90)
		{50, 2},
	}
	for a, w := range want {
		// Four standard errors of the mean and about 3% of the sd.
		if math.Abs(mean[a]-w.mean) > 4*w.sd/math.Sqrt(draws) || math.Abs(sd[a]-w.sd) > 0.03*w.sd {
			t.Errorf("actor %d: mean %.3f sd %.3f, want %.3f and %.3f", a, mean[a], sd[a], w.mean, w.sd)
		}
	}
	if lo[3] < 40 || hi[3] > 90 || lo[3] > 42 || hi[3] < 85 {
		t.Errorf("range draws span [%v, %v], want within and nearly filling [40, 90]", lo[3], hi[3])
	}
}

// TestNoiseLevelsOverride checks that a level given by the scenario or a
// flag applies to numbers of both evidence classes and leaves own ranges
// alone.
func TestNoiseLevelsOverride(t *testing.T) {
	sc := evidenceScenario()
	p := 0.02
	sc.Uncertainty = &scenario.Uncertainty{Position: &p}
	n, err := sweep.NoiseFrom(sc)
	if err != nil {
		t.Fatal(err)
	}
	if n.Salience != sweep.DefaultDirect.Salience || n.Thin.Salience != sweep.DefaultThin.Salience {
		t.Errorf("salience levels %v / %v: a level the section leaves out keeps its defaults", n.Salience, n.Thin.Salience)
	}
	_, sd, lo, hi := moments(sc, n, 5000)
	for a := range 3 {
		if math.Abs(sd[a]-2) > 0.1 {
			t.Errorf("actor %d: sd %.3f, want 2 (the section's level, whatever the evidence)", a, sd[a])
		}
	}
	if lo[3] < 40 || hi[3] > 90 || hi[3]-lo[3] < 40 {
		t.Errorf("own range drawn over [%v, %v]", lo[3], hi[3])
	}
	zero := 0.0
	n.Override(sweep.NoiseOverride{Position: &zero})
	_, sd, _, _ = moments(sc, n, 100)
	if sd[0] != 0 || sd[1] != 0 || sd[2] != 0 || sd[3] == 0 {
		t.Errorf("--position-sd 0: sds %v, want 0 but for the own range and sd", sd)
	}
}

func TestNoiseEnds(t *testing.T) {
	sc := evidenceScenario()
	n := sweep.DefaultNoise()
	want := [][2]float64{{50 - 1.6449*5, 50 + 1.6449*5}, {50 - 1.6449*10, 50 + 1.6449*10}, {50 - 1.6449*10, 50 + 1.6449*10}, {40, 90}, {50 - 1.6449*2, 50 + 1.6449*2}}
	for a, w := range want {
		lo, hi := n.Ends(sc.Actors[a].Stances["x"].Position, sweep.Position, 0, 100)
		if math.Abs(lo-w[0]) > 1e-3 || math.Abs(hi-w[1]) > 1e-3 {
			t.Errorf("actor %d: ends [%v, %v], want [%v, %v]", a, lo, hi, w[0], w[1])
		}
	}
	// Multiplicative levels: c·exp(∓1.645σ), a salience clamped to its scale.
	lo, hi := n.Ends(scenario.N(10), sweep.Capability, 0, math.Inf(1))
	if math.Abs(lo-10*math.Exp(-1.6449*0.3)) > 1e-3 || math.Abs(hi-10*math.Exp(1.6449*0.3)) > 1e-3 {
		t.Errorf("capability ends [%v, %v]", lo, hi)
	}
	if _, hi := n.Ends(scenario.N(95), sweep.Salience, 0, 100); hi != 100 {
		t.Errorf("salience end %v, want clamped to 100", hi)
	}
}

// TestIssueCapabilityDraws: an actor's capability of its own on an issue
// takes the deviate of the actor's capability (so under the same level
// both move by the same factor), and with a range of its own stays in it;
// the input is left alone.
func TestIssueCapabilityDraws(t *testing.T) {
	sc := fixture.OneIssue("cap", "x", 0, 100, fixture.Stance{ID: "a", C: 10, X: 30, S: 100}, fixture.Stance{ID: "b", C: 20, X: 50, S: 50})
	sc.Issues = append(sc.Issues, scenario.Issue{ID: "y", Min: 0, Max: 10})
	a := &sc.Actors[0]
	a.Stances["y"] = scenario.Stance{Position: scenario.N(5), Salience: scenario.N(50), Capability: scenario.N(40)}
	b := &sc.Actors[1]
	ranged := scenario.N(8)
	ranged.Range = []float64{6, 9}
	b.Stances["y"] = scenario.Stance{Position: scenario.N(2), Salience: scenario.N(50), Capability: ranged}
	n := sweep.Noise{Capability: 0.4}
	moved := 0
	for i := range 100 {
		out, _ := sweep.Perturb(sc, n, sweep.DrawRNG(5, i))
		fa, fy := out.Actors[0].Capability.Value/10, out.Actors[0].Stances["y"].Capability.Value/40
		if math.Abs(fa-fy) > 1e-12 {
			t.Fatalf("draw %d: the actor's capability moved by %v, its capability on y by %v", i, fa, fy)
		}
		if fa != 1 {
			moved++
		}
		if c := out.Actors[1].Stances["y"].Capability.Value; c < 6 || c > 9 {
			t.Fatalf("draw %d: b's capability on y %v outside its range", i, c)
		}
	}
	if moved == 0 || sc.Actors[0].Stances["y"].Capability.Value != 40 {
		t.Errorf("moved %d times; input changed: %v", moved, sc.Actors[0].Stances["y"].Capability.Value)
	}
}
