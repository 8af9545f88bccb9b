// Package institution models voting bodies: their members with vote
// weights, populations and vetoes, the rule that decides whether a proposal
// passes, and how each member votes on a proposal against the status quo.
//
// A member votes yes when the proposal is closer to its own position than
// the status quo, no when the status quo is closer, and abstains when both
// are equally far. A member without a position abstains (Rules.NoPosition
// changes that), and an explicit MemberRule overrides everything. Built-in
// bodies (the UN Security Council of 2007 and 2008, the EU Council of 27
// under the Nice treaty, the UN General Assembly) are listed by Builtins.
package institution

import (
	"fmt"
	"github.com/parley-project/parley/internal/plural"
	"math"
	"slices"
	"strings"
)

// Rule names the decision rule of a body.
type Rule string

// Decision rules. Each is documented with the treaty or charter article it
// follows in docs/models/process.md.
const (
	// SimpleMajority passes when more members vote yes than no; abstentions
	// and members not voting do not count (UN Charter Art. 18(3)).
	SimpleMajority Rule = "simple-majority"
	// TwoThirds passes when at least two thirds of the members present and
	// voting vote yes (UN Charter Art. 18(2)).
	TwoThirds Rule = "two-thirds"
	// Votes passes when the yes votes (weights) reach Threshold.Votes and no
	// veto holder votes no (UN Charter Art. 27(3): nine affirmative votes
	// including the concurring votes of the permanent members; abstention
	// by a permanent member is not a veto by settled practice).
	Votes Rule = "votes"
	// Qualified is the Nice-treaty qualified majority (EC Treaty Art.
	// 205(2) and (4) as amended by the 2003 Act of Accession and the 2005
	// Act of Accession): the yes weights reach Threshold.Votes, the yes
	// members reach Threshold.Members, and, when Threshold.Population is
	// set, the yes members hold at least that share of the population.
	Qualified Rule = "qualified-majority"
	// Unanimity passes when no member votes no and at least one votes yes;
	// abstention does not prevent adoption (EC Treaty Art. 205(3); TEU Art.
	// 23(1) for common foreign and security policy).
	Unanimity Rule = "unanimity"
)

// Rules lists the decision rules.
var Rules = []Rule{SimpleMajority, TwoThirds, Votes, Qualified, Unanimity}

// Choice is a member's vote.
type Choice string

// Votes a member can cast.
const (
	Yes     Choice = "yes"
	No      Choice = "no"
	Abstain Choice = "abstain"
)

// Member is one seat of a body.
type Member struct {
	// ID identifies the member (ISO 3166 alpha-3 for states in the
	// built-in bodies).
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
	// Weight is the member's number of votes (1 unless weighted).
	Weight float64 `json:"weight"`
	// Population counts for the population test of a qualified majority.
	Population float64 `json:"population,omitempty"`
	// Veto marks a member whose no vote blocks the decision (a permanent
	// member of the Security Council).
	Veto bool `json:"veto,omitempty"`
}

// Threshold holds the numbers a rule needs.
type Threshold struct {
	// Votes is the least total weight of yes votes (Votes and Qualified).
	Votes float64 `json:"votes,omitempty"`
	// Members is the least number of members voting yes (Qualified).
	Members int `json:"members,omitempty"`
	// Population is the least share (0–1) of the body's total population
	// that the yes members must hold (Qualified); 0 skips the test.
	Population float64 `json:"population,omitempty"`
}

// Body is a voting body.
type Body struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Rule      Rule      `json:"rule"`
	Threshold Threshold `json:"threshold"`
	Members   []Member  `json:"members"`
	// Basis names the treaty or charter articles the rule follows.
	Basis string `json:"basis,omitempty"`
}

// MemberRule fixes how a member votes, overriding the spatial rule.
type MemberRule struct {
	Vote   Choice `json:"vote"`
	Reason string `json:"reason,omitempty"`
}

// Options say how members without a position or rule vote.
type Options struct {
	// Members holds explicit votes by member id.
	Members map[string]MemberRule
	// NoPosition is the vote of a member with neither a position nor a
	// rule; "" means Abstain.
	NoPosition Choice
}

