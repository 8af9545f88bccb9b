package model

import (
	"math"
	"strings"
	"testing"

	"github.com/parley-project/parley/result"
)

func TestStopRuleCheck(t *testing.T) {
	tests := []struct {
		name      string
		rule      StopRule
		forecasts []float64
		tol       float64
		want      string
	}{
		{"disabled", StopRule{Epsilon: 1, K: 0}, []float64{1, 1, 1}, 0.01, ""},
		{"too few rounds", StopRule{Epsilon: 0.1, K: 2}, []float64{1, 1}, 0.01, ""},
		{"two still rounds", StopRule{Epsilon: 0.1, K: 2}, []float64{0, 5, 5.05, 5.1}, 0.01, result.StoppedFixed},
		{"drift beyond epsilon from the last", StopRule{Epsilon: 0.1, K: 2}, []float64{0, 5, 5.08, 5.16}, 0.01, ""},
		{"last move too big", StopRule{Epsilon: 0.1, K: 2}, []float64{0, 5, 5.05, 5.5}, 0.01, ""},
		{"move equal to epsilon counts as still", StopRule{Epsilon: 0.5, K: 1}, []float64{0, 0.5}, 0.01, result.StoppedFixed},
		{"only the last K count", StopRule{Epsilon: 0.1, K: 1}, []float64{0, 9, 9}, 0.01, result.StoppedFixed},
		{"epsilon 0 takes the issue's tolerance", StopRule{K: 1}, []float64{0, 9, 9.005}, 0.01, result.StoppedFixed},
		{"epsilon 0, move beyond the tolerance", StopRule{K: 1}, []float64{0, 9, 9.02}, 0.01, ""},
		{"cycle repeated twice", StopRule{K: 2}, []float64{3, 1, 2, 1, 2, 1, 2}, 0.01, result.StoppedCycle},
		{"cycle repeated once is not enough for K=2", StopRule{K: 2}, []float64{3, 3, 1, 2, 1, 2}, 0.01, ""},
		{"period 4 repeated once", StopRule{K: 1}, []float64{65, 58.3, 26.1, 85, 79.6, 58.3, 26.1, 85, 79.6}, 0.01, result.StoppedCycle},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.rule.Check(tc.forecasts, tc.tol); got != tc.want {
				t.Errorf("Check(%v) = %q, want %q", tc.forecasts, got, tc.want)
			}
		})
	}
}

func TestResolve(t *testing.T) {
	info := Info{
		Name:     "m",
		Variants: []Variant{{Name: "a"}, {Name: "b"}},
		Params:   []Param{{Name: "q", Default: 1}, {Name: "t", Default: -1}},
		Rounds:   10,
	}
	v, r, p, err := Resolve(info, Options{})
	if err != nil || v != "a" || r != 10 || p["q"] != 1 || p["t"] != -1 || len(p) != 2 {
		t.Fatalf("defaults: %q %d %v %v", v, r, p, err)
	}
	v, r, p, err = Resolve(info, Options{Variant: "b", Rounds: 3, Params: map[string]float64{"q": 0.5}})
	if err != nil || v != "b" || r != 3 || p["q"] != 0.5 || p["t"] != -1 {
		t.Fatalf("overrides: %q %d %v %v", v, r, p, err)
	}
	bad := []struct {
		opt  Options
		info Info
		msg  string
	}{
		{Options{Variant: "c"}, info, `no variant "c" (have a, b)`},
		{Options{Variant: "a"}, Info{Name: "plain"}, "has no variants"},
		{Options{Rounds: -1}, info, "must not be negative"},
		{Options{Params: map[string]float64{"z": 1}}, info, `no parameter "z"`},
		{Options{Params: map[string]float64{"q": math.NaN()}}, info, "finite"},
		{Options{Params: map[string]float64{"q": math.Inf(1)}}, info, "finite"},
		{Options{Stop: StopRule{K: -1}}, info, "stop rule"},
		{Options{Stop: StopRule{K: 1, Epsilon: math.NaN()}}, info, "stop rule"},
	}
	for _, tc := range bad {
		if _, _, _, err := Resolve(tc.info, tc.opt); err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("Resolve(%+v) error = %v, want it to mention %q", tc.opt, err, tc.msg)
		}
	}
}
