package process

import (
	"fmt"
	"strings"

	"github.com/parley-project/parley/institution"
	"github.com/parley-project/parley/scenario"
)

// Body resolves name to a voting body for a scenario: an institution the
// scenario declares (by id, or by the built-in it refers to), else a
// built-in body whose members vote by the scenario actors of the same id
// (compared without regard to case). It returns the institution that
// carries the actor mapping and explicit votes.
func Body(sc *scenario.Scenario, name string) (*scenario.Institution, *institution.Body, error) {
	var in *scenario.Institution
	if sc != nil {
		in = sc.Institution(name)
		if in == nil {
			for i := range sc.Institutions {
				if sc.Institutions[i].Builtin == name {
					in = &sc.Institutions[i]
					break
				}
			}
		}
	}
	if in == nil {
		b, err := institution.Builtin(name)
		if err != nil {
			var declared []string
			if sc != nil {
				for _, i := range sc.Institutions {
					declared = append(declared, i.ID)
				}
			}
			if len(declared) > 0 {
				return nil, nil, fmt.Errorf("%v; the scenario declares %s", err, strings.Join(declared, ", "))
			}
			return nil, nil, err
		}
		in = &scenario.Institution{ID: name, Builtin: name, Actors: map[string]string{}}
		if sc != nil {
			for _, m := range b.Members {
				for _, a := range sc.Actors {
					if strings.EqualFold(a.ID, m.ID) {
						in.Actors[m.ID] = a.ID
					}
				}
			}
		}
	}
	b, err := in.Body()
	if err != nil {
		return nil, nil, err
	}
	return in, b, nil
}

// Vote puts proposal to the body against statusQuo on one issue of the
// scenario: members vote by the positions of the actors they are mapped
// to, and by the institution's explicit votes.
func Vote(sc *scenario.Scenario, in *scenario.Institution, b *institution.Body, issue string, proposal, statusQuo float64) institution.Outcome {
	return b.Vote(proposal, statusQuo, sc.Positions(in, b, issue), in.VoteOptions())
}
