package scenario

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"reflect"
	"strings"
	"testing"
)

// decideSample is a small Decide file in Decide's own layout.
const decideSample = `'#A'	'NL'	'Netherlands'	''
'#A'	'BE'	'Belgium'	'a note'
'#/'	'a comment row'
'#P'	'toll'	'City toll'	'Should the centre charge a toll?'
'#M'	'toll'	0	'No toll'
'#M'	'toll'	100	'Full toll'
'#P'	'height'	'height'	'height'
'#M'	'height'	0.5
'#M'	'height'	7
'#D'	'NL'	'toll'	100.0	0.95	1.0
'#D'	'NL'	'height'	3.0	0.7	1.0
'#D'	'BE'	'toll'	25	0.5	0.4	'extra'	'comment'
'#D'	'BE'	'height'	7	0.6	0.4
`

func TestDecideParse(t *testing.T) {
	sc := mustParse(t, decideSample, "dir/city.txt")
	if Detect([]byte(decideSample)) != FormatDecide || sc.Name != "city" {
		t.Fatalf("format %s, name %q", Detect([]byte(decideSample)), sc.Name)
	}
	want := &Scenario{
		Name: "city", SalienceScale: 1, File: "dir/city.txt",
		Issues: []Issue{
			{ID: "toll", Name: "City toll", Description: "Should the centre charge a toll?", Min: 0, Max: 100,
				Anchors: []Anchor{{0, "No toll"}, {100, "Full toll"}}},
			{ID: "height", Min: 0.5, Max: 7},
		},
		Actors: []Actor{
			{ID: "NL", Name: "Netherlands", Capability: N(1), Stances: map[string]Stance{
				"toll": {Position: N(100), Salience: N(0.95)}, "height": {Position: N(3), Salience: N(0.7)}}},
			{ID: "BE", Name: "Belgium", Capability: N(0.4), Stances: map[string]Stance{
				"toll": {Position: N(25), Salience: N(0.5)}, "height": {Position: N(7), Salience: N(0.6)}}},
		},
	}
	if !reflect.DeepEqual(sc, want) {
		t.Errorf("got  %+v\nwant %+v", sc, want)
	}
}

