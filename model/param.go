package model

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/parley-project/parley/param"
)

// Value is a parameter value as given (see package param).
type Value = param.Value

// Params are parameter values by name, as given: Options.Params.
type Params map[string]Value

// Text returns a word for Params (as the command line's -p gives it).
func Text(s string) Value { return param.Text(s) }

// Number returns a number for Params.
func Number(x float64) Value { return param.Number(x) }

// Boolean returns a boolean for Params.
func Boolean(b bool) Value { return param.Bool(b) }

// Kind is the type of a parameter.
type Kind uint8

// The kinds of parameter.
const (
	// Float is a real number in [Min, Max].
	Float Kind = iota + 1
	// Int is a whole number in [Min, Max], |x| ≤ MaxInt.
	Int
	// Enum is one of named values, each with a numeric code.
	Enum
	// Bool is true or false.
	Bool
)

// String names the kind as `parley models` shows it.
func (k Kind) String() string {
	switch k {
	case Float:
		return "float"
	case Int:
		return "integer"
	case Enum:
		return "enum"
	case Bool:
		return "bool"
	}
	return "?"
}

// MaxInt bounds an integer parameter: the largest whole number a JSON
// number (a float64) holds exactly, 2^53.
const MaxInt = 1 << 53

// Param declares a model parameter: its name, kind, range or values, and
// default. Declare one with FloatParam, IntParam, EnumParam or BoolParam;
// Optional makes it one without a default.
type Param struct {
	Name        string
	Kind        Kind
	Description string
	// Min and Max bound a Float or Int parameter, both included (±Inf
	// for none).
	Min, Max float64
	// Values are an Enum parameter's values.
	Values []EnumValue
	// Default is the value when none is given, in canonical form (see
	// Parse); absent for an optional parameter.
	Default Value
	// Unset, when not empty, makes the parameter optional: it has no
	// default, and Unset says what the model does when it is not given.
	Unset string
}

// EnumValue is one value of an enumeration: its name and its numeric
// code (for SMP, KTAB's own name and enumeration value).
type EnumValue struct {
	Name string
	Code int
	// Aliases are further names accepted for the value.
	Aliases []string
}

// FloatParam declares a real-valued parameter in [min, max].
func FloatParam(name string, def, min, max float64, desc string) Param {
	return Param{Name: name, Kind: Float, Description: desc, Min: min, Max: max, Default: param.Number(def)}
}

// IntParam declares a whole-number parameter in [min, max].
func IntParam(name string, def, min, max int64, desc string) Param {
	return Param{Name: name, Kind: Int, Description: desc, Min: float64(min), Max: float64(max), Default: param.Number(float64(def))}
}

// EnumParam declares a parameter that takes one of values, def by name.
func EnumParam(name, def string, values []EnumValue, desc string) Param {
	return Param{Name: name, Kind: Enum, Description: desc, Values: values, Default: param.Text(def)}
}

// BoolParam declares a true-or-false parameter.
func BoolParam(name string, def bool, desc string) Param {
	return Param{Name: name, Kind: Bool, Description: desc, Default: param.Bool(def)}
}

// Optional returns p without a default: when it is not given the model
// does what unset says (for instance, take the setting from the scenario).
func (p Param) Optional(unset string) Param {
	p.Default, p.Unset = Value{}, unset
	return p
}

// Parse checks a value given for the parameter and returns it in canonical
// form: a Float or Int as a number, an Enum as its value's name, a Bool as
// a boolean. It is the one routine every caller goes through (the command
// line's -p, the server's JSON, KTAB XML's settings, process stages,
// stored runs). It accepts
//
//   - Float: a number, or a word that reads as one;
//   - Int: a whole number, or a word that reads as one;
//   - Enum: a value's name or alias (any case), or its code as a number or
//     a word;
//   - Bool: a boolean, the numbers 0 and 1, or the words true, false, 1, 0,
//     yes, no, on, off (any case).
//
// An error names the parameter and lists the allowed values or range.
func (p Param) Parse(v Value) (Value, error) {
	if v.IsZero() {
		return v, fmt.Errorf("parameter %s: no value (want %s)", p.Name, p.Allowed())
	}
	switch p.Kind {
	case Float, Int:
		x, ok := v.Number()
		if s, isText := v.Text(); isText {
			f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
			if err != nil {
				return Value{}, p.refuse(v)
			}
			x, ok = f, true
		}
		if !ok || math.IsNaN(x) || math.IsInf(x, 0) || x < p.Min || x > p.Max {
			return Value{}, p.refuse(v)
		}
		if p.Kind == Int && (x != math.Trunc(x) || math.Abs(x) > MaxInt) {
			return Value{}, p.refuse(v)
		}
		return param.Number(x), nil
	case Enum:
		if ev, ok := p.enum(v); ok {
			return param.Text(ev.Name), nil
		}
		return Value{}, p.refuse(v)
	case Bool:
		if b, ok := v.Bool(); ok {
			return param.Bool(b), nil
		}
		if x, ok := v.Number(); ok && (x == 0 || x == 1) {
			return param.Bool(x == 1), nil
		}
		if s, ok := v.Text(); ok {
			switch strings.ToLower(strings.TrimSpace(s)) {
			case "true", "1", "yes", "on":
				return param.Bool(true), nil
			case "false", "0", "no", "off":
				return param.Bool(false), nil
			}
		}
		return Value{}, p.refuse(v)
	}
	return Value{}, fmt.Errorf("parameter %s: undeclared kind %d", p.Name, p.Kind)
}

