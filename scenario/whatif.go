package scenario

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
)

// WhatIf is a change made to a scenario just before a run, to ask "what
// if": some actors' numbers set to other values, some actors left out.
// The scenario itself is not changed (Apply works on a copy), and a run
// that applied a what-if records it beside the changed scenario it ran.
// Its parts are written as the command line's --set and --drop flags
// take them.
type WhatIf struct {
	// Set lists the numbers to change, each written ACTOR.ISSUE.position=V,
	// ACTOR.ISSUE.salience=V, ACTOR.capability=V or ACTOR.ISSUE.capability=V
	// (see ParseSetting).
	Set []string `json:"set,omitempty" yaml:"set,omitempty"`
	// Drop lists the ids of the actors to leave out.
	Drop []string `json:"drop,omitempty" yaml:"drop,omitempty"`
}

// The numbers a what-if may set.
const (
	FieldPosition   = "position"
	FieldSalience   = "salience"
	FieldCapability = "capability"
)

// MaxWhatIfChanges bounds the changes of one what-if (settings and
// dropped actors together).
const MaxWhatIfChanges = 10000

// Setting is one number a what-if sets: Field (FieldPosition,
// FieldSalience or FieldCapability) of Actor, on Issue for a position, a
// salience or a capability on one issue (Issue "" for the actor's
// capability), to Value.
type Setting struct {
	Actor, Issue, Field string
	Value               float64
}

// String writes the setting as ParseSetting reads it.
func (s Setting) String() string {
	v := strconv.FormatFloat(s.Value, 'g', -1, 64)
	if s.Issue == "" {
		return s.Actor + "." + s.Field + "=" + v
	}
	return s.Actor + "." + s.Issue + "." + s.Field + "=" + v
}

// ParseSetting reads a setting written ACTOR.ISSUE.position=V,
// ACTOR.ISSUE.salience=V, ACTOR.capability=V or ACTOR.ISSUE.capability=V
// (the actor's capability on that issue alone), V a finite number. It
// splits ACTOR.ISSUE at the first dot; Apply, which knows the scenario's
// ids, also finds an actor or issue id that holds a dot.
func ParseSetting(text string) (Setting, error) {
	lhs, val, ok := strings.Cut(text, "=")
	if !ok {
		return Setting{}, fmt.Errorf("%q: want ACTOR.ISSUE.position=V, ACTOR.ISSUE.salience=V, ACTOR.capability=V or ACTOR.ISSUE.capability=V", text)
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return Setting{}, fmt.Errorf("%q: the value %q is not a finite number", text, val)
	}
	lhs = strings.TrimSpace(lhs)
	k := strings.LastIndexByte(lhs, '.')
	if k < 0 {
		return Setting{}, fmt.Errorf("%q: name the number as ACTOR.ISSUE.position, ACTOR.ISSUE.salience, ACTOR.capability or ACTOR.ISSUE.capability", text)
	}
	s := Setting{Field: lhs[k+1:], Value: v}
	rest := lhs[:k]
	switch s.Field {
	case FieldCapability:
		// ACTOR.capability, or ACTOR.ISSUE.capability: resolve tells them
		// apart by the scenario's ids.
		s.Actor, s.Issue, _ = strings.Cut(rest, ".")
	case FieldPosition, FieldSalience:
		a, is, ok := strings.Cut(rest, ".")
		if !ok || is == "" {
			return Setting{}, fmt.Errorf("%q: a %s is an actor's on an issue: ACTOR.ISSUE.%s=V", text, s.Field, s.Field)
		}
		s.Actor, s.Issue = a, is
	default:
		return Setting{}, fmt.Errorf("%q: %q is not a number a what-if sets (want position, salience or capability)", text, s.Field)
	}
	if s.Actor == "" {
		return Setting{}, fmt.Errorf("%q: no actor named", text)
	}
	return s, nil
}

// Empty reports whether the what-if changes nothing (w may be nil).
func (w *WhatIf) Empty() bool { return w == nil || len(w.Set)+len(w.Drop) == 0 }

