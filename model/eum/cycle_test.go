package eum

import (
	"context"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/parley-project/parley/model"
)

// plain hides the memoryless marker, so simulate computes every round.
type plain struct{ simulator }

// gridInput is a random input of n actors (q = 1) whose positions lie on a
// grid of levels points on 0–100, so that few levels make shared positions
// common.
func gridInput(rng *rand.Rand, n, levels int) input {
	in := input{q: 1}
	for i := range n {
		in.ids = append(in.ids, string(rune('a'+i)))
		in.c = append(in.c, 1+rng.Float64()*99)
		in.s = append(in.s, 0.1+0.9*rng.Float64())
		in.x = append(in.x, float64(rng.IntN(levels))*100/float64(levels))
	}
	return in
}

// TestCycleReplayIdentical checks that copying the rounds of a position
// cycle gives exactly the result of computing them, on random inputs with
// few distinct positions (where cycles are common) and with many.
func TestCycleReplayIdentical(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	cycles := 0
	for trial := range 120 {
		n := 3 + rng.IntN(12)
		levels := 3 + rng.IntN(8)
		if trial%3 == 0 {
			levels = 1000
		}
		in := gridInput(rng, n, levels)
		for _, stop := range []model.StopRule{{}, {Epsilon: 0.01, K: 3}} {
			fast, err1 := simulate(context.Background(), newScholz(in), in.ids, 15, stop, 0.01)
			slow, err2 := simulate(context.Background(), plain{newScholz(in)}, in.ids, 15, stop, 0.01)
			if err1 != nil || err2 != nil {
				t.Fatal(err1, err2)
			}
			if !reflect.DeepEqual(fast, slow) {
				t.Fatalf("trial %d: replayed rounds differ from computed ones", trial)
			}
			if len(fast.Rounds) > 3 && reflect.DeepEqual(fast.Rounds[len(fast.Rounds)-1].Positions, fast.Rounds[len(fast.Rounds)-3].Positions) {
				cycles++
			}
		}
	}
	if cycles < 20 {
		t.Errorf("only %d runs ended in a cycle: the test does not exercise the replay", cycles)
	}
}

// TestSharedPowersMatchDirect checks the distances and utilities computed
// once per distinct position against the direct formulas, bit for bit, on
// inputs with many shared positions (and a signed zero).
func TestSharedPowersMatchDirect(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	for range 50 {
		n := 2 + rng.IntN(15)
		in := gridInput(rng, n, 4)
		in.x[0] = math.Copysign(0, -1)
		if spread(in.x) == 0 {
			continue // the model stops at once with agreement
		}
		st := newScholz(in)
		for i := range st.r {
			st.r[i] = 0.5 + 1.5*rng.Float64()
		}
		got := st.distances(false)
		for a := range n {
			for k := range n {
				d := math.Abs(st.x[k]-st.x[a]) / st.span
				if d != 0 {
					d = math.Pow(d, st.r[k])
				}
				if got[a][k] != d {
					t.Fatalf("t[%d][%d] = %v, direct %v", a, k, got[a][k], d)
				}
			}
		}
		moves := st.offers()
		for i, m := range moves {
			if m.kind == "" {
				continue
			}
			// The move's expected utilities, recomputed directly.
			j := m.partner
			num, total := st.numerators(st.distances(false)), st.denominator(st.distances(false))
			if eij := st.eu(i, j, st.r[i], st.prob(num, total, i, j)); eij != m.eu {
				t.Fatalf("E(U_%d%d) = %v, direct %v", i, j, m.eu, eij)
			}
		}
	}
}
