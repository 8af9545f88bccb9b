package scenario

import (
	"os"
	"strings"
	"testing"
)

// TestParseChecks: the problems of further checks are placed at the line of
// their field in YAML and JSON files, sorted with the scenario's own, and
// dropped where the reader already reported a problem at the same place.
func TestParseChecks(t *testing.T) {
	firstIssueMax := func(sc *Scenario) Problems {
		return Problems{{Field: "issues[0].max", Msg: "checked"}, {Field: "name", Msg: "named"}}
	}
	js, err := os.ReadFile("testdata/kosovo.json")
	if err != nil {
		t.Fatal(err)
	}
	lineOf := func(data, s string) int { return strings.Count(data[:strings.Index(data, s)], "\n") + 1 }
	tests := []struct {
		file, data string
		want       []want
	}{
		{"k.yaml", baseYAML, []want{{1, "name", "named"}, {lineOf(baseYAML, "max:"), "issues[0].max", "checked"}}},
		{"k.json", string(js), []want{{2, "name", "named"}, {lineOf(string(js), `"max"`), "issues[0].max", "checked"}}},
		// The name is missing: Validate's problem and the check's at the
		// same place are both kept, Validate's first.
		{"k.yaml", edit(baseYAML, "name: kosovo-test", `name: ""`), []want{{1, "name", "missing scenario name"}, {1, "name", "named"},
			{lineOf(baseYAML, "max:"), "issues[0].max", "checked"}}},
	}
	for _, tt := range tests {
		if _, err := Parse([]byte(tt.data), tt.file); err != nil && len(tt.want) == 2 {
			t.Fatalf("%s is not valid without the check: %v", tt.file, err)
		}
		_, err := Parse([]byte(tt.data), tt.file, firstIssueMax)
		checkProblems(t, err, tt.file, tt.want)
	}
	// A check that finds nothing changes nothing.
	if _, err := Parse([]byte(baseYAML), "k.yaml", func(*Scenario) Problems { return nil }); err != nil {
		t.Errorf("a silent check: %v", err)
	}
}
