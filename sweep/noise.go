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
	for k, v := range u.Params {
		d, err := scenario.ParseDist(v)
		if err != nil {
			return Noise{}, fmt.Errorf("%s: uncertainty.params.%s: %w", sc.File, k, err)
		}
		if n.Params == nil {
			n.Params = map[string]scenario.Dist{}
		}
		n.Params[k] = d
	}
	return n, nil
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
func (n Noise) paramNames() []string {
	names := make([]string, 0, len(n.Params))
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
	out := *sc
	out.Actors = make([]scenario.Actor, 0, len(sc.Actors))
	smax := sc.SalienceMax()
	dropped := make([]bool, len(sc.Actors))
	perturbed := make([]scenario.Actor, len(sc.Actors))
	for ai := range sc.Actors {
		a := sc.Actors[ai]
		z := rng.NormFloat64()
		a.Capability.Value *= math.Exp(n.Capability * z)
		st := make(map[string]scenario.Stance, len(a.Stances))
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
	for ai := range perturbed {
		if !dropped[ai] {
			out.Actors = append(out.Actors, perturbed[ai])
		}
	}
	var params map[string]float64
	for _, k := range n.paramNames() {
		if params == nil {
			params = map[string]float64{}
		}
		params[k] = sample(rng, n.Params[k])
	}
	return &out, params
}

func clamp(v, lo, hi float64) float64 {
	return math.Max(lo, math.Min(hi, v))
}
