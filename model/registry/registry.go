// Package registry lists every model Parley ships, in the order the
// command line shows them.
package registry

import (
	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/model/baseline"
	"github.com/parley-project/parley/model/eum"
	"github.com/parley-project/parley/model/exchange"
	"github.com/parley-project/parley/model/nash"
	"github.com/parley-project/parley/model/procedure"
	"github.com/parley-project/parley/model/smp"
)

// DefaultModel is the model a run uses when none is named: the
// command line's --model default, the server's and the process stages'.
const DefaultModel = eum.Name

// Default returns a registry of all built-in models.
func Default() *model.Registry {
	return model.NewRegistry(
		baseline.Mean{},
		baseline.Median{},
		baseline.Condorcet{},
		baseline.PowerMean{},
		eum.Model{},
		smp.Model{},
		exchange.Model{},
		procedure.New(baseline.Mean{}, baseline.Median{}, baseline.Condorcet{}, eum.Model{}),
		nash.Model{},
	)
}
