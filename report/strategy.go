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
	MutualTitle string
	Mutual      []mutualRow
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

type mutualRow struct {
	N                                        int
	A, B, Capability, Weight, EUA, EUB, Both string
}

type adviceView struct {
	Name, Intro, Target string
	Own, Pairs          []leverRow
	Others              []otherRow
}

type leverRow struct{ Change, Forecast, Gain, Settlement, Synergy string }

type otherRow struct {
	N                                                                   int
	Name, Position, Salience, Change, Forecast, Gain, Settlement, Reach string
}

type powerView struct {
	Body, Intro string
	Population  bool
	Rows        []powerRow
	Switches    []string
}

type powerRow struct{ Member, Name, Weight, Population, SS, BZ, Penrose string }

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
			iv.MutualTitle = "Mutual conflicts, by capability involved"
			if smp {
				iv.MutualTitle = "Mutual challenges, by capability involved"
			}
			name := func(id string) string {
				for _, a := range is.Actors {
					if a.ID == id {
						return a.Name
					}
				}
				return id
			}
			for n, m := range is.Mutual {
				if n == MaxMutualRows {
					iv.More = len(is.Mutual) - n
					break
				}
				both := "no"
				if m.BothExpectToWin {
					both = "yes"
				}
				iv.Mutual = append(iv.Mutual, mutualRow{N: n + 1, A: name(m.A), B: name(m.B), Capability: Num(m.Capability),
					Weight: Num(m.Weight), EUA: eu3(m.EUA), EUB: eu3(m.EUB), Both: both})
			}
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
		av := &adviceView{Name: r.Name, Target: Num(r.Target),
			Intro: fmt.Sprintf("Model %s on issue %s. %s's position %s; the forecast %s (run ended: %s); target %s. %d model runs. The gain is how much nearer %s the forecast comes.",
				modelName(r.Model, r.Variant), r.Issue, r.Name, Num(r.Ideal), outcomeHeadline(r.Baseline), outcomeKind(r.Baseline), Num(r.Target), r.Runs, Num(r.Ideal))}
		for k := range r.Own {
			if k == MaxAdviceRows {
				break
			}
			l := &r.Own[k]
			av.Own = append(av.Own, leverRow{Change: changeText(l, 0, r.Issue), Forecast: outcomeHeadline(l.Outcome), Gain: fmt.Sprintf("%+.2f", l.Gain), Settlement: outcomeKind(l.Outcome)})
		}
		for _, o := range r.Others {
			if len(av.Others) == MaxAdviceRows {
				break
			}
			best := o.BestPosition
			if o.BestSalience != nil && (best == nil || o.BestSalience.Gain > best.Gain) {
				best = o.BestSalience
			}
			if best == nil && o.Reach == nil {
				continue
			}
			row := otherRow{N: len(av.Others) + 1, Name: o.Name, Position: numOrDash(o.Position), Salience: numOrDash(o.Salience), Change: "none helps", Reach: "not alone"}
			if best != nil {
				row.Change, row.Forecast, row.Gain, row.Settlement = changeText(best, 0, r.Issue), outcomeHeadline(best.Outcome), fmt.Sprintf("%+.2f", best.Gain), outcomeKind(best.Outcome)
			}
			if o.Reach != nil {
				row.Reach = fmt.Sprintf("move to %s (%+.1f)", Num(o.Reach.To[0]), o.Reach.To[0]-o.Reach.From[0])
			}
			av.Others = append(av.Others, row)
		}
		for k := range r.Pairs {
			if k == MaxAdviceRows {
				break
			}
			p := &r.Pairs[k]
			av.Pairs = append(av.Pairs, leverRow{Change: changeText(&p.Lever, 0, r.Issue) + "; " + changeText(&p.Lever, 1, r.Issue), Forecast: outcomeHeadline(p.Outcome),
				Gain: fmt.Sprintf("%+.2f", p.Gain), Settlement: outcomeKind(p.Outcome), Synergy: fmt.Sprintf("%+.2f", p.Synergy)})
		}
		out.Advice = av
	}
	if p, b := s.Power, s.Body; p != nil {
		pv := &powerView{Body: b.Name, Population: b.Rule == institution.Qualified && b.Threshold.Population > 0,
			Intro: fmt.Sprintf("Rule: %s. A coalition wins when %s. Exact indices, by %s; the body acts on %.4g%% of the coalitions.",
				ruleText(b), strings.Join(p.Criteria, " and "), p.Method, 100*p.Winning)}
		for i, ix := range p.Indices {
			m := b.Members[i]
			w := fmt.Sprintf("%g", m.Weight)
			if m.Veto {
				w += " (veto)"
			}
			pv.Rows = append(pv.Rows, powerRow{Member: ix.Member, Name: ix.Name, Weight: w, Population: fmt.Sprintf("%.1f", m.Population),
				SS: fmt.Sprintf("%.4f", 100*ix.ShapleyShubik), BZ: fmt.Sprintf("%.4f", 100*ix.Banzhaf), Penrose: fmt.Sprintf("%.6f", ix.Penrose)})
		}
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
