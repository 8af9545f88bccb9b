package sensitivity

import (
	"fmt"
	"math"
	"sync/atomic"

	"github.com/parley-project/parley/numeric"
	"github.com/parley-project/parley/sweep"
)

// Indices are the variance-based sensitivity indices of one output.
type Indices struct {
	// Variance is the output's variance over the sample (0 when the
	// output never changes; the indices are then 0).
	Variance float64
	// First and Total are the first-order and total Sobol indices of each
	// input.
	First, Total []float64
}

// Sobol estimates first-order and total Sobol indices of the m outputs
// of f, a function of k inputs uniform on [0, 1], from n base samples
// (n(k+2) evaluations), by the design of Saltelli et al. (2010), "Variance
// based sensitivity analysis of model output", Computer Physics
// Communications 181: matrices A and B of n rows, and for each input i
// the matrix A_B^(i), A with column i taken from B. With V the variance of
// f over the rows of A and B,
//
//	V_i  = (1/n) Σ_j f(B)_j (f(A_B^(i))_j − f(A)_j)        (Saltelli 2010, Table 2 (b))
//	V_Ti = (1/2n) Σ_j (f(A)_j − f(A_B^(i))_j)²              (Jansen 1999; Saltelli 2010, Table 2 (f))
//
// and S_i = V_i / V, S_Ti = V_Ti / V. f(B)_j in V_i is centred on the
// sample mean: since E[f(A_B^(i)) − f(A)] = 0 this leaves the estimator
// unbiased and removes the variance a large mean output adds to it. Row j of A and B is drawn from sweep.DrawRNG(seed, j), so
// the estimate does not depend on the number of workers. f is called
// concurrently and must write only its out argument.
func Sobol(k, m, n int, seed uint64, workers int, f func(x, out []float64) error) ([]Indices, error) {
	if k < 1 || m < 1 || n < 2 {
		return nil, fmt.Errorf("sobol: need k ≥ 1 inputs, m ≥ 1 outputs and n ≥ 2 samples (got %d, %d, %d)", k, m, n)
	}
	// fA[j*m+o], fB[j*m+o], fAB[(i*n+j)*m+o].
	fA, fB, fAB := make([]float64, n*m), make([]float64, n*m), make([]float64, k*n*m)
	errs := make([]error, n)
	var failed atomic.Bool // once a row fails, the rest are skipped
	numeric.ParallelFor(n, workers, func(j int) {
		if failed.Load() {
			return
		}
		buf := make([]float64, 3*k)
		a, b, x := buf[:k], buf[k:2*k], buf[2*k:]
		rng := sweep.DrawRNG(seed, j)
		for i := range a {
			a[i] = rng.Float64()
		}
		for i := range b {
			b[i] = rng.Float64()
		}
		err := f(a, fA[j*m:(j+1)*m])
		if err == nil {
			err = f(b, fB[j*m:(j+1)*m])
		}
		for i := 0; i < k && err == nil; i++ {
			copy(x, a)
			x[i] = b[i]
			err = f(x, fAB[(i*n+j)*m:(i*n+j+1)*m])
		}
		if err != nil {
			errs[j] = err
			failed.Store(true)
		}
	})
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	out := make([]Indices, m)
	for o := range m {
		// Variance of the 2n values of f(A) and f(B), two-pass.
		var mean float64
		for j := range n {
			mean += fA[j*m+o] + fB[j*m+o]
		}
		mean /= float64(2 * n)
		var v float64
		for j := range n {
			da, db := fA[j*m+o]-mean, fB[j*m+o]-mean
			v += da*da + db*db
		}
		v /= float64(2*n - 1)
		ix := Indices{Variance: v, First: make([]float64, k), Total: make([]float64, k)}
		if v > 1e-12*math.Max(1, mean*mean) {
			for i := range k {
				var s1, st float64
				for j := range n {
					fa, fb, fab := fA[j*m+o], fB[j*m+o], fAB[(i*n+j)*m+o]
					s1 += (fb - mean) * (fab - fa)
					st += (fa - fab) * (fa - fab)
				}
				ix.First[i] = s1 / float64(n) / v
				ix.Total[i] = st / float64(2*n) / v
			}
		} else {
			ix.Variance = 0
		}
		out[o] = ix
	}
	return out, nil
}
