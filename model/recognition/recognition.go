// Package recognition forecasts how the world's states recognise an entity
// that declares independence: a discrete-time hazard model of recognition
// fitted by maximum likelihood on earlier recognition episodes
// (model/recognition/episodes) and simulated by seeded Monte Carlo over
// the 193 UN member states.
//
// Each month every state that has not yet recognised does so with a
// complementary log-log hazard that depends on the months since the
// declaration, on the state's agreement in UN General Assembly votes with
// each side's patrons, its alliances and blocs shared with them, its own
// secessionist conflicts, its size and the share of its regional group
// that has already recognised (fit.go states the equations). The parent
// state and the opposing side's patrons never recognise. Each draw takes
// its own coefficients from their estimated sampling distribution and its
// own episode effect, so the bands carry the uncertainty about the
// coefficients and about the episode as a whole. Forecast returns each
// state's probability of having recognised by given dates and the
// expected cumulative number of recognitions per month with a 90% band.
package recognition

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"gonum.org/v1/gonum/mat"
)

// Input describes one declaration: who backs it, who opposes it, when.
type Input struct {
	// Entity names the recognised entity (for reports), e.g. "Kosovo".
	Entity string `json:"entity,omitempty"`
	// Parent is the state the entity leaves; "" means the first opposing
	// state.
	Parent string `json:"parent,omitempty"`
	// Recognising and Opposing are the patrons of each side: ISO3 codes,
	// country names or Parley actor ids (see Lookup).
	Recognising []string `json:"recognising"`
	Opposing    []string `json:"opposing"`
	// Start is the date of the declaration. When StartLatest is after
	// Start the date is uncertain: each draw takes its own day, uniform
	// from Start to StartLatest. End is the last date forecast.
	Start       time.Time `json:"start"`
	StartLatest time.Time `json:"start_latest,omitzero"`
	End         time.Time `json:"end"`
	// Initial lists states that have recognised by the start (optional).
	Initial []string `json:"initial,omitempty"`
	// NonRecognition is true when the Security Council has called on all
	// states not to recognise the entity (the covariate unsc). False for
	// Kosovo as of 10 December 2007 and for Abkhazia on 26 August 2008:
	// no such call existed, and a permanent member backed each entity.
	NonRecognition bool `json:"nonrecognition,omitempty"`
}

// Options control the simulation.
type Options struct {
	// Draws is the number of Monte Carlo draws (default 10,000).
	Draws int
	// Seed seeds the per-draw random streams.
	Seed uint64
	// Workers is the number of goroutines (0 = one per CPU). Results do
	// not depend on it.
	Workers int
	// Fit is the fitted model; nil means the embedded fit (EmbeddedFit).
	Fit *Fit
	// Fixed sets parameters (ParamNames) to a value without uncertainty.
	Fixed map[string]float64
	// NoUncertainty keeps every coefficient at its estimate and the
	// episode effect at 0, so that the bands show only the draw-to-draw
	// noise of a known model (for comparison; not an honest band).
	NoUncertainty bool
	// ByDates are the dates of Result.States[i].PBy; dates outside
	// Start–End are rejected. nil means the DefaultByDates that fall
	// between Start and End, or End if none does.
	ByDates []string
}

// MaxYears bounds the forecast horizon, End − Start.
const MaxYears = 100

// DefaultDraws is the number of draws when Options.Draws is 0.
const DefaultDraws = 10000

// MaxDraws bounds Options.Draws: a thousand times the default (the time
// grows with the draws; the memory does not).
const MaxDraws = 10_000_000

// CheckDraws reports a number of draws outside 0 (the default) to
// MaxDraws.
func CheckDraws(n int) error {
	if n < 0 || n > MaxDraws {
		return fmt.Errorf("draws must be 0 (the default, %d) to %d, got %d", DefaultDraws, MaxDraws, n)
	}
	return nil
}

// DefaultByDates are the dates for which each state's probability of
// having recognised is reported by default.
var DefaultByDates = []string{"2008-12-31", "2010-12-31", "2013-12-31", "2020-12-31"}

