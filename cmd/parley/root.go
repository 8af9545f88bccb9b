package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/parley-project/parley/internal/plural"
	"github.com/parley-project/parley/model/registry"
	"github.com/parley-project/parley/process"
	"github.com/parley-project/parley/report"
	"github.com/parley-project/parley/run"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/scenarios"
)

func newRoot() *cobra.Command {
	root := &cobra.Command{
		Use:           "parley",
		Short:         "Model and forecast multi-actor political negotiations",
		Long:          "Parley runs bargaining models on coded disputes: actors with positions, saliences and capabilities on labelled issue scales.",
		Version:       codeVersion(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	inputs = scenario.DefaultLimits
	pf := root.PersistentFlags()
	pf.Int64Var(&inputs.MaxBytes, "max-input", inputs.MaxBytes, "largest input file in bytes, 64 MiB unless $"+EnvMaxInput+" sets another default; reading stops there")
	pf.IntVar(&inputs.MaxCells, "max-cells", inputs.MaxCells, "most actors × issues of a scenario, unless $"+EnvMaxCells+" sets another default")
	registerWidth(root)
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		if err := inputLimits(cmd.Flags()); err != nil {
			return err
		}
		return checkWidth(cmd)
	}
	root.AddCommand(newForecast(), newValidate(), newShow(), newModels(), newScenarios(), newImport(), newExport(), newSweep(), newSensitivity(), newRuns(), newReport(), newVote(), newBacktest(), newRecognition(), newProcess(), newConflicts(), newAdvise(), newServe(), newVersion())
	usageArgs(root)
	addCompletions(root)
	return root
}

// Environment variables that set the input limits when the flags are not
// given.
const (
	EnvMaxInput = "PARLEY_MAX_INPUT"
	EnvMaxCells = "PARLEY_MAX_CELLS"
)

// inputs are the limits every file the command reads is held to: set
// from --max-input and --max-cells, else the environment, else
// scenario.DefaultLimits.
var inputs scenario.Limits

// inputLimits completes inputs from the environment for the flags not
// given, and checks them.
func inputLimits(f *pflag.FlagSet) error {
	for _, l := range []struct {
		flag, env string
		set       func(int64)
	}{
		{"max-input", EnvMaxInput, func(v int64) { inputs.MaxBytes = v }},
		{"max-cells", EnvMaxCells, func(v int64) { inputs.MaxCells = int(v) }},
	} {
		if f.Changed(l.flag) {
			continue
		}
		if env := os.Getenv(l.env); env != "" {
			v, err := strconv.ParseInt(env, 10, 64)
			if err != nil || v < 1 {
				return usage("$%s=%q: want a positive whole number", l.env, env)
			}
			l.set(v)
		}
	}
	if inputs.MaxBytes < 1 || inputs.MaxCells < 1 {
		return usage("--max-input and --max-cells must be positive")
	}
	return nil
}

// readInput reads a file the command was given, up to --max-input; a
// larger file is a problem of that file, and a missing one the user's
// mistake (both exit 2).
func readInput(path string) ([]byte, error) {
	data, err := scenario.ReadFile(path, inputs.MaxBytes)
	var tl *scenario.TooLargeError
	if errors.As(err, &tl) {
		return nil, tooLarge(path, tl.Limit)
	}
	if err != nil {
		return nil, usageError{err}
	}
	return data, nil
}

// tooLarge is the problem of a file larger than --max-input.
func tooLarge(path string, limit int64) scenario.Problems {
	return scenario.Problems{{File: path, Msg: fmt.Sprintf("larger than the input limit of %s; stopped reading there (raise it with --max-input or $%s)",
		scenario.FormatBytes(limit), EnvMaxInput)}}
}

// loadScenario resolves the optional scenario argument, with the further
// checks given (see scenario.Parse), and prints the reader's warnings (what
// it left out of the file) on cmd's standard error.
func loadScenario(cmd *cobra.Command, args []string, checks ...scenario.Check) (*scenario.Scenario, error) {
	arg := ""
	if len(args) > 0 {
		arg = args[0]
	}
	sc, err := scenarios.ResolveWithin(inputs, arg, checks...)
	if err != nil {
		if ps, ok := err.(scenario.Problems); ok {
			if len(ps) == 1 && ps[0].Msg == scenario.TooLargeMsg(inputs.MaxBytes) {
				return nil, tooLarge(ps[0].File, inputs.MaxBytes)
			}
			return nil, err
		}
		return nil, usageError{err}
	}
	warn(cmd, sc)
	return sc, nil
}

// subset keeps the actors and issues of --actors and --issues (ids
// separated by commas or semicolons, as Decide's lists are), printing the
// warnings of what it leaves out.
func subset(cmd *cobra.Command, sc *scenario.Scenario, actors, issues []string) (*scenario.Scenario, error) {
	split := func(list []string) []string {
		var out []string
		for _, l := range list {
			for _, id := range strings.Split(l, ";") {
				if id = strings.TrimSpace(id); id != "" {
					out = append(out, id)
				}
			}
		}
		return out
	}
	actors, issues = split(actors), split(issues)
	if len(actors) == 0 && len(issues) == 0 {
		return sc, nil
	}
	out, err := sc.Subset(actors, issues)
	if err != nil {
		return nil, usage("--actors/--issues: %v", err)
	}
	for _, w := range out.Warnings[len(sc.Warnings):] {
		fmt.Fprintln(cmd.ErrOrStderr(), "parley: warning:", w)
	}
	return out, nil
}

// warn prints a scenario's warnings on cmd's standard error (nowhere
// when cmd is nil).
func warn(cmd *cobra.Command, sc *scenario.Scenario) {
	if cmd == nil {
		return
	}
	for _, w := range sc.Warnings {
		fmt.Fprintln(cmd.ErrOrStderr(), "parley: warning:", w)
	}
}

func newForecast() *cobra.Command {
	var (
		out                    outputFlags
		whatIf                 whatIfFlags
		svgFile                string
		span                   onceString // --param-range
		workers                int
		moves                  bool
		params, actors, issues []string
		stored                 storeFlags
		spec                   = run.NewForecastSpec()
	)
	cmd := &cobra.Command{
		Use:   "forecast [SCENARIO]",
		Short: "Run a model on a scenario and show the forecast round by round",
		Long: `Run a model on a scenario (a file or a built-in name; default kosovo-2007)
and print each issue's forecast, median and weighted mean per round and every
actor's final position. --json prints the machine-readable document.

Round-based models (eum, smp, exchange) say how each issue's forecast ended:
fixed (it stopped moving), cycle (it repeats with a period of 2 rounds or
more, seen at least twice at the end of the run) or unsettled. The summary
shows the fixed point, or the mean over the cycle (over the last half of the
run when unsettled) with the range it moves in; the last round's forecast
stays in the JSON as "forecast". --stable K stops an issue once it has stayed
fixed for K rounds or its cycle has repeated K times.

--interval adds beside each forecast the 5th, 50th and 95th percentiles of
that summary over a seeded sweep (--draws, --seed) under the scenario's
uncertainty: each number's own range or sd, else a default by evidence
(docs/uncertainty.md). The same seed gives the same bytes whatever --workers.`,
		Example: `  parley forecast
  parley forecast --model eum --variant paper --rounds 20 kosovo-2007
  parley forecast --model eum --json emission-1994
  parley forecast --format csv -o kosovo.csv --svg kosovo.svg
  parley forecast --interval --draws 400 --seed 7 kosovo-2007
  parley forecast --set russia.capability=30 --drop serbia kosovo-2007
  parley forecast --model mean my-scenario.yaml
  parley forecast --model exchange -p p=0.3 -p repetitions=20 cop21.csv
  parley forecast --model exchange --param-range p=0:0.25:1 --actors 'EU28;USA;China' cop21.csv`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if cmd.Flags().Changed("stable") && spec.Stable < 1 {
				return usage("--stable %d: want a number of rounds of 1 or more (leave the flag out to run every round)", spec.Stable)
			}
			span := span.v
			if spec.Interval && span != "" {
				return usage("--interval and --param-range: give one of them")
			}
			// Refuse an output that cannot be written before any run is
			// saved in the results store.
			if err := out.check(svgFile); err != nil {
				return err
			}
			if span != "" && (out.format == formatCSV || svgFile != "") {
				return usage("--param-range prints a table of the runs or --json; --format csv and --svg are for a single run")
			}
			sc, err := loadModelRun(cmd, args, params, &spec.ModelSpec)
			if err != nil {
				return err
			}
			if sc, err = subset(cmd, sc, actors, issues); err != nil {
				return err
			}
			if spec.WhatIf, err = whatIf.whatIf(sc); err != nil {
				return err
			}
			if span != "" {
				return forecastRange(cmd, &stored, sc, spec, workers, span, out.output, out.asJSON)
			}
			r, err := spec.Run(cmd.Context(), sc, env(workers))
			if err != nil {
				return runError(cmd, err)
			}
			if err := stored.save(cmd, r); err != nil {
				return err
			}
			res := r.Result
			if svgFile != "" {
				if err := emit(nil, svgFile, []byte(report.ForecastCharts(r.Snapshot, res).SVG()+"\n")); err != nil {
					return err
				}
			}
			sc = r.Snapshot // with the what-if's changes
			return out.emit(cmd, res, r, nil, whatIf.text(spec.WhatIf, func(w io.Writer) error {
				if err := report.Forecast(w, sc, res); err != nil || !moves {
					return err
				}
				return report.Moves(w, sc, res)
			}))
		},
	}
	f := cmd.Flags()
	modelFlags(f, &spec.ModelSpec, &params, "most rounds to run (default: the model's, 10 for the EUM)", "model parameter NAME=VALUE, repeatable (e.g. -p q=0.5)")
	f.Float64Var(&spec.Epsilon, "epsilon", spec.Epsilon, "with --stable: forecasts this close count as equal (default: 1/10,000 of each issue's scale, 0.01 on 0–100)")
	f.IntVar(&spec.Stable, "stable", spec.Stable, "stop an issue once its forecast has stayed fixed for K rounds, or its cycle has repeated K times (K ≥ 1)")
	f.Var(&span, "param-range", "run once per value of a parameter, NAME=START:STEP:STOP (e.g. p=0:0.1:1, at most 256 values; one parameter)")
	f.StringSliceVar(&actors, "actors", nil, "run on these actors only (ids separated by , or ;)")
	f.StringSliceVar(&issues, "issues", nil, "run on these issues only (ids separated by , or ;)")
	f.IntVar(&workers, "workers", 0, "goroutines to use (default: one per CPU); results do not depend on it")
	f.BoolVar(&spec.Interval, "interval", spec.Interval, "add a 90% interval beside each forecast: a seeded sweep under the scenario's uncertainty")
	f.IntVar(&spec.Draws, "draws", spec.Draws, "with --interval: the sweep's draws")
	f.Uint64Var(&spec.Seed, "seed", spec.Seed, "with --interval: the sweep's seed; the same seed gives the same interval whatever --workers")
	out.register(f, "print the result as JSON")
	whatIf.register(f)
	f.BoolVar(&moves, "moves", false, "also list every actor's move in every round")
	f.StringVar(&svgFile, "svg", "", "also draw each issue's trajectories to this SVG file")
	stored.register(f, "do not save the run in the results store")
	return cmd
}

