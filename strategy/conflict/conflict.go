// Package conflict shows who expects to gain by challenging whom: for
// every ordered pair of actors, the expected utilities of a challenge in
// each direction and the relation they imply in Bueno de Mesquita's
// terms (conflict, compel, compromise, capitulation, status quo), from
// the expected-utility model's own computation (model/eum Perceive); and,
// for KTAB's Spatial Model of Politics, KTAB's quad map of expected gains
// (model/smp Challenges). docs/models/conflicts.md gives the definitions
// and their sources.
//
// The relation of a pair (i, j) comes from a = E(U_ij), i's expected
// utility of challenging j, and b = E(U_ji), j's of challenging i, read
// in the octants of Scholz, Calbert & Smith (2011, §6.1 and Fig. 6; after
// Bueno de Mesquita 1985, Fig. 1, and 1994): both positive is conflict,
// won by the side with the larger value; a > 0 ≥ b is i's advantage —
// i compels j when j's loss |b| is at least a (j gives in entirely, eq. 36
// would move it the whole way), a compromise in i's favour when it is
// smaller (j moves the fraction |b/a| toward i); the mirror cases are j's
// advantage, where i capitulates or compromises; both at or below zero
// is the status quo (stalemate): neither expects to gain.
package conflict

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/model/eum"
	"github.com/parley-project/parley/scenario"
)

// Relations of a pair, from the row actor's side.
const (
	Conflict     = "conflict"
	Compel       = "compel"       // the row compels the column
	Compromise   = "compromise"   // one side yields part of the way
	Capitulation = "capitulation" // the row capitulates to the column
	StatusQuo    = "status quo"
	Agreement    = "agreement" // the two hold the same position
)

// Perspectives other than an actor's id.
const Objective = "objective"

// tiny is the size below which an expected utility counts as zero, as in
// the EUM's own offer rules (model/eum).
const tiny = 1e-12

// Classify reads a pair's relation from a = E(U_ij) and b = E(U_ji), from
// i's side, and says who comes out ahead: "i", "j" or "" (neither, or a
// tie).
func Classify(a, b float64) (relation, ahead string) {
	pos := func(v float64) bool { return v > tiny }
	switch {
	case pos(a) && pos(b):
		switch {
		case a > b+tiny:
			return Conflict, "i"
		case b > a+tiny:
			return Conflict, "j"
		}
		return Conflict, ""
	case pos(a):
		if -b >= a-tiny {
			return Compel, "i"
		}
		return Compromise, "i"
	case pos(b):
		if -a >= b-tiny {
			return Capitulation, "j"
		}
		return Compromise, "j"
	}
	return StatusQuo, ""
}

// Config says what to show.
type Config struct {
	Scenario *scenario.Scenario
	// Model is "eum" (default) or "smp".
	Model   string
	Options model.Options
	// Issue limits the EUM view to one issue ("" all). The SMP works on
	// all issues at once and ignores it.
	Issue string
	// Round is the round whose starting positions are viewed: 0 the
	// stated positions, r those after round r of the model's run.
	Round int
	// Perspective is Objective (each side's own expected utilities) or
	// an actor's id (that actor's perception of every pair); "" means
	// Objective.
	Perspective string
}

// Actor is one actor in a view.
type Actor struct {
	ID         string  `json:"id"`
	Name       string  `json:"name"`
	Capability float64 `json:"capability"`
	// Position (at the round viewed), Salience (0–1) and Risk (the EUM's
	// risk exponent r of the round) are given for the EUM's one-issue
	// views, not for the SMP's view of all issues together.
	Position *float64 `json:"position,omitempty"`
	Salience *float64 `json:"salience,omitempty"`
	Risk     *float64 `json:"risk,omitempty"`
}

// Pair is one ordered pair of actors.
type Pair struct {
	I string `json:"i"`
	J string `json:"j"`
	// A and B are the values the relation is read from, in the chosen
	// perspective. EUM: A = E(U_ij), B = E(U_ji). SMP: A is the expected
	// change in i's utility if i challenges j, B the change in j's.
	A float64 `json:"a"`
	B float64 `json:"b"`
	// Relation is the pair's relation from i's side and Ahead the actor
	// expected to come out ahead ("" for none).
	Relation string `json:"relation"`
	Ahead    string `json:"ahead,omitempty"`
	// EUM only: each side's expected utilities as it sees them.
	// EUij = E^i(U_ij), EUjiByI = E^i(U_ji) (what i believes j expects),
	// EUjiByJ = E^j(U_ji); ByI is the relation as i perceives it.
	EUij     *float64 `json:"eu_ij,omitempty"`
	EUjiByI  *float64 `json:"eu_ji_by_i,omitempty"`
	EUjiByJ  *float64 `json:"eu_ji_by_j,omitempty"`
	ByI      string   `json:"relation_by_i,omitempty"`
	ByIAhead string   `json:"ahead_by_i,omitempty"`
}

