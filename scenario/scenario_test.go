package scenario

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestStakeholders(t *testing.T) {
	sc := mustParse(t, positionsYAML, "k.yaml")
	risk := 1.5
	tests := []struct {
		issue string
		want  []Stakeholder
	}{
		{"status", []Stakeholder{
			{ID: "srb", Name: "Serbia", Capability: 30, Position: 0, Salience: 0.9, Risk: &risk},
			{ID: "kos", Name: "Kosovo Albanians", Capability: 10, Position: 100, Salience: 1},
			{ID: "usa", Name: "usa", Capability: 100, Position: 90, Salience: 0.6},
		}},
		// kos holds its position on aid through the long-form table.
		{"aid", []Stakeholder{
			{ID: "srb", Name: "Serbia", Capability: 30, Position: -5, Salience: 0.2, Risk: &risk},
			{ID: "kos", Name: "Kosovo Albanians", Capability: 10, Position: 8, Salience: 0.3},
			{ID: "usa", Name: "usa", Capability: 100, Position: 5, Salience: 0.1},
		}},
		{"trade", nil},
	}
	for _, tt := range tests {
		got := sc.Stakeholders(tt.issue)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Stakeholders(%q) =\n%+v\nwant\n%+v", tt.issue, got, tt.want)
		}
	}

	// With the default scale (no salience_scale) saliences are on 0–100.
	sc.SalienceScale = 0
	if got := sc.Stakeholders("status")[2].Salience; got != 0.6 {
		t.Errorf("default scale: usa salience %v, want 0.6", got)
	}
	sc.SalienceScale = 1
	if got := sc.Stakeholders("status")[2].Salience; got != 60 {
		t.Errorf("scale 1: usa salience %v, want 60", got)
	}
}

func TestAccessors(t *testing.T) {
	sc := mustParse(t, baseYAML, "k.yaml")
	if got := sc.String(); got != "kosovo-test (2 issues, 3 actors)" {
		t.Errorf("String() = %q", got)
	}
	if sc.SalienceMax() != 100 {
		t.Errorf("SalienceMax = %v", sc.SalienceMax())
	}
	if a := sc.Actor("kos"); a == nil || a.DisplayName() != "Kosovo Albanians" || a != &sc.Actors[1] {
		t.Errorf("Actor(kos) = %+v", a)
	}
	if a := sc.Actor("usa"); a == nil || a.DisplayName() != "usa" {
		t.Errorf("Actor(usa).DisplayName() should fall back to the id")
	}
	if sc.Actor("rus") != nil || sc.Issue("trade") != nil {
		t.Error("lookups of unknown ids should return nil")
	}
	status, aid := sc.Issue("status"), sc.Issue("aid")
	if status != &sc.Issues[0] || status.DisplayName() != "Status of Kosovo" || aid.DisplayName() != "aid" {
		t.Errorf("Issue lookups: %+v %+v", status, aid)
	}

	for _, tt := range []struct {
		v, tol float64
		want   string
	}{
		{0, 0, "Province of Serbia"},
		{3, 5, "Province of Serbia"},
		{3, 2, ""},
		{97, 5, "Independence"},
		{50, 50, "Province of Serbia"}, // a tie goes to the first anchor
		{50, 49, ""},
	} {
		if got := status.Label(tt.v, tt.tol); got != tt.want {
			t.Errorf("Label(%v, %v) = %q, want %q", tt.v, tt.tol, got, tt.want)
		}
	}

	is := Issue{Anchors: []Anchor{{5, "b"}, {1, "a"}, {5, "c"}, {-2, "z"}}}
	want := []Anchor{{-2, "z"}, {1, "a"}, {5, "b"}, {5, "c"}}
	if got := is.SortedAnchors(); !reflect.DeepEqual(got, want) {
		t.Errorf("SortedAnchors = %v, want %v", got, want)
	}
	if is.Anchors[0] != (Anchor{5, "b"}) {
		t.Error("SortedAnchors changed the issue's own anchors")
	}
}

func TestProblemString(t *testing.T) {
	tests := []struct {
		p    Problem
		want string
	}{
		{Problem{File: "k.yaml", Line: 3, Field: "as_of", Msg: "bad"}, "k.yaml:3: as_of: bad"},
		{Problem{File: "k.yaml", Field: "name", Msg: "bad"}, "k.yaml: name: bad"},
		{Problem{File: "k.yaml", Line: 3, Msg: "bad"}, "k.yaml:3: bad"},
		{Problem{Line: 3, Field: "name", Msg: "bad"}, "line 3: name: bad"},
		{Problem{Field: "name", Msg: "bad"}, "name: bad"},
		{Problem{Msg: "bad"}, "bad"},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.p, got, tt.want)
		}
	}
	ps := Problems{tests[0].p, tests[5].p}
	if got := ps.Error(); got != "k.yaml:3: as_of: bad\nbad" {
		t.Errorf("Problems.Error() = %q", got)
	}
}

func TestSortByLine(t *testing.T) {
	ps := Problems{{Line: 0, Msg: "a"}, {Line: 5, Msg: "b"}, {Line: 2, Msg: "c"}, {Line: 0, Msg: "d"}, {Line: 5, Msg: "e"}, {Line: 2, Msg: "f"}}
	ps.sortByLine()
	var got string
	for _, p := range ps {
		got += p.Msg
	}
	if got != "cfbead" {
		t.Errorf("sorted order %q, want %q (by line, unknown lines last, stable)", got, "cfbead")
	}
}

// largeScenario returns a valid scenario with n actors on one issue, as
// YAML or JSON, one field per line.
func largeScenario(n int, format string) []byte {
	sc := &Scenario{Name: "large", Issues: []Issue{{ID: "i", Min: 0, Max: 100}}}
	for k := range n {
		sc.Actors = append(sc.Actors, Actor{
			ID: "a" + strconv.Itoa(k), Capability: N(float64(k%7 + 1)),
			Stances: map[string]Stance{"i": {Position: N(float64(k % 101)), Salience: N(50)}},
		})
	}
	var out []byte
	var err error
	if format == FormatJSON {
		out, err = json.MarshalIndent(sc, "", " ")
	} else {
		out, err = yaml.Marshal(sc)
	}
	if err != nil {
		panic(err)
	}
	return out
}

// BenchmarkParse measures Parse on scenarios of growing size. The JSON
// times grow faster than the size: jsonToNode counts lines from the start
// of the input for every token.
func BenchmarkParse(b *testing.B) {
	for _, format := range []string{FormatYAML, FormatJSON} {
		for _, n := range []int{10, 1000, 10000} {
			data := largeScenario(n, format)
			b.Run(fmt.Sprintf("%s/actors=%d", format, n), func(b *testing.B) {
				b.SetBytes(int64(len(data)))
				for b.Loop() {
					if _, err := Parse(data, "large"); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