// enum finds an Enum parameter's value by name, alias or code.
func (p Param) enum(v Value) (EnumValue, bool) {
	code, isCode := v.Number()
	if s, ok := v.Text(); ok {
		s = strings.TrimSpace(s)
		for _, ev := range p.Values {
			if strings.EqualFold(s, ev.Name) {
				return ev, true
			}
			for _, a := range ev.Aliases {
				if strings.EqualFold(s, a) {
					return ev, true
				}
			}
		}
		if n, err := strconv.Atoi(s); err == nil {
			code, isCode = float64(n), true
		}
	}
	if isCode {
		for _, ev := range p.Values {
			if float64(ev.Code) == code {
				return ev, true
			}
		}
	}
	return EnumValue{}, false
}

// refuse is the error for a value the parameter does not take.
func (p Param) refuse(v Value) error {
	given := v.String()
	if s, ok := v.Text(); ok {
		if _, err := strconv.ParseFloat(s, 64); err != nil {
			given = strconv.Quote(s)
		}
	}
	return fmt.Errorf("parameter %s: %s is not allowed (want %s)", p.Name, given, p.Allowed())
}

// Allowed describes the values the parameter takes: its range, or its
// values with their codes.
func (p Param) Allowed() string {
	switch p.Kind {
	case Float, Int:
		what := "a number"
		if p.Kind == Int {
			what = "a whole number"
		}
		lo, hi := math.Inf(-1), math.Inf(1)
		if p.Kind == Int {
			lo, hi = -MaxInt, MaxInt
		}
		lo, hi = math.Max(lo, p.Min), math.Min(hi, p.Max)
		if math.IsInf(lo, -1) && math.IsInf(hi, 1) {
			return "any finite number"
		}
		return fmt.Sprintf("%s from %s to %s", what, num(lo), num(hi))
	case Enum:
		parts := make([]string, len(p.Values))
		for i, ev := range p.Values {
			parts[i] = fmt.Sprintf("%s (%d", ev.Name, ev.Code)
			for _, a := range ev.Aliases {
				parts[i] += ", " + a
			}
			parts[i] += ")"
		}
		return "one of " + strings.Join(parts, ", ")
	case Bool:
		return "true or false"
	}
	return "?"
}

