package recognition

import (
	"context"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/parley-project/parley/model/recognition/episodes"
)

// Horizons are the backtest's horizons in years; each is scored where the
// episode's window lasts that long. The window's end ("end") is always
// scored.
var Horizons = []int{1, 3, 6, 12}

// HorizonEnd labels the end of an episode's window.
const HorizonEnd = "end"

// EpisodeScore is the out-of-sample score of one held-out episode.
type EpisodeScore struct {
	ID     string `json:"id"`
	Entity string `json:"entity"`
	// HeldOut lists the episodes left out of the fit that forecast this
	// one: the episode itself and its twins (SameConflict).
	HeldOut []string `json:"held_out"`
	// Months is the length of the window; States the number at risk.
	Months int `json:"months"`
	States int `json:"states"`
	// Brier and LogScore are the mean over the states at risk of the
	// squared error and of the log of the probability given to what
	// happened (higher is better), for recognition by the window's end.
	Brier    float64 `json:"brier"`
	LogScore float64 `json:"log_score"`
	// BaselineBrier and BaselineLogScore are the bloc-rule baseline's.
	BaselineBrier    float64 `json:"baseline_brier"`
	BaselineLogScore float64 `json:"baseline_log_score"`
	// By horizon ("1y", "3y", …, "end"): the actual count, the forecast's
	// expected count and error (expected − actual), the 50% and 90% bands
	// and whether they cover the actual count, and the baseline's
	// expected count.
	Actual        map[string]int        `json:"actual"`
	Expected      map[string]float64    `json:"expected"`
	CountError    map[string]float64    `json:"count_error"`
	Band50        map[string][2]float64 `json:"band50"`
	Band90        map[string][2]float64 `json:"band90"`
	Covered50     map[string]bool       `json:"covered50"`
	Covered90     map[string]bool       `json:"covered90"`
	BaselineError map[string]float64    `json:"baseline_count_error"`
}

// BacktestSummary pools the episodes.
type BacktestSummary struct {
	Episodes int `json:"episodes"`
	// Cells is the number of episode × horizon cells; Covered90 and
	// Covered50 the shares of them whose band covers the actual count.
	Cells     int     `json:"cells"`
	Covered90 float64 `json:"covered90"`
	Covered50 float64 `json:"covered50"`
	// BeatsBaseline counts the episodes whose Brier score is below the
	// baseline's.
	BeatsBaseline    int     `json:"beats_baseline"`
	MeanBrier        float64 `json:"mean_brier"`
	MeanBaseline     float64 `json:"mean_baseline_brier"`
	MeanLogScore     float64 `json:"mean_log_score"`
	MeanBaselineLog  float64 `json:"mean_baseline_log_score"`
	Draws            int     `json:"draws"`
	Seed             uint64  `json:"seed"`
	TargetCovered90  float64 `json:"target_covered90"`
	MeetsCoverage    bool    `json:"meets_coverage_target"`
	MeetsBrierTarget bool    `json:"meets_brier_target"`
}

// Backtest is the leave-one-episode-out validation.
type Backtest struct {
	Episodes []EpisodeScore  `json:"episodes"`
	Summary  BacktestSummary `json:"summary"`
}

// SameConflict reports whether two episodes are declarations against the
// same parent state within a year of each other (Croatia's and Slovenia's,
// on one day): their recognitions came from the same decisions, so a
// forecast of one that had learnt from the other would not be out of
// sample.
func SameConflict(a, b *episodes.Episode) bool {
	if a.Parent != b.Parent {
		return false
	}
	d := a.Declared.Sub(b.Declared)
	return d < 366*24*time.Hour && d > -366*24*time.Hour
}

// RunBacktest fits the model on all episodes but one and its twins
// (SameConflict), forecasts the one left out with the options' draws and
// seed, and scores the forecast against what happened, for each episode in
// turn.
func RunBacktest(ctx context.Context, eps []*episodes.Episode, opt Options) (*Backtest, error) {
	w, err := LoadWorld()
	if err != nil {
		return nil, err
	}
	if len(eps) < 2 {
		return nil, fmt.Errorf("a leave-one-out backtest needs at least 2 episodes, got %d", len(eps))
	}
	if opt.Draws == 0 {
		opt.Draws = 2000
	}
	out := &Backtest{Episodes: make([]EpisodeScore, len(eps))}
	errs := make([]error, len(eps))
	// The fits run in parallel; each forecast's draws use the workers.
	var wg sync.WaitGroup
	sem := make(chan struct{}, max(1, min(opt.Workers, 2)))
	if opt.Workers <= 0 {
		sem = make(chan struct{}, 2)
	}
	for k := range eps {
		wg.Add(1)
		go func(k int) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			if ctx.Err() != nil {
				errs[k] = ctx.Err()
				return
			}
			sc, err := holdOut(ctx, w, eps, k, opt)
			if err != nil {
				errs[k] = err
				return
			}
			out.Episodes[k] = *sc
		}(k)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	out.Summary = summarise(out.Episodes, opt)
	return out, nil
}

