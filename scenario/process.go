package scenario

import (
	"fmt"
	"strings"
	"time"

	"github.com/parley-project/parley/institution"
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
