package recognition

import (
	"context"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/parley-project/parley/numeric"
)

// tally holds integer counts over draws, so that summing the tallies of
// any number of workers in any order gives the same result.
type tally struct {
	hist [][]int64 // hist[t-1][c]: draws with c recognitions at the end of month t
	by   [][]int64 // by[i][k]: draws in which state i had recognised by byDates[k]
}

func (m *model) newTally() *tally {
	n := len(m.states)
	tl := &tally{hist: make([][]int64, m.months), by: make([][]int64, n)}
	for t := range tl.hist {
		tl.hist[t] = make([]int64, n+1)
	}
	for i := range tl.by {
		tl.by[i] = make([]int64, len(m.byDates))
	}
	return tl
}

func (tl *tally) add(o *tally) {
	for t := range tl.hist {
		for c, v := range o.hist[t] {
			tl.hist[t][c] += v
		}
	}
	for i := range tl.by {
		for k, v := range o.by[i] {
			tl.by[i][k] += v
		}
	}
}

// blockSize is the number of consecutive draws a worker takes at a time.
const blockSize = 64

// run simulates all draws on the given number of workers. Draw d uses its
// own PCG stream seeded with (seed, d), so the tally does not depend on
// the number of workers or the order in which draws run.
func (m *model) run(ctx context.Context, workers int) (*tally, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	blocks := (m.draws + blockSize - 1) / blockSize
	workers = min(workers, blocks)
	var next atomic.Int64
	tallies := make([]*tally, workers)
	var wg sync.WaitGroup
	var caught numeric.Catch
	var panicked atomic.Bool
	for w := range workers {
		tallies[w] = m.newTally()
		wg.Add(1)
		go func(tl *tally) {
			defer wg.Done()
			defer func() {
				if v := recover(); v != nil {
					caught.Keep(v)
					panicked.Store(true)
				}
			}()
			s := m.newSim()
			for {
				b := int(next.Add(1) - 1)
				if b >= blocks || ctx.Err() != nil || panicked.Load() {
					return
				}
				for d := b * blockSize; d < min((b+1)*blockSize, m.draws); d++ {
					s.draw(uint64(d), tl)
				}
			}
		}(tallies[w])
	}
	wg.Wait()
	caught.Raise()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	total := tallies[0]
	for _, tl := range tallies[1:] {
		total.add(tl)
	}
	return total, nil
}

// sim is one worker's scratch space.
type sim struct {
	m         *model
	pcg       *rand.PCG
	rng       *rand.Rand
	threshold []float64 // E_i ~ Exp(1): state i recognises once its cumulative hazard reaches it
	cum       []float64 // cumulative hazard Σ exp(η_it)
	rate      []float64 // exp(η_it) / b(t): the state-specific factor
	recMonth  []int     // month of recognition; 0 = initially, months+1 = not by End
	kPeer     []int
	kAlly     []int
	atRisk    []int32
	pending   []int32 // states that come into being after Start
	fresh     []int32
}

func (m *model) newSim() *sim {
	n := len(m.states)
	pcg := rand.NewPCG(0, 0)
	return &sim{m: m, pcg: pcg, rng: rand.New(pcg),
		threshold: make([]float64, n), cum: make([]float64, n), rate: make([]float64, n),
		recMonth: make([]int, n), kPeer: make([]int, n), kAlly: make([]int, n),
		atRisk: make([]int32, 0, n), pending: make([]int32, 0, n), fresh: make([]int32, 0, n)}
}

