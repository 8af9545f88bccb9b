package sweep

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"github.com/parley-project/parley/scenario"
)

// Noise is the perturbation applied to a scenario in each draw. A coded
// number with its own range or sd (scenario.Number) is drawn from it; any
// other number gets the level of its kind below, or of Thin when the
// number is marked inferred or cites no evidence and Thin is set.
type Noise struct {
	// Position is the sd of additive normal noise on positions, as a
	// fraction of each issue's range; results are clamped to the scale.
	Position float64 `json:"position"`
	// Salience is σ of multiplicative log-normal noise s·exp(σZ), clamped
	// to the salience scale.
	Salience float64 `json:"salience"`
	// Capability is σ of multiplicative log-normal noise c·exp(σZ).
	Capability float64 `json:"capability"`
	// Dropout is the probability that an actor sits a draw out.
	Dropout float64 `json:"dropout"`
	// Thin, when set, holds the levels for numbers without direct evidence
	// (marked inferred, or citing no source); the fields above then apply
	// to numbers with direct evidence only. Nil: the fields above apply to
	// every number without its own range or sd.
	Thin *Levels `json:"thin,omitempty"`
	// Params draws model parameters, keyed by name.
	Params map[string]scenario.Dist `json:"-"`
}

// Levels are the noise levels of the coded numbers of one evidence class
// that carry no range or sd of their own, as in Noise.
type Levels struct {
	Position   float64 `json:"position"`
	Salience   float64 `json:"salience"`
	Capability float64 `json:"capability"`
}

// The default levels by evidence class (docs/uncertainty.md gives the
// reasons): a number resting on direct evidence is taken to be off by
// about 5 points in 100 on its scale, or 15% of its value for saliences
// and capabilities; a number that is inferred or cites nothing by twice
// that.
var (
	DefaultDirect = Levels{Position: 0.05, Salience: 0.15, Capability: 0.15}
	DefaultThin   = Levels{Position: 0.10, Salience: 0.30, Capability: 0.30}
)

// DefaultNoise is the noise model of a scenario that declares none: the
// default levels by evidence class, no drop-out, no parameter draws.
func DefaultNoise() Noise {
	thin := DefaultThin
	return Noise{Position: DefaultDirect.Position, Salience: DefaultDirect.Salience, Capability: DefaultDirect.Capability, Thin: &thin}
}

// levels returns the levels of a number of the given evidence class.
func (n Noise) levels(direct bool) Levels {
	if n.Thin != nil && !direct {
		return *n.Thin
	}
	return Levels{Position: n.Position, Salience: n.Salience, Capability: n.Capability}
}

// NoiseFrom returns the noise model of a scenario: the defaults by
// evidence class (DefaultNoise), with each level the scenario's
// uncertainty section gives applied to every number of its kind.
func NoiseFrom(sc *scenario.Scenario) (Noise, error) {
	n := DefaultNoise()
	u := sc.Uncertainty
	if u == nil {
		return n, nil
	}
	n.Override(NoiseOverride{Position: u.Position, Salience: u.Salience, Capability: u.Capability, Dropout: &u.Dropout})
	if err := n.SetParams(u.Params); err != nil {
		pe := err.(*ParamError)
		return Noise{}, fmt.Errorf("%s: uncertainty.params.%s: %w", sc.File, pe.Name, pe.Err)
	}
	return n, nil
}

// ParamError reports a parameter distribution that does not parse; each
// caller words it for where the distribution came from.
type ParamError struct {
	Name, Spec string
	Err        error // from scenario.ParseDist
}

func (e *ParamError) Error() string { return fmt.Sprintf("parameter %s: %v", e.Name, e.Err) }
func (e *ParamError) Unwrap() error { return e.Err }

// SetParam draws parameter name from the distribution spec, written as
// scenario.ParseDist reads it; it returns ParseDist's error as it is.
func (n *Noise) SetParam(name, spec string) error {
	d, err := scenario.ParseDist(spec)
	if err != nil {
		return err
	}
	if n.Params == nil {
		n.Params = map[string]scenario.Dist{}
	}
	n.Params[name] = d
	return nil
}

// SetParams sets the distribution of each named parameter (name → spec,
// see SetParam); the error of a spec that does not parse is a *ParamError.
func (n *Noise) SetParams(specs map[string]string) error {
	for k, v := range specs {
		if err := n.SetParam(k, v); err != nil {
			return &ParamError{Name: k, Spec: v, Err: err}
		}
	}
	return nil
}

// NoiseOverride replaces parts of a noise model (nil: keep), e.g. a
// scenario's uncertainty section by command-line flags or a request.
type NoiseOverride struct {
	Position, Salience, Capability, Dropout *float64
}

