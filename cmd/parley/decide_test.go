package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/model/registry"
)

const (
	verkiezing = "../../testdata/reference/decide/verkiezing-2012.csv"
	cop21      = "../../testdata/reference/decide/cop21.csv"
)

// TestDecideWarning: Decide's own "verkiezing 2012.csv" (an unquoted
// comment first row, an actor with an #A row and no #D rows) validates
// and runs, and the idle actor is named on standard error with file,
// line and field.
func TestDecideWarning(t *testing.T) {
	const warn = `parley: warning: ../../testdata/reference/decide/verkiezing-2012.csv:12: #A field id: actor "50+" has no #D rows; left out`
	code, out, errs := parley("validate", verkiezing)
	if code != 0 || !strings.Contains(out, "ok, verkiezing-2012 (11 issues, 10 actors), format decide") || !strings.Contains(errs, warn) {
		t.Errorf("validate: exit %d\n%s\n%s", code, out, errs)
	}
	code, _, errs = parley("forecast", "--no-store", "--model", "exchange", "--rounds", "1", verkiezing)
	if code != 0 || !strings.Contains(errs, warn) {
		t.Errorf("forecast: exit %d\n%s", code, errs)
	}
}

// TestExchangeOptions runs the exchange model's options from the command
// line: subsets of actors and issues, p, repetitions and a range of p.
func TestExchangeOptions(t *testing.T) {
	type doc struct {
		Issues []struct {
			ID     string
			Rounds []struct{ Positions map[string]float64 }
		}
		Exchanges   []struct{ Actors []string }
		Repetitions int
		ActorGains  []struct {
			Round int
			Actor string
			Own   struct{ Mean, Variance float64 }
		} `json:"actor_gains"`
		IssueVoting []struct{ Issue string } `json:"issue_voting"`
	}
	read := func(args ...string) doc {
		t.Helper()
		code, out, errs := parley(append([]string{"forecast", "--no-store", "--model", "exchange", "--json"}, args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		var d doc
		if err := json.Unmarshal([]byte(out), &d); err != nil {
			t.Fatal(err)
		}
		return d
	}
	d := read("--rounds", "2", "--actors", "EU28;USA,China", "--issues", "mrv;legal;progress", cop21)
	var ids []string
	for _, ir := range d.Issues {
		ids = append(ids, ir.ID)
		if n := len(ir.Rounds[0].Positions); n != 3 {
			t.Errorf("%s: %d actors", ir.ID, n)
		}
	}
	if !reflect.DeepEqual(ids, []string{"mrv", "legal", "progress"}) || len(d.ActorGains) != 2*3 || len(d.IssueVoting) != 2*3 {
		t.Errorf("issues %v, %d actor gains, %d issue summaries", ids, len(d.ActorGains), len(d.IssueVoting))
	}
	for _, e := range d.Exchanges {
		for _, a := range e.Actors {
			if a != "EU28" && a != "USA" && a != "China" {
				t.Errorf("exchange with %s", a)
			}
		}
	}
	d = read("--rounds", "2", "-p", "p=0.4", "-p", "repetitions=3", cop21)
	spread := 0.0
	for _, g := range d.ActorGains {
		spread += g.Own.Variance
	}
	if d.Repetitions != 3 || spread == 0 {
		t.Errorf("repetitions %d, spread of own gains %v", d.Repetitions, spread)
	}

	code, out, errs := parley("forecast", "--no-store", "--model", "exchange", "--rounds", "2", "--json", "--param-range", "p=0:0.5:1", cop21)
	var r struct {
		Param   string
		Values  []float64
		Results []json.RawMessage
	}
	if code != 0 || json.Unmarshal([]byte(out), &r) != nil || r.Param != "p" || !reflect.DeepEqual(r.Values, []float64{0, 0.5, 1}) || len(r.Results) != 3 {
		t.Fatalf("param range: exit %d %s: %+v", code, errs, r)
	}
	_, plain, _ := parley("forecast", "--no-store", "--model", "exchange", "--rounds", "2", "--json", cop21)
	var a, b any
	if json.Unmarshal(r.Results[0], &a) != nil || json.Unmarshal([]byte(plain), &b) != nil || !reflect.DeepEqual(a, b) {
		t.Error("the range's p = 0 differs from the plain forecast")
	}
	code, out, _ = parley("forecast", "--no-store", "--model", "exchange", "--rounds", "1", "--param-range", "p=0.2:0.3:0.8", cop21)
	if code != 0 || !strings.Contains(out, "p over 3 values") || !strings.Contains(out, "Own gain by p") || !strings.Contains(out, "\n0.8  ") {
		t.Errorf("param range text: exit %d\n%s", code, out)
	}
}

// TestExchangeBadInput: bad values of the new options and per-issue
// capabilities exit with status 2 and say what and where.
func TestExchangeBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	stage := write("stage.yaml", `name: stage
issues:
  - {id: status, min: 0, max: 100}
  - {id: aid, min: 0, max: 100}
actors:
  - {id: a, capability: 1, stances: {status: {position: 0, salience: 50}, aid: {position: 10, salience: 80}}}
  - {id: b, capability: 2, stances: {status: {position: 100, salience: 90}, aid: {position: 90, salience: 20, capability: -1}}}
process:
  status_quo: {status: 50}
  stages:
    - id: talks
      kind: talks
      issue: status
      model: exchange
      params: {p: 1.5}
      start: "2007-08-10"
      deadline: "2007-12-10"
      rounds_per_month: 1
      parties: [a, b]
`)
	power := write("power.txt", "'#A'\t'a'\t'a'\t''\n'#P'\t'p'\t'p'\t''\n'#P'\t'q'\t'q'\t''\n'#D'\t'a'\t'p'\t1\t1\t1\n'#D'\t'a'\t'q'\t1\t1\tnan\n")
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"validate", stage}, []string{stage + ":7: actors[1].stances.aid.capability: capability must not be negative, got -1",
			stage + ":15: process.stages[0].params.p: parameter p: 1.5 is not allowed (want a number from 0 to 1)"}},
		{[]string{"forecast", "--no-store", "--model", "exchange", power}, []string{power + `:5: #D field power: "nan" is not a finite number`}},
		{[]string{"forecast", "--no-store", "--model", "exchange", "-p", "p=2", cop21}, []string{"parameter p: 2 is not allowed (want a number from 0 to 1)"}},
		{[]string{"forecast", "--no-store", "--model", "exchange", "--variant", "random-rate", "-p", "p=0.5", cop21}, []string{"randomised equal gain belongs to the equal-gain variant"}},
		{[]string{"forecast", "--no-store", "--model", "exchange", "-p", "repetitions=0", cop21}, []string{"parameter repetitions: 0 is not allowed"}},
		{[]string{"forecast", "--no-store", "--model", "exchange", "--actors", "EU28;Nobody", cop21}, []string{`--actors/--issues: unknown actor "Nobody"`}},
		{[]string{"forecast", "--no-store", "--model", "exchange", "--issues", "mrv;nothing", cop21}, []string{`--actors/--issues: unknown issue "nothing"`}},
		{[]string{"forecast", "--no-store", "--model", "exchange", "--param-range", "p=0:0.1", cop21}, []string{"want NAME=START:STEP:STOP"}},
		{[]string{"forecast", "--no-store", "--model", "exchange", "--param-range", "p=0:0.5:2", cop21}, []string{"--param-range p=1.5: parameter p: 1.5 is not allowed"}},
		{[]string{"forecast", "--no-store", "--model", "exchange", "--param-range", "p=0:0.001:1", cop21}, []string{"1001 values; at most 256"}},
		{[]string{"forecast", "--no-store", "--model", "exchange", "--param-range", "exact=0:1:1", cop21}, []string{"a bool parameter"}},
		{[]string{"forecast", "--no-store", "--model", "exchange", "--param-range", "p=0:0.5:1", "-p", "p=0.5", cop21}, []string{"also set with -p"}},
		{[]string{"forecast", "--no-store", "--model", "exchange", "--param-range", "q=0:0.5:1", cop21}, []string{"--param-range:", `"q"`}},
	} {
		code, _, errs := parley(c.args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2\n%s", c.args, code, errs)
		}
		for _, w := range c.want {
			if !strings.Contains(errs, w) {
				t.Errorf("%v: no %q in\n%s", c.args, w, errs)
			}
		}
	}
}

