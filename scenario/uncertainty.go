package scenario

import (
	"fmt"
	"strconv"
	"strings"
)

// Uncertainty is the noise model a scenario declares for Monte Carlo sweeps
// (parley sweep, parley forecast --interval): how far the coded numbers
// that carry no range or sd of their own may be off. A level given here
// applies to every such number of its kind, replacing the defaults by
// evidence class (docs/uncertainty.md); a level left out keeps them. Flags
// of the sweep command override it field by field.
type Uncertainty struct {
	// Position is the standard deviation of additive normal noise on
	// positions, as a fraction of the range (0.05 = 5 points on a
	// 0–100 scale). Noisy positions are clamped to the scale.
	Position *float64 `yaml:"position,omitempty" json:"position,omitempty"`
	// Salience is the standard deviation σ of multiplicative log-normal
	// noise on saliences: s·exp(σZ), clamped to the salience scale.
	Salience *float64 `yaml:"salience,omitempty" json:"salience,omitempty"`
	// Capability is σ of multiplicative log-normal noise on capabilities:
	// c·exp(σZ).
	Capability *float64 `yaml:"capability,omitempty" json:"capability,omitempty"`
	// Dropout is the probability that an actor sits a draw out.
	Dropout float64 `yaml:"dropout,omitempty" json:"dropout,omitempty"`
	// Params draws model parameters from distributions, keyed by parameter
	// name, written as in ParseDist (e.g. q: "uniform(0.5, 1)").
	Params map[string]string `yaml:"params,omitempty" json:"params,omitempty"`
}

// Dist is a probability distribution for a model parameter.
type Dist struct {
	// Kind is "fixed", "uniform" or "normal".
	Kind string
	// Args are the distribution's arguments: fixed(v); uniform(lo, hi);
	// normal(mean, sd) or normal(mean, sd, lo, hi), truncated to [lo, hi].
	Args []float64
}

// String writes the distribution in the syntax ParseDist reads.
func (d Dist) String() string {
	parts := make([]string, len(d.Args))
	for i, a := range d.Args {
		parts[i] = fmtNum(a)
	}
	return d.Kind + "(" + strings.Join(parts, ", ") + ")"
}

// ParseDist reads a distribution: a plain number (fixed), "fixed(v)",
// "uniform(lo, hi)", "normal(mean, sd)" or "normal(mean, sd, lo, hi)".
func ParseDist(s string) (Dist, error) {
	s = strings.TrimSpace(s)
	if v, err := strconv.ParseFloat(s, 64); err == nil {
		if !finite(v) {
			return Dist{}, fmt.Errorf("%q: value must be finite", s)
		}
		return Dist{Kind: "fixed", Args: []float64{v}}, nil
	}
	open := strings.IndexByte(s, '(')
	if open < 0 || !strings.HasSuffix(s, ")") {
		return Dist{}, fmt.Errorf("%q: want a number, fixed(v), uniform(lo, hi) or normal(mean, sd[, lo, hi])", s)
	}
	d := Dist{Kind: strings.TrimSpace(s[:open])}
	for _, a := range strings.Split(s[open+1:len(s)-1], ",") {
		v, ok := parseFinite(strings.TrimSpace(a))
		if !ok {
			return Dist{}, fmt.Errorf("%q: argument %q is not a finite number", s, strings.TrimSpace(a))
		}
		d.Args = append(d.Args, v)
	}
	a := d.Args
	switch d.Kind {
	case "fixed":
		if len(a) != 1 {
			return Dist{}, fmt.Errorf("%q: fixed takes one argument", s)
		}
	case "uniform":
		if len(a) != 2 || a[0] > a[1] {
			return Dist{}, fmt.Errorf("%q: uniform takes two arguments lo ≤ hi", s)
		}
	case "normal":
		if (len(a) != 2 && len(a) != 4) || a[1] < 0 {
			return Dist{}, fmt.Errorf("%q: normal takes a mean and a non-negative sd, optionally with bounds lo, hi", s)
		}
		if len(a) == 4 && !(a[2] <= a[0] && a[0] <= a[3]) {
			return Dist{}, fmt.Errorf("%q: the truncation bounds must hold the mean (lo ≤ mean ≤ hi)", s)
		}
	default:
		return Dist{}, fmt.Errorf("%q: unknown distribution %q (have fixed, uniform, normal)", s, d.Kind)
	}
	return d, nil
}

// check reports problems of the noise model under field "uncertainty".
func (u *Uncertainty) check(l *problemList) {
	if u == nil {
		return
	}
	for _, f := range []struct {
		field string
		v     *float64
	}{{"uncertainty.position", u.Position}, {"uncertainty.salience", u.Salience}, {"uncertainty.capability", u.Capability}} {
		if f.v != nil {
			l.nonNegative(f.field, "", *f.v)
		}
	}
	if !(u.Dropout >= 0 && u.Dropout < 1) {
		l.add("uncertainty.dropout", "must lie in [0, 1), got %v", u.Dropout)
	}
	for _, k := range sortedKeys(u.Params) {
		if _, err := ParseDist(u.Params[k]); err != nil {
			l.add("uncertainty.params."+k, "%v", err)
		}
	}
}
