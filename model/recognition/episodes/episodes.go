// Package episodes reads the data set of earlier recognition episodes:
// declarations of statehood before February 2008, each with its parent
// state, the patrons of each side and every UN member's recognition (and
// withdrawal) date with its source. README.md in this folder states the
// rule that chose the episodes, the coding rules and the licence.
//
// Each episode is one YAML file; Parse checks it and reports the first
// problem as "file:line: field: message".
package episodes

import (
	"embed"
	"fmt"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

//go:embed *.yaml
var files embed.FS

// Date is a recognition or withdrawal date: a day, or an interval when the
// sources give only a month ("1992-01"), a year ("1989") or a range
// ("1988-11-17/1988-12-31"). Lo and Hi are the first and last possible
// days; Text is the date as written.
type Date struct {
	Lo, Hi time.Time
	Text   string
}

// At is the date used by the monthly model: the middle of the interval
// (the day itself for a day).
func (d Date) At() time.Time {
	return d.Lo.AddDate(0, 0, int(d.Hi.Sub(d.Lo).Hours()/24)/2)
}

// IsZero reports whether no date is set.
func (d Date) IsZero() bool { return d.Text == "" }

// Source is a citation: outlet or work, title, date, and URL or document.
// Date is the publication date (a day, month or year); a page that shows
// none gives Accessed instead, the month it was consulted.
type Source struct {
	ID       string `yaml:"id"`
	Outlet   string `yaml:"outlet"`
	Title    string `yaml:"title"`
	Date     string `yaml:"date,omitempty"`
	Accessed string `yaml:"accessed,omitempty"`
	URL      string `yaml:"url,omitempty"`
	Document string `yaml:"document,omitempty"`
}

// Event is one state's recognition, with its withdrawal if any.
type Event struct {
	State      string
	Recognised Date
	Withdrawn  Date
	Source     string
	Note       string
	// Line is the event's line in its file.
	Line int
}

// NonRecognitionCall is a Security Council resolution that called on all
// states not to recognise the entity.
type NonRecognitionCall struct {
	// Resolution is its number and year, e.g. "541 (1983)".
	Resolution string
	Date       time.Time
	Source     string
	Line       int
}

// CallWindow is how long after the declaration a Security Council call
// for non-recognition still counts as part of the declaration's context
// (Episode.NonRecognition): the covariates are fixed at the declaration,
// and a call adopted within days of it (three days for the Turkish
// Republic of Northern Cyprus, one for Rhodesia) belongs to the same
// moment. A later call is recorded but not used.
const CallWindow = 30 * 24 * time.Hour

// Episode is one declaration and the recognitions that followed it
// between Declared and Until.
type Episode struct {
	ID     string
	Entity string
	// Parent is the state the entity claims to leave (ISO3 code of its
	// successor in the UN member list); it is never at risk.
	Parent string
	// Declared is the declaration's date; Until the last date observed.
	Declared, Until time.Time
	UntilReason     string
	// Recognising and Opposing are the patrons of each side (ISO3).
	Recognising, Opposing []string
	SidesNote             string
	SidesSources          []string
	// NonRecognitionCalls are the Security Council's calls on all states
	// not to recognise the entity (README.md, "Coding rules").
	NonRecognitionCalls []NonRecognitionCall
	Sources             []Source
	// Events are the recognitions; empty when no state recognised within
	// the window.
	Events []Event
	// File is the file the episode was read from; Line the line of its id.
	File string
	Line int
}

// MaxYears bounds an episode's window, Until − Declared.
const MaxYears = 100

// MaxBytes bounds the size of an episode file (the largest shipped file
// is under 20 kB).
const MaxBytes = 1 << 20

// NonRecognition reports whether the Security Council had called on all
// states not to recognise the entity by CallWindow after the declaration.
func (ep *Episode) NonRecognition() bool {
	for _, c := range ep.NonRecognitionCalls {
		if !c.Date.After(ep.Declared.Add(CallWindow)) {
			return true
		}
	}
	return false
}

// Error is a problem in an episode file, at a line and field.
type Error struct {
	File  string
	Line  int
	Field string
	Msg   string
}

func (e *Error) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s: %s", e.File, e.Line, e.Field, e.Msg)
}

var lineRE = regexp.MustCompile(`line (\d+)`)

var idPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Parse reads one episode file. known reports whether a code is a state of
// the UN member list (successor codes for predecessors: README.md). The
// first problem is returned as an *Error naming file, line and field.
func Parse(file string, data []byte, known func(string) bool) (*Episode, error) {
	if len(data) > MaxBytes {
		return nil, &Error{File: file, Line: 1, Msg: fmt.Sprintf("the file has more than %d bytes", MaxBytes)}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line := 1
		if m := lineRE.FindStringSubmatch(err.Error()); m != nil {
			fmt.Sscan(m[1], &line)
		}
		return nil, &Error{File: file, Line: line, Msg: "not valid YAML: " + err.Error()}
	}
	if len(doc.Content) == 0 {
		return nil, &Error{File: file, Line: 1, Msg: "empty file"}
	}
	p := parser{file: file, known: known}
	ep := p.episode(doc.Content[0])
	if p.err != nil {
		return nil, p.err
	}
	ep.File = file
	return ep, nil
}

