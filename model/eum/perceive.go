package eum

import (
	"context"
	"fmt"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/scenario"
)

// Perception is the expected-utility model's view of one issue at the
// start of a round, as the chosen variant computes it before the actors
// choose their moves: every actor's risk exponent r_i (eqs. 33–34) and
// the probabilities of success (eq. 31, or the global denominator of
// Scholz's code), from which EU gives E^h(U_ij), the expected utility to
// i of challenging j as actor h perceives it (eq. 25a with h's risk
// exponent). It is the same per-pair code the rounds run, exposed so that
// views of the model (who is in conflict with whom) need not re-derive
// it.
type Perception struct {
	Variant string
	IDs     []string
	// Positions are the positions at the start of the round.
	Positions []float64
	// Risk holds each actor's risk exponent r_i for the round.
	Risk []float64
	// Median is the round's median voter position μ (eqs. 28–29).
	Median float64
	eu     func(i, j int, r float64) float64
}

// Perceive computes the Perception of the round that starts from
// positions x (nil: the stakeholders' stated positions) on an issue whose
// stakeholders are st. The stated positions fix R, the range the
// distances are measured in, as they do for a whole run. opt gives the
// variant and the parameters q and t.
func (m Model) Perceive(ctx context.Context, st []scenario.Stakeholder, x []float64, opt model.Options) (*Perception, error) {
	set, err := m.settings(opt)
	if err != nil {
		return nil, err
	}
	if len(st) == 0 {
		return nil, fmt.Errorf("no stakeholders")
	}
	if err := model.TooManyActors(len(st), Name, MaxPerceiveActors, perceiveGrowth); err != nil {
		return nil, err
	}
	if x != nil && len(x) != len(st) {
		return nil, fmt.Errorf("%d positions for %d stakeholders", len(x), len(st))
	}
	var in input
	in.fill(ctx, st, set, opt.Workers)
	if spread(in.x) == 0 {
		return nil, fmt.Errorf("every actor states the same position: the model has no range to measure utilities in")
	}
	p := &Perception{Variant: set.variant, IDs: in.ids}
	switch set.variant {
	case VariantScholz:
		s := newScholz(in)
		if x != nil {
			copy(s.x, x)
		}
		s.ranked.reset(s.x, s.w)
		s.updateRisk()
		s.prepareOffers()
		p.Positions, p.Risk, p.Median = s.x, s.r, s.median()
		p.eu = func(i, j int, r float64) float64 { return s.eu(i, j, r, s.pairProbability(i, j)) }
	default:
		s := newPaper(in, st)
		if x != nil {
			copy(s.x, x)
		}
		s.prepare()
		s.updateRisk()
		p.Positions, p.Risk, p.Median = s.x, s.r, s.mu
		p.eu = func(i, j int, r float64) float64 { return s.eu(i, j, r, s.pWin(s.x[i], s.x[j])) }
	}
	return p, nil
}

// EU returns E^h(U_ij): the expected utility to actor i of challenging
// actor j, as actor h perceives it, that is with h's risk exponent
// (eq. 25a; the target's salience s_j is the probability that j
// resists). EU(i, j, i) is i's own expected utility; EU(j, i, j) is j's own
// of challenging i (eq. 25b), and EU(j, i, i) what i believes it to be —
// the pair the scholz variant compares when i chooses its move.
func (p *Perception) EU(i, j, h int) float64 { return p.eu(i, j, p.Risk[h]) }