// Ballot is one member's vote and why.
type Ballot struct {
	Member string  `json:"member"`
	Name   string  `json:"name,omitempty"`
	Vote   Choice  `json:"vote"`
	Reason string  `json:"reason"`
	Weight float64 `json:"weight"`
	// Position is the member's position, when it has one.
	Position *float64 `json:"position,omitempty"`
	// Veto is true when the member's no vote blocks the decision.
	Veto bool `json:"veto,omitempty"`
}

// Tally counts a vote.
type Tally struct {
	Yes     int `json:"yes"`
	No      int `json:"no"`
	Abstain int `json:"abstain"`
	// Members is the number of members; TotalWeight and TotalPopulation
	// sum their weights and populations.
	Members         int     `json:"members"`
	YesWeight       float64 `json:"yes_weight"`
	NoWeight        float64 `json:"no_weight"`
	TotalWeight     float64 `json:"total_weight"`
	YesPopulation   float64 `json:"yes_population,omitempty"`
	TotalPopulation float64 `json:"total_population,omitempty"`
}

// Outcome is the result of a vote.
type Outcome struct {
	Body      string   `json:"body"`
	Rule      Rule     `json:"rule"`
	Proposal  float64  `json:"proposal"`
	StatusQuo float64  `json:"status_quo"`
	Passed    bool     `json:"passed"`
	Ballots   []Ballot `json:"ballots"`
	// Vetoes lists the members whose no vote blocked the decision.
	Vetoes []string `json:"vetoes,omitempty"`
	Tally  Tally    `json:"tally"`
	// Reason says in words why the proposal passed or failed.
	Reason string `json:"reason"`
}

// Validate checks that the body is well formed.
func (b *Body) Validate() error {
	var errs []string
	if len(b.Members) == 0 {
		errs = append(errs, "no members")
	}
	if !slices.Contains(Rules, b.Rule) {
		errs = append(errs, fmt.Sprintf("unknown rule %q (want one of %s)", b.Rule, ruleNames()))
	}
	seen := map[string]bool{}
	for i, m := range b.Members {
		switch {
		case m.ID == "":
			errs = append(errs, fmt.Sprintf("member %d: missing id", i+1))
		case seen[m.ID]:
			errs = append(errs, fmt.Sprintf("duplicate member %q", m.ID))
		}
		seen[m.ID] = true
		if !finite(m.Weight) || m.Weight < 0 {
			errs = append(errs, fmt.Sprintf("member %s: weight must be a non-negative number, got %v", m.ID, m.Weight))
		}
		if !finite(m.Population) || m.Population < 0 {
			errs = append(errs, fmt.Sprintf("member %s: population must be a non-negative number, got %v", m.ID, m.Population))
		}
	}
	t := b.Threshold
	switch b.Rule {
	case Votes, Qualified:
		if !finite(t.Votes) || t.Votes <= 0 || t.Votes > b.TotalWeight() {
			errs = append(errs, fmt.Sprintf("rule %s needs a vote threshold between 0 and the total weight %g, got %v", b.Rule, b.TotalWeight(), t.Votes))
		}
	}
	if t.Members < 0 || t.Members > len(b.Members) {
		errs = append(errs, fmt.Sprintf("member threshold %d is outside 0 to %d", t.Members, len(b.Members)))
	}
	if !finite(t.Population) || t.Population < 0 || t.Population > 1 {
		errs = append(errs, fmt.Sprintf("population threshold must be a share between 0 and 1, got %v", t.Population))
	}
	if t.Population > 0 && b.totalPopulation() == 0 {
		errs = append(errs, "population threshold set but no member has a population")
	}
	if len(errs) > 0 {
		return fmt.Errorf("body %s: %s", b.ID, strings.Join(errs, "; "))
	}
	return nil
}

func ruleNames() string {
	s := make([]string, len(Rules))
	for i, r := range Rules {
		s[i] = string(r)
	}
	return strings.Join(s, ", ")
}

// Member returns the member with the given id, or nil.
func (b *Body) Member(id string) *Member {
	for i := range b.Members {
		if b.Members[i].ID == id {
			return &b.Members[i]
		}
	}
	return nil
}

// TotalWeight is the sum of the members' weights.
func (b *Body) TotalWeight() float64 {
	var w float64
	for _, m := range b.Members {
		w += m.Weight
	}
	return w
}

