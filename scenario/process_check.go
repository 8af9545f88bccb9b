package scenario

import (
	"fmt"
	"slices"
	"time"

	"github.com/parley-project/parley/institution"
	"github.com/parley-project/parley/internal/plural"
)

var choices = []string{string(institution.Yes), string(institution.No), string(institution.Abstain)}

// checkProcess validates the institutions, process and contagion sections.
func (s *Scenario) checkProcess(l *problemList) {
	c := &processCheck{s: s, l: l, sources: map[string]bool{}}
	for _, src := range s.Sources {
		c.sources[src.ID] = true
	}
	c.institutions()
	c.process()
	c.disputes()
}

// processCheck is what the checks of the institutions, process and
// contagion sections share: the scenario, the problems found and the
// sources evidence may cite.
type processCheck struct {
	s       *Scenario
	l       *problemList
	sources map[string]bool
}

func (c *processCheck) evidence(field string, es []Evidence) {
	checkEvidence(c.l, c.sources, field, es)
}

func (c *processCheck) actor(field, id string) {
	if id == "" {
		c.l.add(field, "missing actor id")
	} else if c.s.Actor(id) == nil {
		c.l.add(field, "unknown actor %q", id)
	}
}

func (c *processCheck) date(field, v string, required bool) (time.Time, bool) {
	if v == "" {
		if required {
			c.l.add(field, "missing date (YYYY-MM-DD)")
		}
		return time.Time{}, false
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		c.l.add(field, "date %q is not of the form YYYY-MM-DD", v)
		return time.Time{}, false
	}
	return t, true
}

// institutions checks the institutions section.
func (c *processCheck) institutions() {
	s, l := c.s, c.l
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
					c.actor(mf+".actor", m.Actor)
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
			c.actor(f+".actors."+m, in.Actors[m])
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
			c.evidence(vf, v.Evidence)
		}
		// Thresholds that only the assembled body can check, when nothing
		// else is wrong with the institution.
		if len(l.ps) == before && members != nil {
			if _, err := in.Body(); err != nil {
				l.add(f, "%v", err)
			}
		}
	}
}

// stageCheck is the check of one stage of the process: its field path f
// and the kinds of the stages before it, by id.
type stageCheck struct {
	*processCheck
	p     *Process
	st    *Stage
	f     string
	kinds map[string]string
}