// TestForecastBadInputStoresNothing: a forecast refused for bad input,
// an unwritable -o among it, leaves the results store as it was: no run
// of a range is saved before the error.
func TestForecastBadInputStoresNothing(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "runs.db")
	out := filepath.Join(dir, "none", "out.json")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--param-range", "p=0:0.5:1", "-o", out}, "no folder " + filepath.Join(dir, "none")},
		{[]string{"-o", out}, "no folder " + filepath.Join(dir, "none")},
		{[]string{"--param-range", "p=0:0:1"}, "STEP must be positive"},
		{[]string{"--param-range", "p=0:1e-9:1"}, "values; at most 256"},
		{[]string{"--param-range", "p=0:0.5:1", "--param-range", "seed=1:1:2"}, "given twice (p=0:0.5:1, then seed=1:1:2)"},
	} {
		args := append([]string{"forecast", "--db", db, "--model", "exchange", "--rounds", "1"}, c.args...)
		code, stdout, errs := parley(append(args, cop21)...)
		if code != 2 || stdout != "" || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q (want %q)", c.args, code, stdout, errs, c.want)
		}
	}
	if _, out, _ := parley("runs", "list", "--db", db, "--json"); strings.Contains(out, "exchange") {
		t.Errorf("runs stored despite the errors:\n%s", out)
	}
}

