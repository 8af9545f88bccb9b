// Package scenario defines Parley's description of a negotiation: the issues
// at stake, the actors with their capabilities, positions and saliences, the
// sources the coding rests on, and the evidence attached to each number. It
// also reads and validates scenario files (YAML, JSON, BDM CSV, KTAB CSV
// and KTAB XML) and writes KTAB's formats.
package scenario

import (
	"fmt"
	"maps"
	"math"
	"sort"

	"github.com/parley-project/parley/internal/plural"
)

// Actor kinds recognised by Parley.
const (
	KindState        = "state"
	KindOrganisation = "organisation"
	KindGroup        = "group"
	KindPerson       = "person"
)

// Kinds lists the valid actor kinds.
var Kinds = []string{KindState, KindOrganisation, KindGroup, KindPerson}

// DefaultSalienceScale is the upper end of the salience scale in native
// scenario files when the file does not say otherwise.
const DefaultSalienceScale = 100

// Scenario is one coded negotiation.
type Scenario struct {
	Name        string `yaml:"name" json:"name"`
	Title       string `yaml:"title,omitempty" json:"title,omitempty"`
	Description string `yaml:"description,omitempty" json:"description,omitempty"`
	// AsOf is the date the coding describes, as YYYY-MM-DD.
	AsOf string `yaml:"as_of,omitempty" json:"as_of,omitempty"`
	// SalienceScale is the upper end of the salience scale used in the file
	// (saliences run from 0 to SalienceScale); 0 means DefaultSalienceScale.
	SalienceScale float64  `yaml:"salience_scale,omitempty" json:"salience_scale,omitempty"`
	Sources       []Source `yaml:"sources,omitempty" json:"sources,omitempty"`
	Issues        []Issue  `yaml:"issues" json:"issues"`
	Actors        []Actor  `yaml:"actors" json:"actors"`
	// Uncertainty is the optional noise model for Monte Carlo sweeps.
	Uncertainty *Uncertainty `yaml:"uncertainty,omitempty" json:"uncertainty,omitempty"`
	// KTAB holds KTAB's model parameters, seed and ideal adjustments, read
	// from or written to KTAB's XML format; the smp model uses them.
	KTAB *KTAB `yaml:"ktab,omitempty" json:"ktab,omitempty"`

	// Institutions, Process and Contagion are the optional sections that
	// play out a process (see process.go).
	Institutions []Institution   `yaml:"institutions,omitempty" json:"institutions,omitempty"`
	Process      *Process        `yaml:"process,omitempty" json:"process,omitempty"`
	Contagion    []LinkedDispute `yaml:"contagion,omitempty" json:"contagion,omitempty"`

	// File is the name the scenario was read from (not serialised).
	File string `yaml:"-" json:"-"`
	// Warnings are what the reader left out of the file without refusing
	// it, as the file's own program would (not serialised): a Decide actor
	// with an #A row but no #D rows, for example.
	Warnings Problems `yaml:"-" json:"-"`
}

// Source is a document the coding cites.
type Source struct {
	ID     string `yaml:"id" json:"id"`
	Outlet string `yaml:"outlet,omitempty" json:"outlet,omitempty"`
	Title  string `yaml:"title,omitempty" json:"title,omitempty"`
	Author string `yaml:"author,omitempty" json:"author,omitempty"`
	Date   string `yaml:"date,omitempty" json:"date,omitempty"`
	// Ref locates the document (a file name, DOI or address).
	Ref string `yaml:"ref,omitempty" json:"ref,omitempty"`
}

// Evidence ties a number to a paragraph of a source, paraphrased in
// Parley's own words.
type Evidence struct {
	Source    string `yaml:"source" json:"source"`
	Paragraph int    `yaml:"paragraph,omitempty" json:"paragraph,omitempty"`
	Text      string `yaml:"text" json:"text"`
}

// Issue is one dimension of the dispute, a scale from Min to Max.
type Issue struct {
	ID          string   `yaml:"id" json:"id"`
	Name        string   `yaml:"name,omitempty" json:"name,omitempty"`
	Description string   `yaml:"description,omitempty" json:"description,omitempty"`
	Min         float64  `yaml:"min" json:"min"`
	Max         float64  `yaml:"max" json:"max"`
	Anchors     []Anchor `yaml:"anchors,omitempty" json:"anchors,omitempty"`
}

// Anchor labels a point of an issue scale.
type Anchor struct {
	Value float64 `yaml:"value" json:"value"`
	Label string  `yaml:"label" json:"label"`
}

