package scenario

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"gopkg.in/yaml.v3"
)

// WriteYAML writes the scenario in Parley's native YAML format, with
// everything it holds.
//
// yaml.v3's emitter keeps every event of a document until the document
// ends (its queue only grows), about 200 bytes of memory per byte of
// output: writing a 100,000-actor scenario (13 MB of YAML) took 2.2 GB,
// and each export request to the server as much. So the actors, the one
// list that grows with a scenario, are encoded by a fresh encoder
// actorChunk at a time and indented into the document, which gives the
// same bytes (yaml.v3 does not fold long lines, so the indentation
// changes nothing within a line; TestWriteYAMLInChunks compares with the
// whole document).
func WriteYAML(w io.Writer, s *Scenario) error {
	if len(s.Actors) <= actorChunk {
		b, err := encodeYAML(s)
		if err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	}
	// The document without its actors, whose "actors: []" line (a key at
	// the left margin: the only such line) the actors then replace.
	rest := *s
	rest.Actors = []Actor{}
	doc, err := encodeYAML(&rest)
	if err != nil {
		return err
	}
	const empty = "\nactors: []\n"
	at := bytes.Index(doc, []byte(empty))
	if at < 0 {
		return fmt.Errorf("writing YAML: no place for the actors in the document")
	}
	var out bytes.Buffer
	out.Write(doc[:at+1])
	out.WriteString("actors:\n")
	for lo := 0; lo < len(s.Actors); lo += actorChunk {
		list, err := encodeYAML(s.Actors[lo:min(lo+actorChunk, len(s.Actors))])
		if err != nil {
			return err
		}
		// A list at the top level starts at the left margin; under a
		// key it is indented by 2, blank lines (in block scalars) left
		// empty.
		for line := range bytes.Lines(list) {
			if len(line) > 1 {
				out.WriteString("  ")
			}
			out.Write(line)
		}
	}
	out.Write(doc[at+len(empty):])
	_, err = w.Write(out.Bytes())
	return err
}

// actorChunk is how many actors WriteYAML encodes at once.
const actorChunk = 512

// encodeYAML encodes v as one YAML document, indented by 2.
func encodeYAML(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// WriteBDMCSV writes one issue of the scenario in the BDM CSV format
// (Actor,Capability,Position,Salience) with salience on 0–100 (or on 0–1
// when the scenario's scale is 1). issueID may be empty when the scenario
// has one issue. Actors without a position on the issue are left out; the
// format holds no issue scale, names, sources or evidence.
func WriteBDMCSV(w io.Writer, s *Scenario, issueID string) error {
	if issueID == "" {
		if len(s.Issues) != 1 {
			ids := make([]string, len(s.Issues))
			for i, is := range s.Issues {
				ids[i] = is.ID
			}
			return fmt.Errorf("the BDM format holds one issue and %s has %d; choose one of %s", s.Name, len(s.Issues), strings.Join(ids, ", "))
		}
		issueID = s.Issues[0].ID
	}
	if s.Issue(issueID) == nil {
		return fmt.Errorf("scenario %s has no issue %q", s.Name, issueID)
	}
	scale := s.SalienceMax()
	var b bytes.Buffer
	b.WriteString("Actor,Capability,Position,Salience\n")
	for _, st := range s.Stakeholders(issueID) {
		sal := st.Salience * 100
		switch scale {
		case 1:
			sal = st.Salience
		case 100:
			sal = s.Actor(st.ID).Stances[issueID].Salience.Value
		}
		id := st.ID
		if strings.ContainsAny(id, ",\"\n") {
			id = `"` + strings.ReplaceAll(id, `"`, `""`) + `"`
		}
		fmt.Fprintf(&b, "%s,%s,%s,%s\n", id, fmtNum(st.Capability), fmtNum(st.Position), fmtNum(sal))
	}
	_, err := w.Write(b.Bytes())
	return err
}
