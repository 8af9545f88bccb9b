package sweep

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/numeric"
	"github.com/parley-project/parley/scenario"
)

// Result is a sweep's outcome: the public summary of each issue and the
// exact state it was computed from, from which shards merge (Merge). Its
// JSON form is the output of `parley sweep --json`.
type Result struct {
	Header
	// Draws is the number of finished draws summarised.
	Draws int64 `json:"draws"`
	// Complete reports whether every draw of the sweep (or of the shard)
	// has finished.
	Complete bool `json:"complete"`
	// Identical reports that the draws could not differ (Noise.Zero): one
	// draw was run and counted for all, which gives exactly the numbers
	// of running them all.
	Identical bool          `json:"identical,omitempty"`
	Issues    []IssueResult `json:"issues"`
	State     State         `json:"state"`
}

// Header identifies a sweep: results merge only when their headers agree
// (except for the shard).
type Header struct {
	Scenario string `json:"scenario"`
	// ScenarioSHA256 is the SHA-256 of the scenario's JSON encoding.
	ScenarioSHA256 string       `json:"scenario_sha256"`
	Model          string       `json:"model"`
	Variant        string       `json:"variant"`
	Rounds         int          `json:"rounds"`
	Params         model.Params `json:"params"`
	Noise          NoiseSpec    `json:"noise"`
	// Measure is "settled" when the draws record settlement values
	// (Config.Settled), empty for the last round's forecasts.
	Measure string `json:"measure,omitempty"`
	Seed    uint64 `json:"seed"`
	// Requested is the number of draws of the whole sweep.
	Requested     int    `json:"requested"`
	HistogramBins int    `json:"histogram_bins"`
	Shard         string `json:"shard,omitempty"`
	// WhatIf is the what-if applied to the scenario before the sweep
	// (the digest is the changed scenario's).
	WhatIf *scenario.WhatIf `json:"what_if,omitempty"`
}

// NoiseSpec is the JSON form of a Noise.
type NoiseSpec struct {
	Position   float64 `json:"position"`
	Salience   float64 `json:"salience"`
	Capability float64 `json:"capability"`
	Dropout    float64 `json:"dropout"`
	// Thin holds the levels of numbers without direct evidence, when they
	// differ from the others' (Noise.Thin).
	Thin   *Levels           `json:"thin,omitempty"`
	Params map[string]string `json:"params,omitempty"`
}

// IssueResult summarises one issue's forecasts over the draws.
type IssueResult struct {
	ID        string     `json:"id"`
	Name      string     `json:"name"`
	Quantiles *Quantiles `json:"quantiles,omitempty"`
	Mean      *float64   `json:"mean,omitempty"`
	// Bands maps each label of the issue scale to the share of draws whose
	// forecast lies in its band (see Bands).
	Bands     map[string]float64 `json:"bands"`
	Histogram []HistBin          `json:"histogram"`
}

// Quantiles are the 5th, 25th, 50th, 75th and 95th percentiles.
type Quantiles struct {
	P5  float64 `json:"5"`
	P25 float64 `json:"25"`
	P50 float64 `json:"50"`
	P75 float64 `json:"75"`
	P95 float64 `json:"95"`
}

// HistBin is one bin of the histogram: forecasts in [From, To) (the last
// bin includes To).
type HistBin struct {
	From  float64 `json:"from"`
	To    float64 `json:"to"`
	Count int64   `json:"count"`
}

// State is the exact, mergeable accumulator of a sweep.
type State struct {
	// Done lists the finished draws as half-open ranges [from, to).
	Done   [][2]int     `json:"done"`
	Issues []IssueState `json:"issues"`
}

// IssueState is one issue's accumulator.
type IssueState struct {
	ID  string  `json:"id"`
	Min float64 `json:"min"`
	Max float64 `json:"max"`
	// Sum is the exact sum of the forecasts in hexadecimal floating point.
	Sum   string      `json:"sum"`
	Bands []BandState `json:"bands"`
	// Bins are the non-empty fine bins (FineBins across the scale).
	Bins []BinState `json:"bins"`
}

// BandState is one band of the scale with its count.
type BandState struct {
	Label string  `json:"label"`
	From  float64 `json:"from"`
	To    float64 `json:"to"`
	Count int64   `json:"count"`
}

// BinState is a non-empty fine bin.
type BinState struct {
	I   int     `json:"i"`
	N   int64   `json:"n"`
	Min float64 `json:"min"`
	Max float64 `json:"max"`
}