// holdOut fits the model without episode k and its twins and scores the
// forecast of episode k.
func holdOut(ctx context.Context, w *World, eps []*episodes.Episode, k int, opt Options) (*EpisodeScore, error) {
	var train []*episodes.Episode
	var held []string
	for _, e := range eps {
		if SameConflict(e, eps[k]) {
			held = append(held, e.ID)
		} else {
			train = append(train, e)
		}
	}
	if len(train) == 0 {
		return nil, fmt.Errorf("episode %s: no episode of another conflict to fit on", eps[k].ID)
	}
	f, err := FitEpisodes(train)
	if err != nil {
		return nil, fmt.Errorf("fit without %s: %w", eps[k].ID, err)
	}
	sc, err := scoreEpisode(ctx, w, eps[k], train, f, opt)
	if err != nil {
		return nil, fmt.Errorf("episode %s: %w", eps[k].ID, err)
	}
	sc.HeldOut = held
	return sc, nil
}

// horizonMonths returns the scored horizons of a window of the given
// months (the last one cut to endExpo of a month) by label.
func horizonMonths(months int, endExpo float64) ([]string, []int) {
	var labels []string
	var ms []int
	for _, h := range Horizons {
		t := 12 * h
		if t < months || t == months && endExpo == 1 {
			labels = append(labels, fmt.Sprintf("%dy", h))
			ms = append(ms, t)
		}
	}
	return append(labels, HorizonEnd), append(ms, months)
}

func scoreEpisode(ctx context.Context, w *World, ep *episodes.Episode, train []*episodes.Episode, f *Fit, opt Options) (*EpisodeScore, error) {
	d, err := w.Design(EpisodeCase(ep))
	if err != nil {
		return nil, err
	}
	m := &model{in: Input{Entity: ep.Entity, Start: ep.Declared, End: ep.Until}, w: w, fit: f,
		draws: opt.Draws, seed: opt.Seed, start: ep.Declared, design: d, initial: make([]bool, len(w.States))}
	if m.mean, m.chol, err = params(f, opt); err != nil {
		return nil, err
	}
	m.calendar()
	m.risk(false)
	m.byDates, m.byMonth = []string{HorizonEnd}, []int{m.months}
	tl, err := m.run(ctx, opt.Workers)
	if err != nil {
		return nil, err
	}
	win := NewWindow(ep.Declared, ep.Until)
	rec := Observed(w, ep, win)
	base := baseline(w, train, d, win.Months)
	sc := &EpisodeScore{ID: ep.ID, Entity: ep.Entity, Months: m.months,
		Actual: map[string]int{}, Expected: map[string]float64{}, CountError: map[string]float64{},
		Band50: map[string][2]float64{}, Band90: map[string][2]float64{}, Covered50: map[string]bool{}, Covered90: map[string]bool{},
		BaselineError: map[string]float64{}}
	draws := float64(m.draws)
	for i := range w.States {
		if m.enter[i] != 1 {
			continue
		}
		sc.States++
		p := float64(tl.by[i][0]) / draws
		y := 0.0
		if rec[i] > 0 {
			y = 1
		}
		sc.Brier += (p - y) * (p - y)
		sc.LogScore += logProb(p, y)
		sc.BaselineBrier += (base[i] - y) * (base[i] - y)
		sc.BaselineLogScore += logProb(base[i], y)
	}
	n := float64(sc.States)
	sc.Brier /= n
	sc.LogScore /= n
	sc.BaselineBrier /= n
	sc.BaselineLogScore /= n
	labels, months := horizonMonths(m.months, m.endExpo)
	for k, h := range labels {
		t := months[k]
		actual := 0
		var bexp float64
		bh := baseline(w, train, d, t)
		for i := range w.States {
			if m.enter[i] == 1 && rec[i] > 0 && rec[i] <= t {
				actual++
			}
			if m.enter[i] == 1 {
				bexp += bh[i]
			}
		}
		q := quantiles(tl.hist[t-1], m.draws, 0.05, 0.25, 0.75, 0.95)
		mean := histMean(tl.hist[t-1], m.draws)
		sc.Actual[h] = actual
		sc.Expected[h] = mean
		sc.CountError[h] = mean - float64(actual)
		sc.Band50[h] = [2]float64{q[1], q[2]}
		sc.Band90[h] = [2]float64{q[0], q[3]}
		sc.Covered50[h] = float64(actual) >= q[1] && float64(actual) <= q[2]
		sc.Covered90[h] = float64(actual) >= q[0] && float64(actual) <= q[3]
		sc.BaselineError[h] = bexp - float64(actual)
	}
	return sc, nil
}

