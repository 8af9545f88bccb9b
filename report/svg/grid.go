package svg

import (
	"fmt"
	"math"
	"strings"
)

// Grid places charts in one document, row by row, Cols to a row (a
// column of charts when Cols ≤ 1), Gap apart; each row is as tall as its
// tallest chart. Its size, like every chart's, is known before it is
// drawn.
type Grid struct {
	Cols  int
	Gap   float64
	Parts []Chart
	// Class and Font, when set, are the document's class and
	// font-family attributes; Background paints it white.
	Class, Font string
	Background  bool
}

// layout returns where each part goes and the grid's size.
func (g Grid) layout() ([]point, float64, float64) {
	cols := max(g.Cols, 1)
	at := make([]point, len(g.Parts))
	var x, y, rowH, width float64
	for i, p := range g.Parts {
		if i > 0 && i%cols == 0 {
			y += rowH + g.Gap
			x, rowH = 0, 0
		}
		w, h := p.Size()
		at[i] = point{x, y}
		width = math.Max(width, x+w)
		rowH = math.Max(rowH, h)
		x += w + g.Gap
	}
	return at, width, y + rowH
}

// Size is the grid's width and height.
func (g Grid) Size() (w, h float64) {
	_, w, h = g.layout()
	return w, h
}

// SVG renders the grid as a document of its own.
func (g Grid) SVG() string { return SVG(g) }

func (g Grid) draw(b *strings.Builder, pos *point) {
	at, w, h := g.layout()
	fmt.Fprintf(b, `<svg %sxmlns="http://www.w3.org/2000/svg"`, placeAttrs(pos))
	if g.Class != "" {
		fmt.Fprintf(b, ` class="%s"`, esc(g.Class))
	}
	fmt.Fprintf(b, ` viewBox="0 0 %s %s" width="%s" height="%s"`, f(w), f(h), f(w), f(h))
	if g.Font != "" {
		fmt.Fprintf(b, ` font-family="%s"`, esc(g.Font))
	}
	b.WriteString(">\n")
	if g.Background {
		fmt.Fprintf(b, `<rect x="0" y="0" width="%s" height="%s" fill="#fff"/>`+"\n", f(w), f(h))
	}
	for i, p := range g.Parts {
		p.draw(b, &at[i])
		b.WriteString("\n")
	}
	b.WriteString(`</svg>`)
}

// Heading is a title above a chart, as a part of a Grid: Text from X,
// its first baseline at Baseline, in a box Width × Height (Width 0: as
// wide as the text needs, which a Grid does not; give it). Text wider
// than the box wraps, each further line making the box taller by a line.
type Heading struct {
	Text          string
	Width, Height float64
	X, Baseline   float64
	FontSize      float64
	Bold          bool
}

// lines are the heading's lines, wrapped to its box.
func (t Heading) lines() []string {
	if t.Width <= 0 {
		return []string{t.Text}
	}
	return WrapText(t.Text, t.Width-2*t.X, t.FontSize)
}

// lineH is the distance between the heading's baselines.
func (t Heading) lineH() float64 { return t.FontSize * 1.3 }

// Size is the heading's box.
func (t Heading) Size() (w, h float64) {
	return t.Width, t.Height + float64(len(t.lines())-1)*t.lineH()
}

func (t Heading) draw(b *strings.Builder, pos *point) {
	var x, y float64
	if pos != nil {
		x, y = pos.x, pos.y
	}
	weight := ""
	if t.Bold {
		weight = ` font-weight="bold"`
	}
	for i, l := range t.lines() {
		fmt.Fprintf(b, `<text x="%s" y="%s" font-size="%s" font-family="%s"%s>%s</text>`, FormatNum(x+t.X), f(y+t.Baseline+float64(i)*t.lineH()), FormatNum(t.FontSize), esc(Font), weight, esc(l))
	}
}
