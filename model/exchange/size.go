package exchange

import (
	"fmt"
	"slices"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/scenario"
)

// MaxCandidates bounds the candidate exchanges a round may hold. A round
// lists every exchange between two actors on two issues (E3) before it
// realises any, about 1 KB each with its sides and moves: 300 actors on
// ten issues made a million of them and took more than 1 GB a round; 1,000
// actors on ten issues took 10 GB and ran the machine out of memory. The
// bound is checked before the run (candidates) and refuses such a
// scenario with a clear error.
const MaxCandidates = 250_000

// candidates is an upper bound of the candidate exchanges of one round of
// sc: on a pair of issues p, q the m actors holding both can form at most
// ⌊m²/4⌋ exchanges (the two groups that trade with each other, E3, split
// them), and m is at most the fewer of the two issues' actors. With the
// issues' actor counts in falling order m₁ ≥ m₂ ≥ …, the k-th is the fewer
// in its k−1 pairs with the issues before it.
func candidates(sc *scenario.Scenario) int64 {
	m := model.IssueActors(sc)
	slices.SortFunc(m, func(a, b int) int { return b - a })
	var total int64
	for k, mk := range m {
		total += int64(k) * (int64(mk) * int64(mk) / 4)
	}
	return total
}

// CheckSize refuses a scenario whose rounds could hold more than
// MaxCandidates candidate exchanges, as Run and the Forecaster do
// (model.Sized).
func (Model) CheckSize(sc *scenario.Scenario, _ model.Options) error { return checkSize(sc) }

// checkSize refuses a scenario whose rounds could hold more than
// MaxCandidates candidate exchanges.
func checkSize(sc *scenario.Scenario) error {
	if n := candidates(sc); n > MaxCandidates {
		return fmt.Errorf("the exchange model lists every exchange between two actors on two issues each round: %d actors on %d issues could make %d, more than %d; use fewer actors or issues",
			len(sc.Actors), len(sc.Issues), n, MaxCandidates)
	}
	return nil
}
