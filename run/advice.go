package run

import (
	"context"

	"github.com/parley-project/parley/model/registry"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/strategy/advice"
)

// AdviceSpec asks for an actor's advice (package strategy/advice): its own
// levers, whom to work on and how far, by re-running the model.
type AdviceSpec struct {
	ModelSpec
	// Actor is the adviser's id.
	Actor string `json:"actor"`
	// Issue is the issue to move ("" the first the adviser holds a
	// position on); LeverIssues the issues whose stances change (nil:
	// Issue alone; "all" every issue).
	Issue       string   `json:"issue"`
	LeverIssues []string `json:"lever_issues"`
	// Target is the forecast to reach; nil means the adviser's position.
	Target *float64 `json:"target"`
	// Grid is the number of points of the position grid.
	Grid int `json:"grid"`
}

// NewAdviceSpec is an advice with the defaults.
func NewAdviceSpec() AdviceSpec {
	return AdviceSpec{ModelSpec: ModelSpec{Model: registry.DefaultModel}, Grid: advice.DefaultGrid}
}

// AdviceConfig is what a stored advice keeps beyond the header: the
// adviser, the issue and target the advice resolved, and the grid.
type AdviceConfig struct {
	Actor       string   `json:"actor"`
	Grid        int      `json:"grid"`
	Issue       string   `json:"issue"`
	LeverIssues []string `json:"lever_issues,omitempty"`
	Target      float64  `json:"target"`
}

// AdviceResult is a stored advice (under "advice", the shape runs have
// been stored in).
type AdviceResult struct {
	Advice *advice.Result `json:"advice"`
}

// Advice is an advice run.
type Advice = Record[AdviceConfig, AdviceResult]

// Run advises s.Actor on sc. The error is ctx's when the context ended,
// else a RequestError.
func (s AdviceSpec) Run(ctx context.Context, sc *scenario.Scenario, env Env) (*Advice, error) {
	m, opt, set, err := s.resolveIn(env)
	if err != nil {
		return nil, err
	}
	res, err := advice.Advise(ctx, advice.Config{Scenario: sc, Model: m, Options: opt, Actor: s.Actor, Issue: s.Issue, LeverIssues: s.LeverIssues,
		Target: s.Target, Grid: s.Grid, Workers: env.Workers})
	if err != nil {
		return nil, modelError(ctx, err)
	}
	c := AdviceConfig{Actor: s.Actor, Grid: s.Grid, Issue: res.Issue, LeverIssues: s.LeverIssues, Target: res.Target}
	return &Advice{Header: s.header(KindAdvice, sc, m, set, env), Config: c, Result: &AdviceResult{Advice: res}}, nil
}
