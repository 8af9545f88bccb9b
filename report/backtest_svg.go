package report

import (
	"fmt"
	"github.com/parley-project/parley/internal/plural"
	"html"
	"io"
	"strings"

	"github.com/parley-project/parley/backtest"
	"github.com/parley-project/parley/report/svg"
)

// BacktestSVG draws each model's MAE as a horizontal bar, with its
// bootstrap 95% interval written beside the bar: one bar chart (package
// svg) per capability scheme, stacked under a heading each in one SVG
// document. Cross-validated entries are marked "cv".
func BacktestSVG(w io.Writer, rep *backtest.Report) error {
	const width, headH = 720.0, 26.0
	var schemes []string
	bars := map[string][]svg.Bar{}
	for _, e := range rep.Models {
		if _, ok := bars[e.Capabilities]; !ok {
			schemes = append(schemes, e.Capabilities)
		}
		name := label(e)
		if e.CV {
			name += " (cv)"
		}
		bars[e.Capabilities] = append(bars[e.Capabilities], svg.Bar{Label: name, Value: e.MAE, Note: fmt.Sprintf("[%.2f, %.2f]", e.MAECI[0], e.MAECI[1])})
	}
	var body strings.Builder
	y := 0.0
	for _, s := range schemes {
		title := fmt.Sprintf("MAE on DEU III (%s), %s capabilities, with 95%% bootstrap intervals", plural.Count(rep.IssuesUsed, "issue"), s)
		chart := svg.BarChart{Title: title, XLabel: "MAE (0–100 scale)", Horizontal: true, Width: width, Bars: bars[s], LabelWidth: 190, NoteWidth: 130}.SVG()
		_, h, ok := svg.Size(chart)
		if !ok {
			return fmt.Errorf("bar chart without a height")
		}
		fmt.Fprintf(&body, `<text x="8" y="%.1f" font-size="13">%s</text>`+"\n", y+18, html.EscapeString(title))
		// A nested <svg> placed at (0, y) keeps the chart's own coordinates.
		fmt.Fprintf(&body, "%s\n", strings.Replace(chart, "<svg ", fmt.Sprintf(`<svg x="0" y="%.1f" `, y+headH), 1))
		y += headH + h
	}
	_, err := fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %.1f %.1f" width="%.1f" height="%.1f" font-family="sans-serif">`+"\n%s</svg>\n",
		width, y, width, y, body.String())
	return err
}
