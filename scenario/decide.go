package scenario

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// FormatDecide names the input format of the Decide exchange model
// (foarsitter/decide-exchange-model): rows tagged #A (actor), #P (issue),
// #M (a labelled point of an issue's scale) and #D (an actor's position,
// salience and power on an issue), separated by any one delimiter.
const FormatDecide = "decide"

// decideTags are the row tags Decide knows; #/, #0 and #O rows are
// comments and issue notes that Decide ignores.
var decideTags = map[string]bool{"#A": true, "#P": true, "#M": true, "#D": true, "#/": true, "#0": true, "#O": true}

// decideDelims are the delimiters Decide's reader (Python's csv sniffer)
// is found to accept in practice; space only between quoted fields.
const decideDelims = "\t,;|: "

// decideDialect finds the delimiter and quote character of a Decide file
// from its first non-blank line, which must start with a row tag such as
// #A or '#A' followed by the delimiter. ok is false for any other content.
// A first line that is an unquoted comment row (#/, #0 or #O, as in
// Decide's own "verkiezing 2012.csv") could as well start a YAML comment:
// the file is read as Decide's when its first row that is not such a
// comment is a data row (#A, #P, #M or #D) with the same delimiter.
func decideDialect(data []byte) (delim, quote byte, ok bool) {
	line, _ := firstNonBlank(data)
	if len(line) < 3 {
		return 0, 0, false
	}
	if line[0] == '\'' || line[0] == '"' {
		quote = line[0]
		if len(line) < 5 || line[3] != quote {
			return 0, 0, false
		}
		if !decideTags[line[1:3]] {
			return 0, 0, false
		}
		delim = line[4]
		return delim, quote, strings.IndexByte(decideDelims, delim) >= 0
	}
	if !decideTags[line[:2]] {
		return 0, 0, false
	}
	delim = line[2]
	// Unquoted rows separated by spaces or colons would be mistaken for
	// YAML comments ("#A note: ..."); Decide files quote or use a real
	// delimiter.
	if delim != '\t' && delim != ',' && delim != ';' && delim != '|' {
		return 0, 0, false
	}
	quote = '\''
	if decideComment(line[:2]) {
		if quote, ok = decideDataAfterComments(data, delim); !ok {
			return 0, 0, false
		}
	}
	return delim, quote, true
}

// decideComment reports whether tag is one of the row tags Decide ignores.
func decideComment(tag string) bool { return tag == "#/" || tag == "#0" || tag == "#O" }

// decideDataAfterComments reports whether the first non-blank line of
// data that is not an unquoted comment row is an #A, #P, #M or #D row
// separated by delim, quoted or not, and returns the quote character the
// file's rows use (' when that row is not quoted).
func decideDataAfterComments(data []byte, delim byte) (quote byte, ok bool) {
	for line := range strings.Lines(strings.TrimPrefix(string(data), "\ufeff")) {
		t := strings.TrimSpace(line)
		if t == "" || len(t) >= 3 && decideComment(t[:2]) && t[2] == delim {
			continue
		}
		for _, tag := range []string{"#A", "#P", "#M", "#D"} {
			for _, q := range []string{"", "'", `"`} {
				if strings.HasPrefix(t, q+tag+q+string(delim)) {
					if q == "" {
						return '\'', true
					}
					return q[0], true
				}
			}
		}
		return 0, false
	}
	return 0, false
}

// firstNonBlank returns the first line holding anything but white space,
// trimmed, and its 1-based number.
func firstNonBlank(data []byte) (string, int) {
	s := strings.TrimPrefix(string(data), "\ufeff")
	for i := 1; s != ""; i++ {
		line, rest, _ := strings.Cut(s, "\n")
		if t := strings.TrimSpace(line); t != "" {
			return t, i
		}
		s = rest
	}
	return "", 0
}

// decideRecord is one row of a Decide file and the line it starts on.
type decideRecord struct {
	line   int
	fields []string
}

