package main

import (
	"io"
	"os"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/parley-project/parley/report"
)

// widthFlag is the root's --width: the width, in columns, that text
// reports and tables fit.
var widthFlag int

func registerWidth(root *cobra.Command) {
	root.PersistentFlags().IntVar(&widthFlag, "width", -1, "fit text output to this many columns (0: no limit; -1: the terminal's width, or 100 when the output is not a terminal)")
}

// checkWidth refuses a --width out of its bounds.
func checkWidth(cmd *cobra.Command) error {
	if f := cmd.Flags().Lookup("width"); f != nil && f.Changed && widthFlag != 0 && (widthFlag < report.MinWidth || widthFlag > report.MaxWidth) {
		return usage("--width %d: want 0 (no limit) or a number of columns from %d to %d", widthFlag, report.MinWidth, report.MaxWidth)
	}
	return nil
}

// outputWidth is the width text written to w fits: --width when given,
// else the terminal's when w is a terminal, else report.DefaultWidth.
func outputWidth(cmd *cobra.Command, w io.Writer) int {
	if f := cmd.Flags().Lookup("width"); f != nil && f.Changed {
		return widthFlag
	}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		if cols, _, err := term.GetSize(int(f.Fd())); err == nil && cols > 0 {
			return max(cols, report.MinWidth)
		}
	}
	return report.DefaultWidth
}

// sized returns w declaring the width text for the command's standard
// output fits (a report written to -o FILE fits the same width, or 100).
func sized(cmd *cobra.Command, w io.Writer) io.Writer {
	return report.WithWidth(w, outputWidth(cmd, cmd.OutOrStdout()))
}

// printTable writes rows (the header first) to standard output as a
// table fitted to the output's width (report.FitTable).
func printTable(cmd *cobra.Command, rows [][]string, cols []report.Column) error {
	w := sized(cmd, cmd.OutOrStdout())
	return report.WriteTable(w, report.FitTable(rows, cols, report.WidthOf(w)))
}