// num writes a bound: a number, ±Inf as words, 2^53 as such.
func num(x float64) string {
	switch {
	case math.IsInf(x, 1):
		return "infinity"
	case math.IsInf(x, -1):
		return "minus infinity"
	case x == MaxInt:
		return "2^53"
	case x == -MaxInt:
		return "-2^53"
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// Usage describes the parameter in one line for listings (`parley
// models`): NAME=DEFAULT, or NAME alone when it is optional, then its kind
// and allowed values, and for an optional one what it does unset.
func (p Param) Usage() string {
	s := p.Name
	if !p.Default.IsZero() {
		s += "=" + p.Default.String()
	}
	s += " (" + p.Kind.String() + ": " + p.Allowed()
	if p.Unset != "" {
		s += "; unset: " + p.Unset
	}
	return s + ")"
}

// check reports a declaration that cannot work: no name or kind, a range
// the wrong way round, an enumeration without values or with a name or
// code twice, a default that does not parse.
func (p Param) check() error {
	if p.Name == "" || p.Kind < Float || p.Kind > Bool {
		return fmt.Errorf("parameter %q: needs a name and a kind", p.Name)
	}
	if (p.Kind == Float || p.Kind == Int) && !(p.Min <= p.Max) {
		return fmt.Errorf("parameter %s: range [%v, %v] is empty", p.Name, p.Min, p.Max)
	}
	if p.Kind == Enum {
		if len(p.Values) == 0 {
			return fmt.Errorf("parameter %s: an enumeration needs values", p.Name)
		}
		seen, codes := map[string]bool{}, map[int]bool{}
		for _, ev := range p.Values {
			for _, n := range append([]string{ev.Name}, ev.Aliases...) {
				if seen[strings.ToLower(n)] || n == "" {
					return fmt.Errorf("parameter %s: value name %q empty or given twice", p.Name, n)
				}
				seen[strings.ToLower(n)] = true
			}
			if codes[ev.Code] {
				return fmt.Errorf("parameter %s: code %d given twice", p.Name, ev.Code)
			}
			codes[ev.Code] = true
		}
	}
	if p.Unset != "" {
		if !p.Default.IsZero() {
			return fmt.Errorf("parameter %s: optional but has a default", p.Name)
		}
		return nil
	}
	c, err := p.Parse(p.Default)
	if err != nil {
		return fmt.Errorf("default: %w", err)
	}
	if c != p.Default {
		return fmt.Errorf("parameter %s: default %v is not in canonical form %v", p.Name, p.Default, c)
	}
	return nil
}

// CheckInfo reports a model's declarations that cannot work (see Param):
// the registry's test runs it on every model.
func CheckInfo(info Info) error {
	var errs []error
	seen := map[string]bool{}
	for _, p := range info.Params {
		if seen[p.Name] {
			errs = append(errs, fmt.Errorf("parameter %s declared twice", p.Name))
		}
		seen[p.Name] = true
		errs = append(errs, p.check())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("model %s: %w", info.Name, err)
	}
	return nil
}

// Param returns the declaration of the named parameter.
func (info Info) Param(name string) (Param, error) {
	for _, p := range info.Params {
		if p.Name == name {
			return p, nil
		}
	}
	names := make([]string, len(info.Params))
	for i, p := range info.Params {
		names[i] = p.Name
	}
	if len(names) == 0 {
		return Param{}, fmt.Errorf("model %s takes no parameters (got %q)", info.Name, name)
	}
	return Param{}, fmt.Errorf("model %s has no parameter %q (have %s)", info.Name, name, strings.Join(names, ", "))
}

// Values are a run's checked parameters (from Resolve): every declared
// parameter's value in canonical form — the one given, else its default —
// except an optional parameter not given. A model reads them with Float,
// Int, Enum and Bool; asking for an undeclared parameter or the wrong kind
// is a programming error and panics.
type Values struct {
	decl []Param
	v    map[string]Value
}

// lookup returns the declaration and value of a parameter of kind k.
func (vs Values) lookup(name string, k Kind) (Param, Value, bool) {
	for _, p := range vs.decl {
		if p.Name == name {
			if p.Kind != k {
				panic(fmt.Sprintf("model: parameter %s is %s, read as %s", name, p.Kind, k))
			}
			v, ok := vs.v[name]
			return p, v, ok
		}
	}
	panic(fmt.Sprintf("model: parameter %s is not declared", name))
}

// Float returns a Float parameter and whether it is set (false only for
// an optional parameter not given).
func (vs Values) Float(name string) (float64, bool) {
	_, v, ok := vs.lookup(name, Float)
	x, _ := v.Number()
	return x, ok
}

// Int returns an Int parameter and whether it is set.
func (vs Values) Int(name string) (int64, bool) {
	_, v, ok := vs.lookup(name, Int)
	x, _ := v.Number()
	return int64(x), ok
}

// Enum returns an Enum parameter's value and whether it is set.
func (vs Values) Enum(name string) (EnumValue, bool) {
	p, v, ok := vs.lookup(name, Enum)
	if !ok {
		return EnumValue{}, false
	}
	ev, _ := p.enum(v)
	return ev, true
}

// Bool returns a Bool parameter and whether it is set.
func (vs Values) Bool(name string) (bool, bool) {
	_, v, ok := vs.lookup(name, Bool)
	b, _ := v.Bool()
	return b, ok
}

// Params returns the set values in canonical form, by name: what a stored
// run records.
func (vs Values) Params() Params {
	return maps.Clone(Params(vs.v))
}

// resolveParams checks the given values against the declarations and
// fills in the defaults. Errors come in name order.
func resolveParams(info Info, given Params) (Values, error) {
	vs := Values{decl: info.Params, v: make(map[string]Value, len(info.Params))}
	for _, p := range info.Params {
		if !p.Default.IsZero() {
			vs.v[p.Name] = p.Default
		}
	}
	var errs []error
	for _, k := range slices.Sorted(maps.Keys(given)) {
		p, err := info.Param(k)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		c, err := p.Parse(given[k])
		if err != nil {
			errs = append(errs, err)
			continue
		}
		vs.v[k] = c
	}
	return vs, errors.Join(errs...)
}
