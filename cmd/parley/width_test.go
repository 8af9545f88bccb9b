package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/parley-project/parley/report"
)

// TestEveryCommandFitsWidth: the text of every command that prints
// tables fits an 80-column terminal (--width 80): no line is longer.
func TestEveryCommandFitsWidth(t *testing.T) {
	db := t.TempDir() + "/runs.db"
	mustForecast(t, "--db", db, "--rounds", "10", "kosovo-2007")
	for _, args := range [][]string{
		{"forecast", "kosovo-2007"},
		{"forecast", "--moves", "kosovo-2007"},
		{"forecast", "-m", "exchange", "kosovo-2007"},
		{"forecast", "--interval", "--draws", "20", "kosovo-2007"},
		{"sweep", "--draws", "20", "kosovo-2007"},
		{"sensitivity", "emission-1994"},
		{"process", "--draws", "200", "kosovo-2007"},
		{"recognition", "--draws", "200", "kosovo-2007"},
		{"backtest", "deu3", "--data", deu3Fixture, "--models", "mean,procedure", "--capabilities", "equal", "--bootstrap", "50", "--folds", "0"},
		{"conflicts", "kosovo-2007"},
		{"conflicts", "-m", "smp", "--pairs", "kosovo-2007"},
		{"advise", "eu", "--issue", "serbia_eu", "-m", "mean", "kosovo-2007"},
		{"vote", "unsc", "--proposal", "80", "--issue", "status", "kosovo-2007"},
		{"vote", "eu-council", "--power", "kosovo-2007"},
		{"show", "kosovo-2007"},
		{"scenarios"},
		{"models"},
		{"runs", "list", "--db", db},
		{"runs", "show", "--db", db, "1"},
		{"runs", "show", "--db", db, "--fields", "1"},
	} {
		a := append([]string{"--width", "80"}, args...)
		if args[0] != "runs" && args[0] != "show" && args[0] != "scenarios" && args[0] != "models" {
			a = append(a, "--no-store")
		}
		code, out, errs := parley(a...)
		if code != 0 {
			t.Errorf("%v: exit %d: %s", args, code, errs)
			continue
		}
		for _, l := range strings.Split(out, "\n") {
			if n := utf8.RuneCountInString(l); n > 80 {
				t.Errorf("%v: a line of %d columns: %q", args, n, l)
				break
			}
		}
	}
}

// TestSummaryLongIssueIDs: a KTAB scenario whose issue ids are long
// (named after long dimensions) keeps its summary within the width by
// breaking the ids after their hyphens, so that "did not settle" stays
// on one line.
func TestSummaryLongIssueIDs(t *testing.T) {
	data, err := os.ReadFile("../../model/smp/testdata/dummyData_6Dim.csv")
	if err != nil {
		t.Fatal(err)
	}
	head, rest, _ := strings.Cut(string(data), "\n")
	names, rest, _ := strings.Cut(rest, "\n")
	names = strings.NewReplacer("Dim0 ", "Reform of the public broadcasting council ", "Dim3 ", "Minimum wage and collective bargaining ").Replace(names)
	file := filepath.Join(t.TempDir(), "long.csv")
	if err := os.WriteFile(file, []byte(head+"\n"+names+"\n"+rest), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		width     int
		idsBroken bool
	}{{80, true}, {100, true}, {120, false}} {
		code, out, errs := parley("forecast", "--no-store", "-m", "smp", "--width", strconv.Itoa(c.width), file)
		if code != 0 {
			t.Fatalf("width %d: exit %d: %s", c.width, code, errs)
		}
		summary, _, _ := strings.Cut(out[strings.Index(out, "\nIssue ")+1:], "\n\n")
		lines := strings.Split(summary, "\n")
		settles := 0
		for _, l := range lines {
			if w := report.TextWidth(l); w > c.width {
				t.Errorf("width %d: a summary line of %d: %q", c.width, w, l)
			}
			if strings.HasSuffix(l, "  did not settle") {
				settles++
			}
		}
		if settles != 6 {
			t.Errorf("width %d: %d of 6 rows end \"did not settle\" on one line:\n%s", c.width, settles, summary)
		}
		if broken := strings.Contains(summary, "\n  council-position") || strings.Contains(summary, "\n  broadcasting-council-position"); broken != c.idsBroken {
			t.Errorf("width %d: id broken after a hyphen: %v, want %v:\n%s", c.width, broken, c.idsBroken, summary)
		}
	}
}
