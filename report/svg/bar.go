package svg

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Bar is one bar of a BarChart.
type Bar struct {
	Label string
	Value float64
	// Note is shown after the value (e.g. a band's name or an interval).
	Note string
	// Low and High, when High > Low, are an interval drawn as a whisker
	// across the bar's end (e.g. a bootstrap interval of the value).
	Low, High float64
}

// whisker reports whether the bar has an interval to draw.
func (br Bar) whisker() bool { return br.High > br.Low }

// BarChart draws horizontal bars, one per row in the order given (a
// ranking, largest first; a scale's bands in order), each named on its
// left in full (wrapped, never cut) with its value and note on its right.
type BarChart struct {
	Title  string
	XLabel string
	Width  float64 // default 640
	// XMax fixes the end of the value axis; 0: the largest value, rounded
	// up to a tick (1 for Percent).
	XMax float64
	// Percent marks the values as shares, written and ticked as
	// percentages.
	Percent bool
	Bars    []Bar
	// LabelWidth and NoteWidth are the room, in pixels, for the labels
	// left of the bars and for the value and note right of them; 0 means
	// the defaults, 170 and 70. Labels wider than their room wrap.
	LabelWidth, NoteWidth float64
	// Note is a line or two under the chart (e.g. what a ranking leaves
	// out), wrapped to the chart's width.
	Note string
	// Decimals, when above 0, writes every value with that many digits
	// after the point (the same for all bars); 0: FormatNum's shortest.
	Decimals int
	// ValuesRight writes the values and notes in a column right of the
	// plot, where no bar or whisker reaches, instead of after each bar.
	ValuesRight bool
}

// barRowH is the height of a one-line bar's row; each further line of
// its label adds a labelLineH.
const barRowH = 18.0

// barLayout is a BarChart laid out: each bar's label lines and the top of
// its row, and the note's lines.
type barLayout struct {
	labels [][]string
	tops   []float64
	plotH  float64
	note   []string
	w, h   float64
}

func (c BarChart) layout() barLayout {
	l := barLayout{w: orDefault(c.Width, 640)}
	y := 0.0
	for _, br := range c.Bars {
		lines := WrapText(br.Label, orDefault(c.LabelWidth, 170)-10, labelSize)
		l.labels = append(l.labels, lines)
		l.tops = append(l.tops, y)
		y += barRowH + float64(len(lines)-1)*labelLineH
	}
	l.plotH = y
	if c.Note != "" {
		l.note = WrapText(c.Note, l.w-16, labelSize)
	}
	l.h = 6 + l.plotH + 40 + float64(len(l.note))*labelLineH
	return l
}

// Size is the chart's width and height: a row per bar, as tall as its
// label's lines, and the note under the axis.
func (c BarChart) Size() (w, h float64) {
	l := c.layout()
	return l.w, l.h
}

// SVG renders the chart as a document of its own.
func (c BarChart) SVG() string { return SVG(c) }

func (c BarChart) draw(b *strings.Builder, pos *point) {
	l := c.layout()
	vmax := c.XMax
	if vmax <= 0 && c.Percent {
		vmax = 1
	}
	if vmax <= 0 {
		for _, br := range c.Bars {
			if !math.IsNaN(br.Value) {
				vmax = math.Max(vmax, br.Value)
			}
			if br.whisker() && !math.IsNaN(br.High) {
				vmax = math.Max(vmax, br.High)
			}
		}
		if vmax == 0 {
			vmax = 1
		}
		vmax = niceCeil(vmax, 5)
	}
	open(b, pos, l.w, l.h, c.Title)
	labelW := orDefault(c.LabelWidth, 170)
	fr := frame{w: l.w, h: 6 + l.plotH + 34, left: labelW, right: orDefault(c.NoteWidth, 70), top: 6, bot: 34, xmin: 0, xmax: vmax, ymin: 0, ymax: 1}
	ticks := NiceTicks(0, vmax, 5)
	if c.Percent {
		for i := range ticks {
			ticks[i].Label = percent(ticks[i].Value, 0)
		}
	}
	axes(b, fr, ticks, nil, c.XLabel, "")
	for i, br := range c.Bars {
		top := fr.top + l.tops[i]
		rowH := barRowH + float64(len(l.labels[i])-1)*labelLineH
		mid := top + rowH/2
		v := barLength(br.Value)
		writeLines(b, labelW-6, mid, l.labels[i], labelSize, labelLineH, ` text-anchor="end"`)
		fmt.Fprintf(b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s: %s</title></rect>`,
			f(fr.left), f(mid-(barRowH-6)/2), f(fr.x(v)-fr.left), f(barRowH-6), barColour, esc(br.Label), FormatNum(br.Value))
		end := fr.x(v)
		if br.whisker() {
			lo, hi := fr.x(math.Max(0, br.Low)), fr.x(math.Min(vmax, br.High))
			fmt.Fprintf(b, `<path d="M%s %sH%sM%s %sV%sM%s %sV%s" stroke="#222" stroke-width="1.2" fill="none"><title>%s: %s to %s</title></path>`,
				f(lo), f(mid), f(hi), f(lo), f(mid-4), f(mid+4), f(hi), f(mid-4), f(mid+4), esc(br.Label), FormatNum(br.Low), FormatNum(br.High))
			end = math.Max(end, hi)
		}
		text := FormatNum(br.Value)
		switch {
		case c.Percent:
			text = percent(br.Value, 1)
		case c.Decimals > 0 && !math.IsNaN(br.Value):
			text = strconv.FormatFloat(br.Value, 'f', c.Decimals, 64)
		}
		x := end + 4
		if c.ValuesRight {
			x = fr.w - fr.right + 6
		}
		fmt.Fprintf(b, `<text x="%s" y="%s" font-size="10" dominant-baseline="middle">%s</text>`, f(x), f(mid), esc(strings.TrimSpace(text+" "+br.Note)))
	}
	if len(l.note) > 0 {
		writeLines(b, 8, fr.h+float64(len(l.note)-1)*labelLineH/2+4, l.note, labelSize, labelLineH, ` fill="#333"`)
	}
	b.WriteString(`</svg>`)
}

// percent writes a share as a percentage with the given decimals.
func percent(v float64, decimals int) string {
	return strconv.FormatFloat(100*v, 'f', decimals, 64) + "%"
}

// niceCeil is the first tick of NiceTicks(0, v, n) at or above v.
func niceCeil(v float64, n int) float64 {
	ts := NiceTicks(0, v, n)
	if len(ts) < 2 {
		return v
	}
	step := ts[1].Value - ts[0].Value
	return math.Ceil(v/step-1e-9) * step
}

// barLength is the value a bar is drawn to: negative values and NaN draw
// no bar.
func barLength(v float64) float64 {
	if math.IsNaN(v) {
		return 0
	}
	return math.Max(0, v)
}