// Kosovo returns the input for Kosovo's declaration as known on 10
// December 2007, with only the sides that the sources of the time name
// (the kosovo-2007 scenario's recognition stage cites them): Serbia the
// parent, Russia its patron; the United States and the EU's four largest
// members (the Contact Group's Western members) the recognising patrons;
// the declaration expected "in January or February" 2008 (U.S. News &
// World Report, 11 December 2007), forecast through 31 December 2020.
func Kosovo() Input {
	return Input{
		Entity:      "Kosovo",
		Parent:      "SRB",
		Recognising: []string{"USA", "GBR", "FRA", "DEU", "ITA"},
		Opposing:    []string{"RUS"},
		Start:       time.Date(2008, 1, 1, 0, 0, 0, 0, time.UTC),
		StartLatest: time.Date(2008, 2, 29, 0, 0, 0, 0, time.UTC),
		End:         time.Date(2020, 12, 31, 0, 0, 0, 0, time.UTC),
	}
}

// Result is the forecast. Its JSON form is the `recognition` part of the
// process output.
type Result struct {
	Entity string `json:"entity,omitempty"`
	// Start is the declaration's day, or the first day of its window when
	// StartLatest (the last day) is set; End the last day forecast.
	Start       string `json:"start"`
	StartLatest string `json:"start_latest,omitempty"`
	End         string `json:"end"`
	// Draws and Seed are the Monte Carlo settings.
	Draws int    `json:"draws"`
	Seed  uint64 `json:"seed"`
	// Parent is the state the entity leaves.
	Parent string `json:"parent"`
	// Recognising and Opposing are the patrons of each side (ISO3).
	Recognising []string `json:"recognising"`
	Opposing    []string `json:"opposing"`
	// Coefficients are the parameters used, with their standard errors
	// (0 for a fixed one).
	Coefficients []Coefficient `json:"coefficients"`
	// Uncertainty says what the draws vary besides the histories.
	Uncertainty string      `json:"uncertainty"`
	States      []StateProb `json:"states"`
	Cumulative  []Point     `json:"cumulative"`
}

// Coefficient is one parameter's value and standard error.
type Coefficient struct {
	Name     string  `json:"name"`
	Estimate float64 `json:"estimate"`
	SE       float64 `json:"se"`
}

// StateProb is one state's forecast.
type StateProb struct {
	ISO3 string `json:"iso3"`
	Name string `json:"name"`
	// Side is "recognising", "opposing" or "parent" for the sides' states,
	// else empty.
	Side string `json:"side,omitempty"`
	// PBy maps a date (YYYY-MM-DD) to the probability of having
	// recognised by the end of that day.
	PBy map[string]float64 `json:"p_by"`
	// Hazard is the state's monthly recognition probability in the second
	// month after the declaration (Start) before any peer has recognised,
	// at the estimates with no episode effect (0 for a state that does
	// not exist yet or never recognises, 1 for an initial recogniser).
	Hazard float64 `json:"hazard"`
}

// Point is the cumulative number of recognitions at the end of a month:
// the mean over draws and the 5th, 50th and 95th percentiles. With the
// episode effect drawn per draw the distribution is skewed: the mean lies
// above the median.
type Point struct {
	Date     string  `json:"date"`
	Expected float64 `json:"expected"`
	P05      float64 `json:"p05"`
	P50      float64 `json:"p50"`
	P95      float64 `json:"p95"`
}

//go:embed data/fit.json
var fitJSON []byte

// EmbeddedFit returns the model fitted on all episodes, as shipped in
// data/fit.json (TestEmbeddedFit checks that refitting reproduces it).
var EmbeddedFit = sync.OnceValues(func() (*Fit, error) {
	var f Fit
	if err := json.Unmarshal(fitJSON, &f); err != nil {
		return nil, fmt.Errorf("data/fit.json: %w", err)
	}
	if !slices.Equal(f.Names, ParamNames) || len(f.Estimate) != nPar || len(f.Cov) != nPar {
		return nil, errors.New("data/fit.json does not match the model's parameters; refit with go test ./model/recognition -run TestEmbeddedFit -update")
	}
	return &f, nil
})

