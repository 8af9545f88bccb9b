package recognition

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/parley-project/parley/numeric"
)

// model is a declaration prepared for simulation.
type model struct {
	in       Input
	w        *World
	design   *Design
	fit      *Fit
	mean     []float64     // parameter mean
	chol     *mat.TriDense // nil: no parameter or episode uncertainty
	draws    int
	seed     uint64
	start    time.Time // earliest declaration day
	span     int       // days from the earliest to the latest declaration day
	months   int       // calendar months simulated, 1..months
	monthEnd []time.Time
	endExpo  float64 // share of the last calendar month inside the forecast
	enter    []int   // first calendar month at risk (months+1: never)
	initial  []bool
	peer     peerIndex
	byDates  []string
	byMonth  []int // calendar month whose end is on or before the date
}

func build(w *World, in Input, opt Options) (*model, error) {
	f := opt.Fit
	if f == nil {
		var err error
		if f, err = EmbeddedFit(); err != nil {
			return nil, err
		}
	}
	if err := CheckDraws(opt.Draws); err != nil {
		return nil, err
	}
	if err := numeric.CheckWorkers(opt.Workers); err != nil {
		return nil, err
	}
	m := &model{in: in, w: w, fit: f, draws: opt.Draws, seed: opt.Seed}
	if m.draws == 0 {
		m.draws = DefaultDraws
	}
	var err error
	if m.mean, m.chol, err = params(f, opt); err != nil {
		return nil, err
	}
	if in.Start.IsZero() || in.End.IsZero() {
		return nil, errors.New("start and end dates are required")
	}
	latest := in.Start
	if !in.StartLatest.IsZero() {
		if in.StartLatest.Before(in.Start) {
			return nil, fmt.Errorf("latest start %s is before start %s", in.StartLatest.Format(time.DateOnly), in.Start.Format(time.DateOnly))
		}
		latest = in.StartLatest
	}
	if !in.End.After(latest) {
		return nil, fmt.Errorf("end %s is not after start %s", in.End.Format(time.DateOnly), latest.Format(time.DateOnly))
	}
	if in.End.After(in.Start.AddDate(MaxYears, 0, 0)) {
		return nil, fmt.Errorf("end %s is more than %d years after start %s", in.End.Format(time.DateOnly), MaxYears, in.Start.Format(time.DateOnly))
	}
	if len(in.Recognising) == 0 || len(in.Opposing) == 0 && in.Parent == "" {
		return nil, errors.New("both sides need at least one state: recognising patrons, and a parent state or opposing patrons")
	}
	m.start = in.Start
	m.span = int(latest.Sub(in.Start).Hours() / 24)
	rec, err := resolve(w.States, in.Recognising, "recognising")
	if err != nil {
		return nil, err
	}
	opp, err := resolve(w.States, in.Opposing, "opposing")
	if err != nil {
		return nil, err
	}
	parent := ""
	if in.Parent != "" {
		p, err := resolve(w.States, []string{in.Parent}, "parent")
		if err != nil {
			return nil, err
		}
		parent = p[0]
	} else {
		parent, opp = opp[0], opp[1:]
	}
	sides := map[string]string{parent: SideParent}
	for _, l := range []struct {
		name  string
		codes []string
		raw   []string
	}{{SideRecognising, rec, in.Recognising}, {SideOpposing, opp, in.Opposing}} {
		for k, c := range l.codes {
			if prev := sides[c]; prev != "" && prev != l.name {
				return nil, fmt.Errorf("%s: %s: is on both sides (%s)", l.name, l.raw[min(k, len(l.raw)-1)], prev)
			}
			sides[c] = l.name
		}
	}
	d, err := w.Design(Case{Date: in.Start, Parent: parent, Recognising: rec, Opposing: opp, NonRecognition: in.NonRecognition})
	if err != nil {
		return nil, err
	}
	initial := make([]bool, len(w.States))
	ini, err := resolve(w.States, in.Initial, "initial")
	if err != nil {
		return nil, err
	}
	for k, c := range ini {
		i := w.index[c]
		if s := d.Side[i]; s == SideOpposing || s == SideParent {
			return nil, fmt.Errorf("initial: %s: is the %s, which never recognises", in.Initial[k], s)
		}
		initial[i] = true
	}
	m.design, m.initial = d, initial
	m.calendar()
	if err := m.dates(opt.ByDates); err != nil {
		return nil, err
	}
	m.risk(true)
	return m, nil
}

// risk sets the month each state enters the risk set and the peer groups.
// States that exist at the start are at risk from month 1; with later,
// states that come into being before the end enter the month after they
// exist (a forecast), otherwise they are left out (an episode, whose
// risk set is the states that existed at the declaration).
func (m *model) risk(later bool) {
	n := len(m.w.States)
	atRisk := make([]bool, n)
	m.enter = make([]int, n)
	for i, s := range m.w.States {
		m.enter[i] = m.months + 1
		switch side := m.design.Side[i]; {
		case side == SideParent || side == SideOpposing:
		case !s.ExistsFrom.After(m.in.Start):
			m.enter[i], atRisk[i] = 1, true
		case later:
			for t := 1; t <= m.months; t++ {
				if !m.monthEnd[t-1].Before(s.ExistsFrom) {
					m.enter[i], atRisk[i] = t+1, t+1 <= m.months
					break
				}
			}
		}
	}
	m.peer = newPeerIndex(m.w.States, atRisk)
}

