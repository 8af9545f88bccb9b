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
	// Bold draws the line black, thicker and over the others (e.g. the
	// forecast among the actors), with a dot at each point (each round).
	Bold bool
	// NoDots leaves out a bold line's dots: for a curve sampled at
	// regular dates (an expected count each month), whose points are not
	// events as a model's rounds are and whose dots would only thicken it.
	NoDots bool
}

// LineChart plots series against a shared x axis. Values outside
// [YMin, YMax] are drawn at the border; NaN points break the line.
//
// Lines are told apart by colour and dash (lineStyle) and, with
// EndLabels, by their names written at their ends, so that colour is
// never the only cue. Bold series are drawn last, on a white casing, so
// that no other line hides them.
type LineChart struct {
	Title          string
	XLabel, YLabel string
	// Width is the chart's width (default 640). Height is its least
	// height (default 320): labels at the lines' ends or on the axis that
	// need more room make the chart taller.
	Width, Height float64
	YMin, YMax    float64 // default: the data's range
	// YTicks replace the automatic numbered ticks of the y axis.
	YTicks []Tick
	// YAnchors are labelled points of the y scale (a scale's anchors):
	// each value is numbered on the axis and its label written left of the
	// numbers, wrapped to AnchorWidth (default 150) and joined to its value;
	// labels that would overlap are moved apart.
	YAnchors    []Tick
	AnchorWidth float64
	// EndLabels names each series at its last point, right of the plot,
	// wrapped to LabelWidth (default 170), beside a sample of its line;
	// labels that would overlap are moved apart and joined to their
	// points by a leader line.
	EndLabels  bool
	LabelWidth float64
	// Step draws each series as a step function (a count over time).
	Step   bool
	Series []Series
	// Ranges are stretches of the plot shaded between two values, with a
	// line at a value inside them and a label (e.g. the rounds over which
	// a forecast cycles, the range it cycles in and its mean).
	Ranges []YRange
}

// YRange is a shaded rectangle of a LineChart: from X0 to X1 across,
// Low to High up, a dashed line at Mark (NaN: none) and Label above it
// (or below it when there is no room above).
type YRange struct {
	X0, X1, Low, High, Mark float64
	Label                   string
}

// Text sizes of a line chart's labels.
const (
	labelSize  = 10.0
	labelLineH = 12.0
	labelGap   = 3.0
)

// lineColours are the colours of a line chart's ordinary series: the
// Okabe–Ito palette without its black, which marks bold series, and with
// olive for its yellow, too pale for a thin line on white.
var lineColours = []string{"#E69F00", "#56B4E9", "#009E73", "#D55E00", "#0072B2", "#CC79A7", "#999933"}

// lineStyle is the colour and dash pattern of the k-th ordinary series:
// series 0–6 solid in the seven colours, 7–13 dashed, and so on.
func lineStyle(k int) (colour, dash string) {
	return lineColours[k%len(lineColours)], Dashes[(k/len(lineColours))%len(Dashes)]
}

// styles is the colour and dash of each series: black and solid for bold
// ones, lineStyle in turn for the others.
func (c LineChart) styles() (colours, dashes []string) {
	k := 0
	for _, s := range c.Series {
		if s.Bold {
			colours, dashes = append(colours, "#000000"), append(dashes, "")
			continue
		}
		col, d := lineStyle(k)
		colours, dashes = append(colours, col), append(dashes, d)
		k++
	}
	return colours, dashes
}

// placed is a label of a chart set beside a value: its lines, the
// position of the value it names (at) and of its centre (y).
type placed struct {
	lines []string
	at, y float64
	index int
}

// lineLayout is a LineChart laid out: its frame, ticks, anchor labels and
// end labels, and where the columns of labels start.
type lineLayout struct {
	fr      frame
	xt, yt  []Tick
	numW    float64 // the widest number of the y axis
	anchors []placed
	ends    []placed
	anchorX float64 // right edge of the anchor labels
	endX    float64 // left edge of the end labels' samples
}

// Size is the chart's width and height.
func (c LineChart) Size() (w, h float64) {
	l := c.layout()
	return l.fr.w, l.fr.h
}

// SVG renders the chart as a document of its own.
func (c LineChart) SVG() string { return SVG(c) }

// last is the last point of a series that has a value, ok false when
// none has.
func (s Series) last() (x, y float64, ok bool) {
	for j := len(s.X) - 1; j >= 0; j-- {
		if v := at(s.Y, j); !math.IsNaN(v) {
			return s.X[j], v, true
		}
	}
	return 0, 0, false
}