// TestExportIssueCapabilities: KTAB's formats give an actor one
// capability, so an export drops the capabilities on single issues and
// says so; Decide's format keeps them.
func TestExportIssueCapabilities(t *testing.T) {
	const power = "../../testdata/reference/decide/replication/power9x5.txt"
	code, _, errs := parley("export", "--format", "ktab", power)
	if code != 0 || !strings.Contains(errs, "dropped  capabilities on issues: 29 stances (9 actors) give the actor a capability of its own on") {
		t.Errorf("ktab: exit %d, %s", code, errs)
	}
	code, out, errs := parley("export", "--format", "decide", power)
	if code != 0 || strings.Contains(errs, "capabilit") || !strings.Contains(out, "'#D'\t'A1'\t'roads'\t88.4\t0.91\t0.6\n") {
		t.Errorf("decide: exit %d, %s\n%s", code, errs, out)
	}
}

// FuzzParamRange feeds --param-range specifications to its parser: it
// never panics, and what it accepts is at most 256 values, in order,
// within the parameter's range.
func FuzzParamRange(f *testing.F) {
	for _, s := range []string{"p=0:0.1:1", "p=0:0:0", "p=1:1:0", "repetitions=1:2:9", "seed=0:1e300:1e301", "p=0:1e-300:1", "p=a:b:c", "=::", "p=0:-1:1", "p=NaN:1:2"} {
		f.Add(s)
	}
	info := exchangeInfo()
	f.Fuzz(func(t *testing.T, spec string) {
		name, values, err := paramRange(info, spec)
		if err != nil {
			return
		}
		decl, derr := info.Param(name)
		if derr != nil || len(values) == 0 || len(values) > maxRangeValues {
			t.Fatalf("%q: %s %v (%v)", spec, name, values, derr)
		}
		for k, v := range values {
			if v < decl.Min || v > decl.Max || (k > 0 && v < values[k-1]) {
				t.Fatalf("%q: values %v", spec, values)
			}
		}
	})
}

func exchangeInfo() model.Info {
	m, err := registry.Default().Get("exchange")
	if err != nil {
		panic(err)
	}
	return m.Info()
}
