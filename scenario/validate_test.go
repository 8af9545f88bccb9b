package scenario

import (
	"strings"
	"testing"
)

// noActors is baseYAML with the whole actor list replaced by an empty one.
var noActors = baseYAML[:strings.Index(baseYAML, "actors:\n")] + "actors: []\n"

// issuesBlock is lines 11–21 of baseYAML, the whole issue list.
var issuesBlock = baseYAML[strings.Index(baseYAML, "issues:\n"):strings.Index(baseYAML, "actors:\n")]

// usaStances is lines 44–46 of baseYAML, the stances of the third actor.
const usaStances = "    stances:\n      status: {position: 90, salience: 60}\n      aid: {position: 5, salience: 10}\n"

// TestParseProblems mutates a valid scenario to produce each problem that
// Parse reports for a native YAML file, and checks the complete list of
// problems: line, field path and message.
func TestParseProblems(t *testing.T) {
	const evKos = "actors[1].stances.status.salience.evidence[0]"
	const evSrb = "actors[0].capability.evidence[0]"
	b := func(oldNew ...string) string { return edit(baseYAML, oldNew...) }
	p := func(oldNew ...string) string { return edit(positionsYAML, oldNew...) }
	tests := []struct {
		name string
		data string
		want []want
	}{
		// Scenario header.
		{"empty name", b("name: kosovo-test", `name: ""`),
			[]want{{1, "name", "missing scenario name"}}},
		{"no name key", b("name: kosovo-test\n", ""),
			[]want{{2, "name", "missing scenario name"}}},
		{"as_of not a date", b("as_of: 2007-12-10", "as_of: 10/12/2007"),
			[]want{{3, "as_of", `date "10/12/2007" is not of the form YYYY-MM-DD`}}},
		{"as_of without day", b("as_of: 2007-12-10", "as_of: 2007-12"),
			[]want{{3, "as_of", `date "2007-12" is not of the form YYYY-MM-DD`}}},
		{"negative salience_scale", b("salience_scale: 100", "salience_scale: -1"),
			[]want{{4, "salience_scale", "must be a positive number, got -1"}}},
		{"infinite salience_scale", b("salience_scale: 100", "salience_scale: .inf"),
			[]want{{4, "salience_scale", "must be a positive number, got +Inf"}}},

		// Sources and evidence.
		{"source without id", b("  - id: un\n", "  - outlet: UN\n"),
			[]want{
				{9, "sources[1].id", "missing source id"},
				{40, evKos + ".source", `unknown source "un"`},
			}},
		{"duplicate source id", b("  - id: un\n", "  - id: icg\n"),
			[]want{
				{9, "sources[1].id", `duplicate source id "icg"`},
				{40, evKos + ".source", `unknown source "un"`},
			}},
		{"source date in words", b("date: 2007-03-26", "date: March 2007"),
			[]want{{10, "sources[1].date", `date "March 2007" is not of the form YYYY-MM-DD, YYYY-MM or YYYY`}}},
		{"source date month 13", b("date: 2007-08", "date: 2007-13"),
			[]want{{8, "sources[0].date", `date "2007-13" is not of the form`}}},
		{"evidence from unknown source", b("{source: icg,", "{source: nyt,"),
			[]want{{30, evSrb + ".source", `unknown source "nyt"`}}},
		{"evidence without source", b("[{source: un, text:", "[{text:"),
			[]want{{40, evKos + ".source", "missing source id"}}},
		{"evidence with negative paragraph", b("paragraph: 4", "paragraph: -2"),
			[]want{{30, evSrb + ".paragraph", "paragraph must be 1 or more, got -2"}}},
		{"evidence without text", b(", text: Serbia keeps a large army}", "}"),
			[]want{{30, evSrb + ".text", "missing paraphrase of the evidence"}}},

		// Issues.
		{"no issues", b(issuesBlock, "issues: []\n"),
			[]want{
				{11, "issues", "no issues"},
				{33, "actors[0].stances.status", `unknown issue "status"`},
				{34, "actors[0].stances.aid", `unknown issue "aid"`},
				{40, "actors[1].stances.status", `unknown issue "status"`},
				{45, "actors[2].stances.status", `unknown issue "status"`},
				{46, "actors[2].stances.aid", `unknown issue "aid"`},
			}},
		{"issue without id", b("  - id: aid\n", "  - name: Aid\n"),
			[]want{
				{19, "issues[1].id", "missing issue id"},
				{34, "actors[0].stances.aid", `unknown issue "aid"`},
				{46, "actors[2].stances.aid", `unknown issue "aid"`},
			}},
		{"duplicate issue id", b("  - id: aid\n", "  - id: status\n"),
			[]want{
				{19, "issues[1].id", `duplicate issue id "status"`},
				{34, "actors[0].stances.aid", `unknown issue "aid"`},
				{46, "actors[2].stances.aid", `unknown issue "aid"`},
			}},
		{"infinite minimum", b("min: -10", "min: -.inf"),
			[]want{{20, "issues[1].min", "scale minimum must be a finite number"}}},
		{"NaN maximum", b("max: 10\n", "max: .nan\n"),
			[]want{{21, "issues[1].max", "scale maximum must be a finite number"}}},
		{"maximum not above minimum", b("min: -10", "min: 10"),
			[]want{
				{21, "issues[1].max", "scale maximum 10 must be greater than minimum 10"},
				{34, "actors[0].stances.aid.position", "position -5 is outside the scale 10 to 10"},
				{46, "actors[2].stances.aid.position", "position 5 is outside the scale 10 to 10"},
			}},
		{"anchor outside the scale", b("{value: 100, label", "{value: 120, label"),
			[]want{{18, "issues[0].anchors[1].value", "anchor 120 is outside the scale 0 to 100"}}},
		{"anchor without label", b("{value: 0, label: Province of Serbia}", "{value: 0}"),
			[]want{{17, "issues[0].anchors[0].label", "missing label"}}},

		// Actors.
		{"no actors", noActors,
			[]want{
				{12, "issues[0]", `no actor holds a position on issue "status"`},
				{19, "issues[1]", `no actor holds a position on issue "aid"`},
				{22, "actors", "no actors"},
			}},
		{"actor without id", b("  - id: usa\n", "  - name: USA\n"),
			[]want{{41, "actors[2].id", "missing actor id"}}},
		{"duplicate actor id", b("  - id: usa\n", "  - id: srb\n"),
			[]want{{41, "actors[2].id", `duplicate actor id "srb"`}}},
		{"unknown kind", b("kind: group", "kind: militia"),
			[]want{{37, "actors[1].kind", `unknown kind "militia" (want one of [state organisation group person])`}}},
		{"null capability", b("capability: 100\n", "capability: null\n"),
			[]want{{43, "actors[2].capability", "missing capability"}}},
		{"no capability key", b("    capability: 100\n", ""),
			[]want{{41, "actors[2].capability", "missing capability"}}},
		{"infinite capability", b("capability: 100\n", "capability: .inf\n"),
			[]want{{43, "actors[2].capability", "capability must be a finite number, got +Inf"}}},
		{"negative capability", b("capability: 10\n", "capability: -10\n"),
			[]want{{38, "actors[1].capability", "capability must not be negative, got -10"}}},
		{"risk above 2", b("risk: 1.5", "risk: 3"),
			[]want{{31, "actors[0].risk", "risk attitude must lie between 0.5 and 2, got 3"}}},
		{"risk below 0.5", b("risk: 1.5", "risk: 0.4"),
			[]want{{31, "actors[0].risk", "risk attitude must lie between 0.5 and 2, got 0.4"}}},
		{"empty stances", b(usaStances, "    stances: {}\n"),
			[]want{{44, "actors[2].stances", "actor holds no position on any issue"}}},
		{"no stances key", b(usaStances, ""),
			[]want{{41, "actors[2].stances", "actor holds no position on any issue"}}},

		// Stances.
		{"stance on unknown issue", b("aid: {position: 5,", "trade: {position: 5,"),
			[]want{{46, "actors[2].stances.trade", `unknown issue "trade"`}}},
		{"stance without position", b("{position: 90, salience: 60}", "{salience: 60}"),
			[]want{{45, "actors[2].stances.status.position", "missing position"}}},
		{"null position", b("{position: 90,", "{position: ~,"),
			[]want{{45, "actors[2].stances.status.position", "missing position"}}},
		{"NaN position", b("{position: 90,", "{position: .nan,"),
			[]want{{45, "actors[2].stances.status.position", "position must be a finite number, got NaN"}}},
		{"position above the scale", b("{position: 90,", "{position: 101,"),
			[]want{{45, "actors[2].stances.status.position", "position 101 is outside the scale 0 to 100"}}},
		{"position below the scale", b("{position: -5,", "{position: -11,"),
			[]want{{34, "actors[0].stances.aid.position", "position -11 is outside the scale -10 to 10"}}},
		{"stance without salience", b("{position: 90, salience: 60}", "{position: 90}"),
			[]want{{45, "actors[2].stances.status.salience", "missing salience"}}},
		{"salience above the scale", b("salience: 60}", "salience: 101}"),
			[]want{{45, "actors[2].stances.status.salience", "salience 101 is outside the scale 0 to 100"}}},
		{"negative salience", b("salience: 60}", "salience: -1}"),
			[]want{{45, "actors[2].stances.status.salience", "salience -1 is outside the scale 0 to 100"}}},
		{"saliences above a declared scale", b("salience_scale: 100", "salience_scale: 10"),
			[]want{
				{33, "actors[0].stances.status.salience", "salience 90 is outside the scale 0 to 10"},
				{34, "actors[0].stances.aid.salience", "salience 20 is outside the scale 0 to 10"},
				{40, "actors[1].stances.status.salience", "salience 100 is outside the scale 0 to 10"},
				{45, "actors[2].stances.status.salience", "salience 60 is outside the scale 0 to 10"},
			}},
		{"issue nobody holds a position on",
			b("      aid: {position: -5, salience: 20}\n", "", "      aid: {position: 5, salience: 10}\n", ""),
			[]want{{19, "issues[1]", `no actor holds a position on issue "aid"`}}},
		{"zero saliences on an issue", b("{position: -5, salience: 20}", "{position: -5, salience: 0}", "{position: 5, salience: 10}", "{position: 5, salience: 0}"),
			[]want{{19, "issues[1]", `every actor on issue "aid" has zero capability or zero salience`}}},
		{"zero capabilities", b("value: 30", "value: 0", "capability: 10\n", "capability: 0\n", "capability: 100\n", "capability: 0.0\n"),
			[]want{
				{12, "issues[0]", `every actor on issue "status" has zero capability or zero salience`},
				{19, "issues[1]", `every actor on issue "aid" has zero capability or zero salience`},
			}},

		// Long-form position table.
		{"position entry for unknown actor", p("{actor: kos,", "{actor: nato,"),
			[]want{{48, "positions[0].actor", `unknown actor "nato"`}}},
		{"position entry on unknown issue", p("issue: aid, position: 8", "issue: trade, position: 8"),
			[]want{{48, "positions[0].issue", `unknown issue "trade"`}}},
		{"position entry without ids", p("{actor: kos, issue: aid, ", "{"),
			[]want{
				{48, "positions[0].actor", "missing actor id"},
				{48, "positions[0].issue", "missing issue id"},
			}},
		{"position entry repeating a stance", p("{actor: kos,", "{actor: srb,"),
			[]want{{48, "positions[0]", `actor "srb" already has a position on issue "aid"`}}},
		{"two position entries for one stance", positionsYAML + "  - {actor: kos, issue: aid, position: 7, salience: 20}\n",
			[]want{{49, "positions[1]", `actor "kos" already has a position on issue "aid"`}}},

		// Unknown fields.
		{"top-level typo", b("title:", "titel:"),
			[]want{{2, "titel", "unknown field"}}},
		{"actor field typo", b("kind: group", "knd: group"),
			[]want{{37, "actors[1].knd", "unknown field"}}},
		{"number field typo", b("note: army", "notes: army"),
			[]want{{28, "actors[0].capability.notes", "unknown field"}}},
		{"evidence field typo", b("paragraph: 4", "para: 4"),
			[]want{{30, evSrb + ".para", "unknown field"}}},
		{"stance field typo", b("{position: 90, salience: 60}", "{position: 90, salience: 60, weight: 1}"),
			[]want{{45, "actors[2].stances.status.weight", "unknown field"}}},
		{"position entry field typo", p("salience: 30}", "salience: 30, sal: 3}"),
			[]want{{48, "positions[0].sal", "unknown field"}}},
		// Capability on one issue.
		{"negative capability on an issue", b("      aid: {position: 5, salience: 10}\n", "      aid: {position: 5, salience: 10, capability: -2}\n"),
			[]want{{46, "actors[2].stances.aid.capability", "capability must not be negative, got -2"}}},
		{"infinite capability on an issue", b("      status: {position: 0, salience: 90}\n", "      status: {position: 0, salience: 90, capability: .inf}\n"),
			[]want{{33, "actors[0].stances.status.capability", "capability must be a finite number, got +Inf"}}},
		{"NaN capability on an issue", b("      status: {position: 0, salience: 90}\n", "      status: {position: 0, salience: 90, capability: .nan}\n"),
			[]want{{33, "actors[0].stances.status.capability", "capability must be a finite number, got NaN"}}},
		{"capability on an unknown issue", b("      aid: {position: 5, salience: 10}\n", "      trade: {position: 5, salience: 10, capability: 3}\n"),
			[]want{{46, "actors[2].stances.trade", `unknown issue "trade"`}}},
		{"text for a capability on an issue", b("      aid: {position: 5, salience: 10}\n", "      aid: {position: 5, salience: 10, capability: much}\n"),
			[]want{{46, "actors[2].stances.aid.capability", "cannot unmarshal !!str `much` into float64"}}},
		{"capability evidence from an unknown source", b("      aid: {position: 5, salience: 10}\n", "      aid: {position: 5, salience: 10, capability: {value: 3, evidence: [{source: nyt, text: x}]}}\n"),
			[]want{{46, "actors[2].stances.aid.capability.evidence[0].source", `unknown source "nyt"`}}},
		{"long-form capability negative", p("salience: 30}", "salience: 30, capability: -1}"),
			[]want{{48, "positions[0].capability", "capability must not be negative, got -1"}}},
		{"long-form capability not finite", p("salience: 30}", "salience: 30, capability: .inf}"),
			[]want{{48, "positions[0].capability", "capability must be a finite number, got +Inf"}}},
		{"every capability on an issue zero", b("      aid: {position: -5, salience: 20}\n", "      aid: {position: -5, salience: 20, capability: 0}\n",
			"      aid: {position: 5, salience: 10}\n", "      aid: {position: 5, salience: 10, capability: 0}\n"),
			[]want{{19, "issues[1]", `every actor on issue "aid" has zero capability or zero salience`}}},

		{"File is not a field", b("title:", "File:"),
			[]want{{2, "File", "unknown field"}}},

		// Decoding errors.
		{"YAML syntax error", b("title: Kosovo status talks", "title: Kosovo: status talks"),
			[]want{{2, "", "mapping values are not allowed in this context"}}},
		{"YAML bad indentation", b("    kind: group\n", "    kind: group\n  bad\n"),
			[]want{{38, "", "could not find expected ':'"}}},
		{"string for a number", b("capability: 100\n", "capability: lots\n"),
			[]want{{43, "actors[2].capability", "cannot unmarshal !!str `lots` into float64"}}},
		{"string for a scale", b("    min: 0\n", "    min: zero\n"),
			[]want{{14, "issues[0].min", "cannot unmarshal !!str `zero` into float64"}}},
		{"string for risk", b("risk: 1.5", "risk: high"),
			[]want{{31, "actors[0].risk", "cannot unmarshal !!str `high` into float64"}}},
		{"list for a number", b("capability: 100\n", "capability: [100]\n"),
			[]want{{43, "actors[2].capability", "want a number or a mapping with value and evidence"}}},
		{"list for stances", b(usaStances, "    stances: [status]\n"),
			[]want{{44, "actors[2].stances", "cannot unmarshal !!seq into map[string]scenario.Stance"}}},
		{"every type error", b("    min: 0\n", "    min: zero\n", "capability: 100\n", "capability: lots\n"),
			[]want{
				{14, "issues[0].min", "cannot unmarshal !!str `zero` into float64"},
				{43, "actors[2].capability", "cannot unmarshal !!str `lots` into float64"},
			}},
		{"duplicate key", b("  - id: usa\n", "  - id: usa\n    id: usa2\n"),
			[]want{{42, "actors[2].id", `mapping key "id" already defined at line 41`}}},
		{"two documents", baseYAML + "---\nname: other\n",
			[]want{{47, "", "more than one YAML document; a scenario file holds one"}}},
		{"empty file", "",
			[]want{{0, "", "empty file"}}},
		{"only comments", "# nothing yet\n\n",
			[]want{{0, "", "empty file"}}},
		{"list at the top", "- name: x\n- name: y\n",
			[]want{{1, "", "a scenario file must be a mapping with name, issues and actors"}}},
		{"scalar at the top", "\nkosovo\n",
			[]want{{2, "", "a scenario file must be a mapping with name, issues and actors"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc, err := Parse([]byte(tt.data), "kosovo.yaml")
			if sc != nil {
				t.Errorf("Parse returned a scenario along with problems")
			}
			checkProblems(t, err, "kosovo.yaml", tt.want)
		})
	}
}

// TestParseValidBase checks that the files the problem tests mutate are
// themselves valid, so that each problem comes from its mutation alone.
func TestParseValidBase(t *testing.T) {
	for name, data := range map[string]string{"base": baseYAML, "positions": positionsYAML} {
		t.Run(name, func(t *testing.T) {
			sc := mustParse(t, data, name+".yaml")
			if sc.File != name+".yaml" {
				t.Errorf("File = %q, want %q", sc.File, name+".yaml")
			}
			if err := sc.Validate(); err != nil {
				t.Errorf("Validate after Parse: %v", err)
			}
		})
	}
}

// TestParseAllProblemsAtOnce checks that a file with many problems gets
// every one of them in one report, sorted by line, and that problems on the
// same line keep the order in which they were found.
func TestParseAllProblemsAtOnce(t *testing.T) {
	data := edit(baseYAML,
		"title:", "titel:",
		"as_of: 2007-12-10", "as_of: soon",
		"date: 2007-03-26", "date: 26/03/2007",
		"{value: 0, label: Province of Serbia}", "{value: -1}",
		"risk: 1.5", "risk: 2.5",
		"kind: group", "kind: rebels",
		"aid: {position: -5, salience: 20}", "aid: {position: -5}",
		"{position: 90, salience: 60}", "{position: 190, salience: 160}",
	)
	_, err := Parse([]byte(data), "many.yaml")
	checkProblems(t, err, "many.yaml", []want{
		{2, "titel", "unknown field"},
		{3, "as_of", `date "soon" is not of the form YYYY-MM-DD`},
		{10, "sources[1].date", `date "26/03/2007" is not of the form`},
		{17, "issues[0].anchors[0].value", "anchor -1 is outside the scale 0 to 100"},
		{17, "issues[0].anchors[0].label", "missing label"},
		{31, "actors[0].risk", "got 2.5"},
		{34, "actors[0].stances.aid.salience", "missing salience"},
		{37, "actors[1].kind", `unknown kind "rebels"`},
		{45, "actors[2].stances.status.position", "position 190 is outside the scale 0 to 100"},
		{45, "actors[2].stances.status.salience", "salience 160 is outside the scale 0 to 100"},
	})
	want := "many.yaml:2: titel: unknown field\n" +
		`many.yaml:3: as_of: date "soon" is not of the form YYYY-MM-DD`
	if got := err.Error(); !strings.HasPrefix(got, want+"\n") {
		t.Errorf("Error() starts\n%s\nwant\n%s", got[:min(len(got), len(want)+20)], want)
	}
}

// TestValidateInMemory checks Validate on scenarios built in Go: problems
// have no line, carry the scenario's File, and name fields by path.
func TestValidateInMemory(t *testing.T) {
	ok := func() *Scenario {
		return &Scenario{
			Name:   "memory",
			File:   "memory.go",
			Issues: []Issue{{ID: "tax", Min: 0, Max: 10}},
			Actors: []Actor{
				{ID: "left", Capability: N(2), Stances: map[string]Stance{"tax": {Position: N(8), Salience: N(50)}}},
				{ID: "right", Capability: N(3), Stances: map[string]Stance{"tax": {Position: N(1), Salience: N(70)}}},
			},
		}
	}
	if err := ok().Validate(); err != nil {
		t.Fatalf("valid scenario: %v", err)
	}
	tests := []struct {
		name   string
		mutate func(*Scenario)
		want   []Problem
	}{
		{"empty", func(s *Scenario) { *s = Scenario{File: "memory.go"} }, []Problem{
			{File: "memory.go", Field: "name", Msg: "missing scenario name"},
			{File: "memory.go", Field: "issues", Msg: "no issues"},
			{File: "memory.go", Field: "actors", Msg: "no actors"},
		}},
		{"unset numbers", func(s *Scenario) {
			s.Actors[1].Capability = Number{}
			s.Actors[1].Stances["tax"] = Stance{}
		}, []Problem{
			{File: "memory.go", Field: "actors[1].capability", Msg: "missing capability"},
			{File: "memory.go", Field: "actors[1].stances.tax.position", Msg: "missing position"},
			{File: "memory.go", Field: "actors[1].stances.tax.salience", Msg: "missing salience"},
		}},
		{"stances in key order", func(s *Scenario) {
			s.Actors[0].Stances["zeta"] = Stance{Position: N(1), Salience: N(1)}
			s.Actors[0].Stances["alpha"] = Stance{Position: N(1), Salience: N(1)}
		}, []Problem{
			{File: "memory.go", Field: "actors[0].stances.alpha", Msg: `unknown issue "alpha"`},
			{File: "memory.go", Field: "actors[0].stances.zeta", Msg: `unknown issue "zeta"`},
		}},
		{"salience on a 0-1 scale", func(s *Scenario) { s.SalienceScale = 1 }, []Problem{
			{File: "memory.go", Field: "actors[0].stances.tax.salience", Msg: "salience 50 is outside the scale 0 to 1"},
			{File: "memory.go", Field: "actors[1].stances.tax.salience", Msg: "salience 70 is outside the scale 0 to 1"},
		}},
		{"evidence", func(s *Scenario) {
			s.Sources = []Source{{ID: "a", Date: "2007"}, {ID: "b", Date: "2007-02"}}
			s.Actors[0].Capability.Evidence = []Evidence{{Source: "a", Paragraph: 1, Text: "fine"}, {Source: "c", Paragraph: -1}}
		}, []Problem{
			{File: "memory.go", Field: "actors[0].capability.evidence[1].source", Msg: `unknown source "c"`},
			{File: "memory.go", Field: "actors[0].capability.evidence[1].paragraph", Msg: "paragraph must be 1 or more, got -1"},
			{File: "memory.go", Field: "actors[0].capability.evidence[1].text", Msg: "missing paraphrase of the evidence"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := ok()
			tt.mutate(s)
			ps := problemsOf(t, s.Validate())
			if len(ps) != len(tt.want) {
				t.Fatalf("got %d problems, want %d:\n%v", len(ps), len(tt.want), ps)
			}
			for i := range ps {
				if ps[i] != tt.want[i] {
					t.Errorf("problem %d = %#v, want %#v", i, ps[i], tt.want[i])
				}
			}
		})
	}
}