// TestDecideDelimiters: the same data with every delimiter and quote
// Decide's reader accepts gives the same scenario.
func TestDecideDelimiters(t *testing.T) {
	base := mustParse(t, decideSample, "x.txt")
	for name, conv := range map[string]func(string) string{
		"comma":         func(s string) string { return strings.ReplaceAll(s, "\t", ",") },
		"semicolon":     func(s string) string { return strings.ReplaceAll(s, "\t", ";") },
		"pipe":          func(s string) string { return strings.ReplaceAll(s, "\t", "|") },
		"quoted spaces": func(s string) string { return strings.ReplaceAll(s, "\t", "  ") },
		"double quotes": func(s string) string { return strings.ReplaceAll(s, "'", `"`) },
		"crlf":          func(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") },
		"unquoted semicolons": func(s string) string {
			s = strings.ReplaceAll(s, "\t", ";")
			return strings.ReplaceAll(strings.ReplaceAll(s, "'", ""), "; ", ";")
		},
		"blank lines and bom": func(s string) string { return "\ufeff\n\n" + strings.ReplaceAll(s, "\n", "\n\n") },
	} {
		t.Run(name, func(t *testing.T) {
			data := conv(decideSample)
			if Detect([]byte(data)) != FormatDecide {
				t.Fatalf("not detected as Decide:\n%s", data)
			}
			sc := mustParse(t, data, "x.txt")
			if !reflect.DeepEqual(sc, base) {
				t.Errorf("got  %+v\nwant %+v", sc, base)
			}
		})
	}
}

// TestDecideNotDetected: YAML that starts with a comment is not Decide.
func TestDecideNotDetected(t *testing.T) {
	for _, s := range []string{"#A comment\nname: x\n", "#Author: me\nname: x\n", "#/ note\nname: x\n", "# D\tx\n", "#0,x\n",
		"#/;a comment;\nname: x\n", "#O\ttitle\n#/\tnote\n", "#/;x\n#A,a,a\n", "#/;x\n#Author;me\n"} {
		if Detect([]byte(s)) == FormatDecide {
			t.Errorf("%q detected as Decide", s)
		}
	}
}

func TestDecideErrors(t *testing.T) {
	head := "'#A'\t'a'\t'a'\t''\n'#P'\t'p'\t'p'\t''\n" // lines 1–2
	for _, tc := range []struct {
		name, data string
		line       int
		field, msg string
	}{
		{"unknown actor", head + "'#D'\t'b'\t'p'\t1\t1\t1\n", 3, "#D field actor", `unknown actor "b"`},
		{"unknown issue", head + "'#D'\t'a'\t'q'\t1\t1\t1\n", 3, "#D field issue", `unknown issue "q"`},
		{"bad position", head + "'#D'\t'a'\t'p'\tx\t1\t1\n", 3, "#D field position", `"x" is not a finite number`},
		{"missing power", head + "'#D'\t'a'\t'p'\t1\t1\n", 3, "#D field power", "missing power"},
		{"position off scale", head + "'#M'\t'p'\t0\n'#M'\t'p'\t10\n'#D'\t'a'\t'p'\t11\t1\t1\n", 5, "#D field position", "outside the scale 0 to 10"},
		{"salience too high", head + "'#D'\t'a'\t'p'\t1\t120\t1\n", 3, "#D field salience", "outside the scale 0 to 100"},
		{"negative power", head + "'#D'\t'a'\t'p'\t1\t1\t-1\n", 3, "#D field power", "must not be negative"},
		{"negative power on an issue", head + "'#P'\t'q'\t'q'\t''\n'#D'\t'a'\t'p'\t1\t1\t1\n'#D'\t'a'\t'q'\t1\t1\t-0.5\n", 5, "#D field power", "capability must not be negative, got -0.5"},
		{"bad power on an issue", head + "'#P'\t'q'\t'q'\t''\n'#D'\t'a'\t'p'\t1\t1\t1\n'#D'\t'a'\t'q'\t1\t1\tinf\n", 5, "#D field power", `"inf" is not a finite number`},
		{"duplicate actor", head + "'#A'\t'a'\t'x'\t''\n'#D'\t'a'\t'p'\t1\t1\t1\n", 3, "#A field id", `duplicate actor "a"`},
		{"second row", head + "'#D'\t'a'\t'p'\t1\t1\t1\n'#D'\t'a'\t'p'\t2\t1\t1\n", 4, "#D field issue", "second #D row"},
		{"unknown tag", head + "'#X'\t'a'\n'#D'\t'a'\t'p'\t1\t1\t1\n", 3, "row type", `unknown row type "#X"`},
		{"one-point scale", head + "'#M'\t'p'\t5\n'#D'\t'a'\t'p'\t5\t1\t1\n", 2, "#P max", "must be greater than minimum"},
		{"open quote", head + "'#D'\t'a\n", 3, "", "never closed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.data), "in.txt")
			containsProblems(t, err, "in.txt", []want{{tc.line, tc.field, tc.msg}})
		})
	}
}

// TestDecideRoundTrip writes scenarios as Decide files and reads them
// back: everything the format holds survives (ids, names, issue
// descriptions, scales, anchors, positions, saliences relative to their
// scale and capabilities).
func TestDecideRoundTrip(t *testing.T) {
	for _, in := range []struct{ name, data string }{
		{"city.txt", decideSample},
		{"kosovo.yaml", positionsYAML},
		{"kosovo.json", baseJSON},
		{"emission.csv", emissionCSV},
		{"power.txt", "'#A'\t'a'\t'a'\t''\n'#A'\t'b'\t'b'\t''\n'#P'\t'p'\t'p'\t''\n'#P'\t'q'\t'q'\t''\n" +
			"'#D'\t'a'\t'p'\t10\t0.5\t2\n'#D'\t'a'\t'q'\t20\t0.5\t3.5\n'#D'\t'b'\t'p'\t90\t0.4\t1\n'#D'\t'b'\t'q'\t80\t0.6\t0\n"},
		{"capability.yaml", "name: c\nissues: [{id: p, min: 0, max: 10}, {id: q, min: 0, max: 10}]\nactors: [{id: a, capability: 5, stances: {p: {position: 1, salience: 50, capability: 7}, q: {position: 2, salience: 40}}}]\n"},
		{"quotes.yaml", "name: q\nissues: [{id: \"it's\", name: \"a\\tb 'c'\", description: \"two\\nlines\", min: -3, max: 2.5, anchors: [{value: -3, label: low}, {value: 0, label: mid}]}]\nactors: [{id: \"x;y,z\", capability: 250, stances: {\"it's\": {position: 1.25, salience: 33}}}]\n"},
	} {
		t.Run(in.name, func(t *testing.T) {
			sc := mustParse(t, in.data, in.name)
			var buf bytes.Buffer
			if err := WriteDecide(&buf, sc); err != nil {
				t.Fatal(err)
			}
			back := mustParse(t, buf.String(), in.name)
			if Detect(buf.Bytes()) != FormatDecide {
				t.Fatalf("written file not detected as Decide:\n%s", buf.String())
			}
			sameDecideContent(t, sc, back)
			// A second trip gives the same file.
			var again bytes.Buffer
			if err := WriteDecide(&again, back); err != nil {
				t.Fatal(err)
			}
			if again.String() != buf.String() {
				t.Errorf("second trip differs:\n%s\nvs\n%s", buf.String(), again.String())
			}
		})
	}
}

