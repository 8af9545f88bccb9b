package exchange

import (
	"fmt"

	"github.com/parley-project/parley/scenario"
)

// state is the data of one round: per actor a and issue q (index
// a*nI+q) the position, salience and power, and per issue the weight sum.
type state struct {
	nA, nI int
	has    []bool
	x      []float64
	s      []float64
	c      []float64
	den    []float64 // Σ_a c_aq s_aq
	num    []float64 // Σ_a c_aq s_aq x_aq at the round's start
}

func (st *state) at(a, q int) int { return a*st.nI + q }

// maxCount is the most actors and issues the engine indexes (ratedKey
// packs them in 16 bits).
const maxCount = 1<<16 - 1

// newState reads the scenario into the engine's arrays, positions on 0–100.
func newState(sc *scenario.Scenario) (*state, error) {
	st := &state{nA: len(sc.Actors), nI: len(sc.Issues)}
	if st.nA > maxCount || st.nI > maxCount {
		return nil, fmt.Errorf("the exchange model takes at most %d actors and %d issues; the scenario has %d and %d", maxCount, maxCount, st.nA, st.nI)
	}
	n := st.nA * st.nI
	st.has, st.x, st.s, st.c = make([]bool, n), make([]float64, n), make([]float64, n), make([]float64, n)
	st.den, st.num = make([]float64, st.nI), make([]float64, st.nI)
	for q := range sc.Issues {
		is := &sc.Issues[q]
		if !(is.Max > is.Min) {
			return nil, fmt.Errorf("issue %q: scale maximum %v must exceed minimum %v", is.ID, is.Max, is.Min)
		}
		sh := sc.Stakeholders(is.ID)
		if len(sh) == 0 {
			return nil, fmt.Errorf("issue %q: no actor holds a position", is.ID)
		}
		for _, h := range sh {
			a := actorIndex(sc, h.ID)
			k := st.at(a, q)
			st.has[k] = true
			st.x[k] = norm(is, h.Position)
			st.s[k] = h.Salience
			st.c[k] = h.Capability
			st.den[q] += h.Capability * h.Salience
		}
	}
	return st, nil
}

func actorIndex(sc *scenario.Scenario, id string) int {
	for i := range sc.Actors {
		if sc.Actors[i].ID == id {
			return i
		}
	}
	return -1
}

// norm maps a position on the issue's scale to 0–100, as Decide does with
// the #M range of the issue.
func norm(is *scenario.Issue, v float64) float64 { return (v - is.Min) * (100 / (is.Max - is.Min)) }

func denorm(is *scenario.Issue, v float64) float64 { return v/(100/(is.Max-is.Min)) + is.Min }
