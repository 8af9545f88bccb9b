package backtest

import (
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/parley-project/parley/numeric"
)

// Learner is a model learned from issues: fitted to the cases and
// outcomes of training issues, it forecasts others from their cases
// alone. The backtest evaluates every learner in the ensemble's
// cross-validation (the same folds, grouped by proposal): all fitting and
// tuning sees the training folds only.
type Learner interface {
	// Name is the learner's model name and variant in the report.
	Name() (model, variant string)
	// Fit learns from the training cases and their outcomes; seed seeds
	// any inner cross-validation.
	Fit(cases []*Case, y []float64, seed uint64) Fitted
}

// Fitted is a learner fitted to training issues.
type Fitted interface {
	// Predict forecasts an issue.
	Predict(c *Case) Prediction
	// Params are the learned parameters by name, for the report.
	Params() map[string]float64
}

// Prediction is a forecast: a point, and for models that give one a
// predictive distribution (whose median is the point).
type Prediction struct {
	Point float64
	Dist  *Distribution
}

// Distribution is a discrete predictive distribution: probability P[k] at
// X[k], X ascending. Continuous parts are represented on a fine grid.
type Distribution struct {
	X, P []float64
}

// newDistribution sorts atoms by position, merging equal positions.
func newDistribution(x, p []float64) *Distribution {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return x[idx[a]] < x[idx[b]] })
	d := &Distribution{}
	for _, i := range idx {
		if n := len(d.X); n > 0 && d.X[n-1] == x[i] {
			d.P[n-1] += p[i]
			continue
		}
		d.X, d.P = append(d.X, x[i]), append(d.P, p[i])
	}
	return d
}

// Median is the lower median: the first position at which the cumulative
// probability reaches one half. It minimises the expected absolute error.
func (d *Distribution) Median() float64 {
	var total float64
	for _, p := range d.P {
		total += p
	}
	var cum float64
	for k, p := range d.P {
		cum += p
		if cum >= total/2 {
			return d.X[k]
		}
	}
	return d.X[len(d.X)-1]
}

// CRPS is the continuous ranked probability score of the distribution for
// outcome y, ∫ (F(z) − 1{z ≥ y})² dz = E|X − y| − ½ E|X − X′| (Gneiting &
// Raftery 2007, §4.2), on the scale of y; for a point forecast it is the
// absolute error. Over the sorted atoms ½ E|X − X′| = Σ_{k<l} P_k P_l
// (X_l − X_k) = Σ_l P_l (X_l F_{l−1} − M_{l−1}), with F and M the running
// sums of P and P·X, so one pass suffices. The probabilities must sum to 1.
func (d *Distribution) CRPS(y float64) float64 {
	var e, pair, cumP, cumPX float64
	for k, x := range d.X {
		p := d.P[k]
		e += p * math.Abs(x-y)
		pair += p * (x*cumP - cumPX)
		cumP += p
		cumPX += p * x
	}
	return e - pair // ½ E|X − X′| = Σ_{k<l} P_k P_l (X_l − X_k)
}

// learnerResult is a learner's out-of-fold forecasts of every issue.
type learnerResult struct {
	point  []float64
	dist   []*Distribution
	params map[string]float64
}

// crossValidateLearner fits the learner on the training folds of each of
// the k folds (proposals dealt to folds as by the ensemble, with the same
// seed) and forecasts the test fold; params are averaged over the folds.
func crossValidateLearner(l Learner, cases []Case, y []float64, group []int, groups, folds int, seed uint64, workers int) learnerResult {
	k := min(folds, groups)
	fold := assignFolds(group, groups, k, seed)
	out := learnerResult{point: make([]float64, len(y)), dist: make([]*Distribution, len(y)), params: map[string]float64{}}
	params := make([]map[string]float64, k)
	numeric.ParallelFor(k, workers, func(f int) {
		train, test := split(fold, f)
		tc := make([]*Case, len(train))
		for j, i := range train {
			tc[j] = &cases[i]
		}
		fit := l.Fit(tc, sub(y, train), seed^(uint64(f+1)*0x9e3779b97f4a7c15))
		for _, i := range test {
			p := fit.Predict(&cases[i])
			out.point[i], out.dist[i] = p.Point, p.Dist
		}
		params[f] = fit.Params()
	})
	for _, p := range params {
		for name, v := range p {
			out.params[name] += v / float64(k)
		}
	}
	return out
}

// innerLoss is the out-of-fold MAE of each of a learner's settings on
// training issues, from an inner k-fold cross-validation grouped by
// proposal (seeded by seed): fit(s, cases, y) fits setting s. It is how
// learners tune a setting without looking at the outer test fold.
func innerLoss(cases []*Case, y []float64, settings int, seed uint64, fit func(s int, cases []*Case, y []float64) Fitted) []float64 {
	ids := map[int]int{}
	g := make([]int, len(cases))
	for i, c := range cases {
		p := c.Proposal
		if _, ok := ids[p]; !ok {
			ids[p] = len(ids)
		}
		g[i] = ids[p]
	}
	loss := make([]float64, settings)
	k := min(InnerFolds, len(ids))
	if k < 2 {
		return loss
	}
	fold := assignFolds(g, len(ids), k, seed)
	for f := range k {
		train, test := split(fold, f)
		tc, ty := sub(cases, train), sub(y, train)
		for s := range settings {
			m := fit(s, tc, ty)
			for _, i := range test {
				loss[s] += math.Abs(m.Predict(cases[i]).Point - y[i])
			}
		}
	}
	return loss
}

// argminLoss returns the setting with the lowest loss; ties (within
// 1e-9) go to the earlier setting, so settings are listed from the most
// conservative.
func argminLoss(loss []float64) int {
	best := 0
	for s, v := range loss {
		if v < loss[best]-1e-9 {
			best = s
		}
	}
	return best
}

// trainingMAE is Σ |f(c) − y| over the training cases.
func trainingMAE(cases []*Case, y []float64, f func(c *Case) float64) float64 {
	var s float64
	for i, c := range cases {
		s += math.Abs(f(c) - y[i])
	}
	return s
}

// LearnerNames lists the learners the backtest can cross-validate, by
// their report name (model:variant).
func LearnerNames() []string {
	var out []string
	for _, l := range Learners {
		out = append(out, learnerLabel(l))
	}
	return out
}

func learnerLabel(l Learner) string {
	m, v := l.Name()
	if v == "" {
		return m
	}
	return m + ":" + v
}

// ParseLearners reads a comma-separated list of learner names (as
// LearnerNames gives them), "all" or "none".
func ParseLearners(list string) ([]Learner, error) {
	list = strings.TrimSpace(list)
	switch list {
	case "", "none":
		return nil, nil
	case "all":
		return slices.Clone(Learners), nil
	}
	var out []Learner
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		i := slices.IndexFunc(Learners, func(l Learner) bool { return learnerLabel(l) == name })
		if i < 0 {
			return nil, &unknownLearnerError{name}
		}
		out = append(out, Learners[i])
	}
	return out, nil
}

type unknownLearnerError struct{ name string }

func (e *unknownLearnerError) Error() string {
	return "unknown learned model \"" + e.name + "\" (have " + strings.Join(LearnerNames(), ", ") + ", all, none)"
}
