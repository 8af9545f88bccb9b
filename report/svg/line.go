package svg

import (
	"fmt"
	"math"
	"strings"
)

// Series is one line of a LineChart.
type Series struct {
	Name string
	X, Y []float64
	// Lo and Hi, when set (same length as Y), draw a shaded band.
	Lo, Hi []float64
	// Bold draws the line thicker (e.g. the forecast among the actors).
	Bold bool
}

// LineChart plots series against a shared x axis. Values outside
// [YMin, YMax] are drawn at the border; NaN points break the line.
type LineChart struct {
	Title          string
	XLabel, YLabel string
	Width, Height  float64 // default 640 × 320
	YMin, YMax     float64 // default: the data's range
	// YTicks replace the automatic ticks (e.g. a scale's labelled anchors).
	YTicks []Tick
	// Step draws each series as a step function (a count over time).
	Step   bool
	Series []Series
}

// Size is the chart's width and height.
func (c LineChart) Size() (w, h float64) { return orDefault(c.Width, 640), orDefault(c.Height, 320) }

// SVG renders the chart as a document of its own.
func (c LineChart) SVG() string { return SVG(c) }

func (c LineChart) draw(b *strings.Builder, pos *point) {
	w, h := c.Size()
	fr := frame{w: w, h: h, left: 48, right: 16, top: 12, bot: 34}
	fr.xmin, fr.xmax = math.Inf(1), math.Inf(-1)
	ymin, ymax := math.Inf(1), math.Inf(-1)
	for _, s := range c.Series {
		for i, x := range s.X {
			fr.xmin, fr.xmax = math.Min(fr.xmin, x), math.Max(fr.xmax, x)
			for _, v := range []float64{at(s.Y, i), at(s.Lo, i), at(s.Hi, i)} {
				if !math.IsNaN(v) {
					ymin, ymax = math.Min(ymin, v), math.Max(ymax, v)
				}
			}
		}
	}
	if math.IsInf(fr.xmin, 0) {
		fr.xmin, fr.xmax = 0, 1
	}
	fr.ymin, fr.ymax = ymin, ymax
	if c.YMin != 0 || c.YMax != 0 {
		fr.ymin, fr.ymax = c.YMin, c.YMax
	}
	if math.IsInf(fr.ymin, 0) || math.IsInf(fr.ymax, 0) {
		fr.ymin, fr.ymax = 0, 1
	}
	if fr.ymin == fr.ymax {
		fr.ymin, fr.ymax = fr.ymin-1, fr.ymax+1
	}
	yt := c.YTicks
	if len(yt) == 0 {
		yt = NiceTicks(fr.ymin, fr.ymax, 5)
	}
	fr.left = yAxisRoom(yt)
	open(b, pos, w, h, c.Title)
	xt := NiceTicks(fr.xmin, fr.xmax, 8)
	if fr.xmax-fr.xmin <= 12 && fr.xmin == math.Trunc(fr.xmin) {
		xt = nil
		for v := fr.xmin; v <= fr.xmax; v++ {
			xt = append(xt, Tick{v, FormatNum(v)})
		}
	}
	axes(b, fr, xt, yt, c.XLabel, c.YLabel)
	clamp := func(v float64) float64 { return math.Max(fr.ymin, math.Min(fr.ymax, v)) }
	for i, s := range c.Series {
		colour, dash := Style(i)
		if len(s.Lo) == len(s.Y) && len(s.Hi) == len(s.Y) && len(s.Y) > 0 {
			var pts []string
			for j := range s.X {
				pts = append(pts, f(fr.x(s.X[j]))+","+f(fr.y(clamp(s.Hi[j]))))
			}
			for j := len(s.X) - 1; j >= 0; j-- {
				pts = append(pts, f(fr.x(s.X[j]))+","+f(fr.y(clamp(s.Lo[j]))))
			}
			fmt.Fprintf(b, `<polygon points="%s" fill="%s" fill-opacity="0.18" stroke="none"/>`, strings.Join(pts, " "), colour)
		}
		width := "1.4"
		if s.Bold {
			width = "3"
		}
		attrs := fmt.Sprintf(`fill="none" stroke="%s" stroke-width="%s" stroke-linejoin="round"`, colour, width) + dashAttr(dash)
		for _, seg := range segments(s, c.Step, fr, clamp) {
			fmt.Fprintf(b, `<polyline points="%s" %s><title>%s</title></polyline>`, seg, attrs, esc(s.Name))
		}
	}
	b.WriteString(`</svg>`)
}

// yAxisRoom is the left margin a line chart needs for its y axis: its
// title's band (22 px) and the widest tick label at 10 px, at least 48.
// A scale's labelled anchors as ticks (YTicks) widen it; numbers of a
// few digits fit the 48.
func yAxisRoom(ticks []Tick) float64 {
	room := 48.0
	for _, t := range ticks {
		room = max(room, 22+4+TextWidth(t.Label, 10))
	}
	return room
}

// segments turns a series into polyline point lists, broken at NaNs.
func segments(s Series, step bool, fr frame, clamp func(float64) float64) []string {
	var out, cur []string
	prevY := math.NaN()
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.Join(cur, " "))
		}
		cur = nil
	}
	for j := range s.X {
		v := at(s.Y, j)
		if math.IsNaN(v) {
			flush()
			prevY = math.NaN()
			continue
		}
		x, y := f(fr.x(s.X[j])), f(fr.y(clamp(v)))
		if step && !math.IsNaN(prevY) {
			cur = append(cur, x+","+f(fr.y(clamp(prevY))))
		}
		cur = append(cur, x+","+y)
		prevY = v
	}
	flush()
	return out
}

// Legend names the series of a chart, with their line styles (Style of
// the same index), in two columns as wide as a default chart (640), to be
// placed below it. Long names are clipped.
type Legend []string

const legendRowH, legendColW = 16.0, 320.0

func (l Legend) layout() (cols, rows int) {
	cols = 2
	if len(l) < cols {
		cols = max(len(l), 1)
	}
	return cols, (len(l) + cols - 1) / cols
}

// Size is the legend's width and height.
func (l Legend) Size() (w, h float64) {
	cols, rows := l.layout()
	return legendColW * float64(cols), legendRowH*float64(rows) + 4
}

// SVG renders the legend as a document of its own.
func (l Legend) SVG() string { return SVG(l) }

func (l Legend) draw(b *strings.Builder, pos *point) {
	_, rows := l.layout()
	w, h := l.Size()
	fmt.Fprintf(b, `<svg %sxmlns="http://www.w3.org/2000/svg" class="legend" viewBox="0 0 %s %s" width="%s" height="%s" role="img" aria-label="legend">`, placeAttrs(pos), f(w), f(h), f(w), f(h))
	for i, n := range l {
		colour, dash := Style(i)
		x, y := float64(i/rows)*legendColW, float64(i%rows)*legendRowH+10
		fmt.Fprintf(b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="2"%s/>`, f(x+2), f(y), f(x+30), f(y), colour, dashAttr(dash))
		fmt.Fprintf(b, `<text x="%s" y="%s" font-size="10" dominant-baseline="middle">%s</text>`, f(x+36), f(y), esc(Clip(n, 50)))
	}
	b.WriteString(`</svg>`)
}
