// Package recognition forecasts how the world's states recognise an entity
// that declares independence: a discrete-time hazard model of recognition
// diffusion over the 193 UN member states, simulated by seeded Monte Carlo.
//
// Each month every state that has not yet recognised does so with a
// probability that rises with its alignment with the recognising side's
// patrons (UN General Assembly ideal points), its membership of the blocs
// they lead, and the share of its regional peers and allies that have
// already recognised, and falls with its own secessionist conflicts and its
// ties to the opposing side (Params documents the equation). The opposing
// side's patrons never recognise. Forecast returns each state's probability
// of having recognised by given dates and the expected cumulative number of
// recognitions per month with a 90% band.
package recognition

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/parley-project/parley/numeric"
)

// Input describes one declaration: who backs it, who opposes it, when.
type Input struct {
	// Entity names the recognised entity (for reports), e.g. "Kosovo".
	Entity string `json:"entity,omitempty"`
	// Recognising and Opposing are the patrons of each side: ISO3 codes,
	// country names or Parley actor ids (see Lookup).
	Recognising []string `json:"recognising"`
	Opposing    []string `json:"opposing"`
	// Start is the date of the declaration; End the last date forecast.
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	// Initial lists states that have recognised by Start (optional).
	Initial []string `json:"initial,omitempty"`
}

// Options control the simulation.
type Options struct {
	// Draws is the number of Monte Carlo draws (default 10,000).
	Draws int
	// Seed seeds the per-draw random streams.
	Seed uint64
	// Workers is the number of goroutines (0 = one per CPU). Results do
	// not depend on it.
	Workers int
	// Params are the model's coefficients; nil means DefaultParams().
	Params *Params
	// ByDates are the dates of Result.States[i].PBy; dates outside
	// Start–End are rejected. nil means the DefaultByDates that fall
	// between Start and End, or End if none does.
	ByDates []string
}

// MaxYears bounds the forecast horizon, End − Start: the hazards are
// set for the years after a declaration, and a horizon of millennia
// would only make the draws run for minutes.
const MaxYears = 100

// DefaultDraws is the number of draws when Options.Draws is 0.
const DefaultDraws = 10000

// MaxDraws is the most draws: a thousand times the default (the time
// grows with the draws; the memory does not).
const MaxDraws = 10_000_000

// CheckDraws reports a number of draws outside 0 (the default) to
// MaxDraws.
func CheckDraws(n int) error {
	if n < 0 || n > MaxDraws {
		return fmt.Errorf("draws must be 0 (the default, %d) to %d, got %d", DefaultDraws, MaxDraws, n)
	}
	return nil
}

// DefaultByDates are the dates for which each state's probability of
// having recognised is reported by default.
var DefaultByDates = []string{"2008-12-31", "2010-12-31", "2013-12-31", "2020-12-31"}

// Kosovo returns the input for Kosovo's declaration of 17 February 2008
// as the kosovo-2007 scenario's recognition stage declares it: the United
// States and the EU's four largest members (the Contact Group's Western
// members) with Albania, the kin state that the scenario codes at full
// independence, against Serbia, Russia and China, through 31 December 2020.
func Kosovo() Input {
	return Input{
		Entity:      "Kosovo",
		Recognising: []string{"USA", "GBR", "FRA", "DEU", "ITA", "ALB"},
		Opposing:    []string{"SRB", "RUS", "CHN"},
		Start:       time.Date(2008, 2, 17, 0, 0, 0, 0, time.UTC),
		End:         time.Date(2020, 12, 31, 0, 0, 0, 0, time.UTC),
	}
}

// Result is the forecast. Its JSON form is the `recognition` part of the
// process output (issue 4).
type Result struct {
	Entity      string      `json:"entity,omitempty"`
	Start       string      `json:"start"`
	End         string      `json:"end"`
	Draws       int         `json:"draws"`
	Seed        uint64      `json:"seed"`
	Recognising []string    `json:"recognising"`
	Opposing    []string    `json:"opposing"`
	Params      Params      `json:"params"`
	States      []StateProb `json:"states"`
	Cumulative  []Point     `json:"cumulative"`
}