// process checks the process section: its status quo, then each stage —
// what every stage has, then what its kind has (talks, vote, unilateral,
// recognition, contagion) — and that the dated stages come in order.
func (c *processCheck) process() {
	s, l := c.s, c.l
	p := s.Process
	if p == nil {
		return
	}
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
		c.evidence(f, st.Evidence)
		if w := st.When; w != nil {
			for j, id := range w.Passed {
				if kinds[id] == "" {
					l.add(fmt.Sprintf("%s.when.passed[%d]", f, j), "%q is not an earlier stage", id)
				}
			}
			for j, id := range w.Failed {
				if kinds[id] == "" {
					l.add(fmt.Sprintf("%s.when.failed[%d]", f, j), "%q is not an earlier stage", id)
				}
			}
		}
		sc := &stageCheck{processCheck: c, p: p, st: st, f: f, kinds: kinds}
		var at time.Time
		var dated bool
		switch st.Kind {
		case StageTalks:
			at, dated = sc.talks()
		case StageVote:
			at, dated = sc.vote()
		case StageUnilateral:
			at, dated = sc.unilateral()
		case StageRecognition:
			at, dated = sc.recognition()
		case StageContagion:
			at, dated = sc.contagion()
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

// issue checks the stage's issue: named, in the scenario, with a status
// quo.
func (c *stageCheck) issue() *Issue {
	st, f, l := c.st, c.f, c.l
	if st.Issue == "" {
		l.add(f+".issue", "missing issue id")
		return nil
	}
	is := c.s.Issue(st.Issue)
	if is == nil {
		l.add(f+".issue", "unknown issue %q", st.Issue)
	} else if _, ok := c.p.StatusQuo[st.Issue]; !ok {
		l.add(f+".issue", "issue %q has no status quo: give it in process.status_quo", st.Issue)
	}
	return is
}

// onScale checks a position on the stage's issue's scale.
func (c *stageCheck) onScale(field string, n Number, required bool) {
	is := c.s.Issue(c.st.Issue)
	switch {
	case !n.Set:
		if required {
			c.l.add(field, "missing position")
		}
	case !finite(n.Value) || (is != nil && (n.Value < is.Min || n.Value > is.Max)):
		if is != nil {
			c.l.add(field, "%v is outside the scale %v to %v", n.Value, is.Min, is.Max)
		} else {
			c.l.add(field, "must be a finite number, got %v", n.Value)
		}
	}
	c.evidence(field, n.Evidence)
}

// talks checks a talks stage and returns its deadline.
func (c *stageCheck) talks() (at time.Time, dated bool) {
	s, st, f, l := c.s, c.st, c.f, c.l
	c.issue()
	if st.Model == "" {
		l.add(f+".model", "missing model name")
	}
	start, okS := c.date(f+".start", st.Start, s.AsOf == "")
	if !okS && s.AsOf != "" && st.Start == "" {
		// Validate reports a bad as_of once; here it only dates the start.
		t, err := time.Parse(time.DateOnly, s.AsOf)
		start, okS = t, err == nil
	}
	at, dated = c.date(f+".deadline", st.Deadline, true)
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
		c.actor(fmt.Sprintf("%s.parties[%d]", f, j), a)
	}
	l.nonNegative(f+".tolerance", "tolerance", st.Tolerance)
	return at, dated
}

// vote checks a vote stage and returns its date.
func (c *stageCheck) vote() (at time.Time, dated bool) {
	s, st, f, l := c.s, c.st, c.f, c.l
	c.issue()
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
		if c.kinds[st.ProposalFrom] != StageTalks {
			l.add(f+".proposal_from", "%q is not an earlier talks stage", st.ProposalFrom)
		}
	case !st.Proposal.Set:
		l.add(f+".proposal", "missing proposal (a position, or proposal_from naming a talks stage)")
	}
	c.onScale(f+".proposal", st.Proposal, false)
	return c.date(f+".date", st.Date, true)
}

// unilateral checks a unilateral stage and returns its date.
func (c *stageCheck) unilateral() (at time.Time, dated bool) {
	st, f := c.st, c.f
	c.issue()
	c.actor(f+".actor", st.Actor)
	c.onScale(f+".position", st.Position, true)
	return checkActDate(c.l, f, st, c.date)
}

// recognition checks a recognition stage and returns its until date.
func (c *stageCheck) recognition() (at time.Time, dated bool) {
	st, f, l := c.st, c.f, c.l
	switch {
	case st.After == "":
		l.add(f+".after", "missing the stage whose act third states recognise")
	case c.kinds[st.After] != StageUnilateral:
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
	at, dated = c.date(f+".until", st.Until, true)
	if after := c.p.Stage(st.After); dated && after != nil && after.LastDate() != "" && st.Until <= after.LastDate() {
		l.add(f+".until", "until %s is not after the %s stage (%s)", st.Until, st.After, after.LastDate())
	}
	checkRecognitionParent(l, f, st)
	return at, dated
}

// contagion checks a contagion stage and returns its date, if it has one.
func (c *stageCheck) contagion() (at time.Time, dated bool) {
	if len(c.s.Contagion) == 0 {
		c.l.add(c.f, "a contagion stage needs linked disputes in the contagion section")
	}
	return c.date(c.f+".date", c.st.Date, false)
}

// disputes checks the contagion section's linked disputes. Their rules
// read outcomes recorded before the first contagion stage.
func (c *processCheck) disputes() {
	s, l := c.s, c.l
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
	ids := map[string]bool{}
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
			c.evidence(f+"."+n.name, n.v.Evidence)
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
				c.date(rf+".by", r.By, true)
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
			c.evidence(rf, r.Evidence)
		}
	}
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
