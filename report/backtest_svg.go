package report

import (
	"fmt"
	"html"
	"io"
	"math"

	"github.com/parley-project/parley/backtest"
)

// BacktestSVG draws each model's MAE as a dot with its bootstrap 95%
// interval as a whisker, one row per model and capability scheme, with a
// dashed line at the weighted mean's MAE of each scheme. Cross-validated
// entries are drawn in a second colour.
func BacktestSVG(w io.Writer, rep *backtest.Report) error {
	const (
		left, right, top, rowH, width = 230.0, 30.0, 40.0, 22.0, 760.0
	)
	n := len(rep.Models)
	height := top + rowH*float64(n) + 40
	hi := 0.0
	for _, e := range rep.Models {
		hi = math.Max(hi, e.MAECI[1])
		hi = math.Max(hi, e.MAE)
	}
	hi = math.Ceil(hi/5)*5 + 5
	x := func(v float64) float64 { return left + (width-left-right)*v/hi }
	ew := &errWriter{w: w}
	ew.printf(`<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" font-family="sans-serif" font-size="12">`+"\n", width, height, width, height)
	ew.printf(`<text x="%.0f" y="20" font-size="14">Mean absolute error on DEU III (%d issues), 95%% bootstrap intervals</text>`+"\n", left, rep.IssuesUsed)
	axisY := top + rowH*float64(n)
	for v := 0.0; v <= hi; v += 5 {
		ew.printf(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#ddd"/>`+"\n", x(v), top-5, x(v), axisY)
		ew.printf(`<text x="%.1f" y="%.1f" text-anchor="middle">%g</text>`+"\n", x(v), axisY+15, v)
	}
	ew.printf(`<text x="%.1f" y="%.1f" text-anchor="middle">MAE (0–100 scale)</text>`+"\n", x(hi/2), axisY+32)
	for i, e := range rep.Models {
		y := top + rowH*float64(i) + rowH/2
		colour := "#1f5fa8"
		if e.CV {
			colour = "#c2410c"
		}
		name := label(e) + " (" + e.Capabilities + ")"
		if e.CV {
			name += " cv"
		}
		ew.printf(`<text x="%.1f" y="%.1f" text-anchor="end">%s</text>`+"\n", left-8, y+4, html.EscapeString(name))
		ew.printf(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="2"/>`+"\n", x(e.MAECI[0]), y, x(e.MAECI[1]), y, colour)
		ew.printf(`<circle cx="%.1f" cy="%.1f" r="4" fill="%s"><title>%s</title></circle>`+"\n", x(e.MAE), y, colour,
			html.EscapeString(fmt.Sprintf("%s: MAE %.2f [%.2f, %.2f]", name, e.MAE, e.MAECI[0], e.MAECI[1])))
		if e.Model == "mean" && !e.CV {
			ew.printf(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#555" stroke-dasharray="4 3"/>`+"\n", x(e.MAE), top-5, x(e.MAE), axisY)
		}
	}
	ew.printf("</svg>\n")
	return ew.err
}
