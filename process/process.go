// Package process plays out the stages a scenario declares: talks under a
// bargaining model up to a deadline, a vote in an institution, a unilateral
// act when both fail, recognition of the result by third states, and
// contagion to linked disputes. It returns a dated timeline of events and
// each issue's position and forecast after each stage.
//
// Data flows scenario → process (which runs models from model/ and votes
// from institution/) → Result, rendered by report or encoded as JSON.
package process

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/parley-project/parley/internal/plural"

	"github.com/parley-project/parley/institution"
	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/model/recognition"
	"github.com/parley-project/parley/model/registry"
	"github.com/parley-project/parley/scenario"
)

// ErrNoProcess is returned for a scenario without a process section.
var ErrNoProcess = errors.New("the scenario declares no process (add a process section with stages)")

// Options are the settings of a process run.
type Options struct {
	// Seed and Draws drive the recognition model's Monte Carlo; Draws 0
	// means the model's default.
	Seed  uint64
	Draws int
	// Workers bounds the goroutines models may use; results never depend
	// on it.
	Workers int
	// Registry holds the models talks stages name (the server passes its
	// own); nil means registry.Default().
	Registry *model.Registry
}

// Event is one dated entry of the timeline.
type Event struct {
	Date        string `json:"date"`
	Kind        string `json:"kind"`
	Stage       string `json:"stage"`
	Description string `json:"description"`
	Outcome     string `json:"outcome"`
	// From and To, for an event whose date is uncertain, are the dates it
	// may fall on: a unilateral act's window, or the 5th to 95th
	// percentile of a contagion rule's date over the draws (Date is then
	// the median).
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	// Dispute is the linked dispute a contagion event changes.
	Dispute string `json:"dispute,omitempty"`
}

// IssueState is where an issue stands after a stage: Position is the
// state of affairs (the status quo until an agreement, a vote or an act
// changes it) and Forecast the best forecast of the settlement.
type IssueState struct {
	ID       string  `json:"id"`
	Position float64 `json:"position"`
	Forecast float64 `json:"forecast"`
}

// Talks is the record of a talks stage.
type Talks struct {
	Model    string  `json:"model"`
	Variant  string  `json:"variant,omitempty"`
	Start    string  `json:"start"`
	Deadline string  `json:"deadline"`
	Rounds   int     `json:"rounds"`
	Played   int     `json:"played"`
	Agreed   bool    `json:"agreed"`
	Forecast float64 `json:"forecast"`
	// Gap is the largest distance between the named parties at the end.
	Gap float64 `json:"gap,omitempty"`
}

// Dispute is the state of a linked dispute after contagion.
type Dispute struct {
	ID       string  `json:"id"`
	Name     string  `json:"name"`
	Claimant string  `json:"claimant,omitempty"`
	Patron   string  `json:"patron,omitempty"`
	Claim0   float64 `json:"claim_before"`
	Claim    float64 `json:"claim"`
	Support0 float64 `json:"support_before"`
	Support  float64 `json:"support"`
	Fired    int     `json:"rules_fired"`
}

// StageResult is the outcome of one stage.
type StageResult struct {
	ID        string               `json:"id"`
	Kind      string               `json:"kind"`
	Name      string               `json:"name,omitempty"`
	Date      string               `json:"date"`
	Outcome   string               `json:"outcome"`
	Issues    []IssueState         `json:"issues"`
	Talks     *Talks               `json:"talks,omitempty"`
	Vote      *institution.Outcome `json:"vote,omitempty"`
	Disputes  []Dispute            `json:"disputes,omitempty"`
	Condition string               `json:"condition,omitempty"`
}

// Result is a played-out process.
type Result struct {
	Scenario    string              `json:"scenario"`
	Seed        uint64              `json:"seed"`
	Draws       int                 `json:"draws,omitempty"`
	Events      []Event             `json:"events"`
	Stages      []StageResult       `json:"stages"`
	Recognition *recognition.Result `json:"recognition,omitempty"`
	Contagion   []Dispute           `json:"contagion,omitempty"`
}

// run holds the state of a process as it is played.
type run struct {
	sc       *scenario.Scenario
	opt      Options
	res      *Result
	issues   []IssueState
	outcomes map[string]string
	dates    map[string]time.Time
	last     time.Time
}

