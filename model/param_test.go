package model

import (
	"math"
	"strings"
	"testing"
)

var (
	rule = EnumParam("rule", "Prop", []EnumValue{{Name: "Binary", Code: 0}, {Name: "Prop", Code: 2, Aliases: []string{"proportional"}}}, "")
	seed = IntParam("seed", 1, 0, MaxInt, "")
	q    = FloatParam("q", 1, 0, 1, "")
	sq   = FloatParam("sq", 0, math.Inf(-1), math.Inf(1), "").Optional("the scenario's")
	flag = BoolParam("exact", true, "")
)

// TestParse: each kind accepts its forms and gives the canonical value;
// everything else is refused with the allowed values.
func TestParse(t *testing.T) {
	cases := []struct {
		p    Param
		in   Value
		want Value
		err  string
	}{
		{q, Number(0.25), Number(0.25), ""},
		{q, Text(" 0.25 "), Number(0.25), ""},
		{q, Text("1e-1"), Number(0.1), ""},
		{q, Number(0), Number(0), ""},
		{q, Number(-0.1), Value{}, "parameter q: -0.1 is not allowed (want a number from 0 to 1)"},
		{q, Text("NaN"), Value{}, "parameter q: NaN is not allowed"},
		{q, Boolean(true), Value{}, "parameter q: true is not allowed"},
		{sq, Number(-1e9), Number(-1e9), ""},
		{sq, Number(math.Inf(1)), Value{}, "(want any finite number)"},
		{seed, Number(7), Number(7), ""},
		{seed, Text("7"), Number(7), ""},
		{seed, Number(MaxInt), Number(MaxInt), ""},
		{seed, Number(MaxInt * 2), Value{}, "(want a whole number from 0 to 2^53)"},
		{seed, Number(7.5), Value{}, "parameter seed: 7.5 is not allowed"},
		{seed, Number(-1), Value{}, "parameter seed: -1 is not allowed"},
		{rule, Text("Prop"), Text("Prop"), ""},
		{rule, Text("prop"), Text("Prop"), ""},
		{rule, Text("PROPORTIONAL"), Text("Prop"), ""},
		{rule, Text("2"), Text("Prop"), ""},
		{rule, Number(2), Text("Prop"), ""},
		{rule, Number(0), Text("Binary"), ""},
		{rule, Number(1), Value{}, "parameter rule: 1 is not allowed (want one of Binary (0), Prop (2, proportional))"},
		{rule, Number(2.5), Value{}, "parameter rule: 2.5 is not allowed"},
		{rule, Text("majority"), Value{}, `parameter rule: "majority" is not allowed (want one of Binary (0), Prop (2, proportional))`},
		{rule, Boolean(true), Value{}, "parameter rule: true is not allowed"},
		{flag, Boolean(false), Boolean(false), ""},
		{flag, Number(1), Boolean(true), ""},
		{flag, Number(0), Boolean(false), ""},
		{flag, Text("yes"), Boolean(true), ""},
		{flag, Text("Off"), Boolean(false), ""},
		{flag, Number(2), Value{}, "parameter exact: 2 is not allowed (want true or false)"},
		{flag, Text("maybe"), Value{}, `parameter exact: "maybe" is not allowed (want true or false)`},
		{flag, Value{}, Value{}, "parameter exact: no value (want true or false)"},
	}
	for _, c := range cases {
		got, err := c.p.Parse(c.in)
		if c.err == "" {
			if err != nil || got != c.want {
				t.Errorf("%s.Parse(%#v) = %#v, %v; want %#v", c.p.Name, c.in, got, err, c.want)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("%s.Parse(%#v) error %v, want %q", c.p.Name, c.in, err, c.err)
		}
	}
}

func TestUsage(t *testing.T) {
	for p, want := range map[*Param]string{
		&q:    "q=1 (float: a number from 0 to 1)",
		&sq:   "sq (float: any finite number; unset: the scenario's)",
		&seed: "seed=1 (integer: a whole number from 0 to 2^53)",
		&rule: "rule=Prop (enum: one of Binary (0), Prop (2, proportional))",
		&flag: "exact=true (bool: true or false)",
	} {
		if got := p.Usage(); got != want {
			t.Errorf("%q, want %q", got, want)
		}
	}
}

// TestCheckInfo: declarations that cannot work are reported.
func TestCheckInfo(t *testing.T) {
	if err := CheckInfo(Info{Name: "ok", Params: []Param{q, sq, seed, rule, flag}}); err != nil {
		t.Errorf("good declarations: %v", err)
	}
	for _, c := range []struct {
		p   Param
		msg string
	}{
		{Param{Name: "x"}, "needs a name and a kind"},
		{FloatParam("x", 0, 1, 0, ""), "range [1, 0] is empty"},
		{FloatParam("x", 2, 0, 1, ""), "default: parameter x: 2 is not allowed"},
		{EnumParam("x", "a", nil, ""), "an enumeration needs values"},
		{EnumParam("x", "a", []EnumValue{{Name: "a"}, {Name: "A", Code: 1}}, ""), `value name "A" empty or given twice`},
		{EnumParam("x", "a", []EnumValue{{Name: "a"}, {Name: "b"}}, ""), "code 0 given twice"},
		{EnumParam("x", "b", []EnumValue{{Name: "B"}}, ""), "not in canonical form"},
		{Param{Name: "x", Kind: Float, Max: 1, Default: Number(0), Unset: "y"}, "optional but has a default"},
	} {
		if err := CheckInfo(Info{Name: "m", Params: []Param{c.p}}); err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%+v: %v, want %q", c.p, err, c.msg)
		}
	}
	if err := CheckInfo(Info{Name: "m", Params: []Param{q, q}}); err == nil || !strings.Contains(err.Error(), "declared twice") {
		t.Errorf("twice: %v", err)
	}
}

// FuzzParse: no input makes Parse panic, and what it accepts is canonical:
// parsing the result again gives it back.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"0.5", "Prop", "2", "yes", "1e308", "-0", "0x10", " true "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, p := range []Param{q, sq, seed, rule, flag} {
			got, err := p.Parse(Text(s))
			if err != nil {
				continue
			}
			again, err := p.Parse(got)
			if err != nil || again != got {
				t.Fatalf("%s: %q → %#v → %#v, %v", p.Name, s, got, again, err)
			}
		}
	})
}
