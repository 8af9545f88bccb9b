package report

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/parley-project/parley/internal/plural"

	"github.com/parley-project/parley/process"
	"github.com/parley-project/parley/scenario"
)

// Process writes a played-out process: the dated timeline, each issue's
// position and forecast after each stage, the recognition forecast and
// the linked disputes after contagion.
func Process(w io.Writer, sc *scenario.Scenario, res *process.Result) error {
	ew := &errWriter{w: w}
	header(ew, sc, WidthOf(w))
	ew.printf("\nTimeline\n\n")
	tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "Date\tKind\tOutcome\tEvent\n")
	for _, e := range res.Events {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", e.Date, e.Kind, e.Outcome, e.Description)
	}
	tw.Flush()

	ew.printf("\nIssues after each stage (position: the state of affairs; forecast: the expected settlement)\n\n")
	tw = tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "Stage\tKind\tDate\tOutcome")
	if len(res.Stages) > 0 {
		for _, is := range res.Stages[0].Issues {
			fmt.Fprintf(tw, "\t%s position\t%s forecast", is.ID, is.ID)
		}
	}
	fmt.Fprintf(tw, "\n")
	for _, st := range res.Stages {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s", st.ID, st.Kind, st.Date, st.Outcome)
		for _, is := range st.Issues {
			fmt.Fprintf(tw, "\t%s\t%s", Num(is.Position), Num(is.Forecast))
		}
		fmt.Fprintf(tw, "\n")
	}
	tw.Flush()
	if len(res.Stages) > 0 {
		last := res.Stages[len(res.Stages)-1]
		for _, is := range last.Issues {
			if i := sc.Issue(is.ID); i != nil {
				ew.printf("\nFinal %s: %s  %s\n", is.ID, Num(is.Position), Place(i, is.Position))
			}
		}
	}

	for _, st := range res.Stages {
		if st.Vote != nil {
			ew.printf("\nVote %s (%s, %s): %s\n\n", st.ID, st.Vote.Body, st.Date, st.Vote.Reason)
			ew.printf("%s", Ballots(st.Vote.Ballots, st.Vote.Rule))
		}
	}

	if rc := res.Recognition; rc != nil {
		ew.printf("\nRecognition of %s, declared %s (%s, seed %d)\n\n", rc.Entity, declaredText(rc), plural.Count(rc.Draws, "draw"), rc.Seed)
		tw = tabwriter.NewWriter(ew, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "By\tMedian\tMean\t5%%\t95%%\t\n")
		for _, c := range yearEnds(rc.Cumulative) {
			fmt.Fprintf(tw, "%s\t%g\t%.1f\t%g\t%g\t\n", c.Date, c.P50, c.Expected, c.P05, c.P95)
		}
		tw.Flush()
	}

	if len(res.Contagion) > 0 {
		ew.printf("\nLinked disputes after contagion (0–100)\n\n")
		tw = tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "Dispute\tPatron\tClaim\tPatron support\tRules fired\n")
		for _, d := range res.Contagion {
			fmt.Fprintf(tw, "%s\t%s\t%s → %s\t%s → %s\t%d\n", d.Name, d.Patron, Num(d.Claim0), Num(d.Claim), Num(d.Support0), Num(d.Support), d.Fired)
		}
		tw.Flush()
	}
	return ew.err
}
