// Package nash implements the asymmetric Nash bargaining solution (Nash
// 1950; Kalai 1977; Roth 1979, ch. I.C) and the Kalai–Smorodinsky
// solution (Kalai & Smorodinsky 1975) as one-shot models of each issue:
// the actors bargain over a point of the issue's scale, each with a
// utility that falls with the distance from its position, and if they
// fail to agree the disagreement point stands — the status quo (the
// reference point). docs/models/nash.md gives the utility functions, the
// disagreement point and how this differs from the capability × salience
// weighted mean that Decide calls its "NBS".
//
// With weights w_i = c_i s_i (capability × salience), utilities
// u_i(x) = −(|x − x_i| / R)^p on a scale of range R, and disagreement
// utilities d_i, the asymmetric Nash solution is
//
//	x* = argmax over x in F of Σ_i w_i log(u_i(x) − d_i),
//
// F the points every party prefers to disagreement (u_i(x) > d_i; parties
// with w_i = 0 play no part). The objective is concave for p ≥ 1, so its
// derivative falls and x* is found by bisection on its sign to within
// 10⁻¹² of the range. The weighted Kalai–Smorodinsky solution is the point
// that maximises min_i (u_i(x) − d_i) / (ŵ_i g_i*), where g_i* is i's
// best gain in F and ŵ_i = w_i / Σ w: each party gets the same share of
// its utopia gain, scaled by its weight (for two parties with equal
// weights the classic solution, where the line to the utopia point meets
// the frontier; for more, its usual n-party extension by the maximin of
// relative gains).
//
// When the status quo lies between parties, or on a party's position, no
// point improves on it for everyone: F is empty and the solution is the
// status quo itself. That is the bargaining solution's verdict, not a
// failure — the one-issue game gives every party a veto.
package nash

import (
	"context"
	"math"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/scenario"
)

// Variant names.
const (
	VariantNash = "nash"
	VariantKS   = "ks"
)

// Model is the bargaining-solution model.
type Model struct{}

// Info describes the model.
func (Model) Info() model.Info {
	return model.Info{
		Name:        "nash",
		Description: "asymmetric Nash bargaining solution with the status quo as the disagreement point and weights capability × salience",
		Variants: []model.Variant{
			{Name: VariantNash, Description: "asymmetric Nash bargaining solution: maximise Σ w_i log(u_i(x) − d_i)"},
			{Name: VariantKS, Description: "weighted Kalai–Smorodinsky solution: equal weighted shares of each party's utopia gain"},
		},
		Params: []model.Param{
			model.FloatParam("status_quo", 0, math.Inf(-1), math.Inf(1), "the disagreement point of every issue; on an issue whose scale it lies outside, the scenario's process.status_quo is taken instead").
				Optional("the scenario's process.status_quo; an issue without one gives each party the utility of the scale's end farthest from it"),
			model.FloatParam("power", 1, 1, 16, "the exponent p of the utilities u_i(x) = −(|x − x_i|/R)^p: 1 linear loss, 2 quadratic"),
		},
	}
}

// Run gives each issue's bargaining solution.
func (m Model) Run(ctx context.Context, sc *scenario.Scenario, opt model.Options) (*result.Result, error) {
	r, err := model.Resolve(m.Info(), opt)
	if err != nil {
		return nil, err
	}
	p, _ := r.Params.Float("power")
	sq, sqSet := r.Params.Float("status_quo")
	return model.Static(ctx, sc, m.Info(), opt, func(variant string, is *scenario.Issue, x, w []float64, _ []scenario.Stakeholder) (float64, error) {
		g := Game{Positions: x, Weights: w, Min: is.Min, Max: is.Max, Power: p}
		if q, ok := statusQuo(sc, is, sq, sqSet); ok {
			g.StatusQuo = &q
		}
		if variant == VariantKS {
			return g.KalaiSmorodinsky(), nil
		}
		return g.Nash(), nil
	})
}

// statusQuo returns the issue's disagreement point: the parameter when it
// is set and lies on the issue's scale, else the scenario's
// process.status_quo.
func statusQuo(sc *scenario.Scenario, is *scenario.Issue, param float64, set bool) (float64, bool) {
	if set && param >= is.Min && param <= is.Max {
		return param, true
	}
	if sc.Process != nil {
		q, ok := sc.Process.StatusQuo[is.ID]
		return q, ok
	}
	return 0, false
}

// Game is one issue's bargaining problem.
type Game struct {
	Positions, Weights []float64
	Min, Max           float64 // the scale
	Power              float64 // p ≥ 1
	// StatusQuo is the disagreement point; nil gives each party the
	// utility of the scale's end farthest from its position.
	StatusQuo *float64
}

