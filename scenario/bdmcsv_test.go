package scenario

import (
	"errors"
	"io/fs"
	"math"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// emissionCSV is the EU car-emission case of Bueno de Mesquita (1994) as
// tabulated by Scholz, Calbert & Smith (2011, Table 1); a copy of
// reference/eum/emission.csv.
const emissionCSV = `Actor,Capability,Position,Salience
Netherlands,0.08,4,0.8
Belgium,0.08,7,0.4
Luxembourg,0.03,4,0.2
Germany,0.16,4,0.8
France,0.16,10,0.6
Italy,0.16,10,0.6
UK,0.16,10,0.9
Ireland,0.05,7,0.1
Denmark,0.05,4,1.0
Greece,0.08,7,0.7
`

// emissionRows is emissionCSV as actor, capability, position, salience.
var emissionRows = []struct {
	actor         string
	cap, pos, sal float64
}{
	{"Netherlands", 0.08, 4, 0.8},
	{"Belgium", 0.08, 7, 0.4},
	{"Luxembourg", 0.03, 4, 0.2},
	{"Germany", 0.16, 4, 0.8},
	{"France", 0.16, 10, 0.6},
	{"Italy", 0.16, 10, 0.6},
	{"UK", 0.16, 10, 0.9},
	{"Ireland", 0.05, 7, 0.1},
	{"Denmark", 0.05, 4, 1.0},
	{"Greece", 0.08, 7, 0.7},
}

// emissionScenario is what emissionCSV parses to; salScale multiplies the
// saliences (1 or 100).
func emissionScenario(name string, salScale float64) *Scenario {
	sc := &Scenario{
		Name:          name,
		SalienceScale: salScale,
		Issues:        []Issue{{ID: "issue", Name: name, Min: 4, Max: 10}},
	}
	for _, r := range emissionRows {
		sc.Actors = append(sc.Actors, Actor{
			ID: r.actor, Name: r.actor, Capability: N(r.cap),
			Stances: map[string]Stance{"issue": {Position: N(r.pos), Salience: N(r.sal * salScale)}},
		})
	}
	return sc
}

func TestParseBDMCSVEmission(t *testing.T) {
	sc := mustParse(t, emissionCSV, "data/emission.csv")
	want := emissionScenario("emission", 1)
	want.File = "data/emission.csv"
	if !reflect.DeepEqual(sc, want) {
		t.Fatalf("got\n%+v\nwant\n%+v", sc, want)
	}
	if sc.SalienceMax() != 1 {
		t.Errorf("SalienceMax = %v, want 1", sc.SalienceMax())
	}
	// The capability × salience weighted mean position of round 0 is 7.39
	// (GUIDE §5; Scholz et al. 2011): 5.003 / 0.677.
	var num, den float64
	for _, s := range sc.Stakeholders("issue") {
		num += s.Capability * s.Salience * s.Position
		den += s.Capability * s.Salience
	}
	if mean := num / den; math.Abs(mean-5.003/0.677) > 1e-12 || math.Round(mean*100) != 739 {
		t.Errorf("weighted mean = %v, want 5.003/0.677 = 7.39", mean)
	}
}

func TestParseBDMCSVSalienceScale(t *testing.T) {
	var pct strings.Builder
	pct.WriteString("Actor,Capability,Position,Salience\n")
	for _, r := range emissionRows {
		pct.WriteString(r.actor + "," + ftoa(r.cap) + "," + ftoa(r.pos) + "," + ftoa(math.Round(r.sal*100)) + "\n")
	}
	tests := []struct {
		name      string
		data      string
		wantScale float64
		wantSal   []float64 // normalised, per actor
	}{
		{"0-1", emissionCSV, 1, nil},
		{"0-100", pct.String(), 100, nil},
		// Detection is by the largest value: 1 and below is 0–1.
		{"exactly 1", "actor,capability,position,salience\na,1,1,1\nb,1,2,0\n", 1, []float64{1, 0}},
		{"just above 1", "actor,capability,position,salience\na,1,1,1.5\nb,1,2,0.5\n", 100, []float64{0.015, 0.005}},
		{"all zero but one 100", "actor,capability,position,salience\na,1,1,100\nb,1,2,0\n", 100, []float64{1, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := mustParse(t, tt.data, "s.csv")
			if sc.SalienceScale != tt.wantScale {
				t.Fatalf("SalienceScale = %v, want %v", sc.SalienceScale, tt.wantScale)
			}
			want := tt.wantSal
			if want == nil {
				for _, r := range emissionRows {
					want = append(want, r.sal)
				}
			}
			got := sc.Stakeholders("issue")
			if len(got) != len(want) {
				t.Fatalf("%d stakeholders, want %d", len(got), len(want))
			}
			for i, s := range got {
				if math.Abs(s.Salience-want[i]) > 1e-15 {
					t.Errorf("%s: salience %v, want %v", s.ID, s.Salience, want[i])
				}
			}
		})
	}
}

func ftoa(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// TestParseBDMCSVLayout checks that the header may name the columns in any
// order and case, that blank lines, comments, a byte-order mark, CRLF line
// ends, quoted fields and extra columns are all accepted.
func TestParseBDMCSVLayout(t *testing.T) {
	reorder := "SALIENCE, Position ,actor,CAPABILITY\n"
	for _, r := range emissionRows {
		reorder += ftoa(r.sal) + "," + ftoa(r.pos) + "," + r.actor + "," + ftoa(r.cap) + "\n"
	}
	withComments := "# EU car-emission case\n\n" +
		strings.Replace(emissionCSV, "Germany", "\n# the big four\nGermany", 1) + "\n\n# end\n"
	quoted := strings.Replace(strings.Replace(emissionCSV, "Actor,Capability", `"Actor","Capability"`, 1),
		"UK,", `"UK",`, 1)
	extra := strings.Replace(strings.ReplaceAll(emissionCSV, "\n", ",x\n"), "Salience,x", "Salience,Region", 1)
	tests := []struct{ name, data string }{
		{"reordered columns", reorder},
		{"comments and blank lines", withComments},
		{"byte-order mark", "\ufeff" + emissionCSV},
		{"CRLF", strings.ReplaceAll(emissionCSV, "\n", "\r\n")},
		{"no final newline", strings.TrimSuffix(emissionCSV, "\n")},
		{"quoted fields", quoted},
		{"spaces after commas", strings.ReplaceAll(emissionCSV, ",", ", ")},
		{"extra column", extra},
	}
	want := emissionScenario("emission", 1)
	want.File = "emission.csv"
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Detect([]byte(tt.data)); got != FormatBDMCSV {
				t.Fatalf("Detect = %q, want %q", got, FormatBDMCSV)
			}
			sc := mustParse(t, tt.data, "emission.csv")
			if !reflect.DeepEqual(sc, want) {
				t.Errorf("got\n%+v\nwant\n%+v", sc, want)
			}
		})
	}
}

