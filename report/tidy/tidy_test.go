package tidy_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/parley-project/parley/report/tidy"
	"github.com/parley-project/parley/run"
	"github.com/parley-project/parley/store"
	"github.com/parley-project/parley/sweep"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// stored reads a fixture of report/testdata as a stored run of kind.
func stored(t *testing.T, kind, snapshot, result string) run.Run {
	t.Helper()
	row := &store.Run{ID: 42, Kind: kind, Status: "done", Scenario: "harbour", Model: "eum", Variant: "scholz"}
	for _, f := range []struct {
		name string
		dst  *json.RawMessage
	}{{snapshot, &row.Snapshot}, {result, &row.Result}} {
		if f.name == "" {
			continue
		}
		b, err := os.ReadFile(filepath.Join("..", "testdata", f.name))
		if err != nil {
			t.Fatal(err)
		}
		*f.dst = b
	}
	r, err := run.Read(row)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// table writes r's table and reads it back, failing unless every row
// has the header's columns.
func table(t *testing.T, r run.Run, draws []sweep.Draw) (string, [][]string) {
	t.Helper()
	var b bytes.Buffer
	if err := tidy.Write(&b, r, draws); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(b.String())).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v\n%s", err, b.String())
	}
	return b.String(), rows
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./report/tidy -update creates it)", err)
	}
	if got != string(want) {
		t.Errorf("table differs from %s (go test ./report/tidy -update rewrites it):\n%s", path, got)
	}
}

// TestTables: each kind's table has its documented columns after the run,
// scenario, model and variant, one row per observation, and the numbers
// of the result.
func TestTables(t *testing.T) {
	draws := []sweep.Draw{{Index: 1, Forecasts: []float64{60.25}}, {Index: 0, Forecasts: []float64{48}}}
	cases := []struct {
		golden  string
		run     run.Run
		columns []string
		rows    int
		want    [][]string // rows that must be in the table
	}{
		// 2 issues: 3 + 2 rounds, each 3 series and 3 actors.
		{"forecast.csv", stored(t, "forecast", "dispute.json", "forecast.json"), tidy.ForecastColumns, (3 + 2) * 6,
			[][]string{{"42", "harbour", "eum", "scholz", "status", "2", "forecast", "NA", "48"}, {"42", "harbour", "eum", "scholz", "fees", "1", "position", "b", "6"}}},
		{"sweep.csv", stored(t, "sweep", "", "sweep.json"), tidy.SweepColumns, 2,
			[][]string{{"42", "harbour", "eum", "scholz", "0", "status", "48"}, {"42", "harbour", "eum", "scholz", "1", "status", "60.25"}}},
		{"sensitivity.csv", stored(t, "sensitivity", "", "sensitivity.json"), tidy.SensitivityColumns, -1, nil},
		{"process.csv", stored(t, "process", "", "process.json"), tidy.ProcessColumns, 1,
			[][]string{{"42", "harbour", "eum", "scholz", "2020-02-01", "NA", "NA", "talks", "talks", "NA", "NA", "talks open"}}},
		{"conflicts.csv", stored(t, "conflicts", "", "conflicts.json"), tidy.ConflictsColumns, -1, nil},
	}
	for _, c := range cases {
		t.Run(c.golden, func(t *testing.T) {
			out, rows := table(t, c.run, draws)
			if want := append([]string{"run", "scenario", "model", "variant"}, c.columns...); !slices.Equal(rows[0], want) {
				t.Errorf("header %v, want %v", rows[0], want)
			}
			if c.rows >= 0 && len(rows)-1 != c.rows {
				t.Errorf("%d rows, want %d", len(rows)-1, c.rows)
			}
			for _, w := range c.want {
				if !slices.ContainsFunc(rows, func(r []string) bool { return slices.Equal(r, w) }) {
					t.Errorf("no row %v", w)
				}
			}
			golden(t, c.golden, out)
		})
	}
}

// TestNoTable: a kind without a table, and a run without a result, are
// ErrNoTable; a sweep draw of the wrong width is an error.
func TestNoTable(t *testing.T) {
	var b bytes.Buffer
	if err := tidy.Write(&b, stored(t, "advice", "", "advice.json"), nil); !errors.Is(err, tidy.ErrNoTable) || !strings.Contains(err.Error(), "a advice run has none") {
		t.Errorf("advice: %v", err)
	}
	running := &run.Forecast{Header: run.Header{ID: 3, Kind: "forecast", Status: "running"}}
	if err := tidy.Write(&b, running, nil); !errors.Is(err, tidy.ErrNoTable) || !strings.Contains(err.Error(), "run 3 is running") {
		t.Errorf("running: %v", err)
	}
	if err := tidy.Write(&b, stored(t, "sweep", "", "sweep.json"), []sweep.Draw{{Index: 0, Forecasts: []float64{1, 2}}}); err == nil {
		t.Error("a draw with two forecasts for one issue was written")
	}
}

func TestNum(t *testing.T) {
	for _, c := range []struct {
		v    float64
		want string
	}{{48, "48"}, {1.0 / 3, "0.3333333333333333"}, {-0.5, "-0.5"}, {1e-7, "1e-07"}} {
		if got := tidy.Num(c.v); got != c.want {
			t.Errorf("Num(%v) = %q, want %q", c.v, got, c.want)
		}
	}
	var zero float64
	if got := tidy.Num(zero / zero); got != tidy.NA {
		t.Errorf("NaN written %q", got)
	}
}
