package scenario

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/parley-project/parley/institution"
	"github.com/parley-project/parley/internal/plural"
	"github.com/parley-project/parley/param"
)

// Stage kinds of a process.
const (
	StageTalks       = "talks"
	StageVote        = "vote"
	StageUnilateral  = "unilateral"
	StageRecognition = "recognition"
	StageContagion   = "contagion"
)

// MaxTalksRounds bounds the rounds of a talks stage (months ×
// rounds_per_month), so that a slip of the pen cannot make a process run
// for hours: ten rounds a month for more than eight years.
const MaxTalksRounds = 1000

// StageKinds lists the valid stage kinds.
var StageKinds = []string{StageTalks, StageVote, StageUnilateral, StageRecognition, StageContagion}

// Stage outcomes, used in conditions.
const (
	OutcomePassed  = "passed"
	OutcomeFailed  = "failed"
	OutcomeSkipped = "skipped"
)

// Institution is a voting body declared by a scenario: a built-in body by
// name, or a custom body with its own members and rule. Actors maps member
// ids to the scenario actors whose positions they vote by; Votes fixes how
// named members vote whatever their position.
type Institution struct {
	ID      string `yaml:"id" json:"id"`
	Name    string `yaml:"name,omitempty" json:"name,omitempty"`
	Builtin string `yaml:"builtin,omitempty" json:"builtin,omitempty"`
	// Rule overrides a built-in body's rule or sets a custom body's.
	Rule      string                `yaml:"rule,omitempty" json:"rule,omitempty"`
	Threshold *InstitutionThreshold `yaml:"threshold,omitempty" json:"threshold,omitempty"`
	Members   []InstitutionMember   `yaml:"members,omitempty" json:"members,omitempty"`
	// Actors maps a member id to the id of the actor whose position the
	// member votes by. A custom member may name its actor directly.
	Actors map[string]string `yaml:"actors,omitempty" json:"actors,omitempty"`
	// NoPosition is how members with neither a position nor an explicit
	// vote vote: abstain (the default), yes or no.
	NoPosition string       `yaml:"no_position,omitempty" json:"no_position,omitempty"`
	Votes      []MemberVote `yaml:"votes,omitempty" json:"votes,omitempty"`
}

// InstitutionThreshold holds a custom body's thresholds.
type InstitutionThreshold struct {
	Votes      float64 `yaml:"votes,omitempty" json:"votes,omitempty"`
	Members    int     `yaml:"members,omitempty" json:"members,omitempty"`
	Population float64 `yaml:"population,omitempty" json:"population,omitempty"`
}

// InstitutionMember is a seat of a custom body.
type InstitutionMember struct {
	ID         string  `yaml:"id" json:"id"`
	Name       string  `yaml:"name,omitempty" json:"name,omitempty"`
	Actor      string  `yaml:"actor,omitempty" json:"actor,omitempty"`
	Weight     float64 `yaml:"weight,omitempty" json:"weight,omitempty"`
	Population float64 `yaml:"population,omitempty" json:"population,omitempty"`
	Veto       bool    `yaml:"veto,omitempty" json:"veto,omitempty"`
}

// MemberVote is an explicit vote of one member, with the reason and its
// evidence.
type MemberVote struct {
	Member   string     `yaml:"member" json:"member"`
	Vote     string     `yaml:"vote" json:"vote"`
	Reason   string     `yaml:"reason,omitempty" json:"reason,omitempty"`
	Evidence []Evidence `yaml:"evidence,omitempty" json:"evidence,omitempty"`
}

// Process is the sequence of stages a scenario plays out.
type Process struct {
	// StatusQuo is each issue's position before the process, by issue id.
	StatusQuo map[string]float64 `yaml:"status_quo,omitempty" json:"status_quo,omitempty"`
	Stages    []Stage            `yaml:"stages" json:"stages"`
}

// Condition makes a stage depend on the outcomes of earlier stages: every
// stage in Passed must have passed and every stage in Failed must have
// failed.
type Condition struct {
	Passed []string `yaml:"passed,omitempty" json:"passed,omitempty"`
	Failed []string `yaml:"failed,omitempty" json:"failed,omitempty"`
}