// TestParseBDMCSVName checks the scenario name taken from the file name.
func TestParseBDMCSVName(t *testing.T) {
	for file, want := range map[string]string{
		"":                   "bdm",
		"emission.csv":       "emission",
		"/data/eu.1994.csv":  "eu.1994",
		"dir/noext":          "noext",
		`c:\cases\case.csv`:  `c:\cases\case`, // not a path separator on Unix
		"/data/.hidden.csv":  ".hidden",
		"emission.tar.csv":   "emission.tar",
		"dir/with space.csv": "with space",
	} {
		sc := mustParse(t, emissionCSV, file)
		if sc.Name != want || sc.Issues[0].Name != want {
			t.Errorf("file %q: name %q, issue name %q; want %q", file, sc.Name, sc.Issues[0].Name, want)
		}
		if sc.File != file {
			t.Errorf("file %q: File = %q", file, sc.File)
		}
	}
}

// TestParseBDMCSVIssueScale checks the issue scale taken from the range of
// the positions.
func TestParseBDMCSVIssueScale(t *testing.T) {
	tests := []struct {
		data     string
		min, max float64
	}{
		{"actor,capability,position,salience\na,1,-3.5,1\nb,1,12,1\nc,1,0,1\n", -3.5, 12},
		{"actor,capability,position,salience\na,1,5,1\nb,1,5,1\n", 4, 6}, // one point: widened by 1 each way
		{"actor,capability,position,salience\na,1,0,1\n", -1, 1},
	}
	for _, tt := range tests {
		sc := mustParse(t, tt.data, "x.csv")
		if is := sc.Issues[0]; is.Min != tt.min || is.Max != tt.max {
			t.Errorf("%q: scale %v to %v, want %v to %v", tt.data, is.Min, is.Max, tt.min, tt.max)
		}
	}
}

