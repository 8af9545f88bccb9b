package main

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/parley-project/parley/param"
	"github.com/parley-project/parley/report"
	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/run"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/scenarios"
	"github.com/parley-project/parley/store"
	"github.com/parley-project/parley/store/storetest"
)

// TestMain points the results store at a temporary directory, so that no
// test ever writes into the user's real data directory.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "parley-cmd-test-")
	if err != nil {
		panic(err)
	}
	os.Setenv(store.EnvDB, filepath.Join(dir, "default.db"))
	os.Setenv("XDG_DATA_HOME", filepath.Join(dir, "data"))
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

var savedRe = regexp.MustCompile(`saved as run (\d+) in `)

// mustForecast runs parley forecast and returns the stored run's id.
func mustForecast(t *testing.T, args ...string) string {
	t.Helper()
	code, _, errs := parley(append([]string{"forecast"}, args...)...)
	if code != 0 {
		t.Fatalf("forecast %v: exit %d: %s", args, code, errs)
	}
	m := savedRe.FindStringSubmatch(errs)
	if m == nil {
		t.Fatalf("forecast %v did not report a saved run: %q", args, errs)
	}
	return m[1]
}

// dbLocations lists the databases the command tests run against: a
// SQLite file, and PostgreSQL when PARLEY_TEST_POSTGRES is set.
func dbLocations(t *testing.T) map[string]func(t *testing.T) string {
	return map[string]func(t *testing.T) string{
		"sqlite":   func(t *testing.T) string { return filepath.Join(t.TempDir(), "runs.db") },
		"postgres": func(t *testing.T) string { return storetest.Postgres(t) },
	}
}

