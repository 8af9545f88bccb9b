// Package power measures the a priori voting power of the members of a
// voting body (package institution): the Shapley–Shubik index (Shapley &
// Shubik 1954) and the Banzhaf index, absolute (Penrose 1946; Banzhaf
// 1965) and normalised, computed exactly, not sampled; and, for a
// proposal put to the body, the members whose vote decides it and the
// smallest sets of members whose switch would reverse it.
//
// A body is read as a simple game: every member votes yes or no, and a
// coalition (the yes voters) wins when, on every dimension of the rule,
// its members' weights reach the quota. Parley's rules are all such
// games: a majority of the members, two thirds of them, a vote threshold
// with the permanent members' veto (the veto holders are a dimension whose
// quota is all of them), the Nice-treaty triple majority (votes, members,
// population) and unanimity. Abstention, which the rules of the Security
// Council and the General Assembly treat apart from a no vote, is not part
// of the a priori indices, as in the literature they are compared with.
//
// Two exact methods, chosen by the game (docs/models/power.md):
//
//   - dynamic programming over generating functions (Brams & Affuso 1976;
//     Bilbao et al. 2002) when every dimension has whole-number weights:
//     the number of coalitions of each size and weight vector, with the
//     weights capped at the quotas, for the other members of each distinct
//     kind of member. The Security Council and the General Assembly (193
//     members) take this path.
//   - enumeration of coalitions with pruning when a dimension has
//     fractional weights (the Nice rule's population, whose sums are all
//     different and so cannot index a table): a depth-first search over
//     the members, largest first, that stops as soon as a partial
//     coalition either wins whatever the others do (every extension is
//     then counted with binomial coefficients) or cannot win any more.
//     It is exponential in the worst case and limited to MaxEnumerated
//     members; the 27-member Council takes a fraction of a second.
package power

import (
	"fmt"
	"math"
	"slices"

	"github.com/parley-project/parley/institution"
)

// MaxMembers bounds the size of a body whose indices are computed: the
// counts of coalitions by size are kept in float64, which holds 2^1000.
const MaxMembers = 1000

// MaxEnumerated bounds the size of a body whose rule needs enumeration
// (a dimension with fractional weights).
const MaxEnumerated = 40

// maxDPWork bounds the dynamic programme's work (member kinds × members
// × states × sizes).
const maxDPWork = 4e9

// maxEnumeratedNodes bounds the enumeration's work: the partial
// coalitions it may visit (2^27, a few seconds; the 27-member Nice Council
// needs 2.5 million). Pruning keeps most bodies far below it, but a rule
// whose quotas leave most coalitions undecided until the last members,
// such as 40 members of equal votes with a population test at one half,
// would need about 2^40 and take hours.
var maxEnumeratedNodes int64 = 1 << 27

// Dim is one dimension of a rule: a coalition meets it when its members'
// weights sum to at least Quota.
type Dim struct {
	Name    string
	Weights []float64
	Quota   float64
}

// Game is a body as a simple game.
type Game struct {
	Members []string
	Names   []string
	Dims    []Dim
}

