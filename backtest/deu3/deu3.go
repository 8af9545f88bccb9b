// Package deu3 reads the DEU III data set (Arregui & Perarnaud 2021,
// doi:10.34810/data53): for each contested issue of an EU legislative
// proposal, the positions and saliences of the Commission, the European
// Parliament and the member states on 0–100, the reference point and the
// outcome. It turns each usable issue into a one-issue Parley scenario.
//
// The file is tab-separated with two header rows: row 1 names the columns,
// row 2 holds a per-actor weight (GDP) under each position column. Blank
// cells are missing values. Actors are found from the column pairs
// p<code>/s<code>; the other columns used are prnr (proposal), isnr
// (issue), proc (procedure: COD codecision, CNS consultation), counvte
// (Council voting rule: QMV or Unan), rp (reference point) and out
// (outcome).
package deu3

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/parley-project/parley/scenario"
)

// Actor codes of the two EU institutions; the others are member states
// by two-letter code as DEU III spells them (el Greece, uk United Kingdom).
const (
	Commission = "com"
	Parliament = "ep"
)

// Procedures and Council voting rules as coded in the file.
const (
	Codecision   = "COD"
	Consultation = "CNS"
	QMV          = "QMV"
	Unanimity    = "Unan"
)

// Dataset is a parsed DEU III file.
type Dataset struct {
	// File is the name the data was read from, for messages.
	File string
	// Actors lists the actor codes in column order.
	Actors []string
	// GDP holds row 2's weight for each actor, in Actors order.
	GDP []float64
	// Issues are all data rows in file order, usable or not.
	Issues []Issue
}

// Issue is one data row. Missing values are NaN.
type Issue struct {
	// Line is the row's line number in the file (data starts at line 3).
	Line int
	// Proposal identifies the legislative proposal (column prnr).
	Proposal string
	// ProposalName is its short name (column prname).
	ProposalName string
	// ID identifies the issue (column isnr).
	ID string
	// Procedure is COD or CNS (column proc); Rule is the Council voting
	// rule, QMV or Unan (column counvte; the file's "QMV(10)" is read as
	// QMV).
	Procedure, Rule string
	// Position and Salience are per actor, in Dataset.Actors order.
	Position, Salience []float64
	// Reference is the reference point (status quo), Outcome the outcome.
	Reference, Outcome float64
}

// Positioned returns the number of actors with a position.
func (is *Issue) Positioned() int {
	n := 0
	for _, p := range is.Position {
		if !math.IsNaN(p) {
			n++
		}
	}
	return n
}

// Caring returns the number of positioned actors whose salience is not 0
// (a missing salience is imputed, see Conversion): the actors ToScenario
// keeps.
func (is *Issue) Caring() int {
	n := 0
	for k, p := range is.Position {
		if !math.IsNaN(p) && is.Salience[k] != 0 {
			n++
		}
	}
	return n
}

// MinActors is the fewest positioned actors, and the fewest positioned
// actors with a salience above 0, an issue needs to be used.
const MinActors = 3

// SkipReason says why an issue is not used, or "" when it is usable.
func (is *Issue) SkipReason() string {
	switch {
	case math.IsNaN(is.Outcome):
		return "no outcome"
	case is.Positioned() < MinActors:
		return fmt.Sprintf("fewer than %d positioned actors", MinActors)
	case is.Caring() < MinActors:
		return fmt.Sprintf("fewer than %d positioned actors with a salience above 0", MinActors)
	}
	return ""
}

// Usable returns the issues that can be scored under every capability
// scheme: with an outcome, at least MinActors positioned actors, at least
// MinActors of them with a salience above 0 (those with salience 0 are
// left out of the scenario, which would otherwise hold one or two actors)
// and a GDP weight above 0 for at least one of those (else the GDP scheme
// gives every actor capability 0, a scenario no model can run, which
// stopped the whole backtest). It also returns how many issues were
// skipped for each reason.
func (d *Dataset) Usable() (used []Issue, skipped map[string]int) {
	skipped = map[string]int{}
	for _, is := range d.Issues {
		r := is.SkipReason()
		if r == "" && !d.weighted(&is) {
			r = "no GDP weight among the actors with a salience above 0"
		}
		if r != "" {
			skipped[r]++
			continue
		}
		used = append(used, is)
	}
	return used, skipped
}

// weighted reports whether an actor that ToScenario keeps has a GDP
// weight above 0.
func (d *Dataset) weighted(is *Issue) bool {
	for k, p := range is.Position {
		if !math.IsNaN(p) && is.Salience[k] != 0 && d.GDP[k] > 0 {
			return true
		}
	}
	return false
}

