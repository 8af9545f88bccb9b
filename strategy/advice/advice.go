// Package advice tells an actor where its leverage lies: it re-runs a
// model (any model) on copies of the scenario in which one actor, or two,
// state another position or salience on one issue, and ranks the changes
// by how far they move the forecast toward the adviser's own position.
//
//   - Own levers: the adviser's own changes of stated position (every
//     point of a grid over the scale) and salience (a grid from 0 to the
//     scale's top), the best of each.
//   - Whom to work on: every other actor's best change of position and of
//     salience, ranked by the gain; and how far each would have to move
//     its position, alone, for the forecast to reach a target (by default
//     the adviser's position): the nearest grid point that does, refined
//     by bisection toward the nearest one that does not.
//   - Pairs: the best changes of the most promising actors, two at a
//     time, with the gain beyond the sum of their gains alone.
//
// The gain of a change is |F₀ − x_A| − |F − x_A|, F₀ and F the forecasts
// without and with it and x_A the adviser's stated position: positive when
// the forecast comes nearer. For a round-based model the forecast is the
// settlement value (result.Settlement: the fixed point, or the mean over
// a cycle or over the last half of an unsettled run), which does not
// depend on the round at which the run happened to stop. Runs are spread over a bounded number of
// goroutines, each model run with one worker; the output does not depend
// on their number.
package advice

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/numeric"
	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/scenario"
)

// Defaults of the search.
const (
	DefaultGrid  = 21 // position grid: every 5% of the scale
	salienceGrid = 6  // 0, 20%, … 100% of the salience scale
	refineSteps  = 6  // bisection steps toward the target
	pairActors   = 6  // actors whose best changes are paired
	// MaxOwn is the most of the adviser's own levers kept.
	MaxOwn = 8
)

// Config says whom to advise, with which model, on which issue.
type Config struct {
	Scenario *scenario.Scenario
	Model    model.Model
	Options  model.Options
	// Actor is the adviser's id.
	Actor string
	// Issue is the issue to move ("" the first issue the adviser holds a
	// position on).
	Issue string
	// LeverIssues are the issues whose stances are changed (nil: Issue
	// alone). With a model that links issues (the SMP, the exchange
	// model) a change on one issue can move the forecast on another.
	LeverIssues []string
	// Target is the forecast to reach; nil means the adviser's position.
	Target *float64
	// Grid is the number of points of the position grid (default 21,
	// at least 3).
	Grid int
	// Workers bounds the runs made at once (0: one per CPU).
	Workers int
}

// Outcome is one run's result on the issue.
type Outcome struct {
	// Value is the forecast the advice measures: the settlement value
	// of a round-based model (the fixed point, the mean over a cycle or
	// over the last half of an unsettled run; result.Settlement), else
	// the forecast.
	Value float64 `json:"value"`
	// Forecast is the last round's forecast.
	Forecast float64 `json:"forecast"`
	// Settlement says how the run ended on the issue (nil for a static
	// model) and Stopped why it stopped ("rounds", "converged", "fixed",
	// "cycle", "agreement", "static").
	Settlement *result.Settlement `json:"settlement,omitempty"`
	Stopped    string             `json:"stopped"`
	// Rounds is the number of rounds the run played.
	Rounds int `json:"rounds"`
}

// Lever is one change of one or two actors' stated positions or
// saliences, with the forecast it gives.
type Lever struct {
	Actors []string `json:"actors"`
	// Issues is the issue of each actor's change.
	Issues []string `json:"issues"`
	// Attribute is "position" or "salience", one per actor.
	Attributes []string  `json:"attributes"`
	From       []float64 `json:"from"`
	To         []float64 `json:"to"`
	Outcome
	// Gain is how much nearer the adviser's position the forecast comes
	// (negative: farther).
	Gain float64 `json:"gain"`
	// Error is set when the model refused the changed scenario.
	Error string `json:"error,omitempty"`
}

// Other is what one other actor could do for the adviser.
type Other struct {
	Actor string `json:"actor"`
	Name  string `json:"name"`
	// Position and Salience are the actor's stance on the issue (nil
	// when it holds none there and is advised through another issue).
	Position *float64 `json:"position,omitempty"`
	Salience *float64 `json:"salience,omitempty"`
	// BestPosition and BestSalience are its most helpful changes (nil
	// when no change helps).
	BestPosition *Lever `json:"best_position,omitempty"`
	BestSalience *Lever `json:"best_salience,omitempty"`
	// Reach is its smallest move of position, alone, that brings the
	// forecast to the target (nil when none does).
	Reach *Lever `json:"reach,omitempty"`
}

