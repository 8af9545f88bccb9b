package scenario

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// baseJSON is a valid JSON scenario; the tests quote its line numbers.
const baseJSON = `{
  "name": "kosovo-test",
  "as_of": "2007-12-10",
  "sources": [
    {"id": "icg", "date": "2007-08"},
    {"id": "un"}
  ],
  "issues": [
    {
      "id": "status",
      "min": 0,
      "max": 100,
      "anchors": [{"value": 0, "label": "Province of Serbia"}, {"value": 100, "label": "Independence"}]
    }
  ],
  "actors": [
    {
      "id": "srb",
      "kind": "state",
      "capability": {
        "value": 30,
        "note": "army and police",
        "evidence": [
          {"source": "icg", "paragraph": 4, "text": "Serbia keeps a large army"}
        ]
      },
      "risk": 1.5,
      "stances": {
        "status": {"position": 0, "salience": 90}
      }
    },
    {
      "id": "kos",
      "capability": 10,
      "stances": {
        "status": {
          "position": 100,
          "salience": {"value": 100, "evidence": [{"source": "un", "text": "Independence or nothing"}]}
        }
      }
    }
  ]
}
`

// jsonEdit is edit for JSON text: it replaces without padding, so every
// replacement must keep the number of lines.
func jsonEdit(oldNew ...string) string {
	for i := 0; i+1 < len(oldNew); i += 2 {
		if strings.Count(oldNew[i], "\n") != strings.Count(oldNew[i+1], "\n") {
			panic("jsonEdit: replacement changes the number of lines")
		}
	}
	return edit(baseJSON, oldNew...)
}

func TestParseJSON(t *testing.T) {
	if got := Detect([]byte(baseJSON)); got != FormatJSON {
		t.Fatalf("Detect = %q, want %q", got, FormatJSON)
	}
	sc := mustParse(t, baseJSON, "kosovo.json")
	if sc.Name != "kosovo-test" || sc.AsOf != "2007-12-10" || len(sc.Sources) != 2 || len(sc.Actors) != 2 {
		t.Fatalf("parsed %+v", sc)
	}
	is := sc.Issue("status")
	if is == nil || is.Min != 0 || is.Max != 100 || len(is.Anchors) != 2 || is.Anchors[1] != (Anchor{100, "Independence"}) {
		t.Errorf("issue = %+v", is)
	}
	// Numbers written as objects with value, note and evidence.
	wantCap := Number{Value: 30, Note: "army and police", Set: true,
		Evidence: []Evidence{{Source: "icg", Paragraph: 4, Text: "Serbia keeps a large army"}}}
	if got := sc.Actor("srb").Capability; !reflect.DeepEqual(got, wantCap) {
		t.Errorf("srb capability = %+v, want %+v", got, wantCap)
	}
	if r := sc.Actor("srb").Risk; r == nil || *r != 1.5 {
		t.Errorf("srb risk = %v, want 1.5", r)
	}
	wantSal := Number{Value: 100, Set: true, Evidence: []Evidence{{Source: "un", Text: "Independence or nothing"}}}
	kos := sc.Actor("kos").Stances["status"]
	if !reflect.DeepEqual(kos.Salience, wantSal) || !reflect.DeepEqual(kos.Position, N(100)) {
		t.Errorf("kos stance = %+v, want position 100 and salience %+v", kos, wantSal)
	}
	if got := sc.Actor("kos").Capability; !reflect.DeepEqual(got, N(10)) {
		t.Errorf("kos capability = %+v, want plain 10", got)
	}
}

