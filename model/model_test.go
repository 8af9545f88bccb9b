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
		Params: []Param{FloatParam("q", 1, 0, 1, ""), FloatParam("t", 0, 0, 1, "").Optional("derived"),
			IntParam("seed", 1, 0, MaxInt, ""), BoolParam("exact", true, "")},
		Rounds: 10,
	}
	r, err := Resolve(info, Options{})
	q, qok := r.Params.Float("q")
	_, tok := r.Params.Float("t")
	if err != nil || r.Variant != "a" || r.Rounds != 10 || q != 1 || !qok || tok || len(r.Params.Params()) != 3 {
		t.Fatalf("defaults: %+v %v", r, err)
	}
	r, err = Resolve(info, Options{Variant: "b", Rounds: 3, Params: Params{"q": Number(0.5), "t": Text("0.25"), "seed": Text("7"), "exact": Number(0)}})
	q, _ = r.Params.Float("q")
	tv, tok := r.Params.Float("t")
	seed, _ := r.Params.Int("seed")
	exact, _ := r.Params.Bool("exact")
	if err != nil || r.Variant != "b" || r.Rounds != 3 || q != 0.5 || tv != 0.25 || !tok || seed != 7 || exact {
		t.Fatalf("overrides: %+v %v", r, err)
	}
	if r, err := Resolve(info, Options{Rounds: MaxRounds}); err != nil || r.Rounds != MaxRounds {
		t.Errorf("rounds at the bound: %+v %v", r, err)
	}
	bad := []struct {
		opt  Options
		info Info
		msg  string
	}{
		{Options{Variant: "c"}, info, `no variant "c" (have a, b)`},
		{Options{Variant: "a"}, Info{Name: "plain"}, "has no variants"},
		{Options{Rounds: -1}, info, "rounds: -1 is outside 0 to 10000"},
		{Options{Rounds: MaxRounds + 1}, info, "rounds: 10001 is outside 0 to 10000"},
		{Options{Rounds: 4.6e18}, info, "rounds: 4600000000000000000 is outside 0 to 10000"},
		{Options{Params: Params{"z": Number(1)}}, info, `no parameter "z" (have q, t, seed, exact)`},
		{Options{Params: Params{"z": Number(1)}}, Info{Name: "plain"}, `model plain takes no parameters (got "z")`},
		{Options{Params: Params{"q": Number(math.NaN())}}, info, "parameter q: NaN is not allowed (want a number from 0 to 1)"},
		{Options{Params: Params{"q": Number(math.Inf(1))}}, info, "parameter q: +Inf is not allowed"},
		{Options{Params: Params{"q": Number(1.5)}}, info, "parameter q: 1.5 is not allowed (want a number from 0 to 1)"},
		{Options{Params: Params{"q": Text("half")}}, info, `parameter q: "half" is not allowed`},
		{Options{Params: Params{"q": Boolean(true)}}, info, "parameter q: true is not allowed"},
		{Options{Params: Params{"seed": Number(1.5)}}, info, "parameter seed: 1.5 is not allowed (want a whole number from 0 to 2^53)"},
		{Options{Params: Params{"exact": Text("maybe")}}, info, `parameter exact: "maybe" is not allowed (want true or false)`},
		{Options{Params: Params{"q": Value{}}}, info, "parameter q: no value"},
		{Options{Stop: StopRule{K: -1}}, info, "stop rule"},
		{Options{Workers: -1}, info, "workers must be 0 (one per CPU) to 256, got -1"},
		{Options{Workers: 1 << 30}, info, "workers must be 0 (one per CPU) to 256, got 1073741824"},
		{Options{Stop: StopRule{K: 1, Epsilon: math.NaN()}}, info, "stop rule"},
	}
	for _, tc := range bad {
		if _, err := Resolve(tc.info, tc.opt); err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("Resolve(%+v) error = %v, want it to mention %q", tc.opt, err, tc.msg)
		}
	}
	// Every bad parameter is reported, in name order.
	_, err = Resolve(info, Options{Params: Params{"t": Number(2), "q": Number(2)}})
	if err == nil || !strings.Contains(err.Error(), "parameter q:") || strings.Index(err.Error(), "parameter q") > strings.Index(err.Error(), "parameter t") {
		t.Errorf("two bad parameters: %v", err)
	}
}
