package main

import (
	"strings"
	"testing"
	"unicode/utf8"
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