// splitDecide splits a Decide file into records. Fields may be quoted with
// the quote character (a doubled quote stands for itself) and may then hold
// the delimiter or line breaks.
func splitDecide(data []byte, delim, quote byte) ([]decideRecord, Problems) {
	s := strings.TrimPrefix(string(data), "\ufeff")
	var (
		recs  []decideRecord
		ps    Problems
		line  = 1
		start = 1
		field strings.Builder
		rec   []string
		// quoted: inside a quoted field; wasQuoted: the current field was
		// quoted (so it is kept as written, spaces included).
		quoted, wasQuoted, any bool
	)
	endField := func() {
		f := field.String()
		if !wasQuoted && delim != ' ' {
			f = strings.TrimSpace(f)
		}
		rec = append(rec, f)
		field.Reset()
		wasQuoted = false
	}
	endRecord := func() {
		if any {
			endField()
			// Trailing empty fields from a trailing delimiter carry nothing.
			for len(rec) > 1 && rec[len(rec)-1] == "" {
				rec = rec[:len(rec)-1]
			}
			recs = append(recs, decideRecord{line: start, fields: rec})
		}
		rec, any = nil, false
		field.Reset()
		wasQuoted = false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if quoted {
			switch {
			case c == quote && i+1 < len(s) && s[i+1] == quote:
				field.WriteByte(quote)
				i++
			case c == quote:
				quoted = false
			default:
				if c == '\n' {
					line++
				}
				field.WriteByte(c)
			}
			continue
		}
		switch {
		case c == '\n':
			endRecord()
			line++
			start = line
		case c == '\r' && (i+1 == len(s) || s[i+1] == '\n'):
			// part of a CRLF line end
		case c == delim:
			if delim == ' ' && field.Len() == 0 && !wasQuoted {
				continue // runs of spaces separate once
			}
			endField()
		case c == quote && strings.TrimSpace(field.String()) == "" && !wasQuoted:
			field.Reset()
			quoted, wasQuoted, any = true, true, true
		case c == ' ' && delim == ' ':
		default:
			if !any && (c == ' ' || c == '\t') && delim != '\t' {
				continue
			}
			any = true
			field.WriteByte(c)
		}
	}
	if quoted {
		ps.addAt(start, "", "quoted field opened with %c is never closed", quote)
	}
	endRecord()
	return recs, ps
}

// decideLocator maps scenario field paths to the Decide rows they came from.
type decideLocator struct {
	actorLine  []int            // #A row of actors[i]
	issueLine  []int            // #P row of issues[i]
	stanceLine []map[string]int // #D row of actors[i] on an issue
}

var decideActorRE = regexp.MustCompile(`^actors\[(\d+)\](.*)$`)
var decideIssueRE = regexp.MustCompile(`^issues\[(\d+)\]`)

func (l decideLocator) locate(path string) (int, string) {
	if m := decideActorRE.FindStringSubmatch(path); m != nil {
		i, _ := strconv.Atoi(m[1])
		if i >= len(l.actorLine) {
			return 0, path
		}
		rest := m[2]
		if st, ok := strings.CutPrefix(rest, ".stances."); ok {
			if k := strings.LastIndexByte(st, '.'); k > 0 {
				if line, ok := l.stanceLine[i][st[:k]]; ok {
					f := strings.SplitN(st[k+1:], ".", 2)[0]
					if f == "capability" {
						f = "power"
					}
					return line, "#D field " + f
				}
			}
		}
		if strings.HasPrefix(rest, ".capability") {
			first := 0
			for _, line := range l.stanceLine[i] {
				if first == 0 || line < first {
					first = line
				}
			}
			if first > 0 {
				return first, "#D field power"
			}
		}
		return l.actorLine[i], strings.TrimSpace("#A " + strings.TrimPrefix(rest, "."))
	}
	if m := decideIssueRE.FindStringSubmatch(path); m != nil {
		i, _ := strconv.Atoi(m[1])
		if i < len(l.issueLine) {
			return l.issueLine[i], strings.TrimSpace("#P " + strings.TrimPrefix(path[len(m[0]):], "."))
		}
	}
	return 0, path
}

// decideField names a field of a Decide row in messages.
func decideField(tag, name string) string { return tag + " field " + name }