// Override sets each field of n that o gives; a level given applies to
// numbers of both evidence classes.
func (n *Noise) Override(o NoiseOverride) {
	var thin Levels
	if n.Thin != nil {
		thin = *n.Thin
	}
	for _, f := range []struct{ dst, thin, v *float64 }{
		{&n.Position, &thin.Position, o.Position}, {&n.Salience, &thin.Salience, o.Salience}, {&n.Capability, &thin.Capability, o.Capability}, {&n.Dropout, nil, o.Dropout},
	} {
		if f.v != nil {
			*f.dst = *f.v
			if f.thin != nil {
				*f.thin = *f.v
			}
		}
	}
	if n.Thin != nil {
		n.Thin = &thin
	}
}

// Check reports a noise model that cannot be used.
func (n Noise) Check() error {
	for _, f := range []struct {
		name string
		v    float64
	}{{"position", n.Position}, {"salience", n.Salience}, {"capability", n.Capability}, {"position", n.levels(false).Position}, {"salience", n.levels(false).Salience}, {"capability", n.levels(false).Capability}} {
		if math.IsNaN(f.v) || math.IsInf(f.v, 0) || f.v < 0 {
			return fmt.Errorf("%s noise must be a non-negative number, got %v", f.name, f.v)
		}
	}
	if !(n.Dropout >= 0 && n.Dropout < 1) {
		return fmt.Errorf("drop-out probability must lie in [0, 1), got %v", n.Dropout)
	}
	return nil
}

// Still reports whether no draw can differ from another on sc: every
// level is 0, no actor drops out, every drawn parameter takes one value
// (fixed(v), uniform(a,a), normal(m,0)) and no number has a range or sd
// of its own that lets it move. The perturbed scenario of every draw is
// then the scenario itself, and every draw the same model run: Run runs
// one (Result.Identical).
func (n Noise) Still(sc *scenario.Scenario) bool {
	thin := n.levels(false)
	if n.Position != 0 || n.Salience != 0 || n.Capability != 0 || thin != (Levels{}) || n.Dropout != 0 {
		return false
	}
	for _, d := range n.Params {
		a := d.Args
		switch {
		case d.Kind == "fixed":
		case d.Kind == "uniform" && len(a) == 2 && a[0] == a[1]:
		case d.Kind == "normal" && len(a) >= 2 && a[1] == 0:
		default:
			return false
		}
	}
	moves := func(x scenario.Number) bool {
		return x.Range != nil && x.Range[0] < x.Range[1] || x.SD != nil && *x.SD > 0
	}
	for _, a := range sc.Actors {
		if moves(a.Capability) {
			return false
		}
		for _, st := range a.Stances {
			if moves(st.Position) || moves(st.Salience) {
				return false
			}
		}
	}
	return true
}

// paramNames returns the names of the drawn parameters in sorted order, the
// order in which they are drawn.
func (n Noise) paramNames() []string { return n.appendParamNames(nil) }