// Stage is one step of a process. Which fields apply depends on Kind.
type Stage struct {
	ID   string `yaml:"id" json:"id"`
	Kind string `yaml:"kind" json:"kind"`
	Name string `yaml:"name,omitempty" json:"name,omitempty"`
	// Issue is the issue the stage acts on (talks, vote, unilateral).
	Issue string `yaml:"issue,omitempty" json:"issue,omitempty"`
	// Date is when a vote, act, or the start of recognitions or contagion
	// happens (YYYY-MM-DD).
	Date string `yaml:"date,omitempty" json:"date,omitempty"`
	// When lists the earlier outcomes the stage requires; Condition states
	// the condition in words for the timeline.
	When      *Condition `yaml:"when,omitempty" json:"when,omitempty"`
	Condition string     `yaml:"condition,omitempty" json:"condition,omitempty"`
	Evidence  []Evidence `yaml:"evidence,omitempty" json:"evidence,omitempty"`

	// Talks: a model runs from Start to Deadline at RoundsPerMonth, or
	// until the Parties hold positions within Tolerance of each other.
	Model          string                 `yaml:"model,omitempty" json:"model,omitempty"`
	Variant        string                 `yaml:"variant,omitempty" json:"variant,omitempty"`
	Params         map[string]param.Value `yaml:"params,omitempty" json:"params,omitempty"`
	Start          string                 `yaml:"start,omitempty" json:"start,omitempty"`
	Deadline       string                 `yaml:"deadline,omitempty" json:"deadline,omitempty"`
	RoundsPerMonth float64                `yaml:"rounds_per_month,omitempty" json:"rounds_per_month,omitempty"`
	Parties        []string               `yaml:"parties,omitempty" json:"parties,omitempty"`
	Tolerance      float64                `yaml:"tolerance,omitempty" json:"tolerance,omitempty"`

	// Vote: Body votes on Proposal, or on the forecast of the talks stage
	// named by ProposalFrom, against the issue's current position.
	Body         string `yaml:"body,omitempty" json:"body,omitempty"`
	Proposal     Number `yaml:"proposal,omitempty" json:"proposal,omitempty"`
	ProposalFrom string `yaml:"proposal_from,omitempty" json:"proposal_from,omitempty"`

	// Unilateral: Actor moves Issue to Position on Date, or, when the
	// sources give only a period, on a day of Window ([first, last],
	// YYYY-MM-DD), each day equally likely: the process integrates over it.
	Actor    string   `yaml:"actor,omitempty" json:"actor,omitempty"`
	Position Number   `yaml:"position,omitempty" json:"position,omitempty"`
	Window   []string `yaml:"window,omitempty" json:"window,omitempty"`

	// Recognition: third states decide whether and when to recognise
	// Entity from the date of the unilateral stage named by After until
	// Until. Recognising and Opposing name each side's patrons (ISO3
	// codes, country names or actor ids such as usa) and Parent the state
	// the entity leaves (default: the first opposing state); Initial lists
	// states that have recognised by the declaration.
	After       string   `yaml:"after,omitempty" json:"after,omitempty"`
	Parent      string   `yaml:"parent,omitempty" json:"parent,omitempty"`
	Until       string   `yaml:"until,omitempty" json:"until,omitempty"`
	Entity      string   `yaml:"entity,omitempty" json:"entity,omitempty"`
	Recognising []string `yaml:"recognising,omitempty" json:"recognising,omitempty"`
	Opposing    []string `yaml:"opposing,omitempty" json:"opposing,omitempty"`
	Initial     []string `yaml:"initial,omitempty" json:"initial,omitempty"`
}

// LinkedDispute is a dispute elsewhere that responds to the outcome of the
// process: a claimant's demand and its patron's support, each on 0–100,
// changed by rules.
type LinkedDispute struct {
	ID       string `yaml:"id" json:"id"`
	Name     string `yaml:"name,omitempty" json:"name,omitempty"`
	Claimant string `yaml:"claimant,omitempty" json:"claimant,omitempty"`
	Patron   string `yaml:"patron,omitempty" json:"patron,omitempty"`
	// Claim is how far the claimant pushes for independence (0 none, 100
	// a declared state) and Support how far its patron backs it (0 none,
	// 100 recognition and protection), before the process.
	Claim   Number          `yaml:"claim" json:"claim"`
	Support Number          `yaml:"support" json:"support"`
	Rules   []ContagionRule `yaml:"rules" json:"rules"`
}

