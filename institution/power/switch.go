package power

import (
	"cmp"
	"slices"

	"github.com/parley-project/parley/institution"
)

// MaxSets is the most switching sets a Proposal lists.
const MaxSets = 10

// maxNodes bounds the search for switching sets that must meet several
// criteria at once; past it the smallest size found is reported as an
// upper bound.
const maxNodes = 2_000_000

// Pivot is a member whose vote alone decides the proposal: changing it
// from From to To reverses the outcome.
type Pivot struct {
	Member string             `json:"member"`
	Name   string             `json:"name,omitempty"`
	From   institution.Choice `json:"from"`
	To     institution.Choice `json:"to"`
	Weight float64            `json:"weight"`
	Veto   bool               `json:"veto,omitempty"`
	// Reason is the body's account of the reversed outcome.
	Reason string `json:"reason"`
}

// Proposal is what it would take to reverse the outcome of a vote.
type Proposal struct {
	Passed bool `json:"passed"`
	// Goal is "block" for a proposal that passes (the switches are to
	// no) and "pass" for one that fails (the switches are to yes).
	Goal string `json:"goal"`
	// Pivotal lists the members whose single change of vote reverses the
	// outcome.
	Pivotal []Pivot `json:"pivotal"`
	// Needed is the least number of members who must switch to reverse
	// the outcome; 0 when no switch can (every remaining member already
	// votes that way).
	Needed int `json:"needed"`
	// Exact is false when the search gave up before proving that no
	// smaller set exists (Needed is then an upper bound).
	Exact bool `json:"exact"`
	// Sets lists up to MaxSets of the smallest switching sets (member ids,
	// largest weight first); More says there are others of that size.
	Sets [][]string `json:"sets"`
	More bool       `json:"more,omitempty"`
}

