package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/parley-project/parley/report/svg"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/strategy/conflict"
)

// conflictCode is the short code of a relation in the n × n table, from
// the row's side.
func conflictCode(p *conflict.Pair) string {
	ahead := ">"
	if p.Ahead == p.J {
		ahead = "<"
	} else if p.Ahead == "" {
		ahead = "="
	}
	switch p.Relation {
	case conflict.Conflict:
		return "C" + ahead
	case conflict.Compel:
		return "K>"
	case conflict.Capitulation:
		return "K<"
	case conflict.Compromise:
		return "c" + ahead
	case conflict.StatusQuo:
		return "--"
	case conflict.Agreement:
		return "=="
	case conflict.BothGain:
		return "++"
	case conflict.Resisted:
		return "+-"
	case conflict.NotWorth:
		return "-+"
	case conflict.BothLose:
		return "--"
	}
	return "?"
}

// ConflictKey explains the codes of the relation table.
func ConflictKey(smp bool) string {
	if smp {
		return "Key (KTAB's quad map): ++ both gain from the row's challenge; +- the row gains and the column loses " +
			"(a challenge the column has reason to resist); -+ the column gains and the row loses; -- both lose."
	}
	return "Key (row's side): C> conflict, both expect to gain and the row is ahead; C< conflict, the column is ahead; " +
		"K> the row compels the column (the column gives in); K< the row capitulates; c> compromise in the row's " +
		"favour (the column yields part of the way); c< compromise in the column's favour; -- status quo (neither " +
		"expects to gain); == same position."
}

// perspectiveText describes a view's perspective.
func perspectiveText(v *conflict.View, sc *scenario.Scenario) string {
	if v.Perspective == conflict.Objective {
		if v.Model == "smp" {
			return "objective (each side's own estimate of its gain or loss)"
		}
		return "objective (each side's own expected utilities)"
	}
	if a := sc.Actor(v.Perspective); a != nil {
		return "as " + a.DisplayName() + " perceives every pair"
	}
	return v.Perspective
}

// Conflicts writes the conflicts view: per issue, the n × n table of
// relations, the n × n table of the row's expected utility of challenging
// the column, and the mutual conflicts ranked by the capability involved;
// with pairs, every ordered pair's expected utilities as each side sees
// them.
func Conflicts(w io.Writer, sc *scenario.Scenario, v *conflict.View, pairs bool) error {
	width := WidthOf(w)
	ew := &errWriter{w: w}
	header(ew, sc, width)
	ew.field(width, "Model", modelName(v.Model, v.Variant))
	if v.Round == 0 {
		ew.field(width, "Round", "0 (the stated positions)")
	} else {
		ew.field(width, "Round", fmt.Sprintf("the positions after round %d", v.Round))
	}
	ew.field(width, "View", perspectiveText(v, sc))
	for _, s := range v.Skipped {
		ew.field(width, "Skipped", s)
	}
	smp := v.Model == "smp"
	for k := range v.Issues {
		is := &v.Issues[k]
		if smp {
			ew.printf("\n%s\n", Wrap("All issues at once (the SMP's challenges are over whole position vectors)", width, "", ""))
		} else {
			ew.printf("\n%s\n", Wrap(fmt.Sprintf("Issue %s: %s — %d actors, median voter position %s", is.ID, is.Name, len(is.Actors), Num(is.Median)), width, "", "  "))
		}
		if is.Note != "" {
			ew.printf("  (%s: no pairs)\n", is.Note)
			continue
		}
		// The actors by number, in full (the table's rows cut them).
		var key []string
		for i, a := range is.Actors {
			key = append(key, fmt.Sprintf("%d %s", i+1, a.Name))
		}
		ew.printf("\n%s\n", Wrap(strings.Join(key, "; "), width, "Actors: ", "  "))
		ew.printf("\n%s\n", ConflictMatrix(is, smp, width))
		if smp {
			ew.printf("%s\n", Wrap("Gain from challenging (the row's expected change of utility if it challenges the column)", width, "", ""))
		} else {
			ew.printf("%s\n", Wrap("Expected utility of challenging (the row's E(U) of challenging the column, in the view above)", width, "", ""))
		}
		ew.printf("%s\n", conflictNumbers(is, width))
		what, mutual, more := MutualTable(is, smp)
		ew.printf("%s\n", Wrap(what, width, "", ""))
		if len(mutual.Rows) > 0 {
			mutual.Write(ew, width, "  ")
		}
		if more > 0 {
			ew.printf("  … and %d more (all of them with --json)\n", more)
		}
		if pairs {
			ew.printf("\n")
			PairsTable(is, smp).Write(ew, width, "")
		}
	}
	ew.printf("\n%s\n", Wrap(ConflictKey(smp), width, "", ""))
	return ew.err
}

