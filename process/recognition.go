package process

import (
	"context"
	"fmt"
	"time"

	"github.com/parley-project/parley/internal/plural"

	"github.com/parley-project/parley/model/recognition"
	"github.com/parley-project/parley/scenario"
)

// pointBy returns the recognition forecast's cumulative count (expected,
// 90% band) at the last month ending on or before date; false, and the
// zero point, when there is none (no forecast, or date before its first
// month).
func pointBy(rc *recognition.Result, date string) (recognition.Point, bool) {
	var p recognition.Point
	ok := false
	if rc == nil {
		return p, false
	}
	for _, c := range rc.Cumulative {
		if c.Date > date {
			break
		}
		p, ok = c, true
	}
	return p, ok
}

// expectedBy returns the expected count of pointBy.
func expectedBy(rc *recognition.Result, date string) (float64, bool) {
	p, ok := pointBy(rc, date)
	return p.Expected, ok
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
	start, span := r.actSpan(st.After)
	end, err := time.Parse(time.DateOnly, st.Until)
	if err != nil {
		return fmt.Errorf("until: %w", err)
	}
	in := recognition.Input{Entity: st.Entity, Parent: st.Parent, Recognising: st.Recognising, Opposing: st.Opposing,
		Start: start, End: end, Initial: st.Initial}
	if span > 0 {
		in.StartLatest = start.AddDate(0, 0, span)
	}
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
		p, _ := pointBy(res, d)
		t, _ := time.Parse(time.DateOnly, d)
		r.event(t, st, fmt.Sprintf("%s: %.1f states expected to have recognised %s by %s (median %g, 90%% band %g–%g; %s)",
			label(st), p.Expected, entity, d, p.P50, p.P05, p.P95, plural.Count(res.Draws, "draw")), fmt.Sprintf("%.1f expected", p.Expected))
	}
	// The stage is dated by the act it follows; its events run to Until.
	sr.Outcome = scenario.OutcomePassed
	r.finish(sr, start)
	return nil
}
