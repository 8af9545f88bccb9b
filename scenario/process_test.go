package scenario

import (
	"testing"

	"github.com/parley-project/parley/institution"
)

// processYAML is a small valid scenario with every process section. Line
// numbers in the tests below refer to it.
const processYAML = `name: process-test
as_of: "2007-08-10"
sources:
  - {id: s, outlet: Test, date: 2007-12}
issues:
  - {id: status, min: 0, max: 100}
actors:
  - {id: a, capability: 1, stances: {status: {position: 90, salience: 50}}}
  - {id: b, capability: 1, stances: {status: {position: 20, salience: 50}}}
  - {id: c, capability: 1, stances: {status: {position: 40, salience: 50}}}
institutions:
  - id: council
    rule: votes
    threshold: {votes: 2}
    members:
      - {id: A, actor: a, veto: true}
      - {id: B, actor: b}
      - {id: C, actor: c}
    votes:
      - {member: C, vote: "yes", reason: promised, evidence: [{source: s, paragraph: 2, text: C promised support.}]}
  - {id: unsc, builtin: unsc-2008, actors: {USA: a, RUS: b}}
process:
  status_quo: {status: 50}
  stages:
    - {id: talks, kind: talks, issue: status, model: mean, deadline: "2007-12-10", rounds_per_month: 1, parties: [a, b], tolerance: 5}
    - {id: vote, kind: vote, issue: status, body: council, proposal_from: talks, date: "2007-12-19", when: {failed: [talks]}}
    - {id: act, kind: unilateral, issue: status, actor: a, position: 100, date: "2008-02-17", when: {failed: [talks, vote]}, condition: no deal}
    - {id: rec, kind: recognition, after: act, until: "2010-12-31", recognising: [USA], opposing: [RUS]}
    - {id: spread, kind: contagion}
contagion:
  - id: elsewhere
    claim: 40
    support: 20
    rules:
      - {on: act, outcome: passed, claim_change: 10, support_change: 5, delay_months: 2, description: copies the act}
      - {on: rec, outcome: passed, recognitions: 10, by: "2009-12-31", claim_change: 5, description: wide recognition}
`

func TestProcessSections(t *testing.T) {
	sc, err := Parse([]byte(processYAML), "p.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(sc.Institutions) != 2 || sc.Process == nil || len(sc.Process.Stages) != 5 || len(sc.Contagion) != 1 {
		t.Fatalf("sections not read: %+v", sc)
	}
	in := sc.Institution("council")
	b, err := in.Body()
	if err != nil {
		t.Fatal(err)
	}
	if b.Rule != institution.Votes || b.Threshold.Votes != 2 || len(b.Members) != 3 || b.Members[0].Weight != 1 || !b.Members[0].Veto {
		t.Errorf("custom body %+v", b)
	}
	if got := sc.Positions(in, b, "status"); got["A"] != 90 || got["B"] != 20 || got["C"] != 40 {
		t.Errorf("positions %v", got)
	}
	opt := in.VoteOptions()
	if r := opt.Members["C"]; r.Vote != institution.Yes || r.Reason != "promised [source s ¶2]" {
		t.Errorf("explicit vote %+v", r)
	}
	// A vote that C's rule decides: 90 and 40 against the status quo 50
	// on the proposal 80: A yes, B no, C yes by rule.
	out := b.Vote(80, 50, sc.Positions(in, b, "status"), opt)
	if !out.Passed || out.Tally.Yes != 2 {
		t.Errorf("council vote %+v", out)
	}
	u := sc.Institution("unsc")
	ub, err := u.Body()
	if err != nil || len(ub.Members) != 15 || ub.Name != "UN Security Council (2008)" || u.MemberActor("RUS") != "b" || u.MemberActor("CHN") != "" {
		t.Errorf("built-in reference: %v, %+v", err, ub)
	}
}

