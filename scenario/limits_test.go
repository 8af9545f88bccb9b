package scenario

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// nested returns a document of each nesting format whose innermost
// container lies depth levels down, inside the field the scenario reader
// reaches first (actors).
func nested(format string, depth int) string {
	switch format {
	case "json-array":
		return `{"actors": ` + strings.Repeat("[", depth-1) + strings.Repeat("]", depth-1) + "}"
	case "json-object":
		return `{"actors": ` + strings.Repeat(`{"a": `, depth-1) + "1" + strings.Repeat("}", depth-1) + "}"
	case "yaml-flow":
		return "actors: " + strings.Repeat("[", depth-1) + strings.Repeat("]", depth-1) + "\n"
	case "yaml-block":
		// Block sequences nested by indentation, "- - - x" on one line.
		return "actors:\n  " + strings.Repeat("- ", depth-1) + "x\n"
	case "xml":
		return "<Scenario><Actors>" + strings.Repeat("<a>", depth-2) + strings.Repeat("</a>", depth-2) + "</Actors></Scenario>"
	}
	panic(format)
}

var nestingFormats = []string{"json-array", "json-object", "yaml-flow", "yaml-block", "xml"}

// TestNestingLimit: a document nested MaxDepth levels deep is read (and
// then found wanting as a scenario), one level more is refused with one
// problem naming the line and the field where the limit was passed, and a
// document two million levels deep (which overflowed the stack of the
// recursive JSON reader) ends the same way.
func TestNestingLimit(t *testing.T) {
	for _, format := range nestingFormats {
		t.Run(format, func(t *testing.T) {
			_, err := Parse([]byte(nested(format, MaxDepth)), "deep")
			if err == nil || strings.Contains(err.Error(), "levels deep") {
				t.Errorf("depth %d: %v, want problems other than the depth", MaxDepth, err)
			}
			for _, depth := range []int{MaxDepth + 1, 5000, 2_000_000} {
				if strings.HasPrefix(format, "yaml") && depth > 10000 {
					continue // yaml.v3 stops at 10,000 itself
				}
				_, err := Parse([]byte(nested(format, depth)), "deep")
				var ps Problems
				if !errors.As(err, &ps) || len(ps) != 1 {
					t.Fatalf("depth %d: %v, want one problem", depth, err)
				}
				p := ps[0]
				line := 1
				if format == "yaml-block" {
					line = 2
				}
				if p.File != "deep" || p.Line != line || !strings.HasPrefix(p.Field, "actors") && !strings.HasPrefix(p.Field, "Scenario/Actors") ||
					p.Msg != "nested more than 64 levels deep" {
					t.Errorf("depth %d: %#v", depth, p)
				}
			}
		})
	}
}

// TestNestingLimitField: the field of a nesting problem is the path down
// to the container that went too deep.
func TestNestingLimitField(t *testing.T) {
	doc := "{\n\"actors\": [\n{\"id\": \"a\", \"stances\": {\"x\": " + strings.Repeat("[", 61) + strings.Repeat("]", 61) + "}}]}"
	_, err := Parse([]byte(doc), "f.json")
	want := "f.json:3: actors[0].stances.x" + strings.Repeat("[0]", 60) + ": nested more than 64 levels deep"
	if err == nil || err.Error() != want {
		t.Errorf("got\n%v\nwant\n%s", err, want)
	}
}

