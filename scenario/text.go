package scenario

import (
	"fmt"
	"reflect"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Control characters (Unicode category Cc: U+0000–U+001F, U+007F and
// U+0080–U+009F) are refused in every text of a scenario: written to a
// terminal, ESC and CSI start escape sequences that can clear the screen,
// move the cursor or rewrite what was printed before, and a carriage
// return overwrites its line. Tabs are allowed everywhere; free text
// (descriptions, notes, evidence paraphrases, vote reasons) may also hold
// line breaks, while ids, names, titles, labels and the like are one line.
var freeText = map[string]bool{"description": true, "note": true, "text": true, "reason": true}

// checkText reports every string of the scenario, and every map key, that
// holds a control character it may not, with the field's path.
func checkText(s *Scenario) Problems {
	var ps Problems
	var path []string // the steps down to the value being checked
	at := func() string {
		var b strings.Builder
		for _, p := range path {
			if !strings.HasPrefix(p, "[") && b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(p)
		}
		return b.String()
	}
	check := func(v string, free bool) {
		r, found := ControlCharacter(v, free)
		if !found {
			return
		}
		msg := fmt.Sprintf("control character %U; a name, id, title or label may hold no control character but a tab", r)
		if free {
			msg = fmt.Sprintf("control character %U; free text may hold no control character but line breaks and tabs", r)
		}
		ps = append(ps, Problem{Field: at(), Msg: msg})
	}
	var walk func(v reflect.Value, free bool)
	walk = func(v reflect.Value, free bool) {
		switch v.Kind() {
		case reflect.String:
			check(v.String(), free)
		case reflect.Pointer, reflect.Interface:
			if !v.IsNil() {
				walk(v.Elem(), free)
			}
		case reflect.Struct:
			t := v.Type()
			for i := range t.NumField() {
				f := t.Field(i)
				name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
				if !f.IsExported() || name == "-" {
					continue
				}
				if name == "" { // inlined
					walk(v.Field(i), free)
					continue
				}
				path = append(path, name)
				walk(v.Field(i), freeText[name])
				path = path[:len(path)-1]
			}
		case reflect.Slice, reflect.Array:
			if v.Type().Elem().Kind() != reflect.String && !hasText(v.Type().Elem()) {
				return
			}
			for i := range v.Len() {
				path = append(path, fmt.Sprintf("[%d]", i))
				walk(v.Index(i), free)
				path = path[:len(path)-1]
			}
		case reflect.Map:
			for it := v.MapRange(); it.Next(); {
				k := it.Key()
				if k.Kind() != reflect.String {
					continue
				}
				path = append(path, k.String())
				check(k.String(), false)
				walk(it.Value(), free)
				path = path[:len(path)-1]
			}
		}
	}
	walk(reflect.ValueOf(s).Elem(), false)
	return ps
}

// hasText reports whether values of type t can hold strings.
func hasText(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.String, reflect.Struct, reflect.Map, reflect.Interface:
		return true
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return hasText(t.Elem())
	}
	return false
}

// ControlCharacter returns the first control character of s that a
// scenario's text may not hold, and true; tabs are allowed, and line
// feeds when free is true (free text). The bidirectional embedding,
// override and isolate controls (U+202A–U+202E, U+2066–U+2069) count as
// control characters: an actor named "Serbia" followed by U+202E printed
// every later character of its line on the terminal, the HTML report and
// the UI right to left (the "Trojan Source" spoofing); the marks U+200E
// and U+200F, which right-to-left names may need, are allowed. Other readers of outside text
// (the DEU III data, sweep results) hold their text to the same rule.
func ControlCharacter(s string, free bool) (rune, bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\t':
		case c == '\n':
			if !free {
				return rune(c), true
			}
		case c < 0x20 || c == 0x7f:
			return rune(c), true
		case c == 0xc2 && i+1 < len(s) && s[i+1] >= 0x80 && s[i+1] <= 0x9f:
			r, _ := utf8.DecodeRuneInString(s[i:])
			if unicode.IsControl(r) {
				return r, true
			}
		case c == 0xe2:
			if r, _ := utf8.DecodeRuneInString(s[i:]); bidiControl(r) {
				return r, true
			}
		}
	}
	return 0, false
}

// bidiControl reports whether r is a bidirectional embedding, override or
// isolate control.
func bidiControl(r rune) bool {
	return r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069
}
