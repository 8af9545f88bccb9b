package recognition

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Params are the coefficients of the hazard model (docs/models/recognition.md
// justifies each value). The model is a discrete-time proportional hazards
// model with a complementary log-log link (Prentice & Gloeckler 1978;
// Allison 1982): state i recognises in month t, given it has not yet, with
// probability h = 1 − exp(−exp(η_it)), where
//
//	η_it = log b(t) + Patron·[i recognising patron]
//	       + Align·z_i + EU·eu_i·side(EU) + NATO·nato_i·side(NATO)
//	       + OIC·oic_i − Secession·sec_i
//	       + Σ_{p ∈ RUS,CHN,SRB} Tie_p·tie_ip·side(p)
//	       + Peer·peers_it + Ally·allies_it                      (model eq. 1)
//
// with the baseline b(t) = exp(Base)·(1 + Wave·exp(−(t−1)/WaveMonths))
// (eq. 2), z_i = (x_i − m_O)/(m_R − m_O) the state's UN General Assembly
// ideal point x_i placed on the line from the opposing patrons' mean m_O
// (z = 0) to the recognising patrons' mean m_R (z = 1) (eq. 3), side(·)
// = +1 when the bloc or state is among the recognising side's patrons
// only, −1 when among the opposing side's only, 0 otherwise, and peers_it,
// allies_it the shares of the state's regional group and of its EU, NATO,
// OIC and CSTO co-members that had recognised by the end of month t−1
// (eq. 4).
type Params struct {
	Base       float64 `json:"base"`
	Wave       float64 `json:"wave"`
	WaveMonths float64 `json:"wave_months"`
	Patron     float64 `json:"patron"`
	Align      float64 `json:"align"`
	EU         float64 `json:"eu"`
	NATO       float64 `json:"nato"`
	OIC        float64 `json:"oic"`
	Secession  float64 `json:"secession"`
	TieRUS     float64 `json:"tie_rus"`
	TieCHN     float64 `json:"tie_chn"`
	TieSRB     float64 `json:"tie_srb"`
	Peer       float64 `json:"peer"`
	Ally       float64 `json:"ally"`
}

// DefaultParams returns the ex-ante coefficients for a Western-backed,
// Muslim-majority entity seceding from a state backed by Russia and China
// (Kosovo, February 2008). See docs/models/recognition.md.
func DefaultParams() Params {
	return Params{
		Base:       -6.9,
		Wave:       4,
		WaveMonths: 4,
		Patron:     5,
		Align:      2.5,
		EU:         1.5,
		NATO:       1.0,
		OIC:        0.5,
		Secession:  2.0,
		TieRUS:     1.5,
		TieCHN:     1.0,
		TieSRB:     1.5,
		Peer:       1.0,
		Ally:       1.0,
	}
}

// fields lists the parameters by their command-line names.
func (p *Params) fields() map[string]*float64 {
	return map[string]*float64{
		"base": &p.Base, "wave": &p.Wave, "wave_months": &p.WaveMonths, "patron": &p.Patron,
		"align": &p.Align, "eu": &p.EU, "nato": &p.NATO, "oic": &p.OIC, "secession": &p.Secession,
		"tie_rus": &p.TieRUS, "tie_chn": &p.TieCHN, "tie_srb": &p.TieSRB, "peer": &p.Peer, "ally": &p.Ally,
	}
}

// ParamNames returns the parameter names Set accepts, sorted.
func ParamNames() []string {
	var p Params
	var names []string
	for k := range p.fields() {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// Set sets the parameter called name (see ParamNames).
func (p *Params) Set(name string, v float64) error {
	f, ok := p.fields()[name]
	if !ok {
		return fmt.Errorf("unknown recognition parameter %q (want one of %s)", name, strings.Join(ParamNames(), ", "))
	}
	*f = v
	return p.Validate()
}

// Validate checks that every parameter is finite, that the coefficients
// whose direction the model fixes are not negative (they are magnitudes:
// the model applies the sign), and that the wave lasts a positive time.
func (p Params) Validate() error {
	for name, f := range p.fields() {
		if math.IsNaN(*f) || math.IsInf(*f, 0) {
			return fmt.Errorf("recognition parameter %s: not a finite number", name)
		}
	}
	for _, name := range []string{"wave", "patron", "align", "eu", "nato", "secession", "tie_rus", "tie_chn", "tie_srb", "peer", "ally"} {
		if *p.fields()[name] < 0 {
			return fmt.Errorf("recognition parameter %s: %g is negative; it is a magnitude, the model applies the sign", name, *p.fields()[name])
		}
	}
	if p.WaveMonths <= 0 {
		return fmt.Errorf("recognition parameter wave_months: %g, want > 0", p.WaveMonths)
	}
	return nil
}
