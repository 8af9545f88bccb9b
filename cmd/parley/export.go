package main

import (
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/parley-project/parley/scenario"
)

// exportOptions are the settings an export format may use.
type exportOptions struct {
	issue string
}

// exporter writes a scenario in one foreign format.
type exporter struct {
	name, desc string
	write      func(w io.Writer, sc *scenario.Scenario, opt exportOptions) error
}

// exporters lists the formats 'parley export' writes; a new format is one
// more entry.
var exporters = []exporter{
	{"ktab", "KTAB CSV (name line, header, one line per actor; 0–100 scales)", func(w io.Writer, sc *scenario.Scenario, _ exportOptions) error {
		return scenario.WriteKTABCSV(w, sc)
	}},
	{"ktab-xml", "KTAB XML, with the scenario's KTAB model parameters, seed and ideal adjustments", func(w io.Writer, sc *scenario.Scenario, _ exportOptions) error {
		return scenario.WriteKTABXML(w, sc)
	}},
	{"decide", "Decide exchange-model input (#A, #P, #M, #D rows; saliences on 0–1, capability as power)", func(w io.Writer, sc *scenario.Scenario, _ exportOptions) error {
		return scenario.WriteDecide(w, sc)
	}},
	{"bdm", "BDM CSV (Actor,Capability,Position,Salience) of one issue (--issue)", func(w io.Writer, sc *scenario.Scenario, opt exportOptions) error {
		return scenario.WriteBDMCSV(w, sc, opt.issue)
	}},
}

func newExport() *cobra.Command {
	var format, output string
	var opt exportOptions
	names := make([]string, len(exporters))
	var help strings.Builder
	for i, e := range exporters {
		names[i] = e.name
		help.WriteString("  " + e.name + ": " + e.desc + "\n")
	}
	cmd := &cobra.Command{
		Use:   "export --format FORMAT [SCENARIO]",
		Short: "Write a scenario in another program's file format",
		Long: "Write a scenario (a file or a built-in name; default kosovo-2007) in another\nprogram's format. Formats:\n" + help.String() +
			"Fields the target format cannot hold (sources, evidence, anchors, issue scales) are dropped;\n'parley import' reads every format back.",
		Example: `  parley export --format ktab kosovo-2007 -o kosovo.csv
  parley export --format ktab-xml scenario.yaml
  parley export --format bdm --issue status kosovo-2007
  parley export --format decide kosovo-2007 -o kosovo-decide.txt`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			i := slices.IndexFunc(exporters, func(e exporter) bool { return e.name == format })
			if i < 0 {
				return usage("--format %q: want one of %s", format, strings.Join(names, ", "))
			}
			if opt.issue != "" && format != "bdm" {
				return usage("--issue applies to --format bdm only; %s holds every issue", format)
			}
			sc, err := loadScenario(args)
			if err != nil {
				return err
			}
			return emitText(cmd.OutOrStdout(), output, func(w io.Writer) error {
				if err := exporters[i].write(w, sc, opt); err != nil {
					return usageError{err}
				}
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVarP(&format, "format", "f", "", "target format: "+strings.Join(names, ", "))
	f.StringVar(&opt.issue, "issue", "", "the issue to write, for one-issue formats (bdm)")
	f.StringVarP(&output, "output", "o", "", "write to this file (atomically) instead of standard output")
	return cmd
}
