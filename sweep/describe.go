package sweep

import (
	"fmt"

	"github.com/parley-project/parley/scenario"
)

// Describe checks a sweep's configuration and returns the Header its
// result will carry, without running a draw. A results store keeps it to
// resume the sweep later (parley sweep --resume) and to check that the resumed run
// is the same sweep.
func Describe(cfg Config) (Header, error) { return header(cfg) }

// NoiseFromSpec reads back the noise model of a Header.
func NoiseFromSpec(ns NoiseSpec) (Noise, error) {
	n := Noise{Position: ns.Position, Salience: ns.Salience, Capability: ns.Capability, Dropout: ns.Dropout}
	for k, v := range ns.Params {
		d, err := scenario.ParseDist(v)
		if err != nil {
			return Noise{}, fmt.Errorf("noise parameter %s: %w", k, err)
		}
		if n.Params == nil {
			n.Params = map[string]scenario.Dist{}
		}
		n.Params[k] = d
	}
	return n, nil
}
