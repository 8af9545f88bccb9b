package sweep

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"github.com/parley-project/parley/scenario"
)

// Noise is the perturbation applied to a scenario in each draw.
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
	// Params draws model parameters, keyed by name.
	Params map[string]scenario.Dist `json:"-"`
}

// NoiseFrom returns the noise model a scenario declares (zero when it
// declares none).
func NoiseFrom(sc *scenario.Scenario) (Noise, error) {
	u := sc.Uncertainty
	if u == nil {
		return Noise{}, nil
	}
	n := Noise{Position: u.Position, Salience: u.Salience, Capability: u.Capability, Dropout: u.Dropout}
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

// Override sets each field of n that o gives.
func (n *Noise) Override(o NoiseOverride) {
	for _, f := range []struct{ dst, v *float64 }{
		{&n.Position, o.Position}, {&n.Salience, o.Salience}, {&n.Capability, o.Capability}, {&n.Dropout, o.Dropout},
	} {
		if f.v != nil {
			*f.dst = *f.v
		}
	}
}

// Check reports a noise model that cannot be used.
func (n Noise) Check() error {
	for _, f := range []struct {
		name string
		v    float64
	}{{"position", n.Position}, {"salience", n.Salience}, {"capability", n.Capability}} {
		if math.IsNaN(f.v) || math.IsInf(f.v, 0) || f.v < 0 {
			return fmt.Errorf("%s noise must be a non-negative number, got %v", f.name, f.v)
		}
	}
	if !(n.Dropout >= 0 && n.Dropout < 1) {
		return fmt.Errorf("drop-out probability must lie in [0, 1), got %v", n.Dropout)
	}
	return nil
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
		z := rng.NormFloat64()
		fc := math.Exp(n.Capability * z)
		a.Capability.Value *= fc
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
				s.Position.Value = clamp(s.Position.Value+n.Position*(is.Max-is.Min)*zp, is.Min, is.Max)
			}
			s.Salience.Value = clamp(s.Salience.Value*math.Exp(n.Salience*zs), 0, smax)
			if s.Capability.Set {
				s.Capability.Value *= fc // the actor's draw, on every issue
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

func clamp(v, lo, hi float64) float64 {
	return math.Max(lo, math.Min(hi, v))
}