func TestProcessProblems(t *testing.T) {
	p := func(oldNew ...string) string { return edit(processYAML, oldNew...) }
	tests := []struct {
		name string
		data string
		want []want
	}{
		{"unknown built-in", p("builtin: unsc-2008", "builtin: unsc-1999"),
			[]want{{21, "institutions[1].builtin", `no built-in body "unsc-1999"`}}},
		{"unknown rule", p("rule: votes", "rule: plurality"),
			[]want{{13, "institutions[0].rule", `unknown rule "plurality"`}}},
		{"threshold above the members", p("threshold: {votes: 2}", "threshold: {votes: 4}"),
			[]want{{12, "institutions[0]", "vote threshold between 0 and the total weight 3"}}},
		{"member actor unknown", p("{id: B, actor: b}", "{id: B, actor: z}"),
			[]want{{17, "institutions[0].members[1].actor", `unknown actor "z"`}}},
		{"vote by a non-member", p("{member: C,", "{member: D,"),
			[]want{{20, "institutions[0].votes[0].member", `"D" is not a member of council`}}},
		{"vote not a choice", p(`vote: "yes"`, "vote: maybe"),
			[]want{{20, "institutions[0].votes[0].vote", `unknown vote "maybe"`}}},
		{"vote evidence from unknown source", p("evidence: [{source: s, paragraph: 2", "evidence: [{source: x, paragraph: 2"),
			[]want{{20, "institutions[0].votes[0].evidence[0].source", `unknown source "x"`}}},
		{"actors map a non-member", p("actors: {USA: a, RUS: b}", "actors: {USA: a, XXX: b}"),
			[]want{{21, "institutions[1].actors.XXX", `"XXX" is not a member of unsc`}}},
		{"status quo off the scale", p("status_quo: {status: 50}", "status_quo: {status: 150}"),
			[]want{{23, "process.status_quo.status", "status quo 150 is outside the scale 0 to 100"}}},
		{"stage issue without a status quo", p("status_quo: {status: 50}", "status_quo: {}"),
			[]want{
				{25, "process.stages[0].issue", `issue "status" has no status quo`},
				{26, "process.stages[1].issue", `issue "status" has no status quo`},
				{27, "process.stages[2].issue", `issue "status" has no status quo`},
			}},
		{"unknown stage kind", p("kind: talks", "kind: summit"),
			[]want{
				{25, "process.stages[0].kind", `unknown stage kind "summit"`},
				{26, "process.stages[1].proposal_from", `"talks" is not an earlier talks stage`},
			}},
		{"deadline before start", p(`deadline: "2007-12-10"`, `deadline: "2007-01-10"`),
			[]want{{25, "process.stages[0].deadline", "deadline 2007-01-10 is not after the start 2007-08-10"}}},
		{"too many rounds", p("rounds_per_month: 1,", "rounds_per_month: 1e9,"),
			[]want{{25, "process.stages[0].rounds_per_month", "4.0 months at 1e+09 rounds a month make 4008213552 rounds; talks may have at most 1000"}}},
		{"too many rounds at the default rate", p(`deadline: "2007-12-10"`, `deadline: "9999-12-31"`),
			[]want{{25, "process.stages[0].rounds_per_month", "95906.7 months at 1 round a month make 95907 rounds"},
				{26, "process.stages[1]", "comes before the previous stage (9999-12-31)"}}},
		{"unknown party", p("parties: [a, b]", "parties: [a, x]"),
			[]want{{25, "process.stages[0].parties[1]", `unknown actor "x"`}}},
		{"unknown body", p("body: council", "body: senate"),
			[]want{{26, "process.stages[1].body", `unknown institution "senate"`}}},
		{"proposal from a non-talks stage", p("proposal_from: talks", "proposal_from: act"),
			[]want{{26, "process.stages[1].proposal_from", `"act" is not an earlier talks stage`}}},
		{"condition on a later stage", p("when: {failed: [talks]}", "when: {failed: [act]}"),
			[]want{{26, "process.stages[1].when.failed[0]", `"act" is not an earlier stage`}}},
		{"act off the scale", p("position: 100", "position: 101"),
			[]want{{27, "process.stages[2].position", "101 is outside the scale 0 to 100"}}},
		{"act before the vote", p(`date: "2008-02-17"`, `date: "2007-12-01"`),
			[]want{{27, "process.stages[2]", "comes before the previous stage (2007-12-19)"}}},
		{"recognition after a vote", p("after: act", "after: vote"),
			[]want{{28, "process.stages[3].after", `"vote" is not an earlier unilateral stage`}}},
		{"patron on both sides", p("opposing: [RUS]", "opposing: [USA]"),
			[]want{{28, "process.stages[3].recognising[0]", `"USA" is on both sides`}}},
		{"claim off the scale", p("claim: 40", "claim: 140"),
			[]want{{32, "contagion[0].claim", "claim 140 is outside 0 to 100"}}},
		{"rule on an unknown stage", p("{on: act,", "{on: war,"),
			[]want{{35, "contagion[0].rules[0].on", `unknown stage "war"`}}},
		{"rule outcome", p("outcome: passed, claim_change: 10", "outcome: won, claim_change: 10"),
			[]want{{35, "contagion[0].rules[0].outcome", `outcome must be passed or failed, got "won"`}}},
		{"recognitions without a date", p(`recognitions: 10, by: "2009-12-31",`, "recognitions: 10,"),
			[]want{{36, "contagion[0].rules[1].by", "missing date"}}},
		{"contagion before the stage its rule reads", p("    - {id: spread, kind: contagion}\n", "", "    - {id: rec, kind: recognition", "    - {id: spread, kind: contagion}\n    - {id: rec, kind: recognition"),
			[]want{
				{37, "contagion[0].rules[1].on", `stage "rec" comes after the contagion stage`},
				{37, "contagion[0].rules[1].recognitions", "needs a recognition stage before the contagion stage"},
			}},
		{"bad as_of reported once, not again for a talks stage without a start", p(`as_of: "2007-08-10"`, `as_of: "2007-8-10"`),
			[]want{{2, "as_of", `date "2007-8-10" is not of the form YYYY-MM-DD`}}},
		{"misspelt stage field", p("rounds_per_month: 1", "rounds_per_moth: 1"),
			[]want{{25, "process.stages[0].rounds_per_moth", "unknown field"}}},
		{"window and date", p(`date: "2008-02-17"`, `date: "2008-02-17", window: ["2008-01-01", "2008-02-29"]`),
			[]want{{27, "process.stages[2].window", "give either date or window, not both"}}},
		{"window of one date", p(`date: "2008-02-17"`, `window: ["2008-01-01"]`),
			[]want{{27, "process.stages[2].window", "want [first day, last day], got 1 dates"}}},
		{"window backwards", p(`date: "2008-02-17"`, `window: ["2008-02-29", "2008-01-01"]`),
			[]want{{27, "process.stages[2].window", "the window ends (2008-01-01) before it starts (2008-02-29)"}}},
		{"window too long", p(`date: "2008-02-17"`, `window: ["2008-01-01", "2028-01-01"]`),
			[]want{{27, "process.stages[2].window", "a window of more than 3660 days"},
				{28, "process.stages[3].until", "until 2010-12-31 is not after the act stage (2028-01-01)"}}},
		{"window bad date", p(`date: "2008-02-17"`, `window: ["2008-01-01", "2008-02-30"]`),
			[]want{{27, "process.stages[2].window[1]", `date "2008-02-30" is not of the form YYYY-MM-DD`}}},
		{"until inside the window", p(`date: "2008-02-17"`, `window: ["2008-01-01", "2011-02-28"]`),
			[]want{{28, "process.stages[3].until", "until 2010-12-31 is not after the act stage (2011-02-28)"}}},
		{"parent among the patrons", p("opposing: [RUS]", "opposing: [RUS], parent: RUS"),
			[]want{{28, "process.stages[3].parent", `"RUS" is the parent state and cannot also be a patron`}}},
		{"delay range backwards", p("delay_months: 2,", "delay_months: 2, delay_months_max: 1,"),
			[]want{{35, "contagion[0].rules[0].delay_months_max", "1 is below delay_months (2)"}}},
		{"delay too long", p("delay_months: 2,", "delay_months: 2, delay_months_max: 5000,"),
			[]want{{35, "contagion[0].rules[0].delay_months_max", "must be at most 1200, got 5000"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.data), "p.yaml")
			checkProblems(t, err, "p.yaml", tt.want)
		})
	}
}

// FuzzParseProcess feeds the parser scenarios with institutions, process
// and contagion sections; checkParse holds it to the parser's contract.
func FuzzParseProcess(f *testing.F) {
	f.Add([]byte(processYAML))
	f.Add([]byte(edit(processYAML, "kind: talks", "kind: [talks]")))
	f.Add([]byte(edit(processYAML, "status_quo: {status: 50}", "status_quo: [50]")))
	f.Add([]byte(edit(processYAML, "proposal_from: talks", "proposal: {value: .nan}")))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkParse(t, data)
	})
}