// logProb is the log of the probability given to the outcome, with p kept
// inside [1e-4, 1 − 1e-4] so that a Monte Carlo zero does not score −∞.
func logProb(p, y float64) float64 {
	p = math.Min(math.Max(p, 1e-4), 1-1e-4)
	if y == 1 {
		return math.Log(p)
	}
	return math.Log(1 - p)
}

// baseline is the bloc rule: a state's probability of recognising by the
// end of a window of the given months is the share of the training
// episodes' states in the same cell that had recognised by then, where
// the cell is (recognising patron or not, shares a bloc with a
// recognising patron or not, shares a bloc with the parent or an opposing
// patron or not). Training episodes shorter than the window count with
// their whole window.
func baseline(w *World, train []*episodes.Episode, d *Design, months int) []float64 {
	cell := func(x [nCov]float64) int {
		c := 0
		if x[cPatron] > 0 {
			c |= 1
		}
		if x[cBlocRec] > 0 {
			c |= 2
		}
		if x[cBlocOpp] > 0 {
			c |= 4
		}
		return c
	}
	var yes, all [8]float64
	for _, ep := range train {
		td, err := w.Design(EpisodeCase(ep))
		if err != nil {
			continue
		}
		win := NewWindow(ep.Declared, ep.Until)
		rec := Observed(w, ep, win)
		for i := range w.States {
			if !td.AtRisk[i] {
				continue
			}
			c := cell(td.X[i])
			all[c]++
			if rec[i] > 0 && rec[i] <= months {
				yes[c]++
			}
		}
	}
	var ty, ta float64
	for c := range all {
		ty += yes[c]
		ta += all[c]
	}
	p := make([]float64, len(w.States))
	for i := range w.States {
		c := cell(d.X[i])
		// Laplace smoothing toward the overall rate.
		p[i] = (yes[c] + ty/ta) / (all[c] + 1)
	}
	return p
}

func histMean(h []int64, draws int) float64 {
	var s float64
	for c, v := range h {
		s += float64(c) * float64(v)
	}
	return s / float64(draws)
}

// quantiles returns, for each level q, the smallest count whose
// cumulative share of draws reaches q.
func quantiles(h []int64, draws int, qs ...float64) []float64 {
	out := make([]float64, len(qs))
	for k := range out {
		out[k] = -1
	}
	var cum int64
	for c, v := range h {
		cum += v
		for k, q := range qs {
			if out[k] < 0 && float64(cum) >= q*float64(draws)-1e-9 {
				out[k] = float64(c)
			}
		}
	}
	return out
}

func summarise(eps []EpisodeScore, opt Options) BacktestSummary {
	s := BacktestSummary{Episodes: len(eps), Draws: opt.Draws, Seed: opt.Seed, TargetCovered90: 0.8}
	var c90, c50 int
	for _, e := range eps {
		for h := range e.Covered90 {
			s.Cells++
			if e.Covered90[h] {
				c90++
			}
			if e.Covered50[h] {
				c50++
			}
		}
		if e.Brier < e.BaselineBrier {
			s.BeatsBaseline++
		}
		s.MeanBrier += e.Brier / float64(len(eps))
		s.MeanBaseline += e.BaselineBrier / float64(len(eps))
		s.MeanLogScore += e.LogScore / float64(len(eps))
		s.MeanBaselineLog += e.BaselineLogScore / float64(len(eps))
	}
	if s.Cells > 0 {
		s.Covered90 = float64(c90) / float64(s.Cells)
		s.Covered50 = float64(c50) / float64(s.Cells)
	}
	s.MeetsCoverage = s.Covered90 >= s.TargetCovered90
	s.MeetsBrierTarget = 2*s.BeatsBaseline > s.Episodes
	return s
}
