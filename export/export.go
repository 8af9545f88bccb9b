// Package export writes a scenario in another program's file format
// (scenario.Exporters) and says what the file loses: it reads the file
// back as 'parley import' would, compares it with the scenario field by
// field (sources, evidence, scale labels, uncertainty, actor kinds, the
// process, issue ids, scales, saliences, capabilities, stances), and runs
// every model on both to name each issue whose forecast the file changes
// and by how much. 'parley export' prints the report on standard error;
// the server's export sends it in response headers.
package export

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/scenario"
)

// Options are the settings of one export.
type Options struct {
	// Issue names the issue of a one-issue format (bdm).
	Issue string
	// KeepWeights keeps each actor's capability × salience on every issue
	// in the KTAB formats: an actor whose saliences total more than the
	// scale (KTAB allows at most 100 in all) has them divided by their
	// total, as KTAB requires, and its capability multiplied by it. The
	// one-issue models then forecast the file as they forecast the
	// scenario, while KTAB's spatial model (smp) reads different
	// capabilities. Without it the capability is written as it is, which
	// keeps smp's forecast (Scenario.Spatial).
	KeepWeights bool
	// File is the name the file is read back under; it names the
	// scenario and the issue of formats without names of their own (BDM
	// CSV, as 'parley import' would name them). "" means the scenario's
	// name with the format's extension.
	File string
	// Models are the models whose forecasts are compared; nil compares
	// none.
	Models *model.Registry
}

// Find returns the exporter of the named format.
func Find(format string) (scenario.Exporter, error) {
	i := slices.IndexFunc(scenario.Exporters, func(e scenario.Exporter) bool { return e.Name == format })
	if i < 0 {
		return scenario.Exporter{}, fmt.Errorf("--format %q: want one of %s", format, strings.Join(Names(), ", "))
	}
	return scenario.Exporters[i], nil
}

// Names lists the export formats.
func Names() []string {
	names := make([]string, len(scenario.Exporters))
	for i, e := range scenario.Exporters {
		names[i] = e.Name
	}
	return names
}

// ktabFormat reports whether the exporter writes one of KTAB's formats,
// whose saliences total at most 100 per actor.
func ktabFormat(e scenario.Exporter) bool { return strings.HasPrefix(e.Name, "ktab") }

// Write writes sc in e's format to w and returns what the file loses.
// The file is written whole or not at all; an error writing it (a
// scenario the format cannot hold) comes before anything is written.
func Write(ctx context.Context, w io.Writer, sc *scenario.Scenario, e scenario.Exporter, opt Options) (*Report, error) {
	data, err := Bytes(sc, e, opt)
	if err != nil {
		return nil, err
	}
	rep, err := Check(ctx, sc, data, e, opt)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(data); err != nil {
		return nil, err
	}
	return rep, nil
}

// Bytes returns sc written in e's format.
func Bytes(sc *scenario.Scenario, e scenario.Exporter, opt Options) ([]byte, error) {
	if opt.KeepWeights && !ktabFormat(e) {
		return nil, fmt.Errorf("--keep-weights applies to the KTAB formats only; %s holds each salience as it is", e.Name)
	}
	if opt.KeepWeights {
		sc = KeepWeights(sc)
	}
	var buf bytes.Buffer
	if err := e.Write(&buf, sc, opt.Issue); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// KeepWeights returns a copy of sc in which every actor whose saliences
// total more than the salience scale has them divided by that total (as
// KTAB requires; Scenario.Spatial's rule) and its capability multiplied by
// it, so that capability × salience stays the same on every issue. Other
// actors are unchanged; sc is not modified.
func KeepWeights(sc *scenario.Scenario) *scenario.Scenario {
	out := *sc
	out.Actors = slices.Clone(sc.Actors)
	smax := sc.SalienceMax()
	for i := range out.Actors {
		a := &out.Actors[i]
		total := 0.0 // summed in issue order, as Scenario.Spatial sums it
		for _, is := range sc.Issues {
			if st, ok := a.Stances[is.ID]; ok && st.Position.Set {
				total += st.Salience.Value / smax
			}
		}
		if !(total > 1) {
			continue
		}
		stances := make(map[string]scenario.Stance, len(a.Stances))
		for id, st := range a.Stances {
			st.Salience.Value /= total
			stances[id] = st
		}
		a.Stances = stances
		a.ScaleCapability(total) // and its capabilities on single issues

	}
	return &out
}
