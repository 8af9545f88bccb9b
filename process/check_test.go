package process

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/parley-project/parley/model/registry"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/scenarios"
)

// checked is base's header (issue and actors) with a process of a talks
// and a recognition stage written one field a line, so that each
// problem's line tells its field.
var checked = base[:strings.Index(base, "institutions:")] + `process:
  status_quo: {status: 50}
  stages:
    - id: talks
      kind: talks
      issue: status
      model: eum
      variant: paper
      params:
        q: 0.5
      deadline: "2007-12-10"
    - id: act
      kind: unilateral
      issue: status
      actor: a
      position: 100
      date: "2008-02-17"
    - id: rec
      kind: recognition
      after: act
      until: "2010-12-31"
      recognising:
        - USA
        - united_states
      opposing:
        - RUS
      initial:
        - GBR
`

// lineOf is the line of the first occurrence of s in data.
func lineOf(t *testing.T, data, s string) int {
	t.Helper()
	i := strings.Index(data, s)
	if i < 0 {
		t.Fatalf("%q not in the fixture", s)
	}
	return strings.Count(data[:i], "\n") + 1
}

func TestCheck(t *testing.T) {
	cases := []struct {
		name     string
		old, new string
		// at is the text of the fixture (after the edit) on the problem's
		// line; want the problem after "file:line: ".
		at, want string
	}{
		{"good", "", "", "", ""},
		{"unknown model", "model: eum", "model: eumm", "model: eumm",
			`process.stages[0].model: unknown model "eumm" (have mean, median, condorcet, power-mean, eum, smp, exchange, procedure, nash)`},
		{"unknown variant", "variant: paper", "variant: papers", "variant: papers",
			`process.stages[0].variant: model eum has no variant "papers" (have scholz, paper)`},
		{"variant of a model without variants", "model: eum\n      variant: paper\n      params:\n        q: 0.5", "model: mean\n      variant: paper", "variant: paper",
			`process.stages[0].variant: model mean has no variants (got "paper")`},
		{"unknown parameter", "q: 0.5", "qq: 0.5", "qq: 0.5",
			`process.stages[0].params.qq: model eum has no parameter "qq" (have q, t)`},
		{"parameter out of its range", "q: 0.5", "q: 1.5", "q: 1.5",
			`process.stages[0].params.q: parameter q: 1.5 is not allowed (want a number from 0 to 1)`},
		{"parameter given as a word", "q: 0.5", "q: high", "q: high",
			`process.stages[0].params.q: parameter q: "high" is not allowed (want a number from 0 to 1)`},
		{"unknown recognising state", "- united_states", "- ATLANTIS", "- ATLANTIS",
			`process.stages[2].recognising[1]: unknown state "ATLANTIS" (want an ISO3 code of a UN member, e.g. USA, or its name)`},
		{"not a UN member", "- RUS", "- XKX", "- XKX",
			`process.stages[2].opposing[0]: unknown state "XKX" (want an ISO3 code of a UN member, e.g. USA, or its name)`},
		{"unknown initial state", "- GBR", "- gbr_", "- gbr_",
			`process.stages[2].initial[0]: unknown state "gbr_" (want an ISO3 code of a UN member, e.g. USA, or its name)`},
		{"one state on both sides under two names", "- RUS", "- us", "- us",
			`process.stages[2].opposing[0]: "us" (USA) is also among the recognising patrons`},
		{"initial recogniser on the opposing side", "- GBR", "- russia", "- russia",
			`process.stages[2].initial[0]: "russia" (RUS) is a patron of the opposing side, which never recognises`},
		{"horizon beyond the model's", `until: "2010-12-31"`, `until: "2108-12-31"`, `until: "2108-12-31"`,
			`process.stages[2].until: until 2108-12-31 is more than 100 years after the act stage (2008-02-17)`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := checked
			if c.old != "" {
				if strings.Count(data, c.old) != 1 {
					t.Fatalf("edit %q does not occur once", c.old)
				}
				data = strings.Replace(data, c.old, c.new, 1)
			}
			// Alone, Check names the field by path; the scenario itself is
			// valid, so Parse without Check accepts it.
			sc, err := scenario.Parse([]byte(data), "checked.yaml")
			if err != nil {
				t.Fatalf("the edit makes the scenario itself invalid: %v", err)
			}
			ps := Check(registry.Default())(sc)
			_, err = scenario.Parse([]byte(data), "checked.yaml", Check(registry.Default()))
			if c.want == "" {
				if len(ps) != 0 || err != nil {
					t.Fatalf("Check = %v, Parse = %v; want no problems", ps, err)
				}
				return
			}
			field, _, _ := strings.Cut(c.want, ": ")
			if len(ps) != 1 || ps[0].Field != field || ps[0].File != "checked.yaml" || ps[0].Line != 0 {
				t.Errorf("Check = %#v, want one problem at %s", ps, field)
			}
			want := fmt.Sprintf("checked.yaml:%d: %s", lineOf(t, data, c.at), c.want)
			if err == nil || err.Error() != want {
				t.Errorf("Parse with Check:\n got %v\nwant %s", err, want)
			}
		})
	}
}