// Game reads a body as a simple game (see the package comment). The body
// must be valid.
func FromBody(b *institution.Body) (*Game, error) {
	n := len(b.Members)
	if n == 0 {
		return nil, fmt.Errorf("body %s has no members", b.ID)
	}
	if n > MaxMembers {
		return nil, fmt.Errorf("body %s has %d members; power indices are computed for at most %d", b.ID, n, MaxMembers)
	}
	g := &Game{}
	ones := make([]float64, n)
	weights := make([]float64, n)
	pops := make([]float64, n)
	var vetoes []float64
	nVeto := 0
	var totalPop float64
	for i, m := range b.Members {
		g.Members = append(g.Members, m.ID)
		g.Names = append(g.Names, m.Name)
		ones[i] = 1
		weights[i] = m.Weight
		pops[i] = m.Population
		totalPop += m.Population
		if m.Veto {
			nVeto++
		}
	}
	if nVeto > 0 {
		vetoes = make([]float64, n)
		for i, m := range b.Members {
			if m.Veto {
				vetoes[i] = 1
			}
		}
	}
	th := b.Threshold
	switch b.Rule {
	case institution.SimpleMajority:
		// yes > no with every member voting: more than half of them.
		g.Dims = []Dim{{"members", ones, float64(n/2 + 1)}}
	case institution.TwoThirds:
		// 3·yes ≥ 2n.
		g.Dims = []Dim{{"members", ones, math.Ceil(2 * float64(n) / 3)}}
	case institution.Votes:
		g.Dims = []Dim{{"votes", weights, th.Votes}}
		if nVeto > 0 {
			g.Dims = append(g.Dims, Dim{"veto holders", vetoes, float64(nVeto)})
		}
	case institution.Qualified:
		g.Dims = []Dim{{"votes", weights, th.Votes}}
		if th.Members > 0 {
			g.Dims = append(g.Dims, Dim{"members", ones, float64(th.Members)})
		}
		if th.Population > 0 && totalPop > 0 {
			g.Dims = append(g.Dims, Dim{"population", pops, th.Population * totalPop})
		}
	case institution.Unanimity:
		g.Dims = []Dim{{"members", ones, float64(n)}}
	default:
		return nil, fmt.Errorf("body %s: unknown rule %q", b.ID, b.Rule)
	}
	return g, nil
}

// Wins reports whether the coalition of the members marked true wins.
func (g *Game) Wins(in []bool) bool {
	for _, d := range g.Dims {
		var s float64
		for i, w := range d.Weights {
			if in[i] {
				s += w
			}
		}
		if s < d.Quota {
			return false
		}
	}
	return true
}

// Index is one member's power.
type Index struct {
	Member string `json:"member"`
	Name   string `json:"name,omitempty"`
	// ShapleyShubik is the share of the orderings of all members in which
	// this member turns a losing coalition into a winning one.
	ShapleyShubik float64 `json:"shapley_shubik"`
	// Penrose (the absolute Banzhaf index) is the probability that the
	// member's vote decides the outcome when every other member votes yes
	// or no with probability ½: its swings over 2^(n−1).
	Penrose float64 `json:"penrose"`
	// Banzhaf is the normalised Banzhaf index: the member's swings over
	// all members' swings.
	Banzhaf float64 `json:"banzhaf"`
}

// Result is the power of every member of a body.
type Result struct {
	Members int `json:"members"`
	// Method is "dynamic programming" or "enumeration".
	Method string `json:"method"`
	// Criteria describes the game's dimensions ("votes ≥ 255", …).
	Criteria []string `json:"criteria"`
	// Winning is the share of all 2^n coalitions that win (Coleman's
	// power of the collectivity to act).
	Winning float64 `json:"winning"`
	Indices []Index `json:"indices"`
}

