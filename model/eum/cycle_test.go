package eum

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/parley-project/parley/model"
)

// plain hides the memoryless marker, so simulate computes every round.
type plain struct{ simulator }

// TestCycleReplayIdentical checks that copying the rounds of a position
// cycle gives exactly the result of computing them, on random inputs with
// few distinct positions (where cycles are common) and with many.
func TestCycleReplayIdentical(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	cycles := 0
	for trial := range 120 {
		n := 3 + rng.IntN(12)
		in := input{q: 1}
		levels := 3 + rng.IntN(8)
		if trial%3 == 0 {
			levels = 1000
		}
		for i := range n {
			in.ids = append(in.ids, string(rune('a'+i)))
			in.c = append(in.c, 1+rng.Float64()*99)
			in.s = append(in.s, 0.1+0.9*rng.Float64())
			in.x = append(in.x, float64(rng.IntN(levels))*100/float64(levels))
		}
		for _, stop := range []model.StopRule{{}, {Epsilon: 0.01, K: 3}} {
			fast := simulate(newScholz(in), in.ids, 15, stop)
			slow := simulate(plain{newScholz(in)}, in.ids, 15, stop)
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