// draw simulates one history and adds it to tl.
//
// The discrete-time hazard h_it = 1 − exp(−exp(η_it)) is simulated
// exactly by drawing each state's threshold E_i ~ Exp(1) once and letting
// it recognise in the first month t at which Σ_{u≤t} exp(η_iu) ≥ E_i:
// given survival to t−1, P(E_i > Λ_i(t) | E_i > Λ_i(t−1)) =
// exp(−exp(η_it)) = 1 − h_it, because the shares in η_it depend only on
// months before t.
func (s *sim) draw(d uint64, tl *tally) {
	m := s.m
	s.pcg.Seed(m.seed, d)
	s.atRisk, s.pending = s.atRisk[:0], s.pending[:0]
	count := 0
	for i := range m.states {
		s.threshold[i] = s.rng.ExpFloat64()
		s.cum[i] = 0
		s.kPeer[i], s.kAlly[i] = 0, 0
		s.recMonth[i] = m.months + 1
	}
	for i := range m.states {
		if m.initial[i] {
			s.recMonth[i] = 0
			count++
			s.credit(i)
		}
	}
	for i := range m.states {
		switch {
		case m.initial[i] || m.bound[i] < s.threshold[i]:
			// Recognised already, or cannot recognise by End in this
			// draw whatever the others do (the threshold lies above the
			// bound): leaving it out changes nothing and saves the time.
		case m.enter[i] > 1:
			s.pending = append(s.pending, int32(i))
		default:
			s.atRisk = append(s.atRisk, int32(i))
		}
	}
	s.refresh()
	for t := 1; t <= m.months; t++ {
		if len(s.pending) > 0 {
			s.enter(t)
		}
		b := m.base[t-1]
		s.fresh = s.fresh[:0]
		risk := s.atRisk
		for k := 0; k < len(risk); {
			i := risk[k]
			c := s.cum[i] + s.rate[i]*b
			s.cum[i] = c
			if c >= s.threshold[i] {
				s.fresh = append(s.fresh, i)
				risk[k] = risk[len(risk)-1]
				risk = risk[:len(risk)-1]
				continue
			}
			k++
		}
		s.atRisk = risk
		if len(s.fresh) > 0 {
			for _, i := range s.fresh {
				s.recMonth[i] = t
				count++
				s.credit(int(i))
			}
			s.refresh()
		}
		tl.hist[t-1][count]++
	}
	for i, r := range s.recMonth {
		row := tl.by[i]
		for k, bm := range m.byMonth {
			if r <= bm {
				row[k]++
			}
		}
	}
}

// credit counts state j's recognition in its peers' and allies' shares.
func (s *sim) credit(j int) {
	for _, i := range s.m.peerOf[j] {
		s.kPeer[i]++
	}
	for _, i := range s.m.allyOf[j] {
		s.kAlly[i]++
	}
}

// refresh recomputes the rate of every state at risk (eq. 1 without b(t)).
func (s *sim) refresh() {
	m := s.m
	for _, i := range s.atRisk {
		s.rate[i] = m.static[i] * m.peerExp[i][s.kPeer[i]] * m.allyExp[i][s.kAlly[i]]
	}
}

// enter moves the states that come into being by month t into the risk set.
func (s *sim) enter(t int) {
	keep := s.pending[:0]
	added := false
	for _, i := range s.pending {
		if s.m.enter[i] <= t {
			s.atRisk = append(s.atRisk, i)
			added = true
		} else {
			keep = append(keep, i)
		}
	}
	s.pending = keep
	if added {
		s.refresh()
	}
}

// result turns the tally into the reported probabilities and bands.
func (m *model) result(tl *tally) *Result {
	draws := float64(m.draws)
	res := &Result{Entity: m.in.Entity, Start: m.in.Start.Format(time.DateOnly), End: m.in.End.Format(time.DateOnly),
		Draws: m.draws, Seed: m.seed, Params: m.params,
		States: make([]StateProb, len(m.states)), Cumulative: make([]Point, m.months)}
	for i, st := range m.states {
		switch m.side[i] {
		case sideRecognising:
			res.Recognising = append(res.Recognising, st.ISO3)
		case sideOpposing:
			res.Opposing = append(res.Opposing, st.ISO3)
		}
		sp := StateProb{ISO3: st.ISO3, Name: st.Name, Side: m.side[i], PBy: map[string]float64{}}
		for k, d := range m.byDates {
			sp.PBy[d] = float64(tl.by[i][k]) / draws
		}
		// First full month after the declaration, no peers yet (eq. 1).
		t := min(2, m.months)
		switch {
		case m.initial[i]:
			sp.Hazard = 1
		case m.enter[i] > t: // not yet a state
		default:
			sp.Hazard = -math.Expm1(-m.static[i] * m.base[t-1])
		}
		res.States[i] = sp
	}
	for t := range m.months {
		h := tl.hist[t]
		var sum, cum int64
		p05, p95 := -1, -1
		for c, v := range h {
			sum += int64(c) * v
			cum += v
			if p05 < 0 && cum*100 >= 5*int64(m.draws) {
				p05 = c
			}
			if p95 < 0 && cum*100 >= 95*int64(m.draws) {
				p95 = c
			}
		}
		res.Cumulative[t] = Point{Date: m.monthEnd[t].Format(time.DateOnly),
			Expected: float64(sum) / draws, P05: float64(p05), P95: float64(p95)}
	}
	return res
}
