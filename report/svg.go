package report

import (
	"fmt"
	"html"
	"io"
	"math"
	"strings"

	"github.com/parley-project/parley/model/recognition"
)

// RecognitionSVG draws the expected cumulative number of recognitions per
// month as a line over its 90% band (5th to 95th percentile), with a year
// axis and a count axis.
func RecognitionSVG(w io.Writer, rc *recognition.Result) error {
	pts := rc.Cumulative
	if len(pts) == 0 {
		return fmt.Errorf("no cumulative recognition counts to draw")
	}
	const (
		width, height          = 720.0, 400.0
		left, right, top, bott = 60.0, 20.0, 40.0, 50.0
	)
	ymax := 0.0
	for _, p := range pts {
		ymax = math.Max(ymax, p.P95)
	}
	ymax = math.Max(10, math.Ceil(ymax/20)*20)
	n := float64(len(pts) - 1)
	if n == 0 {
		n = 1
	}
	x := func(i int) float64 { return left + float64(i)/n*(width-left-right) }
	y := func(v float64) float64 { return top + (1-v/ymax)*(height-top-bott) }
	ew := &errWriter{w: w}
	ew.printf(`<svg xmlns="http://www.w3.org/2000/svg" width="%g" height="%g" viewBox="0 0 %g %g" font-family="sans-serif" font-size="12">`+"\n", width, height, width, height)
	title := "Expected cumulative recognitions"
	if rc.Entity != "" {
		title += " of " + rc.Entity
	}
	ew.printf(`<text x="%g" y="22" font-size="15">%s (90%% band, %d draws)</text>`+"\n", left, html.EscapeString(title), rc.Draws)
	// Band: the 95th percentile left to right, then the 5th back.
	var band []string
	for i, p := range pts {
		band = append(band, fmt.Sprintf("%.1f,%.1f", x(i), y(p.P95)))
	}
	for i := len(pts) - 1; i >= 0; i-- {
		band = append(band, fmt.Sprintf("%.1f,%.1f", x(i), y(pts[i].P05)))
	}
	ew.printf(`<polygon points="%s" fill="#9ecae1" fill-opacity="0.6" stroke="none"/>`+"\n", strings.Join(band, " "))
	var line []string
	for i, p := range pts {
		line = append(line, fmt.Sprintf("%.1f,%.1f", x(i), y(p.Expected)))
	}
	ew.printf(`<polyline points="%s" fill="none" stroke="#08519c" stroke-width="2"/>`+"\n", strings.Join(line, " "))
	// Axes.
	ew.printf(`<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="black"/>`+"\n", left, y(0), width-right, y(0))
	ew.printf(`<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="black"/>`+"\n", left, top, left, y(0))
	step := ymax / 5
	for v := 0.0; v <= ymax+1e-9; v += step {
		ew.printf(`<text x="%g" y="%.1f" text-anchor="end">%g</text>`+"\n", left-6, y(v)+4, v)
		ew.printf(`<line x1="%g" y1="%.1f" x2="%g" y2="%.1f" stroke="#ddd"/>`+"\n", left, y(v), width-right, y(v))
	}
	for i, p := range pts {
		if strings.HasSuffix(p.Date, "-12-31") || i == 0 {
			year := p.Date[:4]
			ew.printf(`<text x="%.1f" y="%g" text-anchor="middle">%s</text>`+"\n", x(i), y(0)+18, year)
		}
	}
	ew.printf(`<text x="%g" y="%g" text-anchor="middle">end of month</text>`+"\n", (left+width-right)/2, height-8)
	ew.printf("</svg>\n")
	return ew.err
}