func TestParseBDMCSVProblems(t *testing.T) {
	const head = "actor,capability,position,salience\na,1,3,0.5\nb,2,5,0.5\n" // rows 1 and 2 on lines 2 and 3
	tests := []struct {
		name  string
		data  string
		want  []want
		exact bool // want lists every problem
	}{
		{"non-numeric salience", head + "c,1,4,high\n",
			[]want{{4, "row 3, column salience", `"high" is not a number`}}, false},
		{"non-numeric capability", head + "c,lots,4,0.5\n",
			[]want{{4, "row 3, column capability", `"lots" is not a number`}}, false},
		{"missing position", head + "c,1,,0.5\n",
			[]want{{4, "row 3, column position", "missing position"}}, false},
		{"short row", head + "c,1,4\n",
			[]want{{4, "row 3, column salience", "missing salience"}}, false},
		{"bare quote", head + "c,1,4\"x,0.5\n",
			[]want{{4, "", `bare " in non-quoted-field`}}, true},
		{"quote in quoted field", head + "\"c\"x,1,4,0.5\n",
			[]want{{4, "", `extraneous or missing " in quoted-field`}}, true},
		{"negative capability", head + "c,-1,4,0.5\n",
			[]want{{4, "row 3, column capability", "capability must not be negative, got -1"}}, true},
		{"salience above 100", head + "c,1,4,150\n",
			[]want{{4, "row 3, column salience", "salience 150 is outside the scale 0 to 100"}}, true},
		{"negative salience", head + "c,1,4,-0.5\n",
			[]want{{4, "row 3, column salience", "salience -0.5 is outside the scale 0 to 1"}}, true},
		{"infinite capability", head + "c,Inf,4,0.5\n",
			[]want{{4, "row 3, column capability", "capability must be a finite number, got +Inf"}}, true},
		{"NaN position", head + "c,1,NaN,0.5\n",
			[]want{{4, "row 3, column position", "position must be a finite number, got NaN"}}, true},
		{"missing actor", head + ",1,4,0.5\n",
			[]want{{4, "row 3, column actor", "missing actor id"}}, true},
		{"duplicate actor", head + "a,1,4,0.5\n",
			[]want{{4, "row 3, column actor", `duplicate actor id "a"`}}, true},
		{"line numbers count comments and blank lines", "# case\nactor,capability,position,salience\n\n# rows\na,1,3,0.5\nb,-2,5,0.5\n",
			[]want{{6, "row 2, column capability", "capability must not be negative, got -2"}}, true},
		{"problems on several rows", head + "c,-1,4,0.5\nd,1,4,101\n",
			[]want{
				{4, "row 3, column capability", "capability must not be negative, got -1"},
				{5, "row 4, column salience", "salience 101 is outside the scale 0 to 100"},
			}, true},
		{"header only", "actor,capability,position,salience\n",
			[]want{
				{1, "actors", "no actors"},
				{1, "issues[0]", `no actor holds a position on issue "issue"`},
			}, true},
		{"zero capabilities", "actor,capability,position,salience\na,0,3,0.5\nb,0,5,0.5\n",
			[]want{{1, "issues[0]", `every actor on issue "issue" has zero capability or zero salience`}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Detect([]byte(tt.data)); got != FormatBDMCSV {
				t.Fatalf("Detect = %q, want %q", got, FormatBDMCSV)
			}
			sc, err := Parse([]byte(tt.data), "case.csv")
			if sc != nil {
				t.Errorf("Parse returned a scenario along with problems")
			}
			if tt.exact {
				checkProblems(t, err, "case.csv", tt.want)
			} else {
				containsProblems(t, err, "case.csv", tt.want)
			}
		})
	}
}

