package scenario

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
)

const fuzzFile = "fuzz.in"

// validSeeds are inputs that must parse.
var validSeeds = []string{
	baseYAML, positionsYAML, baseJSON, emissionCSV,
	// A subnormal salience scale: the salience normalises to exactly 1.
	"name: x\nsalience_scale: 1e-320\nissues: [{id: i, min: 0, max: 1}]\nactors: [{id: a, capability: 1, stances: {i: {position: 1, salience: 1e-320}}}]\n",
	// Numbers with their own uncertainty.
	"name: x\nissues: [{id: i, min: 0, max: 10}]\nactors: [{id: a, capability: {value: 1, sd: 0.5, inferred: true}, stances: {i: {position: {value: 3, range: [2, 5]}, salience: {value: 50, range: [40, 60]}}}}]\n",
}

// brokenSeeds are inputs that must fail without panicking.
var brokenSeeds = []string{
	"",
	"\n",
	"{",
	"[",
	"}",
	"null",
	"name: [",
	"name: x\n---\nname: y\n",
	"- a\n- b\n",
	"\ufeff{}",
	`{"name": "x", "issues": [{"id": "i", "min": 0, "max": 1e400}]}`,
	`{"name": "x"} {}`,
	"actor,capability,position,salience\na,1,\"",
	"actor,capability,position,salience\n,,,\n",
	"actor,capability,position,salience\na,NaN,Inf,-Inf\n",
	"name: x\nissues: [{id: i, min: 0, max: 1}]\nactors: [&a {id: a, capability: 1, stances: {i: {position: 1, salience: 1}}}, *a]\n",
	"name: x\nissues: [{id: i, min: .nan, max: .inf}]\nactors: [{id: a, capability: -1, risk: 9, stances: {i: {position: 1, salience: 1e400}}}]\n",
	"name: x\nissues: [{id: i, min: 0, max: 10}]\nactors: [{id: a, capability: {value: 1, sd: -1}, stances: {i: {position: {value: 3, range: [5, 2, 1]}, salience: {value: 50, sd: .nan, range: [0, 1e400]}}}}]\n",
}

// lineCount returns the number of lines of data, counting every line break
// that YAML knows (LF, CR, CRLF, NEL, LS, PS).
func lineCount(data []byte) int {
	s := strings.ReplaceAll(string(data), "\r\n", "\n")
	n := 1
	for _, r := range s {
		switch r {
		case '\n', '\r', '\u0085', '\u2028', '\u2029':
			n++
		}
	}
	return n
}

const notMapping = "a scenario file must be a mapping with name, issues and actors"

// tolerated reports whether a failed check matches a known bug (see
// bugs_test.go) that fuzzing should step over to find others; with
// -knownbugs nothing is tolerated.
func tolerated(knownBug bool) bool { return knownBug && !*knownBugs }

