package scenario

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// xmlNode is an element of a small DOM that keeps line numbers.
type xmlNode struct {
	name     string
	text     string
	line     int
	children []*xmlNode
}

func (n *xmlNode) all(name string) []*xmlNode {
	var out []*xmlNode
	for _, c := range n.children {
		if c.name == name {
			out = append(out, c)
		}
	}
	return out
}

func (n *xmlNode) first(name string) *xmlNode {
	for _, c := range n.children {
		if c.name == name {
			return c
		}
	}
	return nil
}

// parseXMLTree reads an XML document into xmlNodes. It refuses elements
// nested deeper than MaxDepth and documents of more than maxElements
// elements, with the line and the path of the element.
func parseXMLTree(data []byte, maxElements int) (*xmlNode, error) {
	dec := xml.NewDecoder(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	dec.Strict = true
	var stack []*xmlNode
	// text gathers the character data of the open elements (appended,
	// not concatenated: an element's text may come in many pieces).
	var text [][]byte
	var root *xmlNode
	elements := 0
	path := func(last string) string {
		names := make([]string, 0, len(stack)+1)
		for _, n := range stack {
			names = append(names, n.name)
		}
		return strings.Join(append(names, last), "/")
	}
	for {
		line, _ := dec.InputPos()
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if elements++; elements > maxElements {
				return nil, &limitError{Problem{Line: line, Field: path(t.Name.Local), Msg: fmt.Sprintf("more than %d elements; a scenario file holds at most that many", maxElements)}}
			}
			if len(stack) >= MaxDepth {
				return nil, &limitError{Problem{Line: line, Field: path(t.Name.Local), Msg: errTooDeep.Error()}}
			}
			n := &xmlNode{name: t.Name.Local, line: line}
			if len(stack) == 0 {
				if root != nil {
					return nil, &xml.SyntaxError{Msg: "more than one root element", Line: line}
				}
				root = n
			} else {
				p := stack[len(stack)-1]
				p.children = append(p.children, n)
			}
			stack = append(stack, n)
			text = append(text, nil)
		case xml.EndElement:
			stack[len(stack)-1].text = string(text[len(text)-1])
			stack, text = stack[:len(stack)-1], text[:len(text)-1]
		case xml.CharData:
			if len(text) > 0 {
				text[len(text)-1] = append(text[len(text)-1], t...)
			}
		}
	}
	if root == nil {
		return nil, &xml.SyntaxError{Msg: "no root element", Line: 1}
	}
	return root, nil
}

// limitError is a limit that a reader stopped at, as a located problem.
type limitError struct{ p Problem }

func (e *limitError) Error() string { return e.p.String() }

// isKTABXML reports whether data is an XML document whose root element is
// KTAB's <Scenario>.
func isKTABXML(data []byte) bool {
	t := bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\ufeff")))
	if len(t) == 0 || t[0] != '<' {
		return false
	}
	dec := xml.NewDecoder(bytes.NewReader(t))
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se.Name.Local == "Scenario"
		}
	}
}

// xmlLocator maps scenario paths to the lines of a KTAB XML file.
type xmlLocator struct {
	root   *xmlNode
	actors []*xmlNode
	dims   *xmlNode
}

func (l xmlLocator) locate(path string) (int, string) {
	if m := stancePathRE.FindStringSubmatch(path); m != nil {
		if i, _ := strconv.Atoi(m[1]); i < len(l.actors) {
			a := l.actors[i]
			f := fmt.Sprintf("Actor %d", i+1)
			switch {
			case m[2] == "capability":
				if c := a.first("capability"); c != nil {
					return c.line, f + " capability"
				}
			case m[4] == "position":
				if c := a.first("Position"); c != nil {
					return c.line, f + " Position (issue " + m[3] + ")"
				}
			case m[4] == "salience":
				if c := a.first("Salience"); c != nil {
					return c.line, f + " Salience (issue " + m[3] + ")"
				}
			}
			return a.line, f
		}
	}
	if strings.HasPrefix(path, "issues") && l.dims != nil {
		return l.dims.line, "Dimensions"
	}
	if path == "ktab.seed" {
		if c := l.root.first("prngSeed"); c != nil {
			return c.line, "prngSeed"
		}
	}
	if strings.HasPrefix(path, "ktab.parameters") {
		if mp := l.root.first("ModelParameters"); mp != nil {
			name := strings.TrimPrefix(path, "ktab.parameters.")
			if c := mp.first(name); c != nil {
				return c.line, "ModelParameters " + name
			}
			return mp.line, "ModelParameters"
		}
	}
	return l.root.line, path
}

