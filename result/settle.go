package result

import (
	"math"
	"strconv"
)

// Kinds of settlement.
const (
	// Fixed: the forecast stopped moving.
	Fixed = "fixed"
	// Cycle: the forecast repeats with a period of two rounds or more.
	Cycle = "cycle"
	// Unsettled: neither, by the end of the run.
	Unsettled = "unsettled"
)

// Settlement says how an issue's round-by-round forecast ended: at a
// fixed point, in a cycle, or neither. Value is the one number a summary
// shows; it is never shown without Low and High when the issue did not
// settle on a fixed point.
type Settlement struct {
	Kind string `json:"kind"`
	// Period is the length of the cycle in rounds (cycles only).
	Period int `json:"period,omitempty"`
	// FromRound is the first round of the fixed point or of the repeating
	// stretch; for an unsettled run, the first round of the last half of
	// the run, the stretch Low, High and Value summarise.
	FromRound int `json:"from_round"`
	// Low and High span the forecasts from FromRound to the end: the
	// fixed point (equal, or apart by less than the tolerance), the cycle,
	// or the last half of an unsettled run.
	Low  float64 `json:"low"`
	High float64 `json:"high"`
	// Value is the summary the tables show: for a fixed point the last
	// round's forecast; for a cycle the mean of one full period (every
	// round of the cycle counted once), and for an unsettled run the mean
	// of its last half. The mean over rounds does not depend on the round
	// at which the run happened to stop, which the last round's forecast
	// does (docs/models/eum.md, "Settlement").
	Value float64 `json:"value"`
}

// Short names how the forecast ended, as summary rows do: "fixed",
// "cycle, period 4", "did not settle"; "" for a nil settlement.
func (s *Settlement) Short() string {
	switch {
	case s == nil:
		return ""
	case s.Kind == Fixed:
		return "fixed"
	case s.Kind == Cycle:
		return "cycle, period " + strconv.Itoa(s.Period)
	}
	return "did not settle"
}

// RelTolerance is the tolerance of Settle as a fraction of the issue's
// scale: two forecasts closer than 1/10,000 of the scale (0.01 on a 0–100
// scale, the last digit the tables print) count as equal.
const RelTolerance = 1e-4

// Tolerance returns the settlement tolerance of a scale from lo to hi.
func Tolerance(lo, hi float64) float64 { return RelTolerance * math.Abs(hi-lo) }

// MaxPeriod is the longest cycle, in rounds, that Settle and Repeats look
// for. A longer cycle is reported as unsettled, with the range of the last
// half of the run.
const MaxPeriod = 32

// Settle classifies a forecast trajectory (round 0 first) by how it ends,
// with forecasts within tol of each other counted as equal:
//
//   - a period p ≥ 1 holds from round r when every forecast from round r
//     on is within tol of the forecast of the same phase in the last p
//     rounds. It counts only if the stretch covers at least two full
//     periods (2p forecasts) and is longer than every earlier stretch of
//     the same period that the run later left: a forecast that stood still
//     for three rounds and then moved again is no evidence of a fixed
//     point when it has stood still for two at the end;
//   - of the periods that count, the one confirmed by the most forecasts
//     (stretch length − p) wins, the shorter period on ties, so that a
//     period-4 cycle that happens to end 75, 75 is not called fixed, and a
//     fixed point is not called a cycle of period 2;
//   - p = 1 is Fixed, p ≥ 2 a Cycle, no period Unsettled.
//
// A trajectory of a single forecast (no round was played) is fixed. An
// empty one is unsettled with zero fields.
func Settle(forecasts []float64, tol float64) Settlement {
	return settle(forecasts, tol, true)
}

func settle(forecasts []float64, tol float64, history bool) Settlement {
	n := len(forecasts)
	switch n {
	case 0:
		return Settlement{Kind: Unsettled}
	case 1:
		v := forecasts[0]
		return Settlement{Kind: Fixed, Low: v, High: v, Value: v}
	}
	best, bestCount := 0, 0
	for p := 1; p <= MaxPeriod && 2*p <= n; p++ {
		if bestCount >= n-p {
			break // no longer period can be confirmed by more forecasts
		}
		c := confirmed(forecasts, tol, p, n)
		if c < p || c <= bestCount {
			continue
		}
		if history && c <= longestEarlier(forecasts, tol, p, n-c-p) {
			continue
		}
		best, bestCount = p, c
	}
	s := Settlement{Kind: Unsettled, Period: best}
	switch {
	case best == 1:
		s.Kind = Fixed
		s.Period = 0
	case best > 1:
		s.Kind = Cycle
	}
	if best == 0 {
		last := n - 1
		s.FromRound = (last + 1) / 2 // the last half of the rounds played
	} else {
		s.FromRound = n - bestCount - best
	}
	tail := forecasts[s.FromRound:]
	s.Low, s.High = tail[0], tail[0]
	for _, v := range tail {
		s.Low, s.High = math.Min(s.Low, v), math.Max(s.High, v)
	}
	switch s.Kind {
	case Fixed:
		s.Value = forecasts[n-1]
	case Cycle:
		s.Value = mean(forecasts[n-best:])
	default:
		s.Value = mean(tail)
	}
	return s
}

