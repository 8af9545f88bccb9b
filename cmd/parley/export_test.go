package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/scenarios"
)

// TestExportImportRoundTrip exports a scenario to each format into a file,
// imports it back and runs a forecast on it.
func TestExportImportRoundTrip(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"ktab", "ktab-xml", "decide", "bdm"} {
		out := filepath.Join(dir, "emission."+f)
		code, stdout, errs := parley("export", "--format", f, "emission-1994", "-o", out)
		if code != 0 || stdout != "" {
			t.Fatalf("%s: exit %d, stdout %q, stderr %s", f, code, stdout, errs)
		}
		_, direct, _ := parley("export", "--format", f, "emission-1994")
		data, err := os.ReadFile(out)
		if err != nil || string(data) != direct {
			t.Fatalf("%s: file differs from standard output (%v)", f, err)
		}
		yml := filepath.Join(dir, f+".yaml")
		if code, _, errs := parley("import", out, "-o", yml); code != 0 {
			t.Fatalf("import %s: exit %d: %s", f, code, errs)
		}
		code, res, errs := parley("forecast", "--model", "mean", yml)
		if code != 0 || !strings.Contains(res, "Forecast:") {
			t.Fatalf("forecast on imported %s: exit %d: %s%s", f, code, res, errs)
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}

func TestExportErrors(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "x.csv")
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"export", "--format", "nope", "emission-1994", "-o", out}, `--format "nope": want one of ktab, ktab-xml, decide, bdm`},
		{[]string{"export", "--format", "bdm", "testdata/SOE-Pol-Comp.csv", "-o", out}, "the BDM format holds one issue"},
		{[]string{"export", "--format", "bdm", "--issue", "x", "testdata/SOE-Pol-Comp.csv", "-o", out}, `has no issue "x"`},
		{[]string{"import", "testdata/missing.csv", "-o", out}, "missing.csv"},
		{[]string{"export", "--format", "ktab", "--issue", "status", "kosovo-2007", "-o", out}, "--issue applies to --format bdm only; ktab holds every issue"},
		{[]string{"export", "--format", "decide", "--issue", "nope", "kosovo-2007", "-o", out}, "--issue applies to --format bdm only"},
		{[]string{"import", "emission-1994", "-o", dir}, "cannot write " + dir + ": it is a directory"},
		{[]string{"export", "--format", "ktab-xml", "kosovo-2007", "-o", dir}, "cannot write " + dir + ": it is a directory"},
	}
	for _, c := range cases {
		code, _, errs := parley(c.args...)
		if code != 2 || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", c.args, code, errs, c.want)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("%v: output file written on failure", c.args)
		}
	}
}

// TestForecastKTABXMLParameters: the model parameters of a KTAB XML file
// apply to 'forecast --model smp', as if given with -p; exported to KTAB
// CSV (which cannot hold them) the same run needs the -p flags.
func TestForecastKTABXMLParameters(t *testing.T) {
	dir := t.TempDir()
	xml := filepath.Join(dir, "soe.xml")
	if code, _, errs := parley("export", "--format", "ktab-xml", "testdata/SOE-Pol-Comp.csv", "-o", xml); code != 0 {
		t.Fatal(errs)
	}
	data, err := os.ReadFile(xml)
	if err != nil {
		t.Fatal(err)
	}
	params := "  <ModelParameters>\n    <VictoryProbModel>Square</VictoryProbModel>\n    <PCEModel>Conditional</PCEModel>\n" +
		"    <StateTransitions>Deterministic</StateTransitions>\n    <VotingRule>PropCbc</VotingRule>\n    <BigRAdjust>Half</BigRAdjust>\n" +
		"    <BigRRange>Mid</BigRRange>\n    <ThirdPartyCommit>SemiCommit</ThirdPartyCommit>\n    <InterVecBrgn>S2P2</InterVecBrgn>\n" +
		"    <BargnModel>PWCompInterp</BargnModel>\n  </ModelParameters>\n  <Dimensions>"
	withParams := strings.Replace(string(data), "  <Dimensions>", params, 1)
	if err := os.WriteFile(xml, []byte(withParams), 0o644); err != nil {
		t.Fatal(err)
	}
	code, fromXML, errs := parley("forecast", "--model", "smp", "--json", xml)
	if code != 0 {
		t.Fatal(errs)
	}
	_, fromFlags, _ := parley("forecast", "--model", "smp", "--json", "-p", "victory_prob=1", "-p", "voting_rule=3",
		"-p", "big_r_adjust=2", "-p", "bargain_model=2", "testdata/SOE-Pol-Comp.csv")
	_, defaults, _ := parley("forecast", "--model", "smp", "--json", "testdata/SOE-Pol-Comp.csv")
	norm := func(s string) string { // the scenario name differs by file only in the header
		return s[strings.Index(s, `"issues"`):]
	}
	if norm(fromXML) != norm(fromFlags) {
		t.Error("the XML file's model parameters do not give the same run as the same -p flags")
	}
	if norm(fromXML) == norm(defaults) {
		t.Error("the XML file's model parameters had no effect")
	}
}

