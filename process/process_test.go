package process

import (
	"context"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/parley-project/parley/internal/fixture"
	"github.com/parley-project/parley/scenario"
)

// base is a three-actor scenario with every kind of stage. Equal weights
// make the mean model's forecast (90+20+60)/3 = 56.67.
const base = `name: stages
as_of: "2007-08-10"
issues:
  - {id: status, min: 0, max: 100}
actors:
  - {id: a, capability: 1, stances: {status: {position: 90, salience: 50}}}
  - {id: b, capability: 1, stances: {status: {position: 20, salience: 50}}}
  - {id: c, capability: 1, stances: {status: {position: 60, salience: 50}}}
institutions:
  - id: council
    rule: votes
    threshold: {votes: 2}
    members:
      - {id: A, actor: a}
      - {id: B, actor: b}
      - {id: C, actor: c}
process:
  status_quo: {status: 50}
  stages:
    - {id: talks, kind: talks, issue: status, model: mean, deadline: "2007-12-10", parties: [a, b], tolerance: 5}
    - {id: vote, kind: vote, issue: status, body: council, proposal: 80, date: "2007-12-19", when: {failed: [talks]}}
    - {id: act, kind: unilateral, issue: status, actor: a, position: 100, date: "2008-02-17", when: {failed: [talks, vote]}, condition: no deal and no resolution}
    - {id: rec, kind: recognition, after: act, until: "2010-12-31", entity: Testland, recognising: [USA, GBR], opposing: [RUS]}
    - {id: spread, kind: contagion}
contagion:
  - id: elsewhere
    name: Elsewhere
    claim: 40
    support: 20
    rules:
      - {on: talks, outcome: passed, claim_change: -10, description: a negotiated deal sets no precedent}
      - {on: act, outcome: passed, claim_change: 10, support_change: 5, delay_months: 2, description: copies the act}
      - {on: rec, outcome: passed, recognitions: 5, by: "2009-12-31", claim_change: 5, description: wide recognition}
      - {on: rec, outcome: passed, recognitions: 150, by: "2009-12-31", claim_change: 50, description: near-universal recognition}
`

func load(t *testing.T, oldNew ...string) *scenario.Scenario {
	t.Helper()
	data := base
	for i := 0; i+1 < len(oldNew); i += 2 {
		if strings.Count(data, oldNew[i]) != 1 {
			t.Fatalf("edit %q does not occur once", oldNew[i])
		}
		data = strings.Replace(data, oldNew[i], oldNew[i+1], 1)
	}
	sc, err := scenario.Parse([]byte(data), "stages.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func outcomes(res *Result) map[string]string {
	m := map[string]string{}
	for _, s := range res.Stages {
		m[s.ID] = s.Outcome
	}
	return m
}

func stage(res *Result, id string) StageResult {
	for _, s := range res.Stages {
		if s.ID == id {
			return s
		}
	}
	return StageResult{}
}

// TestStageConditions plays the process under edits that change each
// stage's outcome and checks which stages run and where the issue ends.
func TestStageConditions(t *testing.T) {
	cases := []struct {
		name     string
		edits    []string
		outcomes map[string]string
		final    float64 // the issue's position after the last stage
		claim    float64 // the linked dispute's claim after contagion
	}{
		{"parties agree within the tolerance: nothing else happens", []string{"tolerance: 5", "tolerance: 70"},
			map[string]string{"talks": "passed", "vote": "skipped", "act": "skipped", "rec": "skipped", "spread": "passed"}, 170.0 / 3, 30},
		{"talks and vote fail: the act, recognition and contagion follow", nil,
			map[string]string{"talks": "failed", "vote": "failed", "act": "passed", "rec": "passed", "spread": "passed"}, 100, 55},
		{"the vote passes: no act", []string{"proposal: 80", "proposal: 55"},
			map[string]string{"talks": "failed", "vote": "passed", "act": "skipped", "rec": "skipped", "spread": "passed"}, 55, 40},
		{"a veto blocks the vote", []string{"proposal: 80", "proposal: 55", "{id: B, actor: b}", "{id: B, actor: b, veto: true}"},
			map[string]string{"talks": "failed", "vote": "failed", "act": "passed", "rec": "passed", "spread": "passed"}, 100, 55},
		{"the vote on the talks' forecast passes", []string{"proposal: 80", "proposal_from: talks"},
			map[string]string{"talks": "failed", "vote": "passed", "act": "skipped", "rec": "skipped", "spread": "passed"}, 170.0 / 3, 40},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := Run(context.Background(), load(t, c.edits...), Options{Seed: 3, Draws: 200})
			if err != nil {
				t.Fatal(err)
			}
			if got := outcomes(res); !reflect.DeepEqual(got, c.outcomes) {
				t.Errorf("outcomes %v, want %v", got, c.outcomes)
			}
			last := res.Stages[len(res.Stages)-1].Issues[0]
			if math.Abs(last.Position-c.final) > 1e-9 {
				t.Errorf("final position %v, want %v", last.Position, c.final)
			}
			if got := res.Contagion[0].Claim; got != c.claim {
				t.Errorf("claim %v, want %v", got, c.claim)
			}
			for i := 1; i < len(res.Events); i++ {
				if res.Events[i].Date < res.Events[i-1].Date {
					t.Errorf("events out of date order: %v", res.Events)
				}
			}
			if (c.outcomes["rec"] == "passed") != (res.Recognition != nil) {
				t.Errorf("recognition result present = %v with outcome %s", res.Recognition != nil, c.outcomes["rec"])
			}
		})
	}
}

