package backtest

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/parley-project/parley/numeric"
)

// Ensemble is a stacked forecast: a convex combination Σ_j w_j f_j of the
// models' forecasts and the reference point (w_j ≥ 0, Σ w_j = 1), with the
// weights chosen to minimise the mean absolute error on training issues
// and then shrunk towards a prior weight vector by a factor α that is
// itself chosen by an inner cross-validation on the training issues only.
type Ensemble struct {
	// Folds is K of the outer (and inner) K-fold cross-validation.
	Folds int
	// Alphas are the shrinkage factors tried: w = (1−α) ŵ + α prior.
	Alphas []float64
	// Seed seeds the assignment of proposals to folds.
	Seed uint64
	// Workers bounds the goroutines fitting the outer folds in parallel
	// (0: one per CPU); results never depend on it.
	Workers int
}

// InnerFolds bounds K of the inner cross-validation that chooses α.
const InnerFolds = 5

// DefaultAlphas are the shrinkage factors the inner cross-validation
// chooses from.
var DefaultAlphas = []float64{0, 0.25, 0.5, 0.75, 1}

// CVResult is the outcome of a cross-validated ensemble.
type CVResult struct {
	// Forecast holds each issue's out-of-fold forecast.
	Forecast []float64
	// Fold holds each issue's test fold.
	Fold []int
	// Weights are the fitted weights averaged over the outer folds, and
	// Alpha the shrinkage chosen in each fold.
	Weights []float64
	Alpha   []float64
}

// CrossValidate evaluates the ensemble: X[i] are issue i's features
// (forecasts), y[i] its outcome, group[i] its proposal (0..groups-1) and
// prior the weights to shrink towards. No proposal has issues both in a
// training and in the matching test fold, and every choice (weights and
// α) is made on the training folds alone.
func (e Ensemble) CrossValidate(X [][]float64, y []float64, group []int, groups int, prior []float64) CVResult {
	return e.CrossValidateStrata(X, y, group, groups, prior, nil)
}

// CrossValidateStrata is CrossValidate with a separate ensemble (weights
// and α) fitted for each stratum (stratum[i] of issue i, e.g. its Council
// voting rule; nil: one stratum) on the training issues of that stratum,
// with the same outer folds. A stratum with no training issues in a fold
// gets the prior. Weights are averaged over folds and strata, each fit
// counted by its share of the fold's test issues; Alpha lists the α of
// each fold, stratum by stratum.
func (e Ensemble) CrossValidateStrata(X [][]float64, y []float64, group []int, groups int, prior []float64, stratum []int) CVResult {
	k := min(e.Folds, groups)
	fold := assignFolds(group, groups, k, e.Seed)
	if stratum == nil {
		stratum = make([]int, len(y))
	}
	strata := slices.Max(append([]int{0}, stratum...)) + 1
	out := CVResult{Forecast: make([]float64, len(y)), Fold: fold, Weights: make([]float64, len(prior))}
	// Each (fold, stratum) fit is independent and writes only its own
	// slot; the weights are then summed in a fixed order, so the result
	// does not depend on the number of workers.
	type fit struct {
		w      []float64
		alpha  float64
		share  float64
		tested bool
	}
	fits := make([]fit, k*strata)
	numeric.ParallelFor(k*strata, e.Workers, func(j int) {
		f, s := j/strata, j%strata
		train, test := split(fold, f)
		in := func(i int) bool { return stratum[i] == s }
		tr, te := slices.Clone(train), slices.Clone(test)
		tr, te = slices.DeleteFunc(tr, func(i int) bool { return !in(i) }), slices.DeleteFunc(te, func(i int) bool { return !in(i) })
		if len(te) == 0 {
			return
		}
		w, alpha := prior, 1.0
		if len(tr) > 0 {
			salt := uint64(f*strata+s) + 1
			alpha = e.chooseAlpha(sub(X, tr), sub(y, tr), sub(group, tr), prior, salt)
			w = shrink(fitL1(sub(X, tr), sub(y, tr), prior), prior, alpha)
		}
		for _, i := range te {
			out.Forecast[i] = dot(w, X[i])
		}
		fits[j] = fit{w: w, alpha: alpha, share: float64(len(te)) / float64(len(test)) / float64(k), tested: true}
	})
	for _, ft := range fits {
		if !ft.tested {
			continue
		}
		for j := range ft.w {
			out.Weights[j] += ft.w[j] * ft.share
		}
		out.Alpha = append(out.Alpha, ft.alpha)
	}
	return out
}

// Select is model selection by cross-validation: in each outer fold it
// picks, among the candidate columns of X, the one with the lowest MAE on
// the training issues (ties: the earlier candidate) and forecasts the
// test issues with it. It is how a model's tuning parameter (a variant)
// is learned without looking at the test fold. Weights[j] is the share
// of folds that chose column j.
func (e Ensemble) Select(X [][]float64, y []float64, group []int, groups int, cand []int) CVResult {
	k := min(e.Folds, groups)
	fold := assignFolds(group, groups, k, e.Seed)
	out := CVResult{Forecast: make([]float64, len(y)), Fold: fold, Weights: make([]float64, len(X[0]))}
	for f := range k {
		train, test := split(fold, f)
		best, bestLoss := cand[0], math.Inf(1)
		for _, j := range cand {
			var loss float64
			for _, i := range train {
				loss += math.Abs(X[i][j] - y[i])
			}
			if loss < bestLoss-1e-9 {
				best, bestLoss = j, loss
			}
		}
		for _, i := range test {
			out.Forecast[i] = X[i][best]
		}
		out.Weights[best] += 1 / float64(k)
	}
	return out
}

