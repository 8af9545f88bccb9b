package report

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/parley-project/parley/institution"
	"github.com/parley-project/parley/institution/power"
	"github.com/parley-project/parley/internal/plural"
)

// Power writes the voting power of every member of a body: the
// Shapley–Shubik index, the normalised Banzhaf index and the Penrose
// measure (absolute Banzhaf), in percent, with the members' weights.
func Power(w io.Writer, b *institution.Body, res *power.Result) error {
	ew := &errWriter{w: w}
	ew.printf("Body:     %s (%s)\n", b.Name, b.ID)
	ew.printf("Rule:     %s\n", ruleText(b))
	ew.printf("Game:     a coalition wins when %s (every member votes yes or no)\n", strings.Join(res.Criteria, " and "))
	ew.printf("Method:   exact, by %s; the body acts on %.4g%% of the 2^%d coalitions\n\n", res.Method, 100*res.Winning, res.Members)
	ew.printf("%s", PowerTable(b, res))
	ew.printf("\nShapley–Shubik: share of the orderings of the members in which the member's vote turns\n" +
		"a losing coalition into a winning one. Banzhaf: share of all members' swings (coalitions\n" +
		"the member turns from losing to winning, or back). Penrose: probability that the member's\n" +
		"vote decides the outcome when every other member votes yes or no at random.\n")
	return ew.err
}

// PowerTable returns the table of indices, one row per member in the
// body's order.
func PowerTable(b *institution.Body, res *power.Result) string {
	var sb strings.Builder
	tw := tabwriter.NewWriter(&sb, 0, 0, 2, ' ', 0)
	pop := b.Rule == institution.Qualified && b.Threshold.Population > 0
	head := "Member\tName\tWeight\t"
	if pop {
		head += "Population\t"
	}
	fmt.Fprintf(tw, "%sShapley–Shubik %%\tBanzhaf %%\tPenrose\t\n", head)
	for i, ix := range res.Indices {
		m := b.Members[i]
		wt := fmt.Sprintf("%g", m.Weight)
		if m.Veto {
			wt += " veto"
		}
		row := fmt.Sprintf("%s\t%s\t%s\t", ix.Member, ix.Name, wt)
		if pop {
			row += fmt.Sprintf("%.1f\t", m.Population)
		}
		fmt.Fprintf(tw, "%s%.4f\t%.4f\t%.6f\t\n", row, 100*ix.ShapleyShubik, 100*ix.Banzhaf, ix.Penrose)
	}
	tw.Flush()
	return sb.String()
}

// Switches writes what it would take to reverse a vote: the pivotal
// members and the smallest switching sets.
func Switches(w io.Writer, p *power.Proposal) error {
	ew := &errWriter{w: w}
	verb, to := "pass it", "yes"
	if p.Passed {
		verb, to = "block it", "no"
	}
	if len(p.Pivotal) == 0 {
		ew.printf("Pivotal:  no member can %s alone\n", verb)
	} else {
		ew.printf("Pivotal:  members whose vote alone decides the proposal\n")
		for _, pv := range p.Pivotal {
			name := pv.Member
			if pv.Name != "" {
				name += " (" + pv.Name + ")"
			}
			ew.printf("  %s: %s → %s would reverse it: %s\n", name, pv.From, pv.To, pv.Reason)
		}
	}
	switch {
	case p.Needed == 0:
		ew.printf("Switches: no switch of the members not already voting %s would %s\n", to, verb)
	default:
		bound := ""
		if !p.Exact {
			bound = " at most (the search stopped early)"
		}
		ew.printf("Switches: %s%s must switch to %s to %s; ", plural.Count(p.Needed, "member"), bound, to, verb)
		sets := make([]string, len(p.Sets))
		for i, s := range p.Sets {
			sets[i] = "{" + strings.Join(s, ", ") + "}"
		}
		more := ""
		if p.More {
			more = ", and more"
		}
		ew.printf("the smallest such sets: %s%s\n", strings.Join(sets, " "), more)
	}
	return ew.err
}
