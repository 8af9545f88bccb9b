package smp

import (
	"fmt"
	"slices"
	"strings"
)

// Settings are KTAB's model parameters (the nine enumerations of KTAB's
// SMPModel, in the order of its ModelParameters XML element). Each field
// holds the index into the matching name list below, which is also KTAB's
// own enumeration value, so the defaults (the zero Settings is not valid;
// use Defaults) and the codes passed as model parameters agree with KTAB.
type Settings struct {
	VictoryProb    int // VictoryProbModel: Linear, Square, Quartic, Octic, Binary
	PCE            int // PCEModel: Conditional, MarkovIncentive, MarkovUniform
	StateTrans     int // StateTransitions: Deterministic, Stochastic
	VotingRule     int // VotingRule: Binary, PropBin, Prop, PropCbc, Cubic, ASymProsp
	BigRAdjust     int // BigRAdjust: None, OneThird, Half, TwoThirds, Full
	BigRRange      int // BigRRange: Min, Mid, Max
	ThirdParty     int // ThirdPartyCommit: NoCommit, SemiCommit, FullCommit
	InterVecBrgn   int // InterVecBrgn: S1P1, S2P2, S2PMax
	BargainModel   int // BargnModel: InitOnlyInterp, InitRcvrInterp, PWCompInterp
}

// Setting describes one of KTAB's model parameters.
type Setting struct {
	// XML is the element name inside KTAB's <ModelParameters>.
	XML string
	// Param is Parley's model-parameter name (a numeric code).
	Param string
	// Names lists the values in KTAB's enumeration order.
	Names   []string
	Default int
	field   func(*Settings) *int
}

// AllSettings lists KTAB's nine model parameters in KTAB's order.
var AllSettings = []Setting{
	{"VictoryProbModel", "victory_prob", []string{"Linear", "Square", "Quartic", "Octic", "Binary"}, 0, func(s *Settings) *int { return &s.VictoryProb }},
	{"PCEModel", "pce", []string{"Conditional", "MarkovIncentive", "MarkovUniform"}, 0, func(s *Settings) *int { return &s.PCE }},
	{"StateTransitions", "state_transitions", []string{"Deterministic", "Stochastic"}, 0, func(s *Settings) *int { return &s.StateTrans }},
	{"VotingRule", "voting_rule", []string{"Binary", "PropBin", "Prop", "PropCbc", "Cubic", "ASymProsp"}, 2, func(s *Settings) *int { return &s.VotingRule }},
	{"BigRAdjust", "big_r_adjust", []string{"None", "OneThird", "Half", "TwoThirds", "Full"}, 1, func(s *Settings) *int { return &s.BigRAdjust }},
	{"BigRRange", "big_r_range", []string{"Min", "Mid", "Max"}, 1, func(s *Settings) *int { return &s.BigRRange }},
	{"ThirdPartyCommit", "third_party", []string{"NoCommit", "SemiCommit", "FullCommit"}, 1, func(s *Settings) *int { return &s.ThirdParty }},
	{"InterVecBrgn", "interp", []string{"S1P1", "S2P2", "S2PMax"}, 1, func(s *Settings) *int { return &s.InterVecBrgn }},
	{"BargnModel", "bargain_model", []string{"InitOnlyInterp", "InitRcvrInterp", "PWCompInterp"}, 0, func(s *Settings) *int { return &s.BargainModel }},
}

// Defaults returns KTAB's default settings: linear victory probability,
// conditional probabilistic Condorcet election, deterministic transitions,
// proportional voting, one-third risk adjustment, mid risk range,
// semi-committed third parties, S2P2 interpolation, initiator-only
// interpolation.
func Defaults() Settings {
	var s Settings
	for _, st := range AllSettings {
		*st.field(&s) = st.Default
	}
	return s
}

// Set sets the parameter whose XML element name is xml to the value named
// name (both as KTAB spells them).
func (s *Settings) Set(xml, name string) error {
	for _, st := range AllSettings {
		if st.XML != xml {
			continue
		}
		i := slices.Index(st.Names, name)
		if i < 0 {
			return fmt.Errorf("%s: unknown value %q (want one of %s)", xml, name, strings.Join(st.Names, ", "))
		}
		*st.field(s) = i
		return nil
	}
	return fmt.Errorf("unknown KTAB model parameter %q", xml)
}

// Names returns the settings as KTAB's XML element name → value name.
func (s Settings) Names() map[string]string {
	m := map[string]string{}
	for _, st := range AllSettings {
		m[st.XML] = st.Names[*st.field(&s)]
	}
	return m
}

// String lists the settings as KTAB names them.
func (s Settings) String() string {
	var parts []string
	for _, st := range AllSettings {
		parts = append(parts, st.XML+"="+st.Names[*st.field(&s)])
	}
	return strings.Join(parts, " ")
}

func (s Settings) check() error {
	for _, st := range AllSettings {
		v := *st.field(&s)
		if v < 0 || v >= len(st.Names) {
			return fmt.Errorf("%s (%s) must be 0–%d, got %d", st.Param, st.XML, len(st.Names)-1, v)
		}
	}
	return nil
}
