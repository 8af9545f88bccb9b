package main

import (
	"context"
	"io"

	"github.com/spf13/cobra"

	"github.com/parley-project/parley/report"
)

func newReport() *cobra.Command {
	var (
		db       dbFlag
		htmlFile string
	)
	cmd := &cobra.Command{
		Use:   "report RUN --html FILE",
		Short: "Write a stored run as one self-contained HTML report",
		Long: `Write a stored run (see 'parley runs list') as a single HTML file with inline
CSS and SVG charts and no external resources: the scenario with its
evidence, each issue's trajectory for every actor, and, where the run has
them, the outcome distribution, the sensitivity ranking, the process
timeline and the recognition curve. The charts print in black and white.`,
		Example: `  parley forecast kosovo-2007          # saved as run 1
  parley report 1 --html kosovo.html`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if htmlFile == "" {
				return usage("--html FILE is required")
			}
			ctx := context.Background()
			runs, err := db.getRuns(ctx, args[0])
			if err != nil {
				return err
			}
			page := report.NewPage(runs[0])
			return emitText(cmd.Context(), cmd.OutOrStdout(), htmlFile, func(w io.Writer) error { return report.HTML(w, page) })
		},
	}
	db.register(cmd.Flags())
	cmd.Flags().StringVar(&htmlFile, "html", "", "write the HTML report to this file (atomically)")
	return cmd
}
