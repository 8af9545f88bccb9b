package backtest

import (
	"fmt"
	"math"
	"slices"
	"sort"

	"gonum.org/v1/gonum/optimize"

	"github.com/parley-project/parley/backtest/deu3"
	"github.com/parley-project/parley/numeric"
)

// Learners are the learned models the backtest cross-validates (issue
// 18), each from what the literature or the data suggested might improve
// on the weighted mean; docs/accuracy.md says why each was tried and how
// it did.
var Learners = []Learner{
	institutionWeights{},
	referenceShift{},
	trimmedMean{},
	packageMean{},
	medianRegression{},
	focalMixture{},
	focalMixture{compromiseOnly: true},
}

// The DEU III scale.
const scaleMin, scaleMax float64 = 0, 100

func clampScale(v float64) float64 { return max(scaleMin, min(v, scaleMax)) }

// pointFit is a Fitted whose forecast is a function of the case.
type pointFit struct {
	f      func(c *Case) float64
	params map[string]float64
}

func (p pointFit) Predict(c *Case) Prediction { return Prediction{Point: p.f(c)} }
func (p pointFit) Params() map[string]float64 { return p.params }

// selectSetting returns the setting s of n with the lowest training MAE of
// f(s, ·) (ties: the earlier).
func selectSetting(cases []*Case, y []float64, n int, f func(s int, c *Case) float64) int {
	loss := make([]float64, n)
	for s := range n {
		loss[s] = trainingMAE(cases, y, func(c *Case) float64 { return f(s, c) })
	}
	return argminLoss(loss)
}

// institutionWeights is the weighted mean with the Commission's and the
// Parliament's weights multiplied by factors that depend on the
// legislative procedure: the literature finds the Parliament stronger
// under codecision than under consultation, and the Commission's agenda
// setting weaker once the Parliament co-decides (Tsebelis & Garrett 2000;
// Thomson & Hosli 2006). For each procedure the pair of factors with the
// lowest training MAE is chosen from InstitutionFactors² (ties: the first,
// 1 × 1, the plain mean).
type institutionWeights struct{}

// InstitutionFactors are the factors tried for the Commission's and the
// Parliament's weights, 1 (no change) first.
var InstitutionFactors = []float64{1, 0, 0.5, 2, 4, 8}

func (institutionWeights) Name() (string, string) { return "institutions", "procedure" }

// institutionMean is the weighted mean with the Commission's weight
// multiplied by fc and the Parliament's by fe.
func (c *Case) institutionMean(fc, fe float64) float64 {
	if fc == 1 && fe == 1 {
		return c.Mean
	}
	return c.weightedMeanBy(func(a int) float64 {
		switch c.ID[a] {
		case deu3.Commission:
			return fc
		case deu3.Parliament:
			return fe
		}
		return 1
	})
}

func (institutionWeights) Fit(cases []*Case, y []float64, _ uint64) Fitted {
	n := len(InstitutionFactors)
	factors := map[string][2]float64{}
	params := map[string]float64{}
	for _, proc := range []string{deu3.Codecision, deu3.Consultation} {
		var pc []*Case
		var py []float64
		for i, c := range cases {
			if c.Procedure == proc {
				pc, py = append(pc, c), append(py, y[i])
			}
		}
		s := selectSetting(pc, py, n*n, func(s int, c *Case) float64 {
			return c.institutionMean(InstitutionFactors[s/n], InstitutionFactors[s%n])
		})
		f := [2]float64{InstitutionFactors[s/n], InstitutionFactors[s%n]}
		factors[proc] = f
		params[deu3.Commission+" "+proc], params[deu3.Parliament+" "+proc] = f[0], f[1]
	}
	return pointFit{params: params, f: func(c *Case) float64 {
		f, ok := factors[c.Procedure]
		if !ok {
			return c.Mean
		}
		return c.institutionMean(f[0], f[1])
	}}
}

// referenceShift moves the weighted mean by a constant learned on the
// training issues: along the direction of change (away from the
// reference point when positive) on issues with a reference point, and
// up or down on those without. Each constant is the median of the
// training residuals (outcome − mean, signed by the direction), the L1
// optimum. Issues whose mean is the reference point keep the mean.
type referenceShift struct{}

func (referenceShift) Name() (string, string) { return "reference-shift", "" }

