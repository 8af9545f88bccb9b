// Status texts: a stored run's status for people, the same way in
// 'parley runs' and in the web API and UI: an interrupted sweep with the
// draws it holds out of its total, and a run still marked running that
// has not been written for a while as "running?" (its process may have
// been killed), and a failed run with its reason.

package run

import (
	"fmt"
	"strings"
	"time"

	"github.com/parley-project/parley/internal/plural"
	"github.com/parley-project/parley/store"
)

// StaleAfter is how long a run marked running may go without a write
// before it is doubted: a running sweep writes its draws about every
// second, and a process killed outright cannot mark its run.
const StaleAfter = 2 * time.Minute

// Stalled reports whether run is marked running but has not been written
// for StaleAfter or more at now, and for how long it has not. A run whose
// writer still renews its lease (a sweep whose draws take long) is not
// stalled.
func Stalled(run *store.Run, now time.Time) (time.Duration, bool) {
	idle := now.Sub(run.Updated)
	return idle, run.Status == store.StatusRunning && !run.Updated.IsZero() && idle >= StaleAfter && !Leased(run, now)
}

// Leased reports whether a process holds run's writer lease at now (and
// is not known to be gone, see WriterGone).
func Leased(run *store.Run, now time.Time) bool {
	return run.LeaseUntil.After(now) && !WriterGone(run.Writer)
}

// Resumable reports whether run is a sweep that can be continued at now:
// interrupted, or marked running but stalled, and no process holds its
// writer lease.
func Resumable(run *store.Run, now time.Time) bool {
	_, stalled := Stalled(run, now)
	return run.Kind == store.KindSweep && (run.Status == store.StatusInterrupted || stalled) && !Leased(run, now)
}

// MaxReason is the most characters of a failed run's reason that
// StatusText shows; the whole reason is in the run (store.Run.Error).
const MaxReason = 120

// StatusText is run's status as shown at now: "interrupted (514/1500
// draws)" for an interrupted sweep, "running? (no progress for 12
// minutes)" for a stalled run, "failed: REASON" for a failed one (the
// first line of the reason, at most MaxReason characters), and the stored
// status otherwise.
func StatusText(run *store.Run, now time.Time) string {
	switch run.Status {
	case store.StatusFailed:
		reason, _, _ := strings.Cut(run.Error, "\n")
		if r := []rune(reason); len(r) > MaxReason {
			reason = string(r[:MaxReason-1]) + "…"
		}
		if reason == "" {
			return run.Status
		}
		return run.Status + ": " + reason
	case store.StatusInterrupted:
		if done, total, ok := SweepProgress(run); ok {
			return fmt.Sprintf("interrupted (%d/%d %s)", done, total, plural.Noun(total, "draw"))
		}
	case store.StatusRunning:
		if idle, stalled := Stalled(run, now); stalled {
			return fmt.Sprintf("running? (no progress for %s)", idleText(idle))
		}
	}
	return run.Status
}

// idleText is a rough duration: minutes below two hours, then hours, then
// days.
func idleText(d time.Duration) string {
	switch {
	case d < 2*time.Hour:
		return plural.Count(int(d/time.Minute), "minute")
	case d < 48*time.Hour:
		return plural.Count(int(d/time.Hour), "hour")
	}
	return plural.Count(int(d/(24*time.Hour)), "day")
}
