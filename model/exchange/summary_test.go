package exchange_test

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/parley-project/parley/internal/fixture"
	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/model/exchange"
	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/scenario"
)

// decideSummary is what Decide's own code prints for a run (see
// testdata/README.md): the realised exchanges of its first repetition
// (with the outcomes after each round's voting positions), the summary
// its Externalities observer writes per round (per actor: inner positive,
// inner negative, outer positive, outer negative and own, each as the mean
// over the repetitions and its variance) and the "Overview issue" table
// its IssueDevelopment observer writes per issue (per round: the outcome
// of the start positions and its variance, the outcome of the voting
// positions and its variance, and the mean squared distance of the
// positions from each, with their variances), numbers as Decide prints
// them.
type decideSummary struct {
	Repetitions     int                   `json:"repetitions"`
	FirstRepetition []decideRound         `json:"first_repetition"`
	Externalities   map[string][][]string `json:"externalities_summary"`
	Issues          map[string]struct {
		Lower  string     `json:"lower"`
		Upper  string     `json:"upper"`
		Rounds [][]string `json:"rounds"`
	} `json:"issue_summary"`
}

type decideRound = struct {
	Round     int `json:"round"`
	Exchanges []struct {
		Gain float64 `json:"gain"`
		I    [4]any  `json:"i"`
		J    [4]any  `json:"j"`
	} `json:"exchanges"`
	Outcome map[string]float64 `json:"outcome"`
}

// TestDecideSummaries reproduces Decide's per-actor outputs (own gains
// and externalities) and its voting summary, and the exchanges of its
// randomised equal gain, repetitions, subsets of actors and issues, a
// power per actor and issue, and its own files that Parley used to
// refuse: every number Decide prints, to 1e-9 (relative above 1).
func TestDecideSummaries(t *testing.T) {
	const cop21Actors = "African_grp;AOSISs;Brazil;China;EU28;India;USA;Japan;Russia"
	const cop21Issues = "differentiation;mrv;legal;finance_vol;adapt_finance;ld;progress"
	for _, tc := range []struct {
		name, input    string
		p              float64
		reps           int
		actors, issues string
		rounds         int // 0: Decide's default, 10
	}{
		{"sample-p0", "sample_data.txt", 0, 1, "", "", 0},
		{"cop21-p0", "cop21.csv", 0, 1, "", "", 0},
		{"cop21-r4", "cop21.csv", 0, 4, "", "", 0},
		{"cop21-subset", "cop21.csv", 0, 1, cop21Actors, cop21Issues, 0},
		{"sample-p025", "sample_data.txt", 0.25, 1, "", "", 0},
		{"sample-p05-r3", "sample_data.txt", 0.5, 3, "", "", 0},
		{"sample-p1", "sample_data.txt", 1, 1, "", "", 0},
		{"power9x5-p0", "replication/power9x5.txt", 0, 1, "", "", 0},
		{"power9x5-p03-r2", "replication/power9x5.txt", 0.3, 2, "", "", 0},
		{"verkiezing-p0", "verkiezing-2012.csv", 0, 1, "", "", 0},
		{"kopenhagen-p0", "kopenhagen.csv", 0, 1, "", "", 0},
		// Four more runs of Decide's code, for the review of issue 19:
		// randomised equal gain with repetitions on a subset of actors, at
		// p = 1 on an issue off 0–100, with a power per actor and issue,
		// and on a subset of issues.
		{"copenhagen-p07-r2-actors", "copenhagen.csv", 0.7, 2, "USA;EU (incl Norway);China India;Brazil;Least Developed Countries;Alliance of Small Island States;Japans", "", 0},
		{"random12x4-p1-r3-8rounds", "replication/random12x4.txt", 1, 3, "", "", 8},
		{"cop21-issue-power-p015-r2-6rounds", "replication/cop21-issue-power.txt", 0.15, 2, "", "", 6},
		{"verkiezing-p04-r2-issues", "verkiezing-2012.csv", 0.4, 2, "", "AOW;Europa;belasting;huur;zorg", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data, err := os.ReadFile(fixture.Path("reference/decide/replication/summary/" + tc.name + ".json"))
			if err != nil {
				t.Fatal(err)
			}
			var want decideSummary
			if err := json.Unmarshal(data, &want); err != nil {
				t.Fatal(err)
			}
			sc := fixture.Load(t, "reference/decide/"+tc.input)
			if tc.actors != "" || tc.issues != "" {
				if sc, err = sc.Subset(ids(tc.actors), ids(tc.issues)); err != nil {
					t.Fatal(err)
				}
			}
			res, err := exchange.Model{}.Run(context.Background(), sc, model.Options{Rounds: tc.rounds, Params: model.Params{
				"p": model.Number(tc.p), "repetitions": model.Number(float64(tc.reps))}})
			if err != nil {
				t.Fatal(err)
			}
			if want.Repetitions != tc.reps {
				t.Fatalf("reference has %d repetitions", want.Repetitions)
			}
			if len(want.FirstRepetition) > 0 {
				l := decideLog{}
				l.Rounds = append(l.Rounds, want.FirstRepetition...)
				for r := 1; r <= len(l.Rounds); r++ {
					compareRound(t, sc, res, l, r, 0, tc.reps == 1)
				}
			}
			compareExternalities(t, sc, res.Trades, want)
			compareVoting(t, sc, res.Trades, want)
		})
	}
}

