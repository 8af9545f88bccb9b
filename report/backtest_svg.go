package report

import (
	"io"

	"github.com/parley-project/parley/backtest"
)

// BacktestSVG writes BacktestChart as an SVG document of its own.
func BacktestSVG(w io.Writer, rep *backtest.Report) error {
	_, err := io.WriteString(w, BacktestChart(rep).SVG()+"\n")
	return err
}