// String describes the what-if on one line: "russia.capability=30; drop
// serbia".
func (w *WhatIf) String() string {
	if w.Empty() {
		return ""
	}
	parts := slices.Clone(w.Set)
	for _, id := range w.Drop {
		parts = append(parts, "drop "+id)
	}
	return strings.Join(parts, "; ")
}

// Check reads every setting and bounds the number of changes, without a
// scenario (Apply checks the ids and values against one).
func (w *WhatIf) Check() error {
	_, err := w.settings()
	return err
}

// settings checks the what-if as Check does and returns its settings,
// read.
func (w *WhatIf) settings() ([]Setting, error) {
	if w.Empty() {
		return nil, nil
	}
	if n := len(w.Set) + len(w.Drop); n > MaxWhatIfChanges {
		return nil, fmt.Errorf("%d changes: a what-if makes at most %d", n, MaxWhatIfChanges)
	}
	out := make([]Setting, len(w.Set))
	for i, s := range w.Set {
		var err error
		if out[i], err = ParseSetting(s); err != nil {
			return nil, err
		}
	}
	for _, id := range w.Drop {
		if id == "" {
			return nil, fmt.Errorf("drop: an empty actor id")
		}
	}
	return out, nil
}

// Apply returns a copy of sc with the what-if's changes made, checked as
// Validate checks a scenario; sc itself is not changed. A setting
// replaces the number's value and keeps its evidence and note; a range
// that no longer holds the new value is dropped, so that the number takes
// the default spread of its evidence (docs/uncertainty.md). A position on
// an issue the actor holds none on needs its salience set as well. A
// dropped actor leaves the process with it: it is taken out of talks
// stages' parties, institutions vote for it no more (its members abstain,
// as members without a position do) and KTAB's ideal adjustments that
// name it go; an actor that makes a unilateral stage's act cannot be
// dropped. The error names the change at fault. An empty what-if returns
// sc itself.
func (w *WhatIf) Apply(sc *Scenario) (*Scenario, error) {
	if w.Empty() {
		return sc, nil
	}
	settings, err := w.settings()
	if err != nil {
		return nil, err
	}
	out, err := clone(sc)
	if err != nil {
		return nil, err
	}
	// Settings first, each against the scenario as given, then the drops.
	type stanceKey struct{ actor, issue string }
	created := map[stanceKey]*Stance{}
	for i, text := range w.Set {
		s, err := resolve(out, settings[i], text)
		if err != nil {
			return nil, err
		}
		a := out.Actor(s.Actor)
		if s.Field == FieldCapability && !(s.Value >= 0) {
			return nil, fmt.Errorf("%q: a capability is 0 or more", text)
		}
		if s.Field == FieldCapability && s.Issue == "" {
			setNumber(&a.Capability, s.Value)
			continue
		}
		is := out.Issue(s.Issue)
		key := stanceKey{s.Actor, s.Issue}
		st, held := a.Stances[s.Issue]
		if !held {
			if created[key] == nil {
				created[key] = &Stance{}
			}
			st = *created[key]
		}
		switch s.Field {
		case FieldPosition:
			if s.Value < is.Min || s.Value > is.Max {
				return nil, fmt.Errorf("%q: position %v is outside the scale %v to %v of %s", text, s.Value, is.Min, is.Max, is.ID)
			}
			setNumber(&st.Position, s.Value)
		case FieldSalience:
			if top := out.SalienceMax(); !(s.Value >= 0) || s.Value > top {
				return nil, fmt.Errorf("%q: a salience is from 0 to %v", text, top)
			}
			setNumber(&st.Salience, s.Value)
		case FieldCapability:
			setNumber(&st.Capability, s.Value)
		}
		if held {
			a.Stances[s.Issue] = st
		} else {
			*created[key] = st
		}
	}
	for _, key := range slices.SortedFunc(maps.Keys(created), func(a, b stanceKey) int {
		return strings.Compare(a.actor+"\x00"+a.issue, b.actor+"\x00"+b.issue)
	}) {
		st := created[key]
		switch {
		case !st.Position.Set:
			return nil, fmt.Errorf("%s holds no position on %s: set ACTOR.ISSUE.position as well as its salience", key.actor, key.issue)
		case !st.Salience.Set:
			return nil, fmt.Errorf("%s holds no position on %s: set %s.%s.salience as well as its position", key.actor, key.issue, key.actor, key.issue)
		}
		a := out.Actor(key.actor)
		if a.Stances == nil {
			a.Stances = map[string]Stance{}
		}
		a.Stances[key.issue] = *st
	}
	for _, id := range w.Drop {
		if err := drop(out, id); err != nil {
			return nil, err
		}
	}
	if err := out.Validate(); err != nil {
		return nil, fmt.Errorf("the scenario with the what-if %q: %w", w.String(), err)
	}
	return out, nil
}