// parseKTABXML reads KTAB's XML scenario format (smpread.cpp xmlRead):
// <Scenario> with name, desc, prngSeed, optional ModelParameters,
// Dimensions/dName, Actors/Actor (name, description, capability,
// Position/dCoord, Salience/dSal) and optional IdealAdjustment/iaPair.
func parseKTABXML(data []byte, l Limits) (*Scenario, xmlLocator, Problems) {
	root, err := parseXMLTree(data, l.MaxValues)
	if err != nil {
		var se *xml.SyntaxError
		var le *limitError
		switch {
		case errors.As(err, &se):
			return nil, xmlLocator{}, Problems{{Line: se.Line, Msg: se.Msg}}
		case errors.As(err, &le):
			return nil, xmlLocator{}, Problems{le.p}
		}
		return nil, xmlLocator{}, Problems{{Msg: err.Error()}}
	}
	loc := xmlLocator{root: root}
	var ps Problems
	text := func(n *xmlNode, name string) (string, *xmlNode) {
		c := n.first(name)
		if c == nil {
			ps.addAt(n.line, n.name, "missing element <%s>", name)
			return "", nil
		}
		return strings.TrimSpace(c.text), c
	}
	num := func(n *xmlNode, field string) (float64, bool) {
		v, ok := parseFinite(strings.TrimSpace(n.text))
		if !ok {
			ps.addAt(n.line, field, "%q is not a number", strings.TrimSpace(n.text))
			return 0, false
		}
		return v, true
	}
	sc := &Scenario{SalienceScale: 100, KTAB: &KTAB{}}
	sc.Name, _ = text(root, "name")
	sc.Description, _ = text(root, "desc")
	if sc.Name == "" {
		sc.Name = "ktab"
	}
	if seed, n := text(root, "prngSeed"); n != nil {
		sc.KTAB.Seed = seed // validation checks it; locate names the line
	}
	if mp := root.first("ModelParameters"); mp != nil {
		sc.KTAB.Parameters = map[string]string{}
		for _, p := range KTABParameters {
			if v, n := text(mp, p.Name); n != nil {
				sc.KTAB.Parameters[p.Name] = v
			}
		}
	}
	var names []string
	if dims := root.first("Dimensions"); dims == nil {
		ps.addAt(root.line, "Scenario", "missing element <Dimensions>")
	} else {
		loc.dims = dims
		for _, d := range dims.all("dName") {
			t := strings.TrimSpace(d.text)
			if t == "" {
				ps.addAt(d.line, "dName", "empty dimension name")
			}
			names = append(names, t)
		}
		if len(names) == 0 {
			ps.addAt(dims.line, "Dimensions", "no <dName> elements")
		}
	}
	ids := issueIDs(names)
	for k, n := range names {
		sc.Issues = append(sc.Issues, Issue{ID: ids[k], Name: n, Min: 0, Max: 100})
	}
	actors := root.first("Actors")
	if actors == nil {
		ps.addAt(root.line, "Scenario", "missing element <Actors>")
	} else {
		loc.actors = actors.all("Actor")
		if err := CheckCells(len(loc.actors), len(names), l.MaxCells); err != nil {
			return nil, loc, Problems{{Line: actors.line, Field: "Actors", Msg: err.Error()}}
		}
		for i, an := range loc.actors {
			field := fmt.Sprintf("Actor %d", i+1)
			a := Actor{Stances: map[string]Stance{}}
			a.ID, _ = text(an, "name")
			a.Name, _ = text(an, "description")
			if a.Name == "" {
				a.Name = a.ID
			}
			if _, c := text(an, "capability"); c != nil {
				if v, ok := num(c, field+" capability"); ok {
					a.Capability = N(v)
				}
			}
			vec := func(el, item string) []*xmlNode {
				n := an.first(el)
				if n == nil {
					ps.addAt(an.line, field, "missing element <%s>", el)
					return nil
				}
				items := n.all(item)
				if len(items) != len(names) {
					ps.addAt(n.line, field+" "+el, "%d <%s> values for %d dimensions", len(items), item, len(names))
					return nil
				}
				return items
			}
			pos, sal := vec("Position", "dCoord"), vec("Salience", "dSal")
			total := 0.0
			for k := range names {
				st := Stance{}
				if pos != nil {
					if v, ok := num(pos[k], fmt.Sprintf("%s dCoord %d", field, k+1)); ok {
						st.Position = N(v)
					}
				}
				if sal != nil {
					if v, ok := num(sal[k], fmt.Sprintf("%s dSal %d", field, k+1)); ok {
						st.Salience = N(v)
						total += v
					}
				}
				if pos != nil || sal != nil {
					a.Stances[ids[k]] = st
				}
			}
			if total > 100 {
				ps.addAt(an.line, field+" Salience", "saliences total %v; KTAB allows at most 100", total)
			}
			sc.Actors = append(sc.Actors, a)
		}
	}
	if ia := root.first("IdealAdjustment"); ia != nil {
		for i, p := range ia.all("iaPair") {
			field := fmt.Sprintf("iaPair %d", i+1)
			e := IdealAdjust{}
			e.Actor, _ = text(p, "adjustingIdeal")
			e.Reference, _ = text(p, "referencePos")
			if _, c := text(p, "adjust"); c != nil {
				if v, ok := num(c, field+" adjust"); ok {
					e.Adjust = v
				}
			}
			sc.KTAB.IdealAdjustment = append(sc.KTAB.IdealAdjustment, e)
		}
	}
	if len(sc.KTAB.Parameters) == 0 && sc.KTAB.Seed == "" && len(sc.KTAB.IdealAdjustment) == 0 {
		sc.KTAB = nil
	}
	return sc, loc, ps
}