// Actor is a party to the negotiation.
type Actor struct {
	ID   string `yaml:"id" json:"id"`
	Name string `yaml:"name,omitempty" json:"name,omitempty"`
	Kind string `yaml:"kind,omitempty" json:"kind,omitempty"`
	// Capability is the actor's relative ability to shape the outcome; only
	// ratios between actors matter.
	Capability Number `yaml:"capability" json:"capability"`
	// Risk is an optional fixed risk attitude (the exponent r of the
	// expected-utility model, 0.5 risk-acceptant to 2 risk-averse).
	Risk *float64 `yaml:"risk,omitempty" json:"risk,omitempty"`
	// Stances holds the actor's position and salience on each issue it takes
	// part in, keyed by issue id.
	Stances map[string]Stance `yaml:"stances" json:"stances"`
}

// Stance is an actor's position on one issue and how much the issue matters
// to it.
type Stance struct {
	Position Number `yaml:"position" json:"position"`
	Salience Number `yaml:"salience" json:"salience"`
	// Capability, when set, is the actor's capability on this issue in
	// place of the actor's own (Decide's power per actor and issue).
	Capability Number `yaml:"capability,omitempty" json:"capability,omitzero"`
}

// CapabilityOn returns the actor's capability on the issue: the stance's
// own when it sets one, else the actor's.
func (a *Actor) CapabilityOn(issueID string) float64 {
	if st, ok := a.Stances[issueID]; ok && st.Capability.Set {
		return st.Capability.Value
	}
	return a.Capability.Value
}

// IssueCapabilities reports whether any actor sets a capability of its own
// on an issue that differs from the actor's capability.
func (s *Scenario) IssueCapabilities() bool {
	for i := range s.Actors {
		a := &s.Actors[i]
		for _, st := range a.Stances {
			if st.Capability.Set && st.Capability.Value != a.Capability.Value {
				return true
			}
		}
	}
	return false
}

// ScaleCapability multiplies the actor's capability, and each capability
// it sets on an issue, by f. The stances are copied before they change,
// so a shallow copy of an actor can be scaled without touching the
// original.
func (a *Actor) ScaleCapability(f float64) {
	a.Capability.Value *= f
	var out map[string]Stance
	for id, st := range a.Stances {
		if st.Capability.Set {
			if out == nil {
				out = maps.Clone(a.Stances)
			}
			st.Capability.Value *= f
			out[id] = st
		}
	}
	if out != nil {
		a.Stances = out
	}
}

// Number is a coded value with the evidence behind it. In files it is
// written either as a plain number or as a mapping with value, evidence
// and an optional note, and optionally how uncertain the value is: a
// range [low, high] around it or a standard deviation sd, and whether it
// is inferred rather than read from a source. Sweeps, forecast intervals
// and sensitivity analysis use the range or sd; a number with neither
// gets the default of its evidence class (Direct), docs/uncertainty.md.
type Number struct {
	Value    float64    `yaml:"value" json:"value"`
	Note     string     `yaml:"note,omitempty" json:"note,omitempty"`
	Evidence []Evidence `yaml:"evidence,omitempty" json:"evidence,omitempty"`
	// Range is the interval [low, high] the value may lie in, holding the
	// value; draws follow the triangular distribution with its mode at
	// the value. Nil when not given.
	Range []float64 `yaml:"range,omitempty" json:"range,omitempty"`
	// SD is the standard deviation of the value, in its own units; draws
	// are normal around the value. Nil when not given.
	SD *float64 `yaml:"sd,omitempty" json:"sd,omitempty"`
	// Inferred marks a value the coder inferred rather than read from a
	// source (the sources do not state it, even if they bear on it).
	Inferred bool `yaml:"inferred,omitempty" json:"inferred,omitempty"`
	// Set reports whether the value was given at all.
	Set bool `yaml:"-" json:"-"`
}

// Direct reports whether the number rests on direct evidence: it cites
// a source and is not marked inferred. A number without its own range or
// sd gets the narrower default uncertainty when it is direct, the wider
// one otherwise (docs/uncertainty.md).
func (n Number) Direct() bool { return len(n.Evidence) > 0 && !n.Inferred }

// Spread reports whether the number carries its own uncertainty (a range
// or an sd).
func (n Number) Spread() bool { return n.Range != nil || n.SD != nil }

// N returns a plain Number holding v.
func N(v float64) Number { return Number{Value: v, Set: true} }

