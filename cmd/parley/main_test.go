package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/parley-project/parley/result"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// parley runs the command line in-process and returns its exit status,
// standard output and standard error.
func parley(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := execute(args, &out, &errb)
	return code, out.String(), errb.String()
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/parley -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (go test ./cmd/parley -update rewrites it):\n%s", path, got)
	}
}

// goldenCase is a command whose standard output must equal a golden file.
type goldenCase struct {
	name string
	args []string
}

// runGolden runs each case as a subtest of t.
func runGolden(t *testing.T, cases []goldenCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { goldenCommand(t, c.name, c.args...) })
	}
}

// goldenCommand runs parley with args, requires exit status 0 and compares
// standard output with the golden file name.
func goldenCommand(t *testing.T, name string, args ...string) {
	t.Helper()
	code, out, errs := parley(args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	golden(t, name, out)
}

func TestGoldenOutputs(t *testing.T) {
	cases := []goldenCase{
		{"forecast-emission-eum.txt", []string{"forecast", "--model", "eum", "--moves", "emission-1994"}},
		{"forecast-emission-paper.txt", []string{"forecast", "--model", "eum", "--variant", "paper", "emission-1994"}},
		{"forecast-emission-mean.txt", []string{"forecast", "--model", "mean", "emission-1994"}},
		{"forecast-kosovo-eum.txt", []string{"forecast"}},
		{"forecast-kosovo-mean.txt", []string{"forecast", "--model", "mean", "kosovo-2007"}},
		{"show-kosovo.txt", []string{"show", "kosovo-2007"}},
		{"forecast-kosovo-exchange.txt", []string{"forecast", "--model", "exchange", "--rounds", "2", "kosovo-2007"}},
		{"forecast-emission-eum.json", []string{"forecast", "--json", "--rounds", "3", "emission-1994"}},
		{"show-emission.txt", []string{"show", "emission-1994"}},
		{"models.txt", []string{"models"}},
		{"import-soe.yaml", []string{"import", "testdata/SOE-Pol-Comp.csv"}},
		{"export-emission-ktab.csv", []string{"export", "--format", "ktab", "emission-1994"}},
		{"export-emission-ktab.xml", []string{"export", "--format", "ktab-xml", "emission-1994"}},
		{"export-emission-bdm.csv", []string{"export", "--format", "bdm", "emission-1994"}},
		{"export-soe-bdm.csv", []string{"export", "--format", "bdm", "--issue", "competitive-position", "testdata/SOE-Pol-Comp.csv"}},
		{"forecast-decide-exchange.txt", []string{"forecast", "--model", "exchange", "--rounds", "2", "testdata/decide-sample.txt"}},
		{"forecast-decide-exchange.json", []string{"forecast", "--model", "exchange", "--rounds", "1", "--json", "testdata/decide-sample.txt"}},
		{"forecast-decide-random.txt", []string{"forecast", "--model", "exchange", "--variant", "random-rate", "-p", "seed=3", "--rounds", "1", "testdata/decide-sample.txt"}},
		{"export-emission-decide.txt", []string{"export", "--format", "decide", "emission-1994"}},
		{"forecast-soe-smp.txt", []string{"forecast", "--model", "smp", "--moves", "testdata/SOE-Pol-Comp.csv"}},
	}
	runGolden(t, cases)
}

// TestForecastJSONContract checks the document of GUIDE §5 on the emission
// case: rounds[0] is the starting state, the forecast is the final median.
func TestForecastJSONContract(t *testing.T) {
	code, out, errs := parley("forecast", "--model", "eum", "--variant", "scholz", "--rounds", "10", "--json", "emission-1994")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc struct {
		Scenario, Model, Variant string
		Issues                   []struct {
			ID, Name string
			Forecast float64
			Rounds   []struct {
				Round                  int
				Forecast, Median, Mean float64
				Positions              map[string]float64
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Scenario != "emission-1994" || doc.Model != "eum" || doc.Variant != "scholz" || len(doc.Issues) != 1 {
		t.Fatalf("header: %+v", doc)
	}
	is := doc.Issues[0]
	if len(is.Rounds) != 11 {
		t.Fatalf("%d rounds, want 11", len(is.Rounds))
	}
	r0 := is.Rounds[0]
	if r0.Round != 0 || r0.Median != 7 || math.Abs(r0.Mean-7.389955686853767) > 1e-12 || r0.Positions["Netherlands"] != 4 || r0.Positions["Belgium"] != 7 {
		t.Errorf("round 0: %+v", r0)
	}
	if got := is.Rounds[1].Median; math.Abs(got-8.415932315426764) > 1e-9 {
		t.Errorf("round 1 median %v", got)
	}
	if is.Forecast != is.Rounds[10].Forecast || is.Forecast != 7 {
		t.Errorf("forecast %v, final round %v", is.Forecast, is.Rounds[10].Forecast)
	}
}

func TestForecastStopRule(t *testing.T) {
	code, out, _ := parley("forecast", "--json", "--rounds", "50", "--stable", "2", "--epsilon", "0.001", "kosovo-2007")
	if code != 0 {
		t.Fatal(code)
	}
	var doc struct {
		Issues []struct {
			Stopped string
			Rounds  []json.RawMessage
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if is := doc.Issues[0]; is.Stopped != "fixed" || len(is.Rounds) != 3 {
		t.Errorf("stopped %q after %d rounds, want fixed after 2", is.Stopped, len(is.Rounds)-1)
	}
}

// TestForecastInterval checks the interval beside each forecast: the same
// seed gives the same bytes whatever the workers, a different seed other
// numbers, and each interval holds its median.
func TestForecastInterval(t *testing.T) {
	var outs []string
	for _, w := range []string{"1", "2", "3"} {
		code, out, errs := parley("forecast", "--no-store", "--json", "--interval", "--draws", "60", "--seed", "4", "--workers", w, "kosovo-2007")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		outs = append(outs, out)
	}
	if outs[0] != outs[1] || outs[0] != outs[2] {
		t.Error("--workers changed the output")
	}
	var doc result.Result
	if err := json.Unmarshal([]byte(outs[0]), &doc); err != nil {
		t.Fatal(err)
	}
	for _, is := range doc.Issues {
		iv := is.Interval
		if iv == nil || iv.Draws != 60 || iv.Seed != 4 || !(iv.P05 <= iv.P50 && iv.P50 <= iv.P95) || iv.P05 == iv.P95 {
			t.Errorf("%s: interval %+v", is.ID, iv)
		}
		if is.Settlement == nil {
			t.Errorf("%s: no settlement", is.ID)
		}
	}
	_, other, _ := parley("forecast", "--no-store", "--json", "--interval", "--draws", "60", "--seed", "5", "kosovo-2007")
	if other == outs[0] {
		t.Error("--seed 5 gave the bytes of --seed 4")
	}
	// The table shows the interval in the summary and under each issue.
	_, table, _ := parley("forecast", "--no-store", "--interval", "--draws", "60", "--seed", "4", "kosovo-2007")
	for _, want := range []string{"90% interval", "Interval: 5–95%:", "(60 draws, seed 4)"} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q", want)
		}
	}
}

func TestErrorsExitTwoAndWriteNothing(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("name: x\nissues:\n  - {id: a, min: 0, max: 10}\nactors:\n  - id: p\n    capability: -1\n    stances: {a: {position: 11, salience: 50}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Numbers whose own uncertainty cannot be used (issue 14).
	spread := filepath.Join(dir, "spread.yaml")
	if err := os.WriteFile(spread, []byte("name: x\nissues:\n  - {id: a, min: 0, max: 10}\nactors:\n  - id: p\n    capability: {value: 1, sd: -1}\n    stances:\n      a:\n        position: {value: 5, range: [6, 4]}\n        salience: {value: 50, range: [40, 120]}\n  - id: q\n    capability: {value: 1, sd: .nan}\n    stances: {a: {position: 5, salience: 50}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.json")
	svg := filepath.Join(dir, "out.svg")
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"forecast", "-o", out, bad}, []string{"bad.yaml:6: actors[0].capability: capability must not be negative", "bad.yaml:7: actors[0].stances.a.position: position 11 is outside the scale 0 to 10", "2 problems found"}},
		{[]string{"validate", bad}, []string{"bad.yaml:6:", "bad.yaml:7:"}},
		{[]string{"forecast", "--model", "nosuch", "-o", out}, []string{`unknown model "nosuch"`}},
		{[]string{"forecast", "--variant", "nosuch", "-o", out}, []string{`no variant "nosuch"`}},
		{[]string{"forecast", "-p", "zz=1", "-o", out}, []string{`no parameter "zz"`}},
		{[]string{"forecast", "-p", "q", "-o", out}, []string{`--param "q": want NAME=VALUE`}},
		{[]string{"forecast", "-p", "q=2", "-o", out}, []string{`parameter q: 2 is not allowed (want a number from 0 to 1)`}},
		{[]string{"forecast", "-m", "smp", "-p", "voting_rule=majority", "-o", out}, []string{`parameter voting_rule: "majority" is not allowed (want one of Binary (0), PropBin (1, proportional-binary), Prop (2, proportional)`}},
		{[]string{"forecast", "-m", "exchange", "-p", "exact=maybe", "-o", out}, []string{`parameter exact: "maybe" is not allowed (want true or false)`}},
		{[]string{"forecast", "-m", "exchange", "-p", "seed=1.5", "-o", out}, []string{`parameter seed: 1.5 is not allowed (want a whole number from 0 to 2^53)`}},
		{[]string{"sweep", "-m", "exchange", "--param-dist", "exact=uniform(0,1)", "--no-store", "-o", out}, []string{`cannot draw parameter exact: it is a bool; only float parameters take a distribution`}},
		{[]string{"forecast", "--rounds", "-3", "-o", out}, []string{`rounds: -3 is outside 0 to 10000 (0 means the model`}},
		{[]string{"forecast", "--rounds", "10001", "-o", out}, []string{`rounds: 10001 is outside 0 to 10000`}},
		{[]string{"forecast", "--rounds", "x"}, []string{`invalid argument "x"`}},
		{[]string{"forecast", "--stable", "0", "-o", out}, []string{`--stable 0: want a number of rounds of 1 or more`}},
		{[]string{"forecast", "--stable", "-2", "-o", out}, []string{`--stable -2: want a number of rounds of 1 or more`}},
		{[]string{"forecast", "--stable", "2", "--epsilon", "-1", "-o", out}, []string{`--epsilon -1: want a finite number of 0 or more`}},
		{[]string{"forecast", "--interval", "--draws", "-5", "-o", out}, []string{`--draws -5: want a positive number up to 1000000`}},
		{[]string{"forecast", "--interval", "--draws", "0", "-o", out}, []string{`--draws 0: want a positive number up to 1000000`}},
		{[]string{"forecast", "--draws", "50", "-o", out}, []string{`--draws 50: draws and seed set the forecast's interval, which was not asked for (add --interval)`}},
		{[]string{"forecast", "--seed", "9", "-o", out}, []string{`--seed 9: draws and seed set the forecast's interval, which was not asked for (add --interval)`}},
		{[]string{"forecast", "--interval", "--draws", "1000001", "-o", out}, []string{`--draws 1000001: want a positive number up to 1000000`}},
		{[]string{"forecast", "--interval", "--seed", "-1", "-o", out}, []string{`invalid argument "-1"`}},
		{[]string{"forecast", "no-such-scenario"}, []string{`no file and no built-in scenario named "no-such-scenario"`}},
		{[]string{"show", filepath.Join(dir, "missing-dir", "x.yaml")}, []string{`no file and no built-in scenario`}},
		// A wrong number of arguments is bad input too.
		{[]string{"forecast", "a", "b"}, []string{`accepts at most 1 arg(s), received 2`}},
		{[]string{"import"}, []string{`accepts 1 arg(s), received 0`}},
		{[]string{"validate"}, []string{`requires at least 1 arg(s)`}},
		{[]string{"export", "--format", "ktab", "a", "b"}, []string{`accepts at most 1 arg(s)`}},
		{[]string{"process", "a", "b"}, []string{`accepts at most 1 arg(s)`}},
		{[]string{"recognition", "a", "b"}, []string{`accepts at most 1 arg(s)`}},
		{[]string{"vote", "--list", "unsc"}, []string{`--list takes no BODY or SCENARIO`}},
		{[]string{"process", "--draws", "0"}, []string{`--draws 0: want a positive number`}},
		// Failing runs of the other commands leave neither -o nor --svg.
		{[]string{"import", bad, "-o", out}, []string{"bad.yaml:6:", "bad.yaml:7:"}},
		{[]string{"export", "--format", "ktab", bad, "-o", out}, []string{"bad.yaml:6:"}},
		{[]string{"export", "--format", "decide", "-o", out, "--issue", "status", "kosovo-2007", "x"}, []string{`accepts at most 1 arg(s)`}},
		{[]string{"vote", "unsc-2007", "--proposal", "5", "-o", out, bad}, []string{"bad.yaml:7:"}},
		{[]string{"process", "--json", "--svg", svg, "-o", out, bad}, []string{"bad.yaml:6:"}},
		{[]string{"process", "--svg", svg, "-o", out, "emission-1994"}, []string{"declares no process"}},
		{[]string{"recognition", "--svg", svg, "-o", out, bad}, []string{"bad.yaml:6:"}},
		{[]string{"recognition", "--svg", svg, "-o", out, "--draws", "0"}, []string{"--draws 0: want a positive number"}},
		{[]string{"recognition", "--svg", svg, "-o", out, "--start", "2008-02-30"}, []string{"--start"}},
		{[]string{"forecast", "--interval", "-o", out, spread}, []string{
			"spread.yaml:6: actors[0].capability.sd: sd must be a finite number of 0 or more, got -1",
			"spread.yaml:9: actors[0].stances.a.position.range: range low 6 is above its high 4",
			"spread.yaml:10: actors[0].stances.a.salience.range: range [40, 120] is outside the scale 0 to 100",
			"spread.yaml:12: actors[1].capability.sd: sd must be a finite number of 0 or more, got NaN"}},
		{[]string{"sweep", "-o", out, spread}, []string{"spread.yaml:9: actors[0].stances.a.position.range"}},
		{[]string{"sensitivity", "-o", out, spread}, []string{"spread.yaml:6: actors[0].capability.sd"}},
		// One of two outputs unwritable: neither is written.
		{[]string{"process", "--draws", "10", "--svg", svg, "-o", dir}, []string{"cannot write " + dir + ": it is a directory"}},
		{[]string{"recognition", "--draws", "10", "--svg", svg, "-o", filepath.Join(dir, "none", "x.json")}, []string{"no folder " + filepath.Join(dir, "none")}},
		{[]string{"recognition", "--draws", "10", "--svg", dir, "-o", out}, []string{"cannot write " + dir + ": it is a directory"}},
	}
	for _, c := range cases {
		code, stdout, stderr := parley(c.args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2 (stderr %q)", c.args, code, stderr)
		}
		if stdout != "" && c.args[0] != "validate" {
			t.Errorf("%v: wrote to stdout: %q", c.args, stdout)
		}
		for _, w := range c.want {
			if !strings.Contains(stderr, w) {
				t.Errorf("%v: stderr %q lacks %q", c.args, stderr, w)
			}
		}
		if _, err := os.Stat(out); err == nil {
			t.Fatalf("%v: wrote %s despite the error", c.args, out)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 { // bad.yaml and spread.yaml
		t.Errorf("stray files left in %s: %v", dir, entries)
	}
}

func TestOutputFileIsWrittenWhole(t *testing.T) {
	out := filepath.Join(t.TempDir(), "f.json")
	if code, _, errs := parley("forecast", "--json", "-o", out, "emission-1994"); code != 0 {
		t.Fatal(errs)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid(data) {
		t.Errorf("%s is not valid JSON", out)
	}
}

// TestOutputFileMode checks that -o gives a new file the usual mode, not
// the temporary file's 0600, and keeps the mode of a file it replaces.
func TestOutputFileMode(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows files have no Unix permission bits")
	}
	dir := t.TempDir()
	for _, c := range []struct {
		name string
		old  os.FileMode // 0: no file yet
		want os.FileMode
	}{
		{"new.yaml", 0, 0o644},
		{"private.yaml", 0o600, 0o600},
		{"shared.yaml", 0o664, 0o664},
	} {
		out := filepath.Join(dir, c.name)
		if c.old != 0 {
			if err := os.WriteFile(out, []byte("old"), c.old); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(out, c.old); err != nil { // past the umask
				t.Fatal(err)
			}
		}
		if code, _, errs := parley("import", "-o", out, "emission-1994"); code != 0 {
			t.Fatal(errs)
		}
		fi, err := os.Stat(out)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != c.want {
			t.Errorf("%s: mode %v, want %v", c.name, got, c.want)
		}
	}
}

func TestValidateBuiltinsAndReferenceFiles(t *testing.T) {
	code, out, errs := parley("validate", "../../scenarios/kosovo-2007.yaml", "../../scenarios/kosovo-2006.yaml", "../../scenarios/emission-1994.yaml", "../../testdata/reference/eum/emission.csv")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, w := range []string{"kosovo-2007.yaml: ok, kosovo-2007 (15 issues, 24 actors)", "kosovo-2006.yaml: ok, kosovo-2006 (6 issues, 21 actors)", "format yaml", "emission.csv: ok, emission (1 issue, 10 actors), format bdm-csv"} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
}

func TestScenariosList(t *testing.T) {
	_, out, _ := parley("scenarios")
	for _, w := range []string{"emission-1994", "kosovo-2006", "kosovo-2007"} {
		if !strings.Contains(out, w) {
			t.Errorf("list lacks %s:\n%s", w, out)
		}
	}
}

// TestKosovoBaselines pins the baseline forecasts of the built-in Kosovo
// scenario, computed by hand from its capabilities and saliences.
func TestKosovoBaselines(t *testing.T) {
	want := map[string]float64{"median": 80, "condorcet": 80}
	for m, w := range want {
		_, out, _ := parley("forecast", "--json", "--model", m)
		var doc struct{ Issues []struct{ Forecast float64 } }
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		if doc.Issues[0].Forecast != w {
			t.Errorf("%s: %v, want %v", m, doc.Issues[0].Forecast, w)
		}
	}
}

// TestKosovoMultiIssue checks the JSON contract on the multi-issue Kosovo
// scenario: one entry per issue in file order, only the actors with a
// stance on an issue in its positions, and the weighted mean and median of
// each issue as computed independently from the YAML file.
func TestKosovoMultiIssue(t *testing.T) {
	want := []struct {
		id           string
		actors       int
		mean, median float64
	}{
		{"status", 20, 68.1832003040669, 80},
		{"serbia_eu", 3, 63.8235294117647, 50},
		{"presence", 15, 70.42152858809801, 90},
		{"serb_rights", 8, 59.52076260120136, 50},
		{"missile_defence", 7, 58.71621621621622, 85},
		{"cfe", 7, 53.970588235294116, 90},
		// The issues added for issue 21 (docs/scenarios/kosovo-2007.md §11).
		{"north", 8, 34.71354751741182, 20},
		{"levers", 5, 12.525458248472505, 0},
		{"debt", 3, 52.151898734177216, 30},
		{"returns", 6, 61.1036036036036, 50},
		{"borders", 11, 61.1104020421187, 75},
		{"talks", 8, 44.68717304875497, 15},
		{"eu_investment", 4, 79.74683544303798, 90},
		{"iran", 6, 64.74358974358974, 85},
		{"nato_enlargement", 4, 45.83000798084597, 75},
	}
	type doc struct {
		Issues []struct {
			ID         string
			Forecast   float64
			Settlement struct{ Value float64 }
			Rounds     []struct {
				Median, Mean float64
				Positions    map[string]float64
			}
		}
	}
	for _, m := range []string{"mean", "median", "eum"} {
		code, out, errs := parley("forecast", "--json", "--model", m, "kosovo-2007")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", m, code, errs)
		}
		var d doc
		if err := json.Unmarshal([]byte(out), &d); err != nil {
			t.Fatal(err)
		}
		if len(d.Issues) != len(want) {
			t.Fatalf("%s: %d issues, want %d", m, len(d.Issues), len(want))
		}
		for i, w := range want {
			is := d.Issues[i]
			r0 := is.Rounds[0]
			if is.ID != w.id || len(r0.Positions) != w.actors {
				t.Errorf("%s: issue %d is %s with %d actors, want %s with %d", m, i, is.ID, len(r0.Positions), w.id, w.actors)
			}
			if math.Abs(r0.Mean-w.mean) > 1e-9 {
				t.Errorf("%s %s: round-0 mean %v, want %v", m, w.id, r0.Mean, w.mean)
			}
			switch m {
			case "mean":
				if math.Abs(is.Forecast-w.mean) > 1e-9 {
					t.Errorf("mean %s: forecast %v, want %v", w.id, is.Forecast, w.mean)
				}
			case "median":
				if is.Forecast != w.median {
					t.Errorf("median %s: forecast %v, want %v", w.id, is.Forecast, w.median)
				}
			}
		}
		if _, ok := d.Issues[1].Rounds[0].Positions["russia"]; ok {
			t.Errorf("%s: russia, with no stance on serbia_eu, appears in its positions", m)
		}
	}
	// The EUM settlements of docs/scenarios/kosovo-2007.md §8.1 (the
	// fixed point, or the mean over a cycle or over the last half of a run
	// that does not settle).
	eum := map[string][]float64{
		"scholz": {80, 50, 85.83, 51.96, 85, 10, 17.06, 0, 100, 72.08, 50.33, 15, 80, 65.03, 50.56},
		"paper":  {70, 50, 90, 50, 5, 90, 20, 25, 100, 55, 60, 15, 90, 73.07, 65.35},
	}
	for variant, want := range eum {
		_, out, _ := parley("forecast", "--json", "--model", "eum", "--variant", variant, "kosovo-2007")
		var d doc
		if err := json.Unmarshal([]byte(out), &d); err != nil {
			t.Fatal(err)
		}
		if len(d.Issues) != len(want) {
			t.Fatalf("eum %s: %d issues, want %d", variant, len(d.Issues), len(want))
		}
		for i, w := range want {
			if got := d.Issues[i].Settlement.Value; math.Abs(got-w) > 0.005 {
				t.Errorf("eum %s %s: settles at %.4f, want %.2f", variant, d.Issues[i].ID, got, w)
			}
		}
	}
}

// TestKosovoMultiIssueModels runs the two multi-issue models on the
// built-in Kosovo scenario and checks the facts that
// docs/scenarios/kosovo-2007.md §8 reports; if a model change alters them,
// update that section too.
func TestKosovoMultiIssueModels(t *testing.T) {
	type round struct {
		Median, Mean float64
		Positions    map[string]float64
	}
	type issue struct {
		ID         string
		Forecast   float64
		Settlement struct{ Value float64 }
		Stopped    string
		Rounds     []round
	}
	type doc struct {
		Issues    []issue
		Exchanges []struct {
			Round  int
			Actors [2]string
			Supply map[string]string
			Moves  map[string]struct{ From, To float64 }
			Gain   float64
		}
	}
	parties := map[string]int{"status": 20, "serbia_eu": 3, "presence": 15, "serb_rights": 8, "missile_defence": 7, "cfe": 7,
		"north": 8, "levers": 5, "debt": 3, "returns": 6, "borders": 11, "talks": 8, "eu_investment": 4, "iran": 6, "nato_enlargement": 4}
	run := func(m string) doc {
		t.Helper()
		code, out, errs := parley("forecast", "--json", "--model", m, "kosovo-2007")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", m, code, errs)
		}
		var d doc
		if err := json.Unmarshal([]byte(out), &d); err != nil {
			t.Fatal(err)
		}
		if len(d.Issues) != len(parties) {
			t.Fatalf("%s: %d issues, want %d", m, len(d.Issues), len(parties))
		}
		for _, is := range d.Issues {
			for _, r := range is.Rounds {
				if len(r.Positions) != parties[is.ID] {
					t.Fatalf("%s %s: %d positions, want the issue's %d parties", m, is.ID, len(r.Positions), parties[is.ID])
				}
				for a, x := range r.Positions {
					if x < 0 || x > 100 || math.IsNaN(x) {
						t.Errorf("%s %s: %s at %v, off the scale", m, is.ID, a, x)
					}
				}
			}
		}
		return d
	}

	smp := run("smp")
	// The settlements of §8.2.
	want := map[string]float64{"status": 73.43, "serbia_eu": 71.14, "presence": 78.39, "serb_rights": 59.37, "missile_defence": 61.865, "cfe": 68.31,
		"north": 31.72, "levers": 12.55, "debt": 52.62, "returns": 59.96, "borders": 65.70, "talks": 37.07, "eu_investment": 81.68, "iran": 74.02, "nato_enlargement": 49.71}
	for _, is := range smp.Issues {
		if math.Abs(is.Settlement.Value-want[is.ID]) > 0.005 || is.Stopped != "converged" || len(is.Rounds) != 43 {
			t.Errorf("smp %s: settles at %.4f after %d turns (%s), want %.2f after 42 (converged)", is.ID, is.Settlement.Value, len(is.Rounds)-1, is.Stopped, want[is.ID])
		}
	}
	// Serbia and Russia hold their status positions; Pristina comes down
	// from full independence to the cluster above supervised independence.
	final := smp.Issues[0].Rounds[len(smp.Issues[0].Rounds)-1].Positions
	if final["serbia"] != 30 || final["russia"] != 35 || math.Abs(final["kosovo_albanians"]-84.54) > 0.01 {
		t.Errorf("smp status final: serbia %v, russia %v, kosovo_albanians %v", final["serbia"], final["russia"], final["kosovo_albanians"])
	}

	ex := run("exchange")
	// The settlements of §8.3.
	wantEx := map[string]float64{"status": 71.23, "serbia_eu": 64.11, "presence": 70.14, "serb_rights": 80.69, "missile_defence": 7.61, "cfe": 85.39,
		"north": 13.87, "levers": 0.88, "debt": 98.40, "returns": 58.25, "borders": 80.14, "talks": 4.95, "eu_investment": 65.53, "iran": 84.95, "nato_enlargement": 15.16}
	for _, is := range ex.Issues {
		if math.Abs(is.Settlement.Value-wantEx[is.ID]) > 0.005 {
			t.Errorf("exchange %s: settles at %.4f, want %.2f", is.ID, is.Settlement.Value, wantEx[is.ID])
		}
	}
	perRound := map[int]int{}
	has := func(round int, a, aGives, b, bGives string) bool {
		for _, x := range ex.Exchanges {
			if (round == 0 || x.Round == round) && x.Supply[a] == aGives && x.Supply[b] == bGives {
				return true
			}
		}
		return false
	}
	doubled := 0
	for _, x := range ex.Exchanges {
		perRound[x.Round]++
		if x.Gain == 0 && x.Moves[x.Actors[0]].From == x.Moves[x.Actors[0]].To && x.Moves[x.Actors[1]].From == x.Moves[x.Actors[1]].To {
			// Decide's doubled exchange, reported as Decide reports it:
			// no gain and no move (docs/models/exchange.md, "Ties").
			doubled++
			continue
		}
		if x.Gain <= 0 || x.Actors[0] == x.Actors[1] {
			t.Errorf("exchange %+v: want two partners and a positive gain", x)
		}
		for _, a := range x.Actors {
			i := slices.IndexFunc(ex.Issues, func(is issue) bool { return is.ID == x.Supply[a] })
			if i < 0 {
				t.Errorf("exchange %+v: %s supplies unknown issue %q", x, a, x.Supply[a])
				continue
			}
			if _, ok := ex.Issues[i].Rounds[0].Positions[a]; !ok {
				t.Errorf("exchange %+v: %s supplies %s, on which it has no stance", x, a, x.Supply[a])
			}
		}
	}
	if len(ex.Exchanges) != 623 || perRound[1] != 66 || doubled != 1 {
		t.Errorf("%d exchanges, %d in round 1, %d with no gain; want 623, 66 and 1", len(ex.Exchanges), perRound[1], doubled)
	}
	checks := []struct {
		round                int
		a, aGives, b, bGives string
	}{
		{1, "serbia", "presence", "eu", "talks"},                     // more talks buy Serbia's consent to the EU mission
		{4, "serbia", "presence", "eu", "serbia_eu"},                 // the EU's carrot buys the EU mission
		{4, "serbia", "status", "eu", "serbia_eu"},                   // the sources' trade: small gains only
		{1, "usa", "missile_defence", "russia", "cfe"},               // the sources' US–Russia trade
		{10, "usa", "missile_defence", "russia", "status"},           // Kosovo does enter the US–Russia deal
		{1, "usa", "nato_enlargement", "russia", "iran"},             // FPIF's third item: the largest trade of all
		{2, "usa", "nato_enlargement", "russia", "status"},           // enlargement buys Russian votes on status
		{1, "russia", "serb_rights", "kosovo_albanians", "presence"}, // Moscow gives up Serb rights for the UN mission
		{1, "russia", "north", "nato", "missile_defence"},            // and the north for NATO's vote on missile defence
	}
	for _, c := range checks {
		if !has(c.round, c.a, c.aGives, c.b, c.bGives) {
			t.Errorf("no round-%d exchange of %s (%s) with %s (%s)", c.round, c.a, c.aGives, c.b, c.bGives)
		}
	}
}

// TestReadmeFirstExample checks that the summary rows the README shows
// under its first command (a settled and a cycling issue) are what
// 'parley forecast' prints.
func TestReadmeFirstExample(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(data), "its rows:\n\n```\n")
	if !ok {
		t.Fatal("README has no summary rows under its first example")
	}
	block, _, _ := strings.Cut(after, "```")
	_, out, _ := parley("forecast", "--no-store", "--width", "0") // a terminal wide enough for one line an issue
	lines := strings.Split(out, "\n")
	n := 0
	for _, l := range strings.Split(strings.TrimSpace(block), "\n") {
		n++
		if !slices.Contains(lines, l) {
			t.Errorf("README line not in the output: %q", l)
		}
	}
	if n != 3 || !strings.Contains(block, "fixed") || !strings.Contains(block, "cycle, period 2") {
		t.Errorf("the README's first example should show a settled and a cycling issue:\n%s", block)
	}
}

// TestReadmeMultiIssueExcerpt checks that the multi-issue excerpt in
// docs/scenario-files.md is what the command prints: every line of the excerpt (bar the
// elisions) appears in the output.
func TestReadmeMultiIssueExcerpt(t *testing.T) {
	data, err := os.ReadFile("../../docs/scenario-files.md")
	if err != nil {
		t.Fatal(err)
	}
	const cmd = "$ parley forecast --model median kosovo-2007\n"
	_, block, ok := strings.Cut(string(data), cmd)
	if !ok {
		t.Fatalf("docs/scenario-files.md has no %q excerpt", strings.TrimSpace(cmd))
	}
	block, _, _ = strings.Cut(block, "```")
	_, out, _ := parley("forecast", "--model", "median", "--width", "0", "kosovo-2007")
	lines := strings.Split(out, "\n")
	n := 0
	for _, l := range strings.Split(block, "\n") {
		if l == "" || strings.Contains(l, "...") {
			continue
		}
		n++
		if !slices.Contains(lines, l) {
			t.Errorf("README line not in the output: %q", l)
		}
	}
	if n < 10 {
		t.Errorf("only %d excerpt lines checked", n)
	}
}

// TestKosovoSnapshotsCompared checks the comparison of
// docs/scenarios/kosovo-2006.md §7: every model's settlement value for the
// final status from the January 2006 and the December 2007 snapshots, and
// the 90% intervals (200 draws, seed 1) of the cheaper models.
func TestKosovoSnapshotsCompared(t *testing.T) {
	type cell struct {
		value    float64
		p05, p95 float64 // 0, 0: the interval is not checked
	}
	cases := []struct {
		args       []string
		y2006, y07 cell
	}{
		{[]string{"-m", "mean"}, cell{63.15, 58.56, 66.60}, cell{68.18, 63.75, 71.13}},
		{[]string{"-m", "median"}, cell{70, 58.67, 74.26}, cell{80, 72.92, 84.08}},
		{[]string{"-m", "condorcet"}, cell{70, 0, 0}, cell{80, 0, 0}},
		{[]string{"-m", "eum"}, cell{70, 49.64, 75.15}, cell{80, 70.02, 83.93}},
		{[]string{"-m", "eum", "--variant", "paper"}, cell{70, 57.28, 73.93}, cell{70, 67.43, 83.17}},
		{[]string{"-m", "smp"}, cell{64.42, 0, 0}, cell{73.43, 0, 0}},
		{[]string{"-m", "exchange"}, cell{77.86, 0, 0}, cell{71.23, 0, 0}},
		{[]string{"-m", "nash"}, cell{63.22, 0, 0}, cell{50, 0, 0}},
		{[]string{"-m", "nash", "-p", "status_quo=50"}, cell{50, 0, 0}, cell{50, 0, 0}},
	}
	for _, c := range cases {
		for sc, want := range map[string]cell{"kosovo-2006": c.y2006, "kosovo-2007": c.y07} {
			args := append([]string{"forecast", "--no-store", "--json"}, c.args...)
			if want.p95 != 0 {
				args = append(args, "--interval")
			}
			code, out, errs := parley(append(args, sc)...)
			if code != 0 {
				t.Fatalf("%v %s: exit %d: %s", c.args, sc, code, errs)
			}
			var d struct {
				Issues []struct {
					ID         string
					Forecast   float64
					Settlement *struct{ Value float64 }
					Interval   *struct{ P05, P95 float64 }
				}
			}
			if err := json.Unmarshal([]byte(out), &d); err != nil {
				t.Fatal(err)
			}
			is := d.Issues[0]
			got := is.Forecast
			if is.Settlement != nil {
				got = is.Settlement.Value
			}
			if is.ID != "status" || math.Abs(got-want.value) > 0.005 {
				t.Errorf("%v %s: %s settles at %.4f, want %.2f", c.args, sc, is.ID, got, want.value)
			}
			if want.p95 != 0 && (is.Interval == nil || math.Abs(is.Interval.P05-want.p05) > 0.005 || math.Abs(is.Interval.P95-want.p95) > 0.005) {
				t.Errorf("%v %s: interval %+v, want %.2f–%.2f", c.args, sc, is.Interval, want.p05, want.p95)
			}
		}
	}
}