// Compute returns every member's Shapley–Shubik and Banzhaf indices.
func Compute(g *Game) (*Result, error) {
	n := len(g.Members)
	if n == 0 {
		return nil, fmt.Errorf("no members")
	}
	if n > MaxMembers {
		return nil, fmt.Errorf("%d members; power indices are computed for at most %d", n, MaxMembers)
	}
	for _, d := range g.Dims {
		if len(d.Weights) != n {
			return nil, fmt.Errorf("dimension %s has %d weights for %d members", d.Name, len(d.Weights), n)
		}
		for _, w := range d.Weights {
			if !(w >= 0) || math.IsInf(w, 0) {
				return nil, fmt.Errorf("dimension %s: weights must be non-negative numbers", d.Name)
			}
		}
		if math.IsNaN(d.Quota) || math.IsInf(d.Quota, 0) {
			return nil, fmt.Errorf("dimension %s: the quota must be a number", d.Name)
		}
	}
	res := &Result{Members: n}
	for _, d := range g.Dims {
		res.Criteria = append(res.Criteria, fmt.Sprintf("%s ≥ %s", d.Name, fmtNum(d.Quota)))
	}
	var (
		swings  [][]float64 // swings[i][t]: coalitions of t others that i turns into winners
		winning []float64   // winning coalitions by size
		err     error
	)
	if dp, ok := newTable(g); ok {
		res.Method = "dynamic programming"
		swings, winning, err = dp.run(g)
	} else {
		if n > MaxEnumerated {
			return nil, fmt.Errorf("the rule has a dimension with fractional weights, which needs enumeration of coalitions; that is done for at most %d members, the body has %d", MaxEnumerated, n)
		}
		res.Method = "enumeration"
		swings, winning, err = enumerate(g)
	}
	if err != nil {
		return nil, err
	}
	binom := binomials(n - 1)
	var total, all float64
	for _, w := range winning {
		all += w
	}
	res.Winning = math.Ldexp(all, -n)
	for i := range g.Members {
		var ss, sw float64
		for t, s := range swings[i] {
			ss += s / binom[t]
			sw += s
		}
		res.Indices = append(res.Indices, Index{Member: g.Members[i], Name: g.Names[i],
			ShapleyShubik: ss / float64(n), Penrose: math.Ldexp(sw, -(n - 1)), Banzhaf: sw})
		total += sw
	}
	for i := range res.Indices {
		if total > 0 {
			res.Indices[i].Banzhaf /= total
		} else {
			res.Indices[i].Banzhaf = 0
		}
	}
	return res, nil
}

// binomials returns C(m, t) for t = 0..m as float64 (relative error a few
// ulps per step of the product).
func binomials(m int) []float64 {
	c := make([]float64, m+1)
	c[0] = 1
	for t := 1; t <= m; t++ {
		c[t] = c[t-1] * float64(m-t+1) / float64(t)
	}
	return c
}

// table is the dynamic programme of a game whose dimensions all have
// whole-number weights. Dimensions whose weights are all 1 count members
// and are met through the coalition's size; the others index the table,
// each capped at its quota (a sum at or above the quota meets it whatever
// is added, so the sums above it need not be told apart).
type table struct {
	dims   []int // the indexing dimensions
	caps   []int // each one's quota, rounded up
	stride []int
	states int
	// size is the least coalition size the member-counting dimensions
	// require.
	size int
}

func newTable(g *Game) (*table, bool) {
	n := len(g.Members)
	tb := &table{states: 1}
	for k, d := range g.Dims {
		integral, counts := true, true
		for _, w := range d.Weights {
			if w != math.Trunc(w) || w > 1<<30 {
				integral = false
			}
			if w != 1 {
				counts = false
			}
		}
		if !integral {
			return nil, false
		}
		q := int(math.Max(0, math.Ceil(math.Min(d.Quota, 1<<31))))
		if counts {
			tb.size = max(tb.size, q)
			continue
		}
		tb.dims = append(tb.dims, k)
		tb.caps = append(tb.caps, q)
		tb.stride = append(tb.stride, tb.states)
		tb.states *= q + 1
		if tb.states > 1<<26 {
			return nil, false
		}
	}
	if float64(n)*float64(n)*float64(n)*float64(tb.states) > maxDPWork*float64(len(g.Dims)+1) {
		return nil, false
	}
	return tb, true
}

// add returns the state reached from state s by adding member i.
func (tb *table) add(g *Game, s, i int) int {
	out := 0
	for k, d := range tb.dims {
		v := s / tb.stride[k] % (tb.caps[k] + 1)
		v = min(tb.caps[k], v+int(g.Dims[d].Weights[i]))
		out += v * tb.stride[k]
	}
	return out
}

