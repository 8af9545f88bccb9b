// Package result holds what a model run produces: for each issue the
// forecast and the state of every round. Its JSON form is Parley's
// machine-readable contract (GUIDE §5).
package result

import "encoding/json"

// Result is the outcome of one model run on one scenario.
type Result struct {
	Scenario string  `json:"scenario"`
	Model    string  `json:"model"`
	Variant  string  `json:"variant"`
	Issues   []Issue `json:"issues"`
	// Extensions hold the outputs particular to one model.
	Extensions
}

// Extensions are the typed, model-specific parts of a result: each is nil
// unless its model fills it in. Their JSON fields sit at the top level of
// the result's document (they are embedded), so the document of GUIDE §5
// is the same as when they were fields of Result.
type Extensions struct {
	// Trades are the exchange model's realised trades.
	*Trades
}

// Issue is the trajectory of one issue.
type Issue struct {
	ID       string  `json:"id"`
	Name     string  `json:"name"`
	Forecast float64 `json:"forecast"`
	// Stopped says why the run ended: "rounds" (the last round was
	// played), "fixed" (the stop rule held: the forecast stayed fixed for
	// its K rounds), "cycle" (the stop rule held: a cycle of the forecast
	// repeated K times), "converged" (the model's own convergence rule
	// held, as KTAB's in the spatial model), "agreement" (every actor holds the same
	// position), "no-exchange" (the exchange model found no exchange left
	// to make) or "static" (a one-shot model).
	Stopped string `json:"stopped,omitempty"`
	// Settlement says how the forecast ended (round-based models only):
	// fixed, cycling or unsettled, with its range and the value a summary
	// shows. Forecast stays the last round's.
	Settlement *Settlement `json:"settlement,omitempty"`
	// Interval is the spread of the forecast under the scenario's
	// uncertainty, when the run asked for one (parley forecast --interval).
	Interval *Interval `json:"interval,omitempty"`
	Rounds   []Round   `json:"rounds"`
}

// Interval is the spread of an issue's forecast over a seeded sweep under
// the scenario's uncertainty: the 5th, 50th and 95th percentiles over the
// draws of the value a summary shows (the settlement value, or for a
// static model the forecast), the number of draws and the seed.
type Interval struct {
	P05   float64 `json:"p05"`
	P50   float64 `json:"p50"`
	P95   float64 `json:"p95"`
	Draws int     `json:"draws"`
	Seed  uint64  `json:"seed"`
}

// Round is the state after a round; round 0 is the starting state.
type Round struct {
	Round int `json:"round"`
	// Forecast is the model's predicted outcome at this round.
	Forecast float64 `json:"forecast"`
	// Median is the model's median of the positions at this round.
	Median float64 `json:"median"`
	// Mean is the capability×salience weighted mean of the positions.
	Mean float64 `json:"mean"`
	// Positions maps actor id to position.
	Positions map[string]float64 `json:"positions"`
	// Moves lists the position changes of the round, for models that
	// explain them.
	Moves []Move `json:"moves,omitempty"`
}

// Move is one actor changing position in a round because of another.
type Move struct {
	Actor   string `json:"actor"`
	Partner string `json:"partner"`
	// Kind is the model's name for the move (for the EUM: confrontation,
	// compromise or capitulation).
	Kind string  `json:"kind"`
	From float64 `json:"from"`
	To   float64 `json:"to"`
	// Utilities are the expected utilities behind an EUM move; nil for
	// the other models' moves.
	Utilities *Utilities `json:"-"`
}

// Final returns the last round.
func (is *Issue) Final() Round { return is.Rounds[len(is.Rounds)-1] }

// Utilities are the expected utilities behind an EUM move: EU is the
// mover's expected utility of challenging the partner and PartnerEU the
// partner's of challenging the mover. The EUM's scholz variant computes
// both as the mover perceives them (with the mover's risk exponent); its
// paper variant computes PartnerEU with the partner's own.
type Utilities struct {
	EU        float64
	PartnerEU float64
}

// moveJSON is a Move's JSON form: eu and partner_eu are written for every
// move (0 without Utilities), as the document has always had them.
type moveJSON struct {
	Actor     string  `json:"actor"`
	Partner   string  `json:"partner"`
	Kind      string  `json:"kind"`
	From      float64 `json:"from"`
	To        float64 `json:"to"`
	EU        float64 `json:"eu"`
	PartnerEU float64 `json:"partner_eu"`
}

// MarshalJSON writes the move with its eu and partner_eu.
func (m Move) MarshalJSON() ([]byte, error) {
	j := moveJSON{Actor: m.Actor, Partner: m.Partner, Kind: m.Kind, From: m.From, To: m.To}
	if m.Utilities != nil {
		j.EU, j.PartnerEU = m.Utilities.EU, m.Utilities.PartnerEU
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads a move; eu and partner_eu, when either is not 0,
// become its Utilities.
func (m *Move) UnmarshalJSON(data []byte) error {
	var j moveJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	*m = Move{Actor: j.Actor, Partner: j.Partner, Kind: j.Kind, From: j.From, To: j.To}
	if j.EU != 0 || j.PartnerEU != 0 {
		m.Utilities = &Utilities{EU: j.EU, PartnerEU: j.PartnerEU}
	}
	return nil
}

// ExpectedUtilities returns the move's Utilities, zero when it has none.
func (m Move) ExpectedUtilities() Utilities {
	if m.Utilities == nil {
		return Utilities{}
	}
	return *m.Utilities
}
