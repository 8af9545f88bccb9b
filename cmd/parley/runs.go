package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"runtime/debug"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/param"
	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/store"
	"github.com/parley-project/parley/store/runstatus"
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

// codeVersion names the build of parley that makes a run: the version
// set at link time, and the VCS revision Go stamped into the binary.
func codeVersion() string {
	v := version
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return v
	}
	var rev, dirty string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "-dirty"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev != "" {
		v += "+" + rev + dirty
	}
	return v
}

// saveForecast stores a finished forecast; draws and seed are its
// interval's (draws 0: none).
func saveForecast(cmd *cobra.Command, st *storeFlags, sc *scenario.Scenario, m model.Model, opt model.Options, draws int, seed uint64, res *result.Result) error {
	set, err := model.Resolve(m.Info(), opt)
	if err != nil {
		return usageError{err}
	}
	config := store.ForecastConfig{Rounds: set.Rounds, Stable: opt.Stop.K, Epsilon: opt.Stop.Epsilon, IntervalDraws: draws, IntervalSeed: seed}
	return saveRun(cmd, st, store.KindForecast, sc, m, opt, seed, config, res)
}

// saveRun stores a finished run of any kind — its scenario snapshot,
// resolved model settings, config and result — and tells the user its id
// on standard error (standard output carries the report or the JSON).
func saveRun(cmd *cobra.Command, st *storeFlags, kind string, sc *scenario.Scenario, m model.Model, opt model.Options, seed uint64, config, res any) error {
	set, err := model.Resolve(m.Info(), opt)
	if err != nil {
		return usageError{err}
	}
	run := &store.Run{Kind: kind, Model: m.Info().Name, Variant: set.Variant, Params: set.Params.Params(), Seed: seed}
	return storeRun(cmd, st, run, sc, config, res)
}

// storeRun completes run with the scenario snapshot, config, code version
// and result, and stores it as finished; with --no-store it does nothing.
func storeRun(cmd *cobra.Command, st *storeFlags, run *store.Run, sc *scenario.Scenario, config, res any) error {
	if st.noStore {
		return nil
	}
	ctx := cmd.Context()
	snap, err := json.Marshal(sc)
	if err != nil {
		return err
	}
	conf, err := json.Marshal(config)
	if err != nil {
		return err
	}
	doc, err := json.Marshal(res)
	if err != nil {
		return err
	}
	s, err := st.open(ctx, "run")
	if err != nil {
		return err
	}
	defer s.Close()
	run.Scenario, run.Snapshot, run.Config, run.CodeVersion = sc.Name, snap, conf, codeVersion()
	if err := s.Create(ctx, run); err != nil {
		return err
	}
	if err := s.Finish(ctx, run.ID, doc); err != nil {
		return err
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "saved as run %d in %s\n", run.ID, s.Location())
	return nil
}

