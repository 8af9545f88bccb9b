package exchange_test

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/parley-project/parley/internal/fixture"
	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/model/exchange"
	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/scenario"
)

// printed is what equal-gain-output.txt shows of a round: the number of
// exchanges, the first three, and the outcomes.
type printed struct {
	count   int
	first   [][4]string // i, i's issue, j, j's issue
	gains   []float64
	moves   [][4]float64 // i from, to, j from, to
	outcome map[string]float64
}

var (
	roundRE = regexp.MustCompile(`^round (\d+): (\d+) exchanges realized`)
	exchRE  = regexp.MustCompile(`^\s+gain=([\d.]+)\s+i=(\S+) supplies (\S+): ([\d.]+)->([\d.]+) \| j=(\S+) supplies (\S+): ([\d.]+)->([\d.]+)`)
	mdsRE   = regexp.MustCompile(`'([^']+)': ([\d.]+)`)
)

// readPrinted parses the section of equal-gain-output.txt for one input.
func readPrinted(t *testing.T, input string) []printed {
	t.Helper()
	f, err := os.Open(fixture.Path("reference/decide/equal-gain-output.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []printed
	in := false
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	num := func(s string) float64 { v, _ := strconv.ParseFloat(s, 64); return v }
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "## ") {
			in = strings.HasPrefix(line, "## "+input+",")
			continue
		}
		if !in {
			continue
		}
		if m := roundRE.FindStringSubmatch(line); m != nil {
			n, _ := strconv.Atoi(m[2])
			out = append(out, printed{count: n, outcome: map[string]float64{}})
		} else if m := exchRE.FindStringSubmatch(line); m != nil {
			p := &out[len(out)-1]
			p.gains = append(p.gains, num(m[1]))
			p.first = append(p.first, [4]string{m[2], m[3], m[6], m[7]})
			p.moves = append(p.moves, [4]float64{num(m[4]), num(m[5]), num(m[8]), num(m[9])})
		} else if strings.Contains(line, "MDS after voting positions") {
			for _, m := range mdsRE.FindAllStringSubmatch(line, -1) {
				out[len(out)-1].outcome[m[1]] = num(m[2])
			}
		}
	}
	if len(out) == 0 {
		t.Fatalf("no rounds for %s in equal-gain-output.txt", input)
	}
	return out
}

// TestEqualGainOutput checks the shared reference file itself: every
// printed number (exchange counts, the first three exchanges, outcomes)
// of the three rounds of sample_data.txt and the two of cop21.csv.
func TestEqualGainOutput(t *testing.T) {
	for _, tc := range []struct {
		input  string
		rounds int
		full   bool
	}{
		{"sample_data.txt", 3, true},
		{"cop21.csv", 2, true},
	} {
		t.Run(tc.input, func(t *testing.T) {
			sc := fixture.Load(t, "reference/decide/"+tc.input)
			want := readPrinted(t, tc.input)
			res := run(t, sc, tc.rounds)
			for r := 1; r <= tc.rounds; r++ {
				w := want[r-1]
				got := roundExchanges(res, r)
				if tc.full && len(got) != w.count {
					t.Errorf("round %d: %d exchanges, Decide %d", r, len(got), w.count)
				}
				for k := range w.first {
					g := got[k]
					if math.Abs(g.Gain-w.gains[k]) > 5e-7 { // printed to 6 decimals
						t.Errorf("round %d exchange %d: gain %.7f, Decide %.6f", r, k+1, g.Gain, w.gains[k])
					}
					for s, actor := range []string{w.first[k][0], w.first[k][2]} {
						issue := w.first[k][1+2*s]
						if g.Actors[s] != actor || g.Supply[actor] != issue {
							t.Fatalf("round %d exchange %d: %v supplying %v, Decide %s on %s", r, k+1, g.Actors, g.Supply, actor, issue)
						}
						mv := g.Moves[actor]
						if from := norm(sc, issue, mv.From); math.Abs(from-w.moves[k][2*s]) > 5e-4 {
							t.Errorf("round %d exchange %d: %s from %.4f, Decide %.3f", r, k+1, actor, from, w.moves[k][2*s])
						}
						if to := norm(sc, issue, mv.To); math.Abs(to-w.moves[k][2*s+1]) > 5e-4 {
							t.Errorf("round %d exchange %d: %s to %.4f, Decide %.3f", r, k+1, actor, to, w.moves[k][2*s+1])
						}
					}
				}
				if !tc.full {
					continue
				}
				for _, ir := range res.Issues {
					if g := norm(sc, ir.ID, ir.Rounds[r].Forecast); math.Abs(g-w.outcome[ir.ID]) > 1e-4 {
						t.Errorf("round %d %s: outcome %.4f, Decide %.4f", r, ir.ID, g, w.outcome[ir.ID])
					}
				}
			}
		})
	}
}

