package report

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/parley-project/parley/institution"
	"github.com/parley-project/parley/internal/plural"
	"github.com/parley-project/parley/model/recognition"
	"github.com/parley-project/parley/process"
	"github.com/parley-project/parley/scenario"
)

// Process writes a played-out process: the dated timeline, each issue's
// position and forecast after each stage, each vote's ballots, the
// recognition forecast and the linked disputes after contagion, fitted
// to the writer's width (WithWidth). The HTML report shows the same
// tables (ProcessTables).
func Process(w io.Writer, sc *scenario.Scenario, res *process.Result) error {
	width := WidthOf(w)
	ew := &errWriter{w: w}
	header(ew, sc, width)
	t := NewProcessTables(sc, res)
	ew.printf("\nTimeline\n\n")
	t.Events.Write(ew, width, "")
	ew.printf("\n%s\n\n", Wrap(t.Stages.Caption, width, "", ""))
	t.Stages.Write(ew, width, "")
	for _, f := range t.Final {
		ew.printf("\n%s\n", Wrap(f, width, "", "  "))
	}
	for _, v := range t.Votes {
		ew.printf("\n%s\n\n", Wrap(v.Caption, width, "", "  "))
		v.Write(ew, width, "")
	}
	if t.Recognition != nil {
		ew.printf("\n%s\n\n", Wrap(t.Recognition.Caption, width, "", "  "))
		t.Recognition.Write(ew, width, "  ")
	}
	if t.Contagion != nil {
		ew.printf("\n%s\n\n", t.Contagion.Caption)
		t.Contagion.Write(ew, width, "")
	}
	return ew.err
}

// ProcessTables are the tables of a process run, as 'parley process'
// prints them and its HTML report shows them.
type ProcessTables struct {
	// Events is the dated timeline; Stages each issue after each stage.
	Events, Stages Table
	// Final says where each issue stands at the end, on its scale.
	Final []string
	// Votes are the ballots of each vote stage, captioned with its
	// outcome.
	Votes []Table
	// Recognition is the recognition forecast at each year's end;
	// Contagion the linked disputes (nil when the stage did not run).
	Recognition, Contagion *Table
}

// NewProcessTables lays out a process run's tables; sc may be nil.
func NewProcessTables(sc *scenario.Scenario, res *process.Result) ProcessTables {
	var t ProcessTables
	t.Events = Table{Caption: "Timeline", Head: []string{"Date", "Kind", "Outcome", "Event"},
		Cols: []Column{{}, {}, wrapCol(12), wrapCol(30)}}
	for _, e := range res.Events {
		t.Events.Rows = append(t.Events.Rows, []string{e.Date, e.Kind, e.Outcome, e.Description})
	}
	t.Stages = Table{Caption: "Issues after each stage (position: the state of affairs; forecast: the expected settlement)",
		Head: []string{"Stage", "Kind", "Date", "Outcome"}}
	if len(res.Stages) > 0 {
		for _, is := range res.Stages[0].Issues {
			t.Stages.Head = append(t.Stages.Head, is.ID+" position", is.ID+" forecast")
		}
	}
	for c := range t.Stages.Head {
		col := Column{Right: c >= 4}
		if c == 3 {
			col = wrapCol(10)
		}
		t.Stages.Cols = append(t.Stages.Cols, col)
	}
	for _, st := range res.Stages {
		row := []string{st.ID, st.Kind, st.Date, st.Outcome}
		for _, is := range st.Issues {
			row = append(row, Num(is.Position), Num(is.Forecast))
		}
		t.Stages.Rows = append(t.Stages.Rows, row)
	}
	if n := len(res.Stages); n > 0 && sc != nil {
		for _, is := range res.Stages[n-1].Issues {
			if i := sc.Issue(is.ID); i != nil {
				t.Final = append(t.Final, strings.TrimRight(fmt.Sprintf("Final %s: %s  %s", is.ID, Num(is.Position), Place(i, is.Position)), " "))
			}
		}
	}
	for _, st := range res.Stages {
		if st.Vote != nil {
			b := BallotTable(st.Vote.Ballots, st.Vote.Rule)
			b.Caption = fmt.Sprintf("Vote %s (%s, %s): %s", st.ID, st.Vote.Body, st.Date, st.Vote.Reason)
			t.Votes = append(t.Votes, b)
		}
	}
	if rc := res.Recognition; rc != nil {
		y := RecognitionYears(rc)
		y.Caption = fmt.Sprintf("Recognition of %s, declared %s (%s, seed %d)", entityName(rc), declaredText(rc), plural.Count(rc.Draws, "draw"), rc.Seed)
		t.Recognition = &y
	}
	if len(res.Contagion) > 0 {
		c := Table{Caption: "Linked disputes after contagion (0–100)", Head: []string{"Dispute", "Patron", "Claim", "Patron support", "Rules fired"},
			Cols: []Column{wrapCol(16), wrapCol(10), {}, {}, numCol}}
		for _, d := range res.Contagion {
			c.Rows = append(c.Rows, []string{d.Name, d.Patron, Num(d.Claim0) + " → " + Num(d.Claim), Num(d.Support0) + " → " + Num(d.Support), count(d.Fired)})
		}
		t.Contagion = &c
	}
	return t
}