// onceString is a string flag that may be given once: a second value
// is an error rather than silently replacing the first.
type onceString struct {
	v   string
	set bool
}

func (o *onceString) String() string { return o.v }
func (o *onceString) Type() string   { return "string" }
func (o *onceString) Set(s string) error {
	if o.set {
		return fmt.Errorf("given twice (%s, then %s): give it once", o.v, s)
	}
	o.v, o.set = s, true
	return nil
}

// checkOutputs refuses, before anything runs, output paths that emit
// could not write (a directory, a missing folder), so that a command
// writing several files (-o and --svg) does not leave one of them behind.
func checkOutputs(paths ...string) error {
	for _, path := range paths {
		if path == "" {
			continue
		}
		if fi, err := os.Stat(path); err == nil && fi.IsDir() {
			return usage("cannot write %s: it is a directory", path)
		}
		if fi, err := os.Stat(filepath.Dir(path)); err != nil || !fi.IsDir() {
			return usage("cannot write %s: no folder %s", path, filepath.Dir(path))
		}
	}
	return nil
}

// emit writes data to stdout, or atomically to path: a temporary file in
// the same directory renamed into place, so no partial file is left.
func emit(stdout io.Writer, path string, data []byte) error {
	if path == "" {
		_, err := stdout.Write(data)
		return err
	}
	// A device or pipe (-o /dev/null, -o /dev/stdout, a FIFO) is written
	// as it is: renaming a file onto it would replace the device. A file
	// that is replaced keeps its mode; a new one gets the usual 0644.
	mode := os.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil {
		switch {
		case fi.IsDir():
			return usage("cannot write %s: it is a directory", path)
		case !fi.Mode().IsRegular():
			f, err := os.OpenFile(path, os.O_WRONLY, 0)
			if err != nil {
				return usage("cannot write %s: %v", path, err)
			}
			if _, err := f.Write(data); err != nil {
				f.Close()
				return fmt.Errorf("writing %s: %w", path, err)
			}
			return f.Close()
		}
		mode = fi.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return usage("cannot write %s: %v", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	// CreateTemp makes the file private (0600).
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return os.Rename(tmp.Name(), path)
}

func newValidate() *cobra.Command {
	return &cobra.Command{
		Use:   "validate FILE...",
		Short: "Check scenario files and list every problem with file, line and field",
		Long: `Check scenario files and list every problem with file, line and field. Besides
the scenario itself, the process section is checked as 'parley process' would
run it: each talks stage's model, variant and parameters, and each
recognition stage's states (UN members, by ISO3 code or name).`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var all scenario.Problems
			for _, path := range args {
				data, err := readInput(path)
				if ps, ok := err.(scenario.Problems); ok {
					all = append(all, ps...)
					continue
				} else if err != nil {
					return err
				}
				sc, err := inputs.Parse(data, path, process.Check(registry.Default()))
				if ps, ok := err.(scenario.Problems); ok {
					all = append(all, ps...)
					continue
				} else if err != nil {
					return usageError{err}
				}
				warn(cmd, sc)
				fmt.Fprintf(cmd.OutOrStdout(), "%s: ok, %s, format %s\n", path, sc, scenario.Detect(data))
			}
			if len(all) > 0 {
				return all
			}
			return nil
		},
	}
}

func newShow() *cobra.Command {
	return &cobra.Command{
		Use:   "show [SCENARIO]",
		Short: "Show a scenario as a table of actors per issue with the scale's labels",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			sc, err := loadScenario(cmd, args)
			if err != nil {
				return err
			}
			return report.Scenario(sized(cmd, cmd.OutOrStdout()), sc)
		},
	}
}