// TestExportWarningsGolden: what each format loses from each built-in
// scenario, as 'parley export' reports it on standard error.
func TestExportWarningsGolden(t *testing.T) {
	dir := t.TempDir()
	type exp struct{ scen, format, ext string }
	var cases []exp
	for _, s := range scenarios.Names() {
		for _, e := range scenario.Exporters {
			cases = append(cases, exp{s, e.Name, e.Ext})
		}
	}
	for _, c := range cases {
		t.Run(c.scen+"-"+c.format, func(t *testing.T) {
			args := []string{"export", "--format", c.format, c.scen, "-o", filepath.Join(dir, c.scen+"."+c.ext)}
			// BDM holds one issue: the multi-issue scenarios export one.
			if issue := map[string]string{"kosovo-2007": "presence", "kosovo-2006": "returns"}[c.scen]; c.format == "bdm" && issue != "" {
				args = append(args, "--issue", issue)
			}
			code, out, errs := parley(args...)
			if code != 0 || out != "" {
				t.Fatalf("exit %d, stdout %q: %s", code, out, errs)
			}
			golden(t, "export-warnings-"+c.scen+"-"+c.format+".txt", errs)
		})
	}
	t.Run("kosovo-2007-ktab-keep-weights", func(t *testing.T) {
		code, _, errs := parley("export", "--format", "ktab", "--keep-weights", "kosovo-2007", "-o", filepath.Join(dir, "kosovo-2007.csv"))
		if code != 0 {
			t.Fatal(errs)
		}
		golden(t, "export-warnings-kosovo-2007-ktab-keep-weights.txt", errs)
	})
	if code, _, errs := parley("export", "--format", "ktab", "--quiet", "kosovo-2007", "-o", filepath.Join(dir, "q.csv")); code != 0 || errs != "" {
		t.Errorf("--quiet: exit %d, stderr %q", code, errs)
	}
	if code, _, errs := parley("export", "--format", "decide", "--keep-weights", "kosovo-2007", "-o", filepath.Join(dir, "kw.txt")); code != 2 || !strings.Contains(errs, "--keep-weights applies to the KTAB formats only") {
		t.Errorf("--keep-weights with decide: exit %d, stderr %q", code, errs)
	}
}