// checkParse runs Parse and checks what must hold of any input: it does not
// panic; it returns either problems or a scenario; problems name the file,
// lie within the file and are sorted by line; a scenario passes Validate and
// gives models sound numbers.
func checkParse(t *testing.T, data []byte) (*Scenario, Problems) {
	sc, err := Parse(data, fuzzFile)
	if err != nil {
		if sc != nil {
			t.Fatalf("Parse returned both a scenario and %v", err)
		}
		var ps Problems
		if !errors.As(err, &ps) || len(ps) == 0 {
			t.Fatalf("Parse error %T %q is not a non-empty Problems", err, err)
		}
		lines, prev, unplaced := lineCount(data), 0, false
		for _, p := range ps {
			if p.File != fuzzFile || p.Msg == "" {
				t.Errorf("problem %#v lacks the file or a message", p)
			}
			if p.Line < 0 || p.Line > lines && !tolerated(p.Line == lines+1 && p.Msg == notMapping) {
				t.Errorf("problem %q is on line %d of a %d-line input", p, p.Line, lines)
			}
			if p.Line == 0 {
				unplaced = true
			} else if unplaced || p.Line < prev {
				t.Errorf("problems not sorted by line:\n%v", ps)
			}
			prev = max(prev, p.Line)
		}
		return nil, ps
	}
	if sc == nil {
		t.Fatal("Parse returned neither a scenario nor an error")
	}
	if sc.File != fuzzFile {
		t.Errorf("File = %q", sc.File)
	}
	if err := sc.Validate(); err != nil {
		t.Fatalf("Parse accepted a scenario that Validate rejects: %v", err)
	}
	if len(sc.Issues) == 0 || len(sc.Actors) == 0 {
		t.Fatalf("accepted %v", sc)
	}
	// Own uncertainty: a range of two finite bounds holding the value, a
	// finite non-negative sd, not both.
	spread := func(what string, n Number) {
		if n.Range != nil && (n.SD != nil || len(n.Range) != 2 || !(n.Range[0] <= n.Value && n.Value <= n.Range[1]) || math.IsInf(n.Range[0], 0) || math.IsInf(n.Range[1], 0)) {
			t.Errorf("%s: range %v around %v (sd %v)", what, n.Range, n.Value, n.SD)
		}
		if n.SD != nil && !(*n.SD >= 0 && !math.IsInf(*n.SD, 0)) {
			t.Errorf("%s: sd %v", what, *n.SD)
		}
	}
	for _, a := range sc.Actors {
		spread(a.ID+" capability", a.Capability)
		for id, st := range a.Stances {
			spread(a.ID+" position on "+id, st.Position)
			spread(a.ID+" salience on "+id, st.Salience)
		}
	}
	for _, is := range sc.Issues {
		if !(is.Min < is.Max) || math.IsInf(is.Min, 0) || math.IsInf(is.Max, 0) {
			t.Errorf("issue %q: scale %v to %v", is.ID, is.Min, is.Max)
		}
		sh := sc.Stakeholders(is.ID)
		if len(sh) == 0 {
			t.Errorf("issue %q has no stakeholders", is.ID)
		}
		var w float64
		for _, s := range sh {
			if !(s.Salience >= 0 && s.Salience <= 1) {
				t.Errorf("issue %q, actor %q: salience %v outside 0–1", is.ID, s.ID, s.Salience)
			}
			if !(s.Position >= is.Min && s.Position <= is.Max) {
				t.Errorf("issue %q, actor %q: position %v outside %v to %v", is.ID, s.ID, s.Position, is.Min, is.Max)
			}
			if !(s.Capability >= 0) || math.IsInf(s.Capability, 0) {
				t.Errorf("issue %q, actor %q: capability %v", is.ID, s.ID, s.Capability)
			}
			if s.Risk != nil && !(*s.Risk >= 0.5 && *s.Risk <= 2) {
				t.Errorf("issue %q, actor %q: risk %v", is.ID, s.ID, *s.Risk)
			}
			w += s.Capability * s.Salience
		}
		if w == 0 {
			t.Errorf("issue %q: every stakeholder has zero weight", is.ID)
		}
	}
	return sc, nil
}

// FuzzParse feeds any bytes to Parse.
func FuzzParse(f *testing.F) {
	for _, s := range validSeeds {
		f.Add([]byte(s))
	}
	for _, s := range brokenSeeds {
		f.Add([]byte(s))
	}
	// Other encodings (encoding.go): Windows-1252 bytes in a BDM file, a
	// UTF-16LE one with its byte-order mark, and a mark before odd bytes.
	f.Add([]byte("Actor,Capability,Position,Salience\nM\xfcller \x93x\x94,10,40,80\nB,5,60,50\n"))
	f.Add([]byte("\xff\xfeA\x00,\x00b\x00\n\x00"))
	f.Add([]byte("\xfe\xff\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkParse(t, data)
	})
}