// wins reports whether a coalition of the given size in state s wins.
func (tb *table) wins(s, size int) bool {
	if size < tb.size {
		return false
	}
	for k := range tb.dims {
		if s/tb.stride[k]%(tb.caps[k]+1) < tb.caps[k] {
			return false
		}
	}
	return true
}

// count fills c[s*(n+1)+t] with the number of coalitions of the members
// for which skip is false, of size t in state s.
func (tb *table) count(g *Game, skip int, c []float64) {
	n := len(g.Members)
	clear(c)
	c[0] = 1
	m := 0 // members added so far
	next := make([]int, tb.states)
	for i := range g.Members {
		if i == skip {
			continue
		}
		for s := range next {
			next[s] = tb.add(g, s, i)
		}
		// Adding member i: c'[s'][t+1] += c[s][t]. Sizes run downwards so
		// that each coalition takes i at most once; states may map onto
		// themselves (weight 0, or capped), hence the size order.
		for t := m; t >= 0; t-- {
			for s := 0; s < tb.states; s++ {
				if v := c[s*(n+1)+t]; v != 0 {
					c[next[s]*(n+1)+t+1] += v
				}
			}
		}
		m++
	}
}

// run returns each member's swings by the size of the coalition it joins,
// and the winning coalitions by size. Members with the same weights on
// every dimension have the same swings: the table is built once for each
// kind.
func (tb *table) run(g *Game) ([][]float64, []float64, error) {
	n := len(g.Members)
	c := make([]float64, tb.states*(n+1))
	swings := make([][]float64, n)
	kinds := map[string]int{}
	for i := range g.Members {
		key := make([]byte, 0, 8*len(g.Dims))
		for _, d := range g.Dims {
			key = fmt.Appendf(key, "%v,", d.Weights[i])
		}
		if j, ok := kinds[string(key)]; ok {
			swings[i] = swings[j]
			continue
		}
		kinds[string(key)] = i
		tb.count(g, i, c)
		sw := make([]float64, n)
		for s := 0; s < tb.states; s++ {
			s2 := tb.add(g, s, i)
			for t := 0; t < n; t++ {
				if v := c[s*(n+1)+t]; v != 0 && !tb.wins(s, t) && tb.wins(s2, t+1) {
					sw[t] += v
				}
			}
		}
		swings[i] = sw
	}
	tb.count(g, -1, c)
	winning := make([]float64, n+1)
	for s := 0; s < tb.states; s++ {
		for t := 0; t <= n; t++ {
			if tb.wins(s, t) {
				winning[t] += c[s*(n+1)+t]
			}
		}
	}
	return swings, winning, nil
}

