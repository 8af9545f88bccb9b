package exchange

import "context"

// The engine runs the rounds of one model run; this file holds its data.
// The other files of the package each hold one idea: equations.go the
// arithmetic of Stokman & Van Oosten's model (E1–E8), exch.go one
// exchange and how it is set up, calculate.go how it is worked out and
// updated after another is realised (as Decide's exchange objects do),
// sortlist.go the incremental sorting of the list of exchanges by gain,
// round.go the round loop, exact.go Decide's 28-digit decimals where
// float64 cannot tell, state.go the scenario's numbers on Decide's
// scales.

// engine runs the rounds of one model run.
type engine struct {
	st     *state
	ex8    *exact    // equal gain: Decide's decimals; nil for random rate
	rng    *pyRandom // tie-breaking stream (Decide's random.random)
	random bool      // random-rate variant
	seed   uint64
	rep    int // the repetition (0 for the first), for the random-rate draws
	round  int
	sw, fw float64 // salience weight and fixed weight of E8
	// pOn: Decide's randomised equal gain with share p of randomness
	// (p > 0; p is the decimal of the parameter's shortest literal).
	pOn bool
	p   dec
	// left[k] reports whether actor-issue pair k is left of the round's
	// outcome (E3); the externalities of an exchange tell inner from outer
	// actors by it.
	left []bool
	// gains accumulates the round's own gains and externalities per actor
	// (externalities.go), unless gainsOff (the Forecaster's run).
	gains    []actorGain
	gainsOff bool
	// ctx ends the run: play checks it for every pair of issues and every
	// exchange realised.
	ctx context.Context
	// split: cleanID and moved describe the list, not ex.
	split bool
	ties  int
	used  int // exchanges taken from blocks this round
	storage
}

// storage is what the engine keeps from round to round, and a pool from
// run to run (sweeps run the model many times), so that a run allocates
// little.
type storage struct {
	blocks [][]exch // the exchanges
	all    []*exch  // the round's exchanges
	ex     []int32  // Decide's list of exchanges: indices into all
	// Per exchange, copies of what the list operations read: gain,
	// flags (flagInvalid, flagDirty), its keys and how many times it
	// stands in the list.
	gain  []float64
	flag  []uint8
	keys  []exchKeys
	count []int32
	// The round's exchanges by the pairs they supply and demand on, and
	// a mark per exchange against working one out twice for one
	// realised exchange (rework).
	sup, dem pairIndex
	seen     []uint32
	stamp    uint32
	touched  []int32
	// buffers of sortList
	cleanID []int32
	moved   []placed
	ranked  []ranked
	// buffers of sortMoved and radixByGain
	movedBuf []placed
	radix    []ranked
}