// calendar sets the calendar months from the earliest declaration's month
// to End's.
func (m *model) calendar() {
	s, e := m.in.Start, m.in.End
	first := time.Date(s.Year(), s.Month(), 1, 0, 0, 0, 0, time.UTC)
	for t := 1; ; t++ {
		end := first.AddDate(0, t, -1)
		m.monthEnd = append(m.monthEnd, end)
		if !end.Before(e) {
			m.endExpo = float64(e.Day()) / float64(end.Day())
			break
		}
	}
	m.months = len(m.monthEnd)
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

// tally holds integer counts over draws, so that summing the tallies of
// any number of workers in any order gives the same result.
type tally struct {
	hist [][]int64 // hist[t-1][c]: draws with c recognitions at the end of month t
	by   [][]int64 // by[i][k]: draws in which state i had recognised by byDates[k]
}

func (m *model) newTally() *tally {
	n := len(m.w.States)
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
	for k := range workers {
		tallies[k] = m.newTally()
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
		}(tallies[k])
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
	theta     []float64
	z         []float64
	base      []float64   // b(t) per calendar month: exp(α_p(t−o+1)) × exposure
	static    []float64   // exp(x_i·β + u)
	peerExp   [][]float64 // peerExp[g][k] = exp(γ·share(g, k))
	threshold []float64   // E_i ~ Exp(1): state i recognises once its cumulative hazard reaches it
	cum       []float64   // cumulative hazard Σ exp(η_it)
	recMonth  []int       // month of recognition; 0 = initially, months+1 = not by End
	kGroup    []int       // recognised states per group
	atRisk    []int32
	pending   []int32 // states that come into being after the start
	fresh     []int32
}

func (m *model) newSim() *sim {
	n := len(m.w.States)
	pcg := rand.NewPCG(0, 0)
	s := &sim{m: m, pcg: pcg, rng: rand.New(pcg), theta: make([]float64, nPar), z: make([]float64, nPar),
		base: make([]float64, m.months), static: make([]float64, n), peerExp: make([][]float64, len(groups)),
		threshold: make([]float64, n), cum: make([]float64, n), recMonth: make([]int, n), kGroup: make([]int, len(groups)),
		atRisk: make([]int32, 0, n), pending: make([]int32, 0, n), fresh: make([]int32, 0, n)}
	for g := range groups {
		s.peerExp[g] = make([]float64, m.peer.size[g]+1)
	}
	return s
}

// params draws the draw's coefficients, episode effect and declaration
// day, and sets the baseline, the static factors and the peer tables.
func (s *sim) params() {
	m := s.m
	copy(s.theta, m.mean)
	u := 0.0
	if m.chol != nil {
		for j := range s.z {
			s.z[j] = s.rng.NormFloat64()
		}
		for i := range nPar {
			var v float64
			for j := 0; j <= i; j++ {
				v += m.chol.At(i, j) * s.z[j]
			}
			s.theta[i] += v
		}
		u = math.Exp(s.theta[pSigma]) * s.rng.NormFloat64()
	}
	// The declaration day, uniform over the window.
	day := m.start
	if m.span > 0 {
		day = day.AddDate(0, 0, s.rng.IntN(m.span+1))
	}
	off := (day.Year()-m.start.Year())*12 + int(day.Month()-m.start.Month()) // calendar month of the declaration, from 0
	var ea [nPieces]float64
	for p := range ea {
		ea[p] = math.Exp(s.theta[pBase+p])
	}
	for t := 1; t <= m.months; t++ {
		since := t - off
		b := 0.0
		if since >= 1 {
			b = ea[piece(since)]
			if since == 1 {
				days := float64(m.monthEnd[t-1].Day())
				b *= (days - float64(day.Day()) + 1) / days
			}
			if t == m.months {
				b *= m.endExpo
			}
		}
		s.base[t-1] = b
	}
	beta := s.theta[pCov : pCov+nCov]
	for i := range m.w.States {
		if m.enter[i] > m.months {
			s.static[i] = 0
			continue
		}
		var v float64
		for j, x := range m.design.X[i] {
			v += x * beta[j]
		}
		s.static[i] = math.Exp(v + u)
	}
	gamma := s.theta[pPeer]
	for g, tab := range s.peerExp {
		for k := range tab {
			tab[k] = math.Exp(gamma * m.peer.share(g, k))
		}
	}
}

// draw simulates one history and adds it to tl.
//
// The discrete-time hazard h_it = 1 − exp(−exp(η_it)) is simulated
// exactly by drawing each state's threshold E_i ~ Exp(1) once and letting
// it recognise in the first month t at which Σ_{u≤t} exp(η_iu) ≥ E_i:
// given survival to t−1, P(E_i > Λ_i(t) | E_i > Λ_i(t−1)) =
// exp(−exp(η_it)) = 1 − h_it, because the peer share in η_it depends only
// on months before t.
func (s *sim) draw(d uint64, tl *tally) {
	m := s.m
	s.pcg.Seed(m.seed, d)
	s.params()
	s.atRisk, s.pending = s.atRisk[:0], s.pending[:0]
	clear(s.kGroup)
	count := 0
	var total float64
	for _, b := range s.base {
		total += b
	}
	for i := range m.w.States {
		s.threshold[i] = s.rng.ExpFloat64()
		s.cum[i] = 0
		s.recMonth[i] = m.months + 1
	}
	for i := range m.w.States {
		if m.initial[i] {
			s.recMonth[i] = 0
			count++
			if g := m.peer.group[i]; g >= 0 {
				s.kGroup[g]++
			}
		}
	}
	for i := range m.w.States {
		if m.initial[i] || m.enter[i] > m.months {
			continue
		}
		// The most cumulative hazard the state could reach, with the
		// largest peer factor in every month (every peer recognised
		// from the start when γ > 0, none when γ < 0): a threshold above
		// it cannot be reached whatever the others do, so the state is
		// left out.
		g := m.peer.group[i]
		top := max(s.peerExp[g][0], s.peerExp[g][len(s.peerExp[g])-1])
		if s.static[i]*top*total*(1+1e-9) < s.threshold[i] {
			continue
		}
		if m.enter[i] > 1 {
			s.pending = append(s.pending, int32(i))
		} else {
			s.atRisk = append(s.atRisk, int32(i))
		}
	}
	for t := 1; t <= m.months; t++ {
		if len(s.pending) > 0 {
			s.enter(t)
		}
		b := s.base[t-1]
		s.fresh = s.fresh[:0]
		if b > 0 {
			risk := s.atRisk
			for k := 0; k < len(risk); {
				i := risk[k]
				c := s.cum[i] + s.static[i]*s.peerExp[m.peer.group[i]][s.kGroup[m.peer.group[i]]]*b
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
		}
		for _, i := range s.fresh {
			s.recMonth[i] = t
			count++
			s.kGroup[m.peer.group[i]]++
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

// enter moves the states that come into being by month t into the risk set.
func (s *sim) enter(t int) {
	keep := s.pending[:0]
	for _, i := range s.pending {
		if s.m.enter[i] <= t {
			s.atRisk = append(s.atRisk, i)
		} else {
			keep = append(keep, i)
		}
	}
	s.pending = keep
}

// result turns the tally into the reported probabilities and bands.
func (m *model) result(tl *tally) *Result {
	draws := float64(m.draws)
	res := &Result{Entity: m.in.Entity, Start: m.in.Start.Format(time.DateOnly), End: m.in.End.Format(time.DateOnly),
		Draws: m.draws, Seed: m.seed, Parent: m.design.Case.Parent,
		States: make([]StateProb, len(m.w.States)), Cumulative: make([]Point, m.months)}
	if m.span > 0 {
		res.StartLatest = m.in.StartLatest.Format(time.DateOnly)
	}
	res.Uncertainty = "coefficients drawn from their estimated sampling distribution and an episode effect drawn per draw"
	if m.chol == nil {
		res.Uncertainty = "none: coefficients at their estimates, no episode effect"
	}
	for j, name := range ParamNames {
		se := 0.0
		if m.chol != nil {
			var v float64
			for k := 0; k <= j; k++ {
				v += m.chol.At(j, k) * m.chol.At(j, k)
			}
			se = math.Sqrt(v)
		}
		res.Coefficients = append(res.Coefficients, Coefficient{Name: name, Estimate: m.mean[j], SE: se})
	}
	var ea [nPieces]float64
	for p := range ea {
		ea[p] = math.Exp(m.mean[pBase+p])
	}
	for i, st := range m.w.States {
		side := m.design.Side[i]
		switch side {
		case SideRecognising:
			res.Recognising = append(res.Recognising, st.ISO3)
		case SideOpposing:
			res.Opposing = append(res.Opposing, st.ISO3)
		}
		sp := StateProb{ISO3: st.ISO3, Name: st.Name, Side: side, PBy: map[string]float64{}}
		for k, d := range m.byDates {
			sp.PBy[d] = float64(tl.by[i][k]) / draws
		}
		switch {
		case m.initial[i]:
			sp.Hazard = 1
		case m.enter[i] <= 2:
			var v float64
			for j, x := range m.design.X[i] {
				v += x * m.mean[pCov+j]
			}
			sp.Hazard = -math.Expm1(-math.Exp(v) * ea[piece(2)])
		}
		res.States[i] = sp
	}
	for t := range m.months {
		q := quantiles(tl.hist[t], m.draws, 0.05, 0.5, 0.95)
		date := m.monthEnd[t]
		if t == m.months-1 {
			date = m.in.End
		}
		res.Cumulative[t] = Point{Date: date.Format(time.DateOnly), Expected: histMean(tl.hist[t], m.draws), P05: q[0], P50: q[1], P95: q[2]}
	}
	return res
}
