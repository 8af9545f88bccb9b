package scenario

import (
	"errors"
	"flag"
	"fmt"
	"strings"
	"testing"
)

// knownBugs enables the tests in bugs_test.go, which assert the correct
// behaviour for bugs that are reported but not yet fixed:
//
//	go test ./scenario -run KnownBug -knownbugs
var knownBugs = flag.Bool("knownbugs", false, "run the tests of known, unfixed bugs")

// baseYAML is a valid scenario that the validation tests mutate. Its line
// numbers are quoted by the tests: keep it as it is.
//
//	 1 name            12 issues[0]        23 actors[0]       35 actors[1]
//	 3 as_of           14 issues[0].min    26 capability      38 capability
//	 4 salience_scale  17 anchors[0]       30 evidence[0]     40 stances.status
//	 6 sources[0]      18 anchors[1]       31 risk            41 actors[2]
//	 9 sources[1]      19 issues[1]        33 stances.status  43 capability
//	10 sources[1].date 20 min, 21 max      34 stances.aid     45 status, 46 aid
const baseYAML = `name: kosovo-test
title: Kosovo status talks
as_of: 2007-12-10
salience_scale: 100
sources:
  - id: icg
    outlet: International Crisis Group
    date: 2007-08
  - id: un
    date: 2007-03-26
issues:
  - id: status
    name: Status of Kosovo
    min: 0
    max: 100
    anchors:
      - {value: 0, label: Province of Serbia}
      - {value: 100, label: Independence}
  - id: aid
    min: -10
    max: 10
actors:
  - id: srb
    name: Serbia
    kind: state
    capability:
      value: 30
      note: army and police
      evidence:
        - {source: icg, paragraph: 4, text: Serbia keeps a large army}
    risk: 1.5
    stances:
      status: {position: 0, salience: 90}
      aid: {position: -5, salience: 20}
  - id: kos
    name: Kosovo Albanians
    kind: group
    capability: 10
    stances:
      status: {position: 100, salience: {value: 100, evidence: [{source: un, text: Independence or nothing}]}}
  - id: usa
    kind: state
    capability: 100
    stances:
      status: {position: 90, salience: 60}
      aid: {position: 5, salience: 10}
`

// positionsYAML is baseYAML with a long-form position table (lines 47–48)
// that gives Kosovo a stance on the aid issue.
const positionsYAML = baseYAML + `positions:
  - {actor: kos, issue: aid, position: 8, salience: 30}
`

// edit returns s with each old string (which must occur exactly once)
// replaced by the new string that follows it. When the replacement has fewer
// lines than the original, it is padded with comment lines so that the
// line numbers of everything after it stay those of the original.
func edit(s string, oldNew ...string) string {
	if len(oldNew)%2 != 0 {
		panic("edit: odd number of arguments")
	}
	for i := 0; i < len(oldNew); i += 2 {
		old, repl := oldNew[i], oldNew[i+1]
		if n := strings.Count(s, old); n != 1 {
			panic(fmt.Sprintf("edit: %q occurs %d times", old, n))
		}
		for d := strings.Count(old, "\n") - strings.Count(repl, "\n"); d > 0; d-- {
			repl += "#\n"
		}
		s = strings.Replace(s, old, repl, 1)
	}
	return s
}

// want is an expected problem: its line, field, and a part of its message.
type want struct {
	line  int
	field string
	msg   string
}

func (w want) String() string { return fmt.Sprintf("%d: %s: ...%s...", w.line, w.field, w.msg) }

func (w want) matches(p Problem) bool {
	return p.Line == w.line && p.Field == w.field && strings.Contains(p.Msg, w.msg)
}

// problemsOf returns err as Problems, failing the test when it is not.
func problemsOf(t *testing.T, err error) Problems {
	t.Helper()
	if err == nil {
		t.Fatal("got no error, want problems")
	}
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("error is %T (%v), want Problems", err, err)
	}
	if len(ps) == 0 {
		t.Fatal("got an empty Problems error")
	}
	return ps
}

// checkProblems asserts that err is a Problems list naming file, and that
// its problems are exactly wants, in order.
func checkProblems(t *testing.T, err error, file string, wants []want) {
	t.Helper()
	ps := problemsOf(t, err)
	for _, p := range ps {
		if p.File != file {
			t.Errorf("problem %q: file %q, want %q", p, p.File, file)
		}
	}
	if len(ps) != len(wants) {
		t.Errorf("got %d problems, want %d", len(ps), len(wants))
	}
	for i := range max(len(ps), len(wants)) {
		switch {
		case i >= len(ps):
			t.Errorf("missing problem %v", wants[i])
		case i >= len(wants):
			t.Errorf("unexpected problem %#v", ps[i])
		case !wants[i].matches(ps[i]):
			t.Errorf("problem %d = line %d, field %q, message %q; want %v", i, ps[i].Line, ps[i].Field, ps[i].Msg, wants[i])
		}
	}
}

// containsProblems asserts that every want is among the problems of err.
func containsProblems(t *testing.T, err error, file string, wants []want) {
	t.Helper()
	ps := problemsOf(t, err)
	for _, w := range wants {
		found := false
		for _, p := range ps {
			if w.matches(p) && p.File == file {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("no problem %v in file %q; got:\n%v", w, file, ps)
		}
	}
}

// mustParse parses data and fails the test on any problem.
func mustParse(t *testing.T, data, file string) *Scenario {
	t.Helper()
	sc, err := Parse([]byte(data), file)
	if err != nil {
		t.Fatalf("Parse(%s): %v", file, err)
	}
	if sc == nil {
		t.Fatalf("Parse(%s) returned neither a scenario nor an error", file)
	}
	return sc
}
