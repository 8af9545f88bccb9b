package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/parley-project/parley/internal/buildinfo"
	"github.com/parley-project/parley/model/registry"
	"github.com/parley-project/parley/report"
	"github.com/parley-project/parley/run"
	"github.com/parley-project/parley/store"
)

// dbFlag is the --db flag shared by every command that uses the store.
type dbFlag struct{ location string }

func (d *dbFlag) register(f *pflag.FlagSet) {
	f.StringVar(&d.location, "db", "", "database: a SQLite file or a postgres:// URL (default $"+store.EnvDB+", else parley/parley.db in the user's data directory)")
}

// open opens the store the flag (or the environment) names.
func (d *dbFlag) open(ctx context.Context) (store.Store, error) {
	loc, err := store.Resolve(d.location)
	if err != nil {
		return nil, err
	}
	return store.Open(ctx, loc)
}

// storeFlags are --db and --no-store, the flags of every command that
// saves its run in the store.
type storeFlags struct {
	db      dbFlag
	noStore bool
}

// register registers --db and --no-store, with noStore as the latter's
// help.
func (st *storeFlags) register(f *pflag.FlagSet, noStore string) {
	st.db.register(f)
	f.BoolVar(&st.noStore, "no-store", false, noStore)
}

// open opens the store a run is saved in; the error says how to do
// without it (use --no-store to <without> without saving).
func (st *storeFlags) open(ctx context.Context, without string) (store.Store, error) {
	s, err := st.db.open(ctx)
	if err != nil {
		return nil, fmt.Errorf("%w (use --no-store to %s without saving)", err, without)
	}
	return s, nil
}

// codeVersion names the build of parley that makes a run, as stored runs
// record it: the version, commit, commit date and "modified" Go stamped
// into the binary (internal/buildinfo).
func codeVersion() string { return buildinfo.Read(version).String() }

// env is the run layer's environment of a command: the built-in models,
// its --workers and this build's version.
func env(workers int) run.Env {
	return run.Env{Registry: registry.Default(), Workers: workers, CodeVersion: codeVersion()}
}

// runError is the error of a run as the command line reports it: the
// context's own when the command was interrupted; a request the run
// layer refuses is the user's mistake (exit 2), named by its flag.
func runError(cmd *cobra.Command, err error) error {
	if ctxErr := cmd.Context().Err(); ctxErr != nil && errors.Is(err, ctxErr) {
		return err
	}
	var re *run.RequestError
	if !errors.As(err, &re) {
		return err
	}
	msg := err.Error()
	if len(re.Also) > 0 && msg == re.Error() {
		// The other fields the message names, as flags.
		msg = re.Spell(func(f string) string { return "--" + strings.ReplaceAll(f, "_", "-") })
	}
	if re.Field == "" {
		if msg != err.Error() {
			err = errors.New(msg)
		}
		return usageError{err}
	}
	if re.Field == "what_if" {
		// The what-if is the command's --set and --drop.
		return usage("--set/--drop: %s", strings.TrimPrefix(err.Error(), "what_if: "))
	}
	flag := strings.ReplaceAll(re.Field, "_", "-")
	switch {
	case strings.HasPrefix(msg, re.Field+" "):
		return usage("--%s%s", flag, strings.TrimPrefix(msg, re.Field))
	case strings.HasPrefix(msg, "missing "+re.Field):
		return usage("missing --%s%s", flag, strings.TrimPrefix(msg, "missing "+re.Field))
	}
	return usage("--%s: %v", flag, err)
}

// save stores a finished run, unless --no-store, and tells the user its
// id on standard error (standard output carries the report or the JSON).
func (st *storeFlags) save(cmd *cobra.Command, r run.Run) error {
	if st.noStore {
		return nil
	}
	ctx := cmd.Context()
	s, err := st.open(ctx, "run")
	if err != nil {
		return err
	}
	defer s.Close()
	if err := run.Save(ctx, s, r); err != nil {
		return err
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "saved as run %d in %s\n", r.Head().ID, s.Location())
	return nil
}

func newRuns() *cobra.Command {
	var db dbFlag
	cmd := &cobra.Command{
		Use:   "runs",
		Short: "List, show, compare and delete stored runs",
		Long: `Runs (forecasts, sweeps, sensitivity analyses, process runs, recognition
forecasts, backtests) are stored in a SQLite file in the
user's data directory, or in the database named by --db or $` + store.EnvDB + `.`,
		Example: `  parley runs list
  parley runs show 3
  parley runs diff 3 4
  parley runs rm 3
  parley runs list --db postgres://parley@localhost/parley`,
	}
	db.register(cmd.PersistentFlags())
	cmd.AddCommand(newRunsList(&db), newRunsShow(&db), newRunsDiff(&db), newRunsRm(&db))
	return cmd
}

