package report

import (
	"fmt"
	"io"
	"strings"
)

// Table is a table of a report. The command line writes it as text fitted
// to the terminal (Write), the HTML report as an HTML table (its template
// "table"), so that both show the same rows: what a command prints, its
// report holds.
type Table struct {
	// Caption names the table (the HTML report's caption; the text
	// reports print their own headings).
	Caption string
	Head    []string
	Rows    [][]string
	// Cols says how each column fits a narrow terminal and which hold
	// numbers (Right: aligned right in both forms).
	Cols []Column
	// Note explains the table's columns or symbols, under it.
	Note string
}

// right reports whether column c holds numbers.
func (t Table) right(c int) bool { return c < len(t.Cols) && t.Cols[c].Right }

// lines are the table's rows with its head first, numbers padded to
// their column's width so that they align right.
func (t Table) lines() [][]string {
	rows := append([][]string{t.Head}, t.Rows...)
	widths := map[int]int{}
	for _, r := range rows {
		for c, cell := range r {
			if t.right(c) {
				widths[c] = max(widths[c], TextWidth(cell))
			}
		}
	}
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = make([]string, len(r))
		for c, cell := range r {
			if t.right(c) {
				cell = strings.Repeat(" ", widths[c]-TextWidth(cell)) + cell
			}
			out[i][c] = cell
		}
	}
	return out
}

// Write writes the table as text fitted to width columns (0: no limit),
// each line after indent, and its note wrapped under it.
func (t Table) Write(w io.Writer, width int, indent string) error {
	ew := &errWriter{w: w}
	room := width
	if room > 0 {
		room = max(room-TextWidth(indent), 1)
	}
	fitted := FitTable(t.lines(), t.Cols, room)
	if room > 0 && indent != "" && TableWidth(fitted) > room {
		// too wide even indented: the indent's columns go to the table
		indent, fitted = "", FitTable(t.lines(), t.Cols, width)
	}
	for _, l := range tableLines(fitted) {
		ew.printf("%s\n", strings.TrimRight(indent+l, " "))
	}
	if t.Note != "" {
		ew.printf("%s\n", Wrap(t.Note, width, indent, indent))
	}
	return ew.err
}

// overflows reports whether the table, fitted to width, is still wider
// than width (never for 0, no limit).
func (t Table) overflows(width int) bool {
	return width > 0 && TableWidth(FitTable(t.lines(), t.Cols, width)) > width
}

// String is the table as text without a width limit.
func (t Table) String() string {
	var b strings.Builder
	t.Write(&b, 0, "")
	return b.String()
}

// Markdown writes the table as a Markdown table.
func (t Table) Markdown(w io.Writer) error {
	ew := &errWriter{w: w}
	ew.printf("| %s |\n", strings.Join(t.Head, " | "))
	sep := make([]string, len(t.Head))
	for i := range sep {
		sep[i] = "---"
	}
	ew.printf("|%s|\n", strings.Join(sep, "|"))
	for _, r := range t.Rows {
		ew.printf("| %s |\n", strings.Join(r, " | "))
	}
	return ew.err
}

// HTMLRows are the table's rows for the HTML template: each cell with
// whether it is a number, and whether it is kept on one line (a column
// the terminal never narrows: dates, codes, kinds).
func (t Table) HTMLRows() [][]Cell {
	out := make([][]Cell, len(t.Rows))
	for i, r := range t.Rows {
		for c, v := range r {
			keep := c >= len(t.Cols) || t.Cols[c].Fit == FitKeep
			out[i] = append(out[i], Cell{Text: v, Number: t.right(c), Keep: keep})
		}
	}
	return out
}

// HTMLHead is the table's head for the HTML template.
func (t Table) HTMLHead() []Cell {
	var out []Cell
	for c, v := range t.Head {
		out = append(out, Cell{Text: v, Number: t.right(c)})
	}
	return out
}

// Cell is a cell of a table in the HTML report.
type Cell struct {
	Text         string
	Number, Keep bool
}

// numCol and textCol are the columns of most tables: a number, and
// text that wraps (never cut: what it says is said nowhere else).
var (
	numCol  = Column{Right: true}
	wrapCol = func(min int) Column { return Column{Fit: FitWrap, Min: min} }
)

// count writes a whole number for a table.
func count(n int) string { return fmt.Sprint(n) }
