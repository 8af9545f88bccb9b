package model_test

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/scenario"
)

// shift is a toy model: every forecast is the weighted mean moved by a
// parameter. It shows how a model declares its parameters and reads them.
type shift struct{}

func (shift) Info() model.Info {
	return model.Info{Name: "shift", Description: "the weighted mean, shifted", Params: []model.Param{
		model.FloatParam("by", 0, -10, 10, "how far to shift the forecast"),
		model.IntParam("times", 1, 1, 100, "how often to apply the shift"),
		model.BoolParam("clamp", true, "keep the forecast on the issue's scale"),
		model.EnumParam("unit", "points", []model.EnumValue{{Name: "points", Code: 0}, {Name: "percent", Code: 1, Aliases: []string{"%"}}},
			"what the shift is measured in"),
		model.FloatParam("floor", 0, 0, 100, "lowest forecast").Optional("no floor"),
	}}
}

func (m shift) Run(ctx context.Context, sc *scenario.Scenario, opt model.Options) (*result.Result, error) {
	r, err := model.Resolve(m.Info(), opt) // checks every given value
	if err != nil {
		return nil, err
	}
	by, _ := r.Params.Float("by")
	times, _ := r.Params.Int("times")
	clamp, _ := r.Params.Bool("clamp")
	unit, _ := r.Params.Enum("unit")
	floor, hasFloor := r.Params.Float("floor") // optional: set or not
	return model.PerIssue(ctx, sc, m.Info().Name, r.Variant, func(is *scenario.Issue, st []scenario.Stakeholder) (result.Issue, error) {
		x, w := model.Positions(st), model.Weights(st)
		var sum, total float64
		for i := range x {
			sum, total = sum+w[i]*x[i], total+w[i]
		}
		d := by * float64(times)
		if unit.Name == "percent" {
			d *= (is.Max - is.Min) / 100
		}
		f := sum/total + d
		if clamp {
			f = max(is.Min, min(is.Max, f))
		}
		if hasFloor {
			f = max(f, floor)
		}
		return result.Issue{Stopped: "static", Rounds: []result.Round{{Forecast: f}}}, nil
	})
}

// Example declares a model's parameters (shift above) and sets them the
// three ways callers do: as words from the command line's -p NAME=VALUE,
// as JSON numbers, booleans or strings from a request, and as typed values
// from Go. Every way goes through the declaration's Parse.
func Example() {
	sc := &scenario.Scenario{Name: "x", Issues: []scenario.Issue{{ID: "i", Min: 0, Max: 10}},
		Actors: []scenario.Actor{{ID: "a", Capability: scenario.N(1),
			Stances: map[string]scenario.Stance{"i": {Position: scenario.N(4), Salience: scenario.N(100)}}}}}
	m := shift{}

	// From the command line: words.
	cli := model.Params{"by": model.Text("1.5"), "times": model.Text("2"), "unit": model.Text("%")}
	// From a JSON request: numbers, booleans or strings.
	var req struct{ Params model.Params }
	_ = json.Unmarshal([]byte(`{"params": {"by": 9, "clamp": false, "unit": "points"}}`), &req)
	// From Go: typed values.
	code := model.Params{"by": model.Number(-3), "floor": model.Number(2.5)}

	for _, p := range []model.Params{cli, req.Params, code} {
		res, err := m.Run(context.Background(), sc, model.Options{Params: p})
		r, _ := model.Resolve(m.Info(), model.Options{Params: p})
		fmt.Println(res.Issues[0].Forecast, err, r.Params.Params()["unit"])
	}

	// A value the declaration does not allow is refused, naming what is.
	_, err := m.Run(context.Background(), sc, model.Options{Params: model.Params{"unit": model.Text("miles")}})
	fmt.Println(err)
	for _, p := range m.Info().Params[:2] {
		fmt.Println(p.Usage())
	}
	// Output:
	// 4.3 <nil> percent
	// 13 <nil> points
	// 2.5 <nil> points
	// parameter unit: "miles" is not allowed (want one of points (0), percent (1, %))
	// by=0 (float: a number from -10 to 10)
	// times=1 (integer: a whole number from 1 to 100)
}
