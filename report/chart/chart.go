// Package chart draws simple charts as self-contained SVG documents, in
// plain Go and for print: black lines, a grey band, labelled axes and
// fonts large enough to read on paper. It is shared by every command that
// draws (recognition curves now, sweeps and backtests later).
package chart

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// Band is a time series with an uncertainty band, e.g. an expected count
// with its 5th and 95th percentiles.
type Band struct {
	Title  string
	XLabel string
	YLabel string
	// X are the dates of the points, in increasing order.
	X []time.Time
	// Y is the central line; Lo and Hi the band (optional, both or none).
	Y, Lo, Hi []float64
	// LineLabel and BandLabel name the line and the band in the legend.
	LineLabel, BandLabel string
	// Width and Height in pixels (default 800 × 450).
	Width, Height int
}

// Margins around the plot area, in pixels.
const (
	marginLeft   = 70
	marginRight  = 20
	marginTop    = 40
	marginBottom = 60
)

// WriteSVG writes the chart as an SVG document.
func (c Band) WriteSVG(w io.Writer) error {
	n := len(c.X)
	if n < 2 {
		return errors.New("chart: need at least two points")
	}
	if len(c.Y) != n || (c.Lo != nil || c.Hi != nil) && (len(c.Lo) != n || len(c.Hi) != n) {
		return errors.New("chart: X, Y, Lo and Hi must have the same length")
	}
	for i := 1; i < n; i++ {
		if !c.X[i].After(c.X[i-1]) {
			return errors.New("chart: X must increase")
		}
	}
	width, height := c.Width, c.Height
	if width <= 0 {
		width = 800
	}
	if height <= 0 {
		height = 450
	}
	ymin, ymax := 0.0, math.Inf(-1)
	for _, s := range [][]float64{c.Y, c.Lo, c.Hi} {
		for _, v := range s {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return errors.New("chart: values must be finite")
			}
			ymin, ymax = math.Min(ymin, v), math.Max(ymax, v)
		}
	}
	ticks := NiceTicks(ymin, ymax, 6)
	ymin, ymax = ticks[0], ticks[len(ticks)-1]
	pw := float64(width - marginLeft - marginRight)
	ph := float64(height - marginTop - marginBottom)
	t0, t1 := c.X[0], c.X[n-1]
	sx := func(t time.Time) float64 {
		return marginLeft + pw*float64(t.Sub(t0))/float64(t1.Sub(t0))
	}
	sy := func(v float64) float64 { return marginTop + ph*(1-(v-ymin)/(ymax-ymin)) }

	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="Helvetica, Arial, sans-serif" font-size="13">`+"\n", width, height, width, height)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="white"/>`+"\n", width, height)
	if c.Title != "" {
		fmt.Fprintf(&b, `<text x="%d" y="24" font-size="16" font-weight="bold">%s</text>`+"\n", marginLeft, esc(c.Title))
	}
	// Horizontal grid and y ticks.
	for _, v := range ticks {
		y := sy(v)
		fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#dddddd"/>`+"\n", marginLeft, y, marginLeft+pw, y)
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="end">%s</text>`+"\n", marginLeft-6, y+4, fmtTick(v))
	}
	// Yearly x ticks, thinned to at most 14 labels.
	years := t1.Year() - t0.Year() + 1
	step := 1
	for years/step > 14 {
		step++
	}
	for yr := t0.Year(); yr <= t1.Year()+1; yr++ {
		tk := time.Date(yr, 1, 1, 0, 0, 0, 0, time.UTC)
		if tk.Before(t0) || tk.After(t1) || (yr-t0.Year())%step != 0 {
			continue
		}
		x := sx(tk)
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="black"/>`+"\n", x, marginTop+ph, x, marginTop+ph+5)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle">%d</text>`+"\n", x, marginTop+ph+20, yr)
	}
	// Band, then line.
	if c.Lo != nil {
		var pts []string
		for i := range n {
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", sx(c.X[i]), sy(c.Hi[i])))
		}
		for i := n - 1; i >= 0; i-- {
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", sx(c.X[i]), sy(c.Lo[i])))
		}
		fmt.Fprintf(&b, `<polygon points="%s" fill="#bbbbbb" fill-opacity="0.6" stroke="none"/>`+"\n", strings.Join(pts, " "))
	}
	var line []string
	for i := range n {
		line = append(line, fmt.Sprintf("%.1f,%.1f", sx(c.X[i]), sy(c.Y[i])))
	}
	fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="black" stroke-width="2"/>`+"\n", strings.Join(line, " "))
	// Axes and labels.
	fmt.Fprintf(&b, `<path d="M%d %d V%.1f H%.1f" fill="none" stroke="black"/>`+"\n", marginLeft, marginTop, marginTop+ph, marginLeft+pw)
	if c.XLabel != "" {
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle">%s</text>`+"\n", marginLeft+pw/2, height-12, esc(c.XLabel))
	}
	if c.YLabel != "" {
		fmt.Fprintf(&b, `<text transform="translate(18 %.1f) rotate(-90)" text-anchor="middle">%s</text>`+"\n", marginTop+ph/2, esc(c.YLabel))
	}
	// Legend, top left inside the plot.
	lx, ly := float64(marginLeft+12), float64(marginTop+14)
	if c.LineLabel != "" {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="black" stroke-width="2"/>`+"\n", lx, ly, lx+24, ly)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f">%s</text>`+"\n", lx+30, ly+4, esc(c.LineLabel))
		ly += 20
	}
	if c.Lo != nil && c.BandLabel != "" {
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="24" height="10" fill="#bbbbbb" fill-opacity="0.6"/>`+"\n", lx, ly-5)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f">%s</text>`+"\n", lx+30, ly+4, esc(c.BandLabel))
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// NiceTicks returns about n evenly spaced round tick values (steps of 1,
// 2 or 5 times a power of ten) covering lo to hi.
func NiceTicks(lo, hi float64, n int) []float64 {
	if n < 2 {
		n = 2
	}
	if hi <= lo {
		hi = lo + 1
	}
	raw := (hi - lo) / float64(n-1)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * mag
	for _, f := range []float64{1, 2, 5, 10} {
		if f*mag >= raw {
			step = f * mag
			break
		}
	}
	k0 := math.Floor(lo/step + 1e-9)
	k1 := math.Max(math.Ceil(hi/step-1e-9), k0+1)
	var ticks []float64
	for k := k0; k <= k1; k++ {
		// Round away the binary noise of k·step (0.6000000000000001).
		v, _ := strconv.ParseFloat(strconv.FormatFloat(k*step, 'g', 12, 64), 64)
		ticks = append(ticks, v)
	}
	return ticks
}

func fmtTick(v float64) string {
	if v == math.Trunc(v) {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%g", v)
}

func esc(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}