func TestRunsCommands(t *testing.T) {
	for name, loc := range dbLocations(t) {
		t.Run(name, func(t *testing.T) {
			db := loc(t)
			id1 := mustForecast(t, "--db", db, "--rounds", "3", "emission-1994")
			id2 := mustForecast(t, "--db", db, "--rounds", "3", "-p", "q=0.5", "--variant", "paper", "emission-1994")
			id3 := mustForecast(t, "--db", db, "--model", "mean", "kosovo-2007")

			// list: newest first, as a table and as JSON.
			code, out, errs := parley("runs", "list", "--db", db)
			if code != 0 {
				t.Fatalf("list: %d %s", code, errs)
			}
			lines := strings.Split(strings.TrimSpace(out), "\n")
			if len(lines) != 4 || !strings.HasPrefix(lines[0], "ID") || !strings.HasPrefix(lines[1], id3+" ") ||
				!strings.Contains(lines[2], "q=0.5") || !strings.Contains(lines[1], "kosovo-2007") {
				t.Errorf("runs list:\n%s", out)
			}
			code, out, _ = parley("runs", "list", "--db", db, "--json")
			var runs []store.Run
			if err := json.Unmarshal([]byte(out), &runs); code != 0 || err != nil || len(runs) != 3 {
				t.Fatalf("list --json: %d %v %s", code, err, out)
			}
			if runs[1].Variant != "paper" || runs[1].Params["q"] != param.Number(0.5) || runs[2].Variant != "scholz" || runs[2].Params["q"] != param.Number(1) ||
				runs[0].Model != "mean" || runs[0].Status != store.StatusDone || runs[0].CodeVersion == "" {
				t.Errorf("list --json: %+v", runs)
			}

			code, out, _ = parley("runs", "list", "--db", db, "--json", "--scenario", "kosovo-2007")
			if err := json.Unmarshal([]byte(out), &runs); code != 0 || err != nil || len(runs) != 1 || runs[0].Scenario != "kosovo-2007" {
				t.Errorf("list --scenario: %d %v %s", code, err, out)
			}

			// show --json gives back the snapshot and exactly the result
			// that forecast --json prints.
			code, out, _ = parley("runs", "show", "--db", db, "--json", id1)
			var run store.Run
			if err := json.Unmarshal([]byte(out), &run); code != 0 || err != nil {
				t.Fatalf("show --json: %d %v", code, err)
			}
			_, direct, _ := parley("forecast", "--no-store", "--json", "--rounds", "3", "emission-1994")
			var a, b result.Result
			json.Unmarshal([]byte(direct), &a)
			json.Unmarshal(run.Result, &b)
			ja, _ := json.Marshal(a)
			jb, _ := json.Marshal(b)
			if string(ja) != string(jb) {
				t.Errorf("stored result differs from forecast --json")
			}
			sc, err := scenario.Parse(run.Snapshot, "snapshot.json")
			orig, _ := scenarios.Resolve("emission-1994")
			if err != nil || sc.Name != "emission-1994" || len(sc.Actors) != len(orig.Actors) || sc.Actors[3].Stances["issue"].Position.Value != orig.Actors[3].Stances["issue"].Position.Value {
				t.Errorf("snapshot does not parse back as the scenario: %v", err)
			}
			code, out, _ = parley("runs", "show", "--db", db, id1)
			for _, want := range []string{"Kind:          forecast (done)", "Variant:       scholz", "Parameters:    q=1", "Settings:      rounds = 3", "Model:    eum (variant scholz)", "Where it ends"} {
				if code != 0 || !strings.Contains(out, want) {
					t.Errorf("show lacks %q:\n%s", want, out)
				}
			}
			// The result as forecast prints it, or with --fields as runs diff compares it.
			_, printed, _ := parley("forecast", "--no-store", "--rounds", "3", "emission-1994")
			if i := strings.Index(out, "Scenario: emission-1994 —"); i < 0 || out[i:] != printed {
				t.Errorf("show's result is not what forecast prints:\n%s\nforecast:\n%s", out, printed)
			}
			code, out, _ = parley("runs", "show", "--db", db, "--fields", id1)
			if code != 0 || !strings.Contains(out, "issue.forecast") {
				t.Errorf("show --fields lacks issue.forecast:\n%s", out)
			}

			// diff names the changed settings and the moved forecast.
			code, out, _ = parley("runs", "diff", "--db", db, id1, id2)
			for _, want := range []string{"variant", "scholz", "paper", "q=1", "q=0.5", "issue.forecast"} {
				if code != 0 || !strings.Contains(out, want) {
					t.Errorf("diff lacks %q:\n%s", want, out)
				}
			}
			code, out, _ = parley("runs", "diff", "--db", db, "--json", id1, id1)
			if code != 0 || strings.TrimSpace(out) != "[]" {
				t.Errorf("diff of a run with itself: %d %s", code, out)
			}

			// rm, then the run is gone.
			if code, out, _ = parley("runs", "rm", "--db", db, id2); code != 0 || !strings.Contains(out, "deleted run "+id2) {
				t.Errorf("rm: %d %s", code, out)
			}
			if code, _, errs = parley("runs", "show", "--db", db, id2); code != 2 || !strings.Contains(errs, "no such run") {
				t.Errorf("show of a deleted run: %d %s", code, errs)
			}
			if code, _, _ = parley("runs", "rm", "--db", db, id2); code != 2 {
				t.Errorf("rm of a deleted run: exit %d", code)
			}
			if code, _, errs = parley("runs", "show", "--db", db, "abc"); code != 2 || !strings.Contains(errs, "positive whole number") {
				t.Errorf("show abc: %d %s", code, errs)
			}
		})
	}
}