type parser struct {
	file  string
	known func(string) bool
	err   *Error
}

func (p *parser) fail(line int, field, format string, args ...any) {
	if p.err == nil {
		p.err = &Error{File: p.file, Line: line, Field: field, Msg: fmt.Sprintf(format, args...)}
	}
}

// fields returns a mapping's values by key, failing on keys not in allowed
// and on duplicate keys.
func (p *parser) fields(n *yaml.Node, where string, allowed ...string) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	if n.Kind != yaml.MappingNode {
		p.fail(n.Line, where, "want a mapping of fields")
		return out
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		name := join(where, k.Value)
		switch {
		case !slices.Contains(allowed, k.Value):
			p.fail(k.Line, name, "unknown field (want one of %s)", strings.Join(allowed, ", "))
		case out[k.Value] != nil:
			p.fail(k.Line, name, "given twice")
		default:
			out[k.Value] = v
		}
	}
	return out
}

func join(where, field string) string {
	if where == "" {
		return field
	}
	return where + "." + field
}

// str returns a scalar field; required fields must be present and non-empty.
func (p *parser) str(f map[string]*yaml.Node, parent *yaml.Node, where, key string, required bool) string {
	n := f[key]
	if n == nil {
		if required {
			p.fail(parent.Line, join(where, key), "missing")
		}
		return ""
	}
	if n.Kind != yaml.ScalarNode {
		p.fail(n.Line, join(where, key), "want a single value")
		return ""
	}
	v := strings.TrimSpace(n.Value)
	if required && v == "" {
		p.fail(n.Line, join(where, key), "empty")
	}
	return v
}

func (p *parser) list(f map[string]*yaml.Node, key string) ([]string, []int) {
	n := f[key]
	if n == nil {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode {
		p.fail(n.Line, key, "want a list")
		return nil, nil
	}
	var out []string
	var lines []int
	for i, c := range n.Content {
		if c.Kind != yaml.ScalarNode {
			p.fail(c.Line, fmt.Sprintf("%s[%d]", key, i), "want a single value")
			continue
		}
		out = append(out, strings.TrimSpace(c.Value))
		lines = append(lines, c.Line)
	}
	return out, lines
}

func (p *parser) state(code string, line int, field string) {
	if p.known != nil && !p.known(code) {
		p.fail(line, field, "unknown state code %q (want an ISO 3166-1 alpha-3 code of the UN member list, e.g. USA)", code)
	}
}

func (p *parser) episode(n *yaml.Node) *Episode {
	f := p.fields(n, "", "id", "entity", "parent", "declared", "until", "until_reason",
		"recognising", "opposing", "sides_note", "sides_sources", "nonrecognition_calls", "sources", "events")
	ep := &Episode{Line: n.Line}
	if k := f["id"]; k != nil {
		ep.Line = k.Line
	}
	ep.ID = p.str(f, n, "", "id", true)
	if ep.ID != "" && !idPattern.MatchString(ep.ID) {
		p.fail(f["id"].Line, "id", "%q: want lower-case words joined by hyphens, e.g. sadr-1976", ep.ID)
	}
	if base := strings.TrimSuffix(path.Base(p.file), ".yaml"); ep.ID != "" && base != ep.ID && strings.HasSuffix(p.file, ".yaml") {
		p.fail(f["id"].Line, "id", "%q differs from the file name %s", ep.ID, path.Base(p.file))
	}
	ep.Entity = p.str(f, n, "", "entity", true)
	ep.Parent = p.str(f, n, "", "parent", true)
	if f["parent"] != nil {
		p.state(ep.Parent, f["parent"].Line, "parent")
	}
	ep.Declared = p.day(f, n, "declared")
	ep.Until = p.day(f, n, "until")
	if !ep.Declared.IsZero() && !ep.Until.IsZero() && !ep.Until.After(ep.Declared) {
		p.fail(f["until"].Line, "until", "%s is not after the declaration (%s)", ep.Until.Format(time.DateOnly), ep.Declared.Format(time.DateOnly))
	}
	if !ep.Declared.IsZero() && ep.Until.After(ep.Declared.AddDate(MaxYears, 0, 0)) {
		p.fail(f["until"].Line, "until", "%s is more than %d years after the declaration (%s)", ep.Until.Format(time.DateOnly), MaxYears, ep.Declared.Format(time.DateOnly))
	}
	ep.UntilReason = p.str(f, n, "", "until_reason", true)
	side := map[string]string{ep.Parent: "parent"}
	for _, key := range []string{"recognising", "opposing"} {
		codes, lines := p.list(f, key)
		for i, c := range codes {
			field := fmt.Sprintf("%s[%d]", key, i)
			p.state(c, lines[i], field)
			if prev := side[c]; prev != "" {
				p.fail(lines[i], field, "%s is already the %s", c, prev)
			}
			side[c] = key + " patron"
		}
		if key == "recognising" {
			ep.Recognising = codes
		} else {
			ep.Opposing = codes
		}
	}
	if f["recognising"] == nil {
		p.fail(n.Line, "recognising", "missing (a list, possibly empty)")
	}
	if f["opposing"] == nil {
		p.fail(n.Line, "opposing", "missing (a list, possibly empty)")
	}
	ep.SidesNote = p.str(f, n, "", "sides_note", true)
	ep.Sources = p.sources(f["sources"], n)
	ids := map[string]bool{}
	for _, s := range ep.Sources {
		ids[s.ID] = true
	}
	var sl []int
	ep.SidesSources, sl = p.list(f, "sides_sources")
	if len(ep.SidesSources) == 0 {
		p.fail(n.Line, "sides_sources", "missing: cite the sources for the sides")
	}
	for i, s := range ep.SidesSources {
		if !ids[s] {
			p.fail(sl[i], fmt.Sprintf("sides_sources[%d]", i), "unknown source %q", s)
		}
	}
	ep.NonRecognitionCalls = p.calls(f["nonrecognition_calls"], ids)
	ep.Events = p.events(f["events"], n, ep, ids)
	return ep
}

// day parses a required full date.
func (p *parser) day(f map[string]*yaml.Node, parent *yaml.Node, key string) time.Time {
	v := p.str(f, parent, "", key, true)
	if v == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		p.fail(f[key].Line, key, "date %q: want YYYY-MM-DD", v)
		return time.Time{}
	}
	return t
}