// TestExportRoundTripForecasts: for every built-in scenario and every
// format (each issue for the one-issue BDM format), export, import the
// file back to YAML with 'parley import', forecast it with the mean and
// median models and compare with the scenario's forecasts, all through
// the command line. Where a forecast differs, the export's warning names
// the issue, the model and both values; where none differs, it names no
// forecast of that model.
func TestExportRoundTripForecasts(t *testing.T) {
	dir := t.TempDir()
	forecasts := func(model, file string) []float64 {
		t.Helper()
		code, out, errs := parley("forecast", "--no-store", "--json", "-m", model, file)
		if code != 0 {
			t.Fatalf("forecast -m %s %s: %s", model, file, errs)
		}
		var res result.Result
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatal(err)
		}
		var v []float64
		for _, is := range res.Issues {
			v = append(v, is.Forecast)
		}
		return v
	}
	for _, name := range scenarios.Names() {
		sc, err := scenarios.Get(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range scenario.Exporters {
			issues := []string{""}
			if e.Name == "bdm" {
				issues = nil
				for _, is := range sc.Issues {
					issues = append(issues, is.ID)
				}
			}
			for _, issue := range issues {
				file := filepath.Join(dir, name+"."+e.Ext)
				args := []string{"export", "--format", e.Name, name, "-o", file}
				if issue != "" {
					args = append(args, "--issue", issue)
				}
				code, _, warn := parley(args...)
				if code != 0 {
					t.Fatalf("%v: %s", args, warn)
				}
				yml := filepath.Join(dir, "back.yaml")
				if code, _, errs := parley("import", file, "-o", yml); code != 0 {
					t.Fatalf("import %s: %s", file, errs)
				}
				for _, model := range []string{"mean", "median"} {
					want, got := forecasts(model, name), forecasts(model, yml)
					written := sc.Issues
					if issue != "" {
						written = []scenario.Issue{*sc.Issue(issue)}
						want = want[slices.IndexFunc(sc.Issues, func(is scenario.Issue) bool { return is.ID == issue }):][:1]
					}
					if len(got) != len(want) {
						t.Fatalf("%s %s %s: %d issues read back, want %d", name, e.Name, model, len(got), len(want))
					}
					for k, is := range written {
						g := got[k]
						if strings.HasPrefix(e.Name, "ktab") { // KTAB's scales are 0–100
							g = is.Min + g/100*(is.Max-is.Min)
						}
						named := warnsForecast(warn, is.ID, model)
						switch {
						case math.Abs(g-want[k]) > 1e-6*(is.Max-is.Min):
							if named == "" || !strings.Contains(named, fmt.Sprintf("%.2f", want[k])) || !strings.Contains(named, fmt.Sprintf("%.2f", g)) {
								t.Errorf("%s %s %s: %s forecast %.4f, read back %.4f, but the warning says %q:\n%s", name, e.Name, issue, model, want[k], g, named, warn)
							}
						case named != "":
							t.Errorf("%s %s %s: %s forecasts %.4f both ways, but the warning names it: %q", name, e.Name, issue, model, want[k], named)
						}
					}
				}
			}
		}
	}
}

// warnsForecast returns the row of an export warning's forecast table
// naming the issue and the model, or "".
func warnsForecast(warn, issue, model string) string {
	for _, l := range strings.Split(warn, "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == issue && f[1] == model {
			return l
		}
	}
	return ""
}

// TestExportHelpExample: the example in 'parley export --help' quotes the
// forecasts the KTAB export of kosovo-2007 reports for the weighted mean
// of 'status'; they must be the ones the command prints.
func TestExportHelpExample(t *testing.T) {
	code, help, _ := parley("export", "--help")
	if code != 0 {
		t.Fatalf("export --help: exit %d", code)
	}
	m := regexp.MustCompile(`mean of 'status' in kosovo-2007 from ([0-9]+\.[0-9]+) to ([0-9]+\.[0-9]+)`).FindStringSubmatch(strings.Join(strings.Fields(help), " "))
	if m == nil {
		t.Fatalf("export --help gives no example of 'status':\n%s", help)
	}
	code, _, report := parley("export", "--format", "ktab", "kosovo-2007", "-o", filepath.Join(t.TempDir(), "k.csv"))
	if code != 0 {
		t.Fatalf("export: exit %d: %s", code, report)
	}
	row := regexp.MustCompile(`(?m)^\s+status\s+mean\s+([0-9.]+)\s+([0-9.]+)\s`).FindStringSubmatch(report)
	if row == nil {
		t.Fatalf("the export names no change of the mean of status:\n%s", report)
	}
	if m[1] != row[1] || m[2] != row[2] {
		t.Errorf("export --help says %s to %s; the export reports %s to %s", m[1], m[2], row[1], row[2])
	}
}