// Run plays out the scenario's process. The scenario must be valid.
func Run(ctx context.Context, sc *scenario.Scenario, opt Options) (*Result, error) {
	p := sc.Process
	if p == nil {
		return nil, ErrNoProcess
	}
	if opt.Registry == nil {
		opt.Registry = registry.Default()
	}
	r := &run{sc: sc, opt: opt, res: &Result{Scenario: sc.Name, Seed: opt.Seed, Draws: opt.Draws},
		outcomes: map[string]string{}, dates: map[string]time.Time{}}
	// The process follows the issues it gives a status quo, in the
	// scenario's order; validation requires one for every issue a stage
	// acts on.
	for _, is := range sc.Issues {
		if sq, ok := p.StatusQuo[is.ID]; ok {
			r.issues = append(r.issues, IssueState{ID: is.ID, Position: sq, Forecast: sq})
		}
	}
	if sc.AsOf != "" {
		r.last, _ = time.Parse(time.DateOnly, sc.AsOf)
	}
	for i := range p.Stages {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		st := &p.Stages[i]
		sr := StageResult{ID: st.ID, Kind: st.Kind, Name: st.Name, Condition: st.Condition}
		var err error
		if ok, why := r.holds(st.When); !ok {
			sr.Outcome = scenario.OutcomeSkipped
			at := r.last
			if d, e := stageDate(st); e == nil && !d.IsZero() {
				at = d
			}
			r.event(at, st, fmt.Sprintf("%s skipped: %s", label(st), why), scenario.OutcomeSkipped)
			r.finish(&sr, at)
			continue
		}
		switch st.Kind {
		case scenario.StageTalks:
			err = r.talks(ctx, st, &sr)
		case scenario.StageVote:
			err = r.vote(st, &sr)
		case scenario.StageUnilateral:
			err = r.unilateral(st, &sr)
		case scenario.StageRecognition:
			err = r.recognition(ctx, st, &sr)
		case scenario.StageContagion:
			err = r.contagion(st, &sr)
		default:
			err = fmt.Errorf("unknown stage kind %q", st.Kind)
		}
		if err != nil {
			return nil, fmt.Errorf("stage %s: %w", st.ID, err)
		}
	}
	sort.SliceStable(r.res.Events, func(a, b int) bool { return r.res.Events[a].Date < r.res.Events[b].Date })
	return r.res, nil
}

// holds checks a stage's condition against the outcomes so far.
func (r *run) holds(c *scenario.Condition) (bool, string) {
	if c == nil {
		return true, ""
	}
	var why []string
	for _, id := range c.Passed {
		if o := r.outcomes[id]; o != scenario.OutcomePassed {
			why = append(why, fmt.Sprintf("%s %s, not passed", id, o))
		}
	}
	for _, id := range c.Failed {
		if o := r.outcomes[id]; o != scenario.OutcomeFailed {
			why = append(why, fmt.Sprintf("%s %s, not failed", id, o))
		}
	}
	return len(why) == 0, strings.Join(why, "; ")
}

// event adds an entry to the timeline and returns it, for the caller to
// add what else it knows (a range of dates, a dispute).
func (r *run) event(at time.Time, st *scenario.Stage, desc, outcome string) *Event {
	r.res.Events = append(r.res.Events, Event{Date: at.Format(time.DateOnly), Kind: st.Kind, Stage: st.ID, Description: desc, Outcome: outcome})
	return &r.res.Events[len(r.res.Events)-1]
}

// finish records a stage's outcome, date and the issues' state after it.
func (r *run) finish(sr *StageResult, at time.Time) {
	sr.Date = at.Format(time.DateOnly)
	sr.Issues = slices.Clone(r.issues)
	r.outcomes[sr.ID] = sr.Outcome
	r.dates[sr.ID] = at
	if at.After(r.last) {
		r.last = at
	}
	r.res.Stages = append(r.res.Stages, *sr)
}

// stageIssue returns a stage's date and the state of the issue it acts on.
func (r *run) stageIssue(st *scenario.Stage) (time.Time, *IssueState, error) {
	at, err := time.Parse(time.DateOnly, st.FirstDate())
	if err != nil {
		return at, nil, err
	}
	is, err := r.issue(st.Issue)
	return at, is, err
}

// issue returns the state of an issue the process follows.
func (r *run) issue(id string) (*IssueState, error) {
	for i := range r.issues {
		if r.issues[i].ID == id {
			return &r.issues[i], nil
		}
	}
	return nil, fmt.Errorf("issue %q has no status quo in process.status_quo", id)
}

func label(st *scenario.Stage) string {
	if st.Name != "" {
		return st.Name
	}
	return st.ID
}

// stageDate is the date a stage is scheduled for, zero when it has none.
func stageDate(st *scenario.Stage) (time.Time, error) {
	d := st.FirstDate()
	switch st.Kind {
	case scenario.StageTalks:
		d = st.Deadline
	case scenario.StageRecognition:
		d = ""
	}
	if d == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.DateOnly, d)
}