// TestInvariants checks on every Decide input and both variants what must
// hold whatever the data: gains positive; under equal gain both partners
// gain the same, recomputed from the moves (E4, E5); every move goes
// towards the partner's position; positions stay on the scale; round-1
// partners sit on opposite sides of both outcomes.
func TestInvariants(t *testing.T) {
	inputs := []string{"sample_data.txt", "cop21.csv", "copenhagen.csv", "replication/random8x5.txt", "replication/random12x4.txt"}
	for _, in := range inputs {
		for _, v := range []string{exchange.EqualGain, exchange.RandomRate} {
			t.Run(in+"/"+v, func(t *testing.T) {
				sc := fixture.Load(t, "reference/decide/"+in)
				res, err := exchange.Model{}.Run(context.Background(), sc, model.Options{Variant: v, Rounds: 4})
				if err != nil {
					t.Fatal(err)
				}
				if len(res.Exchanges) == 0 {
					t.Fatal("no exchanges")
				}
				w := weights(sc)
				start := map[string]map[string]float64{}
				for _, ir := range res.Issues {
					start[ir.ID] = ir.Rounds[0].Positions
				}
				for n, e := range res.Exchanges {
					a, b := e.Actors[0], e.Actors[1]
					if e.Gain == 0 && e.Moves[a].From == e.Moves[a].To && e.Moves[b].From == e.Moves[b].To {
						// Decide's list can hold an exchange twice; the copy
						// left after it was realised is worked out again
						// from the voting positions and comes to nothing.
						continue
					}
					if !(e.Gain > 0) {
						t.Fatalf("exchange %d: gain %v", n, e.Gain)
					}
					pa, pb := e.Supply[a], e.Supply[b]
					if pa == pb || a == b {
						t.Fatalf("exchange %d: %v on %v", n, e.Actors, e.Supply)
					}
					// Outcome shifts on 0–100 (E4) and gains (E5).
					shift := func(actor, issue string) float64 {
						mv := e.Moves[actor]
						return math.Abs(norm(sc, issue, mv.To)-norm(sc, issue, mv.From)) * w[issue][actor] / w[issue][""]
					}
					da, db := shift(a, pa), shift(b, pb)
					sal := func(actor, issue string) float64 {
						return sc.Actor(actor).Stances[issue].Salience.Value / sc.SalienceMax()
					}
					ga := db*sal(a, pb) - da*sal(a, pa)
					gb := da*sal(b, pa) - db*sal(b, pb)
					if v == exchange.EqualGain && (math.Abs(ga-gb) > 1e-9 || math.Abs(ga-e.Gain) > 1e-9) {
						t.Errorf("exchange %d (%v): gains %v and %v, reported %v", n, e.Actors, ga, gb, e.Gain)
					}
					if v == exchange.RandomRate && (math.Abs(ga-e.GainBy[a]) > 1e-9 || math.Abs(gb-e.GainBy[b]) > 1e-9 || ga < -1e-12 || gb < -1e-12) {
						t.Errorf("exchange %d (%v): gains %v and %v, reported %v", n, e.Actors, ga, gb, e.GainBy)
					}
					for _, s := range [][3]string{{a, pa, b}, {b, pb, a}} {
						actor, issue, partner := s[0], s[1], s[2]
						mv := e.Moves[actor]
						is := sc.Issue(issue)
						if mv.To < is.Min-1e-9 || mv.To > is.Max+1e-9 {
							t.Errorf("exchange %d: %s moves to %v, off the scale", n, actor, mv.To)
						}
						if e.Round == 1 {
							target := start[issue][partner]
							if (target-mv.From)*(mv.To-mv.From) <= 0 {
								t.Errorf("exchange %d: %s moves %v→%v, away from %s at %v", n, actor, mv.From, mv.To, partner, target)
							}
						}
					}
					if e.Round == 1 {
						for _, issue := range []string{pa, pb} {
							o := res.Issues[issueIndex(sc, issue)].Rounds[0].Forecast
							if (start[issue][a]-o)*(start[issue][b]-o) > 0 && start[issue][a] != o {
								t.Errorf("exchange %d: %s and %s on the same side of %s's outcome %v", n, a, b, issue, o)
							}
						}
					}
				}
			})
		}
	}
}

