package sweep

import (
	"fmt"

	"github.com/parley-project/parley/scenario"
)

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