// TestParseJSONNumbers checks the forms a number may take in JSON.
func TestParseJSONNumbers(t *testing.T) {
	tests := []struct {
		json string
		want Number
	}{
		{`10`, N(10)},
		{`1e1`, N(10)},
		{`10.25`, N(10.25)},
		{`0.5E+1`, N(5)},
		{`-0`, N(0)},
		{`{"value": 10}`, N(10)},
		{`{"value": 1.5e1, "note": "estimate"}`, Number{Value: 15, Note: "estimate", Set: true}},
		{`{"note": "unknown"}`, Number{Note: "unknown"}},
		{`{"value": null, "evidence": [{"source": "un", "text": "t"}]}`, Number{Evidence: []Evidence{{Source: "un", Text: "t"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.json, func(t *testing.T) {
			data := jsonEdit(`"capability": 10,`, `"capability": `+tt.json+`,`)
			sc, err := Parse([]byte(data), "n.json")
			if !tt.want.Set {
				// An unset capability is a problem, reported on its line.
				checkProblems(t, err, "n.json", []want{{34, "actors[1].capability", "missing capability"}})
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := sc.Actor("kos").Capability; !reflect.DeepEqual(got, tt.want) {
				t.Errorf("capability = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestParseJSONProblems(t *testing.T) {
	e := jsonEdit
	tests := []struct {
		name string
		data string
		want []want
	}{
		{"empty object", "{}",
			[]want{{1, "name", "missing scenario name"}, {1, "issues", "no issues"}, {1, "actors", "no actors"}}},
		{"array", "[\n]",
			[]want{{1, "", "a scenario file must be a mapping with name, issues and actors"}}},
		{"unknown field", e(`"kind": "state"`, `"knd": "state"`),
			[]want{{19, "actors[0].knd", "unknown field"}}},
		{"unknown field in a number", e(`"note": "army and police"`, `"notes": "army and police"`),
			[]want{{22, "actors[0].capability.notes", "unknown field"}}},
		{"bad as_of", e(`"as_of": "2007-12-10"`, `"as_of": "10.12.2007"`),
			[]want{{3, "as_of", `date "10.12.2007" is not of the form YYYY-MM-DD`}}},
		{"source without id", e(`{"id": "un"}`, `{"date": "2007"}`),
			[]want{
				{6, "sources[1].id", "missing source id"},
				{38, "actors[1].stances.status.salience.evidence[0].source", `unknown source "un"`},
			}},
		{"anchor without label", e(`{"value": 100, "label": "Independence"}`, `{"value": 100}`),
			[]want{{13, "issues[0].anchors[1].label", "missing label"}}},
		{"position outside the scale", e(`"position": 100`, `"position": 101`),
			[]want{{37, "actors[1].stances.status.position", "position 101 is outside the scale 0 to 100"}}},
		{"negative paragraph", e(`"paragraph": 4`, `"paragraph": -4`),
			[]want{{24, "actors[0].capability.evidence[0].paragraph", "paragraph must be 1 or more, got -4"}}},
		{"fraction for a paragraph", e(`"paragraph": 4`, `"paragraph": 2.5`),
			[]want{{24, "actors[0].capability.evidence[0].paragraph", "want a whole number, got 2.5"}}},
		{"string for a paragraph", e(`"paragraph": 4`, `"paragraph": "4"`),
			[]want{{24, "actors[0].capability.evidence[0].paragraph", "cannot unmarshal !!str `4` into int"}}},
		{"fraction and string on one line", strings.Join(strings.Fields(e(`"max": 100,`, `"max": "100",`)), " "),
			[]want{{1, "issues[0].max", "cannot unmarshal !!str `100` into float64"}}},
		{"evidence from unknown source", e(`"source": "un"`, `"source": "unn"`),
			[]want{{38, "actors[1].stances.status.salience.evidence[0].source", `unknown source "unn"`}}},
		{"stance on unknown issue", e(`"status": {`+"\n", `"trade": {`+"\n"),
			[]want{{36, "actors[1].stances.trade", `unknown issue "trade"`}}},
		{"capability object without value", e(`"value": 30,`, `"value": null,`),
			[]want{{20, "actors[0].capability", "missing capability"}}},
		{"null capability", e(`"capability": 10,`, `"capability": null,`),
			[]want{{34, "actors[1].capability", "missing capability"}}},
		{"string for a number", e(`"max": 100,`, `"max": "100",`),
			[]want{{12, "issues[0].max", "cannot unmarshal !!str `100` into float64"}}},
		{"boolean for a number", e(`"risk": 1.5,`, `"risk": true,`),
			[]want{{27, "actors[0].risk", "cannot unmarshal !!bool `true` into float64"}}},
		{"array for a number", e(`"capability": 10,`, `"capability": [10],`),
			[]want{{34, "actors[1].capability", "want a number or a mapping with value and evidence"}}},
		{"duplicate key", e(`"risk": 1.5,`, `"risk": 1.5, "risk": 2,`),
			[]want{{27, "actors[0].risk", `mapping key "risk" already defined at line 27`}}},
		{"negative capability on an issue", e(`{"position": 0, "salience": 90}`, `{"position": 0, "salience": 90, "capability": -3}`),
			[]want{{29, "actors[0].stances.status.capability", "capability must not be negative, got -3"}}},
		{"capability on an issue out of range", e(`{"position": 0, "salience": 90}`, `{"position": 0, "salience": 90, "capability": 1e999}`),
			[]want{{29, "actors[0].stances.status.capability", "capability must be a finite number, got +Inf"}}},
		{"positions entry for unknown actor", e("\n  ]\n}", "\n  ],\n  \"positions\": [{\"actor\": \"nato\", \"issue\": \"status\", \"position\": 1, \"salience\": 1}]}"),
			[]want{{43, "positions[0].actor", `unknown actor "nato"`}}},

		// Syntax errors name the line of the offending character.
		{"missing comma", e(`"id": "srb",`, `"id": "srb"`),
			[]want{{19, "", `invalid JSON: invalid character '"' after object key:value pair`}}},
		{"trailing comma", e(`{"position": 0, "salience": 90}`, `{"position": 0, "salience": 90,}`),
			[]want{{29, "", "invalid JSON: invalid character '}' looking for beginning of object key string"}}},
		{"single quotes", e(`"kos"`, `'kos'`),
			[]want{{33, "", "invalid JSON: invalid character '\\'' looking for beginning of value"}}},
		{"truncated after a key", baseJSON[:strings.Index(baseJSON, `"risk": 1.5`)+len(`"risk": `)],
			[]want{{27, "", "unexpected end of JSON input"}}},
		{"truncated after a value", baseJSON[:strings.Index(baseJSON, `"risk": 1.5`)+len(`"risk": 1.5`)],
			[]want{{27, "", "unterminated {"}}},
		{"unclosed object", strings.TrimSuffix(baseJSON, "}\n"),
			[]want{{42, "", "unterminated {"}}},
		{"trailing object", baseJSON + "\n{}\n",
			[]want{{45, "", "unexpected data after the JSON document"}}},
		{"trailing garbage", baseJSON + "\n\nx",
			[]want{{46, "", "unexpected data after the JSON document"}}},
		{"extra closing brace", baseJSON + "}",
			[]want{{44, "", "unexpected data after the JSON document"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Detect([]byte(tt.data)); got != FormatJSON {
				t.Fatalf("Detect = %q, want %q", got, FormatJSON)
			}
			sc, err := Parse([]byte(tt.data), "kosovo.json")
			if sc != nil {
				t.Errorf("Parse returned a scenario along with problems")
			}
			checkProblems(t, err, "kosovo.json", tt.want)
		})
	}
}

// TestParseJSONMatchesYAML checks that JSON and YAML spellings of one
// scenario decode to the same thing.
func TestParseJSONMatchesYAML(t *testing.T) {
	const y = `
name: kosovo-test
as_of: "2007-12-10"
sources: [{id: icg, date: "2007-08"}, {id: un}]
issues:
  - id: status
    min: 0
    max: 100
    anchors: [{value: 0, label: Province of Serbia}, {value: 100, label: Independence}]
actors:
  - id: srb
    kind: state
    capability:
      value: 30
      note: army and police
      evidence: [{source: icg, paragraph: 4, text: Serbia keeps a large army}]
    risk: 1.5
    stances: {status: {position: 0, salience: 90}}
  - id: kos
    capability: 10
    stances:
      status:
        position: 100
        salience: {value: 100, evidence: [{source: un, text: Independence or nothing}]}
`
	fromJSON := mustParse(t, baseJSON, "s")
	fromYAML := mustParse(t, y, "s")
	if !reflect.DeepEqual(fromJSON, fromYAML) {
		t.Errorf("JSON and YAML differ:\n%+v\n%+v", fromJSON, fromYAML)
	}
}

// TestNumberUnmarshalJSON checks Number with encoding/json directly.
func TestNumberUnmarshalJSON(t *testing.T) {
	tests := []struct {
		in      string
		want    Number
		wantErr string
	}{
		{`3.5`, N(3.5), ""},
		{`null`, Number{}, ""},
		{`{"value": 2, "note": "n", "evidence": [{"source": "s", "paragraph": 3, "text": "t"}]}`,
			Number{Value: 2, Note: "n", Set: true, Evidence: []Evidence{{"s", 3, "t"}}}, ""},
		{`{"note": "n"}`, Number{Note: "n"}, ""},
		{`"3"`, Number{}, "want a number or an object with value and evidence"},
		{`[3]`, Number{}, "want a number or an object with value and evidence"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			n := N(99) // decoding must reset the number
			err := json.Unmarshal([]byte(tt.in), &n)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(n, tt.want) {
				t.Errorf("got %+v, want %+v", n, tt.want)
			}
		})
	}
}

// TestNumberMarshal checks that a number is written plainly when it has no
// evidence or note, and as an object otherwise.
func TestNumberMarshal(t *testing.T) {
	tests := []struct {
		n    Number
		json string
	}{
		{N(3), `3`},
		{N(0), `0`},
		{Number{}, `null`},
		{Number{Value: 2, Set: true, Note: "n"}, `{"value":2,"note":"n"}`},
		{Number{Note: "n"}, `{"value":null,"note":"n"}`},
		{Number{Value: 1, Set: true, Evidence: []Evidence{{Source: "s", Text: "t"}}}, `{"value":1,"evidence":[{"source":"s","text":"t"}]}`},
	}
	for _, tt := range tests {
		b, err := json.Marshal(tt.n)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != tt.json {
			t.Errorf("json.Marshal(%+v) = %s, want %s", tt.n, b, tt.json)
		}
		if got := tt.n.IsZero(); got != (tt.json == "null") {
			t.Errorf("IsZero(%+v) = %v", tt.n, got)
		}
	}
}
