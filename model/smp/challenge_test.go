package smp

import (
	"context"
	"testing"

	"github.com/parley-project/parley/model"
)

// TestChallengesPickTargets checks that the challenges of a state are the
// numbers the turn itself uses: every actor's challenge goes to the
// receiver with the largest Gain(i, i, i, j) above KTAB's least gain, and
// none is made when no gain reaches it.
func TestChallengesPickTargets(t *testing.T) {
	for seed := uint64(1); seed <= 6; seed++ {
		sc := randomScenario(seed, 6+int(seed), 1+int(seed)%3)
		for turn := 0; turn <= 2; turn++ {
			c, err := Model{}.Challenges(context.Background(), sc, model.Options{Workers: 1}, turn)
			if err != nil {
				t.Fatal(err)
			}
			e, _, _, _ := Model{}.engine(context.Background(), sc, model.Options{Workers: 1})
			hist, _, err := e.run(turn, nil)
			if err != nil || len(hist) <= turn {
				t.Fatalf("seed %d turn %d: %v (%d states)", seed, turn, err, len(hist))
			}
			td, _ := e.utilities(hist[turn])
			n := len(sc.Actors)
			cs := newChallengeScratch(n)
			for i := range n {
				bs := e.challenge(hist[turn], td, i, cs)
				best, bestJ := minSigEDU, -1
				for j := range n {
					if j != i && c.Gain(i, i, i, j) > best {
						best, bestJ = c.Gain(i, i, i, j), j
					}
				}
				switch {
				case bestJ < 0 && len(bs) != 0:
					t.Fatalf("seed %d turn %d: %s challenges %d though no gain reaches %g", seed, turn, c.IDs[i], bs[0].rcvr, minSigEDU)
				case bestJ >= 0 && (len(bs) == 0 || bs[0].rcvr != bestJ):
					t.Fatalf("seed %d turn %d: %s's best target is %d by Gain, the turn challenges %v", seed, turn, c.IDs[i], bestJ, bs)
				}
			}
		}
	}
}

func TestChallengesBeyondTheRun(t *testing.T) {
	sc := randomScenario(3, 5, 1)
	res, err := Model{}.Run(context.Background(), sc, model.Options{})
	if err != nil {
		t.Fatal(err)
	}
	played := len(res.Issues[0].Rounds) - 1
	if _, err := (Model{}).Challenges(context.Background(), sc, model.Options{}, played+1); err == nil {
		t.Errorf("turn %d accepted after a run of %d turns", played+1, played)
	}
	if _, err := (Model{}).Challenges(context.Background(), sc, model.Options{}, played); err != nil {
		t.Error(err)
	}
}
