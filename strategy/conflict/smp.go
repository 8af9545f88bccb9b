package conflict

import (
	"context"
	"fmt"

	"github.com/parley-project/parley/model/smp"
)

// The SMP's relations, KTAB's four quadrants of its quad map: the
// initiator's expected change of utility from challenging (A) against the
// receiver's (B).
const (
	BothGain  = "both gain"        // KTAB's green quadrant
	Resisted  = "i gains, j loses" // red: a challenge j has reason to resist
	NotWorth  = "j gains, i loses" // yellow
	BothLose  = "both lose"        // grey
	smpGlobal = "all issues"
)

// Quadrant names a point of KTAB's quad map.
func Quadrant(a, b float64) string {
	switch {
	case a > tiny && b > tiny:
		return BothGain
	case a > tiny:
		return Resisted
	case b > tiny:
		return NotWorth
	}
	return BothLose
}

// smpView is the SMP's view: every issue at once, after the given turn.
func smpView(ctx context.Context, cfg Config) (*Issue, error) {
	sc := cfg.Scenario
	c, err := smp.Model{}.Challenges(ctx, sc, cfg.Options, cfg.Round)
	if err != nil {
		return nil, err
	}
	out := &Issue{ID: "", Name: smpGlobal}
	h := -1
	for i, a := range sc.Actors {
		out.Actors = append(out.Actors, Actor{ID: a.ID, Name: a.DisplayName(), Capability: a.Capability.Value})
		if a.ID == cfg.Perspective {
			h = i
		}
	}
	n := len(sc.Actors)
	if n < 2 {
		return nil, fmt.Errorf("the SMP view needs at least two actors")
	}
	// gain(i, j, k): the expected change in k's utility if i challenges
	// j, as k itself (objective) or the perceiver sees it.
	gain := func(i, j, k int) float64 {
		if h >= 0 {
			return c.Gain(h, k, i, j)
		}
		return c.Gain(k, k, i, j)
	}
	for i := range n {
		for j := range n {
			if i == j {
				continue
			}
			p := Pair{I: sc.Actors[i].ID, J: sc.Actors[j].ID, A: gain(i, j, i), B: gain(i, j, j)}
			p.Relation = Quadrant(p.A, p.B)
			if p.A > tiny {
				p.Ahead = p.I
			}
			out.Pairs = append(out.Pairs, p)
		}
	}
	for i := range n {
		for j := i + 1; j < n; j++ {
			ij, ji := out.Pairs[pairIndex(n, i, j)], out.Pairs[pairIndex(n, j, i)]
			if ij.A <= tiny || ji.A <= tiny {
				continue
			}
			ci, cj := sc.Actors[i].Capability.Value, sc.Actors[j].Capability.Value
			out.Mutual = append(out.Mutual, Mutual{A: ij.I, B: ij.J, EUA: ij.A, EUB: ji.A,
				Capability: ci + cj, Weight: ci + cj})
		}
	}
	rank(out.Mutual)
	return out, nil
}
