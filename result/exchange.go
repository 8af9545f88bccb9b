package result

// Trades are the exchange model's output beyond the trajectories: the
// trades it realised, round by round, in the order it realised them
// (JSON "exchanges", omitted when there are none).
type Trades struct {
	Exchanges []Exchange `json:"exchanges,omitempty"`
	// Repetitions is how many times the run was repeated, the random
	// stream going on from one repetition to the next (omitted for one).
	// Exchanges are then the first repetition's, while the trajectories,
	// ActorGains and IssueVoting are means over all of them.
	Repetitions int `json:"repetitions,omitempty"`
	// ActorGains are, per round, each actor's own gain and the
	// externalities the round's exchanges brought it (Decide's
	// externalities output), in actor order.
	ActorGains []ActorGains `json:"actor_gains,omitempty"`
	// IssueVoting is, per round, each issue's outcome on the round's start
	// positions and on its voting positions, with the spread of the
	// positions about each (Decide's issue development: its preference
	// and voting summary).
	IssueVoting []IssueVoting `json:"issue_voting,omitempty"`
}

// Stat is a quantity over the repetitions of a run: its mean and its
// variance (over the repetitions, dividing by their number, as Decide's
// summaries do; 0 for a single repetition).
type Stat struct {
	Mean     float64 `json:"mean"`
	Variance float64 `json:"variance"`
}

// ActorGains is what one round's exchanges brought one actor, in
// utility on Decide's 0–100 scales: its own gain from the exchanges it
// took part in, and the externalities of the others' exchanges, inner
// when it stood in one of the two groups the partners came from (both
// right of the outcomes or both left; or one left and one right),
// outer otherwise, each split into gains (positive) and losses
// (negative, as negative numbers).
type ActorGains struct {
	Round         int    `json:"round"`
	Actor         string `json:"actor"`
	Exchanges     Stat   `json:"exchanges"`
	Own           Stat   `json:"own"`
	InnerPositive Stat   `json:"inner_positive"`
	InnerNegative Stat   `json:"inner_negative"`
	OuterPositive Stat   `json:"outer_positive"`
	OuterNegative Stat   `json:"outer_negative"`
}

// IssueVoting is one issue in one round, on the issue's scale: the
// outcome of the round's start positions (preference) and of its voting
// positions (the round's forecast), and the dispersion of each: the mean
// squared distance of the actors' positions from the outcome (Decide's
// "MDS variance"), in squared units of the issue's scale.
type IssueVoting struct {
	Round                int    `json:"round"`
	Issue                string `json:"issue"`
	Preference           Stat   `json:"preference"`
	Voting               Stat   `json:"voting"`
	PreferenceDispersion Stat   `json:"preference_dispersion"`
	VotingDispersion     Stat   `json:"voting_dispersion"`
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
	// gain; their mean under random rate, with each in GainBy; under
	// randomised equal gain, p > 0, the equal gain the exchange was ranked
	// by, with each partner's randomised gain in GainBy).
	Gain   float64            `json:"gain"`
	GainBy map[string]float64 `json:"gain_by,omitempty"`
}

// ExchangeMove is a partner's move in an exchange, on the issue's scale.
type ExchangeMove struct {
	Issue string  `json:"issue"`
	From  float64 `json:"from"`
	To    float64 `json:"to"`
}
