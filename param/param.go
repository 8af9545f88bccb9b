// Package param holds a model parameter's value as someone gives it — a
// number, a boolean or a word — before a model's declaration (model.Param)
// checks it and turns it into its typed value. It is the one form in which
// parameters travel: the command line's -p NAME=VALUE (a word), a JSON
// request or a stored run (a number, a boolean or a string), a scenario
// file's process stage (a YAML scalar). It depends on no other Parley
// package, so the scenario reader and the results store can hold values
// without knowing the models.
package param

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"

	"gopkg.in/yaml.v3"
)

// form says which of a Value's fields holds it.
type form uint8

const (
	absent form = iota
	number
	boolean
	word
)

// Value is a parameter value: a number, a boolean or a word (text). The
// zero Value is absent. Its JSON and YAML forms are the number, boolean or
// string itself.
type Value struct {
	form form
	num  float64
	b    bool
	text string
}

// Number returns a number.
func Number(x float64) Value { return Value{form: number, num: x} }

// Bool returns a boolean.
func Bool(b bool) Value { return Value{form: boolean, b: b} }

// Text returns a word, which the parameter's declaration parses (a
// number, a boolean or an enumeration's value written out).
func Text(s string) Value { return Value{form: word, text: s} }

// IsZero reports whether the value is absent.
func (v Value) IsZero() bool { return v.form == absent }

// Number returns the value when it is a number.
func (v Value) Number() (float64, bool) { return v.num, v.form == number }

// Bool returns the value when it is a boolean.
func (v Value) Bool() (bool, bool) { return v.b, v.form == boolean }

// Text returns the value when it is a word.
func (v Value) Text() (string, bool) { return v.text, v.form == word }

// String writes the value as a user would type it: a number in the
// shortest form that reads back the same, true or false, or the word.
func (v Value) String() string {
	switch v.form {
	case number:
		return strconv.FormatFloat(v.num, 'g', -1, 64)
	case boolean:
		return strconv.FormatBool(v.b)
	case word:
		return v.text
	}
	return ""
}

// MarshalJSON writes the number, boolean or string. A number is written
// as encoding/json writes a float64, so stored parameters keep their bytes.
func (v Value) MarshalJSON() ([]byte, error) {
	switch v.form {
	case number:
		if math.IsNaN(v.num) || math.IsInf(v.num, 0) {
			return nil, fmt.Errorf("parameter value %v is not a finite number", v.num)
		}
		return json.Marshal(v.num)
	case boolean:
		return json.Marshal(v.b)
	case word:
		return json.Marshal(v.text)
	}
	return []byte("null"), nil
}

// errForm is the error for a JSON or YAML value of the wrong kind.
var errForm = errors.New("want a number, true or false, or a string")

// UnmarshalJSON reads a number, a boolean or a string.
func (v *Value) UnmarshalJSON(data []byte) error {
	var x any
	if err := json.Unmarshal(data, &x); err != nil {
		return err
	}
	switch x := x.(type) {
	case float64:
		*v = Number(x)
	case bool:
		*v = Bool(x)
	case string:
		*v = Text(x)
	default:
		return fmt.Errorf("parameter value %s: %w", data, errForm)
	}
	return nil
}

// MarshalYAML writes the number, boolean or string.
func (v Value) MarshalYAML() (any, error) {
	switch v.form {
	case number:
		return v.num, nil
	case boolean:
		return v.b, nil
	case word:
		return v.text, nil
	}
	return nil, nil
}

// UnmarshalYAML reads a scalar: a number or boolean by its YAML tag (so a
// quoted "0.5" stays a word, which the declaration parses all the same),
// anything else as a word.
func (v *Value) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: parameter value: %w", n.Line, errForm)
	}
	switch n.ShortTag() {
	case "!!int", "!!float":
		var x float64
		if err := n.Decode(&x); err != nil {
			return err
		}
		*v = Number(x)
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err != nil {
			return err
		}
		*v = Bool(b)
	default:
		*v = Text(n.Value)
	}
	return nil
}
