package smp

import (
	"context"
	"fmt"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/scenario"
)

// Challenges is the SMP's view of who gains by challenging whom after a
// turn of a run: KTAB's quad map (SMPQ quadmap.cpp, SMPModel::
// getQuadMapPoint), whose points are h's estimate of the expected change
// in actor k's utility if actor i challenges actor j (S9 in
// docs/models/smp.md, smpbcn.cpp SMPState::probEduChlg), computed by the
// same code the turns run. It is not safe for concurrent use.
type Challenges struct {
	IDs []string
	// Turn is the turn whose resulting state is viewed (0: the start);
	// Turns the number of turns the run played up to it.
	Turn int
	e    *engine
	td   *turnData
	ut   map[int][2][]float64 // each perceiver's utilities, as perspective fills them
}

// Challenges runs the model up to the state after the given turn (0: the
// starting positions) and returns the challenges of that state, with the
// number of turns the run played; it fails when the run stopped, by
// KTAB's rule, before that turn.
func (m Model) Challenges(ctx context.Context, sc *scenario.Scenario, opt model.Options, turn int) (*Challenges, error) {
	e, _, rounds, err := m.engine(ctx, sc, opt)
	if err != nil {
		return nil, err
	}
	if turn < 0 || turn > rounds {
		return nil, fmt.Errorf("turn %d is outside the run's 0 to %d turns", turn, rounds)
	}
	hist, _, err := e.run(turn, nil)
	if err != nil {
		return nil, err
	}
	if len(hist) <= turn {
		return nil, fmt.Errorf("turn %d is beyond the run: it stopped by KTAB's rule after %d turns", turn, len(hist)-1)
	}
	td, err := e.utilities(hist[turn])
	if err != nil {
		return nil, err
	}
	c := &Challenges{Turn: turn, e: e, td: td, ut: map[int][2][]float64{}}
	for _, a := range sc.Actors {
		c.IDs = append(c.IDs, a.ID)
	}
	return c, nil
}

// Gain returns ΔEU^h_k(i→j): h's estimate of the expected change in k's
// utility if i challenges j (S9). KTAB's quad map plots, for initiator i
// and each receiver j, Gain(i, i, i, j) against Gain(j, j, i, j) in its
// objective perspective.
func (c *Challenges) Gain(h, k, i, j int) float64 {
	n := c.e.in.n
	u, ok := c.ut[h]
	if !ok {
		u = [2][]float64{make([]float64, n*n), make([]float64, n)}
		for x := range n {
			c.e.perspectiveRow(c.td, h, x, u[0])
		}
		c.e.perspectiveDiag(c.td, h, u[1])
		c.ut[h] = u
	}
	_, du := c.e.probEduChlg(u[0], u[1], k, i, j)
	return du
}