func newModels() *cobra.Command {
	return &cobra.Command{
		Use:   "models",
		Short: "List the models with their variants and parameters",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			// Each model's description beside its name, its variants and
			// parameters under it, all wrapped to the output's width.
			w := sized(cmd, cmd.OutOrStdout())
			width := report.WidthOf(w)
			models := registry.Default().All()
			nameW := 0
			for _, m := range models {
				nameW = max(nameW, len(m.Info().Name))
			}
			indent := strings.Repeat(" ", nameW+2)
			var b strings.Builder
			for _, m := range models {
				info := m.Info()
				b.WriteString(report.Wrap(info.Description, width, fmt.Sprintf("%-*s", nameW+2, info.Name), indent) + "\n")
				for i, v := range info.Variants {
					def := ""
					if i == 0 {
						def = " (default)"
					}
					b.WriteString(report.Wrap(fmt.Sprintf("--variant %s%s: %s", v.Name, def, v.Description), width, indent+"  ", indent+"    ") + "\n")
				}
				for _, p := range info.Params {
					b.WriteString(report.Wrap(fmt.Sprintf("--param %s: %s", p.Usage(), p.Description), width, indent+"  ", indent+"    ") + "\n")
				}
			}
			_, err := io.WriteString(w, b.String())
			return err
		},
	}
}

func newScenarios() *cobra.Command {
	return &cobra.Command{
		Use:   "scenarios",
		Short: "List the built-in scenarios",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var rows [][]string
			for _, name := range scenarios.Names() {
				sc, err := scenarios.Get(name)
				if err != nil {
					return err
				}
				rows = append(rows, []string{name, sc.Title, plural.Count(len(sc.Issues), "issue") + ", " + plural.Count(len(sc.Actors), "actor")})
			}
			return printTable(cmd, rows, []report.Column{1: {Fit: report.FitWrap, Min: 24}})
		},
	}
}