// FuzzParseJSON focuses on JSON. Beyond checkParse, JSON that encoding/json
// takes for valid must not get a JSON syntax problem, and invalid JSON must
// not be accepted.
func FuzzParseJSON(f *testing.F) {
	for _, s := range []string{
		baseJSON,
		`{"name":"x","issues":[{"id":"i","min":0,"max":1}],"actors":[{"id":"a","capability":1,"stances":{"i":{"position":1,"salience":{"value":5,"evidence":[{"source":"s","text":"t"}]}}}}],"sources":[{"id":"s"}]}`,
		`{"name":"x","issues":[{"id":"i","min":-1e3,"max":1E3}],"actors":[{"id":"a","capability":0.5,"risk":null,"stances":{"i":{"position":-0,"salience":1}}}]}`,
		`{"name":"x","positions":[{"actor":"a","issue":"i","position":1,"salience":1}],"issues":[{"id":"i","min":0,"max":1}],"actors":[{"id":"a","capability":1,"stances":{}}]}`,
		`{"a": 1,}`,
		`{"a" 1}`,
		`[{"a": [1, 2, {"b": null}]}]`,
		"{\n\"a\": \"\\u00e9\\n\"\n}",
		`{"name": "x"}]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, ps := checkParse(t, data)
		if Detect(data) != FormatJSON {
			return
		}
		valid := json.Valid(data)
		if !valid && sc != nil {
			t.Fatalf("accepted invalid JSON %q", data)
		}
		if valid {
			for _, p := range ps {
				for _, syntax := range []string{"invalid JSON", "unexpected end of JSON", "unterminated", "unexpected data after"} {
					if strings.HasPrefix(p.Msg, syntax) {
						t.Fatalf("valid JSON %q got a syntax problem: %v", data, p)
					}
				}
			}
		}
	})
}

// FuzzParseBDMCSV focuses on BDM CSV files. Beyond checkParse, an accepted
// file has one issue spanning the positions and a salience scale of 1 or
// 100 chosen by the largest salience.
func FuzzParseBDMCSV(f *testing.F) {
	for _, s := range []string{
		emissionCSV,
		"\ufeffSalience,Position,Actor,Capability\r\n80,4,NL,0.08\r\n40,7,BE,0.08\r\n",
		"# c\n\nactor,capability,position,salience\n\"a, b\",1,2,0.5\n\nc,1,3,0.5\n# end\n",
		"actor,capability,position,salience\na,1,5,1\nb,1,5,1\n",
		"actor,capability,position,salience,x\na,1,5,100,y\nb,0,5,0\n",
		"actor,capability,position,salience\na,1,2\n",
		"actor,capability,position,salience\na,1,2,3\"\n",
		"actor,capability,position,salience\na,x,2,3\n",
		"actor,capability,position,salience\n   \na,1,2,3\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, _ := checkParse(t, data)
		if sc == nil || Detect(data) != FormatBDMCSV {
			return
		}
		if len(sc.Issues) != 1 || sc.Issues[0].ID != "issue" {
			t.Fatalf("issues %+v", sc.Issues)
		}
		lo, hi, smax := math.Inf(1), math.Inf(-1), 0.0
		for _, a := range sc.Actors {
			st := a.Stances["issue"]
			lo, hi = min(lo, st.Position.Value), max(hi, st.Position.Value)
			smax = max(smax, st.Salience.Value)
		}
		is := sc.Issues[0]
		if lo < hi && (is.Min != lo || is.Max != hi) || lo == hi && (is.Min != lo-1 || is.Max != hi+1) {
			t.Errorf("positions %v to %v, issue scale %v to %v", lo, hi, is.Min, is.Max)
		}
		if want := map[bool]float64{true: 1, false: 100}[smax <= 1]; sc.SalienceScale != want {
			t.Errorf("largest salience %v, scale %v", smax, sc.SalienceScale)
		}
	})
}

// TestFuzzSeeds runs the broken seeds through the properties in normal test
// runs and checks that each really fails.
func TestFuzzSeeds(t *testing.T) {
	for _, s := range brokenSeeds {
		if sc, _ := checkParse(t, []byte(s)); sc != nil {
			t.Errorf("broken seed %q parsed", s)
		}
	}
	for _, s := range validSeeds {
		if sc, _ := checkParse(t, []byte(s)); sc == nil {
			t.Errorf("valid seed did not parse:\n%s", s)
		}
	}
	if n := lineCount([]byte("a\r\nb\rc\nd\u2028e")); n != 5 {
		t.Errorf("lineCount = %d, want 5", n)
	}
}
