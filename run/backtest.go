package run

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"

	"github.com/parley-project/parley/backtest"
	"github.com/parley-project/parley/backtest/deu3"
)

// Defaults of a backtest: every model, equal capabilities, the seed, the
// bootstrap resamples and the cross-validation folds.
const (
	DefaultBacktestModels       = "all"
	DefaultBacktestCapabilities = deu3.Equal
	DefaultBacktestSeed         = 1
	DefaultBacktestBootstrap    = 2000
	DefaultBacktestFolds        = 10
	DefaultBacktestLearned      = "all"
)

// BacktestSpec asks for a backtest on DEU III (package backtest): the
// models scored against the recorded outcomes.
type BacktestSpec struct {
	// Models lists model or model:variant, comma-separated ("all").
	Models string `json:"models"`
	// Capabilities lists the capability schemes, comma-separated.
	Capabilities string `json:"capabilities"`
	Seed         uint64 `json:"seed"`
	Bootstrap    int    `json:"bootstrap"`
	// Folds is K of the ensemble's K-fold cross-validation; 0 leaves the
	// ensemble out.
	Folds int `json:"folds"`
	// Learned lists the learned models cross-validated with the ensemble
	// (backtest.ParseLearners): all, none or a comma-separated list.
	Learned string `json:"learned"`
}

// NewBacktestSpec is a backtest with the defaults.
func NewBacktestSpec() BacktestSpec {
	return BacktestSpec{Models: DefaultBacktestModels, Capabilities: DefaultBacktestCapabilities, Seed: DefaultBacktestSeed,
		Bootstrap: DefaultBacktestBootstrap, Folds: DefaultBacktestFolds, Learned: DefaultBacktestLearned}
}

// BacktestConfig is what a stored backtest keeps beyond the header: the
// spec less its seed, and the SHA-256 of the data it read (the data set
// itself is not stored).
type BacktestConfig struct {
	Models       string `json:"models"`
	Capabilities string `json:"capabilities"`
	Bootstrap    int    `json:"bootstrap"`
	Folds        int    `json:"folds"`
	Learned      string `json:"learned,omitempty"`
	DataSHA256   string `json:"data_sha256"`
}

// Backtest is a backtest run: it has no scenario; its header names the
// data set (deu3) as the scenario and "backtest" as the model.
type Backtest = Record[BacktestConfig, backtest.Report]

// prepared is a checked backtest spec.
type preparedBacktest struct {
	schemes []string
	specs   []backtest.Spec
	cfg     backtest.Config
}

func (s BacktestSpec) prepare(env Env) (preparedBacktest, error) {
	p := preparedBacktest{cfg: backtest.Config{Seed: s.Seed, Bootstrap: s.Bootstrap, Folds: s.Folds, Workers: env.Workers}}
	if err := p.cfg.Check(); err != nil {
		return p, limitError(err, "bootstrap", "folds", "workers")
	}
	var err error
	if p.schemes, err = deu3.ParseSchemes(s.Capabilities); err != nil {
		return p, &RequestError{Field: "capabilities", Err: err}
	}
	if p.specs, err = backtest.ParseSpecs(s.Models, env.registry()); err != nil {
		return p, badRequest(err)
	}
	if p.cfg.Learners, err = backtest.ParseLearners(s.Learned); err != nil {
		return p, &RequestError{Field: "learned", Err: err}
	}
	return p, nil
}

// Check checks the spec as Run does before it reads any data.
func (s BacktestSpec) Check(env Env) error {
	_, err := s.prepare(env)
	return err
}

// BacktestData is a DEU III data set read for a backtest.
type BacktestData struct {
	set *deu3.Dataset
	sum string
}

// ReadData reads a DEU III file's content; name names it in errors and in
// the report. Bad data is a RequestError with Refused set.
func ReadData(data []byte, name string) (*BacktestData, error) {
	d, err := deu3.Read(bytes.NewReader(data), name)
	if err != nil {
		return nil, refused(err)
	}
	sum := sha256.Sum256(data)
	return &BacktestData{set: d, sum: hex.EncodeToString(sum[:])}, nil
}

// Run scores the models on the DEU III data, telling env.Progress how
// many capability schemes are done (the last step is the evaluation). The
// error is ctx's when the context ended, else a RequestError.
func (s BacktestSpec) Run(ctx context.Context, data *BacktestData, env Env) (*Backtest, error) {
	p, err := s.prepare(env)
	if err != nil {
		return nil, err
	}
	d := data.set
	total := len(p.schemes) + 1
	env.progress(0, total)
	rep, err := backtest.Run(ctx, d, p.schemes, p.specs, env.registry(), p.cfg, func(done int) { env.progress(done, total) })
	if err != nil {
		return nil, modelError(ctx, err)
	}
	env.progress(total, total)
	h := newHeader(KindBacktest, nil, env.CodeVersion)
	h.Scenario, h.Model, h.Seed = "deu3", KindBacktest, s.Seed
	c := BacktestConfig{Models: s.Models, Capabilities: s.Capabilities, Bootstrap: s.Bootstrap, Folds: s.Folds, Learned: s.Learned, DataSHA256: data.sum}
	return &Backtest{Header: h, Config: c, Result: rep}, nil
}