// ContagionRule changes a linked dispute when a stage ends with an
// outcome and, optionally, when the expected number of recognitions
// reaches a level by a date.
type ContagionRule struct {
	On      string `yaml:"on" json:"on"`
	Outcome string `yaml:"outcome" json:"outcome"`
	// Recognitions and By add the condition that the recognition stage
	// expects at least Recognitions states to have recognised by By.
	Recognitions float64 `yaml:"recognitions,omitempty" json:"recognitions,omitempty"`
	By           string  `yaml:"by,omitempty" json:"by,omitempty"`
	// DelayMonths after the stage's date the change happens; with
	// DelayMonthsMax the delay is uncertain, uniform from DelayMonths to
	// DelayMonthsMax months, and the process integrates over it.
	DelayMonths    int `yaml:"delay_months,omitempty" json:"delay_months,omitempty"`
	DelayMonthsMax int `yaml:"delay_months_max,omitempty" json:"delay_months_max,omitempty"`
	// ClaimChange and SupportChange are added to the claim and the
	// patron's support (the results are kept within 0–100).
	ClaimChange   float64 `yaml:"claim_change,omitempty" json:"claim_change,omitempty"`
	SupportChange float64 `yaml:"support_change,omitempty" json:"support_change,omitempty"`
	// Description says what happens, for the timeline; Evidence supports
	// it.
	Description string     `yaml:"description" json:"description"`
	Evidence    []Evidence `yaml:"evidence,omitempty" json:"evidence,omitempty"`
}

// Institution returns the scenario's institution with the given id, or
// nil.
func (s *Scenario) Institution(id string) *Institution {
	for i := range s.Institutions {
		if s.Institutions[i].ID == id {
			return &s.Institutions[i]
		}
	}
	return nil
}

// Body builds the voting body an institution declares.
func (in *Institution) Body() (*institution.Body, error) {
	var b *institution.Body
	if in.Builtin != "" {
		var err error
		if b, err = institution.Builtin(in.Builtin); err != nil {
			return nil, err
		}
	} else {
		b = &institution.Body{}
		for _, m := range in.Members {
			w := m.Weight
			if w == 0 {
				w = 1
			}
			b.Members = append(b.Members, institution.Member{ID: m.ID, Name: m.Name, Weight: w, Population: m.Population, Veto: m.Veto})
		}
	}
	b.ID = in.ID
	if in.Name != "" {
		b.Name = in.Name
	}
	if b.Name == "" {
		b.Name = in.ID
	}
	if in.Rule != "" {
		b.Rule = institution.Rule(in.Rule)
	}
	if t := in.Threshold; t != nil {
		b.Threshold = institution.Threshold{Votes: t.Votes, Members: t.Members, Population: t.Population}
	}
	return b, b.Validate()
}

// MemberActor returns the scenario actor whose position a member votes by,
// or "" when it has none.
func (in *Institution) MemberActor(member string) string {
	if a, ok := in.Actors[member]; ok {
		return a
	}
	for _, m := range in.Members {
		if m.ID == member {
			if m.Actor != "" {
				return m.Actor
			}
			return m.ID
		}
	}
	return ""
}

// VoteOptions returns the explicit votes and no-position rule of the
// institution for institution.Body.Vote.
func (in *Institution) VoteOptions() institution.Options {
	opt := institution.Options{NoPosition: institution.Choice(in.NoPosition), Members: map[string]institution.MemberRule{}}
	for _, v := range in.Votes {
		reason := v.Reason
		for _, e := range v.Evidence {
			reason += fmt.Sprintf(" [source %s ¶%d]", e.Source, e.Paragraph)
		}
		opt.Members[v.Member] = institution.MemberRule{Vote: institution.Choice(v.Vote), Reason: strings.TrimSpace(reason)}
	}
	return opt
}

// Positions returns the positions of the body's members on an issue, from
// the actors they are mapped to.
func (s *Scenario) Positions(in *Institution, b *institution.Body, issue string) map[string]float64 {
	pos := map[string]float64{}
	for _, m := range b.Members {
		a := s.Actor(in.MemberActor(m.ID))
		if a == nil {
			continue
		}
		if st, ok := a.Stances[issue]; ok && st.Position.Set {
			pos[m.ID] = st.Position.Value
		}
	}
	return pos
}