// StateProb is one state's forecast.
type StateProb struct {
	ISO3 string `json:"iso3"`
	Name string `json:"name"`
	// Side is "recognising" or "opposing" for the patrons, else empty.
	Side string `json:"side,omitempty"`
	// PBy maps a date (YYYY-MM-DD) to the probability of having
	// recognised by the end of that day.
	PBy map[string]float64 `json:"p_by"`
	// Hazard is the state's monthly recognition probability in the first
	// full month after the declaration before any peer has recognised (0
	// for a state that does not exist yet, 1 for an initial recogniser).
	Hazard float64 `json:"hazard"`
}

// Point is the cumulative number of recognitions at the end of a month:
// the mean over draws and the 5th and 95th percentiles.
type Point struct {
	Date     string  `json:"date"`
	Expected float64 `json:"expected"`
	P05      float64 `json:"p05"`
	P95      float64 `json:"p95"`
}

// Forecast runs the model. It fails on unknown states, overlapping sides,
// dates out of order and invalid parameters, and returns ctx.Err() when
// the context is cancelled.
func Forecast(ctx context.Context, in Input, opt Options) (*Result, error) {
	states, err := States()
	if err != nil {
		return nil, err
	}
	m, err := build(states, in, opt)
	if err != nil {
		return nil, err
	}
	acc, err := m.run(ctx, opt.Workers)
	if err != nil {
		return nil, err
	}
	return m.result(acc), nil
}

// Lookup resolves a state given as an ISO3 code, an English name
// (case-insensitive, "_" for spaces) or a common Parley actor id ("usa",
// "uk") to its index in states.
func Lookup(states []State, name string) (int, error) {
	key := strings.ToUpper(strings.TrimSpace(name))
	if a, ok := aliases[strings.ToLower(key)]; ok {
		key = a
	}
	for i, s := range states {
		if s.ISO3 == key || strings.EqualFold(s.Name, strings.ReplaceAll(name, "_", " ")) {
			return i, nil
		}
	}
	return -1, fmt.Errorf("unknown state %q (want an ISO3 code of a UN member, e.g. USA, or its name)", name)
}

var aliases = map[string]string{
	"us": "USA", "united_states": "USA", "uk": "GBR", "britain": "GBR", "great_britain": "GBR",
	"russia": "RUS", "china": "CHN", "serbia": "SRB", "macedonia": "MKD", "iran": "IRN",
	"syria": "SYR", "south_korea": "KOR", "north_korea": "PRK", "vietnam": "VNM", "laos": "LAO",
	"bolivia": "BOL", "venezuela": "VEN", "moldova": "MDA", "tanzania": "TZA",
}

// model is an input prepared for simulation.
type model struct {
	in       Input
	params   Params
	states   []State
	draws    int
	seed     uint64
	months   int         // months simulated, 1..months
	monthEnd []time.Time // last day of each month (index t-1)
	base     []float64   // b(t) × exposure, eq. 2 (index t-1)
	static   []float64   // exp(static part of η_i); 0 = never at risk
	bound    []float64   // most cumulative hazard state i can reach by End
	enter    []int       // first month at risk (1 = from the start)
	initial  []bool
	side     []string
	peerOf   [][]int32   // peerOf[j]: states whose peer share counts j
	allyOf   [][]int32   // allyOf[j]: states whose ally share counts j
	peerExp  [][]float64 // peerExp[i][k] = exp(Peer·k/n_peers(i))
	allyExp  [][]float64 // allyExp[i][k] = exp(Ally·k/n_allies(i))
	byDates  []string
	byMonth  []int // month index (1..months) whose end is on or after the date; 0 = before month 1 ends
}

