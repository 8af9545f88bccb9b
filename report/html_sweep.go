package report

import (
	"html/template"

	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/sweep"
)

// outcomeView is one issue's distribution over a sweep's draws: the
// tables 'parley sweep' prints, and the band and histogram charts.
type outcomeView struct {
	Title                string
	Quantiles, Bands     Table
	BandChart, HistChart template.HTML
}

// outcomeViewOf lays out the k-th issue of a sweep; sc may be nil.
func outcomeViewOf(sc *scenario.Scenario, r *sweep.Result, k int) outcomeView {
	is := r.Issues[k]
	ov := outcomeView{Title: is.ID}
	if is.Name != "" && is.Name != is.ID {
		ov.Title = is.Name + " (" + is.ID + ")"
	}
	ov.Quantiles, ov.Bands = SweepTables(r, k)
	if len(is.Bands) > 0 {
		ov.BandChart = chartHTML(BandChart(sc, is))
	}
	if len(is.Histogram) > 0 {
		ov.HistChart = chartHTML(HistogramChart(is))
	}
	return ov
}