// ParsedShard returns the shard that h.Shard names: the zero Shard, the
// whole sweep, when it is empty (as Shard.String writes it).
func (h Header) ParsedShard() (Shard, error) {
	if h.Shard == "" {
		return Shard{}, nil
	}
	return ParseShard(h.Shard)
}

// Limits of a sweep's settings.
const (
	// MaxDraws is the most draws a sweep may have: a billion. A sweep's
	// memory does not grow with its draws, but a stored sweep keeps each
	// draw in the results store, whose draw index is a 32-bit integer.
	MaxDraws = 1_000_000_000
	// MaxShards is the most shards a sweep may be split into.
	MaxShards = 1_000_000
)

// Describe checks a sweep's configuration and returns the Header its
// result will carry, without running a draw. Run starts with it; a
// results store keeps it to resume the sweep later (parley sweep --resume)
// and to check that the resumed run is the same sweep.
func Describe(cfg Config) (Header, error) {
	if cfg.Scenario == nil || cfg.Model == nil {
		return Header{}, fmt.Errorf("sweep needs a scenario and a model")
	}
	if cfg.Draws < 1 || cfg.Draws > MaxDraws {
		return Header{}, fmt.Errorf("draws must be 1 to %d, got %d", MaxDraws, cfg.Draws)
	}
	if cfg.Shard.N > 1 && (cfg.Shard.K < 1 || cfg.Shard.K > cfg.Shard.N || cfg.Shard.N > MaxShards) {
		return Header{}, fmt.Errorf("shard %d/%d: want 1 ≤ K ≤ N ≤ %d", cfg.Shard.K, cfg.Shard.N, MaxShards)
	}
	if err := numeric.CheckWorkers(cfg.Workers); err != nil {
		return Header{}, err
	}
	bins := cfg.HistogramBins
	if bins == 0 {
		bins = 20
	}
	if bins < 1 || FineBins%bins != 0 {
		return Header{}, fmt.Errorf("histogram bins must divide %d, got %d", FineBins, bins)
	}
	if err := cfg.Noise.Check(); err != nil {
		return Header{}, err
	}
	info := cfg.Model.Info()
	r, err := model.Resolve(info, cfg.Options)
	if err != nil {
		return Header{}, err
	}
	// A scenario too large for the model would fail at its first draw:
	// it is refused here, with the model's own error (model.Sized).
	if err := model.CheckSize(cfg.Model, cfg.Scenario, cfg.Options); err != nil {
		return Header{}, err
	}
	ns := NoiseSpec{Position: cfg.Noise.Position, Salience: cfg.Noise.Salience, Capability: cfg.Noise.Capability, Dropout: cfg.Noise.Dropout, Thin: cfg.Noise.Thin}
	for _, k := range cfg.Noise.paramNames() {
		p, err := info.Param(k)
		if err != nil {
			return Header{}, fmt.Errorf("cannot draw parameter %s: %w", k, err)
		}
		if p.Kind != model.Float {
			return Header{}, fmt.Errorf("cannot draw parameter %s: it is %s %s; only float parameters take a distribution (set it with --param instead)", k, article(p.Kind), p.Kind)
		}
		if ns.Params == nil {
			ns.Params = map[string]string{}
		}
		ns.Params[k] = cfg.Noise.Params[k].String()
	}
	sum, err := ScenarioDigest(cfg.Scenario)
	if err != nil {
		return Header{}, err
	}
	measure := ""
	if cfg.Settled {
		measure = "settled"
	}
	return Header{
		Scenario: cfg.Scenario.Name, ScenarioSHA256: sum, Model: info.Name, Variant: r.Variant,
		Rounds: r.Rounds, Params: r.Params.Params(), Noise: ns, Measure: measure, Seed: cfg.Seed, Requested: cfg.Draws,
		HistogramBins: bins, Shard: cfg.Shard.String(), WhatIf: whatIf(cfg.WhatIf),
	}, nil
}

// whatIf is the what-if a header records: nil when it changes nothing.
func whatIf(w *scenario.WhatIf) *scenario.WhatIf {
	if w.Empty() {
		return nil
	}
	return w
}

// ScenarioDigest is the Header's ScenarioSHA256 of a scenario: the SHA-256
// of its JSON encoding, in hex.
func ScenarioDigest(sc *scenario.Scenario) (string, error) {
	data, err := json.Marshal(sc)
	if err != nil {
		return "", fmt.Errorf("scenario: %w", err)
	}
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:]), nil
}

