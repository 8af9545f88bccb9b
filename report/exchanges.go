package report

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"text/tabwriter"

	"github.com/parley-project/parley/internal/plural"

	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/scenario"
)

// Exchanges writes the trades of an exchange model, round by round, in the
// order the model realised them: each partner's move on the issue it
// supplies, and the gain.
func Exchanges(w io.Writer, sc *scenario.Scenario, res *result.Result) error {
	ew := &errWriter{w: w}
	exchangeTables(ew, sc, res)
	return ew.err
}

func exchangeTables(ew *errWriter, sc *scenario.Scenario, res *result.Result) {
	ex := exchanges(res)
	if len(ex) == 0 {
		return
	}
	ew.printf("\n%s\n", rule("Exchanges"))
	for start := 0; start < len(ex); {
		r := ex[start].Round
		end := start
		for end < len(ex) && ex[end].Round == r {
			end++
		}
		ew.printf("\nRound %d: %s, in the order realised\n\n", r, plural.Count(end-start, "exchange"))
		tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "#\tGain\tActor\tMoves on\tFrom\tTo\tPartner\tMoves on\tFrom\tTo\n")
		for k, e := range ex[start:end] {
			a, b := e.Actors[0], e.Actors[1]
			ma, mb := e.Moves[a], e.Moves[b]
			fmt.Fprintf(tw, "%d\t%.4f\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", k+1, e.Gain,
				name(sc, a), ma.Issue, Num(ma.From), Num(ma.To), name(sc, b), mb.Issue, Num(mb.From), Num(mb.To))
		}
		tw.Flush()
		start = end
	}
	ew.printf("\nEach partner moves its voting position on the issue it cares less about towards the other's\nposition; Gain is the utility each partner gains (equal gain) or their mean (random rate).\n")
	if res.Trades.Repetitions > 1 {
		ew.printf("These are the trades of the first of %d repetitions.\n", res.Trades.Repetitions)
	}
	actorGainTable(ew, sc, res.Trades)
	votingTable(ew, sc, res.Trades)
}

// actorGainTable writes, per actor, the exchanges it took part in, its
// own gain and the externalities of the others' exchanges, summed over
// the rounds (means over the repetitions).
func actorGainTable(ew *errWriter, sc *scenario.Scenario, t *result.Trades) {
	if len(t.ActorGains) == 0 {
		return
	}
	type total struct{ n, own, ip, in, op, on float64 }
	sums := map[string]*total{}
	for _, g := range t.ActorGains {
		s := sums[g.Actor]
		if s == nil {
			s = &total{}
			sums[g.Actor] = s
		}
		s.n += g.Exchanges.Mean
		s.own += g.Own.Mean
		s.ip += g.InnerPositive.Mean
		s.in += g.InnerNegative.Mean
		s.op += g.OuterPositive.Mean
		s.on += g.OuterNegative.Mean
	}
	ew.printf("\n%s\n\n", rule("Gains and externalities per actor"))
	tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "Actor\tExchanges\tOwn gain\tInner +\tInner −\tOuter +\tOuter −\tNet\n")
	for _, a := range sc.Actors {
		s := sums[a.ID]
		if s == nil {
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\n", a.DisplayName(), strconv.FormatFloat(math.Round(s.n*100)/100, 'f', -1, 64),
			s.own, s.ip, s.in, s.op, s.on, s.own+s.ip+s.in+s.op+s.on)
	}
	tw.Flush()
	ew.printf("\nUtility on 0–100 scales, summed over the rounds. Own gain: from the actor's own exchanges;\n" +
		"the others' exchanges shift the outcomes it cares about towards it (+) or away (−). Inner: the\n" +
		"actor stood with the partners on the two outcomes (in one of the exchange's two groups).\n")
	if t.Repetitions > 1 {
		ew.printf("Means over the %d repetitions.\n", t.Repetitions)
	}
}

// votingTable writes, per issue, the outcome of the first and the last
// round's start positions (preference) and voting positions, and the
// dispersion of the positions about each.
func votingTable(ew *errWriter, sc *scenario.Scenario, t *result.Trades) {
	if len(t.IssueVoting) == 0 {
		return
	}
	first, last := map[string]result.IssueVoting{}, map[string]result.IssueVoting{}
	for _, v := range t.IssueVoting {
		if _, ok := first[v.Issue]; !ok {
			first[v.Issue] = v
		}
		last[v.Issue] = v
	}
	ew.printf("\n%s\n\n", rule("Voting summary"))
	tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
	sd := t.Repetitions > 1
	n := last[sc.Issues[0].ID].Round
	fmt.Fprintf(tw, "Issue\tPreference 1\tVoting 1\tPreference %d\tVoting %d\tSpread 1\tSpread %d", n, n, n)
	if sd {
		fmt.Fprintf(tw, "\tVoting %d sd", n)
	}
	fmt.Fprintf(tw, "\n")
	for i := range sc.Issues {
		id := sc.Issues[i].ID
		f, l := first[id], last[id]
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s", id, Num(f.Preference.Mean), Num(f.Voting.Mean), Num(l.Preference.Mean), Num(l.Voting.Mean),
			Num(math.Sqrt(f.VotingDispersion.Mean)), Num(math.Sqrt(l.VotingDispersion.Mean)))
		if sd {
			fmt.Fprintf(tw, "\t%s", Num(math.Sqrt(l.Voting.Variance)))
		}
		fmt.Fprintf(tw, "\n")
	}
	tw.Flush()
	ew.printf("\nPreference r: the outcome (weighted mean) of round r's start positions; Voting r: of its voting\n" +
		"positions, the round's forecast. Spread r: root mean squared distance of the voting positions\nfrom the outcome.")
	if sd {
		ew.printf(" sd: standard deviation of the last voting outcome over the repetitions.")
	}
	ew.printf("\n")
}

// exchangeMoves counts the moves on an issue in a round's exchanges.
func exchangeMoves(res *result.Result, issue string, round int) int {
	n := 0
	for _, e := range exchanges(res) {
		if e.Round != round {
			continue
		}
		for _, id := range e.Supply {
			if id == issue {
				n++
			}
		}
	}
	return n
}

// exchanges returns the exchange model's trades, none for other models.
func exchanges(res *result.Result) []result.Exchange {
	if res.Trades == nil {
		return nil
	}
	return res.Trades.Exchanges
}
