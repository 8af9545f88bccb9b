package smp

import (
	"fmt"
	"math"
	"testing"
)

// engineFor builds the engine Run would build for sc's default settings
// changed by set (nil for KTAB's defaults).
func engineFor(t *testing.T, na, nd int, seed uint64, set func(*Settings)) *engine {
	t.Helper()
	sc := ktabRandom(seed, na, nd)
	sp, err := sc.Spatial()
	if err != nil {
		t.Fatal(err)
	}
	in := input{n: na, d: nd, cap: sp.Cap}
	for i := range sc.Actors {
		in.pos = append(in.pos, sp.Pos[i]...)
		in.sal = append(in.sal, sp.Sal[i]...)
	}
	s := Defaults()
	if set != nil {
		set(&s)
	}
	return &engine{in: in, set: s, workers: 1 + int(seed%2), seed: seed}
}

// TestShortCutsMatchPlain runs seeded random scenarios with and without the
// engine's short cuts (engine.plain) and compares every turn. The bounded
// search for the best challenge is exact, so with more than one dimension
// the runs must agree bit for bit; in one dimension the risk attitudes'
// election comes from sorted prefix sums, which change its coalitions by
// rounding, so positions must agree to 1e-9 (on KTAB's [0, 1]) with the
// same number of turns. Some runs change KTAB's settings: another voting
// rule (the prefix sums then do not apply), bargains from both sides
// (which use the challenge's second estimate) and the Markov elections.
func TestShortCutsMatchPlain(t *testing.T) {
	settings := []func(*Settings){nil,
		func(s *Settings) { s.VotingRule = 3 },
		func(s *Settings) { s.BargainModel = 2 },
		func(s *Settings) { s.PCE = 1 },
		func(s *Settings) { s.VictoryProb = 1 },
	}
	worst := 0.0
	for trial := range 20 {
		na, nd := []int{3, 8, 20, 35, 60}[trial%5], 1+trial%3
		if trial%3 != 0 {
			nd = 1 // mostly one dimension, where both short cuts act
		}
		seed := uint64(trial + 1)
		fast := engineFor(t, na, nd, seed, settings[trial%len(settings)])
		plain := engineFor(t, na, nd, seed, settings[trial%len(settings)])
		plain.plain = true
		a, _, errA := fast.run(40, nil)
		b, _, errB := plain.run(40, nil)
		where := fmt.Sprintf("trial %d (%d actors × %d)", trial, na, nd)
		if errA != nil || errB != nil {
			t.Fatalf("%s: %v, %v", where, errA, errB)
		}
		if len(a) != len(b) {
			t.Fatalf("%s: %d turns, plain %d", where, len(a)-1, len(b)-1)
		}
		for turn := range a {
			for k, x := range a[turn].pos {
				d := math.Abs(x - b[turn].pos[k])
				if nd > 1 && d != 0 || d > 1e-9 {
					t.Fatalf("%s turn %d: coordinate %d at %v, plain %v", where, turn, k, x, b[turn].pos[k])
				}
				worst = math.Max(worst, d)
			}
		}
	}
	t.Logf("largest difference %.3g", worst)
}