// parseDecide reads a Decide input file. Issue scales run from the lowest
// to the highest #M point of the issue (0–100 when it has none), labelled
// #M points become anchors, and the power of an actor's first #D row
// becomes its capability; a #D row with another power sets the actor's
// capability on that issue. An actor with an #A row and no #D rows is left
// out with a warning (sc.Warnings), as Decide leaves it out of every
// exchange. Saliences are on 0–1 when none exceeds 1, else on 0–100.
func parseDecide(data []byte, name string, l Limits) (*Scenario, decideLocator, Problems) {
	loc := decideLocator{}
	delim, quote, ok := decideDialect(data)
	if !ok {
		_, line := firstNonBlank(data)
		return nil, loc, Problems{{Line: line, Msg: "not a Decide file: the first row must start with #A, #P, #M or #D and a delimiter"}}
	}
	recs, ps := splitDecide(data, delim, quote)
	// Saliences are on 0–1 when none exceeds 1, else on 0–100.
	sc := &Scenario{Name: name, SalienceScale: 1}
	actorIdx := map[string]int{}
	issueIdx := map[string]int{}
	type point struct {
		v     float64
		label string
	}
	points := map[string][]point{}
	num := func(r decideRecord, i int, tag, field string) (float64, bool) {
		if i >= len(r.fields) || strings.TrimSpace(r.fields[i]) == "" {
			ps.addAt(r.line, decideField(tag, field), "missing %s", field)
			return 0, false
		}
		s := strings.TrimSpace(r.fields[i])
		v, ok := parseFinite(s)
		if !ok {
			ps.addAt(r.line, decideField(tag, field), "%q is not a finite number", s)
			return 0, false
		}
		return v, true
	}
	// newID reads the id a #A or #P row defines; it must be new.
	newID := func(r decideRecord, kind string, seen map[string]int) (string, bool) {
		tag, id := strings.TrimSpace(r.fields[0]), field(r.fields, 1)
		msg := ""
		if id == "" {
			msg = "missing " + kind + " id"
		} else if _, dup := seen[id]; dup {
			msg = fmt.Sprintf("duplicate %s %q", kind, id)
		}
		if msg != "" {
			ps.addAt(r.line, decideField(tag, "id"), "%s", msg)
			return "", false
		}
		return id, true
	}
	// Definitions first, so that #D and #M rows may come before the #A and
	// #P rows they refer to, as Decide allows.
	for _, r := range recs {
		tag := strings.TrimSpace(r.fields[0])
		switch tag {
		case "#A":
			id, ok := newID(r, "actor", actorIdx)
			if !ok {
				continue
			}
			nm := field(r.fields, 2)
			if nm == id {
				nm = ""
			}
			actorIdx[id] = len(sc.Actors)
			sc.Actors = append(sc.Actors, Actor{ID: id, Name: nm, Stances: map[string]Stance{}})
			loc.actorLine = append(loc.actorLine, r.line)
			loc.stanceLine = append(loc.stanceLine, map[string]int{})
		case "#P":
			id, ok := newID(r, "issue", issueIdx)
			if !ok {
				continue
			}
			nm, desc := field(r.fields, 2), field(r.fields, 3)
			if nm == id {
				nm = ""
			}
			if desc == id || desc == nm {
				desc = ""
			}
			issueIdx[id] = len(sc.Issues)
			sc.Issues = append(sc.Issues, Issue{ID: id, Name: nm, Description: desc})
			loc.issueLine = append(loc.issueLine, r.line)
		case "#M", "#D", "#/", "#0", "#O":
		default:
			ps.addAt(r.line, "row type", "unknown row type %q (want #A, #P, #M, #D, or #/ for a comment)", tag)
		}
	}
	if err := CheckCells(len(sc.Actors), len(sc.Issues), l.MaxCells); err != nil {
		return nil, loc, Problems{{Line: loc.actorLine[0], Field: decideField("#A", "id"), Msg: err.Error()}}
	}
	for _, r := range recs {
		tag := strings.TrimSpace(r.fields[0])
		switch tag {
		case "#M":
			id := field(r.fields, 1)
			if _, ok := issueIdx[id]; !ok {
				ps.addAt(r.line, decideField(tag, "issue"), "unknown issue %q (no #P row defines it)", id)
				continue
			}
			if v, ok := num(r, 2, tag, "position"); ok {
				points[id] = append(points[id], point{v, strings.Join(fieldsFrom(r.fields, 3), " ")})
			}
		case "#D":
			aid, iid := field(r.fields, 1), field(r.fields, 2)
			ai, aok := actorIdx[aid]
			if !aok {
				ps.addAt(r.line, decideField(tag, "actor"), "unknown actor %q (no #A row defines it)", aid)
			}
			if _, ok := issueIdx[iid]; !ok {
				ps.addAt(r.line, decideField(tag, "issue"), "unknown issue %q (no #P row defines it)", iid)
				aok = false
			}
			pos, pok := num(r, 3, tag, "position")
			sal, sok := num(r, 4, tag, "salience")
			pow, wok := num(r, 5, tag, "power")
			if !aok {
				continue
			}
			a := &sc.Actors[ai]
			if line, dup := loc.stanceLine[ai][iid]; dup {
				ps.addAt(r.line, decideField(tag, "issue"), "second #D row for actor %q on issue %q (the first is on line %d)", aid, iid, line)
				continue
			}
			loc.stanceLine[ai][iid] = r.line
			st := Stance{}
			if pok {
				st.Position = N(pos)
			}
			if sok {
				st.Salience = N(sal)
				if sal > 1 {
					sc.SalienceScale = 100
				}
			}
			if wok {
				// The actor's capability is the power of its first #D row;
				// a row with another power sets the capability on its issue.
				if !a.Capability.Set {
					a.Capability = N(pow)
				} else if a.Capability.Value != pow {
					st.Capability = N(pow)
				}
			}
			a.Stances[iid] = st
		}
	}
	// Decide leaves an actor without #D rows out of every exchange; Parley
	// leaves it out of the scenario, with a warning. A file without any #D
	// row keeps its actors, so that validation says what is missing where.
	withRows := 0
	for i := range sc.Actors {
		if len(sc.Actors[i].Stances) > 0 {
			withRows++
		}
	}
	for i := 0; i < len(sc.Actors) && withRows > 0; {
		if len(sc.Actors[i].Stances) > 0 {
			i++
			continue
		}
		sc.Warnings.addAt(loc.actorLine[i], decideField("#A", "id"), "actor %q has no #D rows; left out, as Decide leaves it out of every exchange", sc.Actors[i].ID)
		sc.Actors = slices.Delete(sc.Actors, i, i+1)
		loc.actorLine = slices.Delete(loc.actorLine, i, i+1)
		loc.stanceLine = slices.Delete(loc.stanceLine, i, i+1)
	}
	for i := range sc.Issues {
		is := &sc.Issues[i]
		pts := points[is.ID]
		if len(pts) == 0 {
			is.Min, is.Max = 0, 100
			continue
		}
		is.Min, is.Max = math.Inf(1), math.Inf(-1)
		for _, p := range pts {
			is.Min, is.Max = math.Min(is.Min, p.v), math.Max(is.Max, p.v)
			if p.label != "" {
				is.Anchors = append(is.Anchors, Anchor{Value: p.v, Label: p.label})
			}
		}
	}
	return sc, loc, ps
}