// Forecast runs the model. It fails on unknown states, overlapping sides,
// dates out of order and invalid options, and returns ctx.Err() when the
// context is cancelled.
func Forecast(ctx context.Context, in Input, opt Options) (*Result, error) {
	w, err := LoadWorld()
	if err != nil {
		return nil, err
	}
	m, err := build(w, in, opt)
	if err != nil {
		return nil, err
	}
	acc, err := m.run(ctx, opt.Workers)
	if err != nil {
		return nil, err
	}
	return m.result(acc), nil
}

// Lookup resolves a state given as an ISO3 code, an English name
// (case-insensitive, "_" for spaces) or a common Parley actor id ("usa",
// "uk") to its index in states.
func Lookup(states []State, name string) (int, error) {
	key := strings.ToUpper(strings.TrimSpace(name))
	if a, ok := aliases[strings.ToLower(key)]; ok {
		key = a
	}
	for i, s := range states {
		if s.ISO3 == key || strings.EqualFold(s.Name, strings.ReplaceAll(name, "_", " ")) {
			return i, nil
		}
	}
	return -1, fmt.Errorf("unknown state %q (want an ISO3 code of a UN member, e.g. USA, or its name)", name)
}

var aliases = map[string]string{
	"us": "USA", "united_states": "USA", "uk": "GBR", "britain": "GBR", "great_britain": "GBR",
	"russia": "RUS", "china": "CHN", "serbia": "SRB", "macedonia": "MKD", "iran": "IRN",
	"syria": "SYR", "south_korea": "KOR", "north_korea": "PRK", "vietnam": "VNM", "laos": "LAO",
	"bolivia": "BOL", "venezuela": "VEN", "moldova": "MDA", "tanzania": "TZA", "georgia": "GEO",
	"germany": "DEU",
}

// resolve maps the names of a side to ISO3 codes.
func resolve(states []State, names []string, what string) ([]string, error) {
	var out []string
	for _, n := range names {
		i, err := Lookup(states, n)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out = append(out, states[i].ISO3)
	}
	return out, nil
}

// params turns a fit and the options into the parameter mean and a
// square root L of its covariance (θ = mean + L z); L is nil without
// uncertainty.
func params(f *Fit, opt Options) ([]float64, *mat.TriDense, error) {
	mean := slices.Clone(f.Estimate)
	fixed := make([]bool, nPar)
	for _, k := range sortedKeys(opt.Fixed) {
		v := opt.Fixed[k]
		j := slices.Index(ParamNames, k)
		if j < 0 {
			return nil, nil, fmt.Errorf("unknown recognition parameter %q (want one of %s)", k, strings.Join(ParamNames, ", "))
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, nil, fmt.Errorf("recognition parameter %s: not a finite number", k)
		}
		mean[j], fixed[j] = v, true
	}
	if opt.NoUncertainty {
		return mean, nil, nil
	}
	cov := mat.NewSymDense(nPar, nil)
	for i := range nPar {
		for j := i; j < nPar; j++ {
			if !fixed[i] && !fixed[j] {
				cov.SetSym(i, j, f.Cov[i][j])
			}
		}
	}
	for i := range nPar {
		if fixed[i] {
			cov.SetSym(i, i, 1) // factorisable; its row of L is zeroed below
		}
	}
	var ch mat.Cholesky
	if !ch.Factorize(cov) {
		return nil, nil, errors.New("the fit's covariance is not positive definite")
	}
	var L mat.TriDense
	ch.LTo(&L)
	for i := range nPar {
		if fixed[i] {
			for j := 0; j <= i; j++ {
				L.SetTri(i, j, 0)
			}
		}
	}
	return mean, &L, nil
}

func sortedKeys(m map[string]float64) []string {
	var k []string
	for s := range m {
		k = append(k, s)
	}
	sort.Strings(k)
	return k
}