// TestValueLimit: a file of more values (or XML elements) than the limit
// is refused, JSON as soon as the limit is passed.
func TestValueLimit(t *testing.T) {
	l := Limits{MaxValues: 1000}
	list := strings.Repeat("0,", 2000) + "0"
	for name, doc := range map[string]string{
		"json": `{"actors": [` + list + `]}`,
		"yaml": "actors: [" + list + "]\n",
		"xml":  "<Scenario>" + strings.Repeat("<a/>", 2000) + "</Scenario>",
	} {
		_, err := l.Parse([]byte(doc), "big")
		if err == nil || !strings.Contains(err.Error(), "more than 1000 ") {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := l.Parse([]byte(baseYAML), "ok.yaml"); err != nil {
		t.Errorf("a small scenario within the limit: %v", err)
	}
}

// TestCellLimit: every format refuses a scenario of more actors × issues
// than the limit, with one problem at a line of the file.
func TestCellLimit(t *testing.T) {
	l := Limits{MaxCells: 10}
	var bdm, ktab, decide, yml strings.Builder
	bdm.WriteString("Actor,Capability,Position,Salience\n")
	ktab.WriteString("x,y,11,1\nActor,Description,Power,d1,s1\n")
	decide.WriteString("#P;i;issue\n")
	yml.WriteString("name: x\nissues: [{id: i, min: 0, max: 1}, {id: j, min: 0, max: 1}]\nactors:\n")
	xml := "<Scenario><name>x</name><desc/><prngSeed>0</prngSeed><Dimensions><dName>a</dName><dName>b</dName></Dimensions><Actors>"
	for i := range 11 {
		fmt.Fprintf(&bdm, "a%d,1,50,50\n", i)
		fmt.Fprintf(&ktab, "a%d,a,1,50,50\n", i)
		fmt.Fprintf(&decide, "#A;a%d;a%d\n", i, i)
		fmt.Fprintf(&yml, "  - {id: a%d, capability: 1, stances: {i: {position: 1, salience: 1}}}\n", i)
		if i < 6 {
			xml += "<Actor><name>a</name></Actor>"
		}
	}
	xml += "</Actors></Scenario>"
	for _, tt := range []struct{ name, doc, want string }{
		{"bdm", bdm.String(), "cells.csv:12: row 11, column actor: more than 10 actors; a scenario holds at most 10 stances"},
		{"ktab", ktab.String(), "cells.csv:1: number of dimensions: 11 actors × 1 issues is more than the limit of 10 stances"},
		{"decide", decide.String(), "cells.csv:2: #A field id: 11 actors × 1 issues is more than the limit of 10 stances"},
		{"yaml", yml.String(), "cells.csv:4: actors: 11 actors × 2 issues is more than the limit of 10 stances"},
		{"xml", xml, "cells.csv:1: Actors: 6 actors × 2 issues is more than the limit of 10 stances"},
		{"positions", `{"positions": [` + strings.Repeat(`{},`, 10) + `{}]}`, "cells.csv:1: positions: 11 positions is more than the limit of 10 stances"},
	} {
		_, err := l.Parse([]byte(tt.doc), "cells.csv")
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s:\ngot  %v\nwant %s", tt.name, err, tt.want)
		}
	}
}

// TestKTABDimensionsOverflow: a KTAB CSV file announcing 2⁶² dimensions
// made 3 + 2·n overflow and the reader allocate a slice of that length
// (a panic); it is now one problem.
func TestKTABDimensionsOverflow(t *testing.T) {
	doc := "x,y,1,4611686018427387904\nActor,Description,Power,d1,s1\na,b,1,50,50\n"
	_, err := Parse([]byte(doc), "k.csv")
	want := "k.csv:1: number of dimensions: 1 actors × 4611686018427387904 issues is more than the limit of 100000 stances"
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

// TestProblemCap: a file with thousands of problems reports the first
// MaxProblems and how many more there were.
func TestProblemCap(t *testing.T) {
	var b strings.Builder
	b.WriteString("Actor,Capability,Position,Salience\n")
	for i := range 1500 {
		fmt.Fprintf(&b, "a%d,x,50,50\n", i)
	}
	_, err := Parse([]byte(b.String()), "many.csv")
	var ps Problems
	if !errors.As(err, &ps) || len(ps) != MaxProblems+1 {
		t.Fatalf("%d problems", len(ps))
	}
	// 1,500 capabilities that are not numbers, and the issue that is left
	// without a position.
	if last := ps[MaxProblems].String(); last != "many.csv: and 501 more problems (only the first 1000 are listed)" {
		t.Errorf("last problem %q", last)
	}
}

// TestInputLimit: Load reads no more than the limit, and says so; a
// device that never ends (/dev/zero) is read only up to the limit.
func TestInputLimit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.yaml")
	if err := os.WriteFile(path, []byte(baseYAML+strings.Repeat("# padding\n", 100)), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Limits{MaxBytes: 512}.Load(path)
	if err == nil || err.Error() != path+": larger than the input limit of 512 bytes" {
		t.Errorf("got %v", err)
	}
	within := Limits{MaxBytes: 1 << 20}
	if _, err := within.Load(path); err != nil {
		t.Errorf("within the limit: %v", err)
	}
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	start := time.Now()
	_, err = Load("/dev/zero")
	if err == nil || !strings.Contains(err.Error(), "larger than the input limit of 64 MiB") {
		t.Errorf("/dev/zero: %v", err)
	}
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("/dev/zero took %v", d)
	}
}

func TestFormatBytes(t *testing.T) {
	tests := map[int64]string{64 << 20: "64 MiB", 8 << 10: "8 KiB", 1000: "1000 bytes", 3 << 30: "3 GiB", 1536: "1536 bytes"}
	for n, want := range tests {
		if got := FormatBytes(n); got != want {
			t.Errorf("FormatBytes(%d) = %q, want %q", n, got, want)
		}
	}
}

// FuzzNesting builds documents nested depth levels deep around fuzzed
// content, so that the fuzzer reaches depths that mutating a seed byte by
// byte never would: whatever the depth and content, Parse ends with
// problems or a scenario, never a crash, and depths beyond MaxDepth are
// refused.
func FuzzNesting(f *testing.F) {
	for i := range nestingFormats {
		for _, d := range []uint32{1, MaxDepth - 1, MaxDepth, MaxDepth + 1, 100000} {
			f.Add(uint8(i), d, []byte("1"))
		}
	}
	f.Add(uint8(0), uint32(3), []byte(`{"name": "x"}`))
	f.Fuzz(func(t *testing.T, format uint8, depth uint32, inner []byte) {
		depth = depth%3_000_000 + 1
		var doc string
		switch format % 5 {
		case 0:
			doc = strings.Repeat("[", int(depth)) + string(inner) + strings.Repeat("]", int(depth))
		case 1:
			doc = strings.Repeat(`{"a":`, int(depth)) + string(inner) + strings.Repeat("}", int(depth))
		case 2:
			doc = "a: " + strings.Repeat("[", int(depth)) + string(inner) + strings.Repeat("]", int(depth))
		case 3:
			doc = strings.Repeat("- ", int(min(depth, 20000))) + string(inner)
		case 4:
			doc = "<Scenario>" + strings.Repeat("<a>", int(depth)) + string(inner) + strings.Repeat("</a>", int(depth)) + "</Scenario>"
		}
		sc, _ := checkParse(t, []byte(doc))
		if sc != nil && depth > MaxDepth+1 {
			t.Fatalf("accepted a document nested %d deep", depth)
		}
	})
}

// TestControlCharacters: control characters, which a terminal takes for
// commands (ESC clears the screen, CR rewrites the line), are refused in
// every text of a scenario, in every format; free text keeps its line
// breaks and tabs.
func TestControlCharacters(t *testing.T) {
	for _, tt := range []struct {
		name, doc, want string
	}{
		{"title", "name: x\ntitle: \"a\\e[2J\"\n" + tinyYAML, "c.yaml:2: title: control character U+001B; a name, id, title or label may hold no control character but a tab"},
		{"carriage return", "name: \"x\\ry\"\n" + tinyYAML, "c.yaml:1: name: control character U+000D; a name, id, title or label may hold no control character but a tab"},
		{"C1 CSI", "name: x\ndescription: \"a\\x9b2J\"\n" + tinyYAML, "c.yaml:2: description: control character U+009B; free text may hold no control character but line breaks and tabs"},
		{"actor name", "name: x\nissues: [{id: i, min: 0, max: 1}]\nactors: [{id: a, name: \"\\e]0;pwned\\a\", capability: 1, stances: {i: {position: 1, salience: 1}}}]\n",
			"c.yaml:3: actors[0].name: control character U+001B; a name, id, title or label may hold no control character but a tab"},
		{"map key", "name: x\nissues: [{id: i, min: 0, max: 1}]\nactors: [{id: a, capability: 1, stances: {i: {position: 1, salience: 1}, \"j\\b\": {position: 1, salience: 1}}}]\n",
			"c.yaml:3: actors[0].stances.j\b: control character U+0008; a name, id, title or label may hold no control character but a tab"},
		// Bidirectional overrides and isolates turn the rest of a printed
		// line around (Trojan Source).
		{"right-to-left override", "name: x\nissues: [{id: i, min: 0, max: 1}]\nactors: [{id: a, name: \"Serbia\u202e\", capability: 1, stances: {i: {position: 1, salience: 1}}}]\n",
			"c.yaml:3: actors[0].name: control character U+202E; a name, id, title or label may hold no control character but a tab"},
		{"left-to-right isolate in free text", "name: x\ndescription: \"a\u2066b\u2069\"\n" + tinyYAML, "c.yaml:2: description: control character U+2066"},
		{"embedding in an issue id", "name: x\nissues: [{id: \"i\u202a\", min: 0, max: 1}]\nactors: []\n", "c.yaml:2: issues[0].id: control character U+202A"},
	} {
		_, err := Parse([]byte(tt.doc), "c.yaml")
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s:\ngot  %v\nwant %s", tt.name, err, tt.want)
		}
	}
	ok := "name: x\ndescription: \"two\\n\\tlines\"\n" + tinyYAML
	if _, err := Parse([]byte(ok), "ok.yaml"); err != nil {
		t.Errorf("line breaks and tabs in free text: %v", err)
	}
	rtl := "name: x\ntitle: \"\u200fכוסובו\u200e talks\"\n" + tinyYAML
	if _, err := Parse([]byte(rtl), "rtl.yaml"); err != nil {
		t.Errorf("right-to-left text with direction marks: %v", err)
	}
	csv := "Actor,Capability,Position,Salience\n\"a\x1b[31m\",1,1,1\nb,1,2,1\n"
	if _, err := Parse([]byte(csv), "c.csv"); err == nil || !strings.Contains(err.Error(), "U+001B") {
		t.Errorf("BDM CSV: %v", err)
	}
}

