package report

import (
	"html/template"

	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/sweep"
)

// outcomeView is one issue's distribution over a sweep's draws.
type outcomeView struct {
	Title                       string
	P5, P25, P50, P75, P95, Avg string
	BandChart, HistChart        template.HTML
}

func outcomeViewOf(sc *scenario.Scenario, is sweep.IssueResult) outcomeView {
	ov := outcomeView{Title: is.ID, P5: "-", P25: "-", P50: "-", P75: "-", P95: "-", Avg: "-"}
	if is.Name != "" && is.Name != is.ID {
		ov.Title = is.Name + " (" + is.ID + ")"
	}
	if q := is.Quantiles; q != nil {
		ov.P5, ov.P25, ov.P50, ov.P75, ov.P95 = Num(q.P5), Num(q.P25), Num(q.P50), Num(q.P75), Num(q.P95)
	}
	if is.Mean != nil {
		ov.Avg = Num(*is.Mean)
	}
	if len(is.Bands) > 0 {
		ov.BandChart = chartHTML(BandChart(sc, is))
	}
	if len(is.Histogram) > 0 {
		ov.HistChart = chartHTML(HistogramChart(is))
	}
	return ov
}
