package main

import (
	"bytes"
	"errors"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/parley-project/parley/export"
	"github.com/parley-project/parley/model/registry"
	"github.com/parley-project/parley/scenario"
)

func newExport() *cobra.Command {
	var (
		format, output string
		opt            export.Options
		quiet          bool
	)
	var help strings.Builder
	for _, e := range scenario.Exporters {
		help.WriteString("  " + e.Name + ": " + e.Desc + "\n")
	}
	names := strings.Join(export.Names(), ", ")
	cmd := &cobra.Command{
		Use:   "export --format FORMAT [SCENARIO]",
		Short: "Write a scenario in another program's file format, saying what the file loses",
		Long: "Write a scenario (a file or a built-in name; default kosovo-2007) in another\nprogram's format. Formats:\n" + help.String() + `
No other format holds all a Parley scenario holds. The file is read back as
'parley import' would read it and compared with the scenario, and standard
error lists what it leaves out (sources, evidence, scale labels, ranges and
other uncertainty, actor kinds and risk, the process and institutions, KTAB
settings) and what it holds differently (issue ids, scales, saliences
rescaled to KTAB's total of 100, actors with no stance written as stances
with salience 0). Every model is then run with its default settings on
both, and each issue whose forecast the file changes is named with both
forecasts: for example, KTAB's rescaling of saliences changes the weighted
mean of 'status' in kosovo-2007 from 68.18 to 69.83. --quiet leaves the
report out.

The KTAB formats keep smp's forecast by default: each actor's saliences are
divided by their total when it exceeds 100, its capability kept.
--keep-weights multiplies that actor's capability by the same total
instead, which keeps capability × salience on every issue, and so the
one-issue models' forecasts, but not smp's.`,
		Example: `  parley export --format ktab kosovo-2007 -o kosovo.csv
  parley export --format ktab --keep-weights kosovo-2007 -o kosovo.csv
  parley export --format ktab-xml scenario.yaml
  parley export --format bdm --issue status kosovo-2007
  parley export --format decide kosovo-2007 -o kosovo-decide.txt`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			e, err := export.Find(format)
			if err != nil {
				return usageError{err}
			}
			if opt.Issue != "" && e.Name != "bdm" {
				return usage("--issue applies to --format bdm only; %s holds every issue", e.Name)
			}
			if err := checkOutputs(output); err != nil {
				return err
			}
			sc, err := loadScenario(cmd, args)
			if err != nil {
				return err
			}
			if output != "" {
				opt.File = filepath.Base(output)
			}
			if !quiet {
				opt.Models = registry.Default()
			}
			var buf bytes.Buffer
			rep, err := export.Write(cmd.Context(), &buf, sc, e, opt)
			if err != nil {
				if ctxErr := cmd.Context().Err(); ctxErr != nil && errors.Is(err, ctxErr) {
					return err // interrupted
				}
				return usageError{err} // a scenario the format cannot hold
			}
			if err := emit(cmd.OutOrStdout(), output, buf.Bytes()); err != nil {
				return err
			}
			if quiet {
				return nil
			}
			return rep.WriteText(cmd.ErrOrStderr(), outputWidth(cmd, cmd.ErrOrStderr()))
		},
	}
	f := cmd.Flags()
	f.StringVarP(&format, "format", "f", "", "target format: "+names)
	f.StringVar(&opt.Issue, "issue", "", "the issue to write, for one-issue formats (bdm)")
	f.BoolVar(&opt.KeepWeights, "keep-weights", false, "KTAB formats: keep capability × salience (the one-issue models' forecasts) rather than smp's forecast")
	f.BoolVarP(&quiet, "quiet", "q", false, "do not report on standard error what the file loses")
	f.StringVarP(&output, "output", "o", "", "write to this file (atomically) instead of standard output")
	return cmd
}