const tinyYAML = "issues: [{id: i, min: 0, max: 1}]\nactors: [{id: a, capability: 1, stances: {i: {position: 1, salience: 1}}}]\n"

// keysScenario is a scenario of one actor holding a position on each of n
// issues: its stances are one mapping of n keys.
func keysScenario(format string, n int) string {
	var issues, stances []string
	for i := range n {
		issues = append(issues, fmt.Sprintf(`{"id": "i%d", "min": 0, "max": 100}`, i))
		stances = append(stances, fmt.Sprintf(`"i%d": {"position": 50, "salience": 1}`, i))
	}
	doc := `{"name": "wide", "issues": [` + strings.Join(issues, ", ") + `], "actors": [{"id": "a", "capability": 1, "stances": {` + strings.Join(stances, ", ") + `}}]}`
	if format == "yaml" {
		doc = "# a YAML flow mapping\n" + doc
	}
	return doc
}

// TestMappingKeyLimit: a mapping of more than MaxKeys keys (one actor's
// stances on 50,000 issues, within the limit of actors × issues) is
// refused with its line and field before the YAML decoder compares every
// key with every other (which took 32 s for 50,000 and minutes for
// 100,000, a parse that no request's deadline stopped); MaxKeys keys are
// read.
func TestMappingKeyLimit(t *testing.T) {
	for _, format := range []string{"json", "yaml"} {
		start := time.Now()
		_, err := Parse([]byte(keysScenario(format, 50_000)), "wide")
		var ps Problems
		if !errors.As(err, &ps) || len(ps) != 1 || ps[0].Field != "actors[0].stances" ||
			ps[0].Msg != "a mapping of more than 10000 keys; one mapping holds at most that many (an actor's stances: at most 10000 issues)" {
			t.Errorf("%s: %v, want one problem at actors[0].stances", format, err)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("%s: refused after %v", format, d)
		}
		if _, err := Parse([]byte(keysScenario(format, MaxKeys)), "wide"); err != nil {
			t.Errorf("%s: %d keys: %v", format, MaxKeys, err)
		}
	}
}

