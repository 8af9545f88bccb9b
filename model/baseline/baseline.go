// Package baseline holds the static reference models that every bargaining
// model must beat: the capability×salience weighted mean (the "compromise
// model"), the weighted median, and the Condorcet winner among the actors'
// positions.
package baseline

import (
	"context"
	"fmt"
	"math"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/numeric"
	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/scenario"
)

// Mean is the compromise model: Σ c_i s_i x_i / Σ c_i s_i.
type Mean struct{}

// Median is the capability×salience weighted median.
type Median struct{}

// Condorcet is the actor position that beats every other position in
// pairwise votes.
type Condorcet struct{}

// PowerMean is the compromise model with transformed weights:
// Σ c_i^a s_i^b x_i / Σ c_i^a s_i^b, the exponents a (capability) and b
// (salience) set by the variant (PowerVariants). a = b = 1 is Mean. The
// weighting of the compromise model is a modelling choice, not a result
// (Achen 2006, "Evaluating political decision-making models", in
// Thomson, Stokman, Achen & König (eds.), The European Union Decides);
// the variants let the backtest learn it out of sample.
type PowerMean struct{}

// PowerExponents are the capability and salience exponents of a
// PowerMean variant.
type PowerExponents struct{ Capability, Salience float64 }

// PowerVariants are PowerMean's variants, the default first: salience
// raised to 0 (capability alone), ½ and 2, and capability raised to 0
// (salience alone), ½ and 2.
var PowerVariants = []struct {
	Name string
	PowerExponents
}{
	{"s0.5", PowerExponents{1, 0.5}},
	{"s0", PowerExponents{1, 0}},
	{"s2", PowerExponents{1, 2}},
	{"c0", PowerExponents{0, 1}},
	{"c0.5", PowerExponents{0.5, 1}},
	{"c2", PowerExponents{2, 1}},
}

// Info describes the power-mean model.
func (PowerMean) Info() model.Info {
	info := model.Info{Name: "power-mean", Description: "weighted mean of positions with weights capability^a × salience^b (a, b by variant)"}
	for _, v := range PowerVariants {
		info.Variants = append(info.Variants, model.Variant{Name: v.Name,
			Description: fmt.Sprintf("capability^%g × salience^%g", v.Capability, v.Salience)})
	}
	return info
}

// Run forecasts each issue with the variant's power-weighted mean.
func (m PowerMean) Run(ctx context.Context, sc *scenario.Scenario, opt model.Options) (*result.Result, error) {
	return static(ctx, sc, m.Info(), opt, func(variant string, x, _ []float64, st []scenario.Stakeholder) float64 {
		var e PowerExponents
		for _, v := range PowerVariants {
			if v.Name == variant {
				e = v.PowerExponents
			}
		}
		w := make([]float64, len(st))
		for i, s := range st {
			w[i] = math.Pow(s.Capability, e.Capability) * math.Pow(s.Salience, e.Salience)
		}
		return numeric.WeightedMean(x, w)
	})
}

// Info describes the mean model.
func (Mean) Info() model.Info {
	return model.Info{Name: "mean", Description: "capability×salience weighted mean of positions (the compromise model)"}
}

// Info describes the median model.
func (Median) Info() model.Info {
	return model.Info{Name: "median", Description: "capability×salience weighted median of positions"}
}

// Info describes the Condorcet model.
func (Condorcet) Info() model.Info {
	return model.Info{Name: "condorcet", Description: "the position that beats every other in pairwise capability×salience votes (Scholz et al. 2011 eq. 28)"}
}

// Run forecasts each issue with the weighted mean.
func (m Mean) Run(ctx context.Context, sc *scenario.Scenario, opt model.Options) (*result.Result, error) {
	return static(ctx, sc, m.Info(), opt, func(_ string, x, w []float64, _ []scenario.Stakeholder) float64 {
		return numeric.WeightedMean(x, w)
	})
}

// Run forecasts each issue with the weighted median.
func (m Median) Run(ctx context.Context, sc *scenario.Scenario, opt model.Options) (*result.Result, error) {
	return static(ctx, sc, m.Info(), opt, func(_ string, x, w []float64, _ []scenario.Stakeholder) float64 {
		return numeric.WeightedMedian(x, w)
	})
}

// Run forecasts each issue with the Condorcet winner.
func (m Condorcet) Run(ctx context.Context, sc *scenario.Scenario, opt model.Options) (*result.Result, error) {
	return static(ctx, sc, m.Info(), opt, func(_ string, x, w []float64, st []scenario.Stakeholder) float64 {
		r := make([]float64, len(st))
		for i, s := range st {
			r[i] = 1
			if s.Risk != nil {
				r[i] = *s.Risk
			}
		}
		return CondorcetWinner(x, w, r)
	})
}

// CondorcetWinner returns the position x_a that wins every pairwise vote
// against the other positions, where voter k casts
// v^k_ab = w_k (u_k(x_a) − u_k(x_b)) with u_k(y) = −(|x_k − y|/R)^{r_k}
// (Scholz et al. 2011 eq. 28, votes as in eq. 3). Position a beats b when
// Σ_k v^k_ab > 0, so the winner minimises Σ_k w_k (|x_k − y|/R)^{r_k} over
// the positions; when several positions tie, the lowest is returned. With
// every r_k = 1 this is the weighted median.
func CondorcetWinner(x, w, r []float64) float64 {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range x {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	span := hi - lo
	if span == 0 || len(x) == 0 {
		return lo
	}
	best, bestLoss := math.NaN(), math.Inf(1)
	for _, y := range x {
		var loss float64
		for k := range x {
			loss += w[k] * math.Pow(math.Abs(x[k]-y)/span, r[k])
		}
		if loss < bestLoss || (loss == bestLoss && y < best) {
			best, bestLoss = y, loss
		}
	}
	return best
}

// static runs a one-shot forecast (model.Static).
func static(ctx context.Context, sc *scenario.Scenario, info model.Info, opt model.Options, f func(variant string, x, w []float64, st []scenario.Stakeholder) float64) (*result.Result, error) {
	return model.Static(ctx, sc, info, opt, func(variant string, _ *scenario.Issue, x, w []float64, st []scenario.Stakeholder) (float64, error) {
		return f(variant, x, w, st), nil
	})
}