// ids splits a list of ids separated by ";", as Decide's --actors and
// --issues take them; "" is none.
func ids(list string) []string {
	if list == "" {
		return nil
	}
	return strings.Split(list, ";")
}

// near reports whether got is want to 1e-9 (relative above 1).
func near(got float64, want string) bool {
	w, err := strconv.ParseFloat(want, 64)
	return err == nil && math.Abs(got-w) <= 1e-9*math.Max(1, math.Abs(w))
}

// compareExternalities compares the actor gains with Decide's summary per
// round. Decide lists every actor of its file, an actor without #D rows
// too (with zeros); Parley leaves such an actor out, so it must have none.
// Decide names an actor by its #A row's full name.
func compareExternalities(t *testing.T, sc *scenario.Scenario, tr *result.Trades, want decideSummary) {
	t.Helper()
	got := map[string]result.ActorGains{}
	for _, g := range tr.ActorGains {
		got[strconv.Itoa(g.Round)+"/"+g.Actor] = g
	}
	if len(want.Externalities) == 0 {
		t.Fatal("no externalities in the reference")
	}
	n := 0
	byName := map[string]string{}
	for _, a := range sc.Actors {
		byName[a.DisplayName()] = a.ID
	}
	for r, rows := range want.Externalities {
		for _, row := range rows {
			id := row[0]
			if sc.Actor(id) == nil && byName[id] != "" {
				id = byName[id]
			}
			g, ok := got[r+"/"+id]
			if !ok {
				if sc.Actor(id) == nil && strings.Trim(strings.Join(row[1:], ""), "0") == "" {
					continue // Decide's idle actor, left out by Parley
				}
				t.Fatalf("round %s: no gains for %s", r, row[0])
			}
			for k, s := range []result.Stat{g.InnerPositive, g.InnerNegative, g.OuterPositive, g.OuterNegative, g.Own} {
				if !near(s.Mean, row[1+2*k]) || !near(s.Variance, row[2+2*k]) {
					t.Errorf("round %s %s column %d: mean %v variance %v, Decide %s %s", r, row[0], k, s.Mean, s.Variance, row[1+2*k], row[2+2*k])
				}
				n++
			}
		}
	}
	if n == 0 {
		t.Error("nothing compared")
	}
}

// compareVoting compares the issue summaries with Decide's "Overview
// issue" tables. Decide maps the outcomes to the issue's scale and prints
// the variances over the repetitions on its 0–100 scale; it maps the
// dispersions with its position mapping (value/step + lower), which is
// undone here, and prints their variances on 0–100.
func compareVoting(t *testing.T, sc *scenario.Scenario, tr *result.Trades, want decideSummary) {
	t.Helper()
	got := map[string]result.IssueVoting{}
	for _, v := range tr.IssueVoting {
		got[strconv.Itoa(v.Round)+"/"+v.Issue] = v
	}
	for id, tab := range want.Issues {
		lo, _ := strconv.ParseFloat(tab.Lower, 64)
		hi, _ := strconv.ParseFloat(tab.Upper, 64)
		step := 100 / (hi - lo)
		raw := func(s string) string { // Decide's value/step + lower, undone
			v, _ := strconv.ParseFloat(s, 64)
			return strconv.FormatFloat((v-lo)*step, 'g', -1, 64)
		}
		if len(tab.Rounds) == 0 {
			t.Fatalf("%s: no rounds", id)
		}
		for _, row := range tab.Rounds {
			r, _ := strconv.Atoi(strings.TrimPrefix(row[0], "rn-"))
			v, ok := got[strconv.Itoa(r+1)+"/"+id]
			if !ok {
				t.Fatalf("no voting summary for %s round %d", id, r+1)
			}
			s2, s4 := step*step, step*step*step*step
			for _, c := range []struct {
				name string
				got  float64
				want string
			}{
				{"preference", v.Preference.Mean, row[1]}, {"preference variance", v.Preference.Variance * s2, row[2]},
				{"voting", v.Voting.Mean, row[4]}, {"voting variance", v.Voting.Variance * s2, row[5]},
				{"preference dispersion", v.PreferenceDispersion.Mean * s2, raw(row[7])},
				{"preference dispersion variance", v.PreferenceDispersion.Variance * s4, row[8]},
				{"voting dispersion", v.VotingDispersion.Mean * s2, raw(row[10])},
				{"voting dispersion variance", v.VotingDispersion.Variance * s4, row[11]},
			} {
				if !near(c.got, c.want) {
					t.Errorf("%s round %d %s: %v, Decide %s", id, r+1, c.name, c.got, c.want)
				}
			}
		}
	}
}