// TestMagnitudeLimit: scale ends, capabilities, the salience scale and
// spreads beyond MaxMagnitude are refused at their field. A scale from
// −1.7e308 to 1.7e308 (span +Inf) was valid, and every model's forecast
// of it was NaN: 'parley forecast --json' ended with "json: unsupported
// value: NaN" and the run could not be saved.
func TestMagnitudeLimit(t *testing.T) {
	for _, tt := range []struct{ name, doc, want string }{
		{"scale span overflows", "name: x\nissues: [{id: i, min: -1.7e308, max: 1.7e308}]\nactors: [{id: a, capability: 1, stances: {i: {position: 0, salience: 1}}}]\n",
			"m.yaml:2: issues[0].min: -1.7e+308 lies beyond ±1e+15"},
		{"scale end", "name: x\nissues: [{id: i, min: 0, max: 2e15}]\nactors: [{id: a, capability: 1, stances: {i: {position: 0, salience: 1}}}]\n",
			"m.yaml:2: issues[0].max: 2e+15 lies beyond ±1e+15"},
		{"capability", "name: x\nissues: [{id: i, min: 0, max: 1}]\nactors: [{id: a, capability: 1e300, stances: {i: {position: 0, salience: 1}}}]\n",
			"m.yaml:3: actors[0].capability: 1e+300 lies beyond ±1e+15"},
		{"capability on an issue", "name: x\nissues: [{id: i, min: 0, max: 1}]\nactors: [{id: a, capability: 1, stances: {i: {position: 0, salience: 1, capability: 1e16}}}]\n",
			"m.yaml:3: actors[0].stances.i.capability: 1e+16 lies beyond ±1e+15"},
		{"capability range", "name: x\nissues: [{id: i, min: 0, max: 1}]\nactors: [{id: a, capability: {value: 1, range: [0, 1e300]}, stances: {i: {position: 0, salience: 1}}}]\n",
			"m.yaml:3: actors[0].capability.range: range [0, 1e+300] is outside the scale 0 to 1e+15"},
		{"capability sd", "name: x\nissues: [{id: i, min: 0, max: 1}]\nactors: [{id: a, capability: {value: 1, sd: 1e300}, stances: {i: {position: 0, salience: 1}}}]\n",
			"m.yaml:3: actors[0].capability.sd: 1e+300 lies beyond ±1e+15"},
		{"salience scale", "name: x\nsalience_scale: 1e300\n" + tinyYAML, "m.yaml:2: salience_scale: 1e+300 lies beyond ±1e+15"},
	} {
		_, err := Parse([]byte(tt.doc), "m.yaml")
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s:\ngot  %v\nwant %s", tt.name, err, tt.want)
		}
	}
	ok := "name: x\nissues: [{id: i, min: -1e15, max: 1e15}]\nactors: [{id: a, capability: {value: 2.5e13, range: [1e13, 1e15]}, stances: {i: {position: 0, salience: 1}}}]\n"
	if _, err := Parse([]byte(ok), "ok.yaml"); err != nil {
		t.Errorf("numbers at the limit: %v", err)
	}
}