// items returns the entries of a required list field.
func (p *parser) items(n, parent *yaml.Node, field, what string) []*yaml.Node {
	if n == nil {
		p.fail(parent.Line, field, "missing")
		return nil
	}
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		p.fail(n.Line, field, "want a non-empty list of %s", what)
		return nil
	}
	return n.Content
}

func (p *parser) sources(n, parent *yaml.Node) []Source {
	var out []Source
	seen := map[string]bool{}
	for i, c := range p.items(n, parent, "sources", "sources") {
		where := fmt.Sprintf("sources[%d]", i)
		f := p.fields(c, where, "id", "outlet", "title", "date", "accessed", "url", "document")
		s := Source{ID: p.str(f, c, where, "id", true), Outlet: p.str(f, c, where, "outlet", true),
			Title: p.str(f, c, where, "title", true), Date: p.str(f, c, where, "date", false),
			Accessed: p.str(f, c, where, "accessed", false),
			URL:      p.str(f, c, where, "url", false), Document: p.str(f, c, where, "document", false)}
		if s.URL == "" && s.Document == "" {
			p.fail(c.Line, where, "give a url or a document")
		}
		if s.Date == "" && s.Accessed == "" {
			p.fail(c.Line, where, "give a date (of publication) or, for an undated page, accessed (when it was consulted)")
		}
		for _, k := range []string{"date", "accessed"} {
			if v := p.str(f, c, where, k, false); v != "" {
				if d, err := ParseDate(v); err != nil || strings.Contains(d.Text, "/") {
					p.fail(f[k].Line, where+"."+k, "date %q: want YYYY-MM-DD, YYYY-MM or YYYY", v)
				}
			}
		}
		if seen[s.ID] {
			p.fail(f["id"].Line, where+".id", "source %q given twice", s.ID)
		}
		seen[s.ID] = true
		out = append(out, s)
	}
	return out
}

// calls reads the optional list of Security Council calls for
// non-recognition.
func (p *parser) calls(n *yaml.Node, sources map[string]bool) []NonRecognitionCall {
	if n == nil {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		p.fail(n.Line, "nonrecognition_calls", "want a list")
		return nil
	}
	var out []NonRecognitionCall
	for i, c := range n.Content {
		where := fmt.Sprintf("nonrecognition_calls[%d]", i)
		f := p.fields(c, where, "resolution", "date", "source")
		call := NonRecognitionCall{Resolution: p.str(f, c, where, "resolution", true), Source: p.str(f, c, where, "source", true), Line: c.Line}
		if v := p.str(f, c, where, "date", true); v != "" {
			t, err := time.Parse(time.DateOnly, v)
			if err != nil {
				p.fail(f["date"].Line, where+".date", "date %q: want YYYY-MM-DD", v)
			}
			call.Date = t
		}
		if fn := f["source"]; fn != nil && call.Source != "" && !sources[call.Source] {
			p.fail(fn.Line, where+".source", "unknown source %q", call.Source)
		}
		out = append(out, call)
	}
	return out
}

