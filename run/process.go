package run

import (
	"context"
	"fmt"

	"github.com/parley-project/parley/model/recognition"
	"github.com/parley-project/parley/process"
	"github.com/parley-project/parley/scenario"
)

// Defaults of a process run: the seed and draws of its recognition
// stage's Monte Carlo.
const (
	DefaultProcessSeed  = 1
	DefaultProcessDraws = recognition.DefaultDraws
)

// ProcessSpec asks for a process run: a scenario's process section played
// out (package process).
type ProcessSpec struct {
	Seed  uint64 `json:"seed"`
	Draws int    `json:"draws"`
	// WhatIf, when set, changes the scenario before the process is played
	// out; the changed scenario passes the process checks again.
	WhatIf *scenario.WhatIf `json:"what_if,omitempty"`
}

// NewProcessSpec is a process run with the defaults.
func NewProcessSpec() ProcessSpec {
	return ProcessSpec{Seed: DefaultProcessSeed, Draws: DefaultProcessDraws}
}

// Check refuses counts beyond their limits (the draws, which env.MaxDraws
// may bound lower, and env's workers) and a scenario without a process
// section (sc may be nil to check the counts alone).
func (s ProcessSpec) Check(sc *scenario.Scenario, env Env) error {
	if err := env.check(); err != nil {
		return err
	}
	if err := env.checkDraws(s.Draws, recognition.MaxDraws); err != nil {
		return err
	}
	if err := checkWhatIf(s.WhatIf); err != nil {
		return err
	}
	if sc != nil && sc.Process == nil {
		return badRequest(process.ErrNoProcess)
	}
	return nil
}

// ProcessConfig is what a stored process run keeps beyond the header.
type ProcessConfig struct {
	Draws  int              `json:"draws"`
	WhatIf *scenario.WhatIf `json:"what_if,omitempty"`
}

// Process is a process run. Its header's model is "process": the stages
// name their own models.
type Process = Record[ProcessConfig, process.Result]

// ScenarioCheck is the check a process scenario passes before it runs
// (process.Check with the run's registry), for scenario.Parse.
func (s ProcessSpec) ScenarioCheck(env Env) scenario.Check { return process.Check(env.registry()) }

// Run plays out sc's process. The error is ctx's when the context ended,
// else a RequestError: the stages refused what the scenario asks for.
func (s ProcessSpec) Run(ctx context.Context, sc *scenario.Scenario, env Env) (*Process, error) {
	if err := s.Check(sc, env); err != nil {
		return nil, err
	}
	if !s.WhatIf.Empty() {
		var err error
		if sc, err = applyWhatIf(s.WhatIf, sc); err != nil {
			return nil, err
		}
		if ps := s.ScenarioCheck(env)(sc); len(ps) > 0 {
			return nil, &RequestError{Field: "what_if", Err: fmt.Errorf("what_if: the process with the what-if %q: %w", s.WhatIf.String(), ps)}
		}
	}
	res, err := process.Run(ctx, sc, process.Options{Seed: s.Seed, Draws: s.Draws, Workers: env.Workers, Registry: env.registry()})
	if err != nil {
		return nil, modelError(ctx, err)
	}
	h := newHeader(KindProcess, sc, env.CodeVersion)
	h.Model, h.Seed = KindProcess, s.Seed
	return &Process{Header: h, Config: ProcessConfig{Draws: s.Draws, WhatIf: recorded(s.WhatIf)}, Result: res}, nil
}