func parseRunID(arg string) (int64, error) {
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil || id <= 0 {
		return 0, usage("run id %q: want a positive whole number (see 'parley runs list')", arg)
	}
	return id, nil
}

// runNotFound makes a run id that s does not hold the user's mistake
// (exit 2), naming the store; any other error is returned as it is.
func runNotFound(err error, s store.Store) error {
	if errors.Is(err, store.ErrNotFound) {
		return usageError{fmt.Errorf("%w in %s", err, s.Location())}
	}
	return err
}

// getRun loads a run as the store keeps it; an unknown id is the user's
// mistake (exit 2).
func getRun(ctx context.Context, s store.Store, arg string) (*store.Run, error) {
	id, err := parseRunID(arg)
	if err != nil {
		return nil, err
	}
	r, err := s.Get(ctx, id)
	if err != nil {
		return nil, runNotFound(err, s)
	}
	return r, nil
}

// getRuns opens the store and reads the runs named by args (run IDs),
// typed by the run layer.
func (d *dbFlag) getRuns(ctx context.Context, args ...string) ([]run.Run, error) {
	s, err := d.open(ctx)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	runs := make([]run.Run, len(args))
	for i, arg := range args {
		row, err := getRun(ctx, s, arg)
		if err != nil {
			return nil, err
		}
		if runs[i], err = run.Read(row); err != nil {
			return nil, err
		}
	}
	return runs, nil
}

