package report

import (
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

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
	ew := &errWriter{w: w}
	header(ew, sc)
	if len(results) == 0 {
		return ew.err
	}
	ew.printf("Model:    %s, %s over %s\n", modelName(results[0].Model, results[0].Variant), name, plural.Count(len(values), "value"))
	ew.printf("\n%s\n\n", rule("Final forecast by "+name))
	tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "%s", name)
	for _, is := range sc.Issues {
		fmt.Fprintf(tw, "\t%s", is.ID)
	}
	fmt.Fprintf(tw, "\n")
	for k, res := range results {
		fmt.Fprintf(tw, "%s", strconv.FormatFloat(values[k], 'g', -1, 64))
		for _, ir := range res.Issues {
			fmt.Fprintf(tw, "\t%s", Num(ir.Forecast))
		}
		fmt.Fprintf(tw, "\n")
	}
	tw.Flush()
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
		tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "%s", name)
		for _, a := range sc.Actors {
			fmt.Fprintf(tw, "\t%s", a.ID)
		}
		fmt.Fprintf(tw, "\n")
		for k, res := range results {
			sum := map[string]float64{}
			for _, g := range res.Trades.ActorGains {
				sum[g.Actor] += t.part(g)
			}
			fmt.Fprintf(tw, "%s", strconv.FormatFloat(values[k], 'g', -1, 64))
			for _, a := range sc.Actors {
				fmt.Fprintf(tw, "\t%.3f", sum[a.ID])
			}
			fmt.Fprintf(tw, "\n")
		}
		tw.Flush()
	}
	ew.printf("\nGains in utility on 0–100 scales, summed over the rounds (means over the repetitions);\n'parley forecast' on one value gives the whole account.\n")
	return ew.err
}
