package export

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"strings"

	"github.com/parley-project/parley/internal/plural"
	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/report"
	"github.com/parley-project/parley/scenario"
)

// Report says what an exported file loses.
type Report struct {
	Format string `json:"format"`
	// Notes lists what the file leaves out (Dropped) or holds differently
	// (Changed), in a fixed order.
	Notes []Note `json:"notes"`
	// Forecasts lists each issue and model whose forecast on the file
	// read back differs from the scenario's, or that cannot run on it.
	Forecasts []Difference `json:"forecasts"`
}

// Note kinds.
const (
	Dropped = "dropped"
	Changed = "changed"
	Skipped = "skipped" // a comparison not made
)

// MaxRoundStances bounds the comparison of round-based models (those
// with a default number of rounds: eum, smp, exchange, procedure): they
// are run on the scenario and the file only when the file holds at most
// this many actor–issue stances. The Kosovo scenario's 114 take a fraction
// of a second; 250 actors on 5 issues take over a minute on two shared
// cores (smp alone 39 s), longer than an export should.
const MaxRoundStances = 300

// Note is one thing an exported file loses.
type Note struct {
	Kind string `json:"kind"`
	// What names it: "scale labels", "evidence", "saliences", …
	What string `json:"what"`
	// Detail says how much and what follows from it.
	Detail string `json:"detail"`
}

func (n Note) String() string { return n.Kind + " " + n.What + ": " + n.Detail }

// Difference is a forecast the file changes: the model's forecast on the
// issue (the value its summary shows: the fixed point, the mean over a
// cycle, or the forecast of a static model) for the scenario and for the
// file read back, both on the scenario's scale.
type Difference struct {
	Issue    string  `json:"issue"`
	Model    string  `json:"model"`
	Scenario float64 `json:"scenario"`
	File     float64 `json:"file"`
	// Error says why the model cannot run on the file read back (then
	// File is 0).
	Error string `json:"error,omitempty"`
}

// Empty reports whether the file loses nothing.
func (r *Report) Empty() bool { return len(r.Notes) == 0 && len(r.Forecasts) == 0 }

func (r *Report) add(kind, what, format string, args ...any) {
	r.Notes = append(r.Notes, Note{kind, what, fmt.Sprintf(format, args...)})
}

