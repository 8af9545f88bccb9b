package smp

import (
	"context"
	"encoding/csv"
	"math"
	"os"
	"strconv"
	"testing"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/scenario"
)

// refPositions reads a KTAB positions file: turn,actor,dim,position.
func refPositions(t *testing.T, path string) (rows [][4]string, turns int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs[1:] {
		rows = append(rows, [4]string{r[0], r[1], r[2], r[3]})
		tt, _ := strconv.Atoi(r[0])
		turns = max(turns, tt)
	}
	return rows, turns
}

// TestKTABReference runs the smp model with KTAB's default settings on
// KTAB's sample scenarios and compares every actor's position on every
// dimension at every turn with KTAB's own output (testdata/README.md),
// within 0.01 on the 0–100 scale, and the number of turns.
func TestKTABReference(t *testing.T) {
	for _, name := range []string{"dummyData_3Dim", "SOE-Pol-Comp", "dummyData_6Dim",
		"dummyData-a040", "dummyData-a080", "dummyData-a160"} {
		c := struct{ name string }{name}
		t.Run(c.name, func(t *testing.T) {
			sc, err := scenario.Load("testdata/" + c.name + ".csv")
			if err != nil {
				t.Fatal(err)
			}
			res, err := Model{}.Run(context.Background(), sc, model.Options{})
			if err != nil {
				t.Fatal(err)
			}
			rows, turns := refPositions(t, "testdata/"+c.name+".positions.csv")
			for _, is := range res.Issues {
				if got := len(is.Rounds) - 1; got != turns {
					t.Fatalf("issue %s: %d turns, KTAB %d", is.ID, got, turns)
				}
				if is.Stopped != "converged" {
					t.Errorf("issue %s stopped by %q", is.ID, is.Stopped)
				}
			}
			worst := 0.0
			for _, r := range rows {
				turn, _ := strconv.Atoi(r[0])
				dim, _ := strconv.Atoi(r[2])
				want, _ := strconv.ParseFloat(r[3], 64)
				got, ok := res.Issues[dim].Rounds[turn].Positions[r[1]]
				if !ok {
					t.Fatalf("turn %d: no position for actor %s on dimension %d", turn, r[1], dim)
				}
				if d := math.Abs(got - want); d > 0.01 {
					t.Errorf("turn %d actor %s dim %d: %.6f, KTAB %.6f", turn, r[1], dim, got, want)
				} else {
					worst = math.Max(worst, d)
				}
			}
			if len(rows) != len(sc.Actors)*len(sc.Issues)*(turns+1) {
				t.Errorf("reference has %d rows, want %d", len(rows), len(sc.Actors)*len(sc.Issues)*(turns+1))
			}
			t.Logf("%d actors, %d dimensions, %d turns; largest difference %.3g", len(sc.Actors), len(sc.Issues), turns, worst)
		})
	}
}

// TestKTABMargins measures, on each reference scenario, how close the run
// comes to the points where a last-bit difference could change KTAB's
// result (docs/models/smp.md §5): a tie between challenge targets or
// between options, a bargain coordinate on a rounding boundary, the
// stopping ratio at 0.02. It fails if any margin is below 1e-9, which
// would make the reference fragile.
func TestKTABMargins(t *testing.T) {
	for _, name := range []string{"dummyData_3Dim", "SOE-Pol-Comp", "dummyData_6Dim",
		"dummyData-a040", "dummyData-a080", "dummyData-a160"} {
		sc, err := scenario.Load("testdata/" + name + ".csv")
		if err != nil {
			t.Fatal(err)
		}
		sp, _ := sc.Spatial()
		in := input{n: len(sc.Actors), d: len(sc.Issues), cap: sp.Cap}
		for i := range sc.Actors {
			in.pos = append(in.pos, sp.Pos[i]...)
			in.sal = append(in.sal, sp.Sal[i]...)
		}
		e := &engine{in: in, set: Defaults(), diag: newDiagnostics()}
		if _, _, err := e.run(MaxTurns, nil); err != nil {
			t.Fatal(err)
		}
		g := e.diag
		t.Logf("%-15s target gap %.3g, option gap %.3g, rounding margin %.3g (×1e-4), stop-ratio margin %.3g",
			name, g.targetGap, g.optionGap, g.roundGap, g.stop)
		for what, v := range map[string]float64{"target": g.targetGap, "option": g.optionGap, "rounding": g.roundGap, "stop": g.stop} {
			if v < 1e-9 {
				t.Errorf("%s: %s margin %g: KTAB's result is fragile here", name, what, v)
			}
		}
	}
}