// build computes the result from the accumulator and the finished ranges.
func build(h Header, acc *accumulator, done [][2]int) *Result {
	var n int64
	for _, r := range done {
		n += int64(r[1] - r[0])
	}
	shard, _ := h.ParsedShard()
	lo, hi := shard.Range(h.Requested)
	res := &Result{Header: h, Draws: n, Complete: len(done) == 1 && done[0] == [2]int{lo, hi} || lo == hi,
		State: State{Done: done}}
	if res.State.Done == nil {
		res.State.Done = [][2]int{}
	}
	for k, s := range acc.issues {
		bands := acc.bands[k]
		id, name := "", ""
		if k < len(acc.ids) {
			id, name = acc.ids[k], acc.names[k]
		}
		ir := IssueResult{ID: id, Name: name, Bands: map[string]float64{}}
		st := IssueState{ID: id, Min: s.lo, Max: s.hi, Sum: s.sum.Text('p', 0)}
		counts := s.BandCounts()
		for b, band := range bands {
			st.Bands = append(st.Bands, BandState{Label: band.Label, From: band.From, To: band.To, Count: counts[b]})
			if s.n > 0 {
				ir.Bands[band.Label] += float64(counts[b]) / float64(s.n)
			}
		}
		bins := s.sortedBins()
		for _, b := range bins {
			st.Bins = append(st.Bins, BinState{I: b.Index, N: b.Count, Min: b.Min, Max: b.Max})
		}
		if st.Bins == nil {
			st.Bins = []BinState{}
		}
		width := (s.hi - s.lo) / float64(h.HistogramBins)
		for b, c := range s.Histogram(h.HistogramBins) {
			ir.Histogram = append(ir.Histogram, HistBin{From: s.lo + float64(b)*width, To: s.lo + float64(b+1)*width, Count: c})
		}
		if s.n > 0 {
			q := Quantiles{P5: s.quantile(bins, 0.05), P25: s.quantile(bins, 0.25), P50: s.quantile(bins, 0.5),
				P75: s.quantile(bins, 0.75), P95: s.quantile(bins, 0.95)}
			m := s.Mean()
			ir.Quantiles, ir.Mean = &q, &m
		}
		res.Issues = append(res.Issues, ir)
		res.State.Issues = append(res.State.Issues, st)
	}
	return res
}

// accumulator reads a result's state back.
func (r *Result) accumulator() (*accumulator, error) {
	acc := &accumulator{}
	for k, st := range r.State.Issues {
		s := NewStats(st.Min, st.Max, len(st.Bands))
		if _, _, err := s.sum.Parse(st.Sum, 0); err != nil {
			return nil, fmt.Errorf("state.issues[%d].sum: %v", k, err)
		}
		var bands []Band
		if len(st.Bands) == 0 {
			return nil, fmt.Errorf("state.issues[%d]: no bands", k)
		}
		for b, band := range st.Bands {
			if band.Count < 0 {
				return nil, fmt.Errorf("state.issues[%d].bands[%d]: negative count", k, b)
			}
			bands = append(bands, Band{Label: band.Label, From: band.From, To: band.To})
			s.bands[b] = band.Count
			s.n += band.Count
		}
		var binN int64
		for _, b := range st.Bins {
			if b.I < 0 || b.I >= FineBins || b.N < 1 || b.Min > b.Max || s.bins[b.I] != nil {
				return nil, fmt.Errorf("state.issues[%d].bins: bad bin %d", k, b.I)
			}
			c := Bin{Index: b.I, Count: b.N, Min: b.Min, Max: b.Max}
			s.bins[b.I] = &c
			binN += b.N
		}
		if binN != s.n {
			return nil, fmt.Errorf("state.issues[%d]: bins hold %d forecasts, bands %d", k, binN, s.n)
		}
		acc.issues = append(acc.issues, s)
		acc.bands = append(acc.bands, bands)
		acc.ids = append(acc.ids, st.ID)
		name := st.ID
		if k < len(r.Issues) {
			name = r.Issues[k].Name
		}
		acc.names = append(acc.names, name)
	}
	return acc, nil
}

