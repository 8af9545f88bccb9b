package report

import (
	"fmt"
	"math"
	"slices"

	"github.com/parley-project/parley/internal/plural"
	"github.com/parley-project/parley/process"
	"github.com/parley-project/parley/run"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/sensitivity"
	"github.com/parley-project/parley/sweep"
)

// Findings is what a run found, issue by issue, in the words of the
// tables: the rows of the findings table that opens a run's page. A
// forecast gives each issue's summary (Summaries); a sweep the median of
// its draws with the 5th to 95th percentile as the interval and the most
// likely band of the scale; a process where each issue stands after its
// last stage; a sensitivity analysis the forecast analysed and the input
// that moves it most, with the forecasts at the ends of its range. Other kinds, and runs without a result, have none.
// Every row's Value holds its headline as a number, for comparisons.
func Findings(r run.Run) []IssueSummary {
	sc := r.Head().Snapshot
	if sc == nil {
		sc = &scenario.Scenario{}
	}
	switch r := r.(type) {
	case *run.Forecast:
		if r.Result != nil {
			return Summaries(sc, r.Result)
		}
	case *run.Sweep:
		if r.Result != nil {
			return sweepFindings(sc, r.Result)
		}
	case *run.Process:
		if r.Result != nil {
			return processFindings(sc, r.Result)
		}
	case *run.Sensitivity:
		if r.Result != nil {
			return sensitivityFindings(sc, r.Result)
		}
	}
	return nil
}

// issueOrNamed is the scenario's issue id, or one called name without a
// scale when the scenario lacks it.
func issueOrNamed(sc *scenario.Scenario, id, name string) *scenario.Issue {
	if is := sc.Issue(id); is != nil {
		return is
	}
	return &scenario.Issue{ID: id, Name: name}
}

func sweepFindings(sc *scenario.Scenario, res *sweep.Result) []IssueSummary {
	var out []IssueSummary
	for _, ir := range res.Issues {
		is := issueOrNamed(sc, ir.ID, ir.Name)
		s := IssueSummary{ID: ir.ID, Name: is.DisplayName(), Headline: "-"}
		if q := ir.Quantiles; q != nil {
			v := q.P50
			s.Value, s.Headline, s.Place = &v, Num(v), Place(is, v)
			s.Interval = fmt.Sprintf("%s–%s", Num(q.P5), Num(q.P95))
		}
		s.Ends = "median of " + plural.Count(int(res.Draws), "draw")
		if l, p, ok := likeliestBand(is, ir.Bands); ok {
			s.Ends = fmt.Sprintf("most likely band: %s (%.0f%% of %s)", l, 100*p, plural.Count(int(res.Draws), "draw"))
		}
		out = append(out, s)
	}
	return out
}

// likeliestBand is the band of the scale holding the largest share of a
// sweep's draws (the lower band on a tie).
func likeliestBand(is *scenario.Issue, bands map[string]float64) (string, float64, bool) {
	best, share, ok := "", -1.0, false
	for _, a := range is.SortedAnchors() {
		if p, has := bands[a.Label]; has && p > share {
			best, share, ok = a.Label, p, true
		}
	}
	return best, share, ok
}

func processFindings(sc *scenario.Scenario, res *process.Result) []IssueSummary {
	if len(res.Stages) == 0 {
		return nil
	}
	last := res.Stages[len(res.Stages)-1]
	name := stageName(last)
	var out []IssueSummary
	for _, st := range last.Issues {
		is := issueOrNamed(sc, st.ID, st.ID)
		v := st.Position
		s := IssueSummary{ID: st.ID, Name: is.DisplayName(), Value: &v, Headline: Num(v), Place: Place(is, v),
			Ends: fmt.Sprintf("after %s (%s, %s); forecast of the settlement %s", name, last.Outcome, last.Date, Num(st.Forecast))}
		out = append(out, s)
	}
	return out
}

func sensitivityFindings(sc *scenario.Scenario, res *sensitivity.Result) []IssueSummary {
	var out []IssueSummary
	for _, ir := range res.Issues {
		is := issueOrNamed(sc, ir.ID, ir.Name)
		v := ir.Baseline
		s := IssueSummary{ID: ir.ID, Name: is.DisplayName(), Value: &v, Headline: Num(v), Place: Place(is, v)}
		k := slices.IndexFunc(ir.Factors, func(f sensitivity.Factor) bool { return !math.IsNaN(f.Effect) })
		if k >= 0 {
			f := ir.Factors[k]
			s.Ends = fmt.Sprintf("the %s of %s: %s to %s across its range", f.Attribute, factorName(f), Num(f.Low), Num(f.High))
		}
		out = append(out, s)
	}
	return out
}
