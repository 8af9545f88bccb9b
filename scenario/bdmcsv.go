package scenario

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// bdmColumns are the columns of a BDM CSV file, in any order.
var bdmColumns = []string{"actor", "capability", "position", "salience"}

// isBDMCSV reports whether data starts with a BDM CSV header.
func isBDMCSV(data []byte) bool {
	header, _ := firstLine(data)
	if !strings.Contains(header, ",") {
		return false
	}
	seen := map[string]bool{}
	for _, c := range splitHeader(header) {
		seen[c] = true
	}
	// The actor column and at least one other: a header missing a column is
	// still read as BDM CSV, so that the missing column is what gets reported.
	n := 0
	for _, c := range bdmColumns[1:] {
		if seen[c] {
			n++
		}
	}
	return seen["actor"] && n >= 1
}

// firstLine returns the first line that is neither blank nor a # comment,
// and its 1-based number.
func firstLine(data []byte) (string, int) {
	for i, line := range strings.Split(string(data), "\n") {
		t := strings.TrimSpace(strings.TrimPrefix(line, "\ufeff"))
		if t != "" && !strings.HasPrefix(t, "#") {
			return t, i + 1
		}
	}
	return "", 0
}

func splitHeader(line string) []string {
	var cols []string
	for _, c := range strings.Split(line, ",") {
		cols = append(cols, strings.ToLower(strings.Trim(strings.TrimSpace(c), `"`)))
	}
	return cols
}

// csvLocator maps actor paths to the line of the actor's row.
type csvLocator struct {
	header int
	rows   []int // line of actors[i]
}

var actorPathRE = regexp.MustCompile(`^actors\[(\d+)\]`)

func (l csvLocator) locate(path string) (int, string) {
	if m := actorPathRE.FindStringSubmatch(path); m != nil {
		if i, _ := strconv.Atoi(m[1]); i < len(l.rows) {
			col := path[strings.LastIndex(path, ".")+1:]
			if !slices.Contains(bdmColumns, col) {
				col = "actor"
			}
			return l.rows[i], csvField(i+1, col)
		}
	}
	return l.header, path
}

// csvField names a column of a BDM row for messages.
func csvField(row int, col string) string { return fmt.Sprintf("row %d, column %s", row, col) }

// parseBDMCSV reads the classic one-issue format of Bueno de Mesquita's
// model: Actor,Capability,Position,Salience with salience on 0–1 or 0–100.
// The issue scale is taken from the positions' range.
func parseBDMCSV(data []byte, name string, l Limits) (*Scenario, csvLocator, Problems) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	r.Comment = '#'
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	loc := csvLocator{}
	var ps Problems
	// encoding/csv skips empty lines and lines starting with '#', but not
	// lines of spaces or indented comments: skip those too.
	read := func() ([]string, error) {
		for {
			rec, err := r.Read()
			if err != nil {
				return nil, err
			}
			first := strings.TrimSpace(rec[0])
			if (len(rec) == 1 && first == "") || strings.HasPrefix(first, "#") {
				continue
			}
			return rec, nil
		}
	}
	header, err := read()
	if err != nil {
		return nil, loc, csvProblems(err)
	}
	loc.header, _ = r.FieldPos(0)
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for _, c := range bdmColumns {
		if _, ok := col[c]; !ok {
			ps.addAt(loc.header, "header", "missing column %q", c)
		}
	}
	if len(ps) > 0 {
		return nil, loc, ps
	}
	issueID := "issue"
	sc := &Scenario{Name: name, Issues: []Issue{{ID: issueID, Name: name}}}
	type rawSal struct {
		v    float64
		ok   bool
		line int
	}
	var sals []rawSal
	row := 0
	for {
		rec, err := read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			ps = append(ps, csvProblems(err)...)
			break
		}
		row++
		line, _ := r.FieldPos(0)
		if row > l.MaxCells {
			// One issue: a row is a stance.
			return nil, loc, append(ps, Problem{Line: line, Field: csvField(row, "actor"), Msg: fmt.Sprintf("more than %d actors; a scenario holds at most %d stances", l.MaxCells, l.MaxCells)})
		}
		get := func(c string) (string, int) {
			i := col[c]
			if i >= len(rec) {
				return "", -1
			}
			return strings.TrimSpace(rec[i]), i
		}
		num := func(c string) (float64, bool) {
			s, i := get(c)
			if i < 0 || s == "" {
				ps.addAt(line, csvField(row, c), "missing %s", c)
				return 0, false
			}
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				ps.addAt(line, csvField(row, c), "%q is not a number", s)
				return 0, false
			}
			return v, true
		}
		id, _ := get("actor")
		a := Actor{ID: id, Name: id, Stances: map[string]Stance{}}
		if v, ok := num("capability"); ok {
			a.Capability = N(v)
		}
		st := Stance{}
		if v, ok := num("position"); ok {
			st.Position = N(v)
		}
		sv, sok := num("salience")
		sals = append(sals, rawSal{sv, sok, line})
		a.Stances[issueID] = st
		sc.Actors = append(sc.Actors, a)
		loc.rows = append(loc.rows, line)
	}
	// Salience is on 0–1 when no value exceeds 1, else on 0–100.
	scale := 1.0
	for _, s := range sals {
		if s.ok && s.v > 1 {
			scale = 100
		}
	}
	sc.SalienceScale = scale
	lo, hi := math.Inf(1), math.Inf(-1)
	for i := range sc.Actors {
		if sals[i].ok {
			st := sc.Actors[i].Stances[issueID]
			st.Salience = N(sals[i].v)
			sc.Actors[i].Stances[issueID] = st
		}
		if p := sc.Actors[i].Stances[issueID].Position; p.Set && finite(p.Value) {
			lo, hi = math.Min(lo, p.Value), math.Max(hi, p.Value)
		}
	}
	if lo < hi {
		sc.Issues[0].Min, sc.Issues[0].Max = lo, hi
	} else if lo == hi {
		// One position: widen the scale by one unit, or by one step of
		// float64 where a unit is lost in rounding.
		sc.Issues[0].Min, sc.Issues[0].Max = lo-1, hi+1
		if lo-1 == lo {
			sc.Issues[0].Min, sc.Issues[0].Max = math.Nextafter(lo, math.Inf(-1)), math.Nextafter(hi, math.Inf(1))
		}
	} else {
		sc.Issues[0].Max = 1
	}
	return sc, loc, ps
}

func csvProblems(err error) Problems {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return Problems{{Line: pe.Line, Msg: pe.Err.Error()}}
	}
	if errors.Is(err, io.EOF) {
		return Problems{{Msg: "empty file"}}
	}
	return Problems{{Msg: err.Error()}}
}
