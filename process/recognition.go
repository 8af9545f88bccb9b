package process

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/parley-project/parley/scenario"
)

// ErrRecognitionUnavailable is returned by a recognition stage while no
// recognition model is wired in.
var ErrRecognitionUnavailable = errors.New("recognition model not available")

// Recognition is the recognition stage's forecast (issue 4, deliverable 5):
// each state's probability of having recognised by each reporting date,
// and the expected cumulative count per month with a 90% band.
type Recognition struct {
	States     []RecognitionState `json:"states"`
	Cumulative []CumulativePoint  `json:"cumulative"`
}

// RecognitionState is one state's probability of having recognised by
// each reporting date (keys YYYY-MM-DD).
type RecognitionState struct {
	ISO3 string             `json:"iso3"`
	Name string             `json:"name"`
	PBy  map[string]float64 `json:"p_by"`
}

// CumulativePoint is the expected number of recognising states at the end
// of a month, with the 5th and 95th percentiles over the draws.
type CumulativePoint struct {
	Date     string  `json:"date"`
	Expected float64 `json:"expected"`
	P05      float64 `json:"p05"`
	P95      float64 `json:"p95"`
}

// expectedBy returns the expected count at the last month ending on or
// before date.
func (rc *Recognition) expectedBy(date string) (float64, bool) {
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

// recognition runs the recognition model from the date of the act it
// follows; it is skipped when that act did not happen.
func (r *run) recognition(ctx context.Context, st *scenario.Stage, sr *StageResult) error {
	if r.outcomes[st.After] != scenario.OutcomePassed {
		at := r.last
		r.event(at, st, fmt.Sprintf("%s skipped: %s did not happen", label(st), st.After), scenario.OutcomeSkipped)
		sr.Outcome = scenario.OutcomeSkipped
		r.finish(sr, at)
		return nil
	}
	_ = ctx
	_ = time.DateOnly
	return fmt.Errorf("%w: this build has no recognition model (package model/recognition)", ErrRecognitionUnavailable)
}
