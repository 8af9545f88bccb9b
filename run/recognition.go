package run

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/parley-project/parley/model/recognition"
	"github.com/parley-project/parley/process"
	"github.com/parley-project/parley/scenario"
)

// Defaults of a recognition forecast: its draws and seed, and the last
// date forecast when neither the scenario nor the spec gives one.
const (
	DefaultRecognitionDraws = recognition.DefaultDraws
	DefaultRecognitionSeed  = 1
	DefaultRecognitionEnd   = "2020-12-31"
)

// RecognitionSpec asks for a recognition forecast (package
// model/recognition): which states recognise a unilateral declaration, and
// when. The sides and dates come from the scenario's first recognition
// stage; the spec's fields, when set, replace them. A scenario without a
// recognition stage needs Recognising, Opposing (or Parent) and Start.
type RecognitionSpec struct {
	RecognitionConfig
	Seed uint64 `json:"seed"`
}

// NewRecognitionSpec is a recognition forecast with the defaults.
func NewRecognitionSpec() RecognitionSpec {
	return RecognitionSpec{RecognitionConfig: RecognitionConfig{Draws: DefaultRecognitionDraws}, Seed: DefaultRecognitionSeed}
}

// RecognitionConfig is what a stored recognition forecast keeps beyond
// the header: the spec less its seed (a run that takes its sides from the
// scenario stores the draws alone).
type RecognitionConfig struct {
	Draws       int      `json:"draws"`
	Entity      string   `json:"entity,omitempty"`
	Recognising []string `json:"recognising,omitempty"`
	Opposing    []string `json:"opposing,omitempty"`
	// Parent is the state the entity leaves (default: the first opposing
	// state).
	Parent  string   `json:"parent,omitempty"`
	Initial []string `json:"initial,omitempty"`
	// Start and End are dates, YYYY-MM-DD; StartLatest, when set, makes
	// the declaration fall on a day from Start to it, drawn per draw.
	Start       string `json:"start,omitempty"`
	StartLatest string `json:"start_latest,omitempty"`
	End         string `json:"end,omitempty"`
	// By are the dates of the per-state probabilities.
	By []string `json:"by,omitempty"`
	// Params fix coefficients (recognition.ParamNames) without
	// uncertainty; NoUncertainty keeps every coefficient at its estimate.
	Params        map[string]float64 `json:"params,omitempty"`
	NoUncertainty bool               `json:"no_uncertainty,omitempty"`
}

// Recognition is a recognition forecast run. Its header's model is
// "recognition".
type Recognition = Record[RecognitionConfig, recognition.Result]

// ScenarioCheck is process.Check applied to what the forecast takes from
// the scenario: its first recognition stage, with the state lists the
// spec replaces left out, and its until (a horizon counted from the stage
// it follows) left out when the spec sets a date. What the spec gives,
// recognition.Forecast checks. Problems are reported at the scenario's
// file, line and field, as 'parley validate' does.
func (s RecognitionSpec) ScenarioCheck(env Env) scenario.Check {
	reg := env.registry()
	return func(sc *scenario.Scenario) scenario.Problems {
		i := recognitionStage(sc)
		if i < 0 {
			return nil
		}
		st := sc.Process.Stages[i]
		if len(s.Recognising) > 0 {
			st.Recognising = nil
		}
		if len(s.Opposing) > 0 || s.Parent != "" {
			st.Opposing, st.Parent = nil, ""
		}
		if len(s.Initial) > 0 {
			st.Initial = nil
		}
		if s.Start != "" || s.End != "" {
			st.Until = ""
		}
		return process.CheckStage(sc, i, &st, reg)
	}
}

// recognitionStage returns the index of the scenario's first recognition
// stage, the one a recognition forecast plays, or -1.
func recognitionStage(sc *scenario.Scenario) int {
	if sc.Process == nil {
		return -1
	}
	return slices.IndexFunc(sc.Process.Stages, func(st scenario.Stage) bool { return st.Kind == scenario.StageRecognition })
}

