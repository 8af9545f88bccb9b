package report

import (
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/parley-project/parley/internal/plural"

	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/scenario"
)

// Exchanges writes the trades of an exchange model, round by round, in the
// order the model realised them: each partner's move on the issue it
// supplies, and the gain.
func Exchanges(w io.Writer, sc *scenario.Scenario, res *result.Result) error {
	ew := &errWriter{w: w}
	exchangeTables(ew, sc, res, WidthOf(w))
	return ew.err
}

// ExchangeNote explains the trades tables.
const ExchangeNote = "Each partner moves its voting position on the issue it cares less about towards the other's " +
	"position; Gain is the utility each partner gains (equal gain) or their mean (random rate)."

func exchangeTables(ew *errWriter, sc *scenario.Scenario, res *result.Result, width int) {
	tables := TradeTables(sc, res)
	if len(tables) == 0 {
		return
	}
	ew.printf("\n%s\n", rule("Exchanges"))
	for _, t := range tables {
		ew.printf("\n%s\n\n", t.Caption)
		if t.overflows(width) {
			t = movesInCells(t)
		}
		t.Write(ew, width, "")
	}
	ew.printf("\n%s\n", Wrap(ExchangeNote, width, "", ""))
	if res.Trades.Repetitions > 1 {
		ew.printf("These are the trades of the first of %d repetitions.\n", res.Trades.Repetitions)
	}
	if t := ActorGainTable(sc, res.Trades); len(t.Rows) > 0 {
		ew.printf("\n%s\n\n", rule(t.Caption))
		t.Write(ew, width, "")
	}
	if t := VotingTable(sc, res.Trades); len(t.Rows) > 0 {
		ew.printf("\n%s\n\n", rule(t.Caption))
		t.Write(ew, width, "")
	}
}

// TradeTables are an exchange model's trades, a table per round in the
// order the model realised them: each partner's move on the issue it
// supplies, and the gain. Other models have none.
func TradeTables(sc *scenario.Scenario, res *result.Result) []Table {
	ex := exchanges(res)
	var out []Table
	for start := 0; start < len(ex); {
		r := ex[start].Round
		end := start
		for end < len(ex) && ex[end].Round == r {
			end++
		}
		t := Table{Caption: fmt.Sprintf("Round %d: %s, in the order realised", r, plural.Count(end-start, "exchange")),
			Head: []string{"#", "Gain", "Actor", "Moves on", "From", "To", "Partner", "Moves on", "From", "To"},
			Cols: []Column{numCol, numCol, wrapCol(12), {}, numCol, numCol, wrapCol(12), {}, numCol, numCol}}
		for k, e := range ex[start:end] {
			a, b := e.Actors[0], e.Actors[1]
			ma, mb := e.Moves[a], e.Moves[b]
			t.Rows = append(t.Rows, []string{strconv.Itoa(k + 1), fmt.Sprintf("%.4f", e.Gain),
				name(sc, a), ma.Issue, Num(ma.From), Num(ma.To), name(sc, b), mb.Issue, Num(mb.From), Num(mb.To)})
		}
		out = append(out, t)
		start = end
	}
	return out
}

// movesInCells is a trades table for a narrow terminal: each partner's
// move in one cell ("Russia: iran 15.00 → 90.00") that wraps.
func movesInCells(t Table) Table {
	out := Table{Caption: t.Caption, Head: []string{"#", "Gain", "Actor's move", "Partner's move"},
		Cols: []Column{numCol, numCol, wrapCol(16), wrapCol(16)}}
	for _, r := range t.Rows {
		out.Rows = append(out.Rows, []string{r[0], r[1], r[2] + ": " + r[3] + " " + r[4] + " → " + r[5], r[6] + ": " + r[7] + " " + r[8] + " → " + r[9]})
	}
	return out
}

// ActorGainTable is, per actor, the exchanges it took part in, its own
// gain and the externalities of the others' exchanges, summed over the
// rounds (means over the repetitions); no rows without them.
func ActorGainTable(sc *scenario.Scenario, t *result.Trades) Table {
	out := Table{Caption: "Gains and externalities per actor", Head: []string{"Actor", "Exchanges", "Own gain", "Inner +", "Inner −", "Outer +", "Outer −", "Net"},
		Cols: []Column{wrapCol(10), {Fit: FitWrap, Min: 8, Right: true}, numCol, numCol, numCol, numCol, numCol, numCol}}
	if t == nil || len(t.ActorGains) == 0 {
		return out
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
	for _, a := range sc.Actors {
		s := sums[a.ID]
		if s == nil {
			continue
		}
		row := []string{a.DisplayName(), strconv.FormatFloat(math.Round(s.n*100)/100, 'f', -1, 64)}
		for _, v := range []float64{s.own, s.ip, s.in, s.op, s.on, s.own + s.ip + s.in + s.op + s.on} {
			row = append(row, fmt.Sprintf("%.4f", v))
		}
		out.Rows = append(out.Rows, row)
	}
	out.Note = "Utility on 0–100 scales, summed over the rounds. Own gain: from the actor's own exchanges; " +
		"the others' exchanges shift the outcomes it cares about towards it (+) or away (−). Inner: the " +
		"actor stood with the partners on the two outcomes (in one of the exchange's two groups)."
	if t.Repetitions > 1 {
		out.Note += fmt.Sprintf(" Means over the %d repetitions.", t.Repetitions)
	}
	return out
}

// VotingTable is, per issue, the outcome of the first and the last
// round's start positions (preference) and voting positions, and the
// dispersion of the positions about each; no rows without them.
func VotingTable(sc *scenario.Scenario, t *result.Trades) Table {
	out := Table{Caption: "Voting summary"}
	if t == nil || len(t.IssueVoting) == 0 || len(sc.Issues) == 0 {
		return out
	}
	first, last := map[string]result.IssueVoting{}, map[string]result.IssueVoting{}
	for _, v := range t.IssueVoting {
		if _, ok := first[v.Issue]; !ok {
			first[v.Issue] = v
		}
		last[v.Issue] = v
	}
	sd := t.Repetitions > 1
	n := last[sc.Issues[0].ID].Round
	out.Head = []string{"Issue", "Preference 1", "Voting 1", fmt.Sprintf("Preference %d", n), fmt.Sprintf("Voting %d", n), "Spread 1", fmt.Sprintf("Spread %d", n)}
	// long heads wrap: "Preference" keeps its word, the others break at the space
	pref, num := Column{Fit: FitWrap, Min: 10, Right: true}, Column{Fit: FitWrap, Min: 8, Right: true}
	out.Cols = []Column{wrapCol(16), pref, num, pref, num, num, num, num}
	if sd {
		out.Head = append(out.Head, fmt.Sprintf("Voting %d sd", n))
	}
	for i := range sc.Issues {
		id := sc.Issues[i].ID
		f, l := first[id], last[id]
		row := []string{id, Num(f.Preference.Mean), Num(f.Voting.Mean), Num(l.Preference.Mean), Num(l.Voting.Mean),
			Num(math.Sqrt(f.VotingDispersion.Mean)), Num(math.Sqrt(l.VotingDispersion.Mean))}
		if sd {
			row = append(row, Num(math.Sqrt(l.Voting.Variance)))
		}
		out.Rows = append(out.Rows, row)
	}
	out.Note = "Preference r: the outcome (weighted mean) of round r's start positions; Voting r: of its voting " +
		"positions, the round's forecast. Spread r: root mean squared distance of the voting positions from the outcome."
	if sd {
		out.Note += " sd: standard deviation of the last voting outcome over the repetitions."
	}
	return out
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
