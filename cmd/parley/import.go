package main

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/parley-project/parley/scenario"
)

func newImport() *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Convert a scenario file of any supported format to Parley YAML",
		Long: `Read a scenario in any format Parley recognises by its content (Parley
YAML or JSON, BDM CSV, KTAB CSV, KTAB XML), validate it and write it as
Parley YAML, keeping everything the source format holds (KTAB XML model
parameters, seed and ideal adjustments go into the 'ktab' section).`,
		Example: `  parley import dummyData_3Dim.csv -o dummy.yaml
  parley import scenario.xml`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			sc, err := loadScenario(cmd, args)
			if err != nil {
				return err
			}
			return emitText(cmd.Context(), cmd.OutOrStdout(), output, func(w io.Writer) error { return scenario.WriteYAML(w, sc) })
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "", "write to this file (atomically) instead of standard output")
	return cmd
}
