// Limits: every count a run takes is bounded, by the library that uses it
// (sweep.MaxDraws, recognition.MaxDraws, numeric.MaxWorkers,
// backtest.Config.Check, sensitivity.Config.CheckCounts) and, for the
// draws, by the program (Env.MaxDraws, the server's --max-draws). The
// specs' Check and Run apply them before anything runs, so that the
// command line and the server refuse the same requests with the same
// messages (docs/security.md lists the limits).

package run

import (
	"fmt"
	"slices"
	"strings"

	"github.com/parley-project/parley/numeric"
)

// check refuses an environment the run cannot take: more workers than
// numeric.MaxWorkers (the command line's --workers).
func (e Env) check() error {
	return limitError(numeric.CheckWorkers(e.Workers), "workers")
}

// checkDraws refuses a number of Monte Carlo draws outside 1 to limit (the
// library's bound) or, when it is lower, e.MaxDraws.
func (e Env) checkDraws(n, limit int) error {
	return checkDrawsWithin(n, limit, e.MaxDraws, "--max-draws")
}

// checkDrawsWithin refuses a number of draws outside 1 to limit (the
// library's bound) or, when it is positive and lower, served: the
// server's bound, set by its option flag.
func checkDrawsWithin(n, limit, served int, flag string) error {
	where := ""
	if served > 0 && served < limit {
		limit, where = served, " on this server ("+flag+")"
	}
	if n < 1 || n > limit {
		return &RequestError{Field: "draws", Err: fmt.Errorf("draws %d: want a positive number up to %d%s", n, limit, where)}
	}
	return nil
}

// limitError makes a library's refusal of a count a RequestError naming
// the field its message starts with ("bootstrap must be 0 to …"), when
// that is one of fields (nil stays nil).
func limitError(err error, fields ...string) error {
	if err == nil {
		return nil
	}
	if f, _, _ := strings.Cut(err.Error(), " "); slices.Contains(fields, f) {
		return &RequestError{Field: f, Err: err}
	}
	return badRequest(err)
}
