package scenario_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/parley-project/parley/scenario"
)

const whatIfScenario = `
name: budget
salience_scale: 100
issues:
  - {id: tax, name: Top tax rate, min: 20, max: 60}
  - {id: v.a.t, name: Value added tax, min: 0, max: 30}
actors:
  - id: gov
    capability: {value: 60, range: [50, 70], note: seats}
    stances: {tax: {position: 45, salience: 80}, v.a.t: {position: 20, salience: 40}}
  - id: opp
    capability: 40
    stances: {tax: {position: {value: 30, range: [25, 35]}, salience: 50}}
  - id: the.greens
    capability: 10
    stances: {tax: {position: 55, salience: 30}, v.a.t: {position: 10, salience: 20}}
institutions:
  - id: house
    members:
      - {id: g, actor: gov, weight: 60}
      - {id: o, actor: opp, weight: 40}
      - {id: gr, weight: 10}
    actors: {gr: the.greens}
    rule: simple-majority
process:
  status_quo: {tax: 40}
  stages:
    - {id: talks, kind: talks, issue: tax, model: eum, start: "2020-01-01", deadline: "2020-06-01", parties: [gov, opp, the.greens]}
`

func parseWhatIf(t *testing.T) *scenario.Scenario {
	t.Helper()
	sc, err := scenario.Parse([]byte(whatIfScenario), "budget.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func TestParseSetting(t *testing.T) {
	for _, c := range []struct {
		in   string
		want scenario.Setting
		err  string
	}{
		{in: "gov.capability=30", want: scenario.Setting{Actor: "gov", Field: "capability", Value: 30}},
		{in: "gov.tax.position=41.5", want: scenario.Setting{Actor: "gov", Issue: "tax", Field: "position", Value: 41.5}},
		{in: " opp.tax.salience = 7 ", want: scenario.Setting{Actor: "opp", Issue: "tax", Field: "salience", Value: 7}},
		// An actor's capability or its capability on one issue: Apply tells
		// them apart by the scenario's ids.
		{in: "the.greens.capability=1e1", want: scenario.Setting{Actor: "the", Issue: "greens", Field: "capability", Value: 10}},
		{in: "gov.tax.capability=5", want: scenario.Setting{Actor: "gov", Issue: "tax", Field: "capability", Value: 5}},
		{in: "gov.capability", err: "want ACTOR.ISSUE.position=V"},
		{in: "gov.capability=x", err: `the value "x" is not a finite number`},
		{in: "gov.capability=Inf", err: "not a finite number"},
		{in: "gov.power=3", err: `"power" is not a number a what-if sets`},
		{in: "gov.position=3", err: "ACTOR.ISSUE.position=V"},
		{in: "capability=3", err: "name the number"},
		{in: ".capability=3", err: "no actor named"},
	} {
		got, err := scenario.ParseSetting(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("ParseSetting(%q) = %+v, %v; want an error with %q", c.in, got, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("ParseSetting(%q) = %+v, %v; want %+v", c.in, got, err, c.want)
		}
		if back, err := scenario.ParseSetting(got.String()); err != nil || back != got {
			t.Errorf("%q written back as %q reads %+v, %v", c.in, got.String(), back, err)
		}
	}
}

func TestWhatIfApply(t *testing.T) {
	sc := parseWhatIf(t)
	before, _ := json.Marshal(sc)
	w := &scenario.WhatIf{
		Set:  []string{"gov.capability=65", "opp.tax.position=40", "gov.v.a.t.salience=90", "opp.v.a.t.position=5", "opp.v.a.t.salience=60", "the.greens.capability=1", "opp.tax.capability=12"},
		Drop: nil,
	}
	out, err := w.Apply(sc)
	if err != nil {
		t.Fatal(err)
	}
	if after, _ := json.Marshal(sc); string(after) != string(before) {
		t.Error("Apply changed the scenario it was given")
	}
	gov, opp := out.Actor("gov"), out.Actor("opp")
	// 65 lies in the capability's range [50, 70]: the range and note stay.
	if c := gov.Capability; c.Value != 65 || len(c.Range) != 2 || c.Note != "seats" {
		t.Errorf("gov capability %+v", c)
	}
	// 40 lies outside opp's position range [25, 35]: the range goes.
	if p := opp.Stances["tax"].Position; p.Value != 40 || p.Range != nil {
		t.Errorf("opp tax position %+v", p)
	}
	if s := gov.Stances["v.a.t"].Salience.Value; s != 90 {
		t.Errorf("gov salience on v.a.t %v", s)
	}
	// A capability on one issue is the stance's; the actor's stays.
	if c, all := opp.CapabilityOn("tax"), opp.Capability.Value; c != 12 || all == 12 {
		t.Errorf("opp's capability on tax %v, in all %v", c, all)
	}
	if c := out.Actor("the.greens").Capability.Value; c != 1 {
		t.Errorf("the.greens's capability %v", c)
	}
	if st, ok := opp.Stances["v.a.t"]; !ok || st.Position.Value != 5 || st.Salience.Value != 60 {
		t.Errorf("opp's new stance on v.a.t %+v", st)
	}
	if c := out.Actor("the.greens").Capability.Value; c != 1 {
		t.Errorf("the.greens capability %v", c)
	}
}

func TestWhatIfDrop(t *testing.T) {
	sc := parseWhatIf(t)
	out, err := (&scenario.WhatIf{Drop: []string{"the.greens"}}).Apply(sc)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(out.ActorIDs(), ","); got != "gov,opp" {
		t.Errorf("actors %s", got)
	}
	if got := strings.Join(out.Process.Stages[0].Parties, ","); got != "gov,opp" {
		t.Errorf("talks parties %s", got)
	}
	if _, ok := out.Institutions[0].Actors["gr"]; ok {
		t.Errorf("the house still maps gr to the dropped actor: %v", out.Institutions[0].Actors)
	}
	if len(sc.Actors) != 3 || len(sc.Process.Stages[0].Parties) != 3 {
		t.Error("Apply changed the scenario it was given")
	}
	out, err = (&scenario.WhatIf{Drop: []string{"opp"}}).Apply(sc)
	if err != nil {
		t.Fatal(err)
	}
	if a := out.Institutions[0].Members[1].Actor; a != "" {
		t.Errorf("member o still votes by %q", a)
	}
}

func TestWhatIfErrors(t *testing.T) {
	sc := parseWhatIf(t)
	for _, c := range []struct {
		w   scenario.WhatIf
		err string
	}{
		{scenario.WhatIf{Set: []string{"russia.capability=3"}}, `"russia.capability=3": no actor "russia" (have gov, opp, the.greens)`},
		{scenario.WhatIf{Set: []string{"gov.cfe.position=3"}}, `no issue "cfe" (have tax, v.a.t)`},
		{scenario.WhatIf{Set: []string{"gov.tax.position=70"}}, "position 70 is outside the scale 20 to 60 of tax"},
		{scenario.WhatIf{Set: []string{"gov.tax.salience=101"}}, "a salience is from 0 to 100"},
		{scenario.WhatIf{Set: []string{"gov.capability=-1"}}, "a capability is 0 or more"},
		{scenario.WhatIf{Set: []string{"opp.v.a.t.position=5"}}, "opp holds no position on v.a.t: set opp.v.a.t.salience as well"},
		{scenario.WhatIf{Set: []string{"opp.v.a.t.salience=5"}}, "opp holds no position on v.a.t: set ACTOR.ISSUE.position as well"},
		{scenario.WhatIf{Drop: []string{"nobody"}}, `drop "nobody": no actor "nobody"`},
		{scenario.WhatIf{Drop: []string{""}}, "an empty actor id"},
		// Without gov and opp, the tax issue has one actor left.
		{scenario.WhatIf{Drop: []string{"gov", "opp"}}, "the scenario with the what-if"},
	} {
		_, err := c.w.Apply(sc)
		if err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("%s: %v; want %q", c.w.String(), err, c.err)
		}
	}
}

func TestWhatIfEmpty(t *testing.T) {
	sc := parseWhatIf(t)
	var w *scenario.WhatIf
	if out, err := w.Apply(sc); err != nil || out != sc {
		t.Errorf("a nil what-if gave %p, %v; want the scenario itself", out, err)
	}
	if s := (&scenario.WhatIf{Set: []string{"a.capability=1"}, Drop: []string{"b"}}).String(); s != "a.capability=1; drop b" {
		t.Errorf("String %q", s)
	}
}

func FuzzParseSetting(f *testing.F) {
	for _, s := range []string{"gov.capability=30", "a.b.position=1", "a.b.c.salience=-0", "=", "a.=1", ".position=2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		st, err := scenario.ParseSetting(s)
		if err != nil {
			return
		}
		back, err := scenario.ParseSetting(st.String())
		if err != nil || back != st {
			t.Errorf("%q reads %+v, written back as %q reads %+v, %v", s, st, st.String(), back, err)
		}
	})
}

func ExampleWhatIf_Apply() {
	sc, _ := scenario.Parse([]byte(whatIfScenario), "budget.yaml")
	w := scenario.WhatIf{Set: []string{"gov.capability=30"}, Drop: []string{"the.greens"}}
	out, err := w.Apply(sc)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(w.String())
	fmt.Println(out, "capability of gov:", out.Actor("gov").Capability.Value)
	// Output:
	// gov.capability=30; drop the.greens
	// budget (2 issues, 2 actors) capability of gov: 30
}
