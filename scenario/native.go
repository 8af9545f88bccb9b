package scenario

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// PositionEntry is one row of the long-form position table that a native
// file may give instead of (or besides) per-actor stances.
type PositionEntry struct {
	Actor    string `yaml:"actor" json:"actor"`
	Issue    string `yaml:"issue" json:"issue"`
	Position Number `yaml:"position" json:"position"`
	Salience Number `yaml:"salience" json:"salience"`
	// Capability is the actor's capability on the issue, when it differs
	// from the actor's own (optional).
	Capability Number `yaml:"capability,omitempty" json:"capability,omitzero"`
}

// nativeFile is the layout of a YAML or JSON scenario file.
type nativeFile struct {
	Scenario  `yaml:",inline"`
	Positions []PositionEntry `yaml:"positions,omitempty"`
}

// parseYAML reads a native YAML scenario.
func parseYAML(data []byte) (*yaml.Node, error) {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, Problems{{Msg: "empty file"}}
		}
		return nil, yamlProblems(err)
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case err == nil:
		return nil, Problems{{Line: extra.Line, Msg: "more than one YAML document; a scenario file holds one"}}
	case !errors.Is(err, io.EOF):
		return nil, yamlProblems(err)
	}
	if len(doc.Content) == 0 {
		return nil, Problems{{Msg: "empty file"}}
	}
	return doc.Content[0], nil
}

var yamlLineRE = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// yamlProblems turns a yaml.v3 error into problems with line numbers.
func yamlProblems(err error) Problems {
	var msgs []string
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	} else {
		msgs = []string{err.Error()}
	}
	var ps Problems
	for _, m := range msgs {
		if sub := yamlLineRE.FindStringSubmatch(m); sub != nil {
			line, _ := strconv.Atoi(sub[1])
			// yaml.v3 numbers the lines of parser errors from 0 (scanner
			// and type errors from 1); its parser errors are the "did not
			// find expected ..." ones.
			if strings.HasPrefix(sub[2], "did not find expected") {
				line++
			}
			ps = append(ps, Problem{Line: line, Msg: sub[2]})
		} else {
			ps = append(ps, Problem{Msg: strings.TrimPrefix(m, "yaml: ")})
		}
	}
	return ps
}

// decodeNative turns a YAML or JSON document tree into a scenario,
// reporting unknown fields, type errors and misplaced positions.
func decodeNative(root *yaml.Node, lim Limits) (*Scenario, map[string]string, Problems) {
	if root.Kind == yaml.ScalarNode && (root.Tag == "!!null" || root.Value == "") {
		return nil, nil, Problems{{Msg: "empty file"}}
	}
	if root.Kind != yaml.MappingNode {
		return nil, nil, Problems{{Line: root.Line, Msg: "a scenario file must be a mapping with name, issues and actors"}}
	}
	if ps := nativeCells(root, lim.MaxCells); ps != nil {
		return nil, nil, ps
	}
	var ps Problems
	checkKnownFields(root, reflect.TypeFor[nativeFile](), "", &ps)
	var f nativeFile
	err := root.Decode(&f)
	// checkKnownFields also finds the numbers that are not numbers, by
	// field; Decode reports the same by line only, or accepts a fraction
	// by truncating it into an integer field.
	numbers := map[int]bool{}
	for _, p := range ps {
		if p.Msg != "unknown field" {
			numbers[p.Line] = true
		}
	}
	if err != nil {
		tps := yamlProblems(err)
		for i := range tps {
			if tps[i].Line > 0 {
				tps[i].Field, _ = pathAtLine(root, "", tps[i].Line)
			}
			if !numbers[tps[i].Line] {
				ps = append(ps, tps[i])
			}
		}
		return nil, nil, ps
	}
	if len(numbers) > 0 {
		return nil, nil, ps
	}
	sc := f.Scenario
	l := problemList{ps: ps}
	rewrite := map[string]string{}
	for i, e := range f.Positions {
		field := fmt.Sprintf("positions[%d]", i)
		a := sc.Actor(e.Actor)
		switch {
		case e.Actor == "":
			l.add(field+".actor", "missing actor id")
		case a == nil:
			l.add(field+".actor", "unknown actor %q", e.Actor)
		}
		switch {
		case e.Issue == "":
			l.add(field+".issue", "missing issue id")
		case sc.Issue(e.Issue) == nil:
			l.add(field+".issue", "unknown issue %q", e.Issue)
		}
		if a == nil || e.Issue == "" || sc.Issue(e.Issue) == nil {
			continue
		}
		if _, dup := a.Stances[e.Issue]; dup {
			l.add(field, "actor %q already has a position on issue %q", e.Actor, e.Issue)
			continue
		}
		if a.Stances == nil {
			a.Stances = map[string]Stance{}
		}
		a.Stances[e.Issue] = Stance{Position: e.Position, Salience: e.Salience, Capability: e.Capability}
		rewrite[fmt.Sprintf("actors[%d].stances.%s", slices.IndexFunc(sc.Actors, func(x Actor) bool { return x.ID == e.Actor }), e.Issue)] = field
	}
	return &sc, rewrite, l.ps
}

