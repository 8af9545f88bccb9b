package eum

import (
	"context"
	"sync"

	"github.com/parley-project/parley/numeric"
)

// rowScratch is the working memory of one row of a round (one distinct
// position u of ranked): for every other distinct position v, the ranks
// that split the voters at the midpoint of u and v (below, above), the
// probabilities of success both ways, the logarithms of the bases of
// eqs. 15–16, and the utilities of the actor being served; and, for every
// actor, its utilities at u as a partner and one row of expected
// utilities. Each variant uses the parts it needs.
type rowScratch struct {
	below, above   []int
	pFor, pAgainst []float64 // P(x_u beats x_v), P(x_v beats x_u)
	logS, logF     []float64
	own            []utilities // the current actor's at each v
	euJI           []float64
	partner        []utilities // each actor's at u, by rank
	eRow           []float64   // by actor
	from, to       int         // the positions prepared so far
	cands          []candidate // the paper variant's offers to one actor
}

// size returns the scratch with room for m distinct positions and n actors.
func (sc *rowScratch) size(m, n int) *rowScratch {
	sc.below, sc.above = numeric.Resize(sc.below, m), numeric.Resize(sc.above, m)
	sc.pFor, sc.pAgainst = numeric.Resize(sc.pFor, m), numeric.Resize(sc.pAgainst, m)
	sc.logS, sc.logF = numeric.Resize(sc.logS, m), numeric.Resize(sc.logF, m)
	sc.own, sc.euJI = numeric.Resize(sc.own, m), numeric.Resize(sc.euJI, m)
	sc.partner, sc.eRow = numeric.Resize(sc.partner, n), numeric.Resize(sc.eRow, n)
	return sc
}

// utilities are an actor's utilities of a challenge at one distance, as
// eq. 25a combines them: success (eq. 15), failure (eq. 16) and, in the
// paper variant with Q < 1, the change of the status quo,
// T U_b + (1 − T) U_w (eqs. 7, 22–23).
type utilities struct{ success, failure, change float64 }

// rowsBlock is how many neighbouring distinct positions a worker takes at
// once: their rows read nearby data.
const rowsBlock = 16

// forRows calls f(st, sc, u) for every distinct position u < m, spread
// over the workers in blocks of neighbouring positions, each block with a
// scratch sc sized for m positions and n actors: own with one worker
// (which loops here and makes no closure: a sweep runs millions of rounds
// on one worker), from pool with more. f may write only to the entries of
// u and of the actors at u, so results never depend on the workers. Once
// ctx has ended the remaining rows are skipped: the round is cut short and
// its result discarded (trajectory.run).
func forRows[T any](ctx context.Context, st T, m, n, workers int, own *rowScratch, pool *sync.Pool, f func(T, *rowScratch, int)) {
	if workers == 1 {
		sc := own.size(m, n)
		for u := range m {
			if ctx.Err() != nil {
				return
			}
			f(st, sc, u)
		}
		return
	}
	numeric.ParallelFor((m+rowsBlock-1)/rowsBlock, workers, func(b int) {
		if ctx.Err() != nil {
			return
		}
		sc, _ := pool.Get().(*rowScratch)
		if sc == nil {
			sc = new(rowScratch)
		}
		sc.size(m, n)
		for u := b * rowsBlock; u < min(m, (b+1)*rowsBlock); u++ {
			f(st, sc, u)
		}
		pool.Put(sc)
	})
}
