package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/parley-project/parley/internal/buildinfo"
)

// TestVersion: 'parley version', '--version' and every stored run name the
// same build, from the build information ('go test' builds know no
// commit, so "dev").
func TestVersion(t *testing.T) {
	want := buildinfo.Read(version).String()
	code, out, errs := parley("version")
	if code != 0 || !strings.HasPrefix(out, "parley "+want+"\n") {
		t.Errorf("version: exit %d, %q %s", code, out, errs)
	}
	if _, out, _ := parley("--version"); out != "parley version "+want+"\n" {
		t.Errorf("--version: %q", out)
	}
	_, out, _ = parley("version", "--json")
	var in buildinfo.Info
	if err := json.Unmarshal([]byte(out), &in); err != nil || in.Version == "" {
		t.Errorf("version --json: %v %q", err, out)
	}
	db := t.TempDir() + "/runs.db"
	if code, _, errs := parley("forecast", "-m", "mean", "--db", db, "emission-1994"); code != 0 {
		t.Fatal(errs)
	}
	_, out, _ = parley("runs", "list", "--json", "--db", db)
	var runs []struct {
		CodeVersion string `json:"code_version"`
	}
	if err := json.Unmarshal([]byte(out), &runs); err != nil || len(runs) != 1 || runs[0].CodeVersion != want {
		t.Errorf("stored run's code version: %v %q, want %q", err, out, want)
	}
}
