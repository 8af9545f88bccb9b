package deu3

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/parley-project/parley/internal/plural"
	"github.com/parley-project/parley/scenario"
)

// Capability schemes.
const (
	// Equal gives every actor capability 1.
	Equal = "equal"
	// Votes gives each member state its Council vote weight under the
	// Treaty of Nice and the Commission and the Parliament InstitutionVotes
	// each.
	Votes = "votes"
	// GDP uses the file's second row.
	GDP = "gdp"
)

// Schemes lists the capability schemes.
var Schemes = []string{Equal, Votes, GDP}

// ParseSchemes reads a comma-separated list of capability schemes (spaces
// around each are ignored), as 'parley backtest --capabilities' and the
// server's backtest take it.
func ParseSchemes(list string) ([]string, error) {
	schemes := strings.Split(list, ",")
	for i, s := range schemes {
		schemes[i] = strings.TrimSpace(s)
		if !slices.Contains(Schemes, schemes[i]) {
			return nil, fmt.Errorf("unknown scheme %q (want %s)", schemes[i], strings.Join(Schemes, ", "))
		}
	}
	return schemes, nil
}

// InstitutionVotes is the capability the Votes scheme gives the Commission
// and the Parliament: 29, the weight of the largest member states. Neither
// votes in the Council; the choice makes each count like one of the four
// largest states, so that the Council's 345 votes still dominate the
// weighted mean as they dominate adoption.
const InstitutionVotes = 29

// Capability returns the actor's capability under the scheme; gdp is the
// actor's value from the file's second row.
func Capability(scheme, actor string, gdp float64) (float64, error) {
	switch scheme {
	case Equal:
		return 1, nil
	case GDP:
		return gdp, nil
	case Votes:
		if actor == Commission || actor == Parliament {
			return InstitutionVotes, nil
		}
		w, ok := CouncilVotes(actor)
		if !ok {
			return 0, fmt.Errorf("no Council vote weight for actor %q", actor)
		}
		return w, nil
	}
	return 0, fmt.Errorf("unknown capability scheme %q (want %s)", scheme, strings.Join(Schemes, ", "))
}

// Actor names by DEU III code.
var names = map[string]string{
	"com": "European Commission", "ep": "European Parliament",
	"at": "Austria", "be": "Belgium", "bu": "Bulgaria", "cr": "Croatia", "cy": "Cyprus",
	"cz": "Czech Republic", "dk": "Denmark", "ee": "Estonia", "fi": "Finland", "fr": "France",
	"de": "Germany", "el": "Greece", "hu": "Hungary", "ie": "Ireland", "it": "Italy",
	"lv": "Latvia", "lt": "Lithuania", "lu": "Luxembourg", "mt": "Malta", "nl": "Netherlands",
	"pl": "Poland", "pt": "Portugal", "ro": "Romania", "si": "Slovenia", "sk": "Slovakia",
	"es": "Spain", "se": "Sweden", "uk": "United Kingdom",
}

// Name returns the actor's full name, or the code when unknown.
func Name(code string) string {
	if n, ok := names[code]; ok {
		return n
	}
	return code
}

// Conversion counts what ToScenario had to fill in.
type Conversion struct {
	// ImputedSaliences counts positioned actors with no salience, given the
	// mean salience of the other positioned actors on the issue (50 when
	// none has one).
	ImputedSaliences int
	// ZeroSalience counts positioned actors left out because their
	// salience is 0: they carry no weight in any model, and models such as
	// the spatial model of KTAB refuse an actor that cares about no issue.
	ZeroSalience int
}

// ToScenario turns one issue into a one-issue scenario holding the
// positioned actors with a salience above 0, with capabilities from the
// scheme, and the voting bodies that must adopt the outcome (the Council
// under the issue's rule; the Parliament under codecision). Positions and
// saliences stay on 0–100; a missing salience is imputed (Conversion).
// The reference point is not part of the scenario: models that use it
// take it as the parameter status_quo (see backtest.Params).
func (d *Dataset) ToScenario(is *Issue, scheme string) (*scenario.Scenario, Conversion, error) {
	sc, conv, err := d.build([]*Issue{is}, scheme)
	if err != nil {
		return nil, conv, err
	}
	sc.Name = "deu3-" + is.ID
	sc.Title = fmt.Sprintf("DEU III proposal %s (%s), issue %s", is.Proposal, is.ProposalName, is.ID)
	positioned, inScenario := map[string]bool{}, map[string]bool{}
	for k, code := range d.Actors {
		positioned[code] = !math.IsNaN(is.Position[k])
	}
	for _, a := range sc.Actors {
		inScenario[a.ID] = true
	}
	sc.Institutions = institutions(is, positioned, inScenario)
	if err := sc.Validate(); err != nil {
		return nil, conv, fmt.Errorf("%s:%d: issue %q: %w", d.File, is.Line, is.ID, err)
	}
	return sc, conv, nil
}

