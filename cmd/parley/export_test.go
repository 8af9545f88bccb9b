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
	for _, f := range []string{"ktab", "ktab-xml", "bdm"} {
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
		{[]string{"export", "--format", "nope", "emission-1994", "-o", out}, `--format "nope": want one of ktab, ktab-xml, bdm`},
		{[]string{"export", "--format", "bdm", "testdata/SOE-Pol-Comp.csv", "-o", out}, "the BDM format holds one issue"},
		{[]string{"export", "--format", "bdm", "--issue", "x", "testdata/SOE-Pol-Comp.csv", "-o", out}, `has no issue "x"`},
		{[]string{"import", "testdata/missing.csv", "-o", out}, "missing.csv"},
	}
	for _, c := range cases {
		code, _, errs := parley(c.args...)
		if code == 0 || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", c.args, code, errs, c.want)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("%v: output file written on failure", c.args)
		}
	}
}