func newRunsList(db *dbFlag) *cobra.Command {
	var (
		asJSON bool
		kind   string
		scen   string
		limit  int
	)
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List stored runs, newest first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := context.Background()
			s, err := db.open(ctx)
			if err != nil {
				return err
			}
			defer s.Close()
			runs, err := s.List(ctx, store.Filter{Kind: kind, Scenario: scen, Limit: limit})
			if err != nil {
				return err
			}
			if asJSON {
				if runs == nil {
					runs = []store.Run{}
				}
				return writeJSON(cmd.OutOrStdout(), runs)
			}
			now := time.Now()
			// The model with its variant as MODEL:VARIANT (as backtests
			// name them), so that the list fits 80 columns.
			rows := [][]string{{"ID", "KIND", "STATUS", "SCENARIO", "MODEL", "PARAMS", "SEED", "DRAWS", "CREATED"}}
			for _, r := range runs {
				model := r.Model
				if r.Variant != "" {
					model += ":" + r.Variant
				}
				rows = append(rows, []string{strconv.FormatInt(r.ID, 10), r.Kind, run.StatusText(&r, now), r.Scenario, model,
					dash(run.FormatParams(r.Params)), strconv.FormatUint(r.Seed, 10), strconv.Itoa(r.Draws), r.Created.Local().Format("2006-01-02 15:04")})
			}
			// The parameters and long scenario names are cut to the width:
			// 'parley runs show ID' gives them in full.
			return printTable(cmd, rows, []report.Column{3: {Fit: report.FitCut, Min: 14}, 5: {Fit: report.FitCut, Min: 12}, 8: {Fit: report.FitWrap, Min: 10}})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the runs as JSON")
	cmd.Flags().StringVar(&kind, "kind", "", "only runs of this kind ("+strings.Join(run.Kinds(), ", ")+")")
	cmd.Flags().IntVarP(&limit, "limit", "n", 0, "at most this many runs (0: all)")
	cmd.Flags().StringVar(&scen, "scenario", "", "only runs of the scenario of this name")
	return cmd
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func newRunsShow(db *dbFlag) *cobra.Command {
	var asJSON, fields bool
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show a stored run: its settings and its result",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := context.Background()
			s, err := db.open(ctx)
			if err != nil {
				return err
			}
			defer s.Close()
			r, err := getRun(ctx, s, args[0])
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			if asJSON {
				return writeJSON(w, r)
			}
			typed, err := run.Read(r)
			if err != nil {
				return err
			}
			// The settings, one a line (a what-if says what it changed),
			// then the result as the command that made it prints it, or
			// with --fields every field runs diff compares.
			w = sized(cmd, w)
			page := report.NewPage(typed)
			rows := [][]string{{"Run:", strconv.FormatInt(r.ID, 10)}, {"Kind:", fmt.Sprintf("%s (%s)", r.Kind, run.StatusText(r, time.Now()))}}
			add := func(label, value string) { rows = append(rows, []string{label, value}) }
			if r.Error != "" {
				add("Failed:", r.Error)
			}
			add("Scenario:", r.Scenario)
			add("Model:", r.Model)
			add("Variant:", dash(r.Variant))
			add("Parameters:", dash(run.FormatParams(r.Params)))
			add("Seed:", strconv.FormatUint(r.Seed, 10))
			label := "Settings:"
			for _, l := range run.Settings(typed) {
				if strings.HasPrefix(l.Path, "what_if.") {
					continue
				}
				add(label, fmt.Sprintf("%s = %v", l.Path, l.Value))
				label = ""
			}
			if page.WhatIf != "" {
				add("What if:", page.WhatIf)
			}
			if r.Kind == store.KindSweep || r.Draws > 0 {
				note := ""
				if sw, ok := typed.(*run.Sweep); ok && sw.Result != nil && sw.Result.Identical {
					note = fmt.Sprintf(" (identical draws: 1 draw run, counted for all %d)", sw.Result.Draws)
				}
				add("Draws stored:", fmt.Sprintf("%d%s", r.Draws, note))
			}
			add("Code version:", r.CodeVersion)
			add("Created:", r.Created.Format(time.RFC3339))
			if !r.Updated.Equal(r.Created) {
				add("Updated:", r.Updated.Format(time.RFC3339))
			}
			if err := printTable(cmd, rows, []report.Column{{}, {Fit: report.FitWrap, Min: 20}}); err != nil {
				return err
			}
			if r.Result == nil {
				if r.Status != store.StatusFailed {
					fmt.Fprintln(w, "\nNo result yet (the run did not finish).")
				}
				return nil
			}
			if !fields {
				fmt.Fprintln(w)
				if ok, err := report.Text(w, page); ok || err != nil {
					return err
				}
			}
			leaves := run.Leaves(typed)
			if len(leaves) == 0 {
				return nil
			}
			rows = rows[:0]
			for _, l := range leaves {
				rows = append(rows, []string{l.Path, formatLeaf(l.Value)})
			}
			fmt.Fprintln(w)
			return printTable(cmd, rows, []report.Column{{Fit: report.FitWrap, Min: 30, Breaks: "."}, {Fit: report.FitWrap, Min: 12, Breaks: "."}})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the whole run (snapshot and result included) as JSON")
	cmd.Flags().BoolVar(&fields, "fields", false, "print the result as its fields, one a line (the fields runs diff compares), instead of as the command prints it")
	return cmd
}

func compactJSON(m json.RawMessage) string {
	var b bytes.Buffer
	if err := json.Compact(&b, m); err != nil {
		return string(m)
	}
	return b.String()
}

func formatLeaf(v any) string {
	switch v := v.(type) {
	case nil:
		return "-"
	case float64:
		return strconv.FormatFloat(v, 'g', 6, 64)
	case string:
		return v
	default:
		return fmt.Sprint(v)
	}
}

func newRunsDiff(db *dbFlag) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "diff ID1 ID2",
		Short: "Compare two stored runs: settings, forecasts and final positions",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := context.Background()
			runs, err := db.getRuns(ctx, args[0], args[1])
			if err != nil {
				return err
			}
			a, b := runs[0], runs[1]
			diffs := run.Diff(a, b)
			w := cmd.OutOrStdout()
			if asJSON {
				if diffs == nil {
					diffs = []run.Difference{}
				}
				return writeJSON(w, diffs)
			}
			if len(diffs) == 0 {
				fmt.Fprintf(w, "Runs %d and %d have the same settings and results.\n", a.Head().ID, b.Head().ID)
				return nil
			}
			rows := [][]string{{"FIELD", fmt.Sprintf("RUN %d", a.Head().ID), fmt.Sprintf("RUN %d", b.Head().ID), "CHANGE"}}
			for _, d := range diffs {
				change := ""
				if d.Delta != nil && !math.IsNaN(*d.Delta) {
					change = fmt.Sprintf("%+.4g", *d.Delta)
				}
				rows = append(rows, []string{d.Field, formatLeaf(d.A), formatLeaf(d.B), change})
			}
			// Field names (and dotted values: a what-if's --set) break only
			// after their dots.
			return printTable(cmd, rows, diffColumns)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the differences as JSON")
	return cmd
}

// diffColumns fits runs diff's table: FIELD, the two runs' values, CHANGE.
var diffColumns = []report.Column{{Fit: report.FitWrap, Min: 32, Breaks: "."}, {Fit: report.FitWrap, Min: 12, Breaks: "."}, {Fit: report.FitWrap, Min: 12, Breaks: "."}}

func newRunsRm(db *dbFlag) *cobra.Command {
	return &cobra.Command{
		Use:   "rm ID...",
		Short: "Delete stored runs (and a sweep's draws)",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := context.Background()
			ids := make([]int64, len(args))
			for i, a := range args {
				id, err := parseRunID(a)
				if err != nil {
					return err
				}
				ids[i] = id
			}
			s, err := db.open(ctx)
			if err != nil {
				return err
			}
			defer s.Close()
			for _, id := range ids {
				if err := s.Delete(ctx, id); err != nil {
					return runNotFound(err, s)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "deleted run %d\n", id)
			}
			return nil
		},
	}
}