// sameDecideContent compares what a Decide file can hold.
func sameDecideContent(t *testing.T, a, b *Scenario) {
	t.Helper()
	if len(a.Issues) != len(b.Issues) || len(a.Actors) != len(b.Actors) {
		t.Fatalf("%v vs %v", a, b)
	}
	for i := range a.Issues {
		x, y := a.Issues[i], b.Issues[i]
		if x.ID != y.ID || x.DisplayName() != y.DisplayName() || x.Description != y.Description || x.Min != y.Min || x.Max != y.Max ||
			!reflect.DeepEqual(x.SortedAnchors(), y.SortedAnchors()) {
			t.Errorf("issue %+v became %+v", x, y)
		}
		sa, sb := a.Stakeholders(x.ID), b.Stakeholders(y.ID)
		if len(sa) != len(sb) {
			t.Fatalf("issue %s: %d stakeholders became %d", x.ID, len(sa), len(sb))
		}
		for k := range sa {
			p, q := sa[k], sb[k]
			if p.ID != q.ID || p.Name != q.Name || p.Capability != q.Capability || p.Position != q.Position || math.Abs(p.Salience-q.Salience) > 1e-15 {
				t.Errorf("issue %s: %+v became %+v", x.ID, p, q)
			}
		}
	}
}

// FuzzParseDecide feeds Decide-like input to Parse. Beyond checkParse, an
// accepted Decide file written back with WriteDecide reads the same.
func FuzzParseDecide(f *testing.F) {
	head := "'#A'\t'a'\t'a'\t''\n'#P'\t'p'\t'p'\t''\n"
	for _, s := range []string{
		decideSample,
		strings.ReplaceAll(decideSample, "\t", ";"),
		strings.ReplaceAll(strings.ReplaceAll(decideSample, "'", ""), "\t", ","),
		head + "'#D'\t'a'\t'p'\t1\t1\t1\n",
		head + "'#D'\t'a'\t'p'\t1\t1\n",
		head + "'#M'\t'p'\t'x'\n",
		"'#A'\t'a''b'\t'multi\nline'\t''\n'#P'\t'p'\t'p'\t''\n'#D'\t'a''b'\t'p'\t1\t1\t1\n",
		"'#A'\t'a\n",
		"#A;a;a\n#P;p\n#D;a;p;1e308;1;1\n",
		"#D|a|p|1|1|1\n#A|a\n#P|p\n",
		"#/;ID;Full name;;;\n#A;a;a;;;\n#A;b;b;;;\n#P;p;p;;;\n#P;q;q;;;\n#D;a;p;1;0.5;2\n#D;a;q;3;0.5;0.5\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, _ := checkParse(t, data)
		if sc == nil || Detect(data) != FormatDecide {
			return
		}
		var buf bytes.Buffer
		if err := WriteDecide(&buf, sc); err != nil {
			t.Fatal(err)
		}
		back, err := Parse(buf.Bytes(), fuzzFile)
		if err != nil {
			t.Fatalf("written file does not parse: %v\n%s", err, buf.String())
		}
		sameDecideContent(t, sc, back)
	})
}