// clone copies a scenario through its JSON form, which holds all of it
// but the file name.
func clone(sc *Scenario) (*Scenario, error) {
	data, err := json.Marshal(sc)
	if err != nil {
		return nil, err
	}
	var out Scenario
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, err
	}
	out.File = sc.File
	return &out, nil
}

// resolve finds the setting's actor and issue in sc, also when an id
// holds a dot (ParseSetting split at the first one).
func resolve(sc *Scenario, s Setting, text string) (Setting, error) {
	if s.Field == FieldCapability {
		whole := s.Actor
		if s.Issue != "" {
			whole += "." + s.Issue
		}
		if sc.Actor(whole) != nil {
			s.Actor, s.Issue = whole, ""
			return s, nil
		}
		if s.Issue == "" {
			return s, fmt.Errorf("%q: no actor %q (have %s)", text, s.Actor, strings.Join(sc.ActorIDs(), ", "))
		}
	}
	if sc.Actor(s.Actor) != nil && sc.Issue(s.Issue) != nil {
		return s, nil
	}
	both := s.Actor + "." + s.Issue
	for k := strings.IndexByte(both, '.'); k >= 0; k = nextDot(both, k) {
		if a, is := both[:k], both[k+1:]; sc.Actor(a) != nil && sc.Issue(is) != nil {
			s.Actor, s.Issue = a, is
			return s, nil
		}
	}
	if sc.Actor(s.Actor) == nil {
		return s, fmt.Errorf("%q: no actor %q (have %s)", text, s.Actor, strings.Join(sc.ActorIDs(), ", "))
	}
	return s, fmt.Errorf("%q: no issue %q (have %s)", text, s.Issue, strings.Join(sc.IssueIDs(), ", "))
}

func nextDot(s string, k int) int {
	j := strings.IndexByte(s[k+1:], '.')
	if j < 0 {
		return -1
	}
	return k + 1 + j
}

// setNumber gives n the value v, dropping a range that does not hold it.
func setNumber(n *Number, v float64) {
	n.Value, n.Set = v, true
	if len(n.Range) == 2 && (v < n.Range[0] || v > n.Range[1]) {
		n.Range = nil
	}
}

// drop takes the actor id out of sc and out of the sections that name it.
func drop(sc *Scenario, id string) error {
	k := slices.IndexFunc(sc.Actors, func(a Actor) bool { return a.ID == id })
	if k < 0 {
		return fmt.Errorf("drop %q: no actor %q (have %s)", id, id, strings.Join(sc.ActorIDs(), ", "))
	}
	if sc.Process != nil {
		for i := range sc.Process.Stages {
			st := &sc.Process.Stages[i]
			if st.Actor == id {
				return fmt.Errorf("drop %q: %s makes the act of the process stage %q; change the process instead", id, id, st.ID)
			}
			st.Parties = slices.DeleteFunc(st.Parties, func(p string) bool { return p == id })
		}
	}
	for i := range sc.Institutions {
		in := &sc.Institutions[i]
		for m, a := range in.Actors {
			if a == id {
				delete(in.Actors, m)
			}
		}
		for j := range in.Members {
			if in.Members[j].Actor == id {
				in.Members[j].Actor = ""
			}
		}
	}
	if sc.KTAB != nil {
		sc.KTAB.IdealAdjustment = slices.DeleteFunc(sc.KTAB.IdealAdjustment, func(p IdealAdjust) bool {
			return p.Actor == id || p.Reference == id
		})
	}
	sc.Actors = slices.Delete(sc.Actors, k, k+1)
	return nil
}
