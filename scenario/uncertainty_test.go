package scenario

import (
	"encoding/json"
	"reflect"
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
	if u := sc.Uncertainty; u == nil || *u.Position != 0.05 || *u.Salience != 0.2 || u.Capability != nil || u.Dropout != 0.1 || u.Params["q"] != "uniform(0.5, 1)" {
		t.Errorf("uncertainty = %+v", sc.Uncertainty)
	}
}

// TestNumberSpread reads, writes and checks numbers with their own
// uncertainty in YAML and JSON, in per-actor stances and in the long-form
// positions table.
func TestNumberSpread(t *testing.T) {
	doc := `name: u
sources: [{id: s}]
issues: [{id: x, min: 0, max: 100}]
actors:
  - id: a
    capability: {value: 10, sd: 2}
    stances:
      x:
        position: {value: 30, range: [20, 45], inferred: true, evidence: [{source: s, text: guessed}]}
        salience: {value: 50, range: [30, 70]}
  - id: b
    capability: 5
positions:
  - {actor: b, issue: x, position: {value: 60, sd: 5}, salience: 40}
`
	sc, err := Parse([]byte(doc), "u.yaml")
	if err != nil {
		t.Fatal(err)
	}
	a, b := sc.Actors[0], sc.Actors[1]
	p := a.Stances["x"].Position
	if p.Range[0] != 20 || p.Range[1] != 45 || !p.Inferred || p.Direct() || *a.Capability.SD != 2 || *b.Stances["x"].Position.SD != 5 || b.Stances["x"].Salience.Spread() {
		t.Fatalf("read %+v / %+v", a, b)
	}
	// Both native formats write the spread and read it back.
	for _, format := range []string{"yaml", "json"} {
		var buf strings.Builder
		var err error
		if format == "yaml" {
			err = WriteYAML(&buf, sc)
		} else {
			var data []byte
			data, err = json.Marshal(sc)
			buf.Write(data)
		}
		if err != nil {
			t.Fatal(err)
		}
		back, err := Parse([]byte(buf.String()), "back."+format)
		if err != nil {
			t.Fatalf("%s: %v\n%s", format, err, buf.String())
		}
		if !reflect.DeepEqual(back.Actors, sc.Actors) {
			t.Errorf("%s round trip changed the actors:\n%+v\n%+v", format, back.Actors, sc.Actors)
		}
	}
	// Every bad spread is named by line and field.
	bad := edit(doc, "sd: 2}", "sd: -2}", "range: [20, 45]", "range: [45, 20]", "range: [30, 70]", "range: [30, 170]", "sd: 5}", "sd: .inf, range: [65, 70]}")
	_, err = Parse([]byte(bad), "u.yaml")
	got := problemsOf(t, err).Error()
	for _, want := range []string{
		"u.yaml:6: actors[0].capability.sd: sd must be a finite number of 0 or more, got -2",
		"u.yaml:9: actors[0].stances.x.position.range: range low 45 is above its high 20",
		"u.yaml:10: actors[0].stances.x.salience.range: range [30, 170] is outside the scale 0 to 100",
		"u.yaml:14: positions[0].position: give a range or an sd, not both",
		"u.yaml:14: positions[0].position.range: range [65, 70] does not hold the value 60",
		"u.yaml:14: positions[0].position.sd: sd must be a finite number of 0 or more, got +Inf",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("problems lack %q:\n%s", want, got)
		}
	}
}
