package run

import (
	"context"
	"fmt"
	"strings"

	"github.com/parley-project/parley/institution"
	"github.com/parley-project/parley/institution/power"
	"github.com/parley-project/parley/process"
	"github.com/parley-project/parley/scenario"
)

// PowerSpec asks for a body's voting power (package institution/power)
// and, with a proposal, the vote on it and what would reverse it.
type PowerSpec struct {
	// Body is an institution the scenario declares or a built-in body.
	Body string `json:"body"`
	// Issue is the issue voted on ("" the scenario's first); Proposal the
	// position put to the vote (nil: power alone); StatusQuo what it is
	// put against (nil: the scenario's process status quo).
	Issue     string   `json:"issue"`
	Proposal  *float64 `json:"proposal"`
	StatusQuo *float64 `json:"status_quo"`
}

// PowerConfig is what a stored power analysis keeps beyond the header:
// the body and, with a proposal, the issue, proposal and status quo.
type PowerConfig struct {
	Body      string   `json:"body"`
	Issue     string   `json:"issue,omitempty"`
	Proposal  *float64 `json:"proposal,omitempty"`
	StatusQuo *float64 `json:"status_quo,omitempty"`
}

// PowerResult is a stored power analysis: the indices, the body and, with
// a proposal, the vote and the smallest switches that reverse it.
type PowerResult struct {
	Power    *power.Result        `json:"power"`
	Body     *institution.Body    `json:"power_body"`
	Switches *power.Proposal      `json:"switches,omitempty"`
	Proposal *float64             `json:"proposal,omitempty"`
	Issue    string               `json:"issue,omitempty"`
	Outcome  *institution.Outcome `json:"outcome,omitempty"`
}

// Power is a voting-power run; its header's model is "power".
type Power = Record[PowerConfig, PowerResult]

// Ballot is a proposal put to a body on one of a scenario's issues.
type Ballot struct {
	Institution *scenario.Institution
	Body        *institution.Body
	Issue       *scenario.Issue
	Proposal    float64
	StatusQuo   float64
	Outcome     institution.Outcome
}

// Vote puts proposal to the body named body on issue ("" the scenario's
// first) of sc against statusQuo (nil: the scenario's process status
// quo), as 'parley vote' and a power analysis with a proposal do.
func Vote(sc *scenario.Scenario, body, issue string, proposal float64, statusQuo *float64) (*Ballot, error) {
	in, b, err := process.Body(sc, body)
	if err != nil {
		return nil, badRequest(err)
	}
	bl := &Ballot{Institution: in, Body: b, Issue: &sc.Issues[0], Proposal: proposal}
	if issue != "" {
		if bl.Issue = sc.Issue(issue); bl.Issue == nil {
			ids := make([]string, len(sc.Issues))
			for i, is := range sc.Issues {
				ids[i] = is.ID
			}
			return nil, &RequestError{Field: "issue", Err: fmt.Errorf("no issue %q in %s (have %s)", issue, sc.Name, strings.Join(ids, ", "))}
		}
	}
	is := bl.Issue
	switch {
	case statusQuo != nil:
		bl.StatusQuo = *statusQuo
	case sc.Process != nil && hasKey(sc.Process.StatusQuo, is.ID):
		bl.StatusQuo = sc.Process.StatusQuo[is.ID]
	default:
		return nil, &RequestError{Field: "status_quo", Err: fmt.Errorf("missing status_quo: the scenario gives no status quo for issue %q", is.ID)}
	}
	for _, v := range []struct {
		field string
		v     float64
	}{{"proposal", proposal}, {"status_quo", bl.StatusQuo}} {
		if !(v.v >= is.Min && v.v <= is.Max) {
			return nil, &RequestError{Field: v.field, Err: fmt.Errorf("%s %v is outside the scale %v to %v of issue %q", v.field, v.v, is.Min, is.Max, is.ID)}
		}
	}
	bl.Outcome = process.Vote(sc, in, b, is.ID, proposal, bl.StatusQuo)
	return bl, nil
}

func hasKey(m map[string]float64, k string) bool {
	_, ok := m[k]
	return ok
}

// Run computes the body's power on sc and, with a proposal, the vote and
// its switches. The error is a RequestError.
func (s PowerSpec) Run(_ context.Context, sc *scenario.Scenario, env Env) (*Power, error) {
	_, b, err := process.Body(sc, s.Body)
	if err != nil {
		return nil, badRequest(err)
	}
	g, err := power.FromBody(b)
	if err != nil {
		return nil, badRequest(err)
	}
	pw, err := power.Compute(g)
	if err != nil {
		return nil, badRequest(err)
	}
	h := newHeader(KindPower, sc, env.CodeVersion)
	h.Model = KindPower
	r := &Power{Header: h, Config: PowerConfig{Body: b.ID}, Result: &PowerResult{Power: pw, Body: b}}
	if s.Proposal != nil {
		bl, err := Vote(sc, s.Body, s.Issue, *s.Proposal, s.StatusQuo)
		if err != nil {
			return nil, err
		}
		sq := bl.StatusQuo
		r.Config.Issue, r.Config.Proposal, r.Config.StatusQuo = bl.Issue.ID, s.Proposal, &sq
		r.Result.Switches, r.Result.Proposal, r.Result.Issue, r.Result.Outcome = power.Analyse(b, bl.Outcome), s.Proposal, bl.Issue.ID, &bl.Outcome
	}
	return r, nil
}
