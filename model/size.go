package model

import (
	"fmt"

	"github.com/parley-project/parley/scenario"
)

// MaxPositions bounds the positions a run records: every round (round 0
// included) keeps every stakeholder's position on every issue, so a run
// of R rounds records (R + 1) × the scenario's positions. The EUM's
// 10,000 rounds of kosovo-2007 (115 positions) record 1,150,115 and take
// about 0.8 GB; a scenario of 100,000 positions (the readers' default
// limit) at 10,000 rounds would record 10⁹ and exhaust any machine. A run
// beyond the bound is refused before it starts (CheckPositions), with the
// most rounds that fit; a Forecaster (sweeps, advice) records no rounds
// and is not bounded by it.
const MaxPositions = 2_000_000

// CountPositions returns the number of positions the scenario holds: each
// actor's stances with a position, on every issue.
func CountPositions(sc *scenario.Scenario) int {
	n := 0
	for i := range sc.Actors {
		for _, st := range sc.Actors[i].Stances {
			if st.Position.Set {
				n++
			}
		}
	}
	return n
}

// IssueActors returns, for each issue of the scenario in order, the
// number of actors holding a position on it (its stakeholders).
func IssueActors(sc *scenario.Scenario) []int {
	count := make(map[string]int, len(sc.Issues))
	for i := range sc.Actors {
		for id, st := range sc.Actors[i].Stances {
			if st.Position.Set {
				count[id]++
			}
		}
	}
	out := make([]int, len(sc.Issues))
	for k := range sc.Issues {
		out[k] = count[sc.Issues[k].ID]
	}
	return out
}

// LargestIssue is the most actors holding a position on one issue of the
// scenario: the n of the n × n tables a round-based model may build.
func LargestIssue(sc *scenario.Scenario) int {
	most := 0
	for _, n := range IssueActors(sc) {
		most = max(most, n)
	}
	return most
}

// CheckPositions refuses a run of the given rounds whose trajectory would
// hold more than MaxPositions positions, naming the rounds that fit.
func CheckPositions(sc *scenario.Scenario, name string, rounds int) error {
	p := CountPositions(sc)
	if p == 0 || int64(rounds+1)*int64(p) <= MaxPositions {
		return nil
	}
	fit := MaxPositions/p - 1
	if fit < 1 {
		return fmt.Errorf("rounds: %d rounds of the %s model on %d positions would record %d positions, more than %d; the scenario is too large to record even one round",
			rounds, name, p, int64(rounds+1)*int64(p), MaxPositions)
	}
	return fmt.Errorf("rounds: %d rounds of the %s model on %d positions would record %d positions, more than %d; ask for at most %d rounds",
		rounds, name, p, int64(rounds+1)*int64(p), MaxPositions, fit)
}

// TooManyActors refuses an issue on which n actors hold a position when
// the model takes at most most there (the caller names the issue): a
// model whose work or memory grows fast with an issue's actors (the EUM's
// n² log n steps a round and n × n table of prefix sums) declares its
// most, so that a legal but huge scenario is refused with a clear error
// instead of exhausting memory (100,000 actors on one issue asked the EUM
// for an 80 GB table, and the out-of-memory error ended the process,
// server and all). growth says, in the model's own terms, why it stops
// there (how its work grows with the actors); it ends the message in
// parentheses.
func TooManyActors(n int, name string, most int, growth string) error {
	if n <= most {
		return nil
	}
	return fmt.Errorf("%d actors hold a position; the %s model takes at most %d on one issue (%s)",
		n, name, most, growth)
}

// Sized is implemented by a model that refuses a scenario too large for
// it (TooManyActors and the like, not the recorded rounds of
// CheckPositions): CheckSize returns, without running anything, the
// error with which both Run and the model's Forecaster refuse sc, or nil
// when they take it. A sweep (sweep.Describe) asks it before its first
// draw, so that a scenario no draw could run is refused at once, as a
// forecast of it is.
type Sized interface {
	CheckSize(sc *scenario.Scenario, opt Options) error
}

// CheckSize returns m's refusal of sc for its size (Sized), nil when m
// declares no limit.
func CheckSize(m Model, sc *scenario.Scenario, opt Options) error {
	if s, ok := m.(Sized); ok {
		return s.CheckSize(sc, opt)
	}
	return nil
}
