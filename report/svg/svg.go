// Package svg is Parley's chart layer. A chart is a value — axes, series,
// bars, labels — that knows its size before it is drawn (Chart.Size) and
// is rendered to SVG once, by this package: LineChart (trajectories,
// curves with an uncertainty band), BarChart (rankings, a scale's bands),
// Histogram, Timeline (dated events on a time axis), Quadrant, Heading,
// and Grid, which places charts in rows and columns of one document by
// their sizes (no SVG text is ever parsed back). The report, the server
// and the command line's --svg files all draw with it.
//
// Charts are made to be read without a legend: lines are named at their
// ends and a scale's labels are written on its axis, names are wrapped
// and never cut, and labels that would overlap are moved apart (spread)
// and joined to what they name. A chart's size follows from its values:
// more labels make a taller chart. The output has no scripts, fonts or
// external references, uses the Okabe–Ito colour-blind-safe palette with
// a dash pattern per series so that lines stay apart in black-and-white
// print, and is deterministic (numbers are written with fixed
// precision), so reports can be compared byte for byte.
package svg

import (
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"
)

// Palette is the Okabe–Ito colour-blind-safe palette, black first (its
// yellow replaced by olive, which reads on white).
var Palette = []string{"#000000", "#E69F00", "#56B4E9", "#009E73", "#D55E00", "#0072B2", "#CC79A7", "#999933"}

// barColour is the fill of bars: the palette's blue.
const barColour = "#0072B2"

// Dashes are the stroke-dasharray patterns cycled after the colours, so
// that lines stay apart in black-and-white print.
var Dashes = []string{"", "6 3", "2 2", "8 3 2 3"}

// Font is the font-family of every chart: faces with Helvetica's
// metrics, which TextWidth estimates, before the generic sans-serif.
const Font = "Helvetica, Arial, 'Liberation Sans', 'Nimbus Sans', sans-serif"

// Chart is anything this package draws. Its size is known from its values
// alone, so charts are placed in a document (Grid) before any is drawn.
type Chart interface {
	// Size is the chart's width and height in pixels.
	Size() (w, h float64)
	// draw writes the chart; at is where its top left corner goes in the
	// document around it, nil when it is a document of its own.
	draw(b *strings.Builder, at *point)
}

// point is a position in a document.
type point struct{ x, y float64 }

// SVG renders c as an SVG document of its own.
func SVG(c Chart) string {
	var b strings.Builder
	c.draw(&b, nil)
	return b.String()
}

// esc escapes text for an SVG text node or attribute.
func esc(s string) string { return html.EscapeString(s) }

// f formats a coordinate.
func f(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

// placeAttrs is the x and y attributes that put a nested <svg> at p, empty for
// a document of its own.
func placeAttrs(p *point) string {
	if p == nil {
		return ""
	}
	c := func(v float64) string {
		if v == 0 {
			return "0"
		}
		return f(v)
	}
	return fmt.Sprintf(`x="%s" y="%s" `, c(p.x), c(p.y))
}

// open writes the <svg> element of a chart with an accessible title and a
// white background.
func open(b *strings.Builder, at *point, w, h float64, title string) {
	fmt.Fprintf(b, `<svg %sxmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 %s %s" width="%s" height="%s" font-family="%s" role="img" aria-label="%s">`,
		placeAttrs(at), f(w), f(h), f(w), f(h), esc(Font), esc(title))
	fmt.Fprintf(b, `<title>%s</title>`, esc(title))
	fmt.Fprintf(b, `<rect x="0" y="0" width="%s" height="%s" fill="#fff"/>`, f(w), f(h))
}

// Tick is a labelled mark on an axis.
type Tick struct {
	Value float64
	Label string
}

// NiceTicks returns about n round-numbered ticks covering [lo, hi].
func NiceTicks(lo, hi float64, n int) []Tick {
	if !(hi > lo) || n < 1 || math.IsInf(hi-lo, 0) {
		return []Tick{{lo, FormatNum(lo)}}
	}
	raw := (hi - lo) / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw*(1-1e-9) {
			step = m * mag
			break
		}
	}
	var ts []Tick
	for k := math.Ceil(lo/step - 1e-9); k*step <= hi+step*1e-9; k++ {
		v := k * step
		if k == 0 {
			v = 0
		}
		ts = append(ts, Tick{v, FormatNum(v)})
	}
	return ts
}

// FormatNum writes a number compactly for labels: at most 3 decimals,
// trailing zeros dropped.
func FormatNum(v float64) string {
	s := strconv.FormatFloat(v, 'f', 3, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		return "0"
	}
	return s
}

// frame is the plotting area of a chart and its data ranges.
type frame struct {
	w, h                   float64 // whole image
	left, right, top, bot  float64 // margins
	xmin, xmax, ymin, ymax float64
}

func (fr frame) x(v float64) float64 {
	if fr.xmax == fr.xmin {
		return fr.left
	}
	return fr.left + (v-fr.xmin)/(fr.xmax-fr.xmin)*(fr.w-fr.left-fr.right)
}

func (fr frame) y(v float64) float64 {
	if fr.ymax == fr.ymin {
		return fr.h - fr.bot
	}
	return fr.h - fr.bot - (v-fr.ymin)/(fr.ymax-fr.ymin)*(fr.h-fr.top-fr.bot)
}

// axes draws the frame, the ticks and grid lines, and the axis titles.
func axes(b *strings.Builder, fr frame, xt, yt []Tick, xlabel, ylabel string) {
	x0, x1, y0, y1 := fr.left, fr.w-fr.right, fr.top, fr.h-fr.bot
	for _, t := range yt {
		y := fr.y(t.Value)
		fmt.Fprintf(b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#ddd" stroke-width="0.6"/>`, f(x0), f(y), f(x1), f(y))
		fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="end" font-size="10" dominant-baseline="middle">%s</text>`, f(x0-4), f(y), esc(t.Label))
	}
	for _, t := range xt {
		x := fr.x(t.Value)
		fmt.Fprintf(b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#333" stroke-width="0.8"/>`, f(x), f(y1), f(x), f(y1+4))
		fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="middle" font-size="10">%s</text>`, f(x), f(y1+15), esc(t.Label))
	}
	fmt.Fprintf(b, `<rect x="%s" y="%s" width="%s" height="%s" fill="none" stroke="#333" stroke-width="0.8"/>`, f(x0), f(y0), f(x1-x0), f(y1-y0))
	if xlabel != "" {
		fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="middle" font-size="11">%s</text>`, f((x0+x1)/2), f(fr.h-4), esc(xlabel))
	}
	if ylabel != "" {
		fmt.Fprintf(b, `<text transform="translate(12 %s) rotate(-90)" text-anchor="middle" font-size="11">%s</text>`, f((y0+y1)/2), esc(ylabel))
	}
}

func at(v []float64, i int) float64 {
	if i < len(v) {
		return v[i]
	}
	return math.NaN()
}

func orDefault(v, d float64) float64 {
	if v > 0 {
		return v
	}
	return d
}

// dashAttr is the stroke-dasharray attribute of a dash pattern, empty for
// a solid line.
func dashAttr(dash string) string {
	if dash == "" {
		return ""
	}
	return fmt.Sprintf(` stroke-dasharray="%s"`, dash)
}