// weights maps issue → actor → capability×salience, with the sum under "".
func weights(sc *scenario.Scenario) map[string]map[string]float64 {
	w := map[string]map[string]float64{}
	for _, is := range sc.Issues {
		w[is.ID] = map[string]float64{}
		for _, h := range sc.Stakeholders(is.ID) {
			w[is.ID][h.ID] = h.Capability * h.Salience
			w[is.ID][""] += h.Capability * h.Salience
		}
	}
	return w
}

func issueIndex(sc *scenario.Scenario, id string) int {
	for i := range sc.Issues {
		if sc.Issues[i].ID == id {
			return i
		}
	}
	return -1
}

// TestSeeds checks that the random-rate variant is reproducible: the same
// seed gives the same result whatever the workers, another seed another.
func TestSeeds(t *testing.T) {
	sc := fixture.Load(t, "reference/decide/cop21.csv")
	runWith := func(seed float64, workers int) *result.Result {
		res, err := exchange.Model{}.Run(context.Background(), sc, model.Options{Variant: exchange.RandomRate, Rounds: 3, Workers: workers,
			Params: model.Params{"seed": model.Number(seed)}})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	a, b, c := runWith(7, 1), runWith(7, 4), runWith(8, 1)
	if !reflect.DeepEqual(a, b) {
		t.Error("same seed, different workers: results differ")
	}
	if reflect.DeepEqual(a.Exchanges, c.Exchanges) {
		t.Error("seeds 7 and 8 give the same exchanges")
	}
	eg1, _ := exchange.Model{}.Run(context.Background(), sc, model.Options{Rounds: 2})
	eg2, _ := exchange.Model{}.Run(context.Background(), sc, model.Options{Rounds: 2})
	if !reflect.DeepEqual(eg1, eg2) {
		t.Error("equal gain is not deterministic")
	}
}

// TestOneIssue: with one issue there is nothing to trade, and the
// forecast is the weighted mean of the positions (E1).
func TestOneIssue(t *testing.T) {
	sc := fixture.Emission(t)
	res, err := exchange.Model{}.Run(context.Background(), sc, model.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Exchanges) != 0 || res.Issues[0].Stopped != result.StoppedFinal || len(res.Issues[0].Rounds) != 2 {
		t.Fatalf("got %d exchanges, stopped %q after %d rounds", len(res.Exchanges), res.Issues[0].Stopped, len(res.Issues[0].Rounds)-1)
	}
	if got, want := res.Issues[0].Forecast, res.Issues[0].Rounds[0].Mean; math.Abs(got-want) > 1e-12 {
		t.Errorf("forecast %v, weighted mean %v", got, want)
	}
}

// TestBadOptions: a negative or fractional seed, p outside [0, 1] or
// with a variant or setting it does not apply to, and repetitions out of
// range or with a stop rule are refused, each naming the parameter.
func TestBadOptions(t *testing.T) {
	sc := fixture.Load(t, "reference/decide/sample_data.txt")
	for _, c := range []struct {
		opt  model.Options
		want string
	}{
		{model.Options{Params: model.Params{"seed": model.Number(-1)}}, "seed"},
		{model.Options{Params: model.Params{"seed": model.Number(1.5)}}, "seed"},
		{model.Options{Params: model.Params{"p": model.Number(1.5)}}, "parameter p: 1.5 is not allowed (want a number from 0 to 1)"},
		{model.Options{Params: model.Params{"p": model.Number(-0.1)}}, "parameter p: -0.1 is not allowed"},
		{model.Options{Variant: exchange.RandomRate, Params: model.Params{"p": model.Number(0.5)}}, "param p: 0.5: randomised equal gain belongs to the equal-gain variant"},
		{model.Options{Params: model.Params{"p": model.Number(0.5), "exact": model.Boolean(false)}}, "does not combine with exact=false"},
		{model.Options{Params: model.Params{"repetitions": model.Number(0)}}, "parameter repetitions: 0 is not allowed"},
		{model.Options{Params: model.Params{"repetitions": model.Number(10001)}}, "parameter repetitions: 10001 is not allowed"},
		{model.Options{Params: model.Params{"repetitions": model.Number(2)}, Stop: model.StopRule{K: 2, Epsilon: 0.1}}, "does not combine with a stop rule"},
	} {
		_, err := (exchange.Model{}).Run(context.Background(), sc, c.opt)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want %q", c.opt.Params, err, c.want)
		}
	}
}