func TestTalks(t *testing.T) {
	res, err := Run(context.Background(), load(t), Options{Draws: 100})
	if err != nil {
		t.Fatal(err)
	}
	talks := stage(res, "talks")
	// 10 August to 10 December 2007 is 122 days, 4.01 months of 30.44
	// days: 4 rounds at one round a month.
	if tk := talks.Talks; tk == nil || tk.Rounds != 4 || tk.Agreed || tk.Gap != 70 || math.Abs(tk.Forecast-170.0/3) > 1e-9 {
		t.Fatalf("talks %+v", talks.Talks)
	}
	if talks.Date != "2007-12-10" || talks.Issues[0].Position != 50 {
		t.Errorf("failed talks end on %s with the issue at %v, want the deadline and the status quo 50", talks.Date, talks.Issues[0].Position)
	}
	res, err = Run(context.Background(), load(t, "tolerance: 5", "tolerance: 70", `deadline: "2007-12-10"`, `deadline: "2007-12-10", rounds_per_month: 3`), Options{})
	if err != nil {
		t.Fatal(err)
	}
	talks = stage(res, "talks")
	if tk := talks.Talks; !tk.Agreed || tk.Played != 0 || tk.Rounds != 12 || talks.Date != "2007-08-10" {
		t.Errorf("agreement at the start: %+v on %s", tk, talks.Date)
	}
}

func TestVoteStage(t *testing.T) {
	res, err := Run(context.Background(), load(t), Options{Draws: 100})
	if err != nil {
		t.Fatal(err)
	}
	v := stage(res, "vote").Vote
	// 80 against 50: a (90) yes; b (20) no; c (60) is 20 from the
	// proposal and 10 from the status quo, so no.
	if v == nil || v.Passed || v.Tally.Yes != 1 || v.Tally.No != 2 || v.Proposal != 80 || v.StatusQuo != 50 {
		t.Fatalf("vote %+v", v)
	}
	var e Event
	for _, ev := range res.Events {
		if ev.Stage == "vote" {
			e = ev
		}
	}
	if e.Date != "2007-12-19" || e.Outcome != "failed" || !strings.Contains(e.Description, "1 yes, 2 no, 0 abstaining") {
		t.Errorf("vote event %+v", e)
	}
}