func build(states []State, in Input, opt Options) (*model, error) {
	p := DefaultParams()
	if opt.Params != nil {
		p = *opt.Params
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if err := CheckDraws(opt.Draws); err != nil {
		return nil, err
	}
	if err := numeric.CheckWorkers(opt.Workers); err != nil {
		return nil, err
	}
	m := &model{in: in, params: p, states: states, draws: opt.Draws, seed: opt.Seed}
	if m.draws == 0 {
		m.draws = DefaultDraws
	}
	if in.Start.IsZero() || in.End.IsZero() {
		return nil, errors.New("start and end dates are required")
	}
	if !in.End.After(in.Start) {
		return nil, fmt.Errorf("end %s is not after start %s", in.End.Format(time.DateOnly), in.Start.Format(time.DateOnly))
	}
	if in.End.After(in.Start.AddDate(MaxYears, 0, 0)) {
		return nil, fmt.Errorf("end %s is more than %d years after start %s", in.End.Format(time.DateOnly), MaxYears, in.Start.Format(time.DateOnly))
	}
	if len(in.Recognising) == 0 || len(in.Opposing) == 0 {
		return nil, errors.New("both sides need at least one patron state")
	}
	n := len(states)
	m.side = make([]string, n)
	m.initial = make([]bool, n)
	mark := func(list []string, what string, f func(i int) error) error {
		for _, name := range list {
			i, err := Lookup(states, name)
			if err != nil {
				return fmt.Errorf("%s: %w", what, err)
			}
			if err := f(i); err != nil {
				return fmt.Errorf("%s: %s: %w", what, name, err)
			}
		}
		return nil
	}
	if err := mark(in.Recognising, "recognising", func(i int) error { m.side[i] = sideRecognising; return nil }); err != nil {
		return nil, err
	}
	if err := mark(in.Opposing, "opposing", func(i int) error {
		if m.side[i] == sideRecognising {
			return errors.New("is on both sides")
		}
		m.side[i] = sideOpposing
		return nil
	}); err != nil {
		return nil, err
	}
	if err := mark(in.Initial, "initial", func(i int) error {
		if m.side[i] == sideOpposing {
			return errors.New("is a patron of the opposing side")
		}
		m.initial[i] = true
		return nil
	}); err != nil {
		return nil, err
	}
	m.calendar()
	if err := m.dates(opt.ByDates); err != nil {
		return nil, err
	}
	if err := m.covariates(); err != nil {
		return nil, err
	}
	return m, nil
}

const (
	sideRecognising = "recognising"
	sideOpposing    = "opposing"
)

// calendar sets the months and the baseline b(t) of eq. 2, with the first
// month's exposure cut to the days from Start to its end.
func (m *model) calendar() {
	s, e := m.in.Start, m.in.End
	y, mo, _ := s.Date()
	first := time.Date(y, mo, 1, 0, 0, 0, 0, time.UTC)
	for t := 1; ; t++ {
		end := first.AddDate(0, t, -1) // last day of month t
		m.monthEnd = append(m.monthEnd, end)
		if !end.Before(e) {
			break
		}
	}
	m.months = len(m.monthEnd)
	m.base = make([]float64, m.months)
	p := m.params
	for t := 1; t <= m.months; t++ {
		b := math.Exp(p.Base) * (1 + p.Wave*math.Exp(-float64(t-1)/p.WaveMonths))
		if t == 1 {
			days := m.monthEnd[0].Day()
			b *= float64(days-s.Day()+1) / float64(days)
		}
		m.base[t-1] = b
	}
}

// dates maps each ByDate to the last month that ends on or before it.
func (m *model) dates(by []string) error {
	if by == nil {
		for _, d := range DefaultByDates {
			if t, _ := time.Parse(time.DateOnly, d); !t.Before(m.in.Start) && !t.After(m.in.End) {
				by = append(by, d)
			}
		}
		if by == nil {
			by = []string{m.in.End.Format(time.DateOnly)}
		}
	}
	for _, d := range by {
		t, err := time.Parse(time.DateOnly, d)
		if err != nil {
			return fmt.Errorf("by-date %q: want YYYY-MM-DD", d)
		}
		if t.Before(m.in.Start) || t.After(m.monthEnd[m.months-1]) {
			return fmt.Errorf("by-date %s is outside %s to %s", d, m.in.Start.Format(time.DateOnly), m.monthEnd[m.months-1].Format(time.DateOnly))
		}
		k := 0
		for k < m.months && !m.monthEnd[k].After(t) {
			k++
		}
		m.byDates = append(m.byDates, d)
		m.byMonth = append(m.byMonth, k)
	}
	return nil
}

// sideSign is +1 when the predicate holds for some recognising patron and
// no opposing one, −1 for the reverse, 0 otherwise.
func (m *model) sideSign(pred func(State) bool) float64 {
	var r, o bool
	for i, s := range m.states {
		if pred(s) {
			r = r || m.side[i] == sideRecognising
			o = o || m.side[i] == sideOpposing
		}
	}
	switch {
	case r && !o:
		return 1
	case o && !r:
		return -1
	}
	return 0
}

// covariates computes the static part of η (eq. 1, 3), the month each
// state enters the risk set, and the peer and ally networks (eq. 4).
func (m *model) covariates() error {
	p := m.params
	n := len(m.states)
	var mr, mo float64
	var nr, no int
	for i, s := range m.states {
		switch m.side[i] {
		case sideRecognising:
			mr += s.IdealPoint
			nr++
		case sideOpposing:
			mo += s.IdealPoint
			no++
		}
	}
	mr /= float64(nr)
	mo /= float64(no)
	if math.Abs(mr-mo) < 1e-9 {
		return errors.New("the two sides' patrons have the same mean ideal point; alignment is undefined")
	}
	sEU := m.sideSign(func(s State) bool { return s.EU })
	sNATO := m.sideSign(func(s State) bool { return s.NATO })
	tieSide := func(code string) float64 {
		for i, s := range m.states {
			if s.ISO3 == code {
				switch m.side[i] {
				case sideRecognising:
					return 1
				case sideOpposing:
					return -1
				}
			}
		}
		return 0
	}
	tRUS, tCHN, tSRB := tieSide("RUS"), tieSide("CHN"), tieSide("SRB")
	m.static = make([]float64, n)
	m.enter = make([]int, n)
	for i, s := range m.states {
		m.enter[i] = 1
		if !s.ExistsFrom.IsZero() && s.ExistsFrom.After(m.in.Start) {
			m.enter[i] = m.months + 1
			for t := 1; t <= m.months; t++ {
				if !m.monthEnd[t-1].Before(s.ExistsFrom) {
					m.enter[i] = t + 1 // at risk from the month after it exists
					break
				}
			}
		}
		if m.side[i] == sideOpposing {
			continue // static 0: never recognises
		}
		z := (s.IdealPoint - mo) / (mr - mo) // eq. 3
		eta := p.Align*z +
			p.EU*b2f(s.EU)*sEU + p.NATO*b2f(s.NATO)*sNATO + p.OIC*b2f(s.OIC) -
			p.Secession*float64(s.Secession) +
			p.TieRUS*float64(s.TieRUS)*tRUS + p.TieCHN*float64(s.TieCHN)*tCHN + p.TieSRB*float64(s.TieSRB)*tSRB
		if m.side[i] == sideRecognising {
			eta += p.Patron
		}
		m.static[i] = math.Exp(eta)
	}
	// Peers: same UN regional group. Allies: co-members of EU, NATO, OIC, CSTO.
	m.peerOf = make([][]int32, n)
	m.allyOf = make([][]int32, n)
	m.peerExp = make([][]float64, n)
	m.allyExp = make([][]float64, n)
	for i, si := range m.states {
		var np, na int
		for j, sj := range m.states {
			if i == j {
				continue
			}
			if si.Group == sj.Group {
				np++
				m.peerOf[j] = append(m.peerOf[j], int32(i))
			}
			if (si.EU && sj.EU) || (si.NATO && sj.NATO) || (si.OIC && sj.OIC) || (si.CSTO && sj.CSTO) {
				na++
				m.allyOf[j] = append(m.allyOf[j], int32(i))
			}
		}
		m.peerExp[i] = shareTable(p.Peer, np)
		m.allyExp[i] = shareTable(p.Ally, na)
	}
	// The largest cumulative hazard each state could reach, with every
	// peer and ally recognised from the first month, with a margin for
	// rounding. A draw whose threshold lies above it cannot recognise.
	var total float64
	for _, b := range m.base {
		total += b
	}
	m.bound = make([]float64, n)
	for i := range m.bound {
		m.bound[i] = m.static[i] * m.peerExp[i][len(m.peerExp[i])-1] * m.allyExp[i][len(m.allyExp[i])-1] * total * (1 + 1e-9)
	}
	return nil
}

// shareTable returns exp(beta·k/n) for k = 0..n (eq. 4).
func shareTable(beta float64, n int) []float64 {
	t := make([]float64, n+1)
	for k := range t {
		t[k] = 1
		if n > 0 {
			t[k] = math.Exp(beta * float64(k) / float64(n))
		}
	}
	return t
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