func (c LineChart) layout() lineLayout {
	fr := frame{w: orDefault(c.Width, 640), top: 12, bot: 34, right: 16}
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
	l := lineLayout{yt: c.YTicks}
	if len(l.yt) == 0 {
		l.yt = NiceTicks(fr.ymin, fr.ymax, 5)
	}
	// The x ticks: every value of a short whole-numbered axis (rounds).
	l.xt = NiceTicks(fr.xmin, fr.xmax, 8)
	if fr.xmax-fr.xmin <= 12 && fr.xmin == math.Trunc(fr.xmin) {
		l.xt = nil
		for v := fr.xmin; v <= fr.xmax; v++ {
			l.xt = append(l.xt, Tick{v, FormatNum(v)})
		}
	}
	// Left: the axis title's band, the anchors' labels and their leaders,
	// the numbers.
	for _, a := range c.YAnchors {
		l.anchors = append(l.anchors, placed{lines: WrapText(a.Label, orDefault(c.AnchorWidth, 150), labelSize), at: a.Value})
	}
	l.numW = 0
	for _, t := range l.axisNumbers(c) {
		l.numW = max(l.numW, TextWidth(t.Label, labelSize))
	}
	fr.left = max(48, 22+4+l.numW)
	if len(l.anchors) > 0 {
		aw := 0.0
		for _, a := range l.anchors {
			aw = max(aw, widest(a.lines, labelSize))
		}
		l.anchorX = 22 + aw
		fr.left = l.anchorX + 16 + l.numW + 4
	}
	// Right: the end labels, each a sample of its line and its name.
	if c.EndLabels {
		ew := 0.0
		for i, s := range c.Series {
			if _, _, ok := s.last(); ok {
				p := placed{lines: WrapText(s.Name, orDefault(c.LabelWidth, 170), labelSize), index: i}
				l.ends = append(l.ends, p)
				ew = max(ew, widest(p.lines, labelSize))
			}
		}
		fr.right = 12 + 20 + 4 + ew + 4
	}
	// The plot is as tall as the chart asks, or as its labels need.
	ph := orDefault(c.Height, 320) - fr.top - fr.bot
	heights := func(ps []placed) []float64 {
		hs := make([]float64, len(ps))
		for i, p := range ps {
			hs[i] = float64(len(p.lines)) * labelLineH
		}
		return hs
	}
	ph = max(ph, stackHeight(heights(l.anchors), labelGap), stackHeight(heights(l.ends), labelGap))
	fr.h = fr.top + ph + fr.bot
	l.fr = fr
	place := func(ps []placed) {
		want := make([]float64, len(ps))
		for i, p := range ps {
			want[i] = fr.y(l.clamp(p.at))
		}
		ys := spread(want, heights(ps), labelGap, 2, fr.h-fr.bot+labelLineH/2)
		for i := range ps {
			ps[i].y = ys[i]
		}
	}
	for i, p := range l.ends {
		_, y, _ := c.Series[p.index].last()
		l.ends[i].at = y
	}
	place(l.anchors)
	place(l.ends)
	l.endX = fr.w - fr.right + 12
	return l
}

func (l lineLayout) clamp(v float64) float64 { return math.Max(l.fr.ymin, math.Min(l.fr.ymax, v)) }

// axisNumbers are the numbered ticks of the y axis: the ticks, and the
// anchors' values, a tick closer than a line to an anchor giving way to it.
func (l lineLayout) axisNumbers(c LineChart) []Tick {
	if len(c.YAnchors) == 0 {
		return l.yt
	}
	fr := l.fr
	var out []Tick
	for _, t := range l.yt {
		// Before the frame is known (fr.h 0), every tick is kept.
		near := false
		for _, a := range c.YAnchors {
			near = near || (fr.h > 0 && math.Abs(fr.y(t.Value)-fr.y(a.Value)) < labelLineH)
		}
		if !near {
			out = append(out, t)
		}
	}
	for _, a := range c.YAnchors {
		out = append(out, Tick{a.Value, FormatNum(a.Value)})
	}
	return out
}

