package model

import (
	"math"
	"strings"
	"testing"
)

func TestStopRuleSettled(t *testing.T) {
	tests := []struct {
		name      string
		rule      StopRule
		forecasts []float64
		want      bool
	}{
		{"disabled", StopRule{Epsilon: 1, K: 0}, []float64{1, 1, 1}, false},
		{"too few rounds", StopRule{Epsilon: 0.1, K: 2}, []float64{1, 1}, false},
		{"two still rounds", StopRule{Epsilon: 0.1, K: 2}, []float64{0, 5, 5.05, 5.1}, true},
		{"last move too big", StopRule{Epsilon: 0.1, K: 2}, []float64{0, 5, 5.05, 5.5}, false},
		{"move equal to epsilon counts as moving", StopRule{Epsilon: 0.5, K: 1}, []float64{0, 0.5}, false},
		{"only the last K count", StopRule{Epsilon: 0.1, K: 1}, []float64{0, 9, 9}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.rule.Settled(tc.forecasts); got != tc.want {
				t.Errorf("Settled(%v) = %v, want %v", tc.forecasts, got, tc.want)
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
		{Options{Workers: -1}, info, "workers must be 0 (one per CPU) to 256, got -1"},
		{Options{Workers: 1 << 30}, info, "workers must be 0 (one per CPU) to 256, got 1073741824"},
	}
	for _, tc := range bad {
		if _, _, _, err := Resolve(tc.info, tc.opt); err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("Resolve(%+v) error = %v, want it to mention %q", tc.opt, err, tc.msg)
		}
	}
}