// best returns the actor's most helpful change.
func (o *Other) best() *Lever {
	switch {
	case o.BestPosition == nil:
		return o.BestSalience
	case o.BestSalience == nil || o.BestPosition.Gain >= o.BestSalience.Gain:
		return o.BestPosition
	}
	return o.BestSalience
}

// Pair is two actors' changes made together.
type Pair struct {
	Lever
	// Synergy is the joint gain less the two gains alone.
	Synergy float64 `json:"synergy"`
}

// Result is the advice.
type Result struct {
	Scenario string `json:"scenario"`
	Model    string `json:"model"`
	Variant  string `json:"variant,omitempty"`
	Adviser  string `json:"adviser"`
	Name     string `json:"name"`
	Issue    string `json:"issue"`
	// LeverIssues are the issues whose stances were changed.
	LeverIssues []string `json:"lever_issues"`
	Ideal       float64  `json:"ideal"`
	Target      float64  `json:"target"`
	// Tolerance is how near the target a forecast counts as reaching it.
	Tolerance float64 `json:"tolerance"`
	Baseline  Outcome `json:"baseline"`
	// Own lists the adviser's own changes, most helpful first (at most
	// MaxOwn).
	Own []Lever `json:"own"`
	// Others lists the other actors, most helpful first.
	Others []Other `json:"others"`
	Pairs  []Pair  `json:"pairs"`
	// Runs is the number of model runs made.
	Runs int `json:"runs"`
}

// outcomeOf reads a run's outcome on an issue.
func outcomeOf(ir *result.Issue) Outcome {
	o := Outcome{Value: ir.Forecast, Forecast: ir.Forecast, Settlement: ir.Settlement, Stopped: ir.Stopped}
	if len(ir.Rounds) > 0 {
		o.Rounds = ir.Final().Round
	}
	if ir.Settlement != nil {
		o.Value = ir.Settlement.Value
	}
	return o
}

// change is a set of stance changes.
type change struct {
	actors []int
	issues []string
	attrs  []string
	to     []float64
}

