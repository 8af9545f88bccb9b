package report

import (
	"fmt"
	"io"
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
		t.Write(ew, width, "")
	}
	ew.printf("\n%s\n", Wrap(ExchangeNote, width, "", ""))
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