// WriteKTABXML writes the scenario in KTAB's XML format, with its KTAB
// model parameters, seed and ideal adjustments when it has them. Scales
// are mapped as for WriteKTABCSV.
func WriteKTABXML(w io.Writer, s *Scenario) error {
	sp, err := s.ktabExport()
	if err != nil {
		return err
	}
	var b bytes.Buffer
	esc := func(v string) string {
		var t bytes.Buffer
		_ = xml.EscapeText(&t, []byte(v))
		return t.String()
	}
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<Scenario xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="smpSchema.xsd">` + "\n")
	fmt.Fprintf(&b, "  <name>%s</name>\n  <desc>%s</desc>\n", esc(s.Name), esc(s.Description))
	seed := "0"
	if s.KTAB != nil && s.KTAB.Seed != "" {
		seed = s.KTAB.Seed
	}
	fmt.Fprintf(&b, "  <prngSeed>%s</prngSeed>\n", esc(seed))
	if s.KTAB != nil && len(s.KTAB.Parameters) > 0 {
		b.WriteString("  <ModelParameters>\n")
		for _, p := range KTABParameters {
			v, ok := s.KTAB.Parameters[p.Name]
			if !ok {
				v = KTABDefaults[p.Name]
			}
			fmt.Fprintf(&b, "    <%s>%s</%s>\n", p.Name, esc(v), p.Name)
		}
		b.WriteString("  </ModelParameters>\n")
	}
	b.WriteString("  <Dimensions>\n")
	for _, is := range s.Issues {
		fmt.Fprintf(&b, "    <dName>%s</dName>\n", esc(is.DisplayName()))
	}
	b.WriteString("  </Dimensions>\n  <Actors>\n")
	for i := range s.Actors {
		a := &s.Actors[i]
		fmt.Fprintf(&b, "    <Actor>\n      <name>%s</name>\n      <description>%s</description>\n      <capability>%s</capability>\n",
			esc(a.ID), esc(a.DisplayName()), fmtNum(a.Capability.Value))
		var pos, sal strings.Builder
		ps, ss := ktabRow(s, sp, i)
		for k := range s.Issues {
			fmt.Fprintf(&pos, "        <dCoord>%s</dCoord>\n", fmtNum(ps[k]))
			fmt.Fprintf(&sal, "        <dSal>%s</dSal>\n", fmtNum(ss[k]))
		}
		fmt.Fprintf(&b, "      <Position>\n%s      </Position>\n      <Salience>\n%s      </Salience>\n    </Actor>\n", pos.String(), sal.String())
	}
	b.WriteString("  </Actors>\n")
	if s.KTAB != nil && len(s.KTAB.IdealAdjustment) > 0 {
		b.WriteString("  <IdealAdjustment>\n")
		for _, p := range s.KTAB.IdealAdjustment {
			fmt.Fprintf(&b, "    <iaPair>\n      <adjustingIdeal>%s</adjustingIdeal>\n      <referencePos>%s</referencePos>\n      <adjust>%s</adjust>\n    </iaPair>\n",
				esc(p.Actor), esc(p.Reference), fmtNum(p.Adjust))
		}
		b.WriteString("  </IdealAdjustment>\n")
	}
	b.WriteString("</Scenario>\n")
	_, err = w.Write(b.Bytes())
	return err
}
