package report

import (
	"html/template"

	"github.com/parley-project/parley/sensitivity"
)

// sensView is one issue's ranking of inputs: its chart and the table
// 'parley sensitivity' prints, every input in it.
type sensView struct {
	Issue, Name, Baseline string
	Chart                 template.HTML
	Table                 Table
}

func sensitivityView(is sensitivity.Issue) sensView {
	return sensView{Issue: is.ID, Name: is.Name, Baseline: Num(is.Baseline), Chart: chartHTML(SensitivityChart(is, 0)), Table: SensitivityTable(is, 0)}
}
