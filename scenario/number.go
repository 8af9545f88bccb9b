package scenario

import (
	"encoding/json"
	"fmt"

	"gopkg.in/yaml.v3"
)

type numberFields struct {
	Value    *float64   `yaml:"value" json:"value"`
	Note     string     `yaml:"note,omitempty" json:"note,omitempty"`
	Evidence []Evidence `yaml:"evidence,omitempty" json:"evidence,omitempty"`
}

// UnmarshalYAML accepts a plain number, null (no value), or a mapping with
// value, note and evidence.
func (n *Number) UnmarshalYAML(node *yaml.Node) error {
	*n = Number{}
	switch node.Kind {
	case yaml.ScalarNode:
		if node.Tag == "!!null" {
			return nil
		}
		var v float64
		if err := node.Decode(&v); err != nil {
			return err
		}
		n.Value, n.Set = v, true
		return nil
	case yaml.MappingNode:
		var f numberFields
		if err := node.Decode(&f); err != nil {
			return err
		}
		n.Note, n.Evidence = f.Note, f.Evidence
		if f.Value != nil {
			n.Value, n.Set = *f.Value, true
		}
		return nil
	default:
		return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: want a number or a mapping with value and evidence", node.Line)}}
	}
}

// MarshalYAML writes a plain number when there is no evidence or note.
func (n Number) MarshalYAML() (any, error) {
	if !n.Set && n.Note == "" && len(n.Evidence) == 0 {
		return nil, nil
	}
	if n.Note == "" && len(n.Evidence) == 0 {
		return n.Value, nil
	}
	f := numberFields{Note: n.Note, Evidence: n.Evidence}
	if n.Set {
		f.Value = &n.Value
	}
	return f, nil
}

// MarshalJSON writes a plain number when there is no evidence or note.
func (n Number) MarshalJSON() ([]byte, error) {
	v, _ := n.MarshalYAML()
	return json.Marshal(v)
}

// IsZero reports whether the number carries nothing, so that omitempty
// leaves it out.
func (n Number) IsZero() bool { return !n.Set && n.Note == "" && len(n.Evidence) == 0 }

// UnmarshalJSON accepts a number, null, or an object with value, note and
// evidence.
func (n *Number) UnmarshalJSON(b []byte) error {
	*n = Number{}
	var v *float64
	if err := json.Unmarshal(b, &v); err == nil {
		if v != nil {
			n.Value, n.Set = *v, true
		}
		return nil
	}
	var f numberFields
	if err := json.Unmarshal(b, &f); err != nil {
		return fmt.Errorf("want a number or an object with value and evidence: %w", err)
	}
	n.Note, n.Evidence = f.Note, f.Evidence
	if f.Value != nil {
		n.Value, n.Set = *f.Value, true
	}
	return nil
}
