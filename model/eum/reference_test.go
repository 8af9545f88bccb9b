package eum_test

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/model/eum"
	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/scenario"
)

// refRound is one round of a jmckib/bdm-scholz-expected-utility-model log.
type refRound struct {
	median, mean float64
	moves        []result.Move
}

var moveRE = regexp.MustCompile(`^(.+) (compromises with|loses confrontation to|capitulates to) (.+)$`)

// readScholzLog parses the log printed by bdm_scholz_model.py: round 0's
// median and mean, then per round the moves and the median and mean.
func readScholzLog(t *testing.T, path string) []refRound {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	kinds := map[string]string{"compromises with": eum.Compromise, "loses confrontation to": eum.Confrontation, "capitulates to": eum.Capitulation}
	rounds := []refRound{{}}
	cur := &rounds[0]
	var mv *result.Move
	num := func(s string) float64 {
		v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return v
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		tl := strings.TrimSpace(line)
		switch {
		case tl == "":
		case strings.HasPrefix(tl, "ROUND "):
			rounds = append(rounds, refRound{})
			cur = &rounds[len(rounds)-1]
		case strings.HasPrefix(tl, "Median position:"):
			cur.median = num(strings.TrimPrefix(tl, "Median position:"))
		case strings.HasPrefix(tl, "Mean position:"):
			cur.mean = num(strings.TrimPrefix(tl, "Mean position:"))
		case strings.HasPrefix(tl, "new_pos = "):
			mv.To = num(strings.TrimPrefix(tl, "new_pos = "))
		case strings.Contains(tl, " vs "):
			a, b, _ := strings.Cut(tl, " vs ")
			mv.Utilities = &result.Utilities{EU: num(a), PartnerEU: num(b)}
		default:
			m := moveRE.FindStringSubmatch(tl)
			if m == nil {
				t.Fatalf("%s: unexpected line %q", path, line)
			}
			cur.moves = append(cur.moves, result.Move{Actor: m[1], Kind: kinds[m[2]], Partner: m[3]})
			mv = &cur.moves[len(cur.moves)-1]
		}
	}
	return rounds
}

func loadScenario(t *testing.T, path string) *scenario.Scenario {
	t.Helper()
	sc, err := scenario.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// compareWithLog checks every round against the reference log: the
// positions moves lead to within 1e-9 relative, the median and the mean
// within 1e-6, and each move's actor, partner, kind and expected utilities
// (within 1e-6).
func compareWithLog(t *testing.T, got result.Issue, want []refRound) {
	t.Helper()
	if len(got.Rounds) != len(want) {
		t.Fatalf("%d rounds, reference has %d", len(got.Rounds), len(want))
	}
	close := func(a, b float64) bool { return math.Abs(a-b) <= 1e-6 }
	closePos := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b)) }
	for n, w := range want {
		g := got.Rounds[n]
		if !close(g.Median, w.median) || !close(g.Forecast, w.median) {
			t.Errorf("round %d: median %.12g, reference %.12g", n, g.Median, w.median)
		}
		if !close(g.Mean, w.mean) {
			t.Errorf("round %d: mean %.12g, reference %.12g", n, g.Mean, w.mean)
		}
		if len(g.Moves) != len(w.moves) {
			t.Errorf("round %d: %d moves %v, reference %d %v", n, len(g.Moves), g.Moves, len(w.moves), w.moves)
			continue
		}
		for i, wm := range w.moves {
			gm := g.Moves[i]
			if gm.Actor != wm.Actor || gm.Partner != wm.Partner || gm.Kind != wm.Kind ||
				!close(gm.Utilities.EU, wm.Utilities.EU) || !close(gm.Utilities.PartnerEU, wm.Utilities.PartnerEU) || !closePos(gm.To, wm.To) {
				t.Errorf("round %d move %d: got %s %s %s eu %.10g vs %.10g to %.15g; reference %s %s %s eu %.10g vs %.10g to %.15g",
					n, i, gm.Actor, gm.Kind, gm.Partner, gm.Utilities.EU, gm.Utilities.PartnerEU, gm.To,
					wm.Actor, wm.Kind, wm.Partner, wm.Utilities.EU, wm.Utilities.PartnerEU, wm.To)
			}
		}
	}
}

// TestScholzEmissionReference reproduces every round's median and mean and
// every move of the jmckib replication on the EU car-emission case for 10
// rounds: positions to 1e-9 relative, medians, means and expected
// utilities to 1e-6.
func TestScholzEmissionReference(t *testing.T) {
	sc := loadScenario(t, "../../testdata/reference/eum/emission.csv")
	want := readScholzLog(t, "../../testdata/reference/eum/emission-scholz-code-10rounds.log")
	for _, workers := range []int{1, 2, 3} {
		t.Run(fmt.Sprintf("workers=%d", workers), func(t *testing.T) {
			res, err := eum.Model{}.Run(context.Background(), sc, model.Options{Variant: "scholz", Rounds: 10, Workers: workers})
			if err != nil {
				t.Fatal(err)
			}
			compareWithLog(t, res.Issues[0], want)
		})
	}
}

// TestScholzMatchesReplicationOnOtherInputs compares the scholz variant
// with logs of the jmckib replication on further inputs: random actors,
// tied weighted medians (where the CPython set order decides), duplicate
// positions and saliences on 0–100.
func TestScholzMatchesReplicationOnOtherInputs(t *testing.T) {
	for _, name := range []string{"random7", "random9", "tie6", "dupes8", "sal100"} {
		t.Run(name, func(t *testing.T) {
			dir := "../../testdata/reference/eum/replication/"
			sc := loadScenario(t, dir+name+".csv")
			want := readScholzLog(t, dir+name+".log")
			res, err := eum.Model{}.Run(context.Background(), sc, model.Options{Variant: "scholz", Rounds: len(want) - 1})
			if err != nil {
				t.Fatal(err)
			}
			compareWithLog(t, res.Issues[0], want)
		})
	}
}
