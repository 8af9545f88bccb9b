package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestHostileCommands: commands given legal scenarios too large for a
// model, or counts and parameters out of range, end promptly with exit 2
// and an error that says what is wrong, never a panic or an out-of-memory
// crash. Before the models' size limits, 'parley forecast' of 100,000
// actors on one issue (and 'parley conflicts' of it) ended with "fatal
// error: out of memory" after asking for an 80 GB table; 10,001 actors
// would take minutes a round; the exchange model took 300 actors on ten issues
// to more than 1 GB.
func TestHostileCommands(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	var wide, grid, long strings.Builder
	wide.WriteString("Actor,Capability,Position,Salience\n")
	for i := range 10001 {
		fmt.Fprintf(&wide, "a%d,%d,%d,0.%d\n", i, 1+i%7, (i*37)%101, 1+i%9)
	}
	grid.WriteString("name: grid\nissues:\n")
	long.WriteString("name: long\nissues:\n")
	for _, g := range []struct {
		b              *strings.Builder
		actors, issues int
	}{{&grid, 300, 10}, {&long, 20, 100}} {
		for i := range g.issues {
			fmt.Fprintf(g.b, "  - {id: i%d, min: 0, max: 100}\n", i)
		}
		g.b.WriteString("actors:\n")
		for a := range g.actors {
			fmt.Fprintf(g.b, "  - {id: a%d, capability: %d, stances: {", a, 1+a%7)
			for i := range g.issues {
				fmt.Fprintf(g.b, "i%d: {position: %d, salience: %d}, ", i, (a*37+i*11)%101, 1+(a+i)%9)
			}
			g.b.WriteString("}}\n")
		}
	}
	w, gr, lg := write("wide.csv", wide.String()), write("grid.yaml", grid.String()), write("long.yaml", long.String())
	t.Setenv("PARLEY_DB", filepath.Join(dir, "runs.db"))
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"forecast", w}, `issue "issue": 10001 actors hold a position; the eum model takes at most 10000 on one issue (its work grows with the square of the actors: n² log n steps a round)`},
		{[]string{"forecast", "-m", "procedure", "--variant", "eum", w}, "10001 actors hold a position"},
		{[]string{"forecast", "-m", "smp", w}, "the spatial model takes at most 1000 actors (the scenario has 10001)"},
		{[]string{"forecast", "-m", "exchange", gr}, "300 actors on 10 issues could make 1012500, more than 250000"},
		{[]string{"forecast", "-r", "10000", lg}, "10000 rounds of the eum model on 2000 positions would record 20002000 positions, more than 2000000; ask for at most 999 rounds"},
		{[]string{"forecast", "--interval", "--draws", "50", w}, "10001 actors hold a position"},
		// A sweep is refused before it stores a run or draws (it stored
		// one, left interrupted, and failed with "draw 1: issue ...").
		{[]string{"sweep", "--draws", "10", w}, `parley: issue "issue": 10001 actors hold a position; the eum model takes at most 10000 on one issue (its work grows with the square of the actors: n² log n steps a round)`},
		{[]string{"sweep", "--draws", "10", "-m", "exchange", gr}, "parley: the exchange model lists every exchange between two actors on two issues each round: 300 actors on 10 issues could make 1012500"},
		{[]string{"sweep", "--draws", "10", "-m", "smp", w}, "parley: the spatial model takes at most 1000 actors (the scenario has 10001)"},
		{[]string{"sensitivity", w}, "10001 actors hold a position"},
		{[]string{"advise", "a0", w}, "10001 actors hold a position"},
		{[]string{"conflicts", w}, "10001 actors hold a position"},
		{[]string{"conflicts", "-m", "smp", w}, "the spatial model takes at most 1000 actors"},
		{[]string{"forecast", "-p", "q=NaN"}, "parameter q: NaN is not allowed (want a number from 0 to 1)"},
		{[]string{"forecast", "-p", "q=1e999"}, "parameter q"},
		{[]string{"forecast", "-r", "-1"}, "rounds: -1 is outside 0 to 10000"},
		{[]string{"forecast", "--workers", "100000"}, "--workers must be 0 (one per CPU) to 256, got 100000"},
		{[]string{"forecast", "--stable", "-3"}, "--stable -3: want a number of rounds of 1 or more"},
		{[]string{"forecast", "--stable", "1", "--epsilon", "-1"}, "--epsilon -1: want a finite number of 0 or more"},
		{[]string{"forecast", "-m", "exchange", "-p", "repetitions=1000000000"}, "parameter repetitions"},
		{[]string{"sweep", "--draws", "0"}, "--draws 0: want a positive number up to 1000000000"},
		{[]string{"forecast", "-m", "\x1b[2Jeum"}, `unknown model "\x1b[2Jeum"`},
	} {
		start := time.Now()
		code, _, errs := parley(c.args...)
		took := time.Since(start)
		if code != 2 || !strings.Contains(errs, c.want) {
			t.Errorf("%q: exit %d, %s\nwant exit 2 and %q", c.args, code, shorten(errs, 400), c.want)
		}
		if strings.Contains(errs, "goroutine ") || strings.Contains(errs, "panic") {
			t.Errorf("%q: %s", c.args, shorten(errs, 400))
		}
		if took > 20*time.Second {
			t.Errorf("%q: took %v", c.args, took)
		}
	}
	// Every command was refused: none stored a run.
	if code, out, errs := parley("runs", "list"); code != 0 || strings.Count(strings.TrimSpace(out), "\n") != 0 {
		t.Errorf("runs list: exit %d, %s%s; want the header alone", code, out, errs)
	}
}
