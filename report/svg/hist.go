package svg

import (
	"fmt"
	"math"
	"strings"
)

// HistBin is one bin of a Histogram: Count values in [From, To).
type HistBin struct {
	From, To float64
	Count    float64
}

// Marker is a labelled value drawn as a vertical line across a
// Histogram (e.g. the median).
type Marker struct {
	Value float64
	Label string
}

// Histogram draws bins as touching bars on a numbered x axis: each bar
// spans its bin's edges, the ticks sit on bin edges (every k-th edge, so
// that at most about ten are numbered), and the y axis ends on a round
// number above the tallest bar, which is never clipped. Each bar's count
// is written above it.
type Histogram struct {
	Title          string
	XLabel, YLabel string
	Width          float64 // default 640; the height is 260
	Bins           []HistBin
	Markers        []Marker
}

// Size is the chart's width and height.
func (c Histogram) Size() (w, h float64) { return orDefault(c.Width, 640), 260 }

// SVG renders the chart as a document of its own.
func (c Histogram) SVG() string { return SVG(c) }

// edgeTicks are the ticks of a histogram's x axis: its bins' edges, every
// k-th from the first, k the first of 1, 2, 4, 5, 10, 20, 25, 50, …
// that numbers at most eleven (so that 20 bins on 0–100 are numbered
// every 10).
func edgeTicks(bins []HistBin) []Tick {
	if len(bins) == 0 {
		return nil
	}
	edges := []float64{bins[0].From}
	for _, bn := range bins {
		edges = append(edges, bn.To)
	}
	k := 1
	for m := 1; (len(edges)-1)/k+1 > 11; m *= 10 {
		for _, c := range []int{1, 2, 4, 5} {
			if k = c * m; (len(edges)-1)/k+1 <= 11 {
				break
			}
		}
	}
	var ts []Tick
	for i := 0; i < len(edges); i += k {
		ts = append(ts, Tick{edges[i], FormatNum(edges[i])})
	}
	return ts
}

func (c Histogram) draw(b *strings.Builder, pos *point) {
	w, h := c.Size()
	fr := frame{w: w, h: h, left: 48, right: 16, top: 24, bot: 40, xmin: 0, xmax: 1, ymin: 0}
	if len(c.Bins) > 0 {
		fr.xmin, fr.xmax = c.Bins[0].From, c.Bins[len(c.Bins)-1].To
	}
	top := 0.0
	for _, bn := range c.Bins {
		top = math.Max(top, bn.Count)
	}
	fr.ymax = niceCeil(math.Max(top, 1), 5)
	open(b, pos, w, h, c.Title)
	axes(b, fr, edgeTicks(c.Bins), NiceTicks(0, fr.ymax, 5), c.XLabel, c.YLabel)
	for _, bn := range c.Bins {
		x0, x1, y := fr.x(bn.From), fr.x(bn.To), fr.y(bn.Count)
		fmt.Fprintf(b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s" stroke="#fff" stroke-width="0.5"><title>%s–%s: %s</title></rect>`,
			f(x0), f(y), f(x1-x0), f(fr.y(0)-y), barColour, FormatNum(bn.From), FormatNum(bn.To), FormatNum(bn.Count))
	}
	for _, m := range c.Markers {
		if m.Value < fr.xmin || m.Value > fr.xmax {
			continue
		}
		x := fr.x(m.Value)
		fmt.Fprintf(b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#000" stroke-width="1.2" stroke-dasharray="4 2"/>`, f(x), f(fr.top-10), f(x), f(fr.h-fr.bot))
		anchor := "start"
		if x > (fr.left+fr.w-fr.right)/2 {
			anchor = "end"
		}
		dx := 3.0
		if anchor == "end" {
			dx = -3
		}
		fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="%s" font-size="10">%s</text>`, f(x+dx), f(fr.top-6), anchor, esc(m.Label))
	}
	// The counts over the bars, on a white halo that keeps them clear of
	// the markers' lines.
	for _, bn := range c.Bins {
		if bn.Count > 0 {
			fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="middle" font-size="9" fill="#333" stroke="#fff" stroke-width="3" paint-order="stroke">%s</text>`,
				f((fr.x(bn.From)+fr.x(bn.To))/2), f(fr.y(bn.Count)-3), FormatNum(bn.Count))
		}
	}
	b.WriteString(`</svg>`)
}