func (p *parser) events(n, parent *yaml.Node, ep *Episode, sources map[string]bool) []Event {
	var out []Event
	seen := map[string]int{}
	if n == nil {
		p.fail(parent.Line, "events", "missing (a list; [] when no state recognised within the window)")
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		p.fail(n.Line, "events", "want a list of recognitions ([] when none)")
		return nil
	}
	for i, c := range n.Content {
		where := fmt.Sprintf("events[%d]", i)
		f := p.fields(c, where, "state", "recognised", "withdrawn", "source", "note")
		e := Event{State: p.str(f, c, where, "state", true), Source: p.str(f, c, where, "source", true),
			Note: p.str(f, c, where, "note", false), Line: c.Line}
		if fn := f["state"]; fn != nil && e.State != "" {
			p.state(e.State, fn.Line, where+".state")
			if prev, dup := seen[e.State]; dup {
				p.fail(fn.Line, where+".state", "%s is listed twice (also at line %d)", e.State, prev)
			}
			seen[e.State] = fn.Line
			if e.State == ep.Parent {
				p.fail(fn.Line, where+".state", "%s is the parent state: its recognition ends the episode, so set until instead", e.State)
			}
		}
		if fn := f["source"]; fn != nil && e.Source != "" && !sources[e.Source] {
			p.fail(fn.Line, where+".source", "unknown source %q", e.Source)
		}
		if v := p.str(f, c, where, "recognised", false); v != "" {
			d, err := ParseDate(v)
			if err != nil {
				p.fail(f["recognised"].Line, where+".recognised", "%v", err)
			} else if !ep.Declared.IsZero() && d.Lo.Before(ep.Declared) {
				p.fail(f["recognised"].Line, where+".recognised", "%s is before the declaration (%s)", v, ep.Declared.Format(time.DateOnly))
			}
			e.Recognised = d
		} else {
			p.fail(c.Line, where+".recognised", "missing: every listed state needs its recognition date")
		}
		if v := p.str(f, c, where, "withdrawn", false); v != "" {
			d, err := ParseDate(v)
			switch {
			case err != nil:
				p.fail(f["withdrawn"].Line, where+".withdrawn", "%v", err)
			case e.Recognised.IsZero():
				p.fail(f["withdrawn"].Line, where+".withdrawn", "a withdrawal without a recognition")
			case d.Hi.Before(e.Recognised.Lo):
				p.fail(f["withdrawn"].Line, where+".withdrawn", "%s is before the recognition (%s)", v, e.Recognised.Text)
			}
			e.Withdrawn = d
		}
		out = append(out, e)
	}
	return out
}

var yearRE = regexp.MustCompile(`^\d{4}$`)
var monthRE = regexp.MustCompile(`^\d{4}-\d{2}$`)

// ParseDate reads YYYY-MM-DD, YYYY-MM, YYYY or an interval DAY/DAY.
func ParseDate(s string) (Date, error) {
	d := Date{Text: s}
	bad := fmt.Errorf("date %q: want YYYY-MM-DD, YYYY-MM, YYYY or YYYY-MM-DD/YYYY-MM-DD", s)
	switch {
	case strings.Contains(s, "/"):
		a, b, _ := strings.Cut(s, "/")
		lo, err1 := time.Parse(time.DateOnly, a)
		hi, err2 := time.Parse(time.DateOnly, b)
		if err1 != nil || err2 != nil {
			return d, bad
		}
		if hi.Before(lo) {
			return d, fmt.Errorf("date %q: the interval ends before it starts", s)
		}
		d.Lo, d.Hi = lo, hi
	case yearRE.MatchString(s):
		lo, err := time.Parse("2006", s)
		if err != nil {
			return d, bad
		}
		d.Lo, d.Hi = lo, lo.AddDate(1, 0, -1)
	case monthRE.MatchString(s):
		lo, err := time.Parse("2006-01", s)
		if err != nil {
			return d, bad
		}
		d.Lo, d.Hi = lo, lo.AddDate(0, 1, -1)
	default:
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return d, bad
		}
		d.Lo, d.Hi = t, t
	}
	return d, nil
}

// All parses the embedded episode files, in order of declaration.
func All(known func(string) bool) ([]*Episode, error) {
	names, err := files.ReadDir(".")
	if err != nil {
		return nil, err
	}
	var out []*Episode
	for _, n := range names {
		data, err := files.ReadFile(n.Name())
		if err != nil {
			return nil, err
		}
		ep, err := Parse(n.Name(), data, known)
		if err != nil {
			return nil, err
		}
		out = append(out, ep)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Declared.Before(out[j].Declared) })
	return out, nil
}