// TestRepetitions checks the repetitions of a run against what does not
// need Decide: one repetition is the plain run; a run's first repetition
// is the run alone (its exchanges are reported); the summaries and the
// trajectories are means over the repetitions; later repetitions differ
// (the random stream goes on: ties under equal gain, the drawn rates under
// random rate, whose draws Decide's broken random rate cannot check), and
// the whole is the same for the same seed.
func TestRepetitions(t *testing.T) {
	sc := fixture.Load(t, "reference/decide/cop21.csv")
	run := func(variant string, reps int) *result.Result {
		t.Helper()
		res, err := exchange.Model{}.Run(context.Background(), sc, model.Options{Variant: variant, Rounds: 3,
			Params: model.Params{"repetitions": model.Number(float64(reps)), "seed": model.Number(5)}})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	for _, v := range []string{exchange.EqualGain, exchange.RandomRate} {
		one, plain := run(v, 1), func() *result.Result {
			res, _ := exchange.Model{}.Run(context.Background(), sc, model.Options{Variant: v, Rounds: 3, Params: model.Params{"seed": model.Number(5)}})
			return res
		}()
		if !reflect.DeepEqual(one, plain) {
			t.Errorf("%s: repetitions=1 differs from the plain run", v)
		}
		many := run(v, 6)
		if many.Trades.Repetitions != 6 || !reflect.DeepEqual(many.Exchanges, one.Exchanges) {
			t.Errorf("%s: %d repetitions, first repetition's exchanges the run's alone: %v", v, many.Trades.Repetitions, reflect.DeepEqual(many.Exchanges, one.Exchanges))
		}
		if again := run(v, 6); !reflect.DeepEqual(again, many) {
			t.Errorf("%s: same seed, different result", v)
		}
		spread := 0.0
		for k, iv := range many.IssueVoting {
			ir := many.Issues[slices.IndexFunc(many.Issues, func(i result.Issue) bool { return i.ID == iv.Issue })]
			if got := ir.Rounds[iv.Round].Forecast; math.Abs(got-iv.Voting.Mean) > 1e-12 {
				t.Errorf("%s %d: forecast %v, mean voting outcome %v", v, k, got, iv.Voting.Mean)
			}
			spread = math.Max(spread, iv.Voting.Variance)
		}
		if spread == 0 {
			t.Errorf("%s: the repetitions all agree", v)
		}
	}
}

// Example runs the exchange model on Decide's sample data and prints the
// first exchange it realises.
func Example() {
	sc, err := scenario.Load(fixture.Path("reference/decide/sample_data.txt"))
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := exchange.Model{}.Run(context.Background(), sc, model.Options{Rounds: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	e := res.Exchanges[0]
	for _, a := range e.Actors {
		mv := e.Moves[a]
		fmt.Printf("%s moves on %s from %.3f to %.3f\n", a, mv.Issue, mv.From, mv.To)
	}
	fmt.Printf("each gains %.6f; %d exchanges in round 1\n", e.Gain, len(res.Exchanges))
	// Output:
	// Willems moves on extra-investering from 25.000 to 100.000
	// Wcentr moves on tolheffing-binnenstad from 0.000 to 61.051
	// each gains 1.973684; 39 exchanges in round 1
}

// TestRandomScenarios runs both variants on seeded random scenarios with
// awkward data (zero saliences and capabilities, positions on the ends
// of the scale, ties, actors missing on issues) and checks that every
// number is finite, positions stay on the scale and the JSON-facing
// records are complete.
func TestRandomScenarios(t *testing.T) {
	rng := rand.New(rand.NewPCG(2026, 3))
	ran, traded := 0, 0
	for n := 0; n < 40; n++ {
		sc := &scenario.Scenario{Name: fmt.Sprint("r", n), SalienceScale: 1}
		nI, nA := 2+rng.IntN(5), 2+rng.IntN(12)
		for q := 0; q < nI; q++ {
			lo := float64(rng.IntN(3) - 1)
			sc.Issues = append(sc.Issues, scenario.Issue{ID: fmt.Sprint("i", q), Min: lo * 10, Max: lo*10 + 10})
		}
		for a := 0; a < nA; a++ {
			act := scenario.Actor{ID: fmt.Sprint("a", a), Capability: scenario.N(float64(rng.IntN(4))), Stances: map[string]scenario.Stance{}}
			for q, is := range sc.Issues {
				if rng.IntN(6) == 0 && q > 0 {
					continue
				}
				pos := is.Min + float64(rng.IntN(5))*(is.Max-is.Min)/4
				st := scenario.Stance{Position: scenario.N(pos), Salience: scenario.N(float64(rng.IntN(5)) / 4)}
				if rng.IntN(3) == 0 { // a capability of its own on the issue
					st.Capability = scenario.N(float64(rng.IntN(4)))
				}
				act.Stances[is.ID] = st
			}
			sc.Actors = append(sc.Actors, act)
		}
		if sc.Validate() != nil {
			continue // e.g. an issue where every weight is zero
		}
		ran++
		for _, c := range []struct {
			v      string
			params model.Params
		}{
			{exchange.EqualGain, nil},
			{exchange.RandomRate, nil},
			{exchange.EqualGain, model.Params{"p": model.Number(0.6), "repetitions": model.Number(2)}},
		} {
			v := c.v
			res, err := exchange.Model{}.Run(context.Background(), sc, model.Options{Variant: v, Rounds: 5, Params: c.params})
			if err != nil {
				t.Fatalf("scenario %d %s: %v", n, v, err)
			}
			for _, ir := range res.Issues {
				is := sc.Issue(ir.ID)
				for _, r := range ir.Rounds {
					for id, p := range r.Positions {
						if math.IsNaN(p) || p < is.Min-1e-9 || p > is.Max+1e-9 {
							t.Fatalf("scenario %d %s round %d: %s at %v on %v–%v", n, v, r.Round, id, p, is.Min, is.Max)
						}
					}
					if math.IsNaN(r.Forecast) || math.IsInf(r.Forecast, 0) {
						t.Fatalf("scenario %d %s: forecast %v", n, v, r.Forecast)
					}
				}
			}
			for _, e := range res.Exchanges {
				if math.IsNaN(e.Gain) || len(e.Supply) != 2 || len(e.Moves) != 2 {
					t.Fatalf("scenario %d %s: exchange %+v", n, v, e)
				}
			}
			for _, g := range res.ActorGains {
				for _, s := range []result.Stat{g.Exchanges, g.Own, g.InnerPositive, g.InnerNegative, g.OuterPositive, g.OuterNegative} {
					if math.IsNaN(s.Mean) || math.IsInf(s.Mean, 0) || !(s.Variance >= 0) {
						t.Fatalf("scenario %d %s: actor gains %+v", n, v, g)
					}
				}
				if g.InnerPositive.Mean < 0 || g.OuterPositive.Mean < 0 || g.InnerNegative.Mean > 0 || g.OuterNegative.Mean > 0 || g.Own.Mean < 0 {
					t.Fatalf("scenario %d %s: gains of the wrong sign %+v", n, v, g)
				}
			}
			if len(res.Exchanges) > 0 {
				traded++
			}
		}
	}
	if ran < 20 || traded < 20 {
		t.Errorf("only %d scenarios ran and %d runs traded", ran, traded)
	}
}