// chooseAlpha picks the shrinkage with the lowest inner-CV MAE on the
// training issues (ties: the larger α, the more conservative).
func (e Ensemble) chooseAlpha(X [][]float64, y []float64, group []int, prior []float64, salt uint64) float64 {
	alphas := e.Alphas
	if len(alphas) == 0 {
		alphas = DefaultAlphas
	}
	// Renumber the training proposals 0..g-1.
	ids := map[int]int{}
	g := make([]int, len(group))
	for i, p := range group {
		if _, ok := ids[p]; !ok {
			ids[p] = len(ids)
		}
		g[i] = ids[p]
	}
	k := min(e.Folds, InnerFolds, len(ids))
	if k < 2 {
		return alphas[len(alphas)-1]
	}
	fold := assignFolds(g, len(ids), k, e.Seed^(salt*0x9e3779b97f4a7c15))
	loss := make([]float64, len(alphas))
	for f := range k {
		train, test := split(fold, f)
		w := fitL1(sub(X, train), sub(y, train), prior)
		for a, alpha := range alphas {
			ws := shrink(w, prior, alpha)
			for _, i := range test {
				loss[a] += math.Abs(dot(ws, X[i]) - y[i])
			}
		}
	}
	best := len(alphas) - 1
	for a := len(alphas) - 1; a >= 0; a-- {
		if loss[a] < loss[best]-1e-9 {
			best = a
		}
	}
	return alphas[best]
}

// assignFolds shuffles the groups with a generator seeded by seed and
// deals them round-robin to k folds; every item gets its group's fold.
func assignFolds(group []int, groups, k int, seed uint64) []int {
	perm := rand.New(rand.NewPCG(seed, 0x5eed)).Perm(groups)
	gf := make([]int, groups)
	for pos, g := range perm {
		gf[g] = pos % k
	}
	fold := make([]int, len(group))
	for i, g := range group {
		fold[i] = gf[g]
	}
	return fold
}

func split(fold []int, f int) (train, test []int) {
	for i, v := range fold {
		if v == f {
			test = append(test, i)
		} else {
			train = append(train, i)
		}
	}
	return train, test
}

func sub[T any](v []T, idx []int) []T {
	out := make([]T, len(idx))
	for k, i := range idx {
		out[k] = v[i]
	}
	return out
}

func dot(w, x []float64) float64 {
	var s float64
	for j := range w {
		s += w[j] * x[j]
	}
	return s
}

func shrink(w, prior []float64, alpha float64) []float64 {
	out := make([]float64, len(w))
	for j := range w {
		out[j] = (1-alpha)*w[j] + alpha*prior[j]
	}
	return out
}

// fitL1 finds simplex weights minimising Σ_i |y_i − Σ_j w_j X_ij| by
// pairwise coordinate descent from the start vector: moving mass t from
// weight j to weight k changes the loss to Σ_i |r_i − t d_i| with
// d_i = X_ik − X_ij, a convex piecewise-linear function of t whose
// minimiser is the |d_i|-weighted median of r_i/d_i, clamped to the
// feasible range. Sweeps over all pairs repeat until no move lowers the
// loss. The loss is not smooth, so this may stop short of the exact
// optimum; the cross-validation measures what it achieves.
func fitL1(X [][]float64, y []float64, start []float64) []float64 {
	w := slices.Clone(start)
	m := len(w)
	if len(X) == 0 {
		return w
	}
	n := len(y)
	// The columns of X, contiguous: each move reads two of them.
	col := make([][]float64, m)
	for j := range col {
		col[j] = make([]float64, n)
		for i := range n {
			col[j][i] = X[i][j]
		}
	}
	r := make([]float64, n) // residuals y − Xw
	for i := range y {
		r[i] = y[i] - dot(w, X[i])
	}
	loss := func() float64 {
		var s float64
		for _, v := range r {
			s += math.Abs(v)
		}
		return s
	}
	cur := loss()
	d := make([]float64, n)
	var sel numeric.MedianSelector
	for sweep := 0; sweep < 100; sweep++ {
		improved := false
		for j := range m {
			for k := range m {
				if j == k || w[j] == 0 {
					continue
				}
				sel.Reset()
				xk, xj := col[k], col[j]
				for i := range d {
					d[i] = xk[i] - xj[i]
					if d[i] != 0 {
						sel.Add(r[i]/d[i], math.Abs(d[i]))
					}
				}
				if sel.Len() == 0 {
					continue
				}
				// The weighted median, clamped to the feasible range.
				t := sel.MedianClamped(0, w[j])
				if t == 0 {
					continue
				}
				var next float64
				for i := range d {
					next += math.Abs(r[i] - t*d[i])
				}
				if next < cur-1e-9 {
					w[j] -= t
					w[k] += t
					for i := range d {
						r[i] -= t * d[i]
					}
					cur = next
					improved = true
				}
			}
		}
		if !improved {
			break
		}
	}
	return w
}

// groupIndex numbers the distinct keys in order of first appearance.
func groupIndex(keys []string) (idx []int, n int) {
	ids := map[string]int{}
	idx = make([]int, len(keys))
	for i, k := range keys {
		v, ok := ids[k]
		if !ok {
			v = len(ids)
			ids[k] = v
		}
		idx[i] = v
	}
	return idx, len(ids)
}