// Advise computes the advice. Bad input (no actor, an unknown actor or issue, an
// adviser without a position on the issue, a target off the scale) is
// reported with the choices; the runs stop when ctx ends.
func Advise(ctx context.Context, cfg Config) (*Result, error) {
	sc := cfg.Scenario
	if cfg.Actor == "" {
		return nil, fmt.Errorf("missing actor: name the actor to advise (one of %s)", strings.Join(sc.ActorIDs(), ", "))
	}
	a := sc.Actor(cfg.Actor)
	if a == nil {
		return nil, fmt.Errorf("unknown actor %q (have %s)", cfg.Actor, strings.Join(sc.ActorIDs(), ", "))
	}
	var held []string
	for _, is := range sc.Issues {
		if st, ok := a.Stances[is.ID]; ok && st.Position.Set {
			held = append(held, is.ID)
		}
	}
	if cfg.Issue == "" {
		if len(held) == 0 {
			return nil, fmt.Errorf("%s holds no position on any issue", a.ID)
		}
		cfg.Issue = held[0]
	}
	is := sc.Issue(cfg.Issue)
	if is == nil {
		return nil, fmt.Errorf("unknown issue %q (have %s)", cfg.Issue, strings.Join(sc.IssueIDs(), ", "))
	}
	if !slices.Contains(held, is.ID) {
		return nil, fmt.Errorf("%s holds no position on issue %q (it does on %s)", a.ID, is.ID, strings.Join(held, ", "))
	}
	grid := cfg.Grid
	if grid == 0 {
		grid = DefaultGrid
	}
	if grid < 3 || grid > 201 {
		return nil, fmt.Errorf("the position grid needs 3 to 201 points, got %d", grid)
	}
	leverIssues := []string{is.ID}
	if len(cfg.LeverIssues) > 0 {
		leverIssues = nil
		for _, id := range cfg.LeverIssues {
			if id == "all" {
				leverIssues = sc.IssueIDs()
				break
			}
			if sc.Issue(id) == nil {
				return nil, fmt.Errorf("unknown lever issue %q (have all, %s)", id, strings.Join(sc.IssueIDs(), ", "))
			}
			if !slices.Contains(leverIssues, id) {
				leverIssues = append(leverIssues, id)
			}
		}
	}
	ideal := a.Stances[is.ID].Position.Value
	target := ideal
	if cfg.Target != nil {
		target = *cfg.Target
		if !(target >= is.Min && target <= is.Max) {
			return nil, fmt.Errorf("target %v is outside the scale %v to %v of issue %q", target, is.Min, is.Max, is.ID)
		}
	}
	resolved, err := model.Resolve(cfg.Model.Info(), cfg.Options)
	if err != nil {
		return nil, err
	}
	variant := resolved.Variant
	// The actors holding a position on a lever issue, in file order.
	var actors []int
	for i := range sc.Actors {
		if slices.ContainsFunc(leverIssues, func(id string) bool { st, ok := sc.Actors[i].Stances[id]; return ok && st.Position.Set }) {
			actors = append(actors, i)
		}
	}
	smax := sc.SalienceMax()
	res := &Result{Scenario: sc.Name, Model: cfg.Model.Info().Name, Variant: variant, Adviser: a.ID, Name: a.DisplayName(),
		Issue: is.ID, LeverIssues: leverIssues, Ideal: ideal, Target: target, Tolerance: (is.Max - is.Min) / 200}
	opt := cfg.Options
	opt.Workers = 1
	k := slices.IndexFunc(sc.Issues, func(x scenario.Issue) bool { return x.ID == is.ID })
	// run runs the model on the changed scenario. The search only needs
	// the value: a model whose forecast-only path also gives the
	// settlement value (model.SettledForecaster, bit for bit Run's) runs
	// through it, one Forecaster per goroutine at a time; the levers kept
	// are run again in full for their forecast and settlement.
	var forecasters sync.Pool
	if fm, ok := cfg.Model.(model.Forecasting); ok {
		if _, settled := fm.NewForecaster().(model.SettledForecaster); settled {
			forecasters.New = func() any { return fm.NewForecaster() }
		}
	}
	full := func(ch change) (Outcome, error) {
		r, err := cfg.Model.Run(ctx, apply(sc, ch), opt)
		if err != nil {
			return Outcome{}, err
		}
		for x := range r.Issues {
			if r.Issues[x].ID == is.ID {
				return outcomeOf(&r.Issues[x]), nil
			}
		}
		return Outcome{}, fmt.Errorf("the model gave no forecast for issue %q", is.ID)
	}
	run := func(ch change) (Outcome, error) {
		if forecasters.New == nil {
			return full(ch)
		}
		f := forecasters.Get().(model.SettledForecaster)
		defer forecasters.Put(f)
		fs, err := f.Settled(ctx, apply(sc, ch), opt, nil)
		if err != nil {
			return Outcome{}, err
		}
		if len(fs) != len(sc.Issues) {
			return Outcome{}, fmt.Errorf("the model gave %d forecasts for %d issues", len(fs), len(sc.Issues))
		}
		return Outcome{Value: fs[k]}, nil
	}
	base, err := full(change{})
	if err != nil {
		return nil, err
	}
	res.Baseline = base
	res.Runs = 1
	gain := func(f float64) float64 { return math.Abs(base.Value-ideal) - math.Abs(f-ideal) }
	reaches := func(f float64) bool {
		return math.Abs(f-target) <= res.Tolerance || (base.Value-target)*(f-target) < 0
	}
	// Every single change: each actor's position at every grid point and
	// salience at every salience grid point, other than its own.
	var singles []change
	for _, i := range actors {
		for _, id := range leverIssues {
			st, ok := sc.Actors[i].Stances[id]
			if !ok || !st.Position.Set {
				continue
			}
			li := sc.Issue(id)
			for g := range grid {
				x := li.Min + float64(g)*(li.Max-li.Min)/float64(grid-1)
				if x != st.Position.Value {
					singles = append(singles, change{actors: []int{i}, issues: []string{id}, attrs: []string{"position"}, to: []float64{x}})
				}
			}
			for g := range salienceGrid {
				v := float64(g) * smax / float64(salienceGrid-1)
				if v != st.Salience.Value {
					singles = append(singles, change{actors: []int{i}, issues: []string{id}, attrs: []string{"salience"}, to: []float64{v}})
				}
			}
		}
	}
	runAll := func(chs []change) []Lever {
		out := make([]Lever, len(chs))
		numeric.ParallelFor(len(chs), cfg.Workers, func(k int) {
			ch := chs[k]
			l := Lever{}
			for x, i := range ch.actors {
				st := sc.Actors[i].Stances[ch.issues[x]]
				from := st.Position.Value
				if ch.attrs[x] == "salience" {
					from = st.Salience.Value
				}
				l.Actors = append(l.Actors, sc.Actors[i].ID)
				l.Issues = append(l.Issues, ch.issues[x])
				l.Attributes = append(l.Attributes, ch.attrs[x])
				l.From = append(l.From, from)
				l.To = append(l.To, ch.to[x])
			}
			o, err := run(ch)
			if err != nil {
				l.Error = err.Error()
				l.Gain = math.Inf(-1)
			} else {
				l.Outcome, l.Gain = o, gain(o.Value)
			}
			out[k] = l
		})
		res.Runs += len(chs)
		return out
	}
	levers := runAll(singles)
	byActor := map[string][]int{} // indices into levers
	for k, l := range levers {
		byActor[l.Actors[0]] = append(byActor[l.Actors[0]], k)
	}
	// The adviser's own levers, most helpful first.
	for _, k := range byActor[a.ID] {
		if levers[k].Error == "" {
			res.Own = append(res.Own, levers[k])
		}
	}
	sortLevers(res.Own)
	if len(res.Own) > MaxOwn {
		res.Own = res.Own[:MaxOwn]
	}
	// The others: best changes, and the smallest move of position that
	// reaches the target.
	index := map[string]int{}
	for i, ac := range sc.Actors {
		index[ac.ID] = i
	}
	for _, i := range actors {
		ac := &sc.Actors[i]
		if ac.ID == a.ID {
			continue
		}
		o := Other{Actor: ac.ID, Name: ac.DisplayName()}
		st, holds := ac.Stances[is.ID]
		holds = holds && st.Position.Set
		if holds {
			p, sal := st.Position.Value, st.Salience.Value
			o.Position, o.Salience = &p, &sal
		}
		var pos, sal []Lever
		for _, k := range byActor[ac.ID] {
			if l := levers[k]; l.Error == "" {
				if l.Attributes[0] == "position" {
					pos = append(pos, l)
				} else {
					sal = append(sal, l)
				}
			}
		}
		sortLevers(pos)
		sortLevers(sal)
		if len(pos) > 0 && pos[0].Gain > 0 {
			o.BestPosition = &pos[0]
		}
		if len(sal) > 0 && sal[0].Gain > 0 {
			o.BestSalience = &sal[0]
		}
		for _, l := range pos {
			if l.Issues[0] == is.ID && reaches(l.Value) && (o.Reach == nil || math.Abs(l.To[0]-l.From[0]) < math.Abs(o.Reach.To[0]-o.Reach.From[0])) {
				r := l
				o.Reach = &r
			}
		}
		res.Others = append(res.Others, o)
	}
	// Bisection between each reaching grid point and the nearest grid
	// point on the same side that does not reach, all actors a step at a
	// time.
	type bracket struct {
		other  int
		lo, hi float64
	}
	var brs []bracket
	for k := range res.Others {
		o := &res.Others[k]
		if o.Reach != nil {
			brs = append(brs, bracket{other: k, lo: bracketStart(o, levers, byActor[o.Actor], reaches), hi: o.Reach.To[0]})
		}
	}
	for range refineSteps {
		if len(brs) == 0 {
			break
		}
		chs := make([]change, len(brs))
		for k, br := range brs {
			chs[k] = change{actors: []int{index[res.Others[br.other].Actor]}, issues: []string{is.ID}, attrs: []string{"position"}, to: []float64{(br.lo + br.hi) / 2}}
		}
		for k, l := range runAll(chs) {
			if l.Error == "" && reaches(l.Value) {
				brs[k].hi = l.To[0]
				res.Others[brs[k].other].Reach = &l
			} else {
				brs[k].lo = l.To[0]
			}
		}
	}
	slices.SortStableFunc(res.Others, func(x, y Other) int {
		gx, gy := math.Inf(-1), math.Inf(-1)
		if b := x.best(); b != nil {
			gx = b.Gain
		}
		if b := y.best(); b != nil {
			gy = b.Gain
		}
		return cmp.Compare(gy, gx)
	})
	// Pairs of the most helpful actors' best changes.
	var top []*Lever
	for k := range res.Others {
		if b := res.Others[k].best(); b != nil && len(top) < pairActors {
			top = append(top, b)
		}
	}
	var pairs []change
	var parts [][2]*Lever
	for x := range top {
		for y := x + 1; y < len(top); y++ {
			p, q := top[x], top[y]
			pairs = append(pairs, change{actors: []int{index[p.Actors[0]], index[q.Actors[0]]}, issues: []string{p.Issues[0], q.Issues[0]},
				attrs: []string{p.Attributes[0], q.Attributes[0]}, to: []float64{p.To[0], q.To[0]}})
			parts = append(parts, [2]*Lever{p, q})
		}
	}
	for k, l := range runAll(pairs) {
		if l.Error != "" {
			continue
		}
		res.Pairs = append(res.Pairs, Pair{Lever: l, Synergy: l.Gain - parts[k][0].Gain - parts[k][1].Gain})
	}
	slices.SortStableFunc(res.Pairs, func(x, y Pair) int { return cmp.Compare(y.Gain, x.Gain) })
	// The levers reported get their forecast and settlement from a full
	// run (the value is the same, bit for bit).
	if forecasters.New != nil {
		var kept []*Lever
		for k := range res.Own {
			kept = append(kept, &res.Own[k])
		}
		for k := range res.Others {
			o := &res.Others[k]
			for _, l := range []*Lever{o.BestPosition, o.BestSalience, o.Reach} {
				if l != nil {
					kept = append(kept, l)
				}
			}
		}
		for k := range res.Pairs {
			kept = append(kept, &res.Pairs[k].Lever)
		}
		numeric.ParallelFor(len(kept), cfg.Workers, func(k int) {
			l := kept[k]
			ch := change{issues: l.Issues, attrs: l.Attributes, to: l.To}
			for _, id := range l.Actors {
				ch.actors = append(ch.actors, index[id])
			}
			if o, err := full(ch); err == nil {
				l.Outcome = o
			}
		})
		res.Runs += len(kept)
	}
	return res, nil
}

