package run

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/parley-project/parley/backtest"
	"github.com/parley-project/parley/param"
	"github.com/parley-project/parley/scenario"
)

// Leaf is one number, string or boolean of a run, named by its path.
type Leaf struct {
	Path  string
	Value any
}

// Leaves reduces a run's result to the values worth comparing: for a
// forecast each issue's forecast, its settlement (kind, settled value,
// low, high) and interval, and every actor's final position; for a
// sweep the draws (and "identical" when one draw stood for all), each
// issue's quantiles, mean and band shares; for a
// backtest each model's scores under each capability scheme; for any
// other kind every leaf of the result document except long per-round,
// per-draw and per-state parts. A run without a result has none.
func Leaves(r Run) []Leaf {
	switch r := r.(type) {
	case *Forecast:
		if r.Result == nil {
			return nil
		}
		var out []Leaf
		for _, is := range r.Result.Issues {
			out = append(out, Leaf{is.ID + ".forecast", is.Forecast})
			// How the issue ended, beside the last round's forecast: a
			// cycle's last round depends on where the run stopped, its
			// settled value and range do not.
			if st := is.Settlement; st != nil {
				out = append(out, Leaf{is.ID + ".settlement", st.Short()}, Leaf{is.ID + ".settled", st.Value},
					Leaf{is.ID + ".low", st.Low}, Leaf{is.ID + ".high", st.High})
			}
			if iv := is.Interval; iv != nil {
				out = append(out, Leaf{is.ID + ".p05", iv.P05}, Leaf{is.ID + ".p50", iv.P50}, Leaf{is.ID + ".p95", iv.P95})
			}
			if len(is.Rounds) == 0 {
				continue
			}
			final := is.Final()
			out = append(out, Leaf{is.ID + ".rounds", float64(final.Round)})
			for _, id := range slices.Sorted(maps.Keys(final.Positions)) {
				out = append(out, Leaf{is.ID + ".final." + id, final.Positions[id]})
			}
		}
		return out
	case *Sweep:
		if r.Result == nil {
			return nil
		}
		sw := r.Result
		out := []Leaf{{"draws", float64(sw.Draws)}, {"complete", sw.Complete}}
		if sw.Identical {
			// The draws could not differ: one was run and counted for all.
			out = append(out, Leaf{"identical", true})
		}
		for _, is := range sw.Issues {
			if q := is.Quantiles; q != nil {
				for _, p := range []struct {
					name string
					v    float64
				}{{"5", q.P5}, {"25", q.P25}, {"50", q.P50}, {"75", q.P75}, {"95", q.P95}} {
					out = append(out, Leaf{is.ID + ".p" + p.name, p.v})
				}
			}
			if is.Mean != nil {
				out = append(out, Leaf{is.ID + ".mean", *is.Mean})
			}
			for _, l := range slices.Sorted(maps.Keys(is.Bands)) {
				out = append(out, Leaf{is.ID + ".band." + l, is.Bands[l]})
			}
		}
		return out
	case *Backtest:
		if r.Result == nil {
			return nil
		}
		rep := r.Result
		out := []Leaf{{"issues_used", float64(rep.IssuesUsed)}, {"issues_skipped", float64(rep.IssuesSkipped)}}
		for _, e := range rep.Models {
			name := backtest.Spec{Model: e.Model, Variant: e.Variant, Proposal: e.Scope == backtest.ScopeProposal}.String()
			if e.CV {
				name += " (cv)"
			}
			p := name + "." + e.Capabilities + "."
			out = append(out, Leaf{p + "mae", e.MAE}, Leaf{p + "rmse", e.RMSE}, Leaf{p + "median_ae", e.MedianAE}, Leaf{p + "within10", e.Within10})
			if e.BeatsMean != nil {
				out = append(out, Leaf{p + "beats_mean", *e.BeatsMean})
			}
		}
		return out
	}
	doc, err := Result(r)
	if err != nil || doc == nil {
		return nil
	}
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		return nil
	}
	var out []Leaf
	flatten("", v, bulky, &out)
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
func flatten(prefix string, v any, skip map[string]bool, out *[]Leaf) {
	join := func(k string) string {
		if prefix == "" {
			return k
		}
		return prefix + "." + k
	}
	switch v := v.(type) {
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(v)) {
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
		*out = append(*out, Leaf{prefix, v})
	}
}

// Difference is one difference between two runs.
type Difference struct {
	Field string `json:"field"`
	A     any    `json:"a"`
	B     any    `json:"b"`
	// Delta is B − A for numbers.
	Delta *float64 `json:"delta,omitempty"`
}