// confirmed counts, going back from the end, the forecasts before the
// last p that are within tol of the forecast of the same phase in the last
// p rounds, stopping at the first that is not. Comparing with the last
// period rather than with the forecast p rounds earlier keeps a slow drift
// of steps smaller than tol from passing as a fixed point.
func confirmed(f []float64, tol float64, p, n int) int {
	c := 0
	for t := n - 1 - p; t >= 0; t-- {
		ref := f[n-1-(n-1-t)%p]
		if !(math.Abs(f[t]-ref) <= tol) {
			break
		}
		c++
	}
	return c
}

// longestEarlier returns the longest run of consecutive forecasts t < start
// within tol of the forecast p rounds later: the longest stretch of period
// p that the run had held, and left, before the final stretch began at
// start.
func longestEarlier(f []float64, tol float64, p, start int) int {
	longest, run := 0, 0
	for t := 0; t < start; t++ {
		if math.Abs(f[t]-f[t+p]) <= tol {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return longest
}

// Repeats reports the shortest period p ≥ 1 (up to MaxPeriod) whose last k
// repetitions are confirmed: the last (k+1)·p forecasts are within tol of
// the forecast of the same phase in the last period. p = 1 means the
// forecast has stayed fixed for k rounds; p ≥ 2 that a cycle has repeated
// k times. It returns 0 when there is none, or when k < 1. It is the test
// of the stop rule (model.StopRule), made after every round, so it looks
// no further back than it must.
func Repeats(forecasts []float64, tol float64, k int) int {
	n := len(forecasts)
	if k < 1 {
		return 0
	}
	for p := 1; p <= MaxPeriod && (k+1)*p <= n; p++ {
		ok := true
		for t := n - 1 - p; t >= n-(k+1)*p; t-- {
			if !(math.Abs(forecasts[t]-forecasts[n-1-(n-1-t)%p]) <= tol) {
				ok = false
				break
			}
		}
		if ok {
			return p
		}
	}
	return 0
}

// Reasons a run stopped (Issue.Stopped).
const (
	// StoppedFixed: the stop rule held, the forecast stayed fixed for its
	// K rounds (model.StopRule).
	StoppedFixed = "fixed"
	// StoppedCycle: the stop rule held, the forecast's cycle repeated K
	// times.
	StoppedCycle = "cycle"
	// The states below are final: no later round can change them.

	// StoppedAgreement: every actor holds the same position.
	StoppedAgreement = "agreement"
	// StoppedFinal: the model found nothing left to do (the exchange
	// model: no exchange is left to make).
	StoppedFinal = "no-exchange"
)

// SettleRun is Settle for a run that stopped for the reason stopped (see
// Issue.Stopped). A run that stopped in a state no later round can change
// (StoppedAgreement, StoppedFinal) is fixed from its last round, whatever
// came before. A run the stop rule ended (StoppedFixed, StoppedCycle: a period
// confirmed K times, the standard the user chose) is judged without the
// earlier-stretch test, so that the settlement agrees with the reason the
// run stopped.
func SettleRun(forecasts []float64, stopped string, tol float64) Settlement {
	s := settle(forecasts, tol, stopped != StoppedFixed && stopped != StoppedCycle)
	if (stopped == StoppedAgreement || stopped == StoppedFinal) && s.Kind != Fixed {
		n := len(forecasts)
		v := forecasts[n-1]
		s = Settlement{Kind: Fixed, FromRound: n - 1, Low: v, High: v, Value: v}
	}
	return s
}

// SettleIssue sets the issue's Settlement from its rounds (SettleRun),
// with tolerance tol (Tolerance of the issue's scale). A static model's
// issue (Stopped "static") gets none.
func (is *Issue) SettleIssue(tol float64) {
	if is.Stopped == "static" || len(is.Rounds) == 0 {
		is.Settlement = nil
		return
	}
	f := make([]float64, len(is.Rounds))
	for i, r := range is.Rounds {
		f[i] = r.Forecast
	}
	s := SettleRun(f, is.Stopped, tol)
	s.FromRound = is.Rounds[s.FromRound].Round
	is.Settlement = &s
}

func mean(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}
