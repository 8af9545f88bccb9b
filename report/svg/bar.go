package svg

import (
	"fmt"
	"math"
	"strings"
)

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

// barRowH is the height of a horizontal bar's row.
const barRowH = 18.0

// Size is the chart's width and height: a row per horizontal bar, or a
// fixed height for vertical bars.
func (c BarChart) Size() (w, h float64) {
	w = orDefault(c.Width, 640)
	if c.Horizontal {
		return w, barRowH*float64(len(c.Bars)) + 40
	}
	return w, 260
}

// SVG renders the chart as a document of its own.
func (c BarChart) SVG() string { return SVG(c) }

func (c BarChart) draw(b *strings.Builder, pos *point) {
	w, h := c.Size()
	vmax := 0.0
	for _, br := range c.Bars {
		if !math.IsNaN(br.Value) {
			vmax = math.Max(vmax, br.Value)
		}
	}
	if vmax == 0 {
		vmax = 1
	}
	open(b, pos, w, h, c.Title)
	if c.Horizontal {
		labelW := orDefault(c.LabelWidth, 170)
		fr := frame{w: w, h: h, left: labelW, right: orDefault(c.NoteWidth, 70), top: 6, bot: 34, xmin: 0, xmax: vmax, ymin: 0, ymax: 1}
		axes(b, fr, NiceTicks(0, vmax, 5), nil, c.XLabel, "")
		for i, br := range c.Bars {
			y := fr.top + float64(i)*barRowH + 3
			v := barLength(br.Value)
			fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="end" font-size="10" dominant-baseline="middle">%s</text>`, f(labelW-6), f(y+barRowH/2-2), esc(Clip(br.Label, int(labelW/5.4))))
			fmt.Fprintf(b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s: %s</title></rect>`,
				f(fr.left), f(y), f(fr.x(v)-fr.left), f(barRowH-6), Palette[5], esc(br.Label), FormatNum(br.Value))
			fmt.Fprintf(b, `<text x="%s" y="%s" font-size="10" dominant-baseline="middle">%s</text>`, f(fr.x(v)+4), f(y+barRowH/2-2), esc(strings.TrimSpace(FormatNum(br.Value)+" "+br.Note)))
		}
		b.WriteString(`</svg>`)
		return
	}
	fr := frame{w: w, h: h, left: 48, right: 16, top: 12, bot: 50, xmin: 0, xmax: float64(len(c.Bars)), ymin: 0, ymax: vmax}
	axes(b, fr, nil, NiceTicks(0, vmax, 4), c.XLabel, c.YLabel)
	slot := (fr.w - fr.left - fr.right) / math.Max(1, float64(len(c.Bars)))
	gap := slot * 0.15
	if c.Touching {
		gap = 0
	}
	every := 1 + len(c.Bars)/16 // label at most ~16 bars
	for i, br := range c.Bars {
		v := barLength(br.Value)
		x := fr.left + float64(i)*slot + gap/2
		fmt.Fprintf(b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s" stroke="#fff" stroke-width="0.5"><title>%s: %s</title></rect>`,
			f(x), f(fr.y(v)), f(slot-gap), f(fr.y(0)-fr.y(v)), Palette[5], esc(br.Label), FormatNum(br.Value))
		if i%every == 0 {
			fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="middle" font-size="9">%s</text>`, f(x+(slot-gap)/2), f(fr.h-fr.bot+13), esc(br.Label))
		}
	}
	b.WriteString(`</svg>`)
}

// barLength is the value a bar is drawn to: negative values and NaN draw
// no bar.
func barLength(v float64) float64 {
	if math.IsNaN(v) {
		return 0
	}
	return math.Max(0, v)
}
