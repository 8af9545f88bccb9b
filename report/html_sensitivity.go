package report

import (
	"html/template"
	"math"

	"github.com/parley-project/parley/report/svg"
	"github.com/parley-project/parley/sensitivity"
)

// sensView is one issue's ranking of inputs: its chart and table.
type sensView struct {
	Issue string
	Chart template.HTML
	Cols  []string
	Rows  []sensRow
}

type sensRow struct {
	Input  string
	Values []string
}

func sensitivityView(is sensitivity.Issue) sensView {
	rows, _ := sensitivityRows(is)
	var cols []string
	seen := map[string]bool{}
	for _, r := range rows {
		for _, m := range r.Measures {
			if !seen[m.Name] {
				seen[m.Name] = true
				cols = append(cols, m.Name)
			}
		}
	}
	sv := sensView{Issue: is.ID, Chart: chartHTML(SensitivityChart(is, 0)), Cols: cols}
	for _, r := range rows {
		row := sensRow{Input: r.Input}
		for _, c := range cols {
			if v := r.measure(c); math.IsNaN(v) {
				row.Values = append(row.Values, "-")
			} else {
				row.Values = append(row.Values, svg.FormatNum(v))
			}
		}
		sv.Rows = append(sv.Rows, row)
	}
	return sv
}
