package report

import (
	"fmt"
	"io"

	"github.com/parley-project/parley/backtest"
	"github.com/parley-project/parley/report/svg"
)

// BacktestSVG draws each model's MAE as a horizontal bar, one per model
// and capability scheme in the report's order, with its bootstrap 95%
// interval written beside the bar. Cross-validated entries are marked
// "cv".
func BacktestSVG(w io.Writer, rep *backtest.Report) error {
	c := svg.BarChart{
		Title:      fmt.Sprintf("Mean absolute error on DEU III (%d issues), with 95%% bootstrap intervals", rep.IssuesUsed),
		XLabel:     "MAE (0–100 scale)",
		Horizontal: true,
		Width:      720,
	}
	for _, e := range rep.Models {
		name := label(e) + " (" + e.Capabilities
		if e.CV {
			name += ", cv"
		}
		c.Bars = append(c.Bars, svg.Bar{Label: name + ")", Value: e.MAE, Note: fmt.Sprintf("[%.2f, %.2f]", e.MAECI[0], e.MAECI[1])})
	}
	_, err := io.WriteString(w, c.SVG()+"\n")
	return err
}