// TestDecidePowerPerIssue: a #D row whose power differs from the actor's
// first row sets the actor's capability on that issue; the models see it
// through Stakeholders, WriteDecide writes each row's power back, and YAML
// keeps it.
func TestDecidePowerPerIssue(t *testing.T) {
	data := "'#A'\t'a'\t'a'\t''\n'#A'\t'b'\t'b'\t''\n'#P'\t'p'\t'p'\t''\n'#P'\t'q'\t'q'\t''\n" +
		"'#D'\t'a'\t'p'\t10\t0.5\t2\n'#D'\t'a'\t'q'\t20\t0.5\t3.5\n'#D'\t'b'\t'p'\t90\t0.4\t1\n'#D'\t'b'\t'q'\t80\t0.6\t1\n"
	sc := mustParse(t, data, "power.txt")
	a := sc.Actor("a")
	if !reflect.DeepEqual(a.Capability, N(2)) || a.Stances["p"].Capability.Set || !reflect.DeepEqual(a.Stances["q"].Capability, N(3.5)) {
		t.Fatalf("actor a: %+v", a)
	}
	if got := a.CapabilityOn("q"); got != 3.5 {
		t.Errorf("CapabilityOn(q) = %v", got)
	}
	if st := sc.Stakeholders("q"); st[0].Capability != 3.5 || st[1].Capability != 1 {
		t.Errorf("stakeholders of q: %+v", st)
	}
	if !sc.IssueCapabilities() {
		t.Error("IssueCapabilities() false")
	}
	var buf bytes.Buffer
	if err := WriteDecide(&buf, sc); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "'#D'\t'a'\t'q'\t20\t0.5\t3.5\n") || !strings.Contains(buf.String(), "'#D'\t'a'\t'p'\t10\t0.5\t2\n") {
		t.Errorf("written:\n%s", buf.String())
	}
	var y bytes.Buffer
	if err := WriteYAML(&y, sc); err != nil {
		t.Fatal(err)
	}
	back := mustParse(t, y.String(), "power.yaml")
	if !reflect.DeepEqual(back.Stakeholders("q"), sc.Stakeholders("q")) || strings.Count(y.String(), "capability:") != 3 {
		t.Errorf("YAML round trip:\n%s", y.String())
	}
}

// TestDecideCommentFirstRow reads Decide's own "verkiezing 2012.csv",
// whose first row is an unquoted comment (#/;ID;Full name;;;) and whose
// actor 50+ has an #A row and no #D rows: detected as Decide, not BDM
// CSV, and read as Decide reads it, the idle actor left out with a
// warning at its #A row.
func TestDecideCommentFirstRow(t *testing.T) {
	data, err := os.ReadFile("../testdata/reference/decide/verkiezing-2012.csv")
	if err != nil {
		t.Fatal(err)
	}
	if f := Detect(data); f != FormatDecide {
		t.Fatalf("detected as %s", f)
	}
	sc := mustParse(t, string(data), "verkiezing.csv")
	if len(sc.Actors) != 10 || len(sc.Issues) != 11 || sc.Actor("50+") != nil || sc.Actor("SP").Capability.Value != 0.464159 {
		t.Fatalf("%v: actors %d, issues %d", sc, len(sc.Actors), len(sc.Issues))
	}
	if len(sc.Warnings) != 1 || !(want{12, "#A field id", `actor "50+" has no #D rows; left out`}).matches(sc.Warnings[0]) || sc.Warnings[0].File != "verkiezing.csv" {
		t.Errorf("warnings %v", sc.Warnings)
	}
	for _, s := range []string{
		"#O\tCopenhagen\t\t\n#/\tID\tname\n#A\ta\ta\n#P\tp\tp\n#D\ta\tp\t1\t1\t1\n",
		"#/;x;\n'#A';'a';'a'\n'#P';'p';'p'\n'#D';'a';'p';1;1;1\n",
		"\n#0|note\n#/|more\n\n#P|p\n#A|a\n#D|a|p|1|1|1\n",
	} {
		if f := Detect([]byte(s)); f != FormatDecide {
			t.Errorf("%q detected as %s", s, f)
			continue
		}
		if sc := mustParse(t, s, "x.txt"); len(sc.Actors) != 1 || sc.Stakeholders("p")[0].Position != 1 {
			t.Errorf("%q read as %+v", s, sc)
		}
	}
}

// TestDecideIdleActors: every actor without #D rows is left out with a
// warning naming its #A row; the rest are read.
func TestDecideIdleActors(t *testing.T) {
	data := "'#A'\t'x'\t'x'\t''\n'#A'\t'a'\t'a'\t''\n'#A'\t'y'\t'y'\t''\n'#P'\t'p'\t'p'\t''\n'#D'\t'a'\t'p'\t1\t1\t1\n"
	sc := mustParse(t, data, "idle.txt")
	if len(sc.Actors) != 1 || sc.Actors[0].ID != "a" || len(sc.Warnings) != 2 ||
		!(want{1, "#A field id", `actor "x" has no #D rows`}).matches(sc.Warnings[0]) || !(want{3, "#A field id", `actor "y"`}).matches(sc.Warnings[1]) {
		t.Errorf("actors %+v, warnings %v", sc.Actors, sc.Warnings)
	}
	// A problem after the idle actor is still found at its own line.
	_, err := Parse([]byte(data+"'#D'\t'a'\t'q'\t1\t1\t1\n"), "idle.txt")
	containsProblems(t, err, "idle.txt", []want{{6, "#D field issue", `unknown issue "q"`}})
	// A file without any #D row keeps its actors: validation says, at
	// each #A row, what is missing.
	_, err = Parse([]byte("'#A'\t'x'\t'x'\t''\n'#P'\t'p'\t'p'\t''\n"), "none.txt")
	containsProblems(t, err, "none.txt", []want{{1, "#A stances", "actor holds no position on any issue"}})
}