// ConflictMatrix returns the n × n table of relation codes, actors
// numbered, fitted to width (0: no limit): the names are cut to what the
// line leaves them (the actors are listed in full above it), and a
// matrix still too wide is split into blocks of columns.
func ConflictMatrix(is *conflict.Issue, smp bool, width int) string {
	n := len(is.Actors)
	nameW := 24
	if width > 0 {
		nameW = min(nameW, max(8, width-3-3*n))
	}
	rows := [][]string{append([]string{""}, numbers(n)...)}
	for i, a := range is.Actors {
		row := []string{fmt.Sprintf("%2d %s", i+1, Cut(a.Name, nameW))}
		for j, b := range is.Actors {
			if i == j {
				row = append(row, ".")
				continue
			}
			row = append(row, conflictCode(is.Pair(a.ID, b.ID)))
		}
		rows = append(rows, row)
	}
	return columnBlocks(rows, width, false)
}

// conflictNumbers is the n × n table of the row's value A, split into
// blocks of columns that fit width.
func conflictNumbers(is *conflict.Issue, width int) string {
	t := numbersTable(is)
	return columnBlocks(append([][]string{t.Head}, t.Rows...), width, true)
}

// numbersTable is the n × n table of the row's value A (its E(U), or the
// SMP's gain, of challenging the column), actors numbered.
func numbersTable(is *conflict.Issue) Table {
	t := Table{Head: append([]string{""}, numbers(len(is.Actors))...)}
	for i, a := range is.Actors {
		row := []string{strconv.Itoa(i + 1)}
		for j, b := range is.Actors {
			if i == j {
				row = append(row, ".")
				continue
			}
			row = append(row, eu2(is.Pair(a.ID, b.ID).A))
		}
		t.Rows = append(t.Rows, row)
		t.Cols = append(t.Cols, numCol)
	}
	t.Cols = append(t.Cols, numCol)
	return t
}

// numbers is "1" … "n".
func numbers(n int) []string {
	s := make([]string, n)
	for i := range s {
		s[i] = strconv.Itoa(i + 1)
	}
	return s
}

// columnBlocks lays out a matrix whose first column labels the rows,
// columns one space apart (right-aligned when right), as blocks of as
// many columns as fit width (0: one block), each block repeating the
// labels and separated by an empty line.
func columnBlocks(rows [][]string, width int, right bool) string {
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for c, cell := range r {
			widths[c] = max(widths[c], TextWidth(cell))
		}
	}
	pad := func(s string, w int) string {
		if right {
			return strings.Repeat(" ", w-TextWidth(s)) + s
		}
		return s + strings.Repeat(" ", w-TextWidth(s))
	}
	var sb strings.Builder
	for from := 1; from < len(widths); {
		to, used := from, widths[0]
		for to < len(widths) && (to == from || width <= 0 || used+1+widths[to] <= width) {
			used += 1 + widths[to]
			to++
		}
		if from > 1 {
			sb.WriteString("\n")
		}
		for _, r := range rows {
			line := pad(r[0], widths[0])
			for c := from; c < to; c++ {
				line += " " + pad(r[c], widths[c])
			}
			sb.WriteString(strings.TrimRight(line, " ") + "\n")
		}
		from = to
	}
	return sb.String()
}

