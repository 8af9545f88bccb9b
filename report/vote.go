package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/parley-project/parley/internal/plural"

	"github.com/parley-project/parley/institution"
	"github.com/parley-project/parley/scenario"
)

// Vote writes a vote of a body on an issue: the rule, each member's vote
// and reason, and whether the proposal passes.
func Vote(w io.Writer, sc *scenario.Scenario, b *institution.Body, is *scenario.Issue, out institution.Outcome) error {
	width := WidthOf(w)
	ew := &errWriter{w: w}
	if sc != nil {
		header(ew, sc, width)
	}
	ew.field(width, "Body", fmt.Sprintf("%s (%s)", b.Name, b.ID))
	ew.field(width, "Rule", ruleText(b))
	if b.Basis != "" {
		ew.field(width, "Basis", b.Basis)
	}
	place := func(v float64) string {
		if is == nil {
			return Num(v)
		}
		if p := Place(is, v); p != "" {
			return Num(v) + " (" + p + ")"
		}
		return Num(v)
	}
	if is != nil {
		ew.field(width, "Issue", is.ID+": "+is.DisplayName())
	}
	ew.printf("%s\n%s\n\n", Wrap(place(out.Proposal), width, "Proposal:   ", "            "), Wrap(place(out.StatusQuo), width, "Status quo: ", "            "))
	BallotTable(out.Ballots, b.Rule).Write(ew, width, "")
	t := out.Tally
	ew.printf("\nYes %d, no %d, abstain %d", t.Yes, t.No, t.Abstain)
	if b.Rule == institution.Qualified {
		ew.printf("; weighted yes %s of %s", Num(t.YesWeight), Num(t.TotalWeight))
		if t.TotalPopulation > 0 {
			ew.printf("; population in favour %.2f%%", 100*t.YesPopulation/t.TotalPopulation)
		}
	}
	ew.printf("\n")
	verdict := "FAILS"
	if out.Passed {
		verdict = "PASSES"
	}
	ew.field(width, "Result", verdict+": "+out.Reason)
	return ew.err
}

func ruleText(b *institution.Body) string {
	t := b.Threshold
	switch b.Rule {
	case institution.SimpleMajority:
		return "simple majority of the members present and voting"
	case institution.TwoThirds:
		return "two-thirds majority of the members present and voting"
	case institution.Votes:
		var vetoes []string
		for _, m := range b.Members {
			if m.Veto {
				vetoes = append(vetoes, m.ID)
			}
		}
		s := fmt.Sprintf("%s of %d", plural.Count(t.Votes, "affirmative vote"), len(b.Members))
		if len(vetoes) > 0 {
			s += "; veto: " + strings.Join(vetoes, ", ")
		}
		return s
	case institution.Qualified:
		s := fmt.Sprintf("qualified majority: %g of %s", t.Votes, plural.Count(b.TotalWeight(), "weighted vote"))
		if t.Members > 0 {
			s += fmt.Sprintf(", %d of %s", t.Members, plural.Count(len(b.Members), "member"))
		}
		if t.Population > 0 {
			s += fmt.Sprintf(", %g%% of the population", 100*t.Population)
		}
		return s
	case institution.Unanimity:
		return "unanimity (abstention does not block)"
	}
	return string(b.Rule)
}
