package main

import (
	"io"
	"maps"
	"math"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/report"
	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/run"
	"github.com/parley-project/parley/scenario"
)

// maxRangeValues bounds the values of --param-range, as Decide bounds its
// sweeps over p (256 steps).
const maxRangeValues = 256

// paramRange reads --param-range NAME=START:STEP:STOP for the model's
// float or integer parameter NAME: START, START+STEP, … up to STOP (which
// counts when within a tenth of a step, as in Decide's sweeps over p),
// each checked against the parameter's declaration.
func paramRange(info model.Info, spec string) (string, []float64, error) {
	name, span, ok := strings.Cut(spec, "=")
	parts := strings.Split(span, ":")
	if !ok || name == "" || len(parts) != 3 {
		return "", nil, usage("--param-range %q: want NAME=START:STEP:STOP, e.g. p=0:0.1:1", spec)
	}
	decl, err := info.Param(name)
	if err != nil {
		return "", nil, usage("--param-range: %v", err)
	}
	if decl.Kind != model.Float && decl.Kind != model.Int {
		return "", nil, usage("--param-range %s: a %s parameter; a range takes a float or integer one", name, decl.Kind)
	}
	var num [3]float64
	for k, p := range parts {
		v, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return "", nil, usage("--param-range %q: %q is not a finite number", spec, p)
		}
		num[k] = v
	}
	start, step, stop := num[0], num[1], num[2]
	n := 1
	switch {
	case stop < start:
		return "", nil, usage("--param-range %q: STOP %v is below START %v", spec, stop, start)
	case step <= 0 && stop > start:
		return "", nil, usage("--param-range %q: STEP must be positive", spec)
	case stop > start:
		steps := math.Floor((stop-start)/step + 0.1)
		if steps+1 > maxRangeValues {
			return "", nil, usage("--param-range %q: %v values; at most %d", spec, steps+1, maxRangeValues)
		}
		n = int(steps) + 1
	}
	values := make([]float64, n)
	for k := range values {
		// 12 significant digits drop the drift of adding the step
		// (0.1·3 = 0.30000000000000004 becomes 0.3).
		v, _ := strconv.ParseFloat(strconv.FormatFloat(start+float64(k)*step, 'g', 12, 64), 64)
		if _, err := decl.Parse(model.Number(v)); err != nil {
			return "", nil, usage("--param-range %s=%v: %v", name, v, err)
		}
		values[k] = v
	}
	return name, values, nil
}

// forecastRange runs the forecast once per value of the swept parameter,
// each run from the same seed and saved as a forecast, and writes them
// together.
func forecastRange(cmd *cobra.Command, st *storeFlags, sc *scenario.Scenario, spec run.ForecastSpec, workers int,
	span, output string, asJSON bool) error {
	m, _, _, err := spec.ModelSpec.Resolve(nil)
	if err != nil {
		return runError(cmd, err)
	}
	name, values, err := paramRange(m.Info(), span)
	if err != nil {
		return err
	}
	if _, set := spec.Params[name]; set {
		return usage("--param-range %s: the parameter is also set with -p", name)
	}
	var results []*result.Result
	for _, v := range values {
		one := spec
		one.Params = maps.Clone(spec.Params)
		if one.Params == nil {
			one.Params = model.Params{}
		}
		one.Params[name] = model.Number(v)
		r, err := one.Run(cmd.Context(), sc, env(workers))
		if err != nil {
			return runError(cmd, err)
		}
		if err := st.save(cmd, r); err != nil {
			return err
		}
		results = append(results, r.Result)
	}
	doc := rangeDoc{Param: name, Values: values, Results: results}
	return emitResult(cmd.Context(), cmd.OutOrStdout(), output, asJSON, doc, func(w io.Writer) error {
		return report.ParamRange(w, sc, name, values, results)
	})
}

// rangeDoc is the JSON of a forecast over a parameter range: the values
// and, for each, the run's result document.
type rangeDoc struct {
	Param   string           `json:"param"`
	Values  []float64        `json:"values"`
	Results []*result.Result `json:"results"`
}