// Mutual is a pair in which each side expects to gain by challenging the
// other: a risk of confrontation.
type Mutual struct {
	A string `json:"a"`
	B string `json:"b"`
	// EUA is A's expected gain from challenging B, EUB B's from
	// challenging A (in the view's perspective).
	EUA float64 `json:"eu_a"`
	EUB float64 `json:"eu_b"`
	// Capability is the two actors' capabilities together, the ranking
	// key; Weight their capability × salience on the issue.
	Capability float64 `json:"capability"`
	Weight     float64 `json:"weight"`
	// BothExpectToWin is true when each believes it would win: E^A(U_AB)
	// > E^A(U_BA) and E^B(U_BA) > E^B(U_AB) (EUM only), Bueno de
	// Mesquita's (1985) condition for a fight neither will back out of.
	BothExpectToWin bool `json:"both_expect_to_win,omitempty"`
}

// Issue is the view of one issue (EUM) or of all issues together (SMP,
// with ID "").
type Issue struct {
	ID     string  `json:"id"`
	Name   string  `json:"name"`
	Median float64 `json:"median,omitempty"`
	Actors []Actor `json:"actors"`
	// Pairs holds every ordered pair (i ≠ j), row by row in actor order.
	Pairs  []Pair   `json:"pairs"`
	Mutual []Mutual `json:"mutual"`
	// Note says why an issue has no pairs.
	Note string `json:"note,omitempty"`
}

// Pair returns the pair (i, j), or nil.
func (is *Issue) Pair(i, j string) *Pair {
	for k := range is.Pairs {
		if is.Pairs[k].I == i && is.Pairs[k].J == j {
			return &is.Pairs[k]
		}
	}
	return nil
}

// View is the conflicts view of a scenario.
type View struct {
	Scenario    string  `json:"scenario"`
	Model       string  `json:"model"`
	Variant     string  `json:"variant,omitempty"`
	Round       int     `json:"round"`
	Perspective string  `json:"perspective"`
	Issues      []Issue `json:"issues"`
	// Skipped says which issues were left out and why (an actor's
	// perspective on an issue it holds no position on).
	Skipped []string `json:"skipped,omitempty"`
}

// Models lists the models the view supports.
var Models = []string{"eum", "smp"}

// Compute builds the view. Bad input (an unknown model, issue or
// perspective, a round beyond the run) is reported with the choices; the
// model's runs stop when ctx ends.
func Compute(ctx context.Context, cfg Config) (*View, error) {
	sc := cfg.Scenario
	if cfg.Model == "" {
		cfg.Model = "eum"
	}
	if cfg.Perspective == "" {
		cfg.Perspective = Objective
	}
	if !slices.Contains(Models, cfg.Model) {
		return nil, fmt.Errorf("the conflicts view needs the model eum or smp, got %q", cfg.Model)
	}
	if cfg.Perspective != Objective && sc.Actor(cfg.Perspective) == nil {
		return nil, fmt.Errorf("unknown perspective %q (have %s, %s)", cfg.Perspective, Objective, strings.Join(sc.ActorIDs(), ", "))
	}
	if cfg.Round < 0 {
		return nil, fmt.Errorf("round must not be negative, got %d", cfg.Round)
	}
	if cfg.Issue != "" && sc.Issue(cfg.Issue) == nil {
		return nil, fmt.Errorf("unknown issue %q (have %s)", cfg.Issue, strings.Join(sc.IssueIDs(), ", "))
	}
	v := &View{Scenario: sc.Name, Model: cfg.Model, Round: cfg.Round, Perspective: cfg.Perspective}
	if cfg.Model == "smp" {
		is, err := smpView(ctx, cfg)
		if err != nil {
			return nil, err
		}
		v.Issues = []Issue{*is}
		return v, nil
	}
	m := eum.Model{}
	r, err := model.Resolve(m.Info(), cfg.Options)
	if err != nil {
		return nil, err
	}
	v.Variant = r.Variant
	rounds := r.Rounds
	if cfg.Round > rounds {
		return nil, &RoundError{Round: cfg.Round, Rounds: rounds}
	}
	var run map[string][]map[string]float64 // issue → positions after each round
	if cfg.Round > 0 {
		opt := cfg.Options
		opt.Rounds = cfg.Round
		res, err := m.Run(ctx, sc, opt)
		if err != nil {
			return nil, err
		}
		run = map[string][]map[string]float64{}
		for _, ir := range res.Issues {
			for _, r := range ir.Rounds {
				run[ir.ID] = append(run[ir.ID], r.Positions)
			}
		}
	}
	for k := range sc.Issues {
		is := &sc.Issues[k]
		if cfg.Issue != "" && is.ID != cfg.Issue {
			continue
		}
		st := sc.Stakeholders(is.ID)
		if cfg.Issue == "" && cfg.Perspective != Objective && !slices.ContainsFunc(st, func(s scenario.Stakeholder) bool { return s.ID == cfg.Perspective }) {
			v.Skipped = append(v.Skipped, fmt.Sprintf("issue %q: %s holds no position on it", is.ID, cfg.Perspective))
			continue
		}
		var x []float64
		if cfg.Round > 0 {
			rs := run[is.ID]
			if len(rs) <= cfg.Round {
				return nil, fmt.Errorf("round %d is beyond the run on issue %q: it ended after round %d (every actor agreed or the stop rule held)", cfg.Round, is.ID, len(rs)-1)
			}
			x = make([]float64, len(st))
			for i, s := range st {
				x[i] = rs[cfg.Round][s.ID]
			}
		}
		iv, err := eumIssue(ctx, m, is, st, x, cfg)
		if err != nil {
			return nil, fmt.Errorf("issue %q: %w", is.ID, err)
		}
		v.Issues = append(v.Issues, *iv)
	}
	return v, nil
}