func (referenceShift) Fit(cases []*Case, y []float64, _ uint64) Fitted {
	var away, none []float64
	for i, c := range cases {
		switch {
		case !c.HasReference():
			none = append(none, y[i]-c.Mean)
		case c.direction() != 0:
			away = append(away, c.direction()*(y[i]-c.Mean))
		}
	}
	med := func(v []float64) float64 {
		if len(v) == 0 {
			return 0
		}
		return numeric.WeightedMedian(v, ones(len(v)))
	}
	da, dn := med(away), med(none)
	return pointFit{params: map[string]float64{"away from reference": da, "no reference": dn}, f: func(c *Case) float64 {
		if !c.HasReference() {
			return clampScale(c.Mean + dn)
		}
		return clampScale(c.Mean + da*c.direction())
	}}
}

func ones(n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = 1
	}
	return v
}

// trimmedMean is the weighted mean of the positions after cutting the
// weight share τ off each end of the weighted distribution of positions
// (a salience-weighted trimmed mean, between the mean, τ = 0, and the
// median, τ → ½), with τ chosen from TrimShares by training MAE.
type trimmedMean struct{}

// TrimShares are the trimming shares tried, 0 (the mean) first.
var TrimShares = []float64{0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3}

func (trimmedMean) Name() (string, string) { return "trimmed-mean", SelectVariant }

// trimmedMean is the weighted mean of the positions after removing weight
// share tau from each end.
func (c *Case) trimmedMean(tau float64) float64 {
	if tau == 0 {
		return c.Mean
	}
	idx := make([]int, len(c.X))
	var total float64
	for i := range idx {
		idx[i] = i
		total += c.W[i]
	}
	sort.SliceStable(idx, func(a, b int) bool { return c.X[idx[a]] < c.X[idx[b]] })
	lo, hi := tau*total, (1-tau)*total
	var cum, num, den float64
	for _, i := range idx {
		a, b := cum, cum+c.W[i]
		cum = b
		if part := min(b, hi) - max(a, lo); part > 0 {
			num += part * c.X[i]
			den += part
		}
	}
	if den <= 0 {
		return c.Mean
	}
	return num / den
}

func (trimmedMean) Fit(cases []*Case, y []float64, _ uint64) Fitted {
	s := selectSetting(cases, y, len(TrimShares), func(s int, c *Case) float64 { return c.trimmedMean(TrimShares[s]) })
	tau := TrimShares[s]
	return pointFit{params: map[string]float64{"trim share": tau}, f: func(c *Case) float64 { return c.trimmedMean(tau) }}
}

// packageMean links the issues of a proposal: an actor's weight on an
// issue is capability × salience × (its salience on the issue relative
// to its salience summed over the proposal's issues)^γ, so that, as in a
// package deal, actors count most on the issues they care about most
// within the proposal (the logic of vote trading, Coleman 1966, without
// the trades). γ = 0 is the mean; γ is chosen from PackageExponents by
// training MAE.
type packageMean struct{}

// PackageExponents are the exponents γ tried, 0 (the mean) first.
var PackageExponents = []float64{0, 0.25, 0.5, 1, 2}

func (packageMean) Name() (string, string) { return "package-mean", SelectVariant }

func (c *Case) packageMean(gamma float64) float64 {
	if gamma == 0 {
		return c.Mean
	}
	return c.weightedMeanBy(func(a int) float64 {
		if c.ProposalSalience[a] <= 0 {
			return 0
		}
		return math.Pow(c.S[a]/c.ProposalSalience[a], gamma)
	})
}

func (packageMean) Fit(cases []*Case, y []float64, _ uint64) Fitted {
	s := selectSetting(cases, y, len(PackageExponents), func(s int, c *Case) float64 { return c.packageMean(PackageExponents[s]) })
	g := PackageExponents[s]
	return pointFit{params: map[string]float64{"gamma": g}, f: func(c *Case) float64 { return c.packageMean(g) }}
}

// medianRegression is a linear median regression of the outcome on
// features of the actors' positions (the weighted mean, the weighted
// quartiles, the member states' mean), the Commission's and the
// Parliament's positions (the Parliament's by procedure), the reference
// point and the direction of change from it, the voting rule and the
// procedure (Koenker & Bassett 1978, with the absolute loss smoothed as
// √(r² + δ²) − δ, δ = 1 point). The coefficients are shrunk towards the
// weighted mean (coefficient 1 on the mean, 0 elsewhere) by a ridge
// penalty λ Σ_j (s_j Δβ_j)², s_j the feature's standard deviation on the
// training issues (its value when it is constant there, as the
// intercept), with λ chosen from RegressionPenalties by an inner
// cross-validation on the training proposals (+Inf: the mean itself).
type medianRegression struct{}