// stageIndex returns the position of the stage with the given id, or -1.
func (p *Process) stageIndex(id string) int {
	for i := range p.Stages {
		if p.Stages[i].ID == id {
			return i
		}
	}
	return -1
}

// Stage returns the process stage with the given id, or nil.
func (p *Process) Stage(id string) *Stage {
	if i := p.stageIndex(id); i >= 0 {
		return &p.Stages[i]
	}
	return nil
}

var choices = []string{string(institution.Yes), string(institution.No), string(institution.Abstain)}

// checkProcess validates the institutions, process and contagion sections.
func (s *Scenario) checkProcess(l *problemList) {
	sources := map[string]bool{}
	for _, src := range s.Sources {
		sources[src.ID] = true
	}
	evidence := func(field string, es []Evidence) { checkEvidence(l, sources, field, es) }
	actor := func(field, id string) {
		if id == "" {
			l.add(field, "missing actor id")
		} else if s.Actor(id) == nil {
			l.add(field, "unknown actor %q", id)
		}
	}
	date := func(field, v string, required bool) (time.Time, bool) {
		if v == "" {
			if required {
				l.add(field, "missing date (YYYY-MM-DD)")
			}
			return time.Time{}, false
		}
		t, err := time.Parse(time.DateOnly, v)
		if err != nil {
			l.add(field, "date %q is not of the form YYYY-MM-DD", v)
			return time.Time{}, false
		}
		return t, true
	}

	ids := map[string]bool{}
	for i := range s.Institutions {
		in := &s.Institutions[i]
		f := fmt.Sprintf("institutions[%d]", i)
		before := len(l.ps)
		checkID(l, ids, f+".id", in.ID, "institution")
		var members []string
		switch {
		case in.Builtin != "" && len(in.Members) > 0:
			l.add(f+".members", "a built-in body (%s) takes no members; declare a custom body instead", in.Builtin)
		case in.Builtin != "":
			b, err := institution.Builtin(in.Builtin)
			if err != nil {
				l.add(f+".builtin", "%v", err)
			} else {
				for _, m := range b.Members {
					members = append(members, m.ID)
				}
			}
		case len(in.Members) == 0:
			l.add(f, "an institution needs a built-in body (builtin) or members")
		default:
			if in.Rule == "" {
				l.add(f+".rule", "a custom body needs a rule")
			}
			seen := map[string]bool{}
			for j, m := range in.Members {
				mf := fmt.Sprintf("%s.members[%d]", f, j)
				checkID(l, seen, mf+".id", m.ID, "member")
				members = append(members, m.ID)
				if m.Actor != "" {
					actor(mf+".actor", m.Actor)
				}
				l.nonNegative(mf+".weight", "weight", m.Weight)
				l.nonNegative(mf+".population", "population", m.Population)
			}
		}
		if in.Rule != "" && !slices.Contains(institution.Rules, institution.Rule(in.Rule)) {
			l.add(f+".rule", "unknown rule %q (want one of %v)", in.Rule, institution.Rules)
		}
		if in.NoPosition != "" && !slices.Contains(choices, in.NoPosition) {
			l.add(f+".no_position", "unknown vote %q (want yes, no or abstain)", in.NoPosition)
		}
		for _, m := range sortedKeys(in.Actors) {
			if members != nil && !slices.Contains(members, m) {
				l.add(f+".actors."+m, "%q is not a member of %s", m, in.ID)
			}
			actor(f+".actors."+m, in.Actors[m])
		}
		voted := map[string]bool{}
		for j, v := range in.Votes {
			vf := fmt.Sprintf("%s.votes[%d]", f, j)
			switch {
			case v.Member == "":
				l.add(vf+".member", "missing member id")
			case members != nil && !slices.Contains(members, v.Member):
				l.add(vf+".member", "%q is not a member of %s", v.Member, in.ID)
			case voted[v.Member]:
				l.add(vf+".member", "member %q already has a vote", v.Member)
			}
			voted[v.Member] = true
			if !slices.Contains(choices, v.Vote) {
				l.add(vf+".vote", "unknown vote %q (want yes, no or abstain)", v.Vote)
			}
			evidence(vf, v.Evidence)
		}
		// Thresholds that only the assembled body can check, when nothing
		// else is wrong with the institution.
		if len(l.ps) == before && members != nil {
			if _, err := in.Body(); err != nil {
				l.add(f, "%v", err)
			}
		}
	}

	if p := s.Process; p != nil {
		for _, id := range sortedKeys(p.StatusQuo) {
			is := s.Issue(id)
			f := "process.status_quo." + id
			switch v := p.StatusQuo[id]; {
			case is == nil:
				l.add(f, "unknown issue %q", id)
			case !finite(v) || v < is.Min || v > is.Max:
				l.add(f, "status quo %v is outside the scale %v to %v", v, is.Min, is.Max)
			}
		}
		if len(p.Stages) == 0 {
			l.add("process.stages", "a process needs at least one stage")
		}
		kinds, stageIDs := map[string]string{}, map[string]bool{}
		var last time.Time
		for i := range p.Stages {
			st := &p.Stages[i]
			f := fmt.Sprintf("process.stages[%d]", i)
			checkID(l, stageIDs, f+".id", st.ID, "stage")
			if !slices.Contains(StageKinds, st.Kind) {
				l.add(f+".kind", "unknown stage kind %q (want one of %v)", st.Kind, StageKinds)
			}
			evidence(f, st.Evidence)
			if c := st.When; c != nil {
				for j, id := range c.Passed {
					if kinds[id] == "" {
						l.add(fmt.Sprintf("%s.when.passed[%d]", f, j), "%q is not an earlier stage", id)
					}
				}
				for j, id := range c.Failed {
					if kinds[id] == "" {
						l.add(fmt.Sprintf("%s.when.failed[%d]", f, j), "%q is not an earlier stage", id)
					}
				}
			}
			issue := func() *Issue {
				if st.Issue == "" {
					l.add(f+".issue", "missing issue id")
					return nil
				}
				is := s.Issue(st.Issue)
				if is == nil {
					l.add(f+".issue", "unknown issue %q", st.Issue)
				} else if _, ok := p.StatusQuo[st.Issue]; !ok {
					l.add(f+".issue", "issue %q has no status quo: give it in process.status_quo", st.Issue)
				}
				return is
			}
			onScale := func(field string, n Number, required bool) {
				is := s.Issue(st.Issue)
				switch {
				case !n.Set:
					if required {
						l.add(field, "missing position")
					}
				case !finite(n.Value) || (is != nil && (n.Value < is.Min || n.Value > is.Max)):
					if is != nil {
						l.add(field, "%v is outside the scale %v to %v", n.Value, is.Min, is.Max)
					} else {
						l.add(field, "must be a finite number, got %v", n.Value)
					}
				}
				evidence(field, n.Evidence)
			}
			var at time.Time
			var dated bool
			switch st.Kind {
			case StageTalks:
				issue()
				if st.Model == "" {
					l.add(f+".model", "missing model name")
				}
				start, okS := date(f+".start", st.Start, s.AsOf == "")
				if !okS && s.AsOf != "" && st.Start == "" {
					// Validate reports a bad as_of once; here it only dates the start.
					t, err := time.Parse(time.DateOnly, s.AsOf)
					start, okS = t, err == nil
				}
				at, dated = date(f+".deadline", st.Deadline, true)
				if okS && dated && !at.After(start) {
					l.add(f+".deadline", "deadline %s is not after the start %s", st.Deadline, start.Format(time.DateOnly))
				}
				if !finite(st.RoundsPerMonth) || st.RoundsPerMonth < 0 {
					l.add(f+".rounds_per_month", "must be a positive number, got %v", st.RoundsPerMonth)
				} else if okS && dated && at.After(start) {
					rpm := st.RoundsPerMonth
					if rpm == 0 {
						rpm = 1
					}
					months := MonthsBetween(start, at) // as process.talks counts them
					if n := months * rpm; n > MaxTalksRounds {
						l.add(f+".rounds_per_month", "%.1f months at %v %s a month make %.0f rounds; talks may have at most %d", months, rpm, plural.Noun(rpm, "round"), n, MaxTalksRounds)
					}
				}
				if len(st.Parties) == 1 {
					l.add(f+".parties", "agreement needs at least two parties")
				}
				for j, a := range st.Parties {
					actor(fmt.Sprintf("%s.parties[%d]", f, j), a)
				}
				l.nonNegative(f+".tolerance", "tolerance", st.Tolerance)
			case StageVote:
				issue()
				switch {
				case st.Body == "":
					l.add(f+".body", "missing institution id")
				case s.Institution(st.Body) == nil:
					l.add(f+".body", "unknown institution %q", st.Body)
				}
				switch {
				case st.Proposal.Set && st.ProposalFrom != "":
					l.add(f+".proposal_from", "give either proposal or proposal_from, not both")
				case st.ProposalFrom != "":
					if kinds[st.ProposalFrom] != StageTalks {
						l.add(f+".proposal_from", "%q is not an earlier talks stage", st.ProposalFrom)
					}
				case !st.Proposal.Set:
					l.add(f+".proposal", "missing proposal (a position, or proposal_from naming a talks stage)")
				}
				onScale(f+".proposal", st.Proposal, false)
				at, dated = date(f+".date", st.Date, true)
			case StageUnilateral:
				issue()
				actor(f+".actor", st.Actor)
				onScale(f+".position", st.Position, true)
				at, dated = checkActDate(l, f, st, date)
			case StageRecognition:
				switch {
				case st.After == "":
					l.add(f+".after", "missing the stage whose act third states recognise")
				case kinds[st.After] != StageUnilateral:
					l.add(f+".after", "%q is not an earlier unilateral stage", st.After)
				}
				if len(st.Recognising) == 0 {
					l.add(f+".recognising", "name the recognising side's patrons (ISO3 codes, e.g. USA)")
				}
				if len(st.Opposing) == 0 {
					l.add(f+".opposing", "name the opposing side's patrons (ISO3 codes, e.g. RUS)")
				}
				for j, id := range st.Recognising {
					if slices.Contains(st.Opposing, id) {
						l.add(fmt.Sprintf("%s.recognising[%d]", f, j), "%q is on both sides", id)
					}
				}
				at, dated = date(f+".until", st.Until, true)
				if after := p.Stage(st.After); dated && after != nil && after.LastDate() != "" && st.Until <= after.LastDate() {
					l.add(f+".until", "until %s is not after the %s stage (%s)", st.Until, st.After, after.LastDate())
				}
				checkRecognitionParent(l, f, st)
			case StageContagion:
				if len(s.Contagion) == 0 {
					l.add(f, "a contagion stage needs linked disputes in the contagion section")
				}
				at, dated = date(f+".date", st.Date, false)
			}
			if dated && st.Kind != StageRecognition {
				if !last.IsZero() && at.Before(last) {
					l.add(f, "stage dated %s comes before the previous stage (%s)", at.Format(time.DateOnly), last.Format(time.DateOnly))
				}
				last = at
			}
			if st.ID != "" && kinds[st.ID] == "" {
				kinds[st.ID] = st.Kind
				if st.Kind == "" {
					kinds[st.ID] = "?"
				}
			}
		}
	}

	// Contagion rules read outcomes recorded before the first contagion
	// stage.
	firstContagion, recognitionBefore := -1, false
	if s.Process != nil {
		for i, st := range s.Process.Stages {
			if st.Kind == StageContagion {
				firstContagion = i
				break
			}
			recognitionBefore = recognitionBefore || st.Kind == StageRecognition
		}
	}
	ids = map[string]bool{}
	for i := range s.Contagion {
		d := &s.Contagion[i]
		f := fmt.Sprintf("contagion[%d]", i)
		checkID(l, ids, f+".id", d.ID, "linked dispute")
		for _, n := range []struct {
			name string
			v    Number
		}{{"claim", d.Claim}, {"support", d.Support}} {
			switch {
			case !n.v.Set:
				l.add(f+"."+n.name, "missing %s (0–100)", n.name)
			case !finite(n.v.Value) || n.v.Value < 0 || n.v.Value > 100:
				l.add(f+"."+n.name, "%s %v is outside 0 to 100", n.name, n.v.Value)
			}
			evidence(f+"."+n.name, n.v.Evidence)
		}
		if len(d.Rules) == 0 {
			l.add(f+".rules", "a linked dispute needs at least one rule")
		}
		for j, r := range d.Rules {
			rf := fmt.Sprintf("%s.rules[%d]", f, j)
			switch {
			case r.On == "":
				l.add(rf+".on", "missing stage id")
			case s.Process == nil || s.Process.Stage(r.On) == nil:
				l.add(rf+".on", "unknown stage %q", r.On)
			case firstContagion >= 0 && s.Process.stageIndex(r.On) > firstContagion:
				l.add(rf+".on", "stage %q comes after the contagion stage, so the rule could never apply", r.On)
			}
			if r.Recognitions > 0 && !recognitionBefore {
				l.add(rf+".recognitions", "needs a recognition stage before the contagion stage")
			}
			if r.Outcome != OutcomePassed && r.Outcome != OutcomeFailed {
				l.add(rf+".outcome", "outcome must be passed or failed, got %q", r.Outcome)
			}
			l.nonNegative(rf+".recognitions", "", r.Recognitions)
			if r.Recognitions > 0 {
				date(rf+".by", r.By, true)
			} else if r.By != "" {
				l.add(rf+".by", "by needs recognitions")
			}
			checkDelay(l, rf, r)
			if !finite(r.ClaimChange) || !finite(r.SupportChange) {
				l.add(rf, "changes must be finite numbers")
			}
			if r.Description == "" {
				l.add(rf+".description", "missing description")
			}
			evidence(rf, r.Evidence)
		}
	}
}

