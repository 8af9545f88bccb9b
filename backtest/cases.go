package backtest

import (
	"math"
	"slices"

	"github.com/parley-project/parley/backtest/deu3"
	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/numeric"
	"github.com/parley-project/parley/scenario"
)

// Case is what a learned model may know about an issue before its
// outcome: the actors of the issue's scenario (positions, saliences,
// capabilities under the scheme), the reference point, the Council's
// voting rule, the procedure and the proposal. It holds no outcome.
type Case struct {
	// X, C and S are the positioned actors' positions (0–100),
	// capabilities and saliences (0–1), W their weights C×S, in the
	// scenario's order; ID their DEU III codes.
	X, C, S, W []float64
	ID         []string
	// Mean is the weighted mean Σ W X / Σ W (the mean model's forecast).
	Mean float64
	// Reference is the reference point, NaN when the file has none.
	Reference       float64
	Rule, Procedure string
	// Proposal numbers the issue's proposal (0, 1, … in order of first
	// appearance).
	Proposal int
	// ProposalSalience[a] is actor a's salience summed over the issues of
	// the proposal on which it holds a position (this issue included).
	ProposalSalience []float64
}

// newCase reads a case from an issue and its one-issue scenario.
func newCase(is *deu3.Issue, sc *scenario.Scenario) Case {
	st := sc.Stakeholders(sc.Issues[0].ID)
	c := Case{X: model.Positions(st), W: model.Weights(st), Reference: is.Reference, Rule: is.Rule, Procedure: is.Procedure}
	for _, s := range st {
		c.C = append(c.C, s.Capability)
		c.S = append(c.S, s.Salience)
		c.ID = append(c.ID, s.ID)
	}
	c.Mean = numeric.WeightedMean(c.X, c.W)
	return c
}

// addProposals sets each case's Proposal (group[i] of case i) and fills
// in its ProposalSalience from the cases of the same proposal.
func addProposals(cases []Case, group []int) {
	type key struct {
		proposal int
		actor    string
	}
	total := map[key]float64{}
	for i := range cases {
		cases[i].Proposal = group[i]
		for a, id := range cases[i].ID {
			total[key{group[i], id}] += cases[i].S[a]
		}
	}
	for i := range cases {
		c := &cases[i]
		c.ProposalSalience = make([]float64, len(c.ID))
		for a, id := range c.ID {
			c.ProposalSalience[a] = total[key{group[i], id}]
		}
	}
}

// actor returns the position of the actor with the given code and
// whether it holds one.
func (c *Case) actor(id string) (float64, bool) {
	if a := slices.Index(c.ID, id); a >= 0 {
		return c.X[a], true
	}
	return math.NaN(), false
}

// HasReference reports whether the issue has a reference point.
func (c *Case) HasReference() bool { return !math.IsNaN(c.Reference) }

// direction is the sign of the change the weighted mean proposes from the
// reference point: +1 when the mean lies above it, −1 below, 0 when they
// coincide or there is no reference point.
func (c *Case) direction() float64 {
	switch {
	case !c.HasReference() || c.Mean == c.Reference:
		return 0
	case c.Mean > c.Reference:
		return 1
	}
	return -1
}

// weightedMeanBy is Σ W_a f_a X_a / Σ W_a f_a for actor factors f (the
// mean when f is 1 throughout); the plain mean when the factors leave no
// weight.
func (c *Case) weightedMeanBy(f func(a int) float64) float64 {
	var num, den float64
	for a := range c.X {
		w := c.W[a] * f(a)
		num += w * c.X[a]
		den += w
	}
	if den <= 0 {
		return c.Mean
	}
	return num / den
}