// enumerate counts, by a depth-first search over the members (largest
// first), the winning coalitions of each size, in all and containing each
// member, and turns them into swings. A partial coalition that already
// wins is not extended: all 2^r ways of completing it win, and they are
// counted by size with binomial coefficients when the search is over. One
// that cannot win even with every remaining member is dropped.
func enumerate(g *Game) ([][]float64, []float64, error) {
	n := len(g.Members)
	nd := len(g.Dims)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	totals := make([]float64, nd)
	for k, d := range g.Dims {
		for _, w := range d.Weights {
			totals[k] += w
		}
	}
	share := func(i int) float64 {
		var s float64
		for k, d := range g.Dims {
			if totals[k] > 0 {
				s += d.Weights[i] / totals[k]
			}
		}
		return s
	}
	slices.SortStableFunc(order, func(a, b int) int {
		sa, sb := share(a), share(b)
		switch {
		case sa > sb:
			return -1
		case sa < sb:
			return 1
		}
		return 0
	})
	w := make([]float64, n*nd) // weights in search order
	for p, i := range order {
		for k, d := range g.Dims {
			w[p*nd+k] = d.Weights[i]
		}
	}
	suffix := make([]float64, (n+1)*nd)
	for p := n - 1; p >= 0; p-- {
		for k := range nd {
			suffix[p*nd+k] = suffix[(p+1)*nd+k] + w[p*nd+k]
		}
	}
	quota := make([]float64, nd)
	for k, d := range g.Dims {
		quota[k] = d.Quota
	}
	// won[k*(n+1)+s]: winning partial coalitions decided up to depth k,
	// of size s; in[p][k*(n+1)+s] the same for those that hold the member
	// at search position p.
	stride := (n + 1) * (n + 1)
	won := make([]int64, stride)
	in := make([]int64, n*stride)
	sums := make([]float64, nd)
	stack := make([]int, 0, n)
	var nodes int64
	var dfs func(p int)
	dfs = func(p int) {
		if nodes++; nodes > maxEnumeratedNodes {
			return // the work bound is reached; reported below
		}
		wins, can := true, true
		for k := range nd {
			if sums[k] < quota[k] {
				wins = false
			}
			if sums[k]+suffix[p*nd+k] < quota[k] {
				can = false
			}
		}
		if wins {
			at := p*(n+1) + len(stack)
			won[at]++
			for _, q := range stack {
				in[q*stride+at]++
			}
			return
		}
		if !can || p == n {
			return
		}
		for k := range nd {
			sums[k] += w[p*nd+k]
		}
		stack = append(stack, p)
		dfs(p + 1)
		stack = stack[:len(stack)-1]
		for k := range nd {
			sums[k] -= w[p*nd+k]
		}
		dfs(p + 1)
	}
	dfs(0)
	if nodes > maxEnumeratedNodes {
		return nil, nil, fmt.Errorf("the exact indices of this body need more than %d partial coalitions to be enumerated (%d members, a dimension with fractional weights, quotas that leave most coalitions undecided); coarse whole-number weights on every dimension (populations in millions, say) let the dynamic programme apply instead", maxEnumeratedNodes, n)
	}
	// C(r, m) for r, m ≤ n.
	choose := make([][]float64, n+1)
	for r := range choose {
		choose[r] = binomials(r)
	}
	ch := func(r, m int) float64 {
		if m < 0 || m > r || r < 0 {
			return 0
		}
		return choose[r][m]
	}
	winning := make([]float64, n+1)
	for k := 0; k <= n; k++ {
		for s := 0; s <= k; s++ {
			if v := won[k*(n+1)+s]; v != 0 {
				for m := 0; m <= n-k; m++ {
					winning[s+m] += float64(v) * ch(n-k, m)
				}
			}
		}
	}
	swings := make([][]float64, n)
	for p, i := range order {
		wi := make([]float64, n+1) // winning coalitions holding member i, by size
		for k := 0; k <= n; k++ {
			for s := 0; s <= k; s++ {
				// Decided with i inside: every completion holds i.
				if v := in[p*stride+k*(n+1)+s]; v != 0 {
					for m := 0; m <= n-k; m++ {
						wi[s+m] += float64(v) * ch(n-k, m)
					}
				}
				// Decided before i's turn: i is among the n − k free
				// members, in C(n−k−1, m−1) of the completions of size
				// s + m.
				if k <= p {
					if v := won[k*(n+1)+s]; v != 0 {
						for m := 1; m <= n-k; m++ {
							wi[s+m] += float64(v) * ch(n-k-1, m-1)
						}
					}
				}
			}
		}
		// i swings a coalition S of t others when S ∪ {i} wins and S does
		// not: (winning of size t+1 holding i) − (winning of size t not
		// holding i).
		sw := make([]float64, n)
		for t := 0; t < n; t++ {
			sw[t] = wi[t+1] - (winning[t] - wi[t])
		}
		swings[i] = sw
	}
	return swings, winning, nil
}

func fmtNum(v float64) string {
	switch {
	case v == math.Trunc(v) && math.Abs(v) < 1e15:
		return fmt.Sprintf("%d", int64(v))
	case math.Abs(v) >= 1000:
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.4g", v)
}