// eumIssue is the EUM view of one issue.
func eumIssue(ctx context.Context, m eum.Model, is *scenario.Issue, st []scenario.Stakeholder, x []float64, cfg Config) (*Issue, error) {
	out := &Issue{ID: is.ID, Name: is.DisplayName()}
	same := true
	for _, s := range st {
		same = same && s.Position == st[0].Position
	}
	if len(st) < 2 || same {
		for _, s := range st {
			out.Actors = append(out.Actors, Actor{ID: s.ID, Name: s.Name, Capability: s.Capability, Position: ptr(s.Position), Salience: ptr(s.Salience)})
		}
		out.Note = "fewer than two actors"
		if len(st) > 1 {
			out.Note = "every actor states the same position: nothing to challenge"
		}
		return out, nil
	}
	p, err := m.Perceive(ctx, st, x, cfg.Options)
	if err != nil {
		return nil, err
	}
	out.Median = p.Median
	h := -1 // the perceiver, or −1 for each side's own view
	for i, s := range st {
		out.Actors = append(out.Actors, Actor{ID: s.ID, Name: s.Name, Capability: s.Capability,
			Position: ptr(p.Positions[i]), Salience: ptr(s.Salience), Risk: ptr(p.Risk[i])})
		if s.ID == cfg.Perspective {
			h = i
		}
	}
	if cfg.Perspective != Objective && h < 0 {
		return nil, fmt.Errorf("%s holds no position on issue %q", cfg.Perspective, is.ID)
	}
	n := len(st)
	eu := make([]float64, n*n) // eu[i*n+j] = E^i(U_ij)
	for i := range n {
		for j := range n {
			if i != j {
				eu[i*n+j] = p.EU(i, j, i)
			}
		}
	}
	for i := range n {
		for j := range n {
			if i == j {
				continue
			}
			pr := Pair{I: st[i].ID, J: st[j].ID}
			own, byI, byJ := eu[i*n+j], p.EU(j, i, i), eu[j*n+i]
			pr.EUij, pr.EUjiByI, pr.EUjiByJ = &own, &byI, &byJ
			pr.A, pr.B = own, byJ
			if h >= 0 {
				pr.A, pr.B = p.EU(i, j, h), p.EU(j, i, h)
			}
			if p.Positions[i] == p.Positions[j] {
				pr.Relation, pr.ByI = Agreement, Agreement
			} else {
				var a1, a2 string
				pr.Relation, a1 = Classify(pr.A, pr.B)
				pr.ByI, a2 = Classify(own, byI)
				pr.Ahead, pr.ByIAhead = side(a1, pr), side(a2, pr)
			}
			out.Pairs = append(out.Pairs, pr)
		}
	}
	for i := range n {
		for j := i + 1; j < n; j++ {
			ij, ji := out.Pairs[pairIndex(n, i, j)], out.Pairs[pairIndex(n, j, i)]
			if ij.Relation != Conflict {
				continue
			}
			mu := Mutual{A: st[i].ID, B: st[j].ID, EUA: ij.A, EUB: ij.B,
				Capability: st[i].Capability + st[j].Capability,
				Weight:     st[i].Capability*st[i].Salience + st[j].Capability*st[j].Salience}
			mu.BothExpectToWin = *ij.EUij > *ij.EUjiByI && *ji.EUij > *ji.EUjiByI
			out.Mutual = append(out.Mutual, mu)
		}
	}
	rank(out.Mutual)
	return out, nil
}

// pairIndex is the index of (i, j) in the row-by-row list of ordered
// pairs without the diagonal.
func pairIndex(n, i, j int) int {
	k := i*(n-1) + j
	if j > i {
		k--
	}
	return k
}

// side names the actor that comes out ahead.
func side(ahead string, p Pair) string {
	switch ahead {
	case "i":
		return p.I
	case "j":
		return p.J
	}
	return ""
}

// rank orders mutual conflicts by the capability involved, then the
// weight, then the smaller of the two expected gains, largest first.
func rank(ms []Mutual) {
	slices.SortStableFunc(ms, func(a, b Mutual) int {
		if c := cmp.Compare(b.Capability, a.Capability); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Weight, a.Weight); c != 0 {
			return c
		}
		return cmp.Compare(math.Min(b.EUA, b.EUB), math.Min(a.EUA, a.EUB))
	})
}

func ptr(v float64) *float64 { return &v }

// RoundError is a view asked of a round beyond the EUM's run: the run
// must be given Round rounds or more.
type RoundError struct{ Round, Rounds int }

func (e *RoundError) Error() string {
	return fmt.Sprintf("round %d is beyond the run of %d rounds", e.Round, e.Rounds)
}