// nativeCells reports, before the document is decoded, a scenario whose
// actors × issues, or whose long-form positions table, exceed maxCells.
func nativeCells(root *yaml.Node, maxCells int) Problems {
	seq := map[string]*yaml.Node{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		if k, v := root.Content[i], root.Content[i+1]; v.Kind == yaml.SequenceNode {
			seq[k.Value] = v
		}
	}
	count := func(key string) int {
		if n := seq[key]; n != nil {
			return len(n.Content)
		}
		return 0
	}
	if err := CheckCells(count("actors"), count("issues"), maxCells); err != nil {
		return Problems{{Line: seq["actors"].Line, Field: "actors", Msg: err.Error()}}
	}
	if n := count("positions"); n > maxCells {
		return Problems{{Line: seq["positions"].Line, Field: "positions", Msg: fmt.Sprintf("%d positions is more than the limit of %d stances", n, maxCells)}}
	}
	return nil
}

// checkKnownFields reports mapping keys that the scenario layout does not
// know, which are most often typing mistakes.
func checkKnownFields(n *yaml.Node, t reflect.Type, path string, ps *Problems) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case n.Kind == yaml.ScalarNode && n.Tag != "!!null" && numeric(t):
		checkNumber(n, t, path, ps)
	case t == reflect.TypeFor[Number]():
		if n.Kind == yaml.MappingNode {
			checkKnownFields(n, reflect.TypeFor[numberFields](), path, ps)
		}
	case t.Kind() == reflect.Struct && n.Kind == yaml.MappingNode:
		fields := map[string]reflect.Type{}
		collectFields(t, fields)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Tag == "!!merge" || k.Value == "<<" {
				checkKnownFields(v, t, path, ps)
				continue
			}
			ft, ok := fields[k.Value]
			if !ok {
				*ps = append(*ps, Problem{Line: k.Line, Field: joinPath(path, k.Value), Msg: "unknown field"})
				continue
			}
			checkKnownFields(v, ft, joinPath(path, k.Value), ps)
		}
	case t.Kind() == reflect.Slice && n.Kind == yaml.SequenceNode:
		for i, c := range n.Content {
			checkKnownFields(c, t.Elem(), fmt.Sprintf("%s[%d]", path, i), ps)
		}
	case t.Kind() == reflect.Map && n.Kind == yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			checkKnownFields(n.Content[i+1], t.Elem(), joinPath(path, n.Content[i].Value), ps)
		}
	}
}

// numeric reports whether a scalar of type t must be a number: a Number,
// an integer or a float field.
func numeric(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return true
	}
	return t == reflect.TypeFor[Number]()
}