// RegressionPenalties are the penalties λ tried, +Inf (the mean) first.
var RegressionPenalties = []float64{math.Inf(1), 0.01, 0.001, 0.0001}

// regressionFeatures names the features of medianRegression.
var regressionFeatures = []string{"intercept", "mean", "q25", "median", "q75", "states' mean",
	"com", "com present", "ep (COD)", "ep (CNS)", "ep present", "reference", "direction", "no reference", "unanimity", "codecision"}

const huberDelta = 1

func (medianRegression) Name() (string, string) { return "median-regression", "" }

// regressionRow is the case's feature vector (regressionFeatures).
func (c *Case) regressionRow() []float64 {
	q := func(tau float64) float64 { return numeric.WeightedQuantile(c.X, c.W, tau) }
	states := c.weightedMeanBy(func(a int) float64 { return flag(deu3.IsMemberState(c.ID[a])) })
	row := []float64{1, c.Mean, q(0.25), q(0.5), q(0.75), states, 0, 0, 0, 0, 0, 0, c.direction(), 0, 0, 0}
	if x, ok := c.actor(deu3.Commission); ok {
		row[6], row[7] = x, 1
	}
	if x, ok := c.actor(deu3.Parliament); ok {
		if c.Procedure == deu3.Codecision {
			row[8] = x
		} else {
			row[9] = x
		}
		row[10] = 1
	}
	if c.HasReference() {
		row[11] = c.Reference
	} else {
		row[13] = 1
	}
	row[14], row[15] = flag(c.Rule == deu3.Unanimity), flag(c.Procedure == deu3.Codecision)
	return row
}

type linearFit struct {
	beta   []float64
	params map[string]float64
}

func (f linearFit) Predict(c *Case) Prediction {
	if f.beta == nil {
		return Prediction{Point: c.Mean}
	}
	var v float64
	for j, x := range c.regressionRow() {
		v += f.beta[j] * x
	}
	return Prediction{Point: clampScale(v)}
}

func (f linearFit) Params() map[string]float64 { return f.params }

// fitRegression fits the penalised median regression with penalty lambda
// (+Inf: the prior, the weighted mean).
func fitRegression(rows [][]float64, y []float64, lambda float64) []float64 {
	if math.IsInf(lambda, 1) || len(y) == 0 {
		return regressionPrior()
	}
	return minimize(regressionProblem(rows, y, lambda), regressionPrior())
}

// regressionPrior is the weighted mean: coefficient 1 on the mean.
func regressionPrior() []float64 {
	prior := make([]float64, len(regressionFeatures))
	prior[1] = 1
	return prior
}

// regressionProblem is the smoothed, penalised median regression's
// objective (1/n) Σ_i (√(r_i² + δ²) − δ) + λ Σ_j (s_j (β_j − β⁰_j))² with
// its gradient.
func regressionProblem(rows [][]float64, y []float64, lambda float64) optimize.Problem {
	p := len(regressionFeatures)
	prior := regressionPrior()
	// scale[j]: how many points a unit change of β_j moves a typical
	// forecast: the feature's standard deviation on the training issues,
	// or, for a feature constant there (the intercept, an indicator that
	// never varies), its value, so that it is penalised like the
	// intercept rather than not at all.
	scale := make([]float64, p)
	for j := range p {
		var m, ss float64
		for _, r := range rows {
			m += r[j] / float64(len(rows))
		}
		for _, r := range rows {
			ss += (r[j] - m) * (r[j] - m) / float64(len(rows))
		}
		switch {
		case ss > 0:
			scale[j] = math.Sqrt(ss)
		case m != 0:
			scale[j] = math.Abs(m)
		default:
			scale[j] = 1
		}
	}
	n := float64(len(y))
	return optimize.Problem{
		Func: func(b []float64) float64 {
			var loss float64
			for i, r := range rows {
				e := y[i]
				for j := range b {
					e -= b[j] * r[j]
				}
				loss += math.Sqrt(e*e+huberDelta*huberDelta) - huberDelta
			}
			loss /= n
			for j := range b {
				d := scale[j] * (b[j] - prior[j])
				loss += lambda * d * d
			}
			return loss
		},
		Grad: func(g, b []float64) {
			for j := range g {
				g[j] = 2 * lambda * scale[j] * scale[j] * (b[j] - prior[j])
			}
			for i, r := range rows {
				e := y[i]
				for j := range b {
					e -= b[j] * r[j]
				}
				d := e / math.Sqrt(e*e+huberDelta*huberDelta) / n
				for j, v := range r {
					g[j] -= d * v
				}
			}
		},
	}
}

