package main

import (
	"io"
	"strings"

	"github.com/spf13/pflag"

	"github.com/parley-project/parley/report"
	"github.com/parley-project/parley/scenario"
)

// whatIfFlags are --set and --drop of a command that runs a model: the
// what-if (scenario.WhatIf) its run applies to the scenario and records
// in its config, so that 'parley runs show' says what was changed.
type whatIfFlags struct {
	set, drop []string
}

func (f *whatIfFlags) register(fs *pflag.FlagSet) {
	fs.StringArrayVar(&f.set, "set", nil, "what if: run with a number changed, ACTOR.ISSUE.position=V, ACTOR.ISSUE.salience=V, ACTOR.capability=V or ACTOR.ISSUE.capability=V; repeatable")
	fs.StringArrayVar(&f.drop, "drop", nil, "what if: run without this actor (its id); repeatable")
}

// whatIf is the what-if of the flags, checked against sc (nil when the
// flags change nothing): a usage error naming --set or --drop when a
// setting does not read or does not apply (an unknown actor or issue, a
// value outside its scale).
func (f *whatIfFlags) whatIf(sc *scenario.Scenario) (*scenario.WhatIf, error) {
	if len(f.set)+len(f.drop) == 0 {
		return nil, nil
	}
	sets := &scenario.WhatIf{Set: f.set}
	if err := sets.Check(); err != nil {
		return nil, usage("--set %v", err)
	}
	if _, err := sets.Apply(sc); err != nil {
		return nil, usage("--set %v", err)
	}
	w := &scenario.WhatIf{Set: f.set, Drop: f.drop}
	if err := w.Check(); err != nil {
		return nil, usage("--drop: %v", strings.TrimPrefix(err.Error(), "drop: "))
	}
	if _, err := w.Apply(sc); err != nil {
		return nil, usage("--drop: %v", strings.TrimPrefix(err.Error(), "drop "))
	}
	return w, nil
}

// text wraps a command's text report: a what-if run's report opens with
// the line saying what was changed.
func (f *whatIfFlags) text(w *scenario.WhatIf, text func(io.Writer) error) func(io.Writer) error {
	if w.Empty() {
		return text
	}
	return func(out io.Writer) error {
		if err := report.WhatIfLine(out, w.String()); err != nil {
			return err
		}
		return text(out)
	}
}
