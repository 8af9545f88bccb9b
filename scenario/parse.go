package scenario

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// File formats Parley reads.
const (
	FormatYAML   = "yaml"
	FormatJSON   = "json"
	FormatBDMCSV = "bdm-csv"
)

// locator turns a field path of the scenario into a line and a field name
// in the terms of the file's own format.
type locator interface {
	locate(path string) (line int, field string)
}

// Detect names the format of a scenario file from its content alone.
func Detect(data []byte) string {
	t := bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\ufeff")))
	switch {
	case len(t) > 0 && (t[0] == '{' || t[0] == '['):
		return FormatJSON
	case isBDMCSV(data):
		return FormatBDMCSV
	default:
		return FormatYAML
	}
}

// Parse reads a scenario in any supported format, detected from the
// content, and validates it. file names the input in messages. On failure
// the error is a Problems list holding every problem found.
func Parse(data []byte, file string) (*Scenario, error) {
	sc, loc, ps := decode(data, file)
	if sc != nil {
		ps = append(ps, sc.check()...)
	}
	if len(ps) > 0 {
		for i := range ps {
			if ps[i].Line == 0 && loc != nil {
				ps[i].Line, ps[i].Field = loc.locate(ps[i].Field)
			}
			ps[i].File = file
		}
		ps.sortByLine()
		return nil, ps
	}
	sc.File = file
	return sc, nil
}

func decode(data []byte, file string) (*Scenario, locator, Problems) {
	switch Detect(data) {
	case FormatBDMCSV:
		name := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
		if name == "" || name == "." {
			name = "bdm"
		}
		sc, loc, ps := parseBDMCSV(data, name)
		return sc, loc, ps
	case FormatJSON:
		root, err := jsonToNode(data)
		if err != nil {
			return nil, nil, err.(Problems)
		}
		sc, ps := decodeNative(root)
		return sc, nodeLocator{root}, ps
	default:
		root, err := parseYAML(data)
		if err != nil {
			return nil, nil, err.(Problems)
		}
		sc, ps := decodeNative(root)
		return sc, nodeLocator{root}, ps
	}
}

// Load reads and validates the scenario file at path.
func Load(path string) (*Scenario, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading scenario: %w", err)
	}
	return Parse(data, path)
}
