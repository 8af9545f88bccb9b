package main

import (
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/run"
	"github.com/parley-project/parley/scenario"
)

// modelFlags registers --model, --variant, --rounds and --param of a
// command that runs a model, bound to spec (whose values are the
// defaults); --param's NAME=VALUE words are gathered in params for
// loadModelRun.
func modelFlags(f *pflag.FlagSet, spec *run.ModelSpec, params *[]string, roundsHelp, paramHelp string) {
	f.StringVarP(&spec.Model, "model", "m", spec.Model, "model to run (see 'parley models')")
	f.StringVar(&spec.Variant, "variant", spec.Variant, "model variant (default: the model's first)")
	f.IntVarP(&spec.Rounds, "rounds", "r", spec.Rounds, roundsHelp)
	f.StringArrayVarP(params, "param", "p", nil, paramHelp)
}

// parseParams reads repeated NAME=VALUE flags as words, which the model's
// declarations then parse (model.Param.Parse) when the run layer resolves
// the options.
func parseParams(flag string, list []string) (model.Params, error) {
	out := model.Params{}
	for _, p := range list {
		k, v, ok := strings.Cut(p, "=")
		if !ok || k == "" {
			return nil, usage("--%s %q: want NAME=VALUE", flag, p)
		}
		out[k] = model.Text(v)
	}
	return out, nil
}

// loadModelRun resolves the scenario argument and the repeated --param
// NAME=VALUE flags of a command that runs a model into spec.
func loadModelRun(cmd *cobra.Command, args []string, params []string, spec *run.ModelSpec) (*scenario.Scenario, error) {
	sc, err := loadScenario(cmd, args)
	if err != nil {
		return nil, err
	}
	if spec.Params, err = parseParams("param", params); err != nil {
		return nil, err
	}
	return sc, nil
}
