package report

import (
	"fmt"
	"html"
	"io"
	"strings"

	"github.com/parley-project/parley/model/recognition"
)

// RecognitionSVG draws the expected cumulative number of recognitions per
// month as a line over its 90% band (5th to 95th percentile), with a year
// axis and a count axis, using the shared chart code of report/svg.
func RecognitionSVG(w io.Writer, rc *recognition.Result) error {
	c, err := RecognitionChart(rc)
	if err != nil {
		return err
	}
	// The chart package leaves titles to the page around it; a file of
	// its own carries its title above the chart.
	const titleH = 26
	width, height := c.Width, c.Height
	if width == 0 {
		width, height = 640, 320
	}
	inner := strings.Replace(c.SVG(), "<svg ", fmt.Sprintf(`<svg x="0" y="%d" `, titleH), 1)
	_, err = fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %g %g" width="%g" height="%g">`+
		`<rect x="0" y="0" width="%g" height="%g" fill="#fff"/>`+
		`<text x="8" y="17" font-size="12" font-weight="bold">%s</text>%s</svg>`+"\n",
		width, height+titleH, width, height+titleH, width, height+titleH, html.EscapeString(c.Title), inner)
	return err
}