// addMonths adds a (fractional) number of months of 365.25/12 days.
func addMonths(t time.Time, m float64) time.Time {
	return t.Add(time.Duration(m * 365.25 / 12 * 24 * float64(time.Hour))).Truncate(24 * time.Hour)
}

// talks runs the bargaining model round by round up to the deadline and
// stops at the first round where the named parties agree.
func (r *run) talks(ctx context.Context, st *scenario.Stage, sr *StageResult) error {
	start := st.Start
	if start == "" {
		start = r.sc.AsOf
	}
	t0, err := time.Parse(time.DateOnly, start)
	if err != nil {
		return fmt.Errorf("start: %w", err)
	}
	t1, err := time.Parse(time.DateOnly, st.Deadline)
	if err != nil {
		return fmt.Errorf("deadline: %w", err)
	}
	rpm := st.RoundsPerMonth
	if rpm == 0 {
		rpm = 1
	}
	rounds := max(1, int(math.Round(scenario.MonthsBetween(t0, t1)*rpm)))
	m, err := r.opt.Registry.Get(st.Model)
	if err != nil {
		return err
	}
	// The model runs on the stage's issue alone.
	sub := *r.sc
	sub.Issues = []scenario.Issue{*r.sc.Issue(st.Issue)}
	res, err := m.Run(ctx, &sub, model.Options{Variant: st.Variant, Rounds: rounds, Params: st.Params, Workers: r.opt.Workers})
	if err != nil {
		return err
	}
	ir := res.Issues[0]
	played, agreed := len(ir.Rounds)-1, false
	var gap float64
	for k, rd := range ir.Rounds {
		if len(st.Parties) < 2 {
			break
		}
		gap = spread(rd.Positions, st.Parties)
		if gap <= st.Tolerance {
			played, agreed = k, true
			break
		}
	}
	fc := ir.Rounds[played].Forecast
	at := t1
	if agreed {
		at = addMonths(t0, float64(played)/rpm)
	}
	sr.Talks = &Talks{Model: res.Model, Variant: res.Variant, Start: start, Deadline: st.Deadline,
		Rounds: rounds, Played: played, Agreed: agreed, Forecast: fc, Gap: gap}
	is, err := r.issue(st.Issue)
	if err != nil {
		return err
	}
	is.Forecast = fc
	name := r.sc.Issue(st.Issue).DisplayName()
	if agreed {
		is.Position = fc
		sr.Outcome = scenario.OutcomePassed
		r.event(at, st, fmt.Sprintf("%s: %s agree after %d of %s (%s model); %s settles at %s", label(st),
			r.names(st.Parties), played, plural.Count(rounds, "round"), res.Model, name, r.place(st.Issue, fc)), scenario.OutcomePassed)
	} else {
		sr.Outcome = scenario.OutcomeFailed
		desc := fmt.Sprintf("%s: deadline reached after %s (%s model) without agreement", label(st), plural.Count(rounds, "round"), res.Model)
		if len(st.Parties) >= 2 {
			desc += fmt.Sprintf("; %s still %s apart (tolerance %s)", r.names(st.Parties), num(gap), num(st.Tolerance))
		}
		desc += fmt.Sprintf("; the model forecasts %s at %s", name, r.place(st.Issue, fc))
		r.event(at, st, desc, scenario.OutcomeFailed)
	}
	r.finish(sr, at)
	return nil
}

// spread is the largest distance between the named actors' positions.
func spread(pos map[string]float64, ids []string) float64 {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, id := range ids {
		p, ok := pos[id]
		if !ok {
			return math.Inf(1)
		}
		lo, hi = min(lo, p), max(hi, p)
	}
	return hi - lo
}

// vote puts the proposal to the stage's body against the issue's current
// position.
func (r *run) vote(st *scenario.Stage, sr *StageResult) error {
	in, b, err := Body(r.sc, st.Body)
	if err != nil {
		return err
	}
	at, is, err := r.stageIssue(st)
	if err != nil {
		return err
	}
	proposal := st.Proposal.Value
	from := ""
	if st.ProposalFrom != "" {
		var talks *Talks
		for i := range r.res.Stages {
			if r.res.Stages[i].ID == st.ProposalFrom {
				talks = r.res.Stages[i].Talks
			}
		}
		if talks == nil {
			return fmt.Errorf("proposal_from: talks stage %s did not run", st.ProposalFrom)
		}
		proposal = talks.Forecast
		from = fmt.Sprintf(" (the forecast of %s)", st.ProposalFrom)
	}
	out := Vote(r.sc, in, b, st.Issue, proposal, is.Position)
	sr.Vote = &out
	t := out.Tally
	desc := fmt.Sprintf("%s: %s votes on %s%s against %s: %d yes, %d no, %d abstaining", label(st), b.Name,
		r.place(st.Issue, proposal), from, r.place(st.Issue, is.Position), t.Yes, t.No, t.Abstain)
	if out.Passed {
		sr.Outcome = scenario.OutcomePassed
		is.Position, is.Forecast = proposal, proposal
		desc += "; adopted (" + out.Reason + ")"
	} else {
		sr.Outcome = scenario.OutcomeFailed
		desc += "; not adopted (" + out.Reason + ")"
	}
	r.event(at, st, desc, sr.Outcome)
	r.finish(sr, at)
	return nil
}