func newRuns() *cobra.Command {
	var db dbFlag
	cmd := &cobra.Command{
		Use:   "runs",
		Short: "List, show, compare and delete stored runs",
		Long: `Runs (forecasts, sweeps, process runs) are stored in a SQLite file in the
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

// getRun loads a run; an unknown id is the user's mistake (exit 2).
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

// getRuns opens the store and reads the runs named by args (run IDs).
func (d *dbFlag) getRuns(ctx context.Context, args ...string) ([]*store.Run, error) {
	s, err := d.open(ctx)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	runs := make([]*store.Run, len(args))
	for i, arg := range args {
		if runs[i], err = getRun(ctx, s, arg); err != nil {
			return nil, err
		}
	}
	return runs, nil
}

func formatParams(p map[string]param.Value) string {
	keys := slices.Sorted(maps.Keys(p))
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + p[k].String()
	}
	return strings.Join(parts, " ")
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
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tKIND\tSTATUS\tSCENARIO\tMODEL\tVARIANT\tPARAMS\tSEED\tDRAWS\tCREATED")
			for _, r := range runs {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%s\n", r.ID, r.Kind, runstatus.Text(&r, now), r.Scenario, r.Model,
					dash(r.Variant), dash(formatParams(r.Params)), r.Seed, r.Draws, r.Created.Local().Format("2006-01-02 15:04:05"))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the runs as JSON")
	cmd.Flags().StringVar(&kind, "kind", "", "only runs of this kind (forecast, sweep, process)")
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
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show a stored run: its settings and its result",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := context.Background()
			runs, err := db.getRuns(ctx, args[0])
			if err != nil {
				return err
			}
			r := runs[0]
			w := cmd.OutOrStdout()
			if asJSON {
				return writeJSON(w, r)
			}
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			fmt.Fprintf(tw, "Run:\t%d\n", r.ID)
			fmt.Fprintf(tw, "Kind:\t%s (%s)\n", r.Kind, runstatus.Text(r, time.Now()))
			fmt.Fprintf(tw, "Scenario:\t%s\n", r.Scenario)
			fmt.Fprintf(tw, "Model:\t%s\n", r.Model)
			fmt.Fprintf(tw, "Variant:\t%s\n", dash(r.Variant))
			fmt.Fprintf(tw, "Parameters:\t%s\n", dash(formatParams(r.Params)))
			fmt.Fprintf(tw, "Seed:\t%d\n", r.Seed)
			if len(r.Config) > 0 {
				fmt.Fprintf(tw, "Settings:\t%s\n", compactJSON(r.Config))
			}
			if r.Kind == store.KindSweep || r.Draws > 0 {
				fmt.Fprintf(tw, "Draws stored:\t%d\n", r.Draws)
			}
			fmt.Fprintf(tw, "Code version:\t%s\n", r.CodeVersion)
			fmt.Fprintf(tw, "Created:\t%s\n", r.Created.Format(time.RFC3339))
			if !r.Updated.Equal(r.Created) {
				fmt.Fprintf(tw, "Updated:\t%s\n", r.Updated.Format(time.RFC3339))
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			if r.Result == nil {
				fmt.Fprintln(w, "\nNo result yet (the run did not finish).")
				return nil
			}
			summary := summarise(r)
			if len(summary) == 0 {
				return nil
			}
			fmt.Fprintln(w)
			for _, l := range summary {
				fmt.Fprintf(w, "%-34s %s\n", l.path, formatLeaf(l.value))
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the whole run (snapshot and result included) as JSON")
	return cmd
}

func compactJSON(m json.RawMessage) string {
	var b bytes.Buffer
	if err := json.Compact(&b, m); err != nil {
		return string(m)
	}
	return b.String()
}

// leaf is one number or string of a run's result, named by its path.
type leaf struct {
	path  string
	value any
}

// summarise reduces a run's result to the values worth comparing: for a
// forecast, each issue's forecast and every actor's final position; for
// any other kind of run, every leaf of the result document except long
// per-round and per-draw arrays.
func summarise(r *store.Run) []leaf {
	if r.Kind == store.KindForecast {
		var res result.Result
		if err := json.Unmarshal(r.Result, &res); err == nil && len(res.Issues) > 0 {
			var out []leaf
			for _, is := range res.Issues {
				out = append(out, leaf{is.ID + ".forecast", is.Forecast})
				if len(is.Rounds) == 0 {
					continue
				}
				final := is.Final()
				out = append(out, leaf{is.ID + ".rounds", float64(final.Round)})
				ids := slices.Sorted(maps.Keys(final.Positions))
				for _, id := range ids {
					out = append(out, leaf{is.ID + ".final." + id, final.Positions[id]})
				}
			}
			return out
		}
	}
	if r.Kind == store.KindSweep {
		var sw struct {
			Draws    float64 `json:"draws"`
			Complete bool    `json:"complete"`
			Issues   []struct {
				ID        string             `json:"id"`
				Quantiles map[string]float64 `json:"quantiles"`
				Mean      *float64           `json:"mean"`
				Bands     map[string]float64 `json:"bands"`
			} `json:"issues"`
		}
		if err := json.Unmarshal(r.Result, &sw); err == nil && len(sw.Issues) > 0 {
			out := []leaf{{"draws", sw.Draws}, {"complete", sw.Complete}}
			for _, is := range sw.Issues {
				for _, q := range []string{"5", "25", "50", "75", "95"} {
					if v, ok := is.Quantiles[q]; ok {
						out = append(out, leaf{is.ID + ".p" + q, v})
					}
				}
				if is.Mean != nil {
					out = append(out, leaf{is.ID + ".mean", *is.Mean})
				}
				labels := slices.Sorted(maps.Keys(is.Bands))
				for _, l := range labels {
					out = append(out, leaf{is.ID + ".band." + l, is.Bands[l]})
				}
			}
			return out
		}
	}
	var doc any
	if err := json.Unmarshal(r.Result, &doc); err != nil {
		return nil
	}
	var out []leaf
	flatten("", doc, bulky, &out)
	return out
}

// bulky names parts of result documents too long to list leaf by leaf:
// per-round states, moves, histograms, a sweep's mergeable state,
// per-state recognition probabilities and curves, process events and
// sensitivity factors (the HTML report draws these).
var bulky = map[string]bool{"rounds": true, "moves": true, "positions": true, "histogram": true, "state": true,
	"states": true, "cumulative": true, "events": true, "recognising": true, "opposing": true, "factors": true}

// flatten lists the leaves of a JSON document, leaving out the members
// named in skip. Arrays of objects are indexed by their "id" field when
// they have one.
func flatten(prefix string, v any, skip map[string]bool, out *[]leaf) {
	join := func(k string) string {
		if prefix == "" {
			return k
		}
		return prefix + "." + k
	}
	switch v := v.(type) {
	case map[string]any:
		keys := slices.Sorted(maps.Keys(v))
		for _, k := range keys {
			if !skip[k] {
				flatten(join(k), v[k], skip, out)
			}
		}
	case []any:
		for i, e := range v {
			key := strconv.Itoa(i)
			if m, ok := e.(map[string]any); ok {
				if id, ok := m["id"].(string); ok {
					key = id
				}
			}
			flatten(join(key), e, skip, out)
		}
	default:
		*out = append(*out, leaf{prefix, v})
	}
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

// runDiff is one difference between two runs.
type runDiff struct {
	Field string `json:"field"`
	A     any    `json:"a"`
	B     any    `json:"b"`
	// Delta is B − A for numbers.
	Delta *float64 `json:"delta,omitempty"`
}

// diffRuns compares two runs' settings and results.
func diffRuns(a, b *store.Run) []runDiff {
	var out []runDiff
	add := func(field string, x, y any) {
		d := runDiff{Field: field, A: x, B: y}
		if fx, ok := x.(float64); ok {
			if fy, ok := y.(float64); ok {
				if fx == fy {
					return
				}
				delta := fy - fx
				d.Delta = &delta
			}
		} else if fmt.Sprint(x) == fmt.Sprint(y) {
			return
		}
		out = append(out, d)
	}
	add("kind", a.Kind, b.Kind)
	add("scenario", a.Scenario, b.Scenario)
	add("snapshot", snapshotNote(a, b), snapshotNote(b, a))
	add("model", a.Model, b.Model)
	add("variant", a.Variant, b.Variant)
	add("params", formatParams(a.Params), formatParams(b.Params))
	diffLeaves("settings.", a.Config, b.Config, add)
	add("seed", strconv.FormatUint(a.Seed, 10), strconv.FormatUint(b.Seed, 10))
	add("code_version", a.CodeVersion, b.CodeVersion)

	la, lb := summarise(a), summarise(b)
	vb := map[string]any{}
	for _, l := range lb {
		vb[l.path] = l.value
	}
	seen := map[string]bool{}
	for _, l := range la {
		seen[l.path] = true
		add(l.path, l.value, vb[l.path]) // nil when b lacks it
	}
	for _, l := range lb {
		if !seen[l.path] {
			add(l.path, nil, l.value)
		}
	}
	return out
}

// diffLeaves compares two JSON documents leaf by leaf. They are settings,
// small enough to compare whole: a setting named like a bulky part of a
// result (rounds, a recognition run's recognising and opposing patrons)
// is compared too.
func diffLeaves(prefix string, a, b json.RawMessage, add func(field string, x, y any)) {
	leaves := func(m json.RawMessage) map[string]any {
		out := map[string]any{}
		var doc any
		if json.Unmarshal(m, &doc) == nil {
			var ls []leaf
			flatten("", doc, nil, &ls)
			for _, l := range ls {
				out[l.path] = l.value
			}
		}
		return out
	}
	la, lb := leaves(a), leaves(b)
	keys := make([]string, 0, len(la)+len(lb))
	for k := range la {
		keys = append(keys, k)
	}
	for k := range lb {
		if _, ok := la[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		add(prefix+k, la[k], lb[k])
	}
}

// snapshotNote says whether two runs used the same scenario snapshot.
func snapshotNote(a, b *store.Run) string {
	if compactJSON(a.Snapshot) == compactJSON(b.Snapshot) {
		return "same"
	}
	return fmt.Sprintf("run %d's", a.ID)
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
			diffs := diffRuns(a, b)
			w := cmd.OutOrStdout()
			if asJSON {
				if diffs == nil {
					diffs = []runDiff{}
				}
				return writeJSON(w, diffs)
			}
			if len(diffs) == 0 {
				fmt.Fprintf(w, "Runs %d and %d have the same settings and results.\n", a.ID, b.ID)
				return nil
			}
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			fmt.Fprintf(tw, "FIELD\tRUN %d\tRUN %d\tCHANGE\n", a.ID, b.ID)
			for _, d := range diffs {
				change := ""
				if d.Delta != nil && !math.IsNaN(*d.Delta) {
					change = fmt.Sprintf("%+.4g", *d.Delta)
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", d.Field, formatLeaf(d.A), formatLeaf(d.B), change)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the differences as JSON")
	return cmd
}

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