func (b *Body) totalPopulation() float64 {
	var p float64
	for _, m := range b.Members {
		p += m.Population
	}
	return p
}

// Decide returns how a member with the given position votes on proposal
// against statusQuo: yes when the proposal is strictly closer, no when the
// status quo is strictly closer, abstain when they are equally far.
func Decide(position, proposal, statusQuo float64) (Choice, string) {
	dp, dq := math.Abs(position-proposal), math.Abs(position-statusQuo)
	switch {
	case dp < dq:
		return Yes, fmt.Sprintf("position %s is closer to the proposal %s than to the status quo %s", num(position), num(proposal), num(statusQuo))
	case dq < dp:
		return No, fmt.Sprintf("position %s is closer to the status quo %s than to the proposal %s", num(position), num(statusQuo), num(proposal))
	default:
		return Abstain, fmt.Sprintf("position %s is as far from the proposal %s as from the status quo %s", num(position), num(proposal), num(statusQuo))
	}
}

// Vote puts proposal to the body against statusQuo. positions holds the
// members' positions by member id (members without one follow
// opt.NoPosition, abstaining by default); opt.Members fixes the votes of
// named members. The body must be valid (see Validate).
func (b *Body) Vote(proposal, statusQuo float64, positions map[string]float64, opt Options) Outcome {
	out := Outcome{Body: b.ID, Rule: b.Rule, Proposal: proposal, StatusQuo: statusQuo}
	noPos := opt.NoPosition
	if noPos == "" {
		noPos = Abstain
	}
	for _, m := range b.Members {
		bl := Ballot{Member: m.ID, Name: m.Name, Weight: m.Weight}
		p, hasPos := positions[m.ID]
		if hasPos {
			bl.Position = &p
		}
		switch r, ok := opt.Members[m.ID]; {
		case ok:
			bl.Vote, bl.Reason = r.Vote, "rule: "+r.Reason
			if r.Reason == "" {
				bl.Reason = "rule: votes " + string(r.Vote)
			}
		case hasPos:
			bl.Vote, bl.Reason = Decide(p, proposal, statusQuo)
		default:
			bl.Vote, bl.Reason = noPos, "no position: "+string(noPos)
		}
		t := &out.Tally
		t.Members++
		t.TotalWeight += m.Weight
		t.TotalPopulation += m.Population
		switch bl.Vote {
		case Yes:
			t.Yes++
			t.YesWeight += m.Weight
			t.YesPopulation += m.Population
		case No:
			t.No++
			t.NoWeight += m.Weight
			if m.Veto || b.Rule == Unanimity {
				bl.Veto = true
				out.Vetoes = append(out.Vetoes, m.ID)
			}
		default:
			t.Abstain++
		}
		out.Ballots = append(out.Ballots, bl)
	}
	out.Passed, out.Reason = b.decide(out.Tally, out.Vetoes)
	return out
}

// Criterion is one condition of a body's rule on a tally, as a margin
// that is at least zero exactly when the condition holds. Every Parley
// rule is a conjunction of such conditions, each linear in the tally's
// yes and no counts, yes weight, yes population and number of vetoes, so
// the margins of a changed tally are the old ones plus the change of each
// vote's contribution (package institution/power searches them).
type Criterion struct {
	// Name says what the condition counts: "majority", "two-thirds",
	// "present", "votes", "veto", "members", "population".
	Name   string
	Margin float64
}

// Criteria returns the conditions of the body's rule on a tally with the
// given vetoes; the proposal passes when every margin is at least zero.
func (b *Body) Criteria(t Tally, vetoes []string) []Criterion {
	th := b.Threshold
	switch b.Rule {
	case SimpleMajority:
		// yes > no, in integers yes − no ≥ 1.
		return []Criterion{{"majority", float64(t.Yes - t.No - 1)}}
	case TwoThirds:
		// yes ≥ 2/3 (yes + no), in integers 3·yes ≥ 2·(yes + no), that
		// is yes ≥ 2·no; and someone votes yes.
		return []Criterion{{"two-thirds", float64(t.Yes - 2*t.No)}, {"present", float64(t.Yes - 1)}}
	case Votes:
		return []Criterion{{"votes", t.YesWeight - th.Votes}, {"veto", -float64(len(vetoes))}}
	case Qualified:
		cs := []Criterion{{"votes", t.YesWeight - th.Votes}}
		if th.Members > 0 {
			cs = append(cs, Criterion{"members", float64(t.Yes - th.Members)})
		}
		if th.Population > 0 && t.TotalPopulation > 0 {
			cs = append(cs, Criterion{"population", t.YesPopulation/t.TotalPopulation - th.Population})
		}
		return cs
	case Unanimity:
		return []Criterion{{"veto", -float64(len(vetoes))}, {"present", float64(t.Yes - 1)}}
	}
	return []Criterion{{"unknown rule", -1}}
}

