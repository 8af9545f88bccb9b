package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/parley-project/parley/model/recognition"
	"github.com/parley-project/parley/report"
	"github.com/parley-project/parley/report/tidy"
	"github.com/parley-project/parley/run"
	"github.com/parley-project/parley/sweep"
)

// writeJSON writes v to w as indented JSON followed by a newline, the form
// every --json output takes.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// render returns a command's result: v as indented JSON when asJSON, else
// the text that text writes. It returns ctx.Err() as soon as ctx ends
// (Ctrl-C), without waiting for the rendering: encoding 10,000 rounds of
// kosovo-2007 (150 MB of JSON) takes about 1.5 s, which encoding/json
// cannot be asked to cut short. The rendering left behind ends with the
// process.
func render(ctx context.Context, asJSON bool, v any, text func(io.Writer) error) ([]byte, error) {
	if asJSON {
		text = func(w io.Writer) error { return writeJSON(w, v) }
	}
	type rendered struct {
		data []byte
		err  error
	}
	done := make(chan rendered, 1)
	go func() {
		var buf bytes.Buffer
		err := text(&buf)
		done <- rendered{buf.Bytes(), err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			return nil, r.err
		}
		// A Ctrl-C during the rendering writes nothing either.
		return r.data, ctx.Err()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// emitResult writes a command's result to stdout or, atomically, to
// output: v as indented JSON when asJSON, else the text that text renders.
// Once ctx ends nothing is written (render).
func emitResult(ctx context.Context, stdout io.Writer, output string, asJSON bool, v any, text func(io.Writer) error) error {
	data, err := render(ctx, asJSON, v, text)
	if err != nil {
		return err
	}
	return emit(stdout, output, data)
}

// emitText writes what text writes to stdout or, atomically, to output.
func emitText(ctx context.Context, stdout io.Writer, output string, text func(io.Writer) error) error {
	return emitResult(ctx, stdout, output, false, nil, text)
}

// emitRecognitionSVG draws the expected cumulative recognitions with
// their band (parley recognition and parley process --svg) to path.
func emitRecognitionSVG(ctx context.Context, path string, res *recognition.Result) error {
	c, err := report.RecognitionChart(res)
	if err != nil {
		return err
	}
	return emitText(ctx, nil, path, c.WriteSVG)
}

// The output formats of the commands that print a run (--format).
const (
	formatText = "text"
	formatJSON = "json"
	formatCSV  = "csv"
)

// outputFormats describes each --format value, for the flag's help and
// its completion.
var outputFormats = []struct{ name, desc string }{
	{formatText, "the tables and notes for a reader (the default)"},
	{formatJSON, "the result document (as --json)"},
	{formatCSV, "a tidy long table for R or pandas, one observation per row (docs/csv.md)"},
}

// outputFlags are the output flags of a command that prints a run:
// --output, --json and --format.
type outputFlags struct {
	output, format string
	asJSON         bool
}

// register adds -o, --json (jsonHelp) and --format to f.
func (o *outputFlags) register(f *pflag.FlagSet, jsonHelp string) {
	f.StringVarP(&o.output, "output", "o", "", "write to this file (atomically) instead of standard output")
	f.BoolVar(&o.asJSON, "json", false, jsonHelp)
	f.StringVar(&o.format, "format", formatText, "output format: text, json (as --json) or csv (a tidy long table for R or pandas, docs/csv.md)")
}

// check reads --json into --format, before anything runs: a usage error
// for an unknown format, for --json beside another format, and for an
// output file that cannot be written (paths are the command's other
// output files).
func (o *outputFlags) check(paths ...string) error {
	known := false
	for _, f := range outputFormats {
		known = known || f.name == o.format
	}
	switch {
	case !known:
		return usage("--format %q: want text, json or csv", o.format)
	case o.asJSON && o.format == formatText:
		o.format = formatJSON
	case o.asJSON && o.format != formatJSON:
		return usage("--json and --format %s: give one", o.format)
	}
	o.asJSON = o.format == formatJSON
	return checkOutputs(append([]string{o.output}, paths...)...)
}

// emit writes a command's result in the format chosen: the text that
// text writes, fitted to the output's width (sized), v as JSON, or r's
// tidy table (draws are a sweep's).
func (o *outputFlags) emit(cmd *cobra.Command, v any, r run.Run, draws []sweep.Draw, text func(io.Writer) error) error {
	return o.emitIn(cmd.Context(), cmd, v, r, draws, text)
}

// emitIn is emit under ctx rather than the command's context: a Ctrl-C
// stops the writing once ctx ends.
func (o *outputFlags) emitIn(ctx context.Context, cmd *cobra.Command, v any, r run.Run, draws []sweep.Draw, text func(io.Writer) error) error {
	write := func(w io.Writer) error { return text(sized(cmd, w)) }
	if o.format == formatCSV {
		write = func(w io.Writer) error { return tidy.Write(w, r, draws) }
	}
	return emitResult(ctx, cmd.OutOrStdout(), o.output, o.asJSON, v, write)
}