// TestParseBDMCSVMissingColumn checks the header check of the CSV reader.
// Parse never gets there for such a file, since Detect does not take a
// header without the four columns for BDM CSV.
func TestParseBDMCSVMissingColumn(t *testing.T) {
	tests := []struct {
		data string
		want Problems
	}{
		{"actor,capability,position\na,1,2\n", Problems{{Line: 1, Field: "header", Msg: `missing column "salience"`}}},
		{"# c\nname,capability,position,weight\n", Problems{
			{Line: 2, Field: "header", Msg: `missing column "actor"`},
			{Line: 2, Field: "header", Msg: `missing column "salience"`},
		}},
	}
	for _, tt := range tests {
		sc, _, ps := parseBDMCSV([]byte(tt.data), "x", DefaultLimits)
		if sc != nil {
			t.Errorf("%q: got a scenario", tt.data)
		}
		if !reflect.DeepEqual(ps, tt.want) {
			t.Errorf("%q: problems %#v, want %#v", tt.data, ps, tt.want)
		}
	}
}

func TestDetect(t *testing.T) {
	tests := []struct {
		name, data, want string
	}{
		{"JSON object", `{"name": "x"}`, FormatJSON},
		{"JSON array", "  [1, 2]", FormatJSON},
		{"JSON after blank lines", "\n\n\t{\n}", FormatJSON},
		{"JSON with byte-order mark", "\ufeff{}", FormatJSON},
		{"YAML", "name: x\nissues: []\n", FormatYAML},
		{"YAML with comment", "# kosovo\nname: x\n", FormatYAML},
		{"YAML document marker", "---\nname: x\n", FormatYAML},
		{"YAML list", "- a\n", FormatYAML},
		{"empty", "", FormatYAML},
		{"blank", " \n\t\n", FormatYAML},
		{"BDM CSV", emissionCSV, FormatBDMCSV},
		{"BDM CSV lower case", "actor,capability,position,salience\n", FormatBDMCSV},
		{"BDM CSV any order", "Salience,Position,Capability,Actor\n", FormatBDMCSV},
		{"BDM CSV quoted header", `"Actor","Capability","Position","Salience"`, FormatBDMCSV},
		{"BDM CSV after comments", "# EU\n\n# 1994\nactor,capability,position,salience\n", FormatBDMCSV},
		{"BDM CSV with byte-order mark", "\ufeffActor,Capability,Position,Salience\r\n", FormatBDMCSV},
		{"BDM CSV extra column", "actor,capability,position,salience,region\n", FormatBDMCSV},
		{"CSV without salience", "actor,capability,position\na,1,2\n", FormatBDMCSV},
		{"CSV with another column", "actor,capability,position,weight\n", FormatBDMCSV},
		{"CSV without an actor column", "name,capability,position,salience\n", FormatYAML},
		{"CSV with semicolons", "actor;capability;position;salience\n", FormatYAML},
		{"CSV header not first", "name: x\nactor,capability,position,salience\n", FormatYAML},
		{"KTAB-like CSV", "Scenario,Description,3,1\n", FormatYAML},
	}
	for _, tt := range tests {
		if got := Detect([]byte(tt.data)); got != tt.want {
			t.Errorf("%s: Detect(%q) = %q, want %q", tt.name, tt.data, got, tt.want)
		}
	}
}

// TestLoad reads the files in testdata, which must match the constants the
// other tests use.
func TestLoad(t *testing.T) {
	for path, text := range map[string]string{
		"testdata/emission.csv": emissionCSV,
		"testdata/kosovo.yaml":  baseYAML,
		"testdata/kosovo.json":  baseJSON,
	} {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if string(data) != text {
			t.Errorf("%s differs from the constant the tests use", path)
		}
		sc, err := Load(path)
		if err != nil {
			t.Fatalf("Load(%s): %v", path, err)
		}
		if sc.File != path {
			t.Errorf("Load(%s): File = %q", path, sc.File)
		}
	}
	sc, err := Load("testdata/emission.csv")
	if err != nil || sc.Name != "emission" || len(sc.Actors) != 10 {
		t.Errorf("Load(emission.csv) = %v, %v; want the 10 actors of emission", sc, err)
	}

	_, err = Load("testdata/no-such-file.yaml")
	if !errors.Is(err, fs.ErrNotExist) || !strings.HasPrefix(err.Error(), "reading scenario: ") {
		t.Errorf("Load of a missing file: error %v, want a wrapped fs.ErrNotExist", err)
	}
}