// Analyse finds, for the outcome of a vote of body b, the pivotal members
// and the smallest sets of members whose switch would reverse it: to no
// (from yes or abstaining) when the proposal passes, to yes (from no or
// abstaining) when it fails; a switch to the other side moves every
// criterion of Parley's rules at least as far as an abstention would.
//
// The rule's criteria (institution.Body.Criteria) are linear in the
// votes, so each candidate's switch adds a fixed amount to each margin.
// Blocking needs one criterion to fail: for each, the fewest switches are
// the largest contributions first, and the sets of that size are listed
// by a search bounded by the same sums. Passing needs all criteria at
// once: a depth-first search over set sizes from the largest of the
// single-criterion minima, pruned whenever the best remaining switches
// cannot lift some margin to zero.
func Analyse(b *institution.Body, out institution.Outcome) *Proposal {
	p := &Proposal{Passed: out.Passed, Goal: "pass", Exact: true}
	if out.Passed {
		p.Goal = "block"
	}
	votes := make(map[string]institution.MemberRule, len(out.Ballots))
	for _, bl := range out.Ballots {
		votes[bl.Member] = institution.MemberRule{Vote: bl.Vote}
	}
	eval := func(change map[string]institution.Choice) institution.Outcome {
		opt := institution.Options{Members: make(map[string]institution.MemberRule, len(votes))}
		for id, r := range votes {
			if c, ok := change[id]; ok {
				r = institution.MemberRule{Vote: c}
			}
			opt.Members[id] = r
		}
		return b.Vote(out.Proposal, out.StatusQuo, nil, opt)
	}
	margins := func(o institution.Outcome) []float64 {
		cs := b.Criteria(o.Tally, o.Vetoes)
		m := make([]float64, len(cs))
		for i, c := range cs {
			m[i] = c.Margin
		}
		return m
	}
	base := margins(out)
	// Pivotal members: any single change of vote that reverses the
	// outcome.
	for i, bl := range out.Ballots {
		for _, to := range []institution.Choice{institution.Yes, institution.No, institution.Abstain} {
			if to == bl.Vote {
				continue
			}
			o := eval(map[string]institution.Choice{bl.Member: to})
			if o.Passed != out.Passed {
				p.Pivotal = append(p.Pivotal, Pivot{Member: bl.Member, Name: bl.Name, From: bl.Vote, To: to,
					Weight: bl.Weight, Veto: b.Members[i].Veto, Reason: o.Reason})
				break
			}
		}
	}
	// Candidates and the change each one's switch makes to each margin.
	to := institution.Yes
	if out.Passed {
		to = institution.No
	}
	type cand struct {
		id    string
		delta []float64
		score float64
	}
	var cands []cand
	for _, bl := range out.Ballots {
		if bl.Vote == to {
			continue
		}
		m := margins(eval(map[string]institution.Choice{bl.Member: to}))
		c := cand{id: bl.Member, delta: make([]float64, len(m))}
		for k := range m {
			c.delta[k] = m[k] - base[k]
			if out.Passed {
				c.score -= c.delta[k] / scale(base, k)
			} else {
				c.score += c.delta[k] / scale(base, k)
			}
		}
		cands = append(cands, c)
	}
	slices.SortStableFunc(cands, func(a, b cand) int { return cmp.Compare(b.score, a.score) })
	nc := len(cands)
	nk := len(base)
	// best[k][r][x]: the sum of the r largest (for passing) or most
	// negative (for blocking) deltas of criterion k among candidates x…
	// — the bound of every search below.
	sign := 1.0
	if out.Passed {
		sign = -1
	}
	best := make([][][]float64, nk)
	for k := range nk {
		best[k] = make([][]float64, nc+1)
		sorted := make([]float64, 0, nc)
		for x := nc; x >= 0; x-- {
			if x < nc {
				v := sign * cands[x].delta[k]
				at, _ := slices.BinarySearchFunc(sorted, v, func(a, b float64) int { return cmp.Compare(b, a) })
				sorted = slices.Insert(sorted, at, v)
			}
			pre := make([]float64, len(sorted)+1)
			for r, v := range sorted {
				pre[r+1] = pre[r] + max(v, 0)
			}
			best[k][x] = pre
		}
	}
	bound := func(k, x, r int) float64 {
		pre := best[k][x]
		return pre[min(r, len(pre)-1)]
	}
	// reached reports whether margins m (as sign·margin) have reversed the
	// outcome: for blocking some criterion fails, for passing all hold.
	reached := func(m []float64) bool {
		if out.Passed {
			for _, v := range m {
				if v < 0 {
					return true
				}
			}
			return false
		}
		for _, v := range m {
			if v < 0 {
				return false
			}
		}
		return true
	}
	// can reports whether, from margins m with candidates x… left and r
	// more switches allowed, the outcome can still be reversed.
	can := func(m []float64, x, r int) bool {
		if out.Passed {
			for k, v := range m {
				if v-bound(k, x, r) < 0 {
					return true
				}
			}
			return false
		}
		for k, v := range m {
			if v+bound(k, x, r) < 0 {
				return false
			}
		}
		return true
	}
	if !can(base, 0, nc) {
		return p // no switch of the remaining members reverses it
	}
	// The least size: blocking takes the smallest of the criteria's own
	// minima, passing the largest of those it must lift.
	lower := 1
	if out.Passed {
		lower = nc + 1
		for k, v := range base {
			for r := 0; r <= nc; r++ {
				if v-bound(k, 0, r) < 0 {
					lower = min(lower, r)
					break
				}
			}
		}
	} else {
		for k, v := range base {
			for r := 0; r <= nc; r++ {
				if v+bound(k, 0, r) >= 0 {
					lower = max(lower, r)
					break
				}
			}
		}
	}
	lower = max(lower, 1)
	nodes := 0
	m := make([]float64, nk)
	var set []int
	var found [][]int
	var dfs func(x, size int)
	dfs = func(x, size int) {
		if len(found) > MaxSets || nodes > maxNodes {
			return
		}
		nodes++
		if len(set) == size {
			if reached(m) {
				found = append(found, slices.Clone(set))
			}
			return
		}
		if x == nc || nc-x < size-len(set) || !can(m, x, size-len(set)) {
			return
		}
		set = append(set, x)
		for k := range m {
			m[k] += cands[x].delta[k]
		}
		// No smaller set reverses the outcome (sizes are tried upwards),
		// so every set found is a smallest one.
		dfs(x+1, size)
		for k := range m {
			m[k] -= cands[x].delta[k]
		}
		set = set[:len(set)-1]
		dfs(x+1, size)
	}
	for size := lower; size <= nc; size++ {
		copy(m, base)
		dfs(0, size)
		if len(found) > 0 {
			p.Needed = size
			break
		}
		if nodes > maxNodes {
			break
		}
	}
	if nodes > maxNodes {
		p.Exact = false
	}
	if len(found) > MaxSets {
		found, p.More = found[:MaxSets], true
	}
	for _, s := range found {
		ids := make([]string, len(s))
		for i, x := range s {
			ids[i] = cands[x].id
		}
		p.Sets = append(p.Sets, ids)
	}
	return p
}

// scale is the size of criterion k's margin used to weigh the candidates
// against one another: at least 1.
func scale(base []float64, k int) float64 {
	if v := base[k]; v > 1 || v < -1 {
		if v < 0 {
			return -v
		}
		return v
	}
	return 1
}