// appendParamNames appends the sorted names to names.
func (n Noise) appendParamNames(names []string) []string {
	for k := range n.Params {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// splitmix64 is Steele, Lea & Flood's SplitMix64 finaliser, used to turn
// (seed, draw index) into well-separated PCG seeds.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// DrawRNG returns the random number generator of draw i of a sweep with the
// given seed. It depends on nothing else, so a draw gives the same numbers
// whichever worker or shard runs it.
func DrawRNG(seed uint64, i int) *rand.Rand {
	hi := splitmix64(seed)
	return rand.New(rand.NewPCG(hi, splitmix64(hi^uint64(i))))
}

// sample draws from d.
func sample(rng *rand.Rand, d scenario.Dist) float64 {
	a := d.Args
	switch d.Kind {
	case "uniform":
		return a[0] + (a[1]-a[0])*rng.Float64()
	case "normal":
		v := a[0] + a[1]*rng.NormFloat64()
		if len(a) == 4 {
			// Truncation by rejection; the bound of 1,000 tries (then the
			// mean) keeps a draw finite for absurdly narrow bounds.
			for try := 0; (v < a[2] || v > a[3]) && try < 1000; try++ {
				v = a[0] + a[1]*rng.NormFloat64()
			}
			if v < a[2] || v > a[3] {
				v = a[0]
			}
		}
		return v
	default: // fixed
		return a[0]
	}
}

// Perturb returns a copy of sc with the noise of one draw applied, and the
// model parameters drawn. The random numbers are consumed in a fixed order
// (per actor in file order: capability, then per issue in scenario order
// position and salience, then the drop-out trial; then the parameters by
// name), whatever noise is switched on, so switching one kind of noise on
// does not reshuffle the others.
func Perturb(sc *scenario.Scenario, n Noise, rng *rand.Rand) (*scenario.Scenario, map[string]float64) {
	var b perturbation
	return b.perturb(sc, n, rng)
}

// perturbation is one worker's memory for Perturb, reused from draw to
// draw: the copy of the scenario, its actors and their stance maps, and
// the drawn parameters. What perturb returns is valid until its next call.
type perturbation struct {
	out       scenario.Scenario
	actors    []scenario.Actor
	perturbed []scenario.Actor
	dropped   []bool
	stances   []map[string]scenario.Stance
	params    map[string]float64
	names     []string
}

func (b *perturbation) perturb(sc *scenario.Scenario, n Noise, rng *rand.Rand) (*scenario.Scenario, map[string]float64) {
	b.out = *sc
	na := len(sc.Actors)
	smax := sc.SalienceMax()
	b.dropped = append(b.dropped[:0], make([]bool, na)...)
	b.perturbed = append(b.perturbed[:0], make([]scenario.Actor, na)...)
	for len(b.stances) < na {
		b.stances = append(b.stances, map[string]scenario.Stance{})
	}
	dropped, perturbed := b.dropped, b.perturbed
	for ai := range sc.Actors {
		a := sc.Actors[ai]
		zc := rng.NormFloat64()
		a.Capability.Value = n.draw(a.Capability, Capability, zc, 0, math.Inf(1))
		st := b.stances[ai]
		clear(st)
		for ii := range sc.Issues {
			is := &sc.Issues[ii]
			s, ok := a.Stances[is.ID]
			if !ok {
				continue
			}
			zp, zs := rng.NormFloat64(), rng.NormFloat64()
			if s.Position.Set {
				s.Position.Value = n.draw(s.Position, Position, zp, is.Min, is.Max)
			}
			s.Salience.Value = n.draw(s.Salience, Salience, zs, 0, smax)
			if s.Capability.Set {
				// A capability of its own on the issue takes the actor's
				// deviate, with its own spread.
				s.Capability.Value = n.draw(s.Capability, Capability, zc, 0, math.Inf(1))
			}
			st[is.ID] = s
		}
		a.Stances = st
		dropped[ai] = rng.Float64() < n.Dropout
		perturbed[ai] = a
	}
	// An issue must keep an actor: when every actor on it dropped out, the
	// first of them in file order stays.
	for ii := range sc.Issues {
		id := sc.Issues[ii].ID
		first, kept := -1, false
		for ai := range sc.Actors {
			if s, ok := sc.Actors[ai].Stances[id]; ok && s.Position.Set {
				if !dropped[ai] {
					kept = true
					break
				}
				if first < 0 {
					first = ai
				}
			}
		}
		if !kept && first >= 0 {
			dropped[first] = false
		}
	}
	b.actors = b.actors[:0]
	for ai := range perturbed {
		if !dropped[ai] {
			b.actors = append(b.actors, perturbed[ai])
		}
	}
	b.out.Actors = b.actors
	if len(n.Params) == 0 {
		return &b.out, nil
	}
	if b.params == nil {
		b.params = map[string]float64{}
	}
	clear(b.params)
	b.names = n.appendParamNames(b.names[:0])
	for _, k := range b.names {
		b.params[k] = sample(rng, n.Params[k])
	}
	return &b.out, b.params
}

// Kinds of coded number.
const (
	Position = iota
	Salience
	Capability
)

// draw returns a draw of the coded number x of the given kind, which may
// take values from lo to hi, from the standard normal deviate z: from its
// own range (triangular with its mode at the value: z is turned into a
// uniform deviate by the normal distribution function, so that every kind
// of spread takes one normal deviate and switching a number's spread does
// not reshuffle the others), from its own sd (normal, clamped to [lo,
// hi]), or from the level of its kind and evidence class (a position moves
// by level × (hi − lo) × z, clamped; a salience or capability is
// multiplied by exp(level × z), a salience clamped to the scale).
func (n Noise) draw(x scenario.Number, kind int, z, lo, hi float64) float64 {
	switch {
	case x.Range != nil:
		return triangular(x.Range[0], x.Value, x.Range[1], 0.5*math.Erfc(-z/math.Sqrt2))
	case x.SD != nil:
		return clamp(x.Value+*x.SD*z, lo, hi)
	}
	lv := n.levels(x.Direct())
	switch kind {
	case Position:
		return clamp(x.Value+lv.Position*(hi-lo)*z, lo, hi)
	case Salience:
		return clamp(x.Value*math.Exp(lv.Salience*z), lo, hi)
	}
	return x.Value * math.Exp(lv.Capability*z)
}

// Ends returns the values between which sensitivity analysis moves the
// coded number x of the given kind (taking values from lo to hi): its own
// range, or the 5th and 95th percentiles of the distribution draw samples
// it from (value ± 1.645 sd, or the level's equivalent), clamped to [lo,
// hi].
func (n Noise) Ends(x scenario.Number, kind int, lo, hi float64) (low, high float64) {
	if x.Range != nil {
		return x.Range[0], x.Range[1]
	}
	const z95 = 1.6448536269514722 // Φ⁻¹(0.95)
	return n.draw(x, kind, -z95, lo, hi), n.draw(x, kind, z95, lo, hi)
}

// triangular returns the u-quantile of the triangular distribution on
// [a, b] with mode c.
func triangular(a, c, b, u float64) float64 {
	if b <= a {
		return c
	}
	if u < (c-a)/(b-a) {
		return a + math.Sqrt(u*(b-a)*(c-a))
	}
	return b - math.Sqrt((1-u)*(b-a)*(b-c))
}

func clamp(v, lo, hi float64) float64 {
	return math.Max(lo, math.Min(hi, v))
}
