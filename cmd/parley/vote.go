package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/parley-project/parley/institution"
	"github.com/parley-project/parley/internal/plural"
	"github.com/parley-project/parley/process"
	"github.com/parley-project/parley/report"
	"github.com/parley-project/parley/scenario"
)

// voteJSON is the machine-readable document of parley vote.
type voteJSON struct {
	Scenario string `json:"scenario"`
	Issue    string `json:"issue"`
	BodyName string `json:"body_name"`
	institution.Outcome
}

func newVote() *cobra.Command {
	var (
		issueID, output  string
		proposal, sq     float64
		asJSON, listOnly bool
	)
	cmd := &cobra.Command{
		Use:   "vote BODY --proposal X [SCENARIO]",
		Short: "Put a proposal to a voting body and show each member's vote and whether it passes",
		Long: `Put a proposal (a position on an issue) to a voting body against the status quo.
BODY is an institution the scenario declares or a built-in body (` + strings.Join(institution.Builtins(), ", ") + `).
Members vote yes when the proposal is closer to their actor's position than the
status quo, no when the status quo is closer, and abstain when they are equally
far or hold no position, unless the scenario fixes their vote.
The status quo is --status-quo, else the scenario's process.status_quo for the issue.`,
		Example: `  parley vote unsc --proposal 80 kosovo-2007
  parley vote eu-council-cfsp --proposal 80 --json kosovo-2007
  parley vote --list`,
		Args: func(cmd *cobra.Command, args []string) error {
			if listOnly {
				if len(args) > 0 {
					return usage("--list takes no BODY or SCENARIO, got %q", args)
				}
				return nil
			}
			if err := cobra.RangeArgs(1, 2)(cmd, args); err != nil {
				return usageError{err}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if listOnly {
				for _, n := range institution.Builtins() {
					b, _ := institution.Builtin(n)
					fmt.Fprintf(cmd.OutOrStdout(), "%-16s %s, %s, rule %s\n", n, b.Name, plural.Count(len(b.Members), "member"), b.Rule)
				}
				return nil
			}
			if !cmd.Flags().Changed("proposal") {
				return usage("missing --proposal (a position on the issue's scale)")
			}
			sc, err := loadScenario(cmd, args[1:])
			if err != nil {
				return err
			}
			in, b, err := process.Body(sc, args[0])
			if err != nil {
				return usageError{err}
			}
			is, err := pickIssue(sc, issueID)
			if err != nil {
				return err
			}
			if !cmd.Flags().Changed("status-quo") {
				v, ok := 0.0, false
				if sc.Process != nil {
					v, ok = sc.Process.StatusQuo[is.ID]
				}
				if !ok {
					return usage("missing --status-quo: the scenario gives no status quo for issue %s", is.ID)
				}
				sq = v
			}
			for _, v := range []struct {
				name string
				v    float64
			}{{"--proposal", proposal}, {"--status-quo", sq}} {
				if !(v.v >= is.Min && v.v <= is.Max) {
					return usage("%s %v is outside the scale %v to %v of issue %s", v.name, v.v, is.Min, is.Max, is.ID)
				}
			}
			out := process.Vote(sc, in, b, is.ID, proposal, sq)
			return emitResult(cmd.OutOrStdout(), output, asJSON, voteJSON{Scenario: sc.Name, Issue: is.ID, BodyName: b.Name, Outcome: out},
				func(w io.Writer) error { return report.Vote(w, sc, b, is, out) })
		},
	}
	f := cmd.Flags()
	f.Float64Var(&proposal, "proposal", 0, "the proposal, a position on the issue's scale (required)")
	f.Float64Var(&sq, "status-quo", 0, "the status quo (default: the scenario's process.status_quo)")
	f.StringVar(&issueID, "issue", "", "the issue voted on (default: the scenario's first issue)")
	f.BoolVar(&asJSON, "json", false, "print the outcome as JSON")
	f.BoolVar(&listOnly, "list", false, "list the built-in bodies")
	f.StringVarP(&output, "output", "o", "", "write to this file (atomically) instead of standard output")
	return cmd
}

// pickIssue returns the named issue, or the scenario's first.
func pickIssue(sc *scenario.Scenario, id string) (*scenario.Issue, error) {
	if id == "" {
		return &sc.Issues[0], nil
	}
	if is := sc.Issue(id); is != nil {
		return is, nil
	}
	var ids []string
	for _, is := range sc.Issues {
		ids = append(ids, is.ID)
	}
	return nil, usage("--issue: no issue %q in %s (have %s)", id, sc.Name, strings.Join(ids, ", "))
}
