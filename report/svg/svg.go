// Package svg draws the charts of Parley's reports as self-contained SVG
// elements: line charts (trajectories, curves with an uncertainty band),
// bar charts (histograms, rankings) and step timelines. The output has no
// scripts, fonts or external references, uses a colour-blind-safe palette
// with a dash pattern per series so that lines stay apart in black-and-
// white print, and is deterministic (numbers are written with fixed
// precision), so reports can be compared byte for byte.
package svg

import (
	"fmt"
	"html"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// Palette is the Okabe–Ito colour-blind-safe palette, black first.
var Palette = []string{"#000000", "#E69F00", "#56B4E9", "#009E73", "#D55E00", "#0072B2", "#CC79A7", "#999933"}

// Dashes are the stroke-dasharray patterns cycled after the palette, so
// that series 0–7 are solid, 8–15 dashed, and so on.
var Dashes = []string{"", "6 3", "2 2", "8 3 2 3"}

// Style returns the colour and dash pattern of series i.
func Style(i int) (colour, dash string) {
	return Palette[i%len(Palette)], Dashes[(i/len(Palette))%len(Dashes)]
}

// esc escapes text for an SVG text node or attribute.
func esc(s string) string { return html.EscapeString(s) }

// f formats a coordinate.
func f(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

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

// viewBox reads the size of an SVG document from its outer element.
var viewBox = regexp.MustCompile(`^<svg [^>]*viewBox="0 0 ([0-9.]+) ([0-9.]+)"`)

// Size returns the width and height of an SVG document drawn by this
// package (from its viewBox), for placing it among others; false when doc
// does not start with such an element.
func Size(doc string) (w, h float64, ok bool) {
	m := viewBox.FindStringSubmatch(doc)
	if m == nil {
		return 0, 0, false
	}
	w, errW := strconv.ParseFloat(m[1], 64)
	h, errH := strconv.ParseFloat(m[2], 64)
	return w, h, errW == nil && errH == nil
}

// open writes the <svg> element with an accessible title.
func open(b *strings.Builder, w, h float64, title string) {
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 %s %s" width="%s" height="%s" role="img" aria-label="%s">`,
		f(w), f(h), f(w), f(h), esc(title))
	fmt.Fprintf(b, `<title>%s</title>`, esc(title))
	fmt.Fprintf(b, `<rect x="0" y="0" width="%s" height="%s" fill="#fff"/>`, f(w), f(h))
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

// SVG renders the chart.
func (c LineChart) SVG() string {
	w, h := orDefault(c.Width, 640), orDefault(c.Height, 320)
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
	var b strings.Builder
	open(&b, w, h, c.Title)
	xt := NiceTicks(fr.xmin, fr.xmax, 8)
	if fr.xmax-fr.xmin <= 12 && fr.xmin == math.Trunc(fr.xmin) {
		xt = nil
		for v := fr.xmin; v <= fr.xmax; v++ {
			xt = append(xt, Tick{v, FormatNum(v)})
		}
	}
	axes(&b, fr, xt, yt, c.XLabel, c.YLabel)
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
			fmt.Fprintf(&b, `<polygon points="%s" fill="%s" fill-opacity="0.18" stroke="none"/>`, strings.Join(pts, " "), colour)
		}
		width := "1.4"
		if s.Bold {
			width = "3"
		}
		attrs := fmt.Sprintf(`fill="none" stroke="%s" stroke-width="%s" stroke-linejoin="round"`, colour, width) + dashAttr(dash)
		for _, seg := range segments(s, c.Step, fr, clamp) {
			fmt.Fprintf(&b, `<polyline points="%s" %s><title>%s</title></polyline>`, seg, attrs, esc(s.Name))
		}
	}
	b.WriteString(`</svg>`)
	return b.String()
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

// Legend renders the series' names with their line styles in two
// columns, as an SVG of its own as wide as a default chart (640), to be
// placed below it. Long names are clipped.
func Legend(names []string) string {
	const rowH, colW = 16.0, 320.0
	cols := 2
	if len(names) < cols {
		cols = max(len(names), 1)
	}
	rows := (len(names) + cols - 1) / cols
	w, h := colW*float64(cols), rowH*float64(rows)+4
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="legend" viewBox="0 0 %s %s" width="%s" height="%s" role="img" aria-label="legend">`, f(w), f(h), f(w), f(h))
	for i, n := range names {
		colour, dash := Style(i)
		x, y := float64(i/rows)*colW, float64(i%rows)*rowH+10
		fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="2"%s/>`, f(x+2), f(y), f(x+30), f(y), colour, dashAttr(dash))
		fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="10" dominant-baseline="middle">%s</text>`, f(x+36), f(y), esc(Clip(n, 50)))
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// dashAttr is the stroke-dasharray attribute of a dash pattern, empty for
// a solid line.
func dashAttr(dash string) string {
	if dash == "" {
		return ""
	}
	return fmt.Sprintf(` stroke-dasharray="%s"`, dash)
}

// Bar is one bar of a BarChart.
type Bar struct {
	Label string
	Value float64
	// Note is shown after the value (e.g. a band's name or an interval).
	Note string
}

// BarChart draws vertical bars (a histogram: bars touch) or horizontal
// bars (a ranking, largest first as given).
type BarChart struct {
	Title          string
	XLabel, YLabel string
	Width          float64 // default 640
	Horizontal     bool
	// Touching draws vertical bars without gaps, for histograms.
	Touching bool
	Bars     []Bar
	// LabelWidth and NoteWidth are the room, in pixels, for the labels
	// left of horizontal bars and for the value and note right of them;
	// 0 means the defaults, 170 and 70.
	LabelWidth, NoteWidth float64
}

// SVG renders the chart.
func (c BarChart) SVG() string {
	w := orDefault(c.Width, 640)
	vmax := 0.0
	for _, br := range c.Bars {
		if !math.IsNaN(br.Value) {
			vmax = math.Max(vmax, br.Value)
		}
	}
	if vmax == 0 {
		vmax = 1
	}
	var b strings.Builder
	if c.Horizontal {
		const rowH = 18.0
		labelW := orDefault(c.LabelWidth, 170)
		h := rowH*float64(len(c.Bars)) + 40
		open(&b, w, h, c.Title)
		fr := frame{w: w, h: h, left: labelW, right: orDefault(c.NoteWidth, 70), top: 6, bot: 34, xmin: 0, xmax: vmax, ymin: 0, ymax: 1}
		axes(&b, fr, NiceTicks(0, vmax, 5), nil, c.XLabel, "")
		for i, br := range c.Bars {
			y := fr.top + float64(i)*rowH + 3
			v := barLength(br.Value)
			fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="end" font-size="10" dominant-baseline="middle">%s</text>`, f(labelW-6), f(y+rowH/2-2), esc(Clip(br.Label, int(labelW/5.4))))
			fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s: %s</title></rect>`,
				f(fr.left), f(y), f(fr.x(v)-fr.left), f(rowH-6), Palette[5], esc(br.Label), FormatNum(br.Value))
			fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="10" dominant-baseline="middle">%s</text>`, f(fr.x(v)+4), f(y+rowH/2-2), esc(strings.TrimSpace(FormatNum(br.Value)+" "+br.Note)))
		}
		b.WriteString(`</svg>`)
		return b.String()
	}
	h := 260.0
	open(&b, w, h, c.Title)
	fr := frame{w: w, h: h, left: 48, right: 16, top: 12, bot: 50, xmin: 0, xmax: float64(len(c.Bars)), ymin: 0, ymax: vmax}
	axes(&b, fr, nil, NiceTicks(0, vmax, 4), c.XLabel, c.YLabel)
	slot := (fr.w - fr.left - fr.right) / math.Max(1, float64(len(c.Bars)))
	gap := slot * 0.15
	if c.Touching {
		gap = 0
	}
	every := 1 + len(c.Bars)/16 // label at most ~16 bars
	for i, br := range c.Bars {
		v := barLength(br.Value)
		x := fr.left + float64(i)*slot + gap/2
		fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s" stroke="#fff" stroke-width="0.5"><title>%s: %s</title></rect>`,
			f(x), f(fr.y(v)), f(slot-gap), f(fr.y(0)-fr.y(v)), Palette[5], esc(br.Label), FormatNum(br.Value))
		if i%every == 0 {
			fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="middle" font-size="9">%s</text>`, f(x+(slot-gap)/2), f(fr.h-fr.bot+13), esc(br.Label))
		}
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// barLength is the value a bar is drawn to: negative values and NaN draw
// no bar.
func barLength(v float64) float64 {
	if math.IsNaN(v) {
		return 0
	}
	return math.Max(0, v)
}

// Step is one stage of a Timeline.
type Step struct {
	Label string
	// Detail is a second line (an outcome, a date).
	Detail string
	// Mark highlights the step (e.g. the stage where the process ended).
	Mark bool
}

// Timeline draws stages as boxes joined by arrows, wrapping into rows.
type Timeline struct {
	Title string
	Width float64 // default 640
	Steps []Step
}

// SVG renders the timeline.
func (t Timeline) SVG() string {
	w := orDefault(t.Width, 640)
	const boxW, boxH, gapX, gapY = 190.0, 46.0, 24.0, 22.0
	perRow := max(1, int((w+gapX)/(boxW+gapX)))
	rows := (len(t.Steps) + perRow - 1) / perRow
	h := float64(max(rows, 1))*(boxH+gapY) + 4
	var b strings.Builder
	open(&b, w, h, t.Title)
	b.WriteString(`<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker></defs>`)
	for i, s := range t.Steps {
		r, c := i/perRow, i%perRow
		x, y := float64(c)*(boxW+gapX)+2, float64(r)*(boxH+gapY)+2
		fill, sw := "#f4f4f4", "1"
		if s.Mark {
			fill, sw = "#fde9c9", "2.2"
		}
		fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" rx="5" fill="%s" stroke="#333" stroke-width="%s"/>`, f(x), f(y), f(boxW), f(boxH), fill, sw)
		fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="middle" font-size="11" font-weight="bold">%s</text>`, f(x+boxW/2), f(y+18), esc(Clip(s.Label, 28)))
		if s.Detail != "" {
			fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="middle" font-size="10">%s</text>`, f(x+boxW/2), f(y+34), esc(Clip(s.Detail, 34)))
		}
		if i+1 < len(t.Steps) {
			if c+1 < perRow {
				fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#333" stroke-width="1.2" marker-end="url(#arrow)"/>`, f(x+boxW), f(y+boxH/2), f(x+boxW+gapX-2), f(y+boxH/2))
			} else {
				fmt.Fprintf(&b, `<path d="M%s,%s V%s H%s V%s" fill="none" stroke="#333" stroke-width="1.2" marker-end="url(#arrow)"/>`,
					f(x+boxW/2), f(y+boxH), f(y+boxH+gapY/2), f(2+boxW/2), f(y+boxH+gapY-2))
			}
		}
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// Clip shortens s to n runes, its last an ellipsis, when it is longer.
func Clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// Grid places SVG documents drawn by this package in a grid of the given
// number of columns, row by row, in one document.
func Grid(cols int, parts ...string) string {
	cols = max(cols, 1)
	var b strings.Builder
	y, width, rowH := 0.0, 0.0, 0.0
	x := 0.0
	col := 0
	for _, p := range parts {
		wd, ht, ok := Size(p)
		if !ok {
			continue
		}
		if col == cols {
			y += rowH + 6
			x, col, rowH = 0, 0, 0
		}
		b.WriteString(strings.Replace(p, "<svg ", fmt.Sprintf(`<svg x="%s" y="%s" `, f(x), f(y)), 1))
		x += wd + 6
		width = math.Max(width, x-6)
		rowH = math.Max(rowH, ht)
		col++
	}
	h := y + rowH
	return fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 %s %s" width="%s" height="%s">`, f(width), f(h), f(width), f(h)) + b.String() + `</svg>`
}