// Check compares sc with data, the file e wrote from it, read back as
// 'parley import' reads it, and runs opt.Models on both.
func Check(ctx context.Context, sc *scenario.Scenario, data []byte, e scenario.Exporter, opt Options) (*Report, error) {
	rep := &Report{Format: e.Name, Notes: []Note{}, Forecasts: []Difference{}}
	file := opt.File
	if file == "" {
		file = sc.Name + "." + e.Ext
	}
	back, err := scenario.Parse(data, filepath.Base(file))
	if err != nil {
		rep.add(Changed, "the whole file", "it does not read back: %v", err)
		return rep, nil
	}
	d := newDiff(sc, back, opt)
	d.scenarioNotes(rep)
	d.issueNotes(rep)
	d.actors(rep)
	d.numbers(rep)
	d.issueCapabilities(rep, ktabFormat(e))
	d.weights(rep, ktabFormat(e))
	d.stances(rep)
	d.sections(rep)
	if opt.Models != nil {
		if err := d.forecasts(ctx, rep, opt.Models); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

// diff pairs the scenario's issues and actors with the file's.
type diff struct {
	sc, back *scenario.Scenario
	// issues pairs each issue written with the file's issue (by order:
	// every format keeps it); maps maps positions x on the scenario's
	// issue to a·x+b on the file's.
	issues []issuePair
	// skipped are the scenario's issues the file does not hold.
	skipped []string
}

type issuePair struct {
	sc, back *scenario.Issue
	a, b     float64
	affine   bool // every position maps by a·x+b
}

// toScenario maps a value on the file's issue back to the scenario's.
func (p issuePair) toScenario(v float64) float64 { return (v - p.b) / p.a }

func newDiff(sc, back *scenario.Scenario, opt Options) *diff {
	d := &diff{sc: sc, back: back}
	written := sc.Issues
	if len(back.Issues) < len(sc.Issues) {
		// A one-issue format: the issue asked for, or the only one.
		id := opt.Issue
		if id == "" && len(sc.Issues) > 0 {
			id = sc.Issues[0].ID
		}
		written = nil
		for i := range sc.Issues {
			if sc.Issues[i].ID == id {
				written = sc.Issues[i : i+1]
			} else {
				d.skipped = append(d.skipped, sc.Issues[i].ID)
			}
		}
	}
	for k := range written {
		if k >= len(back.Issues) {
			break
		}
		p := issuePair{sc: &written[k], back: &back.Issues[k]}
		p.a, p.b, p.affine = positionMap(sc, back, p.sc.ID, p.back.ID)
		d.issues = append(d.issues, p)
	}
	return d
}

// positionMap finds the map x ↦ a·x+b taking the scenario's positions on
// an issue to the file's, from the lowest and highest position held, and
// reports whether it holds for every position (within a billionth of the
// scale).
func positionMap(sc, back *scenario.Scenario, id, backID string) (a, b float64, affine bool) {
	type pair struct{ x, y float64 }
	var pairs []pair
	for i := range sc.Actors {
		st, ok := sc.Actors[i].Stances[id]
		ba := back.Actor(sc.Actors[i].ID)
		if !ok || !st.Position.Set || ba == nil {
			continue
		}
		if bst, ok := ba.Stances[backID]; ok && bst.Position.Set {
			pairs = append(pairs, pair{st.Position.Value, bst.Position.Value})
		}
	}
	if len(pairs) == 0 {
		return 1, 0, true
	}
	lo, hi := pairs[0], pairs[0]
	for _, p := range pairs {
		if p.x < lo.x {
			lo = p
		}
		if p.x > hi.x {
			hi = p
		}
	}
	a, b = 1, lo.y-lo.x
	if hi.x > lo.x {
		a = (hi.y - lo.y) / (hi.x - lo.x)
		b = lo.y - a*lo.x
	}
	if !(a > 0) {
		return 1, 0, false
	}
	is := sc.Issue(id)
	tol := 1e-9 * math.Max(math.Abs(is.Max-is.Min), 1) * a
	for _, p := range pairs {
		if math.Abs(a*p.x+b-p.y) > tol {
			return a, b, false
		}
	}
	return a, b, true
}

// scenarioNotes notes the scenario's own fields.
func (d *diff) scenarioNotes(rep *Report) {
	var lost []string
	if d.sc.Title != "" && d.back.Title != d.sc.Title {
		lost = append(lost, "title")
	}
	if d.sc.Description != "" && strings.Join(strings.Fields(d.back.Description), " ") != strings.Join(strings.Fields(d.sc.Description), " ") {
		lost = append(lost, "description")
	}
	if d.sc.AsOf != "" && d.back.AsOf != d.sc.AsOf {
		lost = append(lost, "as-of date")
	}
	if len(lost) > 0 {
		rep.add(Dropped, "scenario", "%s", strings.Join(lost, ", "))
	}
	if d.back.Name != d.sc.Name {
		rep.add(Changed, "name", "%s is read back as %s (the file's name)", d.sc.Name, d.back.Name)
	}
	if n := len(d.sc.Sources) - len(d.back.Sources); n > 0 {
		rep.add(Dropped, "sources", "%s", plural.Count(n, "source"))
	}
}

// issueNotes notes issues left out and each issue's id, name, scale and
// labels.
func (d *diff) issueNotes(rep *Report) {
	if len(d.skipped) > 0 {
		rep.add(Dropped, "issues", "%s not written: %s (the format holds one issue)", plural.Count(len(d.skipped), "issue"), strings.Join(d.skipped, ", "))
	}
	var ids, names, descs, scales []string
	anchors, labelled := 0, 0
	for _, p := range d.issues {
		if p.back.ID != p.sc.ID {
			ids = append(ids, p.sc.ID+" is "+p.back.ID)
		}
		if p.back.DisplayName() != p.sc.DisplayName() && p.sc.Name != "" {
			names = append(names, p.sc.ID)
		}
		if p.sc.Description != "" && p.back.Description != p.sc.Description {
			descs = append(descs, p.sc.ID)
		}
		if lost := lostAnchors(p); lost > 0 {
			anchors += lost
			labelled++
		}
		if !p.affine {
			continue
		}
		lo, hi := p.toScenario(p.back.Min), p.toScenario(p.back.Max)
		tol := 1e-9 * math.Max(p.sc.Max-p.sc.Min, 1)
		switch {
		case p.a != 1 || p.b != 0:
			scales = append(scales, fmt.Sprintf("the scale of %s, %s to %s, is written as %s to %s", p.sc.ID, num(p.sc.Min), num(p.sc.Max),
				num(p.a*p.sc.Min+p.b), num(p.a*p.sc.Max+p.b)))
		case math.Abs(lo-p.sc.Min) > tol || math.Abs(hi-p.sc.Max) > tol:
			scales = append(scales, fmt.Sprintf("the scale of %s, %s to %s, is read back as %s to %s (the range of the positions)", p.sc.ID,
				num(p.sc.Min), num(p.sc.Max), num(p.back.Min), num(p.back.Max)))
		}
	}
	if len(ids) > 0 {
		rep.add(Changed, "issue ids", "the format keeps no issue ids; read back, %s", strings.Join(ids, ", "))
	}
	if len(names) > 0 && len(ids) == 0 {
		rep.add(Dropped, "issue names", "%s", strings.Join(names, ", "))
	}
	if len(descs) > 0 {
		rep.add(Dropped, "issue descriptions", "%s", strings.Join(descs, ", "))
	}
	if anchors > 0 {
		rep.add(Dropped, "scale labels", "%s on %s: positions and forecasts read back carry no labels", plural.Count(anchors, "labelled anchor"), plural.Count(labelled, "issue"))
	}
	if len(scales) > 0 {
		rep.add(Changed, "scales", "%s; forecasts on the file are on its scale", strings.Join(scales, "; "))
	}
	for _, p := range d.issues {
		if !p.affine {
			rep.add(Changed, "positions", "issue %q: the positions read back are not the scenario's on another scale", p.sc.ID)
		}
	}
}

// lostAnchors counts the issue's labelled anchors the file does not hold
// at the same place with the same label.
func lostAnchors(p issuePair) int {
	n := 0
	for _, an := range p.sc.Anchors {
		v := p.a*an.Value + p.b
		found := false
		for _, bn := range p.back.Anchors {
			if bn.Label == an.Label && math.Abs(bn.Value-v) <= 1e-9*math.Max(math.Abs(v), 1) {
				found = true
			}
		}
		if !found {
			n++
		}
	}
	return n
}

// actors notes actors left out and their names, kinds and risk attitudes.
func (d *diff) actors(rep *Report) {
	var missing []string
	names, kinds, risks := 0, 0, 0
	for i := range d.sc.Actors {
		a := &d.sc.Actors[i]
		b := d.back.Actor(a.ID)
		if b == nil {
			missing = append(missing, a.ID)
			continue
		}
		if a.Name != "" && b.DisplayName() != a.DisplayName() {
			names++
		}
		if a.Kind != "" && b.Kind != a.Kind {
			kinds++
		}
		if a.Risk != nil && (b.Risk == nil || *b.Risk != *a.Risk) {
			risks++
		}
	}
	if len(missing) > 0 {
		why := ""
		if len(d.issues) == 1 {
			why = fmt.Sprintf(" (no stance on %s)", d.issues[0].sc.ID)
		}
		rep.add(Dropped, "actors", "%s not written%s: %s", plural.Count(len(missing), "actor"), why, strings.Join(missing, ", "))
	}
	var lost []string
	if names > 0 {
		lost = append(lost, plural.Count(names, "name"))
	}
	if kinds > 0 {
		lost = append(lost, plural.Count(kinds, "kind"))
	}
	if risks > 0 {
		lost = append(lost, plural.Count(risks, "fixed risk attitude")+" (models derive them instead)")
	}
	if len(lost) > 0 {
		rep.add(Dropped, "actor details", "%s", strings.Join(lost, ", "))
	}
}

// numbers notes the evidence, notes and uncertainty of the capabilities,
// positions and saliences the file holds.
func (d *diff) numbers(rep *Report) {
	var evidence, notes, spread, inferred int
	count := func(a, b scenario.Number) {
		if len(a.Evidence) > 0 && len(b.Evidence) < len(a.Evidence) {
			evidence++
		}
		if a.Note != "" && b.Note != a.Note {
			notes++
		}
		if a.Spread() && !b.Spread() {
			spread++
		}
		if a.Inferred && !b.Inferred {
			inferred++
		}
	}
	for i := range d.sc.Actors {
		a := &d.sc.Actors[i]
		b := d.back.Actor(a.ID)
		if b == nil {
			continue
		}
		count(a.Capability, b.Capability)
		for _, p := range d.issues {
			st, ok := a.Stances[p.sc.ID]
			bst, bok := b.Stances[p.back.ID]
			if ok && bok {
				count(st.Position, bst.Position)
				count(st.Salience, bst.Salience)
				if st.Capability.Set {
					count(st.Capability, bst.Capability)
				}
			}
		}
	}
	if evidence > 0 {
		rep.add(Dropped, "evidence", "the source citations behind %s (without them a number counts as inferred, with the wider default uncertainty)", plural.Count(evidence, "number"))
	}
	if notes > 0 {
		rep.add(Dropped, "notes", "%s", plural.Count(notes, "note"))
	}
	var unc []string
	if spread > 0 {
		unc = append(unc, "the ranges or standard deviations of "+plural.Count(spread, "number"))
	}
	if inferred > 0 {
		unc = append(unc, "the 'inferred' mark of "+plural.Count(inferred, "number"))
	}
	if d.sc.Uncertainty != nil && !reflect.DeepEqual(d.sc.Uncertainty, d.back.Uncertainty) {
		unc = append(unc, "the uncertainty section")
	}
	if len(unc) > 0 {
		rep.add(Dropped, "uncertainty", "%s; sweeps, --interval and sensitivity on the file use the defaults (docs/uncertainty.md)", strings.Join(unc, ", "))
	}
}

// weights notes changed capabilities and saliences, and whether each
// issue's capability × salience weights keep their proportions.
func (d *diff) weights(rep *Report, ktab bool) {
	var caps, sals int
	ratio, kept := math.NaN(), true
	smax, bmax := d.sc.SalienceMax(), d.back.SalienceMax()
	for i := range d.sc.Actors {
		a := &d.sc.Actors[i]
		b := d.back.Actor(a.ID)
		if b == nil {
			continue
		}
		salChanged, capChanged := false, false
		for _, p := range d.issues {
			st, ok := a.Stances[p.sc.ID]
			bst, bok := b.Stances[p.back.ID]
			if !ok || !bok || !st.Position.Set {
				continue
			}
			s, bs := st.Salience.Value/smax, bst.Salience.Value/bmax
			if !near(s, bs) {
				salChanged = true
			}
			// Each actor's capability on the issue (its own there, if it
			// has one): a capability of its own that the file loses is
			// noted by issueCapabilities.
			c, bc := a.CapabilityOn(p.sc.ID), b.CapabilityOn(p.back.ID)
			if !near(c, bc) && !ownCapability(a, p.sc.ID) {
				capChanged = true
			}
			w, bw := c*s, bc*bs
			switch {
			case w == 0 && bw == 0:
			case w == 0 || bw == 0:
				kept = false
			case math.IsNaN(ratio):
				ratio = bw / w
			case !near(bw/w, ratio):
				kept = false
			}
		}
		if salChanged {
			sals++
		}
		if capChanged {
			caps++
		}
	}
	if caps == 0 && sals == 0 {
		return
	}
	why := ""
	if ktab && sals > 0 {
		why = " so that each actor's saliences total at most 100 (KTAB's rule)"
	}
	var what []string
	if sals > 0 {
		what = append(what, "the saliences of "+plural.Count(sals, "actor")+" are divided by their total"+why)
	}
	if caps > 0 {
		what = append(what, "the capabilities of "+plural.Count(caps, "actor")+" are multiplied by it")
	}
	if kept {
		rep.add(Changed, "saliences", "%s: capability × salience keeps its proportions on every issue", strings.Join(what, " and "))
		return
	}
	msg := strings.Join(what, " and ") + ": capability × salience, each actor's weight on an issue, changes between actors"
	if ktab && caps == 0 {
		msg += "; --keep-weights multiplies those actors' capabilities by the same totals, which keeps the weights (and the one-issue models' forecasts) but not smp's"
	}
	rep.add(Changed, "saliences", "%s", msg)
}

func near(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(math.Max(math.Abs(a), math.Abs(b)), 1e-300)
}

// stances notes stances the file adds (actors with no stance on an issue
// written as holding one) or leaves out.
func (d *diff) stances(rep *Report) {
	added, zero, dropped := 0, 0, 0
	d.eachPair(func(a, b *scenario.Actor, p issuePair) {
		st, ok := a.Stances[p.sc.ID]
		held := ok && st.Position.Set
		bst, bok := b.Stances[p.back.ID]
		bheld := bok && bst.Position.Set
		switch {
		case bheld && !held:
			added++
			if bst.Salience.Value == 0 {
				zero++
			}
		case held && !bheld:
			dropped++
		}
	})
	if added > 0 {
		how := ""
		if zero == added {
			how = " with salience 0 at the issue's capability × salience weighted mean"
		}
		rep.add(Changed, "stances", "%s with no stance (not involved) are written as stances%s, because the format puts every actor on every issue; read back they count as parties",
			plural.Count(added, "actor–issue pair"), how)
	}
	if dropped > 0 {
		rep.add(Dropped, "stances", "%s", plural.Count(dropped, "stance"))
	}
}

// sections notes the KTAB settings and the process sections.
func (d *diff) sections(rep *Report) {
	if k := d.sc.KTAB; k != nil && (len(k.Parameters) > 0 || k.Seed != "" || len(k.IdealAdjustment) > 0) && !reflect.DeepEqual(k, d.back.KTAB) {
		var what []string
		if len(k.Parameters) > 0 {
			what = append(what, "model parameters")
		}
		if k.Seed != "" {
			what = append(what, "seed")
		}
		if len(k.IdealAdjustment) > 0 {
			what = append(what, "ideal adjustments")
		}
		rep.add(Dropped, "KTAB settings", "%s (smp on the file takes KTAB's defaults)", strings.Join(what, ", "))
	}
	var lost []string
	if n := len(d.sc.Institutions); n > 0 && len(d.back.Institutions) < n {
		lost = append(lost, plural.Count(n, "institution"))
	}
	if p := d.sc.Process; p != nil && d.back.Process == nil {
		lost = append(lost, "the process ("+plural.Count(len(p.Stages), "stage")+")")
	}
	if n := len(d.sc.Contagion); n > 0 && len(d.back.Contagion) < n {
		lost = append(lost, plural.Count(n, "linked dispute"))
	}
	if len(lost) > 0 {
		rep.add(Dropped, "process", "%s: 'parley process', 'vote' on the scenario's bodies and the procedure model's institutions need them", strings.Join(lost, ", "))
	}
}

// forecasts runs every model with its default settings on the scenario
// and on the file read back and records each issue whose forecast
// differs by more than a millionth of its scale.
func (d *diff) forecasts(ctx context.Context, rep *Report, models *model.Registry) error {
	stances := 0
	for i := range d.back.Actors {
		stances += len(d.back.Actors[i].Stances)
	}
	var skipped []string
	for _, m := range models.All() {
		name := m.Info().Name
		if m.Info().Rounds > 0 && stances > MaxRoundStances {
			skipped = append(skipped, name)
			continue
		}
		want, err := m.Run(ctx, d.sc, model.Options{})
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			continue // the model cannot run on the scenario either
		}
		got, err := m.Run(ctx, d.back, model.Options{})
		if ctx.Err() != nil {
			return ctx.Err()
		}
		for _, p := range d.issues {
			wi := issueResult(want, p.sc.ID)
			if wi == nil {
				continue
			}
			if err != nil {
				rep.Forecasts = append(rep.Forecasts, Difference{Issue: p.sc.ID, Model: name, Scenario: report.HeadlineValue(wi), Error: err.Error()})
				continue
			}
			gi := issueResult(got, p.back.ID)
			if gi == nil {
				rep.Forecasts = append(rep.Forecasts, Difference{Issue: p.sc.ID, Model: name, Scenario: report.HeadlineValue(wi), Error: "no forecast for the issue"})
				continue
			}
			w, g := report.HeadlineValue(wi), p.toScenario(report.HeadlineValue(gi))
			if math.Abs(w-g) > 1e-6*math.Max(p.sc.Max-p.sc.Min, 1e-300) {
				rep.Forecasts = append(rep.Forecasts, Difference{Issue: p.sc.ID, Model: name, Scenario: w, File: g})
			}
		}
	}
	if len(skipped) > 0 {
		rep.add(Skipped, "forecasts", "%s not compared: the file holds %d actor–issue stances, more than the %d compared quickly; run them on the file to compare",
			strings.Join(skipped, ", "), stances, MaxRoundStances)
	}
	return nil
}

// eachPair calls f for every actor the file holds (a the scenario's, b
// the file's) on every issue written.
func (d *diff) eachPair(f func(a, b *scenario.Actor, p issuePair)) {
	for i := range d.sc.Actors {
		a := &d.sc.Actors[i]
		b := d.back.Actor(a.ID)
		if b == nil {
			continue
		}
		for _, p := range d.issues {
			f(a, b, p)
		}
	}
}

// ownCapability reports whether actor a has a capability of its own on
// the issue, other than its capability.
func ownCapability(a *scenario.Actor, issue string) bool {
	st, ok := a.Stances[issue]
	return ok && st.Capability.Set && st.Capability.Value != a.Capability.Value
}

// issueCapabilities notes the capabilities actors have of their own on
// single issues that the file does not hold (KTAB's formats give an actor
// one capability).
func (d *diff) issueCapabilities(rep *Report, ktab bool) {
	lost, actors := 0, map[string]bool{}
	d.eachPair(func(a, b *scenario.Actor, p issuePair) {
		if _, ok := b.Stances[p.back.ID]; ok && ownCapability(a, p.sc.ID) && !near(a.CapabilityOn(p.sc.ID), b.CapabilityOn(p.back.ID)) {
			lost++
			actors[a.ID] = true
		}
	})
	if lost == 0 {
		return
	}
	why := ""
	if ktab {
		why = " (KTAB's formats give an actor one capability; the actor's is written)"
	}
	rep.add(Dropped, "capabilities on issues", "%s (%s) give the actor a capability of its own on the issue%s", plural.Count(lost, "stance"), plural.Count(len(actors), "actor"), why)
}