// checkNumber reports a scalar that is not the number its field wants,
// with the field's path: a string where a number belongs, or a fraction
// where a whole number belongs (yaml.v3 would silently truncate 2.5 to 2
// in an integer field such as an evidence paragraph).
func checkNumber(n *yaml.Node, t reflect.Type, path string, ps *Problems) {
	target := reflect.New(t).Interface()
	if t == reflect.TypeFor[Number]() {
		target = new(float64)
	}
	var v float64
	err := n.Decode(target)
	if err == nil {
		err = n.Decode(&v)
	}
	if err != nil {
		for _, p := range yamlProblems(err) {
			*ps = append(*ps, Problem{Line: n.Line, Field: path, Msg: p.Msg})
		}
		return
	}
	if t.Kind() != reflect.Float32 && t.Kind() != reflect.Float64 && t != reflect.TypeFor[Number]() &&
		(v != math.Trunc(v) || math.IsInf(v, 0)) {
		ps.addAt(n.Line, path, "want a whole number, got %s", n.Value)
	}
}

func collectFields(t reflect.Type, out map[string]reflect.Type) {
	for f := range t.Fields() {
		tag := f.Tag.Get("yaml")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		if strings.Contains(opts, "inline") {
			collectFields(f.Type, out)
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		out[name] = f.Type
	}
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// nodeLocator finds the line of a field path in a YAML or JSON document.
// rewrite maps path prefixes of merged data to where they were written
// (stances that came from the long-form positions table).
type nodeLocator struct {
	root    *yaml.Node
	rewrite map[string]string
}

func (l nodeLocator) locate(path string) (int, string) {
	for from, to := range l.rewrite {
		if path == from || strings.HasPrefix(path, from+".") {
			path = to + strings.TrimPrefix(path, from)
			break
		}
	}
	return l.line(path), path
}

// line walks the path through the document: "[i]" selects a sequence
// item and ".key" a mapping entry, where the longest key that matches
// wins, so ids that contain dots are found. A mapping entry's line is the
// line of its key.
func (l nodeLocator) line(path string) int {
	n := l.root
	if n == nil {
		return 0
	}
	line := n.Line
	rest := path
	for rest != "" && n != nil {
		rest = strings.TrimPrefix(rest, ".")
		var next *yaml.Node
		nextLine := 0
		if strings.HasPrefix(rest, "[") {
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				break
			}
			i, err := strconv.Atoi(rest[1:end])
			if err == nil && n.Kind == yaml.SequenceNode && i >= 0 && i < len(n.Content) {
				next = n.Content[i]
				nextLine = next.Line
			}
			rest = rest[end+1:]
		} else if n.Kind == yaml.MappingNode {
			best := -1
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i].Value
				if strings.HasPrefix(rest, k) && (len(rest) == len(k) || rest[len(k)] == '.' || rest[len(k)] == '[') &&
					(best < 0 || len(k) > len(n.Content[best].Value)) {
					best = i
				}
			}
			if best >= 0 {
				next = n.Content[best+1]
				nextLine = n.Content[best].Line
				rest = rest[len(n.Content[best].Value):]
			}
		}
		if next == nil {
			break
		}
		n = next
		if nextLine > 0 {
			line = nextLine
		}
	}
	return line
}

// pathAtLine returns the path of the first scalar value written on the
// given line, to name the field of errors that carry only a line.
func pathAtLine(n *yaml.Node, path string, line int) (string, bool) {
	switch n.Kind {
	case yaml.ScalarNode:
		return path, n.Line == line
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			p := joinPath(path, n.Content[i].Value)
			if n.Content[i].Line == line {
				return p, true
			}
			if found, ok := pathAtLine(n.Content[i+1], p, line); ok {
				return found, true
			}
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			if found, ok := pathAtLine(c, fmt.Sprintf("%s[%d]", path, i), line); ok {
				return found, true
			}
		}
	}
	return "", false
}

