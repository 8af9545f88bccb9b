package main

import (
	"bytes"
	"encoding/json"
)

// indentJSON encodes v as indented JSON followed by a newline, the form
// every --json output takes.
func indentJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
