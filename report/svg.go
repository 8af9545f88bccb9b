package report

import (
	"io"

	"github.com/parley-project/parley/model/recognition"
)

// RecognitionSVG draws the expected cumulative number of recognitions per
// month as a line over its 90% band (5th to 95th percentile), with a year
// axis and a count axis, using the shared chart code of report/chart.
func RecognitionSVG(w io.Writer, rc *recognition.Result) error {
	c, err := RecognitionChart(rc)
	if err != nil {
		return err
	}
	return c.WriteSVG(w)
}
