package scenario

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"
)

// File formats Parley reads.
const (
	FormatYAML    = "yaml"
	FormatJSON    = "json"
	FormatBDMCSV  = "bdm-csv"
	FormatKTAB    = "ktab-csv"
	FormatKTABXML = "ktab-xml"
	// FormatDecide is declared in decide.go.
)

// locator turns a field path of the scenario into a line and a field name
// in the terms of the file's own format.
type locator interface {
	locate(path string) (line int, field string)
}

// Detect names the format of a scenario file from its content alone.
func Detect(data []byte) string {
	data = fromUTF16(data)
	t := bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\ufeff")))
	switch {
	case len(t) > 0 && (t[0] == '{' || t[0] == '['):
		// A YAML file may be written as one flow mapping. The content is
		// JSON when it parses as JSON, when its first key is quoted as JSON
		// requires, or when it does not parse as YAML either.
		if json.Valid(t) {
			return FormatJSON
		}
		if rest := bytes.TrimLeft(t[1:], " \t\r\n"); len(rest) > 0 && (rest[0] == '"' || rest[0] == '}' || rest[0] == '{' || rest[0] == '[') {
			return FormatJSON
		}
		var n yaml.Node
		if yaml.Unmarshal(t, &n) == nil {
			return FormatYAML
		}
		return FormatJSON
	case isKTABXML(data):
		return FormatKTABXML
	case isDecide(data):
		return FormatDecide
	case isKTABCSV(data):
		return FormatKTAB
	case isBDMCSV(data):
		return FormatBDMCSV
	default:
		return FormatYAML
	}
}

// Parse reads a scenario in any supported format, detected from the
// content, and validates it, with the further checks given. file names the
// input in messages. On failure the error is a Problems list holding every
// problem found, the checks' problems located in the file like the
// scenario's own.
func Parse(data []byte, file string, checks ...Check) (*Scenario, error) {
	return DefaultLimits.Parse(data, file, checks...)
}

// Parse is the package's Parse within the limits l.
func (l Limits) Parse(data []byte, file string, checks ...Check) (*Scenario, error) {
	l = l.withDefaults()
	data = fromUTF16(data)
	format := Detect(data)
	data, cp1252 := fromWindows1252(data, format)
	if cp1252 > 0 {
		// Decoded from Windows-1252: detect the format of the UTF-8 text.
		format = Detect(data)
	}
	sc, loc, ps := decode(data, format, file, l)
	if sc != nil {
		if err := CheckCells(len(sc.Actors), len(sc.Issues), l.MaxCells); err != nil {
			// Too large to check or run: say so and nothing else.
			sc, ps = nil, Problems{{Field: "actors", Msg: err.Error()}}
		}
	}
	if sc != nil {
		// Locate the semantic problems and drop any that repeat, at the
		// same place, a problem the reader already reported.
		seen := map[[2]string]bool{}
		for i, p := range ps {
			if p.Line == 0 && loc != nil {
				ps[i].Line, ps[i].Field = loc.locate(p.Field)
			}
			seen[[2]string{fmt.Sprint(ps[i].Line), ps[i].Field}] = true
		}
		found := sc.check()
		for _, c := range checks {
			found = append(found, c(sc)...)
		}
		for _, p := range found {
			if loc != nil {
				p.Line, p.Field = loc.locate(p.Field)
			}
			if !seen[[2]string{fmt.Sprint(p.Line), p.Field}] {
				ps = append(ps, p)
			}
		}
	}
	if len(ps) > 0 {
		last := bytes.Count(data, []byte("\n"))
		if len(data) > 0 && data[len(data)-1] != '\n' {
			last++
		}
		for i := range ps {
			ps[i].File = file
			ps[i].Line = min(ps[i].Line, max(last, 1))
		}
		ps.sortByLine()
		return nil, capProblems(ps)
	}
	sc.File = file
	if cp1252 > 0 {
		sc.Warnings = append(Problems{{Line: cp1252, Msg: "not UTF-8: read as Windows-1252 (Latin-1 with Windows' quotation marks), as Excel writes CSV files on Windows; save the file as UTF-8 if its accents come out wrong"}}, sc.Warnings...)
	}
	for i := range sc.Warnings {
		sc.Warnings[i].File = file
	}
	return sc, nil
}

// decode reads data of the given format (Detect's name of it).
func decode(data []byte, format, file string, l Limits) (*Scenario, locator, Problems) {
	switch format {
	case FormatDecide:
		sc, loc, ps := parseDecide(data, baseName(file, "decide"), l)
		return sc, loc, ps
	case FormatBDMCSV:
		sc, loc, ps := parseBDMCSV(data, baseName(file, "bdm"), l)
		return sc, loc, ps
	case FormatKTAB:
		sc, loc, ps := parseKTABCSV(data, l)
		return sc, loc, ps
	case FormatKTABXML:
		sc, loc, ps := parseKTABXML(data, l)
		return sc, loc, ps
	case FormatJSON:
		root, err := jsonToNode(bytes.TrimPrefix(data, []byte("\ufeff")), l.MaxValues)
		if err != nil {
			return nil, nil, err.(Problems)
		}
		sc, rewrite, ps := decodeNative(root, l)
		return sc, nodeLocator{root, rewrite}, ps
	default:
		root, err := parseYAML(data)
		if err != nil {
			return nil, nil, err.(Problems)
		}
		if ps := checkTree(root, l.MaxValues); ps != nil {
			return nil, nil, ps
		}
		sc, rewrite, ps := decodeNative(root, l)
		return sc, nodeLocator{root, rewrite}, ps
	}
}

// baseName names a scenario after its file, or def when the file has no
// usable name.
func baseName(file, def string) string {
	name := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	if name == "" || name == "." {
		return def
	}
	return name
}

// Load reads and validates the scenario file at path, with the further
// checks given (see Parse).
func Load(path string, checks ...Check) (*Scenario, error) {
	return DefaultLimits.Load(path, checks...)
}

// Load is the package's Load within the limits l: it reads at most
// l.MaxBytes of the file (a larger file is one problem, "larger than the
// input limit") and parses it with l.Parse.
func (l Limits) Load(path string, checks ...Check) (*Scenario, error) {
	l = l.withDefaults()
	data, err := ReadFile(path, l.MaxBytes)
	var tl *TooLargeError
	if errors.As(err, &tl) {
		return nil, Problems{{File: path, Msg: TooLargeMsg(tl.Limit)}}
	}
	if err != nil {
		return nil, fmt.Errorf("reading scenario: %w", err)
	}
	return l.Parse(data, path, checks...)
}
