package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/parley-project/parley/scenario"
)

func newExport() *cobra.Command {
	var format, output, issue string
	names := make([]string, len(scenario.Exporters))
	var help strings.Builder
	for i, e := range scenario.Exporters {
		names[i] = e.Name
		help.WriteString("  " + e.Name + ": " + e.Desc + "\n")
	}
	cmd := &cobra.Command{
		Use:   "export --format FORMAT [SCENARIO]",
		Short: "Write a scenario in another program's file format",
		Long: "Write a scenario (a file or a built-in name; default kosovo-2007) in another\nprogram's format. Formats:\n" + help.String() +
			"Fields the target format cannot hold (sources, evidence, anchors, issue scales) are dropped;\n" +
			"KTAB's formats hold one capability per actor, so an actor's capability on one issue is\n" +
			"dropped there (with a warning); Decide's holds it as the power of each #D row, BDM's (one\n" +
			"issue) as the capability column. 'parley import' reads every format back.",
		Example: `  parley export --format ktab kosovo-2007 -o kosovo.csv
  parley export --format ktab-xml scenario.yaml
  parley export --format bdm --issue status kosovo-2007
  parley export --format decide kosovo-2007 -o kosovo-decide.txt`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			i := slices.IndexFunc(scenario.Exporters, func(e scenario.Exporter) bool { return e.Name == format })
			if i < 0 {
				return usage("--format %q: want one of %s", format, strings.Join(names, ", "))
			}
			if issue != "" && format != "bdm" {
				return usage("--issue applies to --format bdm only; %s holds every issue", format)
			}
			sc, err := loadScenario(cmd, args)
			if err != nil {
				return err
			}
			if (format == "ktab" || format == "ktab-xml") && sc.IssueCapabilities() {
				fmt.Fprintln(cmd.ErrOrStderr(), "parley: warning: KTAB's formats give an actor one capability; the capabilities some actors have of their own on single issues are left out")
			}
			return emitText(cmd.OutOrStdout(), output, func(w io.Writer) error {
				if err := scenario.Exporters[i].Write(w, sc, issue); err != nil {
					return usageError{err}
				}
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVarP(&format, "format", "f", "", "target format: "+strings.Join(names, ", "))
	f.StringVar(&issue, "issue", "", "the issue to write, for one-issue formats (bdm)")
	f.StringVarP(&output, "output", "o", "", "write to this file (atomically) instead of standard output")
	return cmd
}
