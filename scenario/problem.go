package scenario

import (
	"fmt"
	"sort"
	"strings"
)

// Problem is one thing wrong with a scenario file: where it is and what is
// wrong. Line is 0 when the format has no lines or the place is unknown.
type Problem struct {
	File  string `json:"file,omitempty"`
	Line  int    `json:"line,omitempty"`
	Field string `json:"field,omitempty"`
	Msg   string `json:"message"`
}

func (p Problem) String() string {
	var b strings.Builder
	if p.File != "" {
		b.WriteString(p.File)
		if p.Line > 0 {
			fmt.Fprintf(&b, ":%d", p.Line)
		}
		b.WriteString(": ")
	} else if p.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", p.Line)
	}
	if p.Field != "" {
		b.WriteString(p.Field)
		b.WriteString(": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// Problems is the list of everything wrong with a scenario. It is returned
// as an error by Parse and Validate when not empty.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Check is a further check of a scenario, for what this package cannot
// check itself (process.Check: the models and states a process names). It
// returns problems whose Field is the path Validate would use, such as
// "process.stages[0].model"; Parse and Load place them at the line of that
// field in the file.
type Check func(*Scenario) Problems

// sortByLine orders problems by line, keeping the order of discovery among
// problems on the same line.
func (ps Problems) sortByLine() {
	sort.SliceStable(ps, func(i, j int) bool {
		li, lj := ps[i].Line, ps[j].Line
		if li == 0 || lj == 0 {
			return li != 0 && lj == 0
		}
		return li < lj
	})
}

// problemList collects problems by field path; the locator fills in lines.
type problemList struct {
	ps Problems
}

// checkID reports a missing id or one already in seen, then adds it. It
// reports whether the id is new.
func checkID(l *problemList, seen map[string]bool, field, id, what string) bool {
	ok := false
	switch {
	case id == "":
		l.add(field, "missing %s id", what)
	case seen[id]:
		l.add(field, "duplicate %s id %q", what, id)
	default:
		ok = true
	}
	seen[id] = true
	return ok
}

func (l *problemList) add(field, format string, args ...any) {
	l.ps = append(l.ps, Problem{Field: field, Msg: fmt.Sprintf(format, args...)})
}

// nonNegative reports v unless it is a finite number of 0 or more. what,
// when given, names the value at the start of the message.
func (l *problemList) nonNegative(field, what string, v float64) {
	if finite(v) && v >= 0 {
		return
	}
	msg := "must be a non-negative number"
	if what != "" {
		msg = what + " " + msg
	}
	l.add(field, "%s, got %v", msg, v)
}

// addAt appends a problem the format readers find at a line of the file,
// with the field named in the format's own terms.
func (ps *Problems) addAt(line int, field, format string, args ...any) {
	*ps = append(*ps, Problem{Line: line, Field: field, Msg: fmt.Sprintf(format, args...)})
}