// jsonToNode parses JSON into a YAML node tree that keeps the line of every
// value, so that JSON and YAML files share one decoder and one locator. It
// stops at the first value nested deeper than MaxDepth, the first key
// beyond MaxKeys of a mapping, or beyond maxValues values, with a problem naming its line and field.
func jsonToNode(data []byte, maxValues int) (*yaml.Node, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var newlines []int64
	for i, b := range data {
		if b == '\n' {
			newlines = append(newlines, int64(i))
		}
	}
	lineAt := func(off int64) int {
		i, _ := slices.BinarySearch(newlines, off)
		return i + 1
	}
	// path holds the keys and indices down to the value being read, to
	// name the field of a limit's problem.
	type step struct {
		key string
		idx int // -1 for a key
	}
	var path []step
	field := func() string {
		var b strings.Builder
		for _, s := range path {
			if s.idx >= 0 {
				fmt.Fprintf(&b, "[%d]", s.idx)
			} else {
				if b.Len() > 0 {
					b.WriteByte('.')
				}
				b.WriteString(s.key)
			}
		}
		return b.String()
	}
	values := 0
	var limit Problems
	var parse func() (*yaml.Node, error)
	parse = func() (*yaml.Node, error) {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		line := lineAt(dec.InputOffset() - 1)
		if values++; values > maxValues {
			limit = Problems{{Line: line, Field: field(), Msg: fmt.Sprintf("more than %d values; a scenario file holds at most that many", maxValues)}}
			return nil, limit
		}
		switch t := tok.(type) {
		case json.Delim:
			if len(path) >= MaxDepth {
				limit = Problems{{Line: line, Field: field(), Msg: errTooDeep.Error()}}
				return nil, limit
			}
			kind, tag, end := yaml.MappingNode, "!!map", json.Delim('}')
			if t == '[' {
				kind, tag, end = yaml.SequenceNode, "!!seq", ']'
			}
			n := &yaml.Node{Kind: kind, Tag: tag, Line: line}
			for i := 0; dec.More(); i++ {
				s := step{idx: i}
				if kind == yaml.MappingNode {
					if i == MaxKeys {
						limit = Problems{{Line: line, Field: field(), Msg: errTooManyKeys.Error()}}
						return nil, limit
					}
					kt, err := dec.Token()
					if err != nil {
						return nil, err
					}
					key, _ := kt.(string)
					n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key, Line: lineAt(dec.InputOffset() - 1)})
					s = step{key: key, idx: -1}
				}
				path = append(path, s)
				c, err := parse()
				if err != nil {
					return nil, err
				}
				path = path[:len(path)-1]
				n.Content = append(n.Content, c)
			}
			if tok, err := dec.Token(); err != nil || tok != end {
				return nil, fmt.Errorf("unterminated %v", t)
			}
			return n, nil
		case string:
			return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: t, Style: yaml.DoubleQuotedStyle, Line: line}, nil
		case json.Number:
			if _, err := strconv.ParseInt(string(t), 10, 64); err == nil {
				return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: string(t), Line: line}, nil
			}
			// Beyond int64, or a fraction: carry the float64 value (±Inf when
			// out of range, which validation then reports at this line).
			f, _ := strconv.ParseFloat(string(t), 64)
			v := strconv.FormatFloat(f, 'g', -1, 64)
			switch {
			case math.IsInf(f, 1):
				v = ".inf"
			case math.IsInf(f, -1):
				v = "-.inf"
			}
			return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!float", Value: v, Line: line}, nil
		case bool:
			return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(t), Line: line}, nil
		default: // nil
			return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null", Line: line}, nil
		}
	}
	root, err := parse()
	if limit != nil {
		return nil, limit
	}
	if err != nil {
		return nil, jsonProblem(err, lineAt(dec.InputOffset()))
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, Problems{{Line: lineAt(dec.InputOffset()), Msg: "unexpected data after the JSON document"}}
	}
	return root, nil
}

func jsonProblem(err error, line int) Problems {
	var se *json.SyntaxError
	msg := err.Error()
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		msg = "unexpected end of JSON input"
	} else if errors.As(err, &se) {
		msg = "invalid JSON: " + se.Error()
	}
	return Problems{{Line: line, Msg: msg}}
}
