package report

import (
	"io"
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Text reports fit the width, in terminal columns, of the writer they are
// given: WithWidth declares it (the command line passes the terminal's
// width, or --width, or 100 when the output is not a terminal). A writer
// that declares none gets no limit. Long text columns whose full value is
// shown elsewhere in the report (an anchor's label, listed in full above
// the table) are cut with an ellipsis; text shown nowhere else (labels,
// descriptions, lists of names) is wrapped.

// DefaultWidth is the width of output that is not a terminal.
const DefaultWidth = 100

// MinWidth and MaxWidth bound a width a user gives.
const MinWidth, MaxWidth = 40, 1000

type sized struct {
	io.Writer
	width int
}

// WithWidth returns w declaring that text written to it should fit width
// columns (0: no limit).
func WithWidth(w io.Writer, width int) io.Writer { return sized{w, width} }

// WidthOf returns the width w declares, 0 for none.
func WidthOf(w io.Writer) int {
	if s, ok := w.(sized); ok {
		return s.width
	}
	return 0
}

// TextWidth is the number of terminal columns s takes.
func TextWidth(s string) int { return ansi.StringWidth(s) }

// Cut shortens s to at most n columns, ending it with "…" when cut.
func Cut(s string, n int) string {
	if n <= 0 || TextWidth(s) <= n {
		return s
	}
	if n == 1 {
		return "…"
	}
	return strings.TrimRight(ansi.Truncate(s, n-1, ""), " ,;:") + "…"
}

// Wrap breaks s into lines of at most width columns at spaces, never
// after a hyphen (a word longer than a line is broken), the first line starting with first and
// the others with indent; width 0 writes one line.
func Wrap(s string, width int, first, indent string) string {
	return wrapAt(s, width, first, indent, "")
}

// wrapAt is Wrap that may also break after any of the characters of
// breaks ("." for a dotted path, "-" for a hyphenated id).
func wrapAt(s string, width int, first, indent, breaks string) string {
	if width <= 0 || TextWidth(first+s) <= width {
		return first + s
	}
	room := max(width-TextWidth(indent), 1)
	firstRoom := max(width-TextWidth(first), 1)
	// Wrap to the narrower room. ansi.Wrap breaks after hyphens too: ids
	// and words such as "rule-of-law" are kept whole by wrapping them with
	// non-breaking hyphens (U+2011, one column wide like "-"), unless
	// breaks allows them.
	const nbHyphen = "\u2011"
	var lines []string
	if breaks == "" {
		wrapped := ansi.Wrap(strings.ReplaceAll(s, "-", nbHyphen), min(room, firstRoom), "")
		lines = strings.Split(strings.ReplaceAll(wrapped, nbHyphen, "-"), "\n")
	} else {
		lines = fill(s, min(room, firstRoom), breaks)
	}
	var b strings.Builder
	for i, l := range lines {
		if i == 0 {
			b.WriteString(first)
		} else {
			b.WriteString("\n" + indent)
		}
		b.WriteString(strings.TrimRight(l, " "))
	}
	return b.String()
}

// fill breaks s into lines of at most limit columns, filling each with
// as many of its pieces (words, cut after the characters of breaks) as
// fit; a piece longer than a line is broken. (ansi.Wrap's breakpoints
// break a run of pieces longer than the line inside a piece:
// "collective-bar" / "gaining-".)
func fill(s string, limit int, breaks string) []string {
	var lines []string
	cur := ""
	for _, field := range strings.Fields(s) {
		for i, p := range words(field, breaks) {
			sep := " "
			if i > 0 || cur == "" {
				sep = ""
			}
			if TextWidth(cur+sep+p) <= limit {
				cur += sep + p
				continue
			}
			if cur != "" {
				lines = append(lines, cur)
			}
			parts := strings.Split(ansi.Hardwrap(p, limit, false), "\n")
			lines, cur = append(lines, parts[:len(parts)-1]...), parts[len(parts)-1]
		}
	}
	return append(lines, cur)
}

// Fit says how a table column may give up width to fit a line.
type Fit uint8

const (
	// FitKeep never narrows the column.
	FitKeep Fit = iota
	// FitCut shortens the column's cells with "…": only for values shown in
	// full elsewhere.
	FitCut
	// FitWrap breaks the column's cells over several lines.
	FitWrap
)

// Column is how one column of a table fits: Fit, and the fewest columns
// it keeps (Min, at least 8); Right marks a column of numbers, aligned
// right (Table). Breaks lists characters after which a FitWrap cell may
// break besides its spaces: "." keeps a dotted field name's parts whole
// ("inputs.serbia." / "status.position"), "-" a hyphenated id's.
type Column struct {
	Fit    Fit
	Min    int
	Right  bool
	Breaks string
}

// words splits a cell into the pieces a line may not break: its
// space-separated words, cut again after each character of breaks (which
// stays with the piece before it).
func words(cell, breaks string) []string {
	var out []string
	for _, w := range strings.Fields(cell) {
		for breaks != "" {
			i := strings.IndexAny(w, breaks)
			if i < 0 || i == len(w)-1 {
				break
			}
			out, w = append(out, w[:i+1]), w[i+1:]
		}
		out = append(out, w)
	}
	return out
}

// padding is the space between columns, as text/tabwriter with padding 2
// leaves it.
const padding = 2

// FitTable returns rows (the header first) fitted to width: while the
// table is wider, the widest column that may give up width (FitCut or FitWrap,
// above its Min) loses one column; then FitCut cells are cut with "…" and
// FitWrap cells broken over continuation rows whose other cells are empty.
// cols[i] describes column i (missing: FitKeep). Width 0 returns rows as
// they are.
func FitTable(rows [][]string, cols []Column, width int) [][]string {
	ncols := 0
	for _, r := range rows {
		ncols = max(ncols, len(r))
	}
	if width <= 0 || ncols == 0 {
		return rows
	}
	widths := make([]int, ncols)
	for _, r := range rows {
		for c, cell := range r {
			widths[c] = max(widths[c], TextWidth(cell))
		}
	}
	fit := func(c int) Column {
		if c < len(cols) {
			col := cols[c]
			col.Min = max(col.Min, 8)
			return col
		}
		return Column{}
	}
	total := padding * (ncols - 1)
	for _, w := range widths {
		total += w
	}
	// A wrapped column first keeps its short cells (up to wordRoom
	// columns) on one line, so that "did not settle" is not broken while
	// other columns can still give up width; then it keeps room for its
	// longest word (up to wordRoom), so that "Government" is not broken;
	// then it narrows to its Min.
	const wordRoom = 16
	keepWords, keepCells := make([]int, ncols), make([]int, ncols)
	for _, r := range rows[min(1, len(rows)):] { // the header's words may break
		for c, cell := range r {
			if fit(c).Fit == FitWrap {
				for _, word := range words(cell, fit(c).Breaks) {
					keepWords[c] = max(keepWords[c], min(TextWidth(word), wordRoom))
				}
				if w := TextWidth(cell); w <= wordRoom {
					keepCells[c] = max(keepCells[c], w)
				}
			}
		}
	}
	for _, keep := range [][]int{keepCells, keepWords, nil} {
		for total > width {
			widest := -1
			for c := range widths {
				least := fit(c).Min
				if keep != nil {
					least = max(least, keepWords[c], keep[c])
				}
				if fit(c).Fit != FitKeep && widths[c] > least && (widest < 0 || widths[c] > widths[widest]) {
					widest = c
				}
			}
			if widest < 0 {
				break
			}
			widths[widest]--
			total--
		}
	}
	// A column whose words fit it but would be broken to make room for
	// the continuation lines' indent has none (in every row); where some
	// word is broken anyway the indent marks the continuation.
	flush, broken := make([]bool, ncols), make([]bool, ncols)
	for _, r := range rows {
		for c, cell := range r {
			for _, word := range words(cell, fit(c).Breaks) {
				flush[c] = flush[c] || TextWidth(word) > widths[c]-2
				broken[c] = broken[c] || TextWidth(word) > widths[c]
			}
		}
	}
	for c := range flush {
		flush[c] = flush[c] && !broken[c]
	}
	var out [][]string
	for _, r := range rows {
		lines := [][]string{slices.Clone(r)}
		for c, cell := range r {
			switch fit(c).Fit {
			case FitCut:
				lines[0][c] = Cut(cell, widths[c])
			case FitWrap:
				if TextWidth(cell) <= widths[c] {
					continue
				}
				if t := strings.TrimLeft(cell, " "); t != cell && TextWidth(t) <= widths[c] {
					// a number padded to align right, in a narrowed column
					lines[0][c] = strings.Repeat(" ", widths[c]-TextWidth(t)) + t
					continue
				}
				indent := "  "
				if fit(c).Right {
					// numbers: the lines aligned right, none indented
					cell, indent = strings.TrimLeft(cell, " "), ""
				}
				if flush[c] {
					indent = ""
				}
				parts := strings.Split(wrapAt(cell, widths[c], "", indent, fit(c).Breaks), "\n")
				if fit(c).Right {
					for k, p := range parts {
						parts[k] = strings.Repeat(" ", max(widths[c]-TextWidth(p), 0)) + p
					}
				}
				lines[0][c] = parts[0]
				for k, p := range parts[1:] {
					if k+1 >= len(lines) {
						lines = append(lines, make([]string, len(r)))
					}
					lines[k+1][c] = p
				}
			}
		}
		out = append(out, lines...)
	}
	return out
}
