package main

import (
	"bytes"
	"encoding/json"
	"io"
)

// writeJSON writes v to w as indented JSON followed by a newline, the form
// every --json output takes.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// emitResult writes a command's result to stdout or, atomically, to
// output: v as indented JSON when asJSON, else the text that text renders.
func emitResult(stdout io.Writer, output string, asJSON bool, v any, text func(io.Writer) error) error {
	var buf bytes.Buffer
	render := func() error { return text(&buf) }
	if asJSON {
		render = func() error { return writeJSON(&buf, v) }
	}
	if err := render(); err != nil {
		return err
	}
	return emit(stdout, output, buf.Bytes())
}
