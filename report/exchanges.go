package report

import (
	"fmt"
	"text/tabwriter"

	"github.com/parley-project/parley/result"
)

// issueRound keys the exchange moves on one issue in one round.
type issueRound struct {
	issue string
	round int
}

// exchangeMoves counts, per issue and round, the moves that the exchanges
// of an exchange model made on the issue.
func exchangeMoves(res *result.Result) map[issueRound]int {
	n := map[issueRound]int{}
	for _, x := range res.Exchanges {
		for _, mv := range x.Moves {
			n[issueRound{mv.Issue, x.Round}]++
		}
	}
	return n
}

// writeExchanges lists the trades of an exchange model round by round: the
// two partners, what each gives up (its move on the issue it supplies) and
// the gain of the trade.
func writeExchanges(ew *errWriter, res *result.Result) {
	if len(res.Exchanges) == 0 {
		return
	}
	ew.printf("\n%s\n", rule("Trades"))
	rounds := 0
	for _, x := range res.Exchanges {
		rounds = max(rounds, x.Round)
	}
	ew.printf("\n%d trades in %d rounds. Each partner moves on the issue it supplies, toward the other's position,\nin return for the other's move on the issue it demands.\n", len(res.Exchanges), rounds)
	for i := 0; i < len(res.Exchanges); {
		r := res.Exchanges[i].Round
		j, total := i, 0.0
		for ; j < len(res.Exchanges) && res.Exchanges[j].Round == r; j++ {
			total += res.Exchanges[j].Gain
		}
		ew.printf("\nRound %d: %d trades, total gain %.4f\n\n", r, j-i, total)
		tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "Partners\tGain\tFirst gives\tSecond gives\n")
		for _, x := range res.Exchanges[i:j] {
			a, b := x.Actors[0], x.Actors[1]
			fmt.Fprintf(tw, "%s ↔ %s\t%.4f\t%s\t%s\n", a, b, x.Gain, give(x, a), give(x, b))
		}
		tw.Flush()
		i = j
	}
}

// give describes a partner's move in an exchange: "presence 95.00 → 44.04".
func give(x result.Exchange, actor string) string {
	mv, ok := x.Moves[actor]
	if !ok {
		return x.Supply[actor]
	}
	return fmt.Sprintf("%s %s → %s", mv.Issue, Num(mv.From), Num(mv.To))
}
