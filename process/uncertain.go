package process

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/parley-project/parley/scenario"
)

// Dates the sources give only as a period: a unilateral act's window (each
// day equally likely) and a contagion rule's delay range (each whole month
// equally likely). The recognition model draws the act's day per draw
// (model/recognition, Input.StartLatest); a contagion rule's date is the
// act's day plus the delay, drawn Options.Draws times from a stream seeded
// with the process seed and the rule, and reported as its median with the
// 5th–95th percentile range.

// actWindow describes a unilateral stage's window for the timeline.
func actWindow(st *scenario.Stage) string {
	if len(st.Window) != 2 {
		return ""
	}
	return fmt.Sprintf(" on a day between %s and %s (each equally likely; the process integrates over them)", st.Window[0], st.Window[1])
}

// actSpan returns the first day of the stage named id and the number of
// further days its window allows (0 for a dated stage).
func (r *run) actSpan(id string) (time.Time, int) {
	at := r.dates[id]
	st := r.sc.Process.Stage(id)
	if st == nil || len(st.Window) != 2 {
		return at, 0
	}
	last, err := time.Parse(time.DateOnly, st.Window[1])
	if err != nil || !last.After(at) {
		return at, 0
	}
	return at, int(last.Sub(at).Hours() / 24)
}

// defaultDateDraws is the number of draws of an uncertain rule date when
// Options.Draws is 0.
const defaultDateDraws = 10000

// uncertainDate is a date that may be uncertain: at, and when it is, the
// 5th and 95th percentiles of its draws (zero otherwise).
type uncertainDate struct{ at, from, to time.Time }

// ruleDate returns the date of a contagion rule's change: the date of the
// stage it follows plus its delay, or, when either is uncertain, the
// median over draws with its 90% range, and the range described for the
// timeline.
func (r *run) ruleDate(rule scenario.ContagionRule) (uncertainDate, string) {
	at, span := r.actSpan(rule.On)
	lo, hi := rule.DelayMonths, max(rule.DelayMonths, rule.DelayMonthsMax)
	if span == 0 && lo == hi {
		if lo == 0 {
			return uncertainDate{at: at}, ""
		}
		return uncertainDate{at: addMonths(at, float64(lo))}, ""
	}
	n := r.opt.Draws
	if n <= 0 {
		n = defaultDateDraws
	}
	// The stream depends on the seed and the rule's stage and delays only.
	var key uint64
	for _, c := range rule.On {
		key = key*131 + uint64(c)
	}
	rng := rand.New(rand.NewPCG(r.opt.Seed, key<<20^uint64(lo)<<10^uint64(hi)))
	days := make([]int64, n)
	for k := range days {
		d := at
		if span > 0 {
			d = d.AddDate(0, 0, rng.IntN(span+1))
		}
		if m := lo + rng.IntN(hi-lo+1); m > 0 {
			d = addMonths(d, float64(m))
		}
		days[k] = d.Unix()
	}
	slices.Sort(days)
	q := func(p float64) time.Time { return time.Unix(days[min(n-1, int(p*float64(n)))], 0).UTC() }
	return uncertainDate{q(0.5), q(0.05), q(0.95)}, fmt.Sprintf("; date uncertain: median %s, 90%% of %d draws between %s and %s",
		q(0.5).Format(time.DateOnly), n, q(0.05).Format(time.DateOnly), q(0.95).Format(time.DateOnly))
}
