package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestWhatIfFlags: --set and --drop change the scenario a forecast,
// sweep, sensitivity analysis or process runs on; the text says so first,
// the stored run records it ('runs show'), and 'runs diff' lists the
// inputs that differ beside the outputs.
func TestWhatIfFlags(t *testing.T) {
	db := filepath.Join(t.TempDir(), "runs.db")
	if code, _, errs := parley("forecast", "--db", db, "kosovo-2007"); code != 0 {
		t.Fatalf("forecast: %s", errs)
	}
	code, out, errs := parley("forecast", "--db", db, "--set", "russia.capability=30", "--drop", "georgia", "kosovo-2007")
	if code != 0 {
		t.Fatalf("what-if forecast: exit %d: %s", code, errs)
	}
	if !strings.HasPrefix(out, "What if:  russia.capability=30; drop georgia\n") || strings.Contains(out, "Georgia (Tbilisi)") {
		t.Errorf("the what-if's report:\n%.400s", out)
	}
	// Iran's programme settles at 90 instead of moving around 65.03.
	code, js, _ := parley("forecast", "--no-store", "--json", "--set", "russia.capability=30", "kosovo-2007")
	var doc struct {
		Issues []struct {
			ID         string
			Settlement struct{ Value float64 }
		}
	}
	if err := json.Unmarshal([]byte(js), &doc); err != nil || code != 0 {
		t.Fatalf("json: %v", err)
	}
	for _, is := range doc.Issues {
		if is.ID == "iran" && is.Settlement.Value != 90 {
			t.Errorf("iran settles at %v with Russia's capability 30", is.Settlement.Value)
		}
	}
	_, show, _ := parley("runs", "show", "--db", db, "2")
	if !strings.Contains(show, "What if:       russia.capability=30; drop georgia") {
		t.Errorf("runs show:\n%s", show)
	}
	_, diff, _ := parley("runs", "diff", "--db", db, "1", "2")
	for _, want := range []string{"inputs.russia.capability", "-45", "inputs.georgia.capability", "settings.what_if.set.0", "iran.forecast"} {
		if !strings.Contains(diff, want) {
			t.Errorf("runs diff lacks %q:\n%.2000s", want, diff)
		}
	}
	// The other kinds take the same flags.
	for _, args := range [][]string{
		{"sweep", "--no-store", "--draws", "3", "--set", "russia.iran.capability=30"},
		{"sensitivity", "--no-store", "--samples", "0", "--set", "Belgium.issue.position=4", "emission-1994"},
		{"process", "--no-store", "--draws", "50", "--set", "russia.status.salience=100"},
	} {
		code, out, errs := parley(args...)
		if code != 0 || !strings.Contains(out, "What if:") {
			t.Errorf("%v: exit %d, %s\n%.300s", args, code, errs, out)
		}
	}
}

// TestWhatIfRefused: a what-if that does not read or does not apply
// exits 2 naming its flag and prints nothing.
func TestWhatIfRefused(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"forecast", "--set", "moscow.capability=30"}, `--set "moscow.capability=30": no actor "moscow"`},
		{[]string{"forecast", "--set", "russia.nowhere.position=3"}, `--set "russia.nowhere.position=3": no issue "nowhere"`},
		{[]string{"forecast", "--set", "russia.status.position=130"}, "--set \"russia.status.position=130\": position 130 is outside the scale 0 to 100 of status"},
		{[]string{"forecast", "--set", "russia.capability=-1"}, "a capability is 0 or more"},
		{[]string{"forecast", "--set", "russia.status=3"}, `"status" is not a number a what-if sets`},
		{[]string{"sweep", "--set", "russia.status.salience=x"}, `--set "russia.status.salience=x": the value "x" is not a finite number`},
		{[]string{"forecast", "--drop", "nobody"}, `--drop: "nobody": no actor "nobody"`},
		{[]string{"process", "--drop", "kosovo_albanians"}, "--drop: \"kosovo_albanians\": kosovo_albanians makes the act of the process stage"},
		{[]string{"sweep", "--resume", "1", "--set", "russia.capability=3"}, "--resume takes --set from the store"},
	} {
		code, out, errs := parley(append(c.args, "--no-store")...)
		if c.args[0] == "sweep" && c.args[1] == "--resume" {
			code, out, errs = parley(c.args...)
		}
		if code != 2 || out != "" || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, out %q, err %q; want %q", c.args, code, out, errs, c.want)
		}
	}
}