// MonthsBetween is the length of [a, b] in months of 365.25/12 days, the
// months that talks stages count rounds in. It counts Unix seconds, as a
// time.Duration saturates after 292 years.
func MonthsBetween(a, b time.Time) float64 {
	return float64(b.Unix()-a.Unix()) / 86400 / (365.25 / 12)
}

// FirstDate is the date a stage is scheduled for: its date, or the first
// day of its window.
func (st *Stage) FirstDate() string {
	if len(st.Window) == 2 {
		return st.Window[0]
	}
	return st.Date
}

// LastDate is the last day a stage may happen: its date, or the last day
// of its window.
func (st *Stage) LastDate() string {
	if len(st.Window) == 2 {
		return st.Window[1]
	}
	return st.Date
}

// MaxActWindowDays bounds a unilateral act's window.
const MaxActWindowDays = 3660

// checkActDate checks a unilateral stage's date or window and returns the
// first day it may happen.
func checkActDate(l *problemList, f string, st *Stage, date func(field, v string, required bool) (time.Time, bool)) (time.Time, bool) {
	if st.Window == nil {
		return date(f+".date", st.Date, true)
	}
	if st.Date != "" {
		l.add(f+".window", "give either date or window, not both")
	}
	if len(st.Window) != 2 {
		l.add(f+".window", "want [first day, last day], got %d dates", len(st.Window))
		return time.Time{}, false
	}
	a, okA := date(f+".window[0]", st.Window[0], true)
	b, okB := date(f+".window[1]", st.Window[1], true)
	if okA && okB {
		switch {
		case b.Before(a):
			l.add(f+".window", "the window ends (%s) before it starts (%s)", st.Window[1], st.Window[0])
			return a, false
		case b.Sub(a).Hours()/24 > MaxActWindowDays:
			l.add(f+".window", "a window of more than %d days", MaxActWindowDays)
		}
	}
	return a, okA
}

