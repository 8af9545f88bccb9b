package sweep

import "fmt"

// NoiseFromSpec reads back the noise model of a Header.
func NoiseFromSpec(ns NoiseSpec) (Noise, error) {
	n := Noise{Position: ns.Position, Salience: ns.Salience, Capability: ns.Capability, Dropout: ns.Dropout}
	if ns.Thin != nil {
		thin := *ns.Thin
		n.Thin = &thin
	}
	if err := n.SetParams(ns.Params); err != nil {
		pe := err.(*ParamError)
		return Noise{}, fmt.Errorf("noise parameter %s: %w", pe.Name, pe.Err)
	}
	return n, nil
}
