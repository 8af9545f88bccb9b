package report

import (
	"fmt"
	"io"
	"strconv"

	"github.com/parley-project/parley/internal/plural"
	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/scenario"
)

// ParamRange writes the forecasts of one model run per value of a
// parameter (parley forecast --param-range): each issue's final forecast
// per value and, for the exchange model, each actor's own gain and its
// net gain (own gain and externalities) summed over the rounds, as
// Decide's summaries over p tabulate them.
func ParamRange(w io.Writer, sc *scenario.Scenario, name string, values []float64, results []*result.Result) error {
	width := WidthOf(w)
	ew := &errWriter{w: w}
	header(ew, sc, width)
	if len(results) == 0 {
		return ew.err
	}
	ew.printf("Model:    %s, %s over %s\n", modelName(results[0].Model, results[0].Variant), name, plural.Count(len(values), "value"))
	ew.printf("\n%s\n\n", rule("Final forecast by "+name))
	byValue(ew, width, name, sc.IssueIDs(), values, func(k int) []string {
		var row []string
		for _, ir := range results[k].Issues {
			row = append(row, Num(ir.Forecast))
		}
		return row
	})
	if results[0].Trades == nil || len(results[0].Trades.ActorGains) == 0 {
		return ew.err
	}
	for _, t := range []struct {
		title string
		part  func(g result.ActorGains) float64
	}{
		{"Own gain by " + name, func(g result.ActorGains) float64 { return g.Own.Mean }},
		{"Net gain (own gain and externalities) by " + name, func(g result.ActorGains) float64 {
			return g.Own.Mean + g.InnerPositive.Mean + g.InnerNegative.Mean + g.OuterPositive.Mean + g.OuterNegative.Mean
		}},
	} {
		ew.printf("\n%s\n\n", rule(t.title))
		byValue(ew, width, name, sc.ActorIDs(), values, func(k int) []string {
			sum := map[string]float64{}
			for _, g := range results[k].Trades.ActorGains {
				sum[g.Actor] += t.part(g)
			}
			var row []string
			for _, a := range sc.Actors {
				row = append(row, fmt.Sprintf("%.3f", sum[a.ID]))
			}
			return row
		})
	}
	ew.printf("\n%s\n", Wrap("Gains in utility on 0–100 scales, summed over the rounds (means over the repetitions); "+
		"'parley forecast' on one value gives the whole account.", width, "", ""))
	return ew.err
}

// byValue writes a table with a row per value of the parameter name and a
// column per id, the cells of row k from cells(k), fitting width.
func byValue(ew *errWriter, width int, name string, ids []string, values []float64, cells func(k int) []string) {
	rows := [][]string{append([]string{name}, ids...)}
	for k, v := range values {
		rows = append(rows, append([]string{strconv.FormatFloat(v, 'g', -1, 64)}, cells(k)...))
	}
	writeRows(ew, FitTable(rows, nil, width))
}