// SalienceMax returns the upper end of the salience scale.
func (s *Scenario) SalienceMax() float64 {
	if s.SalienceScale > 0 {
		return s.SalienceScale
	}
	return DefaultSalienceScale
}

// Issue returns the issue with the given id, or nil.
func (s *Scenario) Issue(id string) *Issue {
	for i := range s.Issues {
		if s.Issues[i].ID == id {
			return &s.Issues[i]
		}
	}
	return nil
}

// Actor returns the actor with the given id, or nil.
func (s *Scenario) Actor(id string) *Actor {
	for i := range s.Actors {
		if s.Actors[i].ID == id {
			return &s.Actors[i]
		}
	}
	return nil
}

// IssueIDs returns the issues' ids in file order (for messages that list
// the choices).
func (s *Scenario) IssueIDs() []string {
	ids := make([]string, len(s.Issues))
	for i := range s.Issues {
		ids[i] = s.Issues[i].ID
	}
	return ids
}

// ActorIDs returns the actors' ids in file order.
func (s *Scenario) ActorIDs() []string {
	ids := make([]string, len(s.Actors))
	for i := range s.Actors {
		ids[i] = s.Actors[i].ID
	}
	return ids
}

// SortActorIDs sorts ids in the scenario's actor order, the ids it does
// not list after them by id; s may be nil (every id by id).
func (s *Scenario) SortActorIDs(ids []string) {
	rank := map[string]int{}
	if s != nil {
		for i, a := range s.Actors {
			rank[a.ID] = i
		}
	}
	sort.Slice(ids, func(a, b int) bool {
		ra, okA := rank[ids[a]]
		rb, okB := rank[ids[b]]
		if okA && okB && ra != rb {
			return ra < rb
		}
		if okA != okB {
			return okA
		}
		return ids[a] < ids[b]
	})
}

// DisplayName returns the actor's name, or its id when it has none.
func (a *Actor) DisplayName() string {
	if a.Name != "" {
		return a.Name
	}
	return a.ID
}

// DisplayName returns the issue's name, or its id when it has none.
func (i *Issue) DisplayName() string {
	if i.Name != "" {
		return i.Name
	}
	return i.ID
}

// Label returns the label of the anchor nearest to v within tol, or "".
func (i *Issue) Label(v, tol float64) string {
	best, bestD := "", math.Inf(1)
	for _, a := range i.Anchors {
		if d := math.Abs(a.Value - v); d <= tol && d < bestD {
			best, bestD = a.Label, d
		}
	}
	return best
}

// SortedAnchors returns the issue's anchors in increasing order of value.
func (i *Issue) SortedAnchors() []Anchor {
	out := append([]Anchor(nil), i.Anchors...)
	sort.SliceStable(out, func(a, b int) bool { return out[a].Value < out[b].Value })
	return out
}

// Stakeholder is one actor's data on one issue, normalised for models:
// salience on 0–1, and the actor's capability on the issue (the stance's
// own when it sets one).
type Stakeholder struct {
	ID         string
	Name       string
	Capability float64
	Position   float64
	Salience   float64 // 0..1
	Risk       *float64
}

// Stakeholders returns the actors that hold a position on the issue, in
// file order, with salience normalised to 0–1.
func (s *Scenario) Stakeholders(issueID string) []Stakeholder {
	return s.AppendStakeholders(nil, issueID)
}

// AppendStakeholders appends the issue's stakeholders (as Stakeholders
// returns them) to out, for callers that reuse one slice.
func (s *Scenario) AppendStakeholders(out []Stakeholder, issueID string) []Stakeholder {
	scale := s.SalienceMax()
	for i := range s.Actors {
		a := &s.Actors[i]
		st, ok := a.Stances[issueID]
		if !ok || !st.Position.Set {
			continue
		}
		sal := st.Salience.Value
		if scale != 1 {
			sal /= scale
		}
		c := a.Capability.Value
		if st.Capability.Set {
			c = st.Capability.Value
		}
		out = append(out, Stakeholder{
			ID: a.ID, Name: a.DisplayName(), Capability: c,
			Position: st.Position.Value, Salience: sal, Risk: a.Risk,
		})
	}
	return out
}

// String gives a short description for messages.
func (s *Scenario) String() string {
	return fmt.Sprintf("%s (%s, %s)", s.Name, plural.Count(len(s.Issues), "issue"), plural.Count(len(s.Actors), "actor"))
}
