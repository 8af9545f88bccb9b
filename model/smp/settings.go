package smp

import (
	"fmt"
	"slices"
	"strings"

	"github.com/parley-project/parley/scenario"
)

// Settings are KTAB's nine model parameters. Each field holds KTAB's own
// enumeration value, the index into the names of
// scenario.KTABParameters.
type Settings struct {
	VictoryProb  int // VictoryProbModel: Linear, Square, Quartic, Octic, Binary
	PCE          int // PCEModel: Conditional, MarkovIncentive, MarkovUniform
	StateTrans   int // StateTransitions: Deterministic, Stochastic
	VotingRule   int // VotingRule: Binary, PropBin, Prop, PropCbc, Cubic, ASymProsp
	BigRAdjust   int // BigRAdjust: None, OneThird, Half, TwoThirds, Full
	BigRRange    int // BigRRange: Min, Mid, Max
	ThirdParty   int // ThirdPartyCommit: NoCommit, SemiCommit, FullCommit
	InterVecBrgn int // InterVecBrgn: S1P1, S2P2, S2PMax
	BargainModel int // BargnModel: InitOnlyInterp, InitRcvrInterp, PWCompInterp
}

// paramNames are Parley's model-parameter names for the settings, in the
// order of scenario.KTABParameters.
var paramNames = []string{"victory_prob", "pce", "state_transitions", "voting_rule",
	"big_r_adjust", "big_r_range", "third_party", "interp", "bargain_model"}

func (s *Settings) fields() []*int {
	return []*int{&s.VictoryProb, &s.PCE, &s.StateTrans, &s.VotingRule, &s.BigRAdjust,
		&s.BigRRange, &s.ThirdParty, &s.InterVecBrgn, &s.BargainModel}
}

// Defaults returns KTAB's default settings: linear victory probability,
// conditional probabilistic Condorcet election, deterministic transitions,
// proportional voting, one-third risk adjustment, mid risk range,
// semi-committed third parties, S2P2 interpolation and initiator-only
// interpolation.
func Defaults() Settings {
	var s Settings
	for i, p := range scenario.KTABParameters {
		*s.fields()[i] = slices.Index(p.Values, scenario.KTABDefaults[p.Name])
	}
	return s
}

// Set sets the parameter with KTAB element name xml to the value KTAB
// calls name.
func (s *Settings) Set(xml, name string) error {
	for i, p := range scenario.KTABParameters {
		if p.Name != xml {
			continue
		}
		v := slices.Index(p.Values, name)
		if v < 0 {
			return fmt.Errorf("%s: unknown value %q (want one of %s)", xml, name, strings.Join(p.Values, ", "))
		}
		*s.fields()[i] = v
		return nil
	}
	return fmt.Errorf("unknown KTAB model parameter %q", xml)
}

// String lists the settings as KTAB names them.
func (s Settings) String() string {
	var parts []string
	for i, p := range scenario.KTABParameters {
		v := *s.fields()[i]
		name := "?"
		if v >= 0 && v < len(p.Values) {
			name = p.Values[v]
		}
		parts = append(parts, p.Name+"="+name)
	}
	return strings.Join(parts, " ")
}
