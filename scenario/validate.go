package scenario

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"
)

// Validate checks a scenario for every problem at once and returns them as
// Problems (nil when the scenario is sound). Fields are named by path, for
// example "actors[2].stances.status.salience".
func (s *Scenario) Validate() error {
	ps := s.check()
	if len(ps) == 0 {
		return nil
	}
	for i := range ps {
		ps[i].File = s.File
	}
	return ps
}

func (s *Scenario) check() Problems {
	var l problemList
	if s.Name == "" {
		l.add("name", "missing scenario name")
	}
	if s.AsOf != "" {
		if _, err := time.Parse(time.DateOnly, s.AsOf); err != nil {
			l.add("as_of", "date %q is not of the form YYYY-MM-DD", s.AsOf)
		}
	}
	if !finite(s.SalienceScale) || s.SalienceScale < 0 {
		l.add("salience_scale", "must be a positive number, got %v", s.SalienceScale)
	} else if s.SalienceScale > MaxMagnitude {
		l.add("salience_scale", tooLarge, s.SalienceScale, MaxMagnitude)
	}
	sources := map[string]bool{}
	for i, src := range s.Sources {
		f := fmt.Sprintf("sources[%d]", i)
		checkID(&l, sources, f+".id", src.ID, "source")
		if src.Date != "" && !validDate(src.Date) {
			l.add(f+".date", "date %q is not of the form YYYY-MM-DD, YYYY-MM or YYYY", src.Date)
		}
	}
	evidence := func(field string, n Number) { checkEvidence(&l, sources, field, n.Evidence) }

	if len(s.Issues) == 0 {
		l.add("issues", "no issues")
	}
	issues, issueIDs := map[string]*Issue{}, map[string]bool{}
	for i := range s.Issues {
		is := &s.Issues[i]
		f := fmt.Sprintf("issues[%d]", i)
		if checkID(&l, issueIDs, f+".id", is.ID, "issue") {
			issues[is.ID] = is
		}
		if !finite(is.Min) {
			l.add(f+".min", "scale minimum must be a finite number")
		}
		if !finite(is.Max) {
			l.add(f+".max", "scale maximum must be a finite number")
		}
		if finite(is.Min) && finite(is.Max) && is.Min >= is.Max {
			l.add(f+".max", "scale maximum %v must be greater than minimum %v", is.Max, is.Min)
		}
		for _, end := range []struct {
			field string
			v     float64
		}{{".min", is.Min}, {".max", is.Max}} {
			if finite(end.v) && math.Abs(end.v) > MaxMagnitude {
				l.add(f+end.field, tooLarge, end.v, MaxMagnitude)
			}
		}
		for j, a := range is.Anchors {
			af := fmt.Sprintf("%s.anchors[%d]", f, j)
			if !finite(a.Value) || a.Value < is.Min || a.Value > is.Max {
				l.add(af+".value", "anchor %v is outside the scale %v to %v", a.Value, is.Min, is.Max)
			}
			if a.Label == "" {
				l.add(af+".label", "missing label")
			}
		}
	}

	if len(s.Actors) == 0 {
		l.add("actors", "no actors")
	}
	smax := s.SalienceMax()
	actors := map[string]bool{}
	held := map[string]float64{} // issue -> total capability × salience
	for i := range s.Actors {
		a := &s.Actors[i]
		f := fmt.Sprintf("actors[%d]", i)
		checkID(&l, actors, f+".id", a.ID, "actor")
		if a.Kind != "" && !slices.Contains(Kinds, a.Kind) {
			l.add(f+".kind", "unknown kind %q (want one of %v)", a.Kind, Kinds)
		}
		c := a.Capability
		if !c.Set {
			l.add(f+".capability", "missing capability")
		} else {
			checkCapability(&l, f+".capability", c.Value)
		}
		evidence(f+".capability", c)
		checkSpread(&l, f+".capability", c, 0, MaxMagnitude)
		if a.Risk != nil && (!finite(*a.Risk) || *a.Risk < 0.5 || *a.Risk > 2) {
			l.add(f+".risk", "risk attitude must lie between 0.5 and 2, got %v", *a.Risk)
		}
		if len(a.Stances) == 0 {
			l.add(f+".stances", "actor holds no position on any issue")
		}
		for _, id := range sortedKeys(a.Stances) {
			st := a.Stances[id]
			sf := f + ".stances." + id
			is := issues[id]
			if is == nil {
				l.add(sf, "unknown issue %q", id)
			}
			p := st.Position
			switch {
			case !p.Set:
				l.add(sf+".position", "missing position")
			case !finite(p.Value):
				l.add(sf+".position", "position must be a finite number, got %v", p.Value)
			case is != nil && (p.Value < is.Min || p.Value > is.Max):
				l.add(sf+".position", "position %v is outside the scale %v to %v", p.Value, is.Min, is.Max)
			}
			sal := st.Salience
			switch {
			case !sal.Set:
				l.add(sf+".salience", "missing salience")
			case !finite(sal.Value) || sal.Value < 0 || sal.Value > smax:
				l.add(sf+".salience", "salience %v is outside the scale 0 to %v", sal.Value, smax)
			}
			evidence(sf+".position", p)
			evidence(sf+".salience", sal)
			if is != nil {
				checkSpread(&l, sf+".position", p, is.Min, is.Max)
			}
			checkSpread(&l, sf+".salience", sal, 0, smax)
			cap := c
			if st.Capability.Set {
				cap = st.Capability
				checkCapability(&l, sf+".capability", cap.Value)
				checkSpread(&l, sf+".capability", cap, 0, MaxMagnitude)
			}
			evidence(sf+".capability", st.Capability)
			if is != nil && p.Set && sal.Set && cap.Set {
				held[id] += cap.Value * sal.Value
			}
		}
	}
	for i, is := range s.Issues {
		if is.ID == "" || issues[is.ID] != &s.Issues[i] {
			continue
		}
		if w, ok := held[is.ID]; !ok {
			l.add(fmt.Sprintf("issues[%d]", i), "no actor holds a position on issue %q", is.ID)
		} else if w == 0 && len(s.Actors) > 0 {
			l.add(fmt.Sprintf("issues[%d]", i), "every actor on issue %q has zero capability or zero salience", is.ID)
		}
	}
	s.checkProcess(&l)
	s.Uncertainty.check(&l)
	if s.KTAB != nil {
		s.KTAB.check(s, &l)
	}
	return append(l.ps, checkText(s)...)
}