func TestForecastStoreFlags(t *testing.T) {
	db := filepath.Join(t.TempDir(), "sub", "runs.db")
	// --no-store writes nothing, not even the file.
	if code, _, errs := parley("forecast", "--no-store", "--db", db, "--model", "mean"); code != 0 || errs != "" {
		t.Fatalf("--no-store: %d %q", code, errs)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("--no-store created %s", db)
	}
	// Without --db the run goes to $PARLEY_DB (set by TestMain).
	dir := t.TempDir()
	t.Setenv(store.EnvDB, filepath.Join(dir, "env.db"))
	mustForecast(t, "--model", "mean")
	s, err := store.Open(context.Background(), filepath.Join(dir, "env.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if runs, _ := s.List(context.Background(), store.Filter{}); len(runs) != 1 || runs[0].Model != "mean" {
		t.Errorf("runs in $PARLEY_DB: %+v", runs)
	}
	// A database that cannot be opened fails the forecast and says how to
	// run without one.
	bad := filepath.Join(t.TempDir(), "notadb")
	os.WriteFile(bad, []byte("this is not a database, just text that is long enough to fill a header....................................................................."), 0o644)
	if code, _, errs := parley("forecast", "--db", bad); code != 1 || !strings.Contains(errs, "--no-store") {
		t.Errorf("bad database: exit %d: %s", code, errs)
	}
}

// TestRunsDiffRounds checks that diff lists a changed rounds setting: the
// name is also that of a result's per-round list, which diff leaves out of
// results, but a setting is compared whatever its name.
func TestRunsDiffRounds(t *testing.T) {
	db := filepath.Join(t.TempDir(), "runs.db")
	id1 := mustForecast(t, "--db", db, "--rounds", "3", "emission-1994")
	id2 := mustForecast(t, "--db", db, "--rounds", "5", "emission-1994")
	code, out, errs := parley("runs", "diff", "--db", db, "--json", id1, id2)
	var diffs []run.Difference
	if err := json.Unmarshal([]byte(out), &diffs); code != 0 || err != nil {
		t.Fatalf("diff --json: %d %v %s", code, err, errs)
	}
	found := false
	for _, d := range diffs {
		if d.Field == "settings.rounds" {
			found = true
			if d.A != 3.0 || d.B != 5.0 || d.Delta == nil || *d.Delta != 2 {
				t.Errorf("settings.rounds: %v → %v (delta %v), want 3 → 5 (+2)", d.A, d.B, d.Delta)
			}
		}
	}
	if !found {
		t.Errorf("diff lacks settings.rounds:\n%s", out)
	}
}

// TestRunsShowSettlement checks that show and diff carry each issue's
// settlement beside the last round's forecast: on kosovo-2007 serb_rights
// cycles 50, 53.92, so 10 and 11 rounds end on different points of the
// cycle while the settled value (its mean) and its range stay the same;
// diff must not report the cycle as a moved forecast alone.
func TestRunsShowSettlement(t *testing.T) {
	db := filepath.Join(t.TempDir(), "runs.db")
	id1 := mustForecast(t, "--db", db, "--rounds", "10", "kosovo-2007")
	id2 := mustForecast(t, "--db", db, "--rounds", "11", "--interval", "--draws", "20", "kosovo-2007")
	code, out, _ := parley("runs", "show", "--db", db, "--fields", id1)
	for _, want := range []string{"serb_rights.settlement cycle, period 2", "serb_rights.settled 51.96", "serb_rights.low 50", "serb_rights.high 53.92", "status.settlement fixed"} {
		if code != 0 || !regexp.MustCompile(`(?m)^`+strings.ReplaceAll(regexp.QuoteMeta(want), " ", " +")).MatchString(out) {
			t.Errorf("show lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = parley("runs", "show", "--db", db, "--fields", id2)
	if code != 0 || !strings.Contains(out, "serb_rights.p05") || !strings.Contains(out, "serb_rights.p95") {
		t.Errorf("show of a run with --interval lacks the interval:\n%s", out)
	}
	code, out, errs := parley("runs", "diff", "--db", db, "--json", id1, id2)
	var diffs []run.Difference
	if err := json.Unmarshal([]byte(out), &diffs); code != 0 || err != nil {
		t.Fatalf("diff --json: %d %v %s", code, err, errs)
	}
	changed := map[string]bool{}
	for _, d := range diffs {
		// The cycle's points agree to about 1e-8 from period to period.
		changed[d.Field] = d.Delta == nil || math.Abs(*d.Delta) > 1e-6
	}
	if !changed["serb_rights.forecast"] {
		t.Errorf("the last round's forecast of serb_rights did not change: %s", out)
	}
	for _, f := range []string{"serb_rights.settled", "serb_rights.settlement", "serb_rights.low", "serb_rights.high"} {
		if changed[f] {
			t.Errorf("%s changed between 10 and 11 rounds of a period-2 cycle", f)
		}
	}
}

// TestRunsShowFailed: a failed run (its job panicked in a server) shows
// as failed, with the reason, in 'runs list' and 'runs show'.
func TestRunsShowFailed(t *testing.T) {
	db := filepath.Join(t.TempDir(), "runs.db")
	if code, _, errs := parley("forecast", "--db", db, "emission-1994"); code != 0 {
		t.Fatal(errs)
	}
	s, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	run := &store.Run{Kind: store.KindSweep, Scenario: "emission-1994", Model: "eum"}
	if err := s.Create(context.Background(), run); err != nil {
		t.Fatal(err)
	}
	if err := s.Fail(context.Background(), run.ID, "internal error in job 3: panic: runtime error: index out of range [3] with length 0"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	code, out, errs := parley("runs", "list", "--db", db)
	if code != 0 || !strings.Contains(out, "failed: internal error in job 3: panic: runtime error: index out of range [3] with length 0") {
		t.Errorf("list: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs = parley("runs", "show", "--db", db, "2")
	if code != 0 || !strings.Contains(out, "Failed:        internal error in job 3") || strings.Contains(out, "No result yet") {
		t.Errorf("show: exit %d\n%s%s", code, out, errs)
	}
}

// TestRunsDiffWidth: at each width the text diff of a base run and a
// what-if breaks a field name only after one of its dots, names every
// differing field, and (down to the width the table's columns need)
// fits the width.
func TestRunsDiffWidth(t *testing.T) {
	db := filepath.Join(t.TempDir(), "runs.db")
	id1 := mustForecast(t, "--db", db, "kosovo-2007")
	id2 := mustForecast(t, "--db", db, "--set", "kosovo_police.north.position=40", "--drop", "republika_srpska", "kosovo-2007")
	code, out, errs := parley("runs", "diff", "--db", db, "--json", id1, id2)
	var diffs []run.Difference
	if err := json.Unmarshal([]byte(out), &diffs); code != 0 || err != nil {
		t.Fatalf("diff --json: %d %v %s", code, err, errs)
	}
	for _, c := range []struct {
		width  int
		broken bool // some field name must break to fit
	}{{70, true}, {80, true}, {90, true}, {100, false}, {120, false}} {
		code, out, errs := parley("runs", "diff", "--db", db, "--width", strconv.Itoa(c.width), id1, id2)
		if code != 0 {
			t.Fatalf("diff --width %d: exit %d: %s", c.width, code, errs)
		}
		var fields [][]string // each field name's pieces, line by line
		for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n")[1:] {
			if w := report.TextWidth(l); w > c.width {
				t.Errorf("width %d: a line of %d: %q", c.width, w, l)
			}
			switch {
			case !strings.HasPrefix(l, " "):
				fields = append(fields, []string{strings.Fields(l)[0]})
			case strings.HasPrefix(l, "  ") && len(l) > 2 && l[2] != ' ':
				fields[len(fields)-1] = append(fields[len(fields)-1], strings.Fields(l)[0])
			}
		}
		if len(fields) != len(diffs) {
			t.Fatalf("width %d: %d rows, want %d:\n%s", c.width, len(fields), len(diffs), out)
		}
		broken := false
		for i, pieces := range fields {
			if name := strings.Join(pieces, ""); name != diffs[i].Field {
				t.Errorf("width %d: row %d reads %q, want %q", c.width, i, name, diffs[i].Field)
			}
			for _, p := range pieces[:len(pieces)-1] {
				broken = true
				if !strings.HasSuffix(p, ".") {
					t.Errorf("width %d: %q broken inside a word after %q:\n%s", c.width, diffs[i].Field, p, out)
				}
			}
		}
		if broken != c.broken {
			t.Errorf("width %d: a field name broken: %v, want %v:\n%s", c.width, broken, c.broken, out)
		}
	}
}
