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
func WriteYAML(w io.Writer, s *Scenario) error {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(s); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
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