// MutualTable is the pairs in mutual conflict, by capability involved,
// with its heading and the number of pairs left out (MaxMutualRows).
func MutualTable(is *conflict.Issue, smp bool) (heading string, t Table, more int) {
	what := "Mutual conflicts (each side expects to gain by challenging the other), by capability involved"
	if smp {
		what = "Mutual challenges (each side expects to gain by challenging the other), by capability involved"
	}
	if len(is.Mutual) == 0 {
		return what + ": none", t, 0
	}
	heading = fmt.Sprintf("%s: %d pairs", what, len(is.Mutual))
	if !smp {
		heading += " (c×s: the pair's capabilities each times its salience, summed)"
	}
	if smp {
		t = Table{Head: []string{"#", "pair", "capability", "gain of first", "gain of second"}, Cols: []Column{numCol, wrapCol(20), numCol, numCol, numCol}}
	} else {
		t = Table{Head: []string{"#", "pair", "capability", "c×s", "E(U) of first", "E(U) of second", "each expects to win"},
			Cols: []Column{numCol, wrapCol(20), numCol, numCol, {Fit: FitWrap, Right: true}, {Fit: FitWrap, Right: true}, wrapCol(8)}}
	}
	name := func(id string) string {
		for _, a := range is.Actors {
			if a.ID == id {
				return a.Name
			}
		}
		return id
	}
	shown := is.Mutual
	if len(shown) > MaxMutualRows {
		shown = shown[:MaxMutualRows]
	}
	for k, m := range shown {
		pair := name(m.A) + " – " + name(m.B)
		if smp {
			t.Rows = append(t.Rows, []string{count(k + 1), pair, Num(m.Capability), eu3(m.EUA), eu3(m.EUB)})
			continue
		}
		both := "no"
		if m.BothExpectToWin {
			both = "yes"
		}
		t.Rows = append(t.Rows, []string{count(k + 1), pair, Num(m.Capability), Num(m.Weight), eu3(m.EUA), eu3(m.EUB), both})
	}
	return heading, t, len(is.Mutual) - len(shown)
}

// PairsTable is every ordered pair with its expected utilities.
func PairsTable(is *conflict.Issue, smp bool) Table {
	if smp {
		t := Table{Head: []string{"initiator i", "receiver j", "i's gain", "j's change", "quadrant"}, Cols: []Column{{}, {}, numCol, numCol, wrapCol(8)}}
		for _, p := range is.Pairs {
			t.Rows = append(t.Rows, []string{p.I, p.J, eu4(p.A), eu4(p.B), p.Relation})
		}
		return t
	}
	t := Table{Head: []string{"i", "j", "E^i(U_ij)", "E^i(U_ji)", "E^j(U_ji)", "as i sees it", "in the view"},
		Cols: []Column{wrapCol(10), wrapCol(10), numCol, numCol, numCol, wrapCol(8), wrapCol(8)}}
	for _, p := range is.Pairs {
		t.Rows = append(t.Rows, []string{p.I, p.J, eu4(*p.EUij), eu4(*p.EUjiByI), eu4(*p.EUjiByJ),
			relationText(p.ByI, p.ByIAhead), relationText(p.Relation, p.Ahead)})
	}
	return t
}

// MaxMutualRows is the most mutual conflicts the text table lists.
const MaxMutualRows = 20

// eu2, eu3 and eu4 format an expected utility to 2, 3 or 4 decimals,
// without a minus sign on a value that rounds to zero.
func eu2(v float64) string { return euFmt(v, 2) }
func eu3(v float64) string { return euFmt(v, 3) }
func eu4(v float64) string { return euFmt(v, 4) }

func euFmt(v float64, d int) string {
	s := fmt.Sprintf("%.*f", d, v)
	if strings.Trim(s, "-0.") == "" {
		return s[strings.Index(s, "0"):]
	}
	return s
}

func relationText(rel, ahead string) string {
	if ahead == "" || rel == conflict.Compel || rel == conflict.Capitulation {
		return rel
	}
	return rel + " (" + ahead + " ahead)"
}

