package backtest

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/parley-project/parley/numeric"
)

// Metrics are the accuracy measures of one set of forecasts.
type Metrics struct {
	N int `json:"n"`
	// MAE is the mean absolute error, RMSE the root mean squared error,
	// MedianAE the (lower) median absolute error, all on the 0–100 scale.
	MAE      float64 `json:"mae"`
	RMSE     float64 `json:"rmse"`
	MedianAE float64 `json:"median_ae"`
	// Within10 is the share of forecasts within 10 points of the outcome.
	Within10 float64 `json:"within10"`
}

// WithinPoints is the tolerance of Metrics.Within10.
const WithinPoints = 10

// measure computes the metrics of absolute errors e, each counted c[i]
// times (c nil counts each once).
func measure(e []float64, c []float64) Metrics {
	return measureSorted(e, ascending(e), c)
}

// ascending returns the indices of e in increasing order of value.
func ascending(e []float64) []int {
	order := make([]int, len(e))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(e[a], e[b]) })
	return order
}

// measureSorted is measure with the order of e given, so that the many
// bootstrap resamples of the same errors need no sorting: the median is
// the first error in order at which the cumulative count reaches half
// the total (the lower median, as numeric.WeightedMedian).
func measureSorted(e []float64, order []int, c []float64) Metrics {
	if c == nil {
		c = make([]float64, len(e))
		for i := range c {
			c[i] = 1
		}
	}
	var n, sa, ss, in float64
	for i, v := range e {
		n += c[i]
		sa += c[i] * v
		ss += c[i] * v * v
		if v <= WithinPoints {
			in += c[i]
		}
	}
	if n == 0 {
		return Metrics{MAE: math.NaN(), RMSE: math.NaN(), MedianAE: math.NaN(), Within10: math.NaN()}
	}
	med, cum := math.NaN(), 0.0
	for _, i := range order {
		cum += c[i]
		if c[i] > 0 && cum >= n/2 {
			med = e[i]
			break
		}
	}
	return Metrics{N: int(n), MAE: sa / n, RMSE: math.Sqrt(ss / n), MedianAE: med, Within10: in / n}
}

// resamples draws b bootstrap resamples of the groups (proposals): each is
// a count per item of how often it is drawn. Resample r uses its own
// generator seeded with (seed, r), so the draws do not depend on the
// number of workers.
func resamples(group []int, groups, b int, seed uint64) [][]float64 {
	members := make([][]int, groups)
	for i, g := range group {
		members[g] = append(members[g], i)
	}
	out := make([][]float64, b)
	for r := range out {
		rng := rand.New(rand.NewPCG(seed, uint64(r)))
		c := make([]float64, len(group))
		for range groups {
			for _, i := range members[rng.IntN(groups)] {
				c[i]++
			}
		}
		out[r] = c
	}
	return out
}

// percentile returns the p-quantile (0..1) of sorted values with linear
// interpolation between order statistics.
func percentile(sorted []float64, p float64) float64 {
	return numeric.QuantileAt(int64(len(sorted)), p, func(k int64) float64 { return sorted[k] })
}

// interval returns the central 95% percentile interval of the values.
func interval(v []float64) [2]float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	return [2]float64{percentile(s, 0.025), percentile(s, 0.975)}
}