// Error is a problem in a DEU III file, located by line and column.
type Error struct {
	File   string
	Line   int
	Column string
	Msg    string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Column != "" {
		fmt.Fprintf(&b, ": column %s", e.Column)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

// required names the columns every file must have besides the actors'.
var required = []string{"prnr", "isnr", "proc", "counvte", "rp", "out"}

// Read parses a DEU III file. name is used in error messages.
func Read(r io.Reader, name string) (*Dataset, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, &Error{File: name, Msg: err.Error()}
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = '\t'
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	fail := func(line int, col, format string, args ...any) error {
		return &Error{File: name, Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}
	}
	var colNames []string // the column names, once read
	readRow := func() ([]string, int, error) {
		rec, err := cr.Read()
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, pe.Line, fail(pe.Line, "", "%v", pe.Err)
			}
			if err == io.EOF {
				return nil, 0, err
			}
			return nil, 0, fail(0, "", "%v", err)
		}
		line, _ := cr.FieldPos(0)
		for i, f := range rec {
			// The cells become scenario names and titles, printed on
			// terminals: control characters are refused as in scenarios.
			if r, bad := scenario.ControlCharacter(f, false); bad {
				col := fmt.Sprint(i + 1)
				if i < len(colNames) {
					col = colNames[i]
				}
				return nil, line, fail(line, col, "control character %U in the cell", r)
			}
		}
		return rec, line, nil
	}
	header, _, err := readRow()
	colNames = header
	if err == io.EOF {
		return nil, fail(0, "", "empty file: want a header row of column names")
	}
	if err != nil {
		return nil, err
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		if h == "" {
			return nil, fail(1, fmt.Sprint(i+1), "empty column name")
		}
		if _, dup := col[h]; dup {
			return nil, fail(1, h, "duplicate column name")
		}
		col[h] = i
	}
	for _, c := range required {
		if _, ok := col[c]; !ok {
			return nil, fail(1, c, "missing column (want %s)", strings.Join(required, ", "))
		}
	}
	d := &Dataset{File: name}
	var pcol, scol []int
	for i, h := range header {
		h = strings.TrimSpace(h)
		if len(h) < 2 || h[0] != 'p' {
			continue
		}
		if j, ok := col["s"+h[1:]]; ok {
			d.Actors = append(d.Actors, h[1:])
			pcol, scol = append(pcol, i), append(scol, j)
		}
	}
	if len(d.Actors) == 0 {
		return nil, fail(1, "", "no actor columns: want pairs p<actor> and s<actor>")
	}
	cell := func(rec []string, i int) string {
		if i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	// number parses a cell; blank is NaN. lim > 0 bounds the value to 0..lim.
	number := func(rec []string, line, i int, lim float64) (float64, error) {
		s := cell(rec, i)
		if s == "" {
			return math.NaN(), nil
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, fail(line, header[i], "%q is not a number", s)
		}
		if v < 0 || (lim > 0 && v > lim) {
			if lim > 0 {
				return 0, fail(line, header[i], "%g is outside 0 to %g", v, lim)
			}
			return 0, fail(line, header[i], "%g is negative", v)
		}
		return v, nil
	}
	weights, line, err := readRow()
	if err == io.EOF {
		return nil, fail(2, "", "missing row 2 (the actors' GDP weights)")
	}
	if err != nil {
		return nil, err
	}
	if len(weights) > len(header) {
		return nil, fail(line, "", "%d fields, but the header has %d", len(weights), len(header))
	}
	for k, i := range pcol {
		v, err := number(weights, line, i, 0)
		if err != nil {
			return nil, err
		}
		if math.IsNaN(v) {
			return nil, fail(line, header[i], "missing GDP weight for actor %s", d.Actors[k])
		}
		d.GDP = append(d.GDP, v)
	}
	for {
		rec, line, err := readRow()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if len(rec) > len(header) {
			return nil, fail(line, "", "%d fields, but the header has %d", len(rec), len(header))
		}
		is := Issue{
			Line:         line,
			Proposal:     cell(rec, col["prnr"]),
			ProposalName: cell(rec, col["prname"]),
			ID:           cell(rec, col["isnr"]),
			Procedure:    cell(rec, col["proc"]),
			Rule:         cell(rec, col["counvte"]),
		}
		if _, ok := col["prname"]; !ok {
			is.ProposalName = ""
		}
		if is.Proposal == "" {
			return nil, fail(line, "prnr", "missing proposal id")
		}
		if is.ID == "" {
			return nil, fail(line, "isnr", "missing issue id")
		}
		switch is.Procedure {
		case Codecision, Consultation:
		default:
			return nil, fail(line, "proc", "unknown procedure %q (want %s or %s)", is.Procedure, Codecision, Consultation)
		}
		switch {
		case is.Rule == QMV || strings.HasPrefix(is.Rule, QMV+"("):
			is.Rule = QMV
		case is.Rule == Unanimity:
		default:
			return nil, fail(line, "counvte", "unknown Council voting rule %q (want %s or %s)", is.Rule, QMV, Unanimity)
		}
		is.Position = make([]float64, len(d.Actors))
		is.Salience = make([]float64, len(d.Actors))
		for k := range d.Actors {
			if is.Position[k], err = number(rec, line, pcol[k], 100); err != nil {
				return nil, err
			}
			if is.Salience[k], err = number(rec, line, scol[k], 100); err != nil {
				return nil, err
			}
		}
		if is.Reference, err = number(rec, line, col["rp"], 100); err != nil {
			return nil, err
		}
		if is.Outcome, err = number(rec, line, col["out"], 100); err != nil {
			return nil, err
		}
		d.Issues = append(d.Issues, is)
	}
	if len(d.Issues) == 0 {
		return nil, fail(0, "", "no data rows after the two header rows")
	}
	return d, nil
}
