package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parley-project/parley/scenarios"
)

func TestProcessGolden(t *testing.T) {
	cases := []goldenCase{
		{"process-kosovo.txt", []string{"process", "kosovo-2007"}},
		{"vote-unsc-kosovo.txt", []string{"vote", "unsc", "--proposal", "80", "kosovo-2007"}},
		{"vote-eu-kosovo.txt", []string{"vote", "eu-council", "--proposal", "80", "kosovo-2007"}},
		{"vote-eu-cfsp-kosovo.txt", []string{"vote", "eu-cfsp", "--proposal", "80", "--json", "kosovo-2007"}},
		{"vote-list.txt", []string{"vote", "--list"}},
	}
	runGolden(t, cases)
}

// TestProcessJSONContract checks the document of issue 4, deliverable 5.
func TestProcessJSONContract(t *testing.T) {
	dir := t.TempDir()
	svg := filepath.Join(dir, "rec.svg")
	code, out, errs := parley("process", "--json", "--draws", "500", "--seed", "9", "--svg", svg, "kosovo-2007")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc struct {
		Events []struct {
			Date, Kind, Description, Outcome string
		}
		Recognition struct {
			States []struct {
				ISO3 string             `json:"iso3"`
				Name string             `json:"name"`
				PBy  map[string]float64 `json:"p_by"`
			}
			Cumulative []struct {
				Date               string
				Expected, P05, P95 float64
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for _, e := range doc.Events {
		if e.Date == "" || e.Description == "" || e.Outcome == "" {
			t.Errorf("incomplete event %+v", e)
		}
		kinds[e.Kind] = true
	}
	for _, k := range []string{"talks", "vote", "unilateral", "recognition", "contagion"} {
		if !kinds[k] {
			t.Errorf("no %s event", k)
		}
	}
	if len(doc.Recognition.States) != 193 {
		t.Fatalf("%d states, want 193", len(doc.Recognition.States))
	}
	for _, s := range doc.Recognition.States {
		for _, d := range []string{"2008-12-31", "2010-12-31", "2013-12-31", "2020-12-31"} {
			p, ok := s.PBy[d]
			if !ok || p < 0 || p > 1 {
				t.Fatalf("%s p_by[%s] = %v, %v", s.ISO3, d, p, ok)
			}
		}
	}
	cum := doc.Recognition.Cumulative
	// Months from January 2008, the first month of the declaration's
	// window, to December 2020.
	if len(cum) != 156 || cum[0].Date != "2008-01-31" || cum[len(cum)-1].Date != "2020-12-31" {
		t.Fatalf("cumulative has %d months from %s to %s", len(cum), cum[0].Date, cum[len(cum)-1].Date)
	}
	for i, c := range cum {
		if c.P05 > c.Expected || c.Expected > c.P95 || (i > 0 && c.Expected < cum[i-1].Expected) {
			t.Fatalf("cumulative point %d %+v out of order", i, c)
		}
	}
	data, err := os.ReadFile(svg)
	if err != nil || !strings.HasPrefix(string(data), "<svg") || !strings.Contains(string(data), "recognising Kosovo") {
		t.Errorf("svg %v: %.80s", err, data)
	}
}

func TestProcessAndVoteErrors(t *testing.T) {
	cases := []struct {
		args []string
		msg  string
	}{
		{[]string{"process", "emission-1994"}, "declares no process"},
		{[]string{"process", "--draws", "-1"}, "--draws -1: want a positive number"},
		{[]string{"process", "--svg", "x.svg", "emission-1994"}, "declares no process"},
		{[]string{"process", badPatron(t)}, `: process.stages[3].recognising[0]: unknown state "ATLANTIS"`},
		{[]string{"vote", "unsc", "kosovo-2007"}, "missing --proposal"},
		{[]string{"vote", "nato", "--proposal", "80", "kosovo-2007"}, `no built-in body "nato"`},
		{[]string{"vote", "unsc", "--proposal", "180", "kosovo-2007"}, "--proposal 180 is outside the scale 0 to 100"},
		{[]string{"vote", "unsc-2007", "--proposal", "8", "emission-1994"}, "missing --status-quo"},
		{[]string{"vote", "unsc", "--proposal", "80", "--issue", "water", "kosovo-2007"}, `no issue "water"`},
	}
	for _, c := range cases {
		code, out, errs := parley(c.args...)
		if code != 2 || out != "" || !strings.Contains(errs, c.msg) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and %q", c.args, code, out, errs, c.msg)
		}
	}
}

// badPatron writes kosovo-2007 with an unknown state among the recognising
// patrons, which only the recognition model can tell.
func badPatron(t *testing.T) string {
	t.Helper()
	path, _ := badKosovo(t, "recognising: [USA,", "recognising: [ATLANTIS,")
	return path
}

// badKosovo writes kosovo-2007 with old replaced by new and returns the
// file and the line of the edit.
func badKosovo(t *testing.T, old, new string) (string, int) {
	t.Helper()
	data, err := scenarios.Source("kosovo-2007")
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(string(data), old)
	if i < 0 {
		t.Fatalf("kosovo-2007 has no %q to edit", old)
	}
	bad := strings.Replace(string(data), old, new, 1)
	path := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(path, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, strings.Count(string(data[:i]), "\n") + 1
}

// TestValidateChecksProcess: what 'parley process' would refuse in a
// process section, 'parley validate' reports first, with the same file,
// line, field and message; nothing runs or is stored.
func TestValidateChecksProcess(t *testing.T) {
	cases := []struct {
		old, new string
		// below is how many lines after the edit's first the problem is.
		below int
		want  string
	}{
		{"model: eum\n", "model: eumm\n", 0, `process.stages[0].model: unknown model "eumm" (have mean, median, condorcet, power-mean, eum, smp, exchange, procedure, nash)`},
		{"model: eum\n", "model: eum\n      variant: nosuch\n", 1, `process.stages[0].variant: model eum has no variant "nosuch" (have scholz, paper)`},
		{"opposing: [RUS]", "opposing: [SCG]", 0, `process.stages[3].opposing[0]: unknown state "SCG" (want an ISO3 code of a UN member, e.g. USA, or its name)`},
		{"parent: SRB\n", "parent: YUG\n", 0, `process.stages[3].parent: unknown state "YUG" (want an ISO3 code of a UN member, e.g. USA, or its name)`},
	}
	for _, c := range cases {
		path, line := badKosovo(t, c.old, c.new)
		refusedAsValidate(t, path, fmt.Sprintf("%s:%d: %s", path, line+c.below, c.want), "process")
	}
}

// refusedAsValidate checks that 'parley validate path' and 'parley
// command --db DB flags... path' both refuse the scenario with exit 2 and
// the one problem want (file:line: field: message) alone on standard
// error, and that the command did not open the store.
func refusedAsValidate(t *testing.T, path, want string, command ...string) {
	t.Helper()
	want += "\n1 problem found\n"
	db := filepath.Join(t.TempDir(), "runs.db")
	run := append(append([]string{command[0], "--db", db}, command[1:]...), path)
	for _, args := range [][]string{{"validate", path}, run} {
		code, out, errs := parley(args...)
		if code != 2 || out != "" || errs != want {
			t.Errorf("%v: exit %d, stdout %q, stderr\n%s\nwant exit 2 and\n%s", args, code, out, errs, want)
		}
	}
	if _, err := os.Stat(db); err == nil {
		t.Errorf("%v: the command opened the store before refusing the scenario", run)
	}
}