// utility is u_i(x) = −(|x − x_i| / R)^p.
func (g *Game) utility(i int, x float64) float64 {
	return -math.Pow(math.Abs(x-g.Positions[i])/(g.Max-g.Min), g.Power)
}

// disagreement is d_i.
func (g *Game) disagreement(i int) float64 {
	if g.StatusQuo != nil {
		return g.utility(i, *g.StatusQuo)
	}
	far := g.Max
	if xi := g.Positions[i]; xi-g.Min > g.Max-xi {
		far = g.Min
	}
	return g.utility(i, far)
}

// feasible returns the interval (lo, hi) of points every party strictly
// prefers to disagreement, and false when it is empty: party i prefers
// the points nearer to x_i than its disagreement distance D_i.
func (g *Game) feasible() (lo, hi float64, ok bool) {
	lo, hi = g.Min, g.Max
	parties := 0
	for i, xi := range g.Positions {
		if g.Weights[i] <= 0 {
			continue
		}
		parties++
		d := math.Pow(-g.disagreement(i), 1/g.Power) * (g.Max - g.Min) // D_i
		lo, hi = math.Max(lo, xi-d), math.Min(hi, xi+d)
	}
	return lo, hi, parties > 0 && hi > lo
}

// fallback is the outcome when no point improves on disagreement for
// every party: the status quo, or, with no status quo, the middle of the
// scale (reachable only when no party has weight).
func (g *Game) fallback() float64 {
	if g.StatusQuo != nil {
		return *g.StatusQuo
	}
	return (g.Min + g.Max) / 2
}

// Nash returns the asymmetric Nash bargaining solution.
func (g *Game) Nash() float64 {
	lo, hi, ok := g.feasible()
	if !ok {
		return g.fallback()
	}
	r := g.Max - g.Min
	// slope is the derivative of Σ w_i log(u_i(x) − d_i) at x (to the
	// right of a party's position when x sits on it): it falls with x.
	slope := func(x float64) float64 {
		var s float64
		for i, xi := range g.Positions {
			w := g.Weights[i]
			if w <= 0 {
				continue
			}
			gain := g.utility(i, x) - g.disagreement(i)
			dist := math.Abs(x-xi) / r
			var du float64 // u_i'(x)
			switch {
			case x >= xi && g.Power == 1:
				du = -1 / r
			case x < xi && g.Power == 1:
				du = 1 / r
			default:
				du = -g.Power / r * math.Pow(dist, g.Power-1) * math.Copysign(1, x-xi)
			}
			s += w * du / gain
		}
		return s
	}
	return bisect(lo, hi, func(x float64) bool { return slope(x) > 0 })
}

// KalaiSmorodinsky returns the weighted Kalai–Smorodinsky solution.
func (g *Game) KalaiSmorodinsky() float64 {
	lo, hi, ok := g.feasible()
	if !ok {
		return g.fallback()
	}
	var total float64
	for _, w := range g.Weights {
		total += math.Max(w, 0)
	}
	// ratio(x) = min_i gain_i(x) / (ŵ_i g_i*), the least weighted share
	// of a utopia gain; each term is single-peaked, so the minimum is too.
	best := make([]float64, len(g.Positions))
	for i, xi := range g.Positions {
		best[i] = g.utility(i, math.Max(lo, math.Min(hi, xi))) - g.disagreement(i)
	}
	ratio := func(x float64) float64 {
		m := math.Inf(1)
		for i := range g.Positions {
			w := g.Weights[i]
			if w <= 0 {
				continue
			}
			m = math.Min(m, (g.utility(i, x)-g.disagreement(i))/(w/total*best[i]))
		}
		return m
	}
	// Golden-section search for the maximum of a unimodal function.
	const phi = 0.6180339887498949
	a, b := lo, hi
	c, d := b-phi*(b-a), a+phi*(b-a)
	fc, fd := ratio(c), ratio(d)
	for range 200 {
		if b-a <= 1e-13*(g.Max-g.Min) {
			break
		}
		if fc >= fd {
			b, d, fd = d, c, fc
			c = b - phi*(b-a)
			fc = ratio(c)
		} else {
			a, c, fc = c, d, fd
			d = a + phi*(b-a)
			fd = ratio(d)
		}
	}
	return (a + b) / 2
}

// bisect returns the point of (lo, hi) where up turns from true to false
// (up must be true then false along the interval), to within 10⁻¹³ of
// the interval.
func bisect(lo, hi float64, up func(float64) bool) float64 {
	a, b := lo, hi
	for range 200 {
		m := (a + b) / 2
		if b-a <= 1e-13*(hi-lo) || m == a || m == b {
			break
		}
		if up(m) {
			a = m
		} else {
			b = m
		}
	}
	return (a + b) / 2
}