func (c LineChart) draw(b *strings.Builder, pos *point) {
	l := c.layout()
	fr := l.fr
	open(b, pos, fr.w, fr.h, c.Title)
	axes(b, fr, l.xt, l.axisNumbers(c), c.XLabel, c.YLabel)
	// The anchors: a dotted line across the plot, the label left of the
	// numbers, a leader from the label to its number.
	for _, a := range l.anchors {
		y := fr.y(l.clamp(a.at))
		fmt.Fprintf(b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#999" stroke-width="0.7" stroke-dasharray="1 3"/>`, f(fr.left), f(y), f(fr.w-fr.right), f(y))
		fmt.Fprintf(b, `<polyline points="%s,%s %s,%s" fill="none" stroke="#999" stroke-width="0.6"/>`, f(l.anchorX+3), f(a.y), f(fr.left-l.numW-7), f(y))
		writeLines(b, l.anchorX, a.y, a.lines, labelSize, labelLineH, ` text-anchor="end" fill="#333"`)
	}
	colours, dashes := c.styles()
	for _, r := range c.Ranges {
		x0, x1 := fr.x(r.X0), fr.x(r.X1)
		y0, y1 := fr.y(l.clamp(r.High)), fr.y(l.clamp(r.Low))
		if y1-y0 < 4 { // a range too thin to see is drawn 4 pixels tall
			mid := (y0 + y1) / 2
			y0, y1 = mid-2, mid+2
		}
		fmt.Fprintf(b, `<rect x="%s" y="%s" width="%s" height="%s" fill="#000" fill-opacity="0.07" stroke="#444" stroke-width="0.8" stroke-dasharray="3 2"><title>%s</title></rect>`,
			f(x0), f(y0), f(max(x1-x0, 2)), f(y1-y0), esc(r.Label))
		if !math.IsNaN(r.Mark) {
			y := fr.y(l.clamp(r.Mark))
			fmt.Fprintf(b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#000" stroke-width="1" stroke-dasharray="5 3"/>`, f(x0), f(y), f(x1), f(y))
		}
		ty := y0 - 5
		if ty-labelSize < fr.top {
			ty = y1 + labelSize + 3
		}
		anchor, tx := "end", x1
		if TextWidth(r.Label, labelSize) > x1-fr.left {
			anchor, tx = "start", fr.left+4
		}
		fmt.Fprintf(b, `<text x="%s" y="%s" font-size="%s" text-anchor="%s" fill="#111" paint-order="stroke" stroke="#fff" stroke-width="3" stroke-linejoin="round">%s</text>`,
			f(tx), f(ty), f(labelSize), anchor, esc(r.Label))
	}
	// With a bold series, the others are drawn fainter, so that it stands
	// out; their end labels keep the full colour.
	faint := ""
	for _, s := range c.Series {
		if s.Bold {
			faint = ` stroke-opacity="0.6"`
		}
	}
	// Bands first, then ordinary lines, then bold lines on a white casing.
	for i, s := range c.Series {
		if len(s.Lo) != len(s.Y) || len(s.Hi) != len(s.Y) || len(s.Y) == 0 {
			continue
		}
		var pts []string
		for j := range s.X {
			pts = append(pts, f(fr.x(s.X[j]))+","+f(fr.y(l.clamp(s.Hi[j]))))
		}
		for j := len(s.X) - 1; j >= 0; j-- {
			pts = append(pts, f(fr.x(s.X[j]))+","+f(fr.y(l.clamp(s.Lo[j]))))
		}
		fill := colours[i]
		if s.Bold {
			fill = "#0072B2"
		}
		fmt.Fprintf(b, `<polygon points="%s" fill="%s" fill-opacity="0.18" stroke="none"/>`, strings.Join(pts, " "), fill)
	}
	for _, bold := range []bool{false, true} {
		for i, s := range c.Series {
			if s.Bold != bold {
				continue
			}
			segs := segments(s, c.Step, fr, l.clamp)
			if bold {
				for _, seg := range segs {
					fmt.Fprintf(b, `<polyline points="%s" fill="none" stroke="#fff" stroke-width="6" stroke-linejoin="round"/>`, seg)
				}
			}
			width, extra := "1.3", faint
			if bold {
				width, extra = "3.2", ""
			}
			attrs := fmt.Sprintf(`fill="none" stroke="%s" stroke-width="%s" stroke-linejoin="round"`, colours[i], width) + extra + dashAttr(dashes[i])
			for _, seg := range segs {
				fmt.Fprintf(b, `<polyline points="%s" %s><title>%s</title></polyline>`, seg, attrs, esc(s.Name))
			}
			if bold && !c.Step && !s.NoDots {
				// a dot at each point of a bold line, on a white ring
				for j := range s.X {
					if v := at(s.Y, j); !math.IsNaN(v) {
						fmt.Fprintf(b, `<circle cx="%s" cy="%s" r="3.2" fill="%s" stroke="#fff" stroke-width="1.2"/>`, f(fr.x(s.X[j])), f(fr.y(l.clamp(v))), colours[i])
					}
				}
			}
		}
	}
	// The end labels: a leader from the line's last point, a sample of
	// the line, the name.
	for _, e := range l.ends {
		s := c.Series[e.index]
		x, y, _ := s.last()
		first := e.y - float64(len(e.lines)-1)*labelLineH/2
		fmt.Fprintf(b, `<polyline points="%s,%s %s,%s %s,%s" fill="none" stroke="#999" stroke-width="0.6"/>`,
			f(fr.x(x)), f(fr.y(l.clamp(y))), f(fr.w-fr.right+2), f(fr.y(l.clamp(y))), f(l.endX), f(first))
		width, weight := "2", ""
		if s.Bold {
			width, weight = "3", ` font-weight="bold"`
		}
		fmt.Fprintf(b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="%s"%s/>`,
			f(l.endX), f(first), f(l.endX+20), f(first), colours[e.index], width, dashAttr(dashes[e.index]))
		writeLines(b, l.endX+24, e.y, e.lines, labelSize, labelLineH, weight)
	}
	b.WriteString(`</svg>`)
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
