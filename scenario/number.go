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
	Range    []float64  `yaml:"range,flow,omitempty" json:"range,omitempty"`
	SD       *float64   `yaml:"sd,omitempty" json:"sd,omitempty"`
	Inferred bool       `yaml:"inferred,omitempty" json:"inferred,omitempty"`
}

// fields returns the number's mapping form.
func (n Number) fields() numberFields {
	f := numberFields{Note: n.Note, Evidence: n.Evidence, Range: n.Range, SD: n.SD, Inferred: n.Inferred}
	if n.Set {
		f.Value = &n.Value
	}
	return f
}

// setFields sets the number from its mapping form.
func (n *Number) setFields(f numberFields) {
	n.Note, n.Evidence, n.Range, n.SD, n.Inferred = f.Note, f.Evidence, f.Range, f.SD, f.Inferred
	if f.Value != nil {
		n.Value, n.Set = *f.Value, true
	}
}

// plain reports whether the number is a bare value (or nothing).
func (n Number) plain() bool {
	return n.Note == "" && len(n.Evidence) == 0 && !n.Spread() && !n.Inferred
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
		n.setFields(f)
		return nil
	default:
		return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: want a number or a mapping with value and evidence", node.Line)}}
	}
}

// MarshalYAML writes a plain number when there is nothing but the value.
func (n Number) MarshalYAML() (any, error) {
	if !n.Set && n.plain() {
		return nil, nil
	}
	if n.plain() {
		return n.Value, nil
	}
	return n.fields(), nil
}

// MarshalJSON writes a plain number when there is nothing but the value.
func (n Number) MarshalJSON() ([]byte, error) {
	v, _ := n.MarshalYAML()
	return json.Marshal(v)
}

// IsZero reports whether the number carries nothing, so that omitempty
// leaves it out.
func (n Number) IsZero() bool { return !n.Set && n.plain() }

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
	n.setFields(f)
	return nil
}
