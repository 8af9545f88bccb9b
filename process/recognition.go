package process

import (
	"context"
	"fmt"
	"github.com/parley-project/parley/internal/plural"
	"time"

	"github.com/parley-project/parley/model/recognition"
	"github.com/parley-project/parley/scenario"
)

// expectedBy returns the recognition forecast's expected count at the last
// month ending on or before date.
func expectedBy(rc *recognition.Result, date string) (float64, bool) {
	if rc == nil || len(rc.Cumulative) == 0 || date < rc.Cumulative[0].Date {
		return 0, false
	}
	v := 0.0
	for _, c := range rc.Cumulative {
		if c.Date > date {
			break
		}
		v = c.Expected
	}
	return v, true
}

// recognition runs the recognition model (package model/recognition) from
// the date of the act it follows; it is skipped when that act did not
// happen.
func (r *run) recognition(ctx context.Context, st *scenario.Stage, sr *StageResult) error {
	if r.outcomes[st.After] != scenario.OutcomePassed {
		at := r.last
		r.event(at, st, fmt.Sprintf("%s skipped: %s did not happen", label(st), st.After), scenario.OutcomeSkipped)
		sr.Outcome = scenario.OutcomeSkipped
		r.finish(sr, at)
		return nil
	}
	start := r.dates[st.After]
	end, err := time.Parse(time.DateOnly, st.Until)
	if err != nil {
		return fmt.Errorf("until: %w", err)
	}
	in := recognition.Input{Entity: st.Entity, Recognising: st.Recognising, Opposing: st.Opposing,
		Start: start, End: end, Initial: st.Initial}
	var by []string
	for _, d := range recognition.DefaultByDates {
		if t, _ := time.Parse(time.DateOnly, d); !t.Before(start) && !t.After(end) {
			by = append(by, d)
		}
	}
	if len(by) == 0 || by[len(by)-1] != st.Until {
		by = append(by, st.Until)
	}
	res, err := recognition.Forecast(ctx, in, recognition.Options{Draws: r.opt.Draws, Seed: r.opt.Seed, Workers: r.opt.Workers, ByDates: by})
	if err != nil {
		return err
	}
	r.res.Recognition = res
	r.res.Draws = res.Draws
	entity := st.Entity
	if entity == "" {
		entity = "the new state"
	}
	for _, d := range by {
		n, _ := expectedBy(res, d)
		lo, hi := band(res, d)
		t, _ := time.Parse(time.DateOnly, d)
		r.event(t, st, fmt.Sprintf("%s: %.1f states expected to have recognised %s by %s (90%% band %g–%g; %s)",
			label(st), n, entity, d, lo, hi, plural.Count(res.Draws, "draw")), fmt.Sprintf("%.1f expected", n))
	}
	// The stage is dated by the act it follows; its events run to Until.
	sr.Outcome = scenario.OutcomePassed
	r.finish(sr, start)
	return nil
}

// band returns the 90% band of the cumulative count at the last month
// ending on or before date.
func band(rc *recognition.Result, date string) (float64, float64) {
	var lo, hi float64
	for _, c := range rc.Cumulative {
		if c.Date > date {
			break
		}
		lo, hi = c.P05, c.P95
	}
	return lo, hi
}