// decide applies the body's rule to a tally.
func (b *Body) decide(t Tally, vetoes []string) (bool, string) {
	th := b.Threshold
	cs := b.Criteria(t, vetoes)
	holds := func(name string) bool {
		for _, c := range cs {
			if c.Name == name {
				return c.Margin >= 0
			}
		}
		return true
	}
	switch b.Rule {
	case SimpleMajority:
		if holds("majority") {
			return true, fmt.Sprintf("%d yes to %d no (%d abstaining): a majority of those voting", t.Yes, t.No, t.Abstain)
		}
		return false, fmt.Sprintf("%d yes to %d no (%d abstaining): no majority of those voting", t.Yes, t.No, t.Abstain)
	case TwoThirds:
		if holds("two-thirds") && holds("present") {
			return true, fmt.Sprintf("%d yes to %d no (%d abstaining): at least two thirds of those voting", t.Yes, t.No, t.Abstain)
		}
		return false, fmt.Sprintf("%d yes to %d no (%d abstaining): short of two thirds of those voting", t.Yes, t.No, t.Abstain)
	case Votes:
		var why []string
		if !holds("votes") {
			why = append(why, fmt.Sprintf("%s %s, %s needed", num(t.YesWeight), plural.Noun(t.YesWeight, "affirmative vote"), num(th.Votes)))
		}
		if !holds("veto") {
			why = append(why, "vetoed by "+strings.Join(vetoes, ", "))
		}
		if len(why) > 0 {
			return false, strings.Join(why, "; ")
		}
		return true, fmt.Sprintf("%s %s of %s needed, no veto", num(t.YesWeight), plural.Noun(t.YesWeight, "affirmative vote"), num(th.Votes))
	case Qualified:
		var why, ok []string
		check := func(pass bool, good, bad string) {
			if pass {
				ok = append(ok, good)
			} else {
				why = append(why, bad)
			}
		}
		check(holds("votes"),
			fmt.Sprintf("%s of %s %s (%s needed)", num(t.YesWeight), num(t.TotalWeight), plural.Noun(t.TotalWeight, "weighted vote"), num(th.Votes)),
			fmt.Sprintf("%s %s, %s needed", num(t.YesWeight), plural.Noun(t.YesWeight, "weighted vote"), num(th.Votes)))
		if th.Members > 0 {
			check(holds("members"),
				fmt.Sprintf("%d of %s (%d needed)", t.Yes, plural.Count(t.Members, "member"), th.Members),
				fmt.Sprintf("%s in favour, %d needed", plural.Count(t.Yes, "member"), th.Members))
		}
		if th.Population > 0 && t.TotalPopulation > 0 {
			share := t.YesPopulation / t.TotalPopulation
			check(holds("population"),
				fmt.Sprintf("%.2f%% of the population (%.0f%% needed)", 100*share, 100*th.Population),
				fmt.Sprintf("%.2f%% of the population in favour, %.0f%% needed", 100*share, 100*th.Population))
		}
		if len(why) > 0 {
			return false, "no qualified majority: " + strings.Join(why, "; ")
		}
		return true, "qualified majority: " + strings.Join(ok, ", ")
	case Unanimity:
		switch {
		case !holds("veto"):
			return false, "not unanimous: " + strings.Join(vetoes, ", ") + " against"
		case !holds("present"):
			return false, "no member in favour"
		}
		return true, fmt.Sprintf("unanimous: %d yes, none against (%d abstaining)", t.Yes, t.Abstain)
	}
	return false, fmt.Sprintf("unknown rule %q", b.Rule)
}

func num(v float64) string { return fmt.Sprintf("%g", math.Round(v*100)/100) }

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