// bracketStart is the nearest grid position of the other actor, on the
// side of its reaching move, that does not reach the target (or its own
// position).
func bracketStart(o *Other, levers []Lever, idx []int, reaches func(float64) bool) float64 {
	x0 := o.Reach.From[0]
	lo, hi := x0, o.Reach.To[0]
	for _, k := range idx {
		l := levers[k]
		if l.Error != "" || l.Issues[0] != o.Reach.Issues[0] || l.Attributes[0] != "position" || reaches(l.Value) {
			continue
		}
		if (l.To[0]-x0)*(hi-x0) > 0 && math.Abs(l.To[0]-x0) < math.Abs(hi-x0) && math.Abs(l.To[0]-x0) > math.Abs(lo-x0) {
			lo = l.To[0]
		}
	}
	return lo
}

// sortLevers orders levers by gain, then the smaller change, then the
// order given.
func sortLevers(ls []Lever) {
	slices.SortStableFunc(ls, func(x, y Lever) int {
		if c := cmp.Compare(y.Gain, x.Gain); c != 0 {
			return c
		}
		return cmp.Compare(math.Abs(x.To[0]-x.From[0]), math.Abs(y.To[0]-y.From[0]))
	})
}

// apply returns a copy of sc with the change made to the stances; the
// original is not touched.
func apply(sc *scenario.Scenario, ch change) *scenario.Scenario {
	if len(ch.actors) == 0 {
		return sc
	}
	out := *sc
	out.Actors = slices.Clone(sc.Actors)
	for x, i := range ch.actors {
		ac := &out.Actors[i]
		st := make(map[string]scenario.Stance, len(ac.Stances))
		for k, v := range ac.Stances {
			st[k] = v
		}
		s := st[ch.issues[x]]
		if ch.attrs[x] == "position" {
			s.Position.Value = ch.to[x]
		} else {
			s.Salience.Value = ch.to[x]
		}
		st[ch.issues[x]] = s
		ac.Stances = st
	}
	return &out
}
