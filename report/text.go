package report

import (
	"fmt"
	"io"
)

// Text writes a stored run's result as the command that made it prints
// it (forecast, sweep, sensitivity, process, recognition, backtest,
// conflicts, advise, vote --power), fitted to the writer's width
// (WithWidth); the what-if it applied is left to the caller
// (WhatIfLine). It reports false when the run has no result to write.
func Text(w io.Writer, p *Page) (bool, error) {
	switch {
	case p.Forecast != nil && p.Scenario != nil:
		return true, Forecast(w, p.Scenario, p.Forecast)
	case p.Sweep != nil:
		return true, Sweep(w, p.Sweep)
	case p.Sensitivity != nil:
		return true, Sensitivity(w, p.Sensitivity, 0)
	case p.Process != nil && p.Scenario != nil:
		return true, Process(w, p.Scenario, p.Process)
	case p.Recognition != nil:
		return true, Recognition(w, p.Recognition)
	case p.Backtest != nil:
		return true, Backtest(w, p.Backtest, false)
	case p.Strategy != nil && p.Strategy.Conflicts != nil && p.Scenario != nil:
		return true, Conflicts(w, p.Scenario, p.Strategy.Conflicts, false)
	case p.Strategy != nil && p.Strategy.Advice != nil && p.Scenario != nil:
		return true, Advice(w, p.Scenario, p.Strategy.Advice)
	case p.Strategy != nil && p.Strategy.Power != nil:
		if err := Power(w, p.Strategy.Body, p.Strategy.Power); err != nil || p.Strategy.Switches == nil {
			return true, err
		}
		fmt.Fprintln(w)
		return true, Switches(w, p.Strategy.Switches)
	}
	return false, nil
}

// WhatIfLine writes the line that opens the text report of a what-if
// run: what it changed (nothing for "").
func WhatIfLine(w io.Writer, whatIf string) error {
	if whatIf == "" {
		return nil
	}
	_, err := fmt.Fprintf(w, "%s\n", Wrap(whatIf, WidthOf(w), "What if:  ", "          "))
	return err
}
