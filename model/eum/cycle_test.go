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

// TestSharedPowersMatchDirect checks the prefix table, whose powers share
// one logarithm per distinct position, against running sums of the direct
// formula (d^r = exp(r log d), each voter's logarithm taken anew), and each move's expected utility against eq. 25a evaluated
// directly, bit for bit, on inputs with many shared positions (and a
// signed zero).
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
		st.ranked.reset(st.x, st.w)
		for i := range st.r {
			st.r[i] = 0.5 + 1.5*rng.Float64()
		}
		moves := st.offers()
		for u, xu := range st.vals {
			var acc float64
			for k, j := range st.order {
				d := math.Abs(st.x[j]-xu) / st.span
				if d != 0 {
					d = math.Exp(st.r[j] * math.Log(d))
				}
				acc += st.w[j] * d
				if got := st.prefixRow(u)[k+1]; got != acc {
					t.Fatalf("P_%d(%d) = %v, direct %v", u, k+1, got, acc)
				}
			}
		}
		sc := new(rowScratch).size(len(st.vals), n)
		for i, m := range moves {
			if m.kind == "" {
				continue
			}
			// The move's expected utility, recomputed directly.
			j := m.partner
			u, v := st.at[i], st.at[j]
			st.mids(u, sc.below, sc.above)
			forI, _ := st.votesFor(u, v, sc.below[v], sc.above[v])
			d := 0.5 * math.Abs(st.x[i]-st.x[j]) / st.span
			ri := st.r[i]
			uS, uF := 2-4*math.Exp(ri*math.Log(0.5-d)), 2-4*math.Exp(ri*math.Log(0.5+d))
			if eij := st.euFrom(j, forI/st.total, uS, uF, statusQuoUtility(ri)); eij != m.eu {
				t.Fatalf("E(U_%d%d) = %v, direct %v", i, j, m.eu, eij)
			}
		}
	}
}
