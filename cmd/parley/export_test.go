package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