// Merge combines results of disjoint parts of one sweep (shards, or runs
// of disjoint draws) into the result the whole would have given; the
// outcome does not depend on the order of the arguments.
func Merge(parts ...*Result) (*Result, error) {
	if len(parts) == 0 {
		return nil, fmt.Errorf("nothing to merge")
	}
	h := parts[0].Header
	h.Shard = ""
	var acc *accumulator
	var done [][2]int
	identical := true
	for i, p := range parts {
		identical = identical && p.Identical
		ph := p.Header
		ph.Shard = ""
		if !reflect.DeepEqual(ph, h) {
			return nil, fmt.Errorf("part %d is from a different sweep (%s)", i+1, headerDiff(h, ph))
		}
		a, err := p.accumulator()
		if err != nil {
			return nil, fmt.Errorf("part %d: %w", i+1, err)
		}
		if acc == nil {
			acc = a
		} else {
			if len(a.issues) != len(acc.issues) {
				return nil, fmt.Errorf("part %d has %d issues, part 1 has %d", i+1, len(a.issues), len(acc.issues))
			}
			for k := range acc.issues {
				if a.ids[k] != acc.ids[k] || !slices.Equal(a.bands[k], acc.bands[k]) {
					return nil, fmt.Errorf("part %d: issue %d differs", i+1, k+1)
				}
				if err := acc.issues[k].Merge(a.issues[k]); err != nil {
					return nil, fmt.Errorf("part %d: issue %q: %w", i+1, a.ids[k], err)
				}
			}
		}
		done = append(done, p.State.Done...)
	}
	sort.Slice(done, func(a, b int) bool { return done[a][0] < done[b][0] })
	var merged [][2]int
	for _, r := range done {
		if r[0] < 0 || r[1] > h.Requested || r[0] >= r[1] {
			return nil, fmt.Errorf("bad range of draws [%d, %d)", r[0], r[1])
		}
		if n := len(merged); n > 0 && r[0] < merged[n-1][1] {
			return nil, fmt.Errorf("draws [%d, %d) appear in more than one part", r[0], min(r[1], merged[n-1][1]))
		}
		if n := len(merged); n > 0 && r[0] == merged[n-1][1] {
			merged[n-1][1] = r[1]
		} else {
			merged = append(merged, r)
		}
	}
	res := build(h, acc, merged)
	res.Identical = identical
	return res, nil
}

func headerDiff(a, b Header) string {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	for i := range va.NumField() {
		if !reflect.DeepEqual(va.Field(i).Interface(), vb.Field(i).Interface()) {
			return fmt.Sprintf("%s %v, not %v", va.Type().Field(i).Name, vb.Field(i).Interface(), va.Field(i).Interface())
		}
	}
	return "?"
}

// Encode writes the result as indented JSON.
func (r *Result) Encode() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Decode reads a result written by Encode.
func Decode(data []byte) (*Result, error) {
	var r Result
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return nil, err
	}
	if len(r.State.Issues) != len(r.Issues) {
		return nil, fmt.Errorf("state has %d issues, the summary %d", len(r.State.Issues), len(r.Issues))
	}
	if r.HistogramBins < 1 || FineBins%r.HistogramBins != 0 {
		return nil, fmt.Errorf("histogram_bins must divide %d, got %d", FineBins, r.HistogramBins)
	}
	if err := r.checkText(); err != nil {
		return nil, err
	}
	return &r, nil
}

// checkText refuses names with control characters, which the tables
// print on terminals, as scenarios do (scenario.ControlCharacter).
func (r *Result) checkText() error {
	texts := map[string]string{"scenario": r.Scenario, "model": r.Model, "variant": r.Variant, "shard": r.Shard}
	for i, is := range r.Issues {
		texts[fmt.Sprintf("issues[%d].id", i)], texts[fmt.Sprintf("issues[%d].name", i)] = is.ID, is.Name
		for label := range is.Bands {
			texts[fmt.Sprintf("issues[%d].bands", i)+" "+label] = label
		}
	}
	for i, st := range r.State.Issues {
		texts[fmt.Sprintf("state.issues[%d].id", i)] = st.ID
		for b, band := range st.Bands {
			texts[fmt.Sprintf("state.issues[%d].bands[%d].label", i, b)] = band.Label
		}
	}
	for _, field := range slices.Sorted(maps.Keys(texts)) {
		if c, bad := scenario.ControlCharacter(texts[field], false); bad {
			return fmt.Errorf("%s: control character %U", strings.Fields(field)[0], c)
		}
	}
	return nil
}

// article is "an" before the kinds that start with a vowel, else "a".
func article(k model.Kind) string {
	if strings.ContainsRune("aeiou", rune(k.String()[0])) {
		return "an"
	}
	return "a"
}
