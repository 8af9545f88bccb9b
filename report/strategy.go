package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"strings"

	"github.com/parley-project/parley/institution"
	"github.com/parley-project/parley/institution/power"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/strategy/advice"
	"github.com/parley-project/parley/strategy/conflict"
)

// The strategy sections of the HTML report — conflicts, advice, voting
// power — are views of their own: Strategy holds the typed results of a
// strategy run (NewPage fills it), strategyView lays it out and
// strategy.html.tmpl draws it.

//go:embed strategy.html.tmpl
var strategyTemplate string

// Strategy holds a run's strategy documents; nil sections are left out.
type Strategy struct {
	Conflicts *conflict.View
	Advice    *advice.Result
	// Power is a body's voting power, with the body and, when a proposal
	// was put, what would reverse the vote.
	Power    *power.Result
	Body     *institution.Body
	Switches *power.Proposal
}

type strategyView struct {
	Conflicts *conflictsView
	Advice    *adviceView
	Power     *powerView
}

type conflictsView struct {
	Intro, Key, Gain, ChartCaption string
	SMP                            bool
	Issues                         []conflictIssueView
}

type conflictIssueView struct {
	Title       string
	Header      []numbered
	Rows        []relRow
	Matrix      bool
	Numbers     Table // the row's E(U) (or gain) of challenging the column
	NumbersOf   string
	MutualTitle string
	Mutual      Table
	More        int
	Charts      template.HTML
	NCharts     int
}

type numbered struct {
	N    int
	Name string
}

type relRow struct {
	numbered
	Cells []relCell
}

type relCell struct{ Code, Class, Title string }

type adviceView struct {
	Name, Intro, Note  string
	Own, Others, Pairs Table
	OwnNoGain          bool
	NoOthers           string
}

type powerView struct {
	Body, Intro string
	Table       Table
	Switches    []string
}

// relClass is the CSS class of a relation cell: who has the upper hand.
func relClass(p *conflict.Pair) string {
	switch p.Relation {
	case conflict.Conflict, conflict.Resisted:
		return "r-conflict"
	case conflict.StatusQuo, conflict.BothLose, conflict.Agreement:
		return "r-quiet"
	case conflict.BothGain:
		return "r-row"
	}
	if p.Ahead == p.I {
		return "r-row"
	}
	return "r-col"
}

// strategyViews lays out the strategy sections.
func strategyViews(sc *scenario.Scenario, s *Strategy) (*strategyView, error) {
	if s == nil {
		return nil, nil
	}
	out := &strategyView{}
	if v := s.Conflicts; v != nil {
		smp := v.Model == "smp"
		cv := &conflictsView{SMP: smp, Key: ConflictKey(smp), Gain: "E(U)"}
		persp := v.Perspective
		if sc != nil {
			persp = perspectiveText(v, sc)
		}
		cv.Intro = fmt.Sprintf("Model %s, the positions after round %d, %s. %s", modelName(v.Model, v.Variant), v.Round, persp,
			"Each cell is the relation between the row and the column actor from the row's side; hover over it for the numbers.")
		cv.ChartCaption = "Each map places every other actor at the actor's own expected utility of challenging it (across) and the other's expected utility of challenging the actor, as the actor perceives it (up), in Bueno de Mesquita's octants."
		if smp {
			cv.Gain = "gain"
			cv.ChartCaption = "KTAB's quad map: for each challenge by the actor, the receiver's expected change of utility (across) and the actor's own expected gain (up), each as it sees its own."
		}
		for k := range v.Issues {
			is := &v.Issues[k]
			iv := conflictIssueView{Title: "Issue " + is.ID + ": " + is.Name, Matrix: len(is.Pairs) > 0}
			if smp {
				iv.Title = "All issues at once"
			}
			for i, a := range is.Actors {
				iv.Header = append(iv.Header, numbered{i + 1, a.Name})
				row := relRow{numbered: numbered{i + 1, a.Name}}
				for _, b := range is.Actors {
					if a.ID == b.ID {
						row.Cells = append(row.Cells, relCell{Code: "·", Class: "r-self"})
						continue
					}
					p := is.Pair(a.ID, b.ID)
					row.Cells = append(row.Cells, relCell{Code: conflictCode(p), Class: relClass(p),
						Title: fmt.Sprintf("%s → %s: %s (a = %s, b = %s)", a.Name, b.Name, relationText(p.Relation, p.Ahead), eu3(p.A), eu3(p.B))})
				}
				iv.Rows = append(iv.Rows, row)
			}
			iv.Numbers = numbersTable(is)
			if smp {
				iv.NumbersOf = "Gain from challenging (the row's expected change of utility if it challenges the column)"
			} else {
				iv.NumbersOf = "Expected utility of challenging (the row's E(U) of challenging the column, in the view above)"
			}
			iv.MutualTitle, iv.Mutual, iv.More = MutualTable(is, smp)
			var charts []string
			for _, a := range is.Actors {
				if len(is.Pairs) == 0 || v.Perspective != conflict.Objective && a.ID != v.Perspective {
					continue
				}
				c, err := ConflictChart(v, k, a.ID)
				if err != nil {
					return nil, err
				}
				charts = append(charts, c.SVG())
			}
			iv.NCharts = len(charts)
			if len(charts) > 0 {
				iv.Charts = template.HTML(strings.Join(charts, "\n"))
			}
			cv.Issues = append(cv.Issues, iv)
		}
		out.Conflicts = cv
	}
	if r := s.Advice; r != nil {
		av := &adviceView{Name: r.Name,
			Intro: fmt.Sprintf("Model %s on issue %s. %s's position %s; the forecast %s (run ended: %s); target %s. %d model runs. The gain is how much nearer %s the forecast comes.",
				modelName(r.Model, r.Variant), r.Issue, r.Name, Num(r.Ideal), outcomeHeadline(r.Baseline), outcomeKind(r.Baseline), Num(r.Target), r.Runs, Num(r.Ideal))}
		av.Own, av.Others, av.Pairs, av.Note = LeverTable(r), OthersTable(r), PairsLeverTable(r), AdviceNote
		av.OwnNoGain = len(r.Own) > 0 && r.Own[0].Gain <= 0
		av.NoOthers = fmt.Sprintf("No other actor's change moves the forecast toward %s.", Num(r.Ideal))
		out.Advice = av
	}
	if p, b := s.Power, s.Body; p != nil {
		pv := &powerView{Body: b.Name, Table: PowerTable(b, p),
			Intro: fmt.Sprintf("Rule: %s. A coalition wins when %s. Exact indices, by %s; the body acts on %.4g%% of the coalitions.",
				ruleText(b), strings.Join(p.Criteria, " and "), p.Method, 100*p.Winning)}
		pv.Table.Note = PowerNote
		if s.Switches != nil {
			var sb strings.Builder
			if err := Switches(&sb, s.Switches); err != nil {
				return nil, err
			}
			pv.Switches = strings.Split(strings.TrimSpace(sb.String()), "\n")
		}
		out.Power = pv
	}
	return out, nil
}