// ToProposalScenario turns the issues of one proposal into one scenario
// with an issue each, for models that link issues (vote trading, the
// spatial model): an actor takes part when it holds a position with a
// salience above 0 on at least one of them, with a stance on each such
// issue. It declares no voting bodies.
func (d *Dataset) ToProposalScenario(issues []*Issue, scheme string) (*scenario.Scenario, Conversion, error) {
	if len(issues) == 0 {
		return nil, Conversion{}, fmt.Errorf("%s: a proposal scenario needs at least one issue", d.File)
	}
	sc, conv, err := d.build(issues, scheme)
	if err != nil {
		return nil, conv, err
	}
	p := issues[0]
	sc.Name = "deu3-" + p.Proposal
	sc.Title = fmt.Sprintf("DEU III proposal %s (%s), %s", p.Proposal, p.ProposalName, plural.Count(len(issues), "issue"))
	if err := sc.Validate(); err != nil {
		return nil, conv, fmt.Errorf("%s:%d: proposal %s: %w", d.File, p.Line, p.Proposal, err)
	}
	return sc, conv, nil
}

// build makes a scenario of the issues with the actors that hold a
// position with a salience above 0 on at least one of them.
func (d *Dataset) build(issues []*Issue, scheme string) (*scenario.Scenario, Conversion, error) {
	var conv Conversion
	sc := &scenario.Scenario{SalienceScale: 100, File: d.File}
	stances := make([]map[string]scenario.Stance, len(d.Actors))
	for _, is := range issues {
		sc.Issues = append(sc.Issues, scenario.Issue{ID: is.ID, Name: is.ID, Min: 0, Max: 100})
		var sum float64
		var n, positioned, kept int
		for k := range d.Actors {
			if !math.IsNaN(is.Position[k]) && !math.IsNaN(is.Salience[k]) {
				sum += is.Salience[k]
				n++
			}
		}
		fill := 50.0
		if n > 0 {
			fill = sum / float64(n)
		}
		for k := range d.Actors {
			if math.IsNaN(is.Position[k]) {
				continue
			}
			positioned++
			sal := is.Salience[k]
			switch {
			case sal == 0:
				conv.ZeroSalience++
				continue
			case math.IsNaN(sal):
				sal = fill
				conv.ImputedSaliences++
			}
			if stances[k] == nil {
				stances[k] = map[string]scenario.Stance{}
			}
			stances[k][is.ID] = scenario.Stance{Position: scenario.N(is.Position[k]), Salience: scenario.N(sal)}
			kept++
		}
		if positioned < MinActors {
			return nil, conv, fmt.Errorf("%s:%d: issue %q has %d positioned actors, fewer than %d", d.File, is.Line, is.ID, positioned, MinActors)
		}
		if kept == 0 {
			return nil, conv, fmt.Errorf("%s:%d: issue %q: every positioned actor has salience 0", d.File, is.Line, is.ID)
		}
	}
	for k, code := range d.Actors {
		if stances[k] == nil {
			continue
		}
		c, err := Capability(scheme, code, d.GDP[k])
		if err != nil {
			return nil, conv, fmt.Errorf("%s: %w", d.File, err)
		}
		kind := scenario.KindState
		if !IsMemberState(code) {
			kind = scenario.KindOrganisation
		}
		sc.Actors = append(sc.Actors, scenario.Actor{ID: code, Name: Name(code), Kind: kind, Capability: scenario.N(c), Stances: stances[k]})
	}
	return sc, conv, nil
}

// Proposals returns the distinct proposal ids of the issues, in order of
// first appearance.
func Proposals(issues []Issue) []string {
	var out []string
	for _, is := range issues {
		if !slices.Contains(out, is.Proposal) {
			out = append(out, is.Proposal)
		}
	}
	return out
}
