package report

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/parley-project/parley/model/recognition"
)

// RecognitionFit prints a fitted recognition model: each parameter with
// its standard error and z value.
func RecognitionFit(w io.Writer, f *recognition.Fit) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(w, "Recognition hazard fitted on %d episodes (%s): %d recognitions in %d state-months, log-likelihood %.2f\n\n",
		len(f.Episodes), strings.Join(f.Episodes, ", "), f.Events, f.StateMonths, f.LogLik)
	fmt.Fprintln(tw, "parameter\testimate\tstd. error\tz\t")
	for i, n := range f.Names {
		fmt.Fprintf(tw, "%s\t%.3f\t%.3f\t%.2f\t\n", n, f.Estimate[i], f.SE[i], f.Estimate[i]/f.SE[i])
	}
	return tw.Flush()
}

// RecognitionBacktest prints the leave-one-episode-out validation: one
// row per episode and horizon, then the summary.
func RecognitionBacktest(w io.Writer, b *recognition.Backtest) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "episode\tstates\tBrier\tbaseline\tlog score\tbaseline\thorizon\tactual\texpected\t50% band\t90% band\tcovered 90%\tbaseline expected")
	for _, e := range b.Episodes {
		first := true
		for _, h := range horizonLabels(e) {
			if first {
				fmt.Fprintf(tw, "%s\t%d\t%.3f\t%.3f\t%.3f\t%.3f", e.ID, e.States, e.Brier, e.BaselineBrier, e.LogScore, e.BaselineLogScore)
				first = false
			} else {
				fmt.Fprint(tw, "\t\t\t\t\t")
			}
			fmt.Fprintf(tw, "\t%s\t%d\t%.1f\t%g–%g\t%g–%g\t%s\t%.1f\n", h, e.Actual[h], e.Expected[h], e.Band50[h][0], e.Band50[h][1],
				e.Band90[h][0], e.Band90[h][1], yesNo(e.Covered90[h]), float64(e.Actual[h])+e.BaselineError[h])
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, e := range b.Episodes {
		if len(e.HeldOut) > 1 {
			fmt.Fprintf(w, "%s: forecast from a fit without %s (the same parent state within a year)\n", e.ID, strings.Join(e.HeldOut, ", "))
		}
	}
	s := b.Summary
	fmt.Fprintf(w, "\n%d episodes, %d episode × horizon cells, %d draws per episode, seed %d\n", s.Episodes, s.Cells, s.Draws, s.Seed)
	fmt.Fprintf(w, "actual count inside the 90%% band: %.0f%% of cells (target %.0f%%: %s); inside the 50%% band: %.0f%%\n",
		100*s.Covered90, 100*s.TargetCovered90, met(s.MeetsCoverage), 100*s.Covered50)
	fmt.Fprintf(w, "per-state Brier below the baseline's in %d of %d episodes (target: most: %s); mean Brier %.3f vs %.3f, mean log score %.3f vs %.3f\n",
		s.BeatsBaseline, s.Episodes, met(s.MeetsBrierTarget), s.MeanBrier, s.MeanBaseline, s.MeanLogScore, s.MeanBaselineLog)
	return nil
}

func horizonLabels(e recognition.EpisodeScore) []string {
	var out []string
	for _, h := range recognition.Horizons {
		if _, ok := e.Actual[fmt.Sprintf("%dy", h)]; ok {
			out = append(out, fmt.Sprintf("%dy", h))
		}
	}
	return append(out, recognition.HorizonEnd)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func met(b bool) string {
	if b {
		return "met"
	}
	return "NOT met"
}
