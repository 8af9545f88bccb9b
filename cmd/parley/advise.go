package main

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/parley-project/parley/report"
	"github.com/parley-project/parley/run"
)

func newAdvise() *cobra.Command {
	var (
		output  string
		workers int
		target  float64
		asJSON  bool
		params  []string
		stored  storeFlags
		spec    = run.NewAdviceSpec()
	)
	cmd := &cobra.Command{
		Use:   "advise ACTOR [SCENARIO]",
		Short: "Where an actor's leverage lies: its own levers, whom to work on and how far, the best pairs",
		Long: `Re-run a model (any model) on copies of the scenario in which one or two actors
state another position or salience on one issue, and rank the changes by how far
they move the forecast toward ACTOR's own position:

  own levers       ACTOR's own stated position (every point of a grid over the
                   scale) and salience (0 to the top of the salience scale);
  whom to work on  every other actor's most helpful change of position or
                   salience, and how far it would have to move its position,
                   alone, to bring the forecast to --target (default: ACTOR's
                   position), found on the grid and refined by bisection;
  pairs            the most helpful actors' best changes, two at a time, with
                   the gain beyond the sum of their gains alone.

--lever-issues also tries changes on other issues (all: every issue): with a
model that links issues, such as smp or exchange, an actor's concession on one
issue can move the forecast on another, as the trades the sources proposed
would.

Every row shows the forecast with the change, its gain (how much nearer ACTOR's
position the forecast comes) and how the run ended. Runs are spread over
--workers goroutines; the output does not depend on their number.`,
		Example: `  parley advise usa --issue status kosovo-2007
  parley advise russia --model smp --issue status --target 50
  parley advise eu --model exchange --issue status --lever-issues all
  parley advise eu --model exchange --issue serbia_eu --json`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkOutputs(output); err != nil {
				return err
			}
			sc, err := loadModelRun(cmd, args[1:], params, &spec.ModelSpec)
			if err != nil {
				return err
			}
			spec.Actor = args[0]
			if cmd.Flags().Changed("target") {
				spec.Target = &target
			}
			batchGC()
			r, err := spec.Run(cmd.Context(), sc, env(workers))
			if err != nil {
				return runError(cmd, err)
			}
			if err := stored.save(cmd, r); err != nil {
				return err
			}
			res := r.Result.Advice
			return emitResult(cmd.Context(), cmd.OutOrStdout(), output, asJSON, res, func(w io.Writer) error { return report.Advice(sized(cmd, w), sc, res) })
		},
	}
	f := cmd.Flags()
	stored.register(f, "do not save the advice in the results store")
	modelFlags(f, &spec.ModelSpec, &params, "most rounds per run (default: the model's)", "model parameter NAME=VALUE, repeatable")
	f.StringVar(&spec.Issue, "issue", spec.Issue, "the issue to move (default: the first ACTOR holds a position on)")
	f.StringSliceVar(&spec.LeverIssues, "lever-issues", nil, "issues whose stances are changed, comma-separated, or all (default: --issue alone); with a model that links issues (smp, exchange) a change on one issue can move another")
	f.Float64Var(&target, "target", 0, "the forecast to reach (default: ACTOR's position); must lie on the issue's scale")
	f.IntVar(&spec.Grid, "grid", spec.Grid, "points of the position grid over the scale (3 to 201)")
	f.IntVar(&workers, "workers", 0, "model runs at once (default: one per CPU); results do not depend on it")
	f.BoolVar(&asJSON, "json", false, "print the advice as JSON")
	f.StringVarP(&output, "output", "o", "", "write to this file (atomically) instead of standard output")
	return cmd
}