// BallotTable is the table of members' votes; weights are shown under a
// qualified-majority rule.
func BallotTable(bs []institution.Ballot, rule institution.Rule) Table {
	weighted := rule == institution.Qualified
	t := Table{Head: []string{"Member", "Name", "Position", "Vote", "Reason"}, Cols: []Column{{}, wrapCol(12), numCol, {}, wrapCol(24)}}
	if weighted {
		t.Head = []string{"Member", "Name", "Weight", "Position", "Vote", "Reason"}
		t.Cols = []Column{{}, wrapCol(12), numCol, numCol, {}, wrapCol(24)}
	}
	for _, bl := range bs {
		pos := "-"
		if bl.Position != nil {
			pos = Num(*bl.Position)
		}
		vote := string(bl.Vote)
		if bl.Veto {
			vote += " (veto)"
		}
		row := []string{bl.Member, bl.Name, pos, vote, bl.Reason}
		if weighted {
			row = []string{bl.Member, bl.Name, fmt.Sprintf("%g", bl.Weight), pos, vote, bl.Reason}
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// Ballots returns the table of members' votes as text.
func Ballots(bs []institution.Ballot, rule institution.Rule) string {
	return BallotTable(bs, rule).String()
}

// RecognitionYears is a recognition forecast's expected cumulative count
// at the end of each year (and its last month): the median, the mean and
// the 5th and 95th percentiles over the draws.
func RecognitionYears(r *recognition.Result) Table {
	t := Table{Head: []string{"By", "Median", "Mean", "5%", "95%"}, Cols: []Column{{}, numCol, numCol, numCol, numCol}}
	for _, p := range yearEnds(r.Cumulative) {
		t.Rows = append(t.Rows, []string{p.Date, fmt.Sprintf("%g", p.P50), fmt.Sprintf("%.1f", p.Expected), fmt.Sprintf("%g", p.P05), fmt.Sprintf("%g", p.P95)})
	}
	return t
}

// RecognitionStates is every state's probability of having recognised by
// each reported date, most likely first (by the last date, then the
// earlier ones, then the code).
func RecognitionStates(r *recognition.Result) Table {
	var dates []string
	if len(r.States) > 0 {
		for d := range r.States[0].PBy {
			dates = append(dates, d)
		}
	}
	sort.Strings(dates)
	t := Table{Head: append(append([]string{"State", "Name"}, dates...), "Side"), Cols: []Column{{}, wrapCol(10)}}
	for range dates {
		t.Cols = append(t.Cols, numCol)
	}
	states := append([]recognition.StateProb(nil), r.States...)
	sort.SliceStable(states, func(a, b int) bool {
		for k := len(dates) - 1; k >= 0; k-- {
			pa, pb := states[a].PBy[dates[k]], states[b].PBy[dates[k]]
			if pa != pb {
				return pa > pb
			}
		}
		return states[a].ISO3 < states[b].ISO3
	})
	for _, s := range states {
		row := []string{s.ISO3, s.Name}
		for _, d := range dates {
			row = append(row, fmt.Sprintf("%.3f", s.PBy[d]))
		}
		t.Rows = append(t.Rows, append(row, s.Side))
	}
	return t
}