// unilateral moves the issue to the actor's position on the stage's date.
func (r *run) unilateral(st *scenario.Stage, sr *StageResult) error {
	at, is, err := r.stageIssue(st)
	if err != nil {
		return err
	}
	from := is.Position
	is.Position, is.Forecast = st.Position.Value, st.Position.Value
	sr.Outcome = scenario.OutcomePassed
	desc := fmt.Sprintf("%s: %s moves %s from %s to %s", label(st), r.names([]string{st.Actor}),
		r.sc.Issue(st.Issue).DisplayName(), r.place(st.Issue, from), r.place(st.Issue, st.Position.Value))
	if st.Condition != "" {
		desc += " (condition: " + st.Condition + ")"
	}
	desc += actWindow(st)
	e := r.event(at, st, desc, scenario.OutcomePassed)
	if len(st.Window) == 2 {
		e.From, e.To = st.Window[0], st.Window[1]
	}
	r.finish(sr, at)
	return nil
}

// contagion applies each linked dispute's rules whose condition holds.
func (r *run) contagion(st *scenario.Stage, sr *StageResult) error {
	at := r.last
	if st.Date != "" {
		d, err := time.Parse(time.DateOnly, st.Date)
		if err != nil {
			return err
		}
		at = d
	}
	for _, d := range r.sc.Contagion {
		ds := Dispute{ID: d.ID, Name: d.Name, Claimant: d.Claimant, Patron: d.Patron,
			Claim0: d.Claim.Value, Claim: d.Claim.Value, Support0: d.Support.Value, Support: d.Support.Value}
		if ds.Name == "" {
			ds.Name = d.ID
		}
		for _, rule := range d.Rules {
			if r.outcomes[rule.On] != rule.Outcome {
				continue
			}
			when, spread := r.ruleDate(rule)
			if rule.Recognitions > 0 {
				n, ok := expectedBy(r.res.Recognition, rule.By)
				if !ok {
					return fmt.Errorf("linked dispute %s: the rule on %s needs the recognition stage's expected count by %s, which did not run", d.ID, rule.On, rule.By)
				}
				if n < rule.Recognitions {
					continue
				}
			}
			c0, s0 := ds.Claim, ds.Support
			ds.Claim = clamp(ds.Claim + rule.ClaimChange)
			ds.Support = clamp(ds.Support + rule.SupportChange)
			ds.Fired++
			e := r.event(when.at, st, fmt.Sprintf("%s: %s (claim %s → %s, %s's support %s → %s)%s", ds.Name, rule.Description,
				num(c0), num(ds.Claim), orDefault(d.Patron, "patron"), num(s0), num(ds.Support), spread),
				"claim "+num(ds.Claim)+", support "+num(ds.Support))
			e.Dispute = d.ID
			if !when.from.IsZero() {
				e.From, e.To = when.from.Format(time.DateOnly), when.to.Format(time.DateOnly)
			}
		}
		sr.Disputes = append(sr.Disputes, ds)
	}
	r.res.Contagion = sr.Disputes
	sr.Outcome = scenario.OutcomePassed
	r.finish(sr, at)
	return nil
}

func clamp(v float64) float64 { return min(100, max(0, v)) }

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func (r *run) names(ids []string) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = id
		if a := r.sc.Actor(id); a != nil {
			out[i] = a.DisplayName()
		}
	}
	switch len(out) {
	case 1:
		return out[0]
	case 2:
		return out[0] + " and " + out[1]
	}
	return strings.Join(out[:len(out)-1], ", ") + " and " + out[len(out)-1]
}

// place writes a position with the label of the nearest anchor.
func (r *run) place(issue string, v float64) string {
	is := r.sc.Issue(issue)
	if math.IsNaN(v) {
		return "no status quo"
	}
	if is == nil || len(is.Anchors) == 0 {
		return num(v)
	}
	if l := is.Label(v, (is.Max-is.Min)/100); l != "" {
		return num(v) + " (" + l + ")"
	}
	return num(v) + " (≈ " + is.Label(v, math.Inf(1)) + ")"
}

func num(v float64) string { return fmt.Sprintf("%.2f", v) }