// field returns the trimmed i-th field, or "".
func field(fs []string, i int) string {
	if i < len(fs) {
		return strings.TrimSpace(fs[i])
	}
	return ""
}

// fieldsFrom returns the non-empty trimmed fields from i on (Decide joins
// surplus fields of a row into its last one).
func fieldsFrom(fs []string, i int) []string {
	var out []string
	for ; i < len(fs); i++ {
		if t := strings.TrimSpace(fs[i]); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// WriteDecide writes the scenario as a Decide input file in Decide's own
// layout: tab-separated rows, text in single quotes. Each issue gets #M
// rows for the ends of its scale and for each anchor; saliences are
// written on 0–1 and each #D row's power is the actor's capability on the
// issue (the stance's own when it sets one). Evidence,
// notes, sources and actor kinds have no place in the format and are left
// out.
func WriteDecide(w io.Writer, sc *Scenario) error {
	bw := bufio.NewWriter(w)
	q := func(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
	row := func(fields ...string) { fmt.Fprintln(bw, strings.Join(fields, "\t")) }
	for _, a := range sc.Actors {
		row(q("#A"), q(a.ID), q(a.DisplayName()), q(""))
	}
	for i := range sc.Issues {
		is := &sc.Issues[i]
		row(q("#P"), q(is.ID), q(is.DisplayName()), q(is.Description))
		labelled := map[float64]bool{}
		for _, an := range is.SortedAnchors() {
			labelled[an.Value] = true
		}
		if !labelled[is.Min] {
			row(q("#M"), q(is.ID), fmtNum(is.Min))
		}
		for _, an := range is.SortedAnchors() {
			row(q("#M"), q(is.ID), fmtNum(an.Value), q(an.Label))
		}
		if !labelled[is.Max] {
			row(q("#M"), q(is.ID), fmtNum(is.Max))
		}
	}
	smax := sc.SalienceMax()
	for _, a := range sc.Actors {
		for _, is := range sc.Issues {
			st, ok := a.Stances[is.ID]
			if !ok {
				continue
			}
			row(q("#D"), q(a.ID), q(is.ID), fmtNum(st.Position.Value), fmtNum(st.Salience.Value/smax), fmtNum(a.CapabilityOn(is.ID)))
		}
	}
	return bw.Flush()
}

// isDecide reports whether data is a Decide input file.
func isDecide(data []byte) bool {
	_, _, ok := decideDialect(data)
	return ok
}