// checkRecognitionParent checks that a recognition stage's parent state is
// not also one of its patrons.
func checkRecognitionParent(l *problemList, f string, st *Stage) {
	if st.Parent == "" {
		return
	}
	if slices.Contains(st.Recognising, st.Parent) || slices.Contains(st.Opposing, st.Parent) {
		l.add(f+".parent", "%q is the parent state and cannot also be a patron", st.Parent)
	}
}

// MaxDelayMonths bounds a contagion rule's delay.
const MaxDelayMonths = 1200

// checkDelay checks a contagion rule's delay or delay range.
func checkDelay(l *problemList, rf string, r ContagionRule) {
	switch {
	case r.DelayMonths < 0:
		l.add(rf+".delay_months", "must not be negative, got %d", r.DelayMonths)
	case r.DelayMonths > MaxDelayMonths:
		l.add(rf+".delay_months", "must be at most %d, got %d", MaxDelayMonths, r.DelayMonths)
	case r.DelayMonthsMax != 0 && r.DelayMonthsMax < r.DelayMonths:
		l.add(rf+".delay_months_max", "%d is below delay_months (%d)", r.DelayMonthsMax, r.DelayMonths)
	case r.DelayMonthsMax > MaxDelayMonths:
		l.add(rf+".delay_months_max", "must be at most %d, got %d", MaxDelayMonths, r.DelayMonthsMax)
	}
}
