package scenario

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestRoundTrip writes parsed scenarios back out as YAML (yaml.v3) and as
// JSON (encoding/json), parses them again and compares: nothing may be lost,
// numbers with evidence and notes included.
func TestRoundTrip(t *testing.T) {
	inputs := []struct{ name, data string }{
		{"kosovo.yaml", positionsYAML},
		{"kosovo.json", baseJSON},
		{"emission.csv", emissionCSV},
		{"full.yaml", `name: full
title: "Every field: set"
description: |
  Two lines
  of description.
as_of: "2001-02-03"
salience_scale: 1
sources:
  - {id: a, outlet: O, title: T, author: A, date: "2001", ref: "doi:10/x"}
  - {id: "007", date: "2001-02-03"}
issues:
  - id: x
    name: X
    description: the x issue
    min: -1.5
    max: 2.25e3
    anchors: [{value: -1.5, label: low}, {value: 0.1, label: "0.1"}]
actors:
  - id: p
    name: "P: the first"
    kind: person
    risk: 0.5
    capability: {value: 0.1, note: "tenth", evidence: [{source: a, paragraph: 12, text: "says \"so\""}]}
    stances:
      x:
        position: {value: 0.3, note: guessed}
        salience: {value: 1, evidence: [{source: "007", text: t1}, {source: a, paragraph: 1, text: t2}]}
  - id: q
    kind: organisation
    capability: 1e-3
    stances: {x: {position: 2250, salience: 0}}
`},
	}
	for _, in := range inputs {
		sc := mustParse(t, in.data, in.name)
		marshal := map[string]func(any) ([]byte, error){
			"yaml": yaml.Marshal,
			"json": func(v any) ([]byte, error) { return json.MarshalIndent(v, "", "  ") },
		}
		for format, m := range marshal {
			t.Run(in.name+"/"+format, func(t *testing.T) {
				out, err := m(sc)
				if err != nil {
					t.Fatal(err)
				}
				if got := Detect(out); got != format {
					t.Errorf("written %s detected as %q", format, got)
				}
				again, err := Parse(out, "again."+format)
				if err != nil {
					t.Fatalf("parsing the written %s: %v\n%s", format, err, out)
				}
				if again.File != "again."+format {
					t.Errorf("File = %q", again.File)
				}
				again.File = sc.File
				if !reflect.DeepEqual(again, sc) {
					t.Errorf("round trip through %s changed the scenario:\n got %+v\nwant %+v\n%s", format, again, sc, out)
				}
			})
		}
	}
}

// TestMarshalYAMLForm checks how numbers are written: plain when they carry
// nothing else, as a mapping with value first otherwise.
func TestMarshalYAMLForm(t *testing.T) {
	sc := mustParse(t, baseYAML, "k.yaml")
	out, err := yaml.Marshal(sc)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"    capability:\n        value: 30\n        note: army and police\n        evidence:\n            - source: icg\n              paragraph: 4\n              text: Serbia keeps a large army\n",
		"    capability: 10\n",
		"            position: 100\n            salience:\n                value: 100\n                evidence:\n                    - source: un\n                      text: Independence or nothing\n",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("written YAML lacks\n%s\ngot\n%s", want, out)
		}
	}
	if strings.Contains(string(out), "File") || strings.Contains(string(out), "set:") {
		t.Errorf("written YAML holds fields that are not serialised:\n%s", out)
	}
}
