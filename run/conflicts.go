package run

import (
	"context"
	"errors"
	"fmt"

	"github.com/parley-project/parley/model/registry"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/strategy/conflict"
)

// ConflictsSpec asks for a conflicts view (package strategy/conflict):
// every pair's expected utilities and relation under the EUM, or KTAB's
// quad map under the SMP.
type ConflictsSpec struct {
	ModelSpec
	// Issue limits the EUM's view to one issue ("" every issue).
	Issue string `json:"issue"`
	// Round is the round whose starting positions are viewed (0: the
	// stated positions).
	Round int `json:"round"`
	// Perspective is conflict.Objective or an actor's id.
	Perspective string `json:"perspective"`
}

// NewConflictsSpec is a conflicts view with the defaults: the default
// model's view of every issue's stated positions, objectively.
func NewConflictsSpec() ConflictsSpec {
	return ConflictsSpec{ModelSpec: ModelSpec{Model: registry.DefaultModel}, Perspective: conflict.Objective}
}

// ConflictsConfig is what a stored conflicts view keeps beyond the header.
type ConflictsConfig struct {
	Issue       string `json:"issue"`
	Perspective string `json:"perspective"`
	Round       int    `json:"round"`
}

// ConflictsResult is a stored conflicts view (under "conflicts", the
// shape runs have been stored in).
type ConflictsResult struct {
	Conflicts *conflict.View `json:"conflicts"`
}

// Conflicts is a conflicts-view run.
type Conflicts = Record[ConflictsConfig, ConflictsResult]

// Run computes the view on sc. The error is ctx's when the context ended,
// else a RequestError.
func (s ConflictsSpec) Run(ctx context.Context, sc *scenario.Scenario, env Env) (*Conflicts, error) {
	m, opt, set, err := s.resolveIn(env)
	if err != nil {
		return nil, err
	}
	opt.Workers = env.Workers
	v, err := conflict.Compute(ctx, conflict.Config{Scenario: sc, Model: m.Info().Name, Options: opt, Issue: s.Issue, Round: s.Round, Perspective: s.Perspective})
	var re *conflict.RoundError
	if errors.As(err, &re) {
		return nil, &RequestError{Field: "round", Also: []string{"rounds"}, Err: fmt.Errorf("%w: raise {rounds} to %d or more", err, re.Round)}
	}
	if err != nil {
		return nil, modelError(ctx, err)
	}
	return &Conflicts{Header: s.header(KindConflicts, sc, m, set, env),
		Config: ConflictsConfig{Issue: s.Issue, Perspective: v.Perspective, Round: s.Round}, Result: &ConflictsResult{Conflicts: v}}, nil
}
