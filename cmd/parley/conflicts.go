package main

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/parley-project/parley/report"
	"github.com/parley-project/parley/report/svg"
	"github.com/parley-project/parley/run"
	"github.com/parley-project/parley/strategy/conflict"
)

func newConflicts() *cobra.Command {
	var (
		out     outputFlags
		svgFile string
		workers int
		pairs   bool
		params  []string
		stored  storeFlags
		spec    = run.NewConflictsSpec()
	)
	cmd := &cobra.Command{
		Use:   "conflicts [SCENARIO]",
		Short: "Who expects to gain by challenging whom: conflict, compel, compromise, capitulation or status quo for every pair",
		Long: `For every ordered pair of actors on an issue, i's expected utility of
challenging j and j's of challenging i, as i perceives them and as each side
sees itself, and the relation they imply in Bueno de Mesquita's terms:
conflict (both expect to gain; the one with more to gain is ahead), i compels
j, compromise, capitulation, or the status quo (neither expects to gain). The
numbers are the expected-utility model's own (eq. 25 of Scholz, Calbert &
Smith 2011, with the variant's probabilities and risk exponents) at the start
of round --round + 1; the octants are those of the paper's Fig. 6
(docs/models/conflicts.md). Output per issue: the n × n table of relations,
the n × n table of expected utilities, and the pairs in mutual conflict
ranked by the capability involved. --pairs lists every ordered pair's
numbers; --svg draws each actor's perceptual map (every other actor placed
and labelled).

--model smp gives KTAB's quad map instead: all issues at once, for each
challenge i → j the expected change of i's utility and of j's (KTAB's
getQuadMapPoint), in KTAB's four quadrants.

--perspective ACTOR shows every pair as ACTOR perceives it (with ACTOR's risk
exponent; its maps only with --svg); objective (the default) shows each
side's own expected utilities.`,
		Example: `  parley conflicts
  parley conflicts --issue status --variant paper --svg status.svg kosovo-2007
  parley conflicts --issue status --perspective russia --pairs
  parley conflicts --model smp --round 3 --json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := out.check(svgFile); err != nil {
				return err
			}
			sc, err := loadModelRun(cmd, args, params, &spec.ModelSpec)
			if err != nil {
				return err
			}
			r, err := spec.Run(cmd.Context(), sc, env(workers))
			if err != nil {
				return runError(cmd, err)
			}
			v := r.Result.Conflicts
			var chart svg.Grid
			if svgFile != "" {
				only := ""
				if v.Perspective != conflict.Objective {
					only = v.Perspective
				}
				if chart, err = report.ConflictCharts(v, only); err != nil {
					return usageError{err}
				}
			}
			if err := stored.save(cmd, r); err != nil {
				return err
			}
			if svgFile != "" {
				if err := emit(nil, svgFile, []byte(chart.SVG())); err != nil {
					return err
				}
			}
			return out.emit(cmd, v, r, nil, func(w io.Writer) error {
				return report.Conflicts(w, sc, v, pairs)
			})
		},
	}
	f := cmd.Flags()
	stored.register(f, "do not save the view in the results store")
	f.StringVarP(&spec.Model, "model", "m", spec.Model, "eum or smp")
	f.StringVar(&spec.Variant, "variant", spec.Variant, "model variant (EUM: scholz, the default, or paper)")
	f.StringArrayVarP(&params, "param", "p", nil, "model parameter NAME=VALUE, repeatable (e.g. -p q=0.5)")
	f.StringVar(&spec.Issue, "issue", spec.Issue, "only this issue (default: every issue; the SMP always views all together)")
	f.IntVar(&spec.Round, "round", spec.Round, "view the positions after this round of the model's run (0: the stated positions)")
	f.IntVarP(&spec.Rounds, "rounds", "r", spec.Rounds, "most rounds of the run (default: the model's)")
	f.StringVar(&spec.Perspective, "perspective", spec.Perspective, "objective, or an actor's id: every pair as that actor perceives it")
	f.BoolVar(&pairs, "pairs", false, "also list every ordered pair's expected utilities")
	f.IntVar(&workers, "workers", 0, "goroutines to use; results do not depend on it")
	out.register(f, "print the view as JSON")
	f.StringVar(&svgFile, "svg", "", "also draw every actor's map (or the --perspective actor's) to this SVG file")
	return cmd
}
