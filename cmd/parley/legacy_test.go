package main

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

// legacyStore makes a results store from testdata/legacy-runs.sql: six
// runs stored by parley before parameters were typed, every parameter a
// number and −1 or −1e9 meaning "unset".
func legacyStore(t *testing.T) string {
	t.Helper()
	dump, err := os.ReadFile(filepath.Join("testdata", "legacy-runs.sql"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "legacy.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(string(dump)); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestLegacyRunsReadable: runs stored before parameters were typed still
// list, show, diff and report, their parameters as stored.
func TestLegacyRunsReadable(t *testing.T) {
	db := legacyStore(t)
	code, out, errs := parley("runs", "list", "--width", "0", "--db", db)
	for _, want := range []string{"q=0.5 t=-1", "status_quo=-1e+09", "exact=1 fixed_weight=0.1 salience_weight=0.4 seed=1", "voting_rule=3"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("list: %d %q lacks %q", code, out+errs, want)
		}
	}
	for id, want := range map[string]string{"1": "Parameters:    q=0.5 t=-1", "3": "seed=0 state_transitions=-1", "4": "exact=1", "6": "Kind:          sweep (done)"} {
		if code, out, errs := parley("runs", "show", "--width", "0", "--db", db, id); code != 0 || !strings.Contains(out, want) {
			t.Errorf("show %s: %d %s%s, want %q", id, code, out, errs, want)
		}
	}
	code, out, errs = parley("runs", "diff", "--db", db, "1", "2")
	if code != 0 || !strings.Contains(out, "q=0.5 t=-1") || !strings.Contains(out, "q=1 t=-1") || !strings.Contains(out, "paper") {
		t.Errorf("diff: %d %s%s", code, out, errs)
	}
	for id, params := range map[string]string{"1": "q = 0.5, t = -1", "3": "voting_rule = 3", "5": "status_quo = -1e&#43;09", "6": "q = 1, t = -1"} {
		html := filepath.Join(t.TempDir(), "r"+id+".html")
		if code, _, errs := parley("report", "--db", db, id, "--html", html); code != 0 {
			t.Errorf("report %s: %d %s", id, code, errs)
			continue
		}
		data, err := os.ReadFile(html)
		if err != nil || !strings.Contains(string(data), "emission-1994") || !strings.Contains(string(data), params) {
			t.Errorf("report %s: %v %.200s", id, err, data)
		}
	}
}