// TestStageParamNotScalar: a stage parameter that is not a number, a
// boolean or a word is refused by the scenario reader at its line.
func TestStageParamNotScalar(t *testing.T) {
	data := strings.Replace(checked, "q: 0.5", "q: [0.5]", 1)
	_, err := scenario.Parse([]byte(data), "checked.yaml", Check(registry.Default()))
	want := fmt.Sprintf("checked.yaml:%d: process.stages[0].params.q: parameter value: want a number, true or false, or a string", lineOf(t, data, "q: [0.5]"))
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

// TestCheckLeavesValidateProblems: what scenario.Validate reports is not
// reported twice, and Check's problems join the scenario's own in line
// order.
func TestCheckLeavesValidateProblems(t *testing.T) {
	data := strings.NewReplacer("model: eum", "model: \"\"", "- RUS", "- USA", "- GBR", "- XYZ", `name: stages`, `name: ""`).Replace(checked)
	_, err := scenario.Parse([]byte(data), "checked.yaml", Check(registry.Default()))
	want := strings.Join([]string{
		`checked.yaml:1: name: missing scenario name`,
		fmt.Sprintf(`checked.yaml:%d: process.stages[0].model: missing model name`, lineOf(t, data, "model:")),
		fmt.Sprintf(`checked.yaml:%d: process.stages[2].recognising[0]: "USA" is on both sides`, lineOf(t, data, "- USA")),
		fmt.Sprintf(`checked.yaml:%d: process.stages[2].initial[0]: unknown state "XYZ" (want an ISO3 code of a UN member, e.g. USA, or its name)`, lineOf(t, data, "- XYZ")),
	}, "\n")
	if err == nil || err.Error() != want {
		t.Errorf("got\n%v\nwant\n%s", err, want)
	}
	if ps := Check(registry.Default())(&scenario.Scenario{Name: "none"}); ps != nil {
		t.Errorf("Check without a process = %v", ps)
	}
	if ps := Check(registry.Default())(nil); ps != nil {
		t.Errorf("Check(nil) = %v", ps)
	}
}

// TestCheckAgreesWithRun: a process that Check finds wrong fails to run
// with the same message, and the sound fixture runs.
func TestCheckAgreesWithRun(t *testing.T) {
	for _, edit := range [][2]string{{"", ""}, {"model: eum", "model: eumm"}, {"- RUS", "- XKX"}, {"variant: paper", "variant: papers"}} {
		data := strings.Replace(checked, edit[0], edit[1], 1)
		sc, err := scenario.Parse([]byte(data), "checked.yaml")
		if err != nil {
			t.Fatal(err)
		}
		ps := Check(registry.Default())(sc)
		_, err = Run(context.Background(), sc, Options{Seed: 1, Draws: 20, Workers: 1})
		switch {
		case len(ps) == 0 && err != nil:
			t.Errorf("%v: Check finds nothing but Run fails: %v", edit, err)
		case len(ps) > 0 && (err == nil || !strings.Contains(err.Error(), ps[0].Msg)):
			t.Errorf("%v: Check says %q, Run %v", edit, ps[0].Msg, err)
		}
	}
}

// TestCheckBuiltins: every built-in scenario passes Check.
func TestCheckBuiltins(t *testing.T) {
	for _, name := range scenarios.Names() {
		if _, err := scenarios.Get(name, Check(registry.Default())); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestCheckStage: CheckStage reports one stage's problems under that
// stage's index, for the stage given in its place, so a copy with a
// setting cleared is checked without it.
func TestCheckStage(t *testing.T) {
	data := strings.NewReplacer("model: eum", "model: eumm", "- RUS", "- XKX", `until: "2010-12-31"`, `until: "2108-12-31"`).Replace(checked)
	sc, err := scenario.Parse([]byte(data), "checked.yaml")
	if err != nil {
		t.Fatal(err)
	}
	fields := func(ps scenario.Problems) string {
		var fs []string
		for _, p := range ps {
			fs = append(fs, p.Field)
		}
		return strings.Join(fs, " ")
	}
	rec := sc.Process.Stages[2]
	cases := []struct {
		name string
		i    int
		st   *scenario.Stage
		want string
	}{
		{"talks", 0, &sc.Process.Stages[0], "process.stages[0].model"},
		{"unilateral", 1, &sc.Process.Stages[1], ""},
		{"recognition", 2, &rec, "process.stages[2].opposing[0] process.stages[2].until"},
		{"recognition without its opposing list and until", 2, &scenario.Stage{ID: rec.ID, Kind: rec.Kind, After: rec.After,
			Recognising: rec.Recognising, Initial: rec.Initial}, ""},
		{"recognition checked in another's place", 0, &rec, "process.stages[0].opposing[0] process.stages[0].until"},
		{"no stage", 0, nil, ""},
	}
	for _, c := range cases {
		if got := fields(CheckStage(sc, c.i, c.st, registry.Default())); got != c.want {
			t.Errorf("%s: problems at %q, want %q", c.name, got, c.want)
		}
	}
	if got, want := fields(Check(registry.Default())(sc)), "process.stages[0].model process.stages[2].opposing[0] process.stages[2].until"; got != want {
		t.Errorf("Check: problems at %q, want %q", got, want)
	}
}
