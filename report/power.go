package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/parley-project/parley/institution"
	"github.com/parley-project/parley/institution/power"
	"github.com/parley-project/parley/internal/plural"
)

// Power writes the voting power of every member of a body: the
// Shapley–Shubik index, the normalised Banzhaf index and the Penrose
// measure (absolute Banzhaf), in percent, with the members' weights,
// fitted to the writer's width (WithWidth).
func Power(w io.Writer, b *institution.Body, res *power.Result) error {
	width := WidthOf(w)
	ew := &errWriter{w: w}
	for _, l := range [][2]string{{"Body", fmt.Sprintf("%s (%s)", b.Name, b.ID)}, {"Rule", ruleText(b)},
		{"Game", fmt.Sprintf("a coalition wins when %s (every member votes yes or no)", strings.Join(res.Criteria, " and "))},
		{"Method", fmt.Sprintf("exact, by %s; the body acts on %.4g%% of the 2^%d coalitions", res.Method, 100*res.Winning, res.Members)}} {
		ew.field(width, l[0], l[1])
	}
	ew.printf("\n")
	PowerTable(b, res).Write(ew, width, "")
	ew.printf("\n%s\n", Wrap(PowerNote, width, "", ""))
	return ew.err
}

// PowerNote explains the columns of the table of voting power.
const PowerNote = "Shapley–Shubik: share of the orderings of the members in which the member's vote turns " +
	"a losing coalition into a winning one. Banzhaf: share of all members' swings (coalitions " +
	"the member turns from losing to winning, or back). Penrose: probability that the member's " +
	"vote decides the outcome when every other member votes yes or no at random. veto: the member can block alone."

// PowerTable is the table of indices, one row per member in the body's
// order.
func PowerTable(b *institution.Body, res *power.Result) Table {
	pop := b.Rule == institution.Qualified && b.Threshold.Population > 0
	t := Table{Head: []string{"Member", "Name", "Weight"}, Cols: []Column{{}, wrapCol(12), {}}}
	if pop {
		t.Head, t.Cols = append(t.Head, "Population"), append(t.Cols, numCol)
	}
	t.Head = append(t.Head, "Shapley–Shubik %", "Banzhaf %", "Penrose")
	t.Cols = append(t.Cols, numCol, numCol, numCol)
	for i, ix := range res.Indices {
		m := b.Members[i]
		wt := fmt.Sprintf("%g", m.Weight)
		if m.Veto {
			wt += " veto"
		}
		row := []string{ix.Member, ix.Name, wt}
		if pop {
			row = append(row, fmt.Sprintf("%.1f", m.Population))
		}
		t.Rows = append(t.Rows, append(row, fmt.Sprintf("%.4f", 100*ix.ShapleyShubik), fmt.Sprintf("%.4f", 100*ix.Banzhaf), fmt.Sprintf("%.6f", ix.Penrose)))
	}
	return t
}

// Switches writes what it would take to reverse a vote: the pivotal
// members and the smallest switching sets.
func Switches(w io.Writer, p *power.Proposal) error {
	width := WidthOf(w)
	ew := &errWriter{w: w}
	verb, to := "pass it", "yes"
	if p.Passed {
		verb, to = "block it", "no"
	}
	if len(p.Pivotal) == 0 {
		ew.printf("%s\n", Wrap(fmt.Sprintf("no member can %s alone", verb), width, "Pivotal:  ", "          "))
	} else {
		ew.printf("Pivotal:  members whose vote alone decides the proposal\n")
		for _, pv := range p.Pivotal {
			name := pv.Member
			if pv.Name != "" {
				name += " (" + pv.Name + ")"
			}
			ew.printf("%s\n", Wrap(fmt.Sprintf("%s: %s → %s would reverse it: %s", name, pv.From, pv.To, pv.Reason), width, "  ", "    "))
		}
	}
	switch {
	case p.Needed == 0:
		ew.printf("%s\n", Wrap(fmt.Sprintf("no switch of the members not already voting %s would %s", to, verb), width, "Switches: ", "          "))
	default:
		bound := ""
		if !p.Exact {
			bound = " at most (the search stopped early)"
		}
		line := fmt.Sprintf("%s%s must switch to %s to %s; ", plural.Count(p.Needed, "member"), bound, to, verb)
		sets := make([]string, len(p.Sets))
		for i, s := range p.Sets {
			sets[i] = "{" + strings.Join(s, ", ") + "}"
		}
		more := ""
		if p.More {
			more = ", and more"
		}
		ew.printf("%s\n", Wrap(line+fmt.Sprintf("the smallest such sets: %s%s", strings.Join(sets, " "), more), width, "Switches: ", "          "))
	}
	return ew.err
}
