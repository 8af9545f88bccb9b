package result

// Trades are the exchange model's output beyond the trajectories: the
// trades it realised, round by round, in the order it realised them
// (JSON "exchanges", omitted when there are none).
type Trades struct {
	Exchanges []Exchange `json:"exchanges,omitempty"`
}

// Exchange is one trade of the exchange model: each of two actors moves
// on the issue it supplies, towards the other's position, in return for
// the other's move on the issue it demands.
type Exchange struct {
	Round int `json:"round"`
	// Actors are the two partners; Decide calls them i and j.
	Actors [2]string `json:"actors"`
	// Supply maps each partner to the issue it moves on.
	Supply map[string]string `json:"supply"`
	// Moves maps each partner to its move on its supply issue.
	Moves map[string]ExchangeMove `json:"moves"`
	// Gain is the utility each partner gains (equal for both under equal
	// gain; their mean under random rate, with each in GainBy).
	Gain   float64            `json:"gain"`
	GainBy map[string]float64 `json:"gain_by,omitempty"`
}

// ExchangeMove is a partner's move in an exchange, on the issue's scale.
type ExchangeMove struct {
	Issue string  `json:"issue"`
	From  float64 `json:"from"`
	To    float64 `json:"to"`
}