// TestFileEncodings: Decide's own files come as Excel and Windows wrote
// them (three of them in Windows-1252, one in UTF-16 with a byte-order
// mark, some with a UTF-8 one or CRLF line ends). Each encoding of the
// same Decide file, and of a BDM and a KTAB CSV file, reads as the UTF-8
// file does, with its accents and quotation marks; a file read as Windows-1252 says
// so, naming the first line that is not UTF-8.
func TestFileEncodings(t *testing.T) {
	const decide = "#O;Cop21: the \u201cParis\u201d talks;;;\n#/;ID;Full name;;;\n#A;EU28;Union europ\u00e9enne;;;\n#A;USA;USA;;;\n" +
		"#P;legal;Binding?;;;\n#M;legal;0;none of the Convention\u2019s annexes;\n#M;legal;100;binding;\n" +
		"#D;EU28;legal;80;0,8;1;\n#D;USA;legal;20;0.9;1;\n"
	const bdm = "Actor,Capability,Position,Salience\nM\u00fcller,10,40,80\nC\u00f4te d\u2019Ivoire,5,60,50\n"
	const ktab = "Caf\u00e9 \u201cPolicy\u201d; scen 2,Scenario-0002;Combined, 2, 1, \nActor,Description,Influence,Policy Position,Policy Salience, \n" +
		"XJ,Xi Jinping,100,30,24, \nMu,M\u00fcller\u2019s party,60,45,44, \n"
	cp1252 := strings.NewReplacer("\u201c", "\x93", "\u201d", "\x94", "\u2019", "\x92", "\u00e9", "\xe9", "\u00fc", "\xfc", "\u00f4", "\xf4")
	utf16 := func(s string, big bool) string {
		var b []byte
		if big {
			b = append(b, 0xfe, 0xff)
		} else {
			b = append(b, 0xff, 0xfe)
		}
		for _, r := range s {
			if big {
				b = append(b, byte(r>>8), byte(r))
			} else {
				b = append(b, byte(r), byte(r>>8))
			}
		}
		return string(b)
	}
	crlf := func(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }
	for _, base := range []struct {
		name, text, format string
		line               int // the first line that is not ASCII
	}{{"decide", strings.Replace(decide, "0,8", "0.8", 1), FormatDecide, 1}, {"bdm", bdm, FormatBDMCSV, 2}, {"ktab", ktab, FormatKTAB, 1}} {
		want := mustParse(t, base.text, base.name+".csv")
		for _, enc := range []struct {
			name, data string
			warn       bool
		}{
			{"utf-8 bom crlf", "\ufeff" + crlf(base.text), false},
			{"windows-1252", cp1252.Replace(base.text), true},
			{"windows-1252 crlf", crlf(cp1252.Replace(base.text)), true},
			{"utf-16le", utf16(crlf(base.text), false), false},
			{"utf-16be", utf16(base.text, true), false},
		} {
			t.Run(base.name+"/"+enc.name, func(t *testing.T) {
				if got := Detect([]byte(enc.data)); got != base.format {
					t.Fatalf("detected as %s", got)
				}
				sc, err := Parse([]byte(enc.data), base.name+".csv")
				if err != nil {
					t.Fatal(err)
				}
				var warns Problems
				sc.Warnings, warns = want.Warnings, sc.Warnings
				if !reflect.DeepEqual(sc, want) {
					t.Errorf("read as\n%+v\nwant\n%+v", sc, want)
				}
				if enc.warn != (len(warns) == 1) {
					t.Fatalf("warnings %v", warns)
				}
				if enc.warn && !strings.Contains(warns[0].String(), fmt.Sprintf("%s.csv:%d: not UTF-8: read as Windows-1252", base.name, base.line)) {
					t.Errorf("warning %q", warns[0])
				}
			})
		}
	}
}
