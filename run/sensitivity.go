package run

import (
	"context"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/model/registry"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/sensitivity"
)

// Defaults of a sensitivity analysis: the base samples of its Sobol
// design and their seed.
const (
	DefaultSensitivitySamples = 128
	DefaultSensitivitySeed    = 1
)

// SensitivitySpec asks for a sensitivity analysis: every input ranked by
// how much it moves each forecast (package sensitivity).
type SensitivitySpec struct {
	ModelSpec
	// Ranges, when set, replace the scenario's uncertainty for the
	// numbers without a range of their own (sensitivity.Config.Ranges).
	Ranges *sensitivity.Ranges `json:"ranges,omitempty"`
	// Samples is the number of base samples of the Sobol design; 0 ranks
	// one input at a time only.
	Samples int    `json:"samples"`
	Seed    uint64 `json:"seed"`
	// WhatIf, when set, changes the scenario before the analysis.
	WhatIf *scenario.WhatIf `json:"what_if,omitempty"`
}

// NewSensitivitySpec is an analysis with the defaults.
func NewSensitivitySpec() SensitivitySpec {
	return SensitivitySpec{ModelSpec: ModelSpec{Model: registry.DefaultModel}, Samples: DefaultSensitivitySamples, Seed: DefaultSensitivitySeed}
}

// SensitivityConfig is what a stored analysis keeps beyond the header.
type SensitivityConfig struct {
	Ranges  *sensitivity.Ranges `json:"ranges,omitempty"`
	Samples int                 `json:"samples"`
	WhatIf  *scenario.WhatIf    `json:"what_if,omitempty"`
}

// Sensitivity is a sensitivity analysis run.
type Sensitivity = Record[SensitivityConfig, sensitivity.Result]

// config checks the spec and its counts (the samples, bounded by the size
// of sc's design, and env's workers) and makes the analysis's
// configuration, on sc changed by the what-if when there is one.
func (s SensitivitySpec) config(sc *scenario.Scenario, env Env) (sensitivity.Config, model.Resolved, error) {
	m, opt, set, err := s.resolveIn(env)
	if err != nil {
		return sensitivity.Config{}, set, err
	}
	if sc, err = applyWhatIf(s.WhatIf, sc); err != nil {
		return sensitivity.Config{}, set, err
	}
	cfg := sensitivity.Config{Scenario: sc, Model: m, Options: opt, Ranges: s.Ranges, Samples: s.Samples, Seed: s.Seed, Workers: env.Workers}
	if err := cfg.CheckCounts(); err != nil {
		return cfg, set, limitError(err, "samples")
	}
	return cfg, set, nil
}

// Check checks the spec against sc and env as Run does before it runs
// anything.
func (s SensitivitySpec) Check(sc *scenario.Scenario, env Env) error {
	_, _, err := s.config(sc, env)
	return err
}

// Run analyses sc. The error is ctx's when the context ended, else a
// RequestError.
func (s SensitivitySpec) Run(ctx context.Context, sc *scenario.Scenario, env Env) (*Sensitivity, error) {
	cfg, set, err := s.config(sc, env)
	if err != nil {
		return nil, err
	}
	m := cfg.Model
	res, err := sensitivity.Analyse(ctx, cfg)
	if err != nil {
		return nil, modelError(ctx, err)
	}
	h := s.header(KindSensitivity, cfg.Scenario, m, set, env)
	h.Seed = s.Seed
	return &Sensitivity{Header: h, Config: SensitivityConfig{Ranges: s.Ranges, Samples: s.Samples, WhatIf: recorded(s.WhatIf)}, Result: res}, nil
}
