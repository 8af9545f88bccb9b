package report

import (
	"html/template"
	"strings"

	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/scenario"
)

// issueView is an issue of the page: its scale and actors (the inputs),
// or its forecast run (the chart and the tables 'parley forecast' prints).
type issueView struct {
	Issue   *scenario.Issue
	Anchors []scenario.Anchor
	Actors  []actorRow
	// Trajectory chart, when the run has rounds, with each actor's start
	// and final position and the forecast round by round.
	Chart             template.HTML
	Positions, Rounds Table
	Forecast          string
	Stopped           string
	NRounds           int
	// Ends says how the forecast ended (Settlement), "" for a static
	// model; Cycling marks a cycle or an unsettled run.
	Ends    string
	Cycling bool
}

type actorRow struct {
	Name, Kind                     string
	Capability, Position, Salience string
	// NoteFrom to NoteTo are the numbers of the evidence notes behind the
	// row (consecutive; 0 when there are none).
	NoteFrom, NoteTo int
}

type evidenceNote struct {
	N                    int
	Actor, What, Source  string
	Paragraph            int
	Text, Note, SourceID string
}

// scenarioViews lays out each issue's actors with numbered evidence notes.
func scenarioViews(sc *scenario.Scenario) ([]issueView, []evidenceNote) {
	var notes []evidenceNote
	cite := func(actor, what string, n scenario.Number) []int {
		var ids []int
		for _, e := range n.Evidence {
			en := evidenceNote{N: len(notes) + 1, Actor: actor, What: what, SourceID: e.Source, Paragraph: e.Paragraph, Text: e.Text, Note: n.Note}
			if src := source(sc, e.Source); src != nil {
				en.Source = strings.Trim(strings.Join([]string{src.Outlet, src.Date}, ", "), ", ")
			}
			if en.Source == "" {
				en.Source = e.Source
			}
			notes = append(notes, en)
			ids = append(ids, en.N)
		}
		return ids
	}
	smax := sc.SalienceMax()
	var out []issueView
	for i := range sc.Issues {
		is := &sc.Issues[i]
		iv := issueView{Issue: is, Anchors: is.SortedAnchors()}
		for _, a := range sc.Actors {
			st, ok := a.Stances[is.ID]
			if !ok {
				continue
			}
			row := actorRow{Name: a.DisplayName(), Kind: a.Kind, Capability: Num(a.CapabilityOn(is.ID)),
				Position: Num(st.Position.Value), Salience: Num(st.Salience.Value * 100 / smax)}
			var ns []int
			ns = append(ns, cite(a.DisplayName(), "capability", a.Capability)...)
			ns = append(ns, cite(a.DisplayName(), "capability on "+is.ID, st.Capability)...)
			ns = append(ns, cite(a.DisplayName(), "position on "+is.ID, st.Position)...)
			ns = append(ns, cite(a.DisplayName(), "salience on "+is.ID, st.Salience)...)
			if len(ns) > 0 {
				row.NoteFrom, row.NoteTo = ns[0], ns[len(ns)-1]
			}
			iv.Actors = append(iv.Actors, row)
		}
		out = append(out, iv)
	}
	return out, notes
}

func source(sc *scenario.Scenario, id string) *scenario.Source {
	for i := range sc.Sources {
		if sc.Sources[i].ID == id {
			return &sc.Sources[i]
		}
	}
	return nil
}

// trajectoryView is an issue's forecast: its Trajectory chart, each
// actor's start and final position and the rounds' table. sc may be nil.
func trajectoryView(sc *scenario.Scenario, is *scenario.Issue, res *result.Result, ir *result.Issue) issueView {
	iv := issueView{Issue: is, Anchors: is.SortedAnchors(), Stopped: ir.Stopped, Forecast: Num(ir.Forecast)}
	if len(ir.Rounds) == 0 {
		return iv
	}
	iv.NRounds = ir.Final().Round
	iv.Ends = Settlement(ir.Settlement, iv.NRounds)
	iv.Cycling = ir.Settlement != nil && ir.Settlement.Kind != result.Fixed
	if sc != nil {
		if place := Place(is, ir.Forecast); place != "" {
			iv.Forecast += " (" + place + ")"
		}
	}
	iv.Chart = chartHTML(Trajectory(sc, is, ir))
	if sc == nil {
		sc = &scenario.Scenario{}
	}
	iv.Positions, iv.Rounds = PositionsTable(sc, is, ir), RoundsTable(res, ir)
	return iv
}