// scenarioInput reads the first recognition stage of the scenario's
// process: its sides, entity and end date, and its start, which is the
// stage's own date or else the date of the stage it follows. It returns a
// zero Input when the scenario has no recognition stage.
func scenarioInput(sc *scenario.Scenario) (recognition.Input, error) {
	var in recognition.Input
	i := recognitionStage(sc)
	if i < 0 {
		return in, nil
	}
	st := sc.Process.Stages[i]
	in.Entity, in.Parent, in.Recognising, in.Opposing, in.Initial = st.Entity, st.Parent, st.Recognising, st.Opposing, st.Initial
	date, latest := st.Date, ""
	if date == "" {
		if after := sc.Process.Stage(st.After); after != nil {
			date = after.FirstDate()
			if after.LastDate() != date {
				latest = after.LastDate()
			}
		}
	}
	for _, d := range []struct {
		field, v string
		dst      *time.Time
	}{{"date", date, &in.Start}, {"window", latest, &in.StartLatest}, {"until", st.Until, &in.End}} {
		if d.v == "" {
			continue
		}
		t, err := time.Parse(time.DateOnly, d.v)
		if err != nil {
			return in, badRequest(fmt.Errorf("%s: process stage %s: %s %q: want YYYY-MM-DD", sc.Name, st.ID, d.field, d.v))
		}
		*d.dst = t
	}
	if in.Start.IsZero() {
		return in, badRequest(fmt.Errorf("%s: process stage %s: no start date (neither its date nor that of the stage it follows)", sc.Name, st.ID))
	}
	return in, nil
}

// input is the model's input and options: the scenario's recognition
// stage with the spec's fields over it.
func (s RecognitionSpec) input(sc *scenario.Scenario, env Env) (recognition.Input, recognition.Options, error) {
	var opt recognition.Options
	in, err := scenarioInput(sc)
	if err != nil {
		return in, opt, err
	}
	if in.Start.IsZero() && (len(s.Recognising) == 0 || len(s.Opposing) == 0 && s.Parent == "" || s.Start == "") {
		return in, opt, badRequest(fmt.Errorf("scenario %s declares no recognition stage: give recognising, opposing (or parent) and start", sc.Name))
	}
	if in.End.IsZero() {
		in.End, _ = time.Parse(time.DateOnly, DefaultRecognitionEnd)
	}
	if s.Entity != "" {
		in.Entity = s.Entity
	}
	if len(s.Recognising) > 0 {
		in.Recognising = s.Recognising
	}
	if len(s.Opposing) > 0 || s.Parent != "" {
		in.Opposing, in.Parent = s.Opposing, s.Parent
	}
	if len(s.Initial) > 0 {
		in.Initial = s.Initial
	}
	for _, d := range []struct {
		field, v string
		dst      *time.Time
	}{{"start", s.Start, &in.Start}, {"start_latest", s.StartLatest, &in.StartLatest}, {"end", s.End, &in.End}} {
		if d.v == "" {
			continue
		}
		if d.field == "start" {
			in.StartLatest = time.Time{} // a new start drops the scenario's window
		}
		t, err := time.Parse(time.DateOnly, d.v)
		if err != nil {
			return in, opt, &RequestError{Field: d.field, Err: fmt.Errorf("%s %q: want YYYY-MM-DD", d.field, d.v)}
		}
		*d.dst = t
	}
	for _, k := range slices.Sorted(maps.Keys(s.Params)) {
		if !slices.Contains(recognition.ParamNames, k) {
			return in, opt, badRequest(fmt.Errorf("unknown parameter %q (want one of %s)", k, strings.Join(recognition.ParamNames, ", ")))
		}
		if v := s.Params[k]; math.IsNaN(v) || math.IsInf(v, 0) {
			return in, opt, badRequest(fmt.Errorf("parameter %s: want a finite number, got %v", k, v))
		}
	}
	if err := env.check(); err != nil {
		return in, opt, err
	}
	if err := env.checkDraws(s.Draws, recognition.MaxDraws); err != nil {
		return in, opt, err
	}
	opt = recognition.Options{Draws: s.Draws, Seed: s.Seed, Workers: env.Workers, Fixed: s.Params, NoUncertainty: s.NoUncertainty, ByDates: s.By}
	return in, opt, nil
}

// Check checks the spec against sc, and its counts against env's limits,
// as Run does before it runs anything.
func (s RecognitionSpec) Check(sc *scenario.Scenario, env Env) error {
	_, _, err := s.input(sc, env)
	return err
}

// Run forecasts the recognition of the declaration sc's recognition stage
// (or the spec) describes. The error is ctx's when the context ended, else
// a RequestError.
func (s RecognitionSpec) Run(ctx context.Context, sc *scenario.Scenario, env Env) (*Recognition, error) {
	in, opt, err := s.input(sc, env)
	if err != nil {
		return nil, err
	}
	res, err := recognition.Forecast(ctx, in, opt)
	if err != nil {
		return nil, modelError(ctx, err)
	}
	h := newHeader(KindRecognition, sc, env.CodeVersion)
	h.Model, h.Seed = KindRecognition, s.Seed
	return &Recognition{Header: h, Config: s.RecognitionConfig, Result: res}, nil
}