// minimize runs BFGS from start until the objective improves by less
// than 1e-9 over 5 iterations, the gradient is below 1e-7 or 1,000
// iterations have passed, and returns the best point found (start if the
// search failed to find a finite one).
func minimize(p optimize.Problem, start []float64) []float64 {
	settings := &optimize.Settings{GradientThreshold: 1e-7, MajorIterations: 1000,
		Converger: &optimize.FunctionConverge{Absolute: 1e-9, Iterations: 5}}
	res, _ := optimize.Minimize(p, start, settings, &optimize.BFGS{})
	if res == nil || !finite(res.X) {
		return start
	}
	return res.X
}

// flag is 1 for true and 0 for false.
func flag(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func finite(v []float64) bool {
	return !slices.ContainsFunc(v, func(x float64) bool { return math.IsNaN(x) || math.IsInf(x, 0) })
}

func (medianRegression) Fit(cases []*Case, y []float64, seed uint64) Fitted {
	row := make(map[*Case][]float64, len(cases))
	for _, c := range cases {
		row[c] = c.regressionRow()
	}
	rowsOf := func(cs []*Case) [][]float64 {
		rows := make([][]float64, len(cs))
		for i, c := range cs {
			rows[i] = row[c]
		}
		return rows
	}
	loss := innerLoss(cases, y, len(RegressionPenalties), seed, func(s int, cs []*Case, ty []float64) Fitted {
		return linearFit{beta: fitRegression(rowsOf(cs), ty, RegressionPenalties[s])}
	})
	chosen := argminLoss(loss)
	lambda := RegressionPenalties[chosen]
	beta := fitRegression(rowsOf(cases), y, lambda)
	// One indicator per penalty: averaged over the folds, the share of
	// folds that chose it.
	params := map[string]float64{}
	for s, l := range RegressionPenalties {
		name := fmt.Sprintf("penalty %g", l)
		if math.IsInf(l, 1) {
			name = "penalty +Inf (the mean)"
		}
		params[name] = 0
		if s == chosen {
			params[name] = 1
		}
	}
	for j, name := range regressionFeatures {
		params[name] = beta[j]
	}
	return linearFit{beta: beta, params: params}
}

// focalMixture is a mixture model of where an outcome lands: either on a
// focal point (a position some actor holds, the reference point, or 0,
// 50, 100: 156 of the 351 outcomes are exactly a scale end or the
// midpoint, and 224 exactly some actor's position) or on a compromise
// near the weighted mean. The probability of each focal point and of the
// compromise follows a conditional logit (McFadden 1974) in features of
// the candidate (the weight and the number of actors there, its distance
// from the mean, whether it is the reference point, the Commission's or
// the Parliament's position by procedure, a scale end, the midpoint, on
// the far side of the mean from the reference point) and of the issue
// (voting rule, procedure, the spread of positions and of saliences, the
// number of distinct positions); the compromise is Laplace around the
// weighted mean, truncated to the scale, with a learned scale b. The
// parameters maximise the likelihood with a ridge penalty FocalPenalty/2
// ‖θ‖², fixed in advance. The forecast is the predictive median (the
// point that minimises the expected absolute error); the distribution is
// scored by its CRPS. With compromiseOnly there are no focal points: the
// weighted mean with a truncated Laplace spread, the baseline against
// which the mixture's CRPS is to be read.
type focalMixture struct{ compromiseOnly bool }

// FocalPenalty is the ridge penalty on the mixture's logit coefficients
// (per issue), fixed in advance, not tuned.
const FocalPenalty = 0.01

// focalGrid is the spacing of the grid on which the compromise's density
// is represented in the predictive distribution.
const focalGrid = 0.5

var (
	focalCandidateFeatures = []string{"weight share", "actor share", "distance from mean", "reference point",
		"commission", "parliament (COD)", "parliament (CNS)", "scale end", "midpoint", "beyond mean"}
	focalIssueFeatures = []string{"compromise", "compromise × unanimity", "compromise × codecision",
		"compromise × position spread", "compromise × salience spread", "compromise × distinct positions"}
)

func (m focalMixture) Name() (string, string) {
	if m.compromiseOnly {
		return "focal", "none"
	}
	return "focal", ""
}

// focalCase is a case's candidates with their features.
type focalCase struct {
	cand  []float64   // candidate positions
	z     [][]float64 // their features
	v     []float64   // the issue's features for the compromise
	mean  float64
	match int // index of the candidate equal to the outcome, or −1
}

// newFocalCase lists the case's focal points (none with compromiseOnly)
// and their features.
func newFocalCase(c *Case, compromiseOnly bool) focalCase {
	var cand []float64
	if !compromiseOnly {
		cand = append(slices.Clone(c.X), scaleMin, (scaleMin+scaleMax)/2, scaleMax)
		if c.HasReference() {
			cand = append(cand, c.Reference)
		}
		slices.Sort(cand)
		cand = slices.Compact(cand)
	}
	var total float64
	for _, w := range c.W {
		total += w
	}
	com, hasCom := c.actor(deu3.Commission)
	ep, hasEP := c.actor(deu3.Parliament)
	fc := focalCase{cand: cand, mean: c.Mean, match: -1}
	for _, x := range cand {
		var ws, ns float64
		for a, p := range c.X {
			if p == x {
				ws += c.W[a] / total
				ns += 1 / float64(len(c.X))
			}
		}
		cod := c.Procedure == deu3.Codecision
		fc.z = append(fc.z, []float64{ws, ns, math.Abs(x-c.Mean) / 50, flag(c.HasReference() && x == c.Reference),
			flag(hasCom && x == com), flag(hasEP && x == ep && cod), flag(hasEP && x == ep && !cod),
			flag(x == scaleMin || x == scaleMax), flag(x == (scaleMin+scaleMax)/2), flag((x-c.Mean)*c.direction() > 0)})
	}
	var varX, meanS, varS float64
	for a, x := range c.X {
		varX += c.W[a] / total * (x - c.Mean) * (x - c.Mean)
		meanS += c.S[a] / float64(len(c.S))
	}
	for _, s := range c.S {
		varS += (s - meanS) * (s - meanS) / float64(len(c.S))
	}
	distinct := slices.Compact(slices.Sorted(slices.Values(c.X)))
	fc.v = []float64{1, flag(c.Rule == deu3.Unanimity), flag(c.Procedure == deu3.Codecision),
		math.Sqrt(varX) / 50, math.Sqrt(varS), float64(len(distinct)) / 10}
	return fc
}

// The Laplace scale b is kept within these bounds; outside them the
// objective is flat in log b and so is its gradient. At the upper bound
// the truncated Laplace is all but uniform on the scale.
const minLaplace, maxLaplace = 0.5, 1e4

// laplace is the truncated Laplace compromise around m with scale b on
// the scale: its normaliser Z (the untruncated mass on the scale) and
// dZ/db.
func laplaceNorm(m, b float64) (z, dz float64) {
	a, c := (m-scaleMin)/b, (scaleMax-m)/b
	// 1 − e^−a/2 − e^−c/2, without cancellation when b is large.
	z = -(math.Expm1(-a) + math.Expm1(-c)) / 2
	dz = -(math.Exp(-a)*a + math.Exp(-c)*c) / (2 * b)
	return z, dz
}

func laplaceCDF(x, m, b float64) float64 {
	if x < m {
		return math.Exp((x-m)/b) / 2
	}
	return 1 - math.Exp(-(x-m)/b)/2
}

type focalFit struct {
	theta          []float64 // candidate coefficients, issue coefficients, log b
	params         map[string]float64
	compromiseOnly bool
}

// probabilities returns the probability of each candidate and of the
// compromise (softmax of the utilities).
func (f focalFit) probabilities(fc *focalCase, p []float64) (pc float64) {
	k1 := len(focalCandidateFeatures)
	u := make([]float64, len(fc.cand)+1)
	for k, z := range fc.z {
		for j, v := range z {
			u[k] += f.theta[j] * v
		}
	}
	for j, v := range fc.v {
		u[len(fc.cand)] += f.theta[k1+j] * v
	}
	top := slices.Max(u)
	var sum float64
	for k := range u {
		u[k] = math.Exp(u[k] - top)
		sum += u[k]
	}
	for k := range fc.cand {
		p[k] = u[k] / sum
	}
	return u[len(fc.cand)] / sum
}

func (f focalFit) laplaceScale() float64 {
	b, _ := f.laplaceScaleFree()
	return b
}

// laplaceScaleFree is the Laplace scale and whether it lies strictly
// inside its bounds (where the objective depends on log b).
func (f focalFit) laplaceScaleFree() (float64, bool) {
	u := f.theta[len(f.theta)-1]
	lo, hi := math.Log(minLaplace), math.Log(maxLaplace)
	return math.Exp(max(lo, min(u, hi))), u > lo && u < hi
}

func (f focalFit) Predict(c *Case) Prediction {
	fc := newFocalCase(c, f.compromiseOnly)
	p := make([]float64, len(fc.cand))
	pc := f.probabilities(&fc, p)
	x, q := slices.Clone(fc.cand), p
	b := f.laplaceScale()
	z, _ := laplaceNorm(fc.mean, b)
	for g := scaleMin; g <= scaleMax; g += focalGrid {
		lo, hi := max(scaleMin, g-focalGrid/2), min(scaleMax, g+focalGrid/2)
		x = append(x, g)
		q = append(q, pc*(laplaceCDF(hi, fc.mean, b)-laplaceCDF(lo, fc.mean, b))/z)
	}
	d := newDistribution(x, q)
	return Prediction{Point: d.Median(), Dist: d}
}

func (f focalFit) Params() map[string]float64 { return f.params }

// focalObjective is the mean negative log-likelihood of the training
// cases plus the ridge penalty, with its gradient.
func focalObjective(cases []focalCase, y []float64) optimize.Problem {
	k1, k2 := len(focalCandidateFeatures), len(focalIssueFeatures)
	n := float64(len(cases))
	eval := func(theta, grad []float64) float64 {
		f := focalFit{theta: theta}
		b, free := f.laplaceScaleFree()
		if grad != nil {
			clear(grad)
		}
		var nll float64
		p := make([]float64, 64)
		for i := range cases {
			fc := &cases[i]
			if len(p) < len(fc.cand) {
				p = make([]float64, len(fc.cand))
			}
			pc := f.probabilities(fc, p[:len(fc.cand)])
			if fc.match >= 0 {
				nll -= math.Log(max(p[fc.match], 1e-300))
			} else {
				z, dz := laplaceNorm(fc.mean, b)
				dev := math.Abs(y[i] - fc.mean)
				nll += -math.Log(max(pc, 1e-300)) + math.Log(2*b) + dev/b + math.Log(z)
				if grad != nil && free {
					grad[k1+k2] += (1 - dev/b + b*dz/z) / n
				}
			}
			if grad == nil {
				continue
			}
			// d(−log p_t)/dθ = E[feature] − feature of the target.
			for k, z := range fc.z {
				for j, v := range z {
					grad[j] += p[k] * v / n
				}
			}
			for j, v := range fc.v {
				grad[k1+j] += pc * v / n
			}
			if fc.match >= 0 {
				for j, v := range fc.z[fc.match] {
					grad[j] -= v / n
				}
			} else {
				for j, v := range fc.v {
					grad[k1+j] -= v / n
				}
			}
		}
		nll /= n
		for j := range k1 + k2 {
			nll += FocalPenalty / 2 * theta[j] * theta[j]
			if grad != nil {
				grad[j] += FocalPenalty * theta[j]
			}
		}
		return nll
	}
	return optimize.Problem{
		Func: func(theta []float64) float64 { return eval(theta, nil) },
		Grad: func(g, theta []float64) { eval(theta, g) },
	}
}

func (m focalMixture) Fit(cases []*Case, y []float64, _ uint64) Fitted {
	k1, k2 := len(focalCandidateFeatures), len(focalIssueFeatures)
	fcs := make([]focalCase, len(cases))
	for i, c := range cases {
		fcs[i] = newFocalCase(c, m.compromiseOnly)
		fcs[i].match = slices.Index(fcs[i].cand, y[i])
	}
	start := make([]float64, k1+k2+1)
	start[k1+k2] = math.Log(15)
	theta := start
	if len(cases) > 0 {
		theta = minimize(focalObjective(fcs, y), start)
	}
	f := focalFit{theta: theta, params: map[string]float64{}, compromiseOnly: m.compromiseOnly}
	if !m.compromiseOnly {
		for j, name := range focalCandidateFeatures {
			f.params[name] = theta[j]
		}
		for j, name := range focalIssueFeatures {
			f.params[name] = theta[k1+j]
		}
	}
	f.params["compromise scale b"] = f.laplaceScale()
	return f
}
