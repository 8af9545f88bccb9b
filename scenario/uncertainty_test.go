package scenario

import (
	"strings"
	"testing"
)

func TestParseDist(t *testing.T) {
	for _, c := range []struct {
		in, want, err string
	}{
		{"0.7", "fixed(0.7)", ""},
		{"fixed(1)", "fixed(1)", ""},
		{" uniform(0.5, 1) ", "uniform(0.5, 1)", ""},
		{"normal(1,0.2)", "normal(1, 0.2)", ""},
		{"normal(0.8, 0.1, 0.5, 1)", "normal(0.8, 0.1, 0.5, 1)", ""},
		{"uniform(1, 0)", "", "lo ≤ hi"},
		{"normal(1, -1)", "", "non-negative sd"},
		{"normal(2, 1, 0, 1)", "", "hold the mean"},
		{"beta(1, 2)", "", "unknown distribution"},
		{"uniform(a, 1)", "", "not a finite number"},
		{"uniform(0, Inf)", "", "not a finite number"},
		{"NaN", "", "finite"},
		{"uniform 0 1", "", "want a number"},
	} {
		d, err := ParseDist(c.in)
		switch {
		case c.err == "" && (err != nil || d.String() != c.want):
			t.Errorf("ParseDist(%q) = %v, %v; want %s", c.in, d, err, c.want)
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("ParseDist(%q): error %v, want one containing %q", c.in, err, c.err)
		}
	}
}

// FuzzParseDist checks that ParseDist never panics and that what it
// accepts prints back to something it reads as the same distribution.
func FuzzParseDist(f *testing.F) {
	for _, s := range []string{"1", "uniform(0,1)", "normal(1, 0.2, 0, 2)", "fixed(3)", "x(", "normal(,)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDist(s)
		if err != nil {
			return
		}
		back, err := ParseDist(d.String())
		if err != nil || back.String() != d.String() {
			t.Fatalf("%q → %q → %v, %v", s, d.String(), back, err)
		}
	})
}

func TestUncertaintySection(t *testing.T) {
	doc := `name: u
issues: [{id: x, min: 0, max: 10}]
actors:
  - {id: a, capability: 1, stances: {x: {position: 1, salience: 50}}}
uncertainty:
  position: 0.05
  salience: -1
  dropout: 1
  params: {q: "uniform(2, 1)"}
  colour: red
`
	_, err := Parse([]byte(doc), "u.yaml")
	got := problemsOf(t, err).Error()
	for _, want := range []string{"u.yaml:7: uncertainty.salience", "u.yaml:8: uncertainty.dropout", "u.yaml:9: uncertainty.params.q", "u.yaml:10: uncertainty.colour"} {
		if !strings.Contains(got, want) {
			t.Errorf("problems lack %q:\n%s", want, got)
		}
	}
	good := edit(doc, "salience: -1", "salience: 0.2", "dropout: 1", "dropout: 0.1", "uniform(2, 1)", "uniform(0.5, 1)", "  colour: red\n", "")
	sc, err := Parse([]byte(good), "u.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if u := sc.Uncertainty; u == nil || u.Position != 0.05 || u.Salience != 0.2 || u.Dropout != 0.1 || u.Params["q"] != "uniform(0.5, 1)" {
		t.Errorf("uncertainty = %+v", sc.Uncertainty)
	}
}