// FormatParams writes parameters as NAME=VALUE pairs sorted by name.
func FormatParams(p map[string]param.Value) string {
	keys := slices.Sorted(maps.Keys(p))
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + p[k].String()
	}
	return strings.Join(parts, " ")
}

// Diff compares two runs' settings and results: kind, scenario (and
// whether they ran the same snapshot), model settings, every setting of
// their configs, seed, code version, then their Leaves.
func Diff(a, b Run) []Difference {
	var out []Difference
	add := func(field string, x, y any) {
		d := Difference{Field: field, A: x, B: y}
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
	ha, hb := a.Head(), b.Head()
	add("kind", ha.Kind, hb.Kind)
	add("scenario", ha.Scenario, hb.Scenario)
	same := sameSnapshot(ha, hb)
	add("snapshot", snapshotNote(ha, same), snapshotNote(hb, same))
	if !same && ha.Snapshot != nil && hb.Snapshot != nil {
		// What the snapshots' inputs differ in: an actor's numbers, an
		// actor or issue present in one only (a what-if's drop, an edit).
		diffMaps("inputs.", inputLeaves(ha.Snapshot), inputLeaves(hb.Snapshot), add)
	}
	add("model", ha.Model, hb.Model)
	add("variant", ha.Variant, hb.Variant)
	add("params", FormatParams(ha.Params), FormatParams(hb.Params))
	ca, _, _ := a.encode()
	cb, _, _ := b.encode()
	diffLeaves("settings.", ca, cb, add)
	add("seed", strconv.FormatUint(ha.Seed, 10), strconv.FormatUint(hb.Seed, 10))
	add("code_version", ha.CodeVersion, hb.CodeVersion)

	la, lb := Leaves(a), Leaves(b)
	vb := map[string]any{}
	for _, l := range lb {
		vb[l.Path] = l.Value
	}
	seen := map[string]bool{}
	for _, l := range la {
		seen[l.Path] = true
		add(l.Path, l.Value, vb[l.Path]) // nil when b lacks it
	}
	for _, l := range lb {
		if !seen[l.Path] {
			add(l.Path, nil, l.Value)
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
		for _, l := range settingLeaves(m) {
			out[l.Path] = l.Value
		}
		return out
	}
	diffMaps(prefix, leaves(a), leaves(b), add)
}

// diffMaps compares two maps of leaves key by key, in key order.
func diffMaps(prefix string, la, lb map[string]any, add func(field string, x, y any)) {
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

// inputLeaves are a scenario's inputs as leaves to compare: each issue's
// scale, each actor's capability, and its position, salience and own
// capability on each issue it holds a stance on.
func inputLeaves(sc *scenario.Scenario) map[string]any {
	out := map[string]any{}
	for _, is := range sc.Issues {
		out["issue."+is.ID+".scale"] = fmt.Sprintf("%g to %g", is.Min, is.Max)
	}
	for _, a := range sc.Actors {
		out[a.ID+".capability"] = a.Capability.Value
		for id, st := range a.Stances {
			out[a.ID+"."+id+".position"] = st.Position.Value
			out[a.ID+"."+id+".salience"] = st.Salience.Value
			if st.Capability.Set {
				out[a.ID+"."+id+".capability"] = st.Capability.Value
			}
		}
	}
	return out
}

// Settings are a run's stored settings (its config) as leaves, one per
// setting, keys in order and lists in theirs: "rounds", "what_if.set.0",
// ….
func Settings(r Run) []Leaf {
	conf, _, err := r.encode()
	if err != nil {
		return nil
	}
	return settingLeaves(conf)
}

// settingLeaves are the leaves of a run's config document (nil when it
// does not read), each setting whole: none is bulky.
func settingLeaves(conf json.RawMessage) []Leaf {
	var doc any
	if json.Unmarshal(conf, &doc) != nil {
		return nil
	}
	var ls []Leaf
	flatten("", doc, nil, &ls)
	return ls
}

// sameSnapshot reports whether two runs ran the same scenario snapshot.
func sameSnapshot(a, b *Header) bool {
	ja, errA := json.Marshal(a.Snapshot)
	jb, errB := json.Marshal(b.Snapshot)
	return errA == nil && errB == nil && bytes.Equal(ja, jb)
}

// snapshotNote says whether two runs used the same scenario snapshot.
func snapshotNote(h *Header, same bool) string {
	if same {
		return "same"
	}
	return fmt.Sprintf("run %d's", h.ID)
}