func TestUnilateralAndRecognition(t *testing.T) {
	res, err := Run(context.Background(), load(t), Options{Seed: 5, Draws: 300})
	if err != nil {
		t.Fatal(err)
	}
	act := stage(res, "act")
	if act.Date != "2008-02-17" || act.Issues[0].Position != 100 || act.Issues[0].Forecast != 100 {
		t.Errorf("act %+v", act)
	}
	rc := res.Recognition
	if rc == nil || rc.Start != "2008-02-17" || rc.Draws != 300 || len(rc.States) != 193 {
		t.Fatalf("recognition %+v", rc)
	}
	for _, s := range rc.States {
		if _, ok := s.PBy["2010-12-31"]; !ok {
			t.Fatalf("%s has no probability by the stage's end: %v", s.ISO3, s.PBy)
		}
	}
	// The rule that needs 5 expected recognitions by 2009 fires, the one
	// that needs 150 does not; claim 40 + 10 + 5.
	n, ok := expectedBy(rc, "2009-12-31")
	if !ok || n < 5 || n >= 150 {
		t.Fatalf("expected recognitions by 2009: %v", n)
	}
	if d := res.Contagion[0]; d.Claim != 55 || d.Support != 25 || d.Fired != 2 {
		t.Errorf("contagion %+v", d)
	}
	var copies Event
	for _, e := range res.Events {
		if strings.Contains(e.Description, "copies the act") {
			copies = e
		}
	}
	if copies.Date != "2008-04-17" {
		t.Errorf("the act's contagion two months later is dated %q, want 2008-04-17", copies.Date)
	}
	// Same seed, any number of workers: the same result.
	again, err := Run(context.Background(), load(t), Options{Seed: 5, Draws: 300, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again, res) {
		t.Error("results differ between worker counts")
	}
}

func TestRunErrors(t *testing.T) {
	sc := load(t)
	sc.Process = nil
	if _, err := Run(context.Background(), sc, Options{}); !errors.Is(err, ErrNoProcess) {
		t.Errorf("no process: %v", err)
	}
	sc = load(t)
	sc.Process.StatusQuo = nil // unvalidated: the stage's issue has no status quo
	if _, err := Run(context.Background(), sc, Options{}); err == nil || !strings.Contains(err.Error(), `stage talks: issue "status" has no status quo`) {
		t.Errorf("no status quo: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, load(t), Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	_, err := Run(context.Background(), load(t, "recognising: [USA, GBR]", "recognising: [USA, ATLANTIS]"), Options{Draws: 10})
	if err == nil || !strings.Contains(err.Error(), "stage rec") || !strings.Contains(err.Error(), "ATLANTIS") {
		t.Errorf("unknown state: %v", err)
	}
}

// TestTalksAgreeMidway runs the EUM on the EU car-emission case: Belgium
// moves from 7 to 8.42, 9.61 and then 9.96 in rounds 1–3 (scholz variant),
// within 0.1 of France's 10 for the first time in round 3, so the talks
// end there, three months after the start at one round a month.
func TestTalksAgreeMidway(t *testing.T) {
	sc := fixture.Emission(t)
	sc.Process = &scenario.Process{
		StatusQuo: map[string]float64{sc.Issues[0].ID: 7},
		Stages: []scenario.Stage{{ID: "talks", Kind: scenario.StageTalks, Issue: sc.Issues[0].ID, Model: "eum",
			Start: "2000-01-01", Deadline: "2000-11-01", RoundsPerMonth: 1, Parties: []string{"Belgium", "France"}, Tolerance: 0.1}},
	}
	res, err := Run(context.Background(), sc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	st := res.Stages[0]
	tk := st.Talks
	if !tk.Agreed || tk.Played != 3 || tk.Rounds != 10 || math.Abs(tk.Gap-0.04) > 0.01 {
		t.Fatalf("talks %+v", tk)
	}
	if st.Outcome != "passed" || st.Date != "2000-04-01" || st.Issues[0].Position != tk.Forecast {
		t.Errorf("stage %+v", st)
	}
	// Tolerance 0.01 is never met in 10 rounds.
	sc.Process.Stages[0].Tolerance = 0.01
	res, err = Run(context.Background(), sc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if st := res.Stages[0]; st.Outcome != "failed" || st.Talks.Played != 10 || st.Date != "2000-11-01" || st.Issues[0].Position != 7 {
		t.Errorf("no agreement: %+v %+v", st, st.Talks)
	}
}
