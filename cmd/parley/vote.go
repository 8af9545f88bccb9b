package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/parley-project/parley/institution"
	"github.com/parley-project/parley/institution/power"
	"github.com/parley-project/parley/internal/plural"
	"github.com/parley-project/parley/report"
	"github.com/parley-project/parley/run"
	"github.com/parley-project/parley/scenario"
)

// voteJSON is the machine-readable document of parley vote.
type voteJSON struct {
	Scenario string `json:"scenario"`
	Issue    string `json:"issue"`
	BodyName string `json:"body_name"`
	institution.Outcome
	// Power and Switches are added by --power.
	Power    *power.Result   `json:"power,omitempty"`
	Switches *power.Proposal `json:"switches,omitempty"`
}

// powerJSON is the document of parley vote --power without a proposal.
type powerJSON struct {
	Body     string        `json:"body"`
	BodyName string        `json:"body_name"`
	Rule     string        `json:"rule"`
	Power    *power.Result `json:"power"`
}

func newVote() *cobra.Command {
	var (
		issueID, output  string
		proposal, sq     float64
		asJSON, listOnly bool
		withPower        bool
		stored           storeFlags
	)
	cmd := &cobra.Command{
		Use:   "vote BODY (--proposal X | --power) [SCENARIO]",
		Short: "Put a proposal to a voting body and show each member's vote and whether it passes; --power: each member's voting power",
		Long: `Put a proposal (a position on an issue) to a voting body against the status quo.
BODY is an institution the scenario declares or a built-in body (` + strings.Join(institution.Builtins(), ", ") + `).
Members vote yes when the proposal is closer to their actor's position than the
status quo, no when the status quo is closer, and abstain when they are equally
far or hold no position, unless the scenario fixes their vote.
The status quo is --status-quo, else the scenario's process.status_quo for the issue.

--power adds each member's exact a priori voting power (Shapley–Shubik,
normalised Banzhaf and Penrose indices; docs/models/power.md) and, with a
proposal, the pivotal members and the smallest sets of members whose switch
would reverse the outcome. --power alone needs no proposal.`,
		Example: `  parley vote unsc-2007 --proposal 80 kosovo-2007
  parley vote unsc-2007 --power
  parley vote eu-council --power --proposal 80 --issue status kosovo-2007
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
			if !cmd.Flags().Changed("proposal") && !withPower {
				return usage("missing --proposal (a position on the issue's scale) or --power")
			}
			sc, err := loadScenario(cmd, args[1:])
			if err != nil {
				return err
			}
			var pr *run.Power
			if withPower {
				spec := run.PowerSpec{Body: args[0], Issue: issueID}
				if cmd.Flags().Changed("proposal") {
					spec.Proposal = &proposal
				}
				if cmd.Flags().Changed("status-quo") {
					spec.StatusQuo = &sq
				}
				if pr, err = spec.Run(cmd.Context(), sc, env(0)); err != nil {
					return runError(cmd, err)
				}
				if err := stored.save(cmd, pr); err != nil {
					return err
				}
				if spec.Proposal == nil {
					b, pw := pr.Result.Body, pr.Result.Power
					return emitResult(cmd.Context(), cmd.OutOrStdout(), output, asJSON, powerJSON{Body: b.ID, BodyName: b.Name, Rule: string(b.Rule), Power: pw},
						func(w io.Writer) error { return report.Power(sized(cmd, w), b, pw) })
				}
			}
			var (
				b   *institution.Body
				is  *scenario.Issue
				out institution.Outcome
				pw  *power.Result
			)
			if pr != nil {
				b, is, out, pw = pr.Result.Body, sc.Issue(pr.Result.Issue), *pr.Result.Outcome, pr.Result.Power
			} else {
				var statusQuo *float64
				if cmd.Flags().Changed("status-quo") {
					statusQuo = &sq
				}
				bl, err := run.Vote(sc, args[0], issueID, proposal, statusQuo)
				if err != nil {
					return runError(cmd, err)
				}
				b, is, out = bl.Body, bl.Issue, bl.Outcome
			}
			doc := voteJSON{Scenario: sc.Name, Issue: is.ID, BodyName: b.Name, Outcome: out}
			if pr != nil {
				doc.Power, doc.Switches = pw, pr.Result.Switches
			}
			return emitResult(cmd.Context(), cmd.OutOrStdout(), output, asJSON, doc, func(w io.Writer) error {
				w = sized(cmd, w)
				if err := report.Vote(w, sc, b, is, out); err != nil || pw == nil {
					return err
				}
				fmt.Fprintln(w)
				if err := report.Switches(w, doc.Switches); err != nil {
					return err
				}
				fmt.Fprintf(w, "\nVoting power (a priori, exact, by %s)\n", pw.Method)
				return report.PowerTable(b, pw).Write(w, report.WidthOf(w), "")
			})
		},
	}
	f := cmd.Flags()
	f.Float64Var(&proposal, "proposal", 0, "the proposal, a position on the issue's scale (required)")
	f.Float64Var(&sq, "status-quo", 0, "the status quo (default: the scenario's process.status_quo)")
	f.StringVar(&issueID, "issue", "", "the issue voted on (default: the scenario's first issue)")
	f.BoolVar(&asJSON, "json", false, "print the outcome as JSON")
	f.BoolVar(&listOnly, "list", false, "list the built-in bodies")
	stored.register(f, "with --power: do not save the power analysis in the results store")
	f.BoolVar(&withPower, "power", false, "each member's voting power (Shapley–Shubik, Banzhaf) and, with --proposal, the pivotal members and smallest switching sets")
	f.StringVarP(&output, "output", "o", "", "write to this file (atomically) instead of standard output")
	return cmd
}