// MaxMagnitude bounds the size of a scenario's scale ends, capabilities,
// salience scale and spreads. The models add and multiply them (the
// capability × salience weights summed over every actor, the spans of
// scales): a scale from −1.7e308 to 1.7e308 has a span of +Inf, and every
// model's forecast became NaN, which no JSON document can hold ('parley
// forecast --json' and saving the run failed). 10¹⁵ holds any count a
// coder uses (a capability in dollars of GDP is about 10¹³) with room for
// the sums.
const MaxMagnitude = 1e15

// tooLarge is the problem of a number beyond MaxMagnitude.
const tooLarge = "%v lies beyond ±%v, the largest size Parley takes (it sums and multiplies these numbers)"

// checkCapability reports a capability (an actor's, or its own on one
// issue) that is not a finite number from 0 to MaxMagnitude.
func checkCapability(l *problemList, field string, v float64) {
	switch {
	case !finite(v):
		l.add(field, "capability must be a finite number, got %v", v)
	case v < 0:
		l.add(field, "capability must not be negative, got %v", v)
	case v > MaxMagnitude:
		l.add(field, tooLarge, v, MaxMagnitude)
	}
}

// checkSpread reports a number's own uncertainty that cannot be used: a
// range and an sd together, a range that is not two finite numbers low ≤
// high holding the value within [lo, hi] (the values the number may
// take), an sd that is negative or not finite.
func checkSpread(l *problemList, field string, n Number, lo, hi float64) {
	if n.Range != nil && n.SD != nil {
		l.add(field, "give a range or an sd, not both")
	}
	if r := n.Range; r != nil {
		switch {
		case len(r) != 2:
			l.add(field+".range", "want two numbers [low, high], got %d", len(r))
		case !finite(r[0]) || !finite(r[1]):
			l.add(field+".range", "range bounds must be finite numbers, got [%v, %v]", r[0], r[1])
		case r[0] > r[1]:
			l.add(field+".range", "range low %v is above its high %v", r[0], r[1])
		case r[0] < lo || r[1] > hi:
			l.add(field+".range", "range [%v, %v] is outside %s", r[0], r[1], domain(lo, hi))
		case n.Set && finite(n.Value) && (n.Value < r[0] || n.Value > r[1]):
			l.add(field+".range", "range [%v, %v] does not hold the value %v", r[0], r[1], n.Value)
		}
	}
	if n.SD != nil && !(finite(*n.SD) && *n.SD >= 0) {
		l.add(field+".sd", "sd must be a finite number of 0 or more, got %v", *n.SD)
	} else if n.SD != nil && *n.SD > MaxMagnitude {
		l.add(field+".sd", tooLarge, *n.SD, MaxMagnitude)
	}
}

// domain names the values from lo to hi for messages.
func domain(lo, hi float64) string {
	if math.IsInf(hi, 1) {
		return fmt.Sprintf("the values of %v or more", lo)
	}
	return fmt.Sprintf("the scale %v to %v", lo, hi)
}

// validDate accepts a full date, a month or a year.
func validDate(s string) bool {
	for _, layout := range []string{time.DateOnly, "2006-01", "2006"} {
		if _, err := time.Parse(layout, s); err == nil {
			return true
		}
	}
	return false
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// parseFinite reads a finite number; ok is false for text that is not a
// number and for the NaN and ±Inf that strconv.ParseFloat accepts.
func parseFinite(s string) (v float64, ok bool) {
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil && finite(v)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// checkEvidence reports evidence entries that cite no known source, give
// a negative paragraph or lack a paraphrase.
func checkEvidence(l *problemList, sources map[string]bool, field string, es []Evidence) {
	for i, e := range es {
		f := fmt.Sprintf("%s.evidence[%d]", field, i)
		if e.Source == "" {
			l.add(f+".source", "missing source id")
		} else if !sources[e.Source] {
			l.add(f+".source", "unknown source %q", e.Source)
		}
		if e.Paragraph < 0 {
			l.add(f+".paragraph", "paragraph must be 1 or more, got %d", e.Paragraph)
		}
		if e.Text == "" {
			l.add(f+".text", "missing paraphrase of the evidence")
		}
	}
}
