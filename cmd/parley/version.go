package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/parley-project/parley/internal/buildinfo"
)

// version is set at link time with -ldflags "-X main.version=...";
// otherwise the build information Go stamps into the binary names the
// build (internal/buildinfo).
var version = ""

func newVersion() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the version of this build: module version, commit, commit date",
		Long: `Print the version of this build, as every stored run records it. A binary
built from a git checkout ('go build ./cmd/parley', 'go install ./cmd/parley')
names its commit, the commit's date and whether the checkout had uncommitted
changes ("modified"); one installed with 'go install <module>/cmd/parley@v1.2.0'
names the module version; 'go run' and 'go test' builds know neither and say
"dev".`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			in := buildinfo.Read(version)
			w := cmd.OutOrStdout()
			if asJSON {
				return writeJSON(w, in)
			}
			fmt.Fprintf(w, "parley %s\n", in)
			if in.Revision != "" {
				fmt.Fprintf(w, "commit:   %s\n", in.Revision)
			}
			if !in.Time.IsZero() {
				fmt.Fprintf(w, "date:     %s\n", in.Time.Format("2006-01-02 15:04:05 UTC"))
			}
			if in.Revision != "" {
				fmt.Fprintf(w, "modified: %v\n", in.Modified)
			}
			if in.Go != "" {
				fmt.Fprintf(w, "go:       %s\n", in.Go)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the build information as JSON")
	return cmd
}
