package main

import (
	"bytes"
	"encoding/json"
	"io"

	"github.com/parley-project/parley/model/recognition"
	"github.com/parley-project/parley/report"
)

// writeJSON writes v to w as indented JSON followed by a newline, the form
// every --json output takes.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// render returns a command's result: v as indented JSON when asJSON, else
// the text that text writes.
func render(asJSON bool, v any, text func(io.Writer) error) ([]byte, error) {
	if asJSON {
		text = func(w io.Writer) error { return writeJSON(w, v) }
	}
	var buf bytes.Buffer
	if err := text(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// emitResult writes a command's result to stdout or, atomically, to
// output: v as indented JSON when asJSON, else the text that text renders.
func emitResult(stdout io.Writer, output string, asJSON bool, v any, text func(io.Writer) error) error {
	data, err := render(asJSON, v, text)
	if err != nil {
		return err
	}
	return emit(stdout, output, data)
}

// emitText writes what text writes to stdout or, atomically, to output.
func emitText(stdout io.Writer, output string, text func(io.Writer) error) error {
	return emitResult(stdout, output, false, nil, text)
}

// emitRecognitionSVG draws the expected cumulative recognitions with
// their band (parley recognition and parley process --svg) to path.
func emitRecognitionSVG(path string, res *recognition.Result) error {
	c, err := report.RecognitionChart(res)
	if err != nil {
		return err
	}
	return emitText(nil, path, c.WriteSVG)
}