// ConflictChart draws actor id's map of one issue of the view: the
// perceptual map of the EUM (every other actor j at E^i(U_ij) across,
// E^i(U_ji) up, as i perceives them, in Bueno de Mesquita's octants), or
// KTAB's quad map of the SMP (for i's challenge of each j, j's expected
// change of utility across and i's up, each as it sees its own).
func ConflictChart(v *conflict.View, issue int, id string) (svg.Quadrant, error) {
	is := &v.Issues[issue]
	var me *conflict.Actor
	for k := range is.Actors {
		if is.Actors[k].ID == id {
			me = &is.Actors[k]
		}
	}
	if me == nil {
		return svg.Quadrant{}, fmt.Errorf("%s holds no position on issue %q", id, is.ID)
	}
	c := svg.Quadrant{}
	for _, a := range is.Actors {
		if a.ID == id {
			continue
		}
		p := is.Pair(id, a.ID)
		if p == nil {
			continue
		}
		pt := svg.QPoint{Label: a.Name}
		if v.Model == "smp" {
			pt.X, pt.Y = p.B, p.A
		} else {
			pt.X, pt.Y = *p.EUij, *p.EUjiByI
			if p.Relation == conflict.Agreement {
				pt.Label += " (same position)"
			}
		}
		c.Points = append(c.Points, pt)
	}
	if v.Model == "smp" {
		c.Title = fmt.Sprintf("%s's challenges (KTAB quad map, turn %d)", me.Name, v.Round)
		c.XLabel = "receiver's expected change of utility"
		c.YLabel = "its expected gain from challenging the receiver"
		c.Regions = []svg.Region{
			{Fill: "#d9ead3", Polygon: [][2]float64{{0, 0}, {1, 0}, {1, 1}, {0, 1}}, Label: "both gain", LabelX: 0.97, LabelY: 0.93, Anchor: "end"},
			{Fill: "#f4cccc", Polygon: [][2]float64{{0, 0}, {0, 1}, {-1, 1}, {-1, 0}}, Label: "it gains, the receiver loses", LabelX: -0.97, LabelY: 0.93},
			{Fill: "#fff2cc", Polygon: [][2]float64{{0, 0}, {1, 0}, {1, -1}, {0, -1}}, Label: "the receiver gains, it loses", LabelX: 0.97, LabelY: -0.95, Anchor: "end"},
			{Fill: "#eeeeee", Polygon: [][2]float64{{0, 0}, {-1, 0}, {-1, -1}, {0, -1}}, Label: "both lose", LabelX: -0.97, LabelY: -0.95},
		}
		return c, nil
	}
	c.Title = fmt.Sprintf("%s: %s's perceptual map (round %d)", is.Name, me.Name, v.Round)
	c.XLabel = "its expected utility of challenging the other"
	c.YLabel = "the other's expected utility of challenging it"
	c.Diagonals = true
	c.Regions = []svg.Region{
		{Fill: "#f4cccc", Polygon: [][2]float64{{0, 0}, {1, 1}, {0, 1}}, Label: "conflict, other ahead", LabelX: 0.03, LabelY: 0.93},
		{Fill: "#f4cccc", Polygon: [][2]float64{{0, 0}, {1, 0}, {1, 1}}, Label: "conflict, it is ahead", LabelX: 0.97, LabelY: 0.04, Anchor: "end"},
		{Fill: "#d9ead3", Polygon: [][2]float64{{0, 0}, {1, 0}, {1, -1}}, Label: "compromise, it is ahead", LabelX: 0.97, LabelY: -0.09, Anchor: "end"},
		{Fill: "#b6d7a8", Polygon: [][2]float64{{0, 0}, {1, -1}, {0, -1}}, Label: "it compels the other", LabelX: 0.03, LabelY: -0.95},
		{Fill: "#fff2cc", Polygon: [][2]float64{{0, 0}, {0, 1}, {-1, 1}}, Label: "compromise, other ahead", LabelX: -0.03, LabelY: 0.93, Anchor: "end"},
		{Fill: "#ffe599", Polygon: [][2]float64{{0, 0}, {-1, 1}, {-1, 0}}, Label: "it capitulates", LabelX: -0.97, LabelY: 0.04},
		{Fill: "#eeeeee", Polygon: [][2]float64{{0, 0}, {-1, 0}, {-1, -1}, {0, -1}}, Label: "status quo", LabelX: -0.97, LabelY: -0.95},
	}
	return c, nil
}

// ConflictCharts draws the maps of every actor of every issue of the
// view (or only actor only, when not ""), two to a row.
func ConflictCharts(v *conflict.View, only string) (svg.Grid, error) {
	var parts []svg.Chart
	for k := range v.Issues {
		for _, a := range v.Issues[k].Actors {
			if only != "" && a.ID != only || len(v.Issues[k].Pairs) == 0 {
				continue
			}
			c, err := ConflictChart(v, k, a.ID)
			if err != nil {
				return svg.Grid{}, err
			}
			parts = append(parts, c)
		}
	}
	if len(parts) == 0 {
		return svg.Grid{}, fmt.Errorf("no actor to draw")
	}
	return svg.Grid{Cols: 2, Gap: 6, Class: "chart", Parts: parts}, nil
}
