package scenario

import (
	"fmt"
	"slices"
	"strings"
)

// Subset returns a copy of the scenario that keeps only the actors and
// the issues named, in the scenario's order (an empty list keeps all of
// them), as Decide's --actors and --issues do for its model runs. A kept
// actor keeps its stances on the kept issues only; an actor left with
// none is left out, with a warning in the copy's Warnings. The process
// sections (institutions, process, contagion) name actors and stages of
// the whole dispute and are left out; KTAB's ideal adjustments keep the
// pairs of kept actors. Subset refuses an id the scenario does not have,
// and a kept issue on which no kept actor holds a position.
func (s *Scenario) Subset(actors, issues []string) (*Scenario, error) {
	for _, id := range actors {
		if s.Actor(id) == nil {
			return nil, fmt.Errorf("unknown actor %q (the scenario's actors: %s)", id, strings.Join(s.ActorIDs(), ", "))
		}
	}
	for _, id := range issues {
		if s.Issue(id) == nil {
			return nil, fmt.Errorf("unknown issue %q (the scenario's issues: %s)", id, strings.Join(s.IssueIDs(), ", "))
		}
	}
	out := *s
	out.Institutions, out.Process, out.Contagion = nil, nil, nil
	out.Warnings = slices.Clone(s.Warnings)
	keepIssue := func(id string) bool { return len(issues) == 0 || slices.Contains(issues, id) }
	out.Issues = nil
	for _, is := range s.Issues {
		if keepIssue(is.ID) {
			out.Issues = append(out.Issues, is)
		}
	}
	out.Actors = nil
	for _, a := range s.Actors {
		if len(actors) > 0 && !slices.Contains(actors, a.ID) {
			continue
		}
		st := map[string]Stance{}
		for id, v := range a.Stances {
			if keepIssue(id) {
				st[id] = v
			}
		}
		if len(st) == 0 {
			out.Warnings = append(out.Warnings, Problem{File: s.File, Field: "actors", Msg: fmt.Sprintf("actor %q holds no position on the issues chosen; left out", a.ID)})
			continue
		}
		a.Stances = st
		out.Actors = append(out.Actors, a)
	}
	for _, is := range out.Issues {
		if len(out.Stakeholders(is.ID)) == 0 {
			return nil, fmt.Errorf("issue %q: none of the actors chosen holds a position on it", is.ID)
		}
	}
	if s.KTAB != nil {
		k := *s.KTAB
		k.IdealAdjustment = nil
		for _, p := range s.KTAB.IdealAdjustment {
			if out.Actor(p.Actor) != nil && out.Actor(p.Reference) != nil {
				k.IdealAdjustment = append(k.IdealAdjustment, p)
			}
		}
		out.KTAB = &k
	}
	return &out, nil
}
