package main

import (
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/parley-project/parley/report/tidy"
)

// TestCSVGolden: --format csv of every command that has a table, not
// stored (the run column is NA).
func TestCSVGolden(t *testing.T) {
	runGolden(t, []goldenCase{
		{"forecast-emission.csv", []string{"forecast", "--no-store", "--rounds", "3", "--format", "csv", "emission-1994"}},
		{"sweep-emission.csv", []string{"sweep", "--no-store", "--draws", "6", "--format", "csv", "emission-1994"}},
		{"sensitivity-emission.csv", []string{"sensitivity", "--no-store", "--samples", "4", "--format", "csv", "emission-1994"}},
		{"process-kosovo.csv", []string{"process", "--no-store", "--draws", "200", "--format", "csv", "kosovo-2007"}},
		{"conflicts-emission.csv", []string{"conflicts", "--no-store", "--format", "csv", "emission-1994"}},
		{"backtest-fixture.csv", []string{"backtest", "deu3", "--no-store", "--data", deu3Fixture, "--models", "mean,median", "--capabilities", "equal", "--bootstrap", "50", "--folds", "0", "--format", "csv"}},
	})
}

// readCSV reads a table, failing unless it is rectangular.
func readCSV(t *testing.T, out string) [][]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("not a table (%v):\n%.500s", err, out)
	}
	return rows
}

// column is the index of a column of a table's header.
func column(t *testing.T, rows [][]string, name string) int {
	t.Helper()
	k := slices.Index(rows[0], name)
	if k < 0 {
		t.Fatalf("no column %s in %v", name, rows[0])
	}
	return k
}

// TestCSVMatchesJSON: the tables hold the numbers of the JSON documents —
// the last round's forecast of each issue, every draw of a sweep, every
// state of a recognition forecast — and a stored run's id.
func TestCSVMatchesJSON(t *testing.T) {
	db := filepath.Join(t.TempDir(), "runs.db")
	code, out, errs := parley("forecast", "--db", db, "--format", "csv", "kosovo-2007")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	rows := readCSV(t, out)
	if !slices.Equal(rows[0], append([]string{"run", "scenario", "model", "variant"}, tidy.ForecastColumns...)) {
		t.Errorf("header %v", rows[0])
	}
	_, js, _ := parley("forecast", "--no-store", "--json", "kosovo-2007")
	var doc struct {
		Issues []struct {
			ID       string
			Forecast float64
			Rounds   []struct{ Positions map[string]float64 }
		}
	}
	if err := json.Unmarshal([]byte(js), &doc); err != nil {
		t.Fatal(err)
	}
	last := map[string]string{}
	rowsOf := map[string]int{}
	for _, r := range rows[1:] {
		if r[0] != "1" || r[1] != "kosovo-2007" {
			t.Fatalf("row %v: want run 1 of kosovo-2007", r)
		}
		rowsOf[r[4]]++
		if r[6] == "forecast" {
			last[r[4]] = r[8]
		}
	}
	for _, is := range doc.Issues {
		if want := strconv.FormatFloat(is.Forecast, 'g', -1, 64); last[is.ID] != want {
			t.Errorf("%s: last forecast %s in the table, %s in the JSON", is.ID, last[is.ID], want)
		}
		if want := len(is.Rounds) * (3 + len(is.Rounds[0].Positions)); rowsOf[is.ID] != want {
			t.Errorf("%s: %d rows, want %d", is.ID, rowsOf[is.ID], want)
		}
	}

	// A stored sweep: one row per draw and issue.
	code, out, errs = parley("sweep", "--db", db, "--draws", "7", "--format", "csv", "kosovo-2007")
	if code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, errs)
	}
	rows = readCSV(t, out)
	draws := map[string]bool{}
	for _, r := range rows[1:] {
		draws[r[column(t, rows, "draw")]] = true
		if r[0] != "2" {
			t.Fatalf("sweep row %v: want run 2", r)
		}
	}
	if n := len(doc.Issues); len(rows)-1 != 7*n || len(draws) != 7 {
		t.Errorf("sweep: %d rows over %d draws, want %d over 7", len(rows)-1, len(draws), 7*n)
	}
	// Run again, the finished sweep's stored draws give the same table.
	if _, again, _ := parley("sweep", "--db", db, "--resume", "2", "--format", "csv"); again != out {
		t.Errorf("the resumed finished sweep's table differs:\n%s", again)
	}

	// Recognition: every state by every date, and the months.
	code, out, errs = parley("recognition", "--no-store", "--draws", "50", "--format", "csv")
	if code != 0 {
		t.Fatalf("recognition: exit %d: %s", code, errs)
	}
	rows = readCSV(t, out)
	states, months := map[string]bool{}, map[string]bool{}
	m, s := column(t, rows, "measure"), column(t, rows, "state")
	for _, r := range rows[1:] {
		if r[m] == "p_recognised" {
			states[r[s]] = true
		} else {
			months[r[column(t, rows, "date")]] = true
		}
	}
	if len(states) != 193 || len(months) < 12 {
		t.Errorf("recognition: %d states, %d months", len(states), len(months))
	}
}

// TestFormatRefused: a format the command does not know, --json beside
// another format, exit 2 and write nothing.
func TestFormatRefused(t *testing.T) {
	for _, args := range [][]string{
		{"forecast", "--no-store", "--format", "xml"},
		{"sweep", "--no-store", "--json", "--format", "csv"},
		{"sensitivity", "--no-store", "--format", "CSV"},
	} {
		code, out, errs := parley(args...)
		if code != 2 || out != "" || !strings.Contains(errs, "--format") {
			t.Errorf("%v: exit %d, out %q, err %q", args, code, out, errs)
		}
	}
}
