package scenario

import "testing"

// TestFixedBugs keeps, as regression tests, the bugs found while these
// tests were written, each asserting the correct behaviour.
func TestFixedBugs(t *testing.T) {
	type exact struct{ want []want } // Parse must report exactly these
	type has struct{ want []want }   // Parse must report at least these
	type accept struct{}             // Parse must accept the file
	tests := []struct {
		name   string
		data   string
		expect any
	}{
		// native.go jsonToNode does not skip the byte-order mark that Detect
		// skips (parse.go Detect), so a JSON file saved with a BOM fails with
		// "invalid JSON: invalid character 'ï' looking for beginning of value".
		{"JSON with a byte-order mark", "\ufeff" + baseJSON, accept{}},

		// native.go parseYAML: a second document is reported only when it
		// decodes without error; a second document with a syntax error is
		// silently dropped and the first one accepted.
		{"broken second YAML document", baseYAML + "---\nname: [\n", has{[]want{{48, "", "did not find expected node content"}}}},

		// An explicit empty document reads as a null node and gets
		// "a scenario file must be a mapping" on line 2 (past the end of a
		// one-line file) where "" and a comment-only file get "empty file".
		{"empty YAML document", "---", exact{[]want{{0, "", "empty file"}}}},

		// bdmcsv.go: a value that is missing or not a number is reported by
		// the reader (num) and again by check as "missing ...": two problems
		// for one mistake, the second one misleading.
		{"BDM CSV value reported twice", "actor,capability,position,salience\na,1,,0.5\nb,2,3,0.5\n",
			exact{[]want{{2, "row 1, column position", "missing position"}}}},
		{"BDM CSV non-number also reported missing", "actor,capability,position,salience\na,x,3,0.5\nb,2,3,0.5\n",
			exact{[]want{{2, "row 1, column capability", `"x" is not a number`}}}},

		// bdmcsv.go parseBDMCSV counts a whitespace-only line as a row
		// (row++ comes before the blank-record check) while csvLocator
		// numbers rows by actor index: the two parts of one report disagree.
		{"BDM CSV rows after a whitespace line", "actor,capability,position,salience\n   \na,-1,3,0.5\nb,2,5,x\n",
			has{[]want{
				{3, "row 1, column capability", "capability must not be negative, got -1"},
				{4, "row 2, column salience", `"x" is not a number`},
			}}},

		// Detect (firstLine) skips blank lines and indented comments before
		// the header, but encoding/csv does not: the whitespace line becomes
		// the header and every column is reported missing.
		{"BDM CSV after a whitespace line", "   \n" + emissionCSV, accept{}},
		{"BDM CSV after an indented comment", "  # EU emission case\n" + emissionCSV, accept{}},

		// native.go nodeLocator.line: a problem about a key whose value is a
		// block mapping is put on the mapping's first line, not the key's.
		{"unknown issue in a block stance",
			edit(baseYAML, "      status: {position: 90, salience: 60}\n", "      trade:\n        position: 90\n        salience: 60\n"),
			exact{[]want{{45, "actors[2].stances.trade", `unknown issue "trade"`}}}},
		{"capability mapping without value", edit(baseYAML, "      value: 30\n", ""),
			exact{[]want{{26, "actors[0].capability", "missing capability"}}}},

		// Stances from the long-form positions table are checked under
		// actors[i].stances, a path that is not in the file; the locator
		// falls back to the actor's stances block (line 40) instead of the
		// positions entry (line 48).
		{"long-form position outside the scale", edit(positionsYAML, "position: 8", "position: 80"),
			exact{[]want{{48, "positions[0].position", "position 80 is outside the scale -10 to 10"}}}},

		// nodeLocator splits field paths on dots, so an issue id holding a dot
		// is not found and the problem lands on the stances block (line 33).
		{"issue id with a dot",
			edit(baseYAML, "  - id: aid\n", "  - id: eu.aid\n",
				"      aid: {position: -5, salience: 20}\n", "      eu.aid: {position: -50, salience: 20}\n",
				"      aid: {position: 5, salience: 10}\n", "      eu.aid: {position: 5, salience: 10}\n"),
			exact{[]want{{34, "actors[0].stances.eu.aid.position", "position -50 is outside the scale -10 to 10"}}}},

		// checkKnownFields reports the YAML merge key "<<" as an unknown
		// field although yaml.v3 decodes merges.
		{"YAML merge key",
			edit(baseYAML, "  - id: usa\n    kind: state\n    capability: 100\n", "  - <<: &state {kind: state, capability: 100}\n    id: usa\n"),
			accept{}},

		// Type errors carry a line but no field path.
		{"type error field", edit(baseYAML, "capability: 100\n", "capability: lots\n"),
			exact{[]want{{43, "actors[2].capability", "lots"}}}},

		// jsonToNode tags an integer beyond int64 "!!float"; yaml.v3 then
		// fails with "cannot decode !!int ... as a !!float" and no line. The
		// same number is read in YAML. (It now lies beyond MaxMagnitude, so
		// both refuse it with that problem, on its line.)
		{"JSON integer beyond int64", edit(baseJSON, `"capability": 10,`, `"capability": 12345678901234567890,`),
			has{[]want{{34, "actors[1].capability", "1.2345678901234567e+19 lies beyond ±1e+15"}}}},
		{"JSON integer within int64", edit(baseJSON, `"capability": 10,`, `"capability": 123456789012345,`), accept{}},
		// An out-of-range JSON number gets its problem on line 1.
		{"JSON number out of range", edit(baseJSON, `"capability": 10,`, `"capability": 1e400,`),
			has{[]want{{34, "actors[1].capability", "capability must be a finite number, got +Inf"}}}},

		// yaml.v3 gives parser errors the 0-based line of the construct
		// (go-yaml issue #205); Parley passes it on: the unclosed "[" is on
		// line 14, the problem says 13.
		{"YAML syntax error line", edit(baseYAML, "    min: 0\n", "    min: [0\n"),
			has{[]want{{14, "", ""}}}},

		// Detect takes any file starting with "{" for JSON, so a YAML file
		// written as one flow mapping is rejected as invalid JSON.
		{"YAML flow mapping", "{name: x, issues: [{id: i, min: 0, max: 1}], actors: [{id: a, capability: 1, stances: {i: {position: 1, salience: 5}}}]}", accept{}},

		// parseBDMCSV widens a one-point scale by ±1, which is lost at
		// 1e308: max == min and the valid file is rejected. (Positions so
		// large now lie beyond MaxMagnitude: a scale of ±1.7e308 had a span
		// of +Inf and NaN forecasts.)
		{"BDM CSV one huge position", "actor,capability,position,salience\na,1,1e14,0.5\nb,1,1e14,0.5\n", accept{}},
		{"BDM CSV position beyond the largest size", "actor,capability,position,salience\na,1,1e308,0.5\nb,1,1e308,0.5\n",
			has{[]want{{1, "issues[0].max", "lies beyond ±1e+15"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc, err := Parse([]byte(tt.data), "bug.in")
			switch e := tt.expect.(type) {
			case accept:
				if err != nil {
					t.Errorf("rejected:\n%v", err)
				} else if err := sc.Validate(); err != nil {
					t.Errorf("accepted but invalid: %v", err)
				}
			case exact:
				checkProblems(t, err, "bug.in", e.want)
			case has:
				containsProblems(t, err, "bug.in", e.want)
			}
		})
	}
}
