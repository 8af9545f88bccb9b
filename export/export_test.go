package export

import (
	"bytes"
	"context"
	"io"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/parley-project/parley/internal/fixture"
	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/model/registry"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/scenarios"
)

func exporter(t *testing.T, name string) scenario.Exporter {
	t.Helper()
	e, err := Find(name)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// small is a three-actor, two-issue scenario on a 0–10 scale with a
// label, evidence, a range and an actor without a stance on one issue.
func small() *scenario.Scenario {
	ev := []scenario.Evidence{{Source: "s", Paragraph: 1, Text: "said so"}}
	return &scenario.Scenario{
		Name: "small", Title: "Small", Sources: []scenario.Source{{ID: "s", Outlet: "Wire"}},
		Issues: []scenario.Issue{
			{ID: "x", Name: "Issue X", Min: 0, Max: 10, Anchors: []scenario.Anchor{{Value: 10, Label: "all"}}},
			{ID: "y", Name: "Issue Y", Min: 0, Max: 10},
		},
		Actors: []scenario.Actor{
			{ID: "a", Kind: "state", Capability: scenario.N(40), Stances: map[string]scenario.Stance{
				"x": {Position: scenario.Number{Value: 2, Set: true, Evidence: ev}, Salience: scenario.N(90)},
				"y": {Position: scenario.N(8), Salience: scenario.N(80)}}},
			{ID: "b", Kind: "state", Capability: scenario.N(30), Stances: map[string]scenario.Stance{
				"x": {Position: scenario.Number{Value: 9, Set: true, Range: []float64{8, 10}}, Salience: scenario.N(50)},
				"y": {Position: scenario.N(1), Salience: scenario.N(30)}}},
			{ID: "c", Kind: "group", Capability: scenario.N(30), Stances: map[string]scenario.Stance{
				"x": {Position: scenario.N(6), Salience: scenario.N(100)}}},
		},
	}
}

func what(rep *Report) []string {
	var out []string
	for _, n := range rep.Notes {
		out = append(out, n.Kind+" "+n.What)
	}
	return out
}

// TestCheckNotes: what each format loses from a small scenario, by kind
// of note.
func TestCheckNotes(t *testing.T) {
	cases := []struct {
		format, issue string
		keep          bool
		want          []string
	}{
		{"ktab", "", false, []string{"dropped scenario", "dropped sources", "changed issue ids", "dropped scale labels", "changed scales",
			"dropped actor details", "dropped evidence", "dropped uncertainty", "changed saliences", "changed stances"}},
		{"ktab", "", true, []string{"dropped scenario", "dropped sources", "changed issue ids", "dropped scale labels", "changed scales",
			"dropped actor details", "dropped evidence", "dropped uncertainty", "changed saliences", "changed stances"}},
		{"decide", "", false, []string{"dropped scenario", "dropped sources", "dropped actor details", "dropped evidence", "dropped uncertainty"}},
		{"bdm", "y", false, []string{"dropped scenario", "dropped sources", "dropped issues", "changed issue ids", "changed scales",
			"dropped actors", "dropped actor details"}},
	}
	for _, c := range cases {
		rep, err := Write(context.Background(), &bytes.Buffer{}, small(), exporter(t, c.format),
			Options{Issue: c.issue, KeepWeights: c.keep, File: "small.txt"})
		if err != nil {
			t.Fatal(err)
		}
		if got := what(rep); !slices.Equal(got, c.want) {
			t.Errorf("%s (keep %v): notes\n%q\nwant\n%q", c.format, c.keep, got, c.want)
		}
		if len(rep.Forecasts) != 0 {
			t.Errorf("%s: forecasts compared without models: %+v", c.format, rep.Forecasts)
		}
	}
}

// TestCheckDetails: the numbers the notes give for the small scenario.
func TestCheckDetails(t *testing.T) {
	rep, err := Check(context.Background(), small(), mustBytes(t, small(), "ktab", Options{}), exporter(t, "ktab"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(rep.Lines(), "\n")
	wants := []string{
		"dropped scale labels: 1 labelled anchor on 1 issue",
		"changed issue ids: the format keeps no issue ids; read back, x is issue-x, y is issue-y",
		"changed scales: the scale of x, 0 to 10, is written as 0 to 100; the scale of y, 0 to 10, is written as 0 to 100",
		// a's saliences total 1.7 and b's 0.8: only a's are divided.
		"changed saliences: the saliences of 1 actor are divided by their total so that each actor's saliences total at most 100 (KTAB's rule): capability × salience",
		"changed stances: 1 actor–issue pair with no stance",
		"dropped evidence: the source citations behind 1 number",
		"dropped uncertainty: the ranges or standard deviations of 1 number",
		"dropped actor details: 3 kinds",
	}
	if missing := slices.DeleteFunc(wants, func(w string) bool { return strings.Contains(text, w) }); len(missing) > 0 {
		t.Errorf("no %q in\n%s", missing, text)
	}
}

func mustBytes(t *testing.T, sc *scenario.Scenario, format string, opt Options) []byte {
	t.Helper()
	b, err := Bytes(sc, exporter(t, format), opt)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestKeepWeights: an actor whose saliences total more than the scale
// has them divided by the total and its capability multiplied by it, so
// that capability × salience is the same on every issue; the others and
// the scenario itself are unchanged.
func TestKeepWeights(t *testing.T) {
	sc := small()
	kw := KeepWeights(sc)
	if sc.Actors[0].Capability.Value != 40 || sc.Actors[0].Stances["x"].Salience.Value != 90 {
		t.Fatal("KeepWeights changed its argument")
	}
	a := kw.Actors[0]
	if math.Abs(a.Capability.Value-40*1.7) > 1e-12 || math.Abs(a.Stances["x"].Salience.Value-90/1.7) > 1e-12 {
		t.Errorf("actor a: capability %v, salience on x %v", a.Capability.Value, a.Stances["x"].Salience.Value)
	}
	for i := 1; i < 3; i++ { // totals 0.8 and 1.0: unchanged
		if kw.Actors[i].Capability.Value != sc.Actors[i].Capability.Value || kw.Actors[i].Stances["x"].Salience.Value != sc.Actors[i].Stances["x"].Salience.Value {
			t.Errorf("actor %s changed", kw.Actors[i].ID)
		}
	}
	for _, is := range sc.Issues {
		for i := range sc.Actors {
			st, ok := sc.Actors[i].Stances[is.ID]
			if !ok {
				continue
			}
			want := sc.Actors[i].Capability.Value * st.Salience.Value
			got := kw.Actors[i].Capability.Value * kw.Actors[i].Stances[is.ID].Salience.Value
			if math.Abs(got-want) > 1e-9*want {
				t.Errorf("%s on %s: capability × salience %v, want %v", sc.Actors[i].ID, is.ID, got, want)
			}
		}
	}
}

// TestForecastDifferences: with the models given, every model runs on
// both and each issue whose forecast differs is listed with both values
// on the scenario's scale; the mean and the median are kept by
// --keep-weights, smp by the default.
func TestForecastDifferences(t *testing.T) {
	ctx := context.Background()
	sc := fixture.Random(6, 3, 5)
	for i := range sc.Actors { // saliences total 0.3 to 3: some rescaled
		for id, st := range sc.Actors[i].Stances {
			st.Salience.Value = float64(10 + 30*i)
			sc.Actors[i].Stances[id] = st
		}
	}
	reg := model.NewRegistry(mustModel(t, "mean"), mustModel(t, "median"), mustModel(t, "smp"))
	byModel := func(rep *Report) map[string]int {
		n := map[string]int{}
		for _, d := range rep.Forecasts {
			n[d.Model]++
		}
		return n
	}
	plain, err := Write(ctx, &bytes.Buffer{}, sc, exporter(t, "ktab"), Options{Models: reg})
	if err != nil {
		t.Fatal(err)
	}
	if n := byModel(plain); n["mean"] != 3 || n["smp"] != 0 {
		t.Errorf("default: differences by model %v, want the mean's on 3 issues and none of smp", n)
	}
	kept, err := Write(ctx, &bytes.Buffer{}, sc, exporter(t, "ktab"), Options{Models: reg, KeepWeights: true})
	if err != nil {
		t.Fatal(err)
	}
	if n := byModel(kept); n["mean"] != 0 || n["median"] != 0 || n["smp"] == 0 {
		t.Errorf("--keep-weights: differences by model %v, want none of the mean and median, some of smp", n)
	}
	for _, d := range plain.Forecasts {
		res, _ := mustModel(t, d.Model).Run(ctx, sc, model.Options{})
		if v := issueResult(res, d.Issue).Forecast; v != d.Scenario {
			t.Errorf("%s %s: scenario forecast %v, the model gives %v", d.Model, d.Issue, d.Scenario, v)
		}
	}
}

func mustModel(t *testing.T, name string) model.Model {
	t.Helper()
	m, err := registry.Default().Get(name)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestWriteRefuses: a scenario the format cannot hold is refused before
// anything is written.
func TestWriteRefuses(t *testing.T) {
	sc := small()
	sc.Actors = sc.Actors[:2]
	var buf bytes.Buffer
	if _, err := Write(context.Background(), &buf, sc, exporter(t, "ktab"), Options{}); err == nil || buf.Len() > 0 {
		t.Errorf("two actors to KTAB: err %v, %d bytes written", err, buf.Len())
	}
	if _, err := Write(context.Background(), &buf, sc, exporter(t, "decide"), Options{KeepWeights: true}); err == nil || buf.Len() > 0 {
		t.Errorf("--keep-weights with decide: err %v, %d bytes written", err, buf.Len())
	}
	if _, err := Find("csv"); err == nil || !strings.Contains(err.Error(), "want one of ktab, ktab-xml, decide, bdm") {
		t.Errorf("Find(csv) = %v", err)
	}
}

// TestYAMLLosesNothing: Parley's own YAML, checked the same way, loses
// nothing from any built-in scenario, and no model forecasts it
// differently: the check finds no difference where there is none.
func TestYAMLLosesNothing(t *testing.T) {
	yaml := scenario.Exporter{Name: "yaml", Ext: "yaml", Write: func(w io.Writer, sc *scenario.Scenario, _ string) error { return scenario.WriteYAML(w, sc) }}
	for _, name := range scenarios.Names() {
		sc, err := scenarios.Get(name)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := Write(context.Background(), &bytes.Buffer{}, sc, yaml, Options{Models: registry.Default()})
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Empty() {
			t.Errorf("%s: YAML loses\n%s", name, strings.Join(rep.Lines(), "\n"))
		}
	}
}

// TestLargeScenarioSkipsRoundModels: past MaxRoundStances only the
// one-shot models are compared, and the report says which were not.
func TestLargeScenarioSkipsRoundModels(t *testing.T) {
	sc := fixture.Random(MaxRoundStances/2+1, 2, 3)
	rep, err := Write(context.Background(), &bytes.Buffer{}, sc, exporter(t, "ktab"), Options{Models: registry.Default()})
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(rep.Lines(), "\n")
	if !strings.Contains(text, "skipped forecasts: eum, smp, exchange, procedure not compared: the file holds 302 actor–issue stances, more than the 300") {
		t.Errorf("no note of the models not compared in\n%s", text)
	}
	for _, d := range rep.Forecasts {
		if d.Model == "eum" || d.Model == "smp" {
			t.Errorf("%s compared", d.Model)
		}
	}
}

// TestIssueCapabilities: a capability of its own on an issue survives
// Decide's format (a power per row) and BDM's (the issue's capability
// column), so neither notes a loss; KTAB's formats give an actor one
// capability, so they note the loss, and the weighted mean on the issue
// changes.
func TestIssueCapabilities(t *testing.T) {
	sc := small()
	st := sc.Actors[0].Stances["y"]
	st.Capability = scenario.N(sc.Actors[0].Capability.Value * 3)
	sc.Actors[0].Stances["y"] = st
	for _, c := range []struct {
		format, issue string
		lost          bool
	}{{"decide", "", false}, {"bdm", "y", false}, {"ktab", "", true}, {"ktab-xml", "", true}} {
		mean, _ := registry.Default().Get("mean")
		rep, err := Write(context.Background(), io.Discard, sc, exporter(t, c.format), Options{Issue: c.issue, File: "small.txt", Models: model.NewRegistry(mean)})
		if err != nil {
			t.Fatal(err)
		}
		note := ""
		for _, n := range rep.Notes {
			if n.What == "capabilities on issues" {
				note = n.Detail
			}
		}
		if c.lost != (note != "") || c.lost && !strings.Contains(note, "1 stance (1 actor) give the actor a capability of its own on the issue (KTAB's formats give an actor one capability") {
			t.Errorf("%s: note %q", c.format, note)
		}
		changedY := false
		for _, f := range rep.Forecasts {
			changedY = changedY || f.Issue == "y"
		}
		if c.lost && !changedY {
			t.Errorf("%s: the mean on y does not change: %+v", c.format, rep.Forecasts)
		}
	}
}
