package sweep_test

import (
	"bytes"
	"context"
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/model/eum"
	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/scenarios"
	"github.com/parley-project/parley/sweep"
)

func kosovo(t testing.TB) *scenario.Scenario { return builtin(t, "kosovo-2007") }

// builtin parses a built-in scenario.
func builtin(t testing.TB, name string) *scenario.Scenario {
	t.Helper()
	sc, err := scenarios.Get(name)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func config(t testing.TB, draws int) sweep.Config {
	return sweep.Config{
		Scenario: kosovo(t), Model: eum.Model{}, Draws: draws, Seed: 7,
		Noise: sweep.Noise{Position: 0.05, Salience: 0.2, Capability: 0.3, Dropout: 0.1,
			Params: map[string]scenario.Dist{"q": {Kind: "uniform", Args: []float64{0.5, 1}}}},
	}
}

func encode(t *testing.T, r *sweep.Result) []byte {
	t.Helper()
	b, err := r.Encode()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestWorkersAndShardsByteIdentical checks the central promise: any number
// of workers and any sharding, merged in any order, give the same bytes.
func TestWorkersAndShardsByteIdentical(t *testing.T) {
	const draws = 50
	cfg := config(t, draws)
	cfg.Workers = 1
	one, err := sweep.Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := encode(t, one)
	if !one.Complete || one.Draws != draws {
		t.Fatalf("complete=%v draws=%d", one.Complete, one.Draws)
	}
	for _, w := range []int{2, 5} {
		cfg.Workers = w
		r, err := sweep.Run(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		if got := encode(t, r); !bytes.Equal(got, want) {
			t.Errorf("workers=%d: output differs from workers=1", w)
		}
	}
	for _, n := range []int{3, 7} {
		var parts []*sweep.Result
		for k := 1; k <= n; k++ {
			c := cfg
			c.Workers = k%2 + 1
			c.Shard = sweep.Shard{K: k, N: n}
			r, err := sweep.Run(context.Background(), c)
			if err != nil {
				t.Fatal(err)
			}
			// Round-trip through JSON, as `parley sweep merge` does.
			back, err := sweep.Decode(encode(t, r))
			if err != nil {
				t.Fatal(err)
			}
			parts = append(parts, back)
		}
		slices.Reverse(parts)
		m, err := sweep.Merge(parts...)
		if err != nil {
			t.Fatal(err)
		}
		if got := encode(t, m); !bytes.Equal(got, want) {
			t.Errorf("%d shards merged differ from the unsharded run:\n%s\nwant\n%s", n, got, want)
		}
	}
}

func TestMergeRejects(t *testing.T) {
	cfg := config(t, 20)
	cfg.Shard = sweep.Shard{K: 1, N: 2}
	a, err := sweep.Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sweep.Merge(a, a); err == nil {
		t.Error("merging a shard with itself: no error")
	}
	cfg.Seed = 8
	cfg.Shard = sweep.Shard{K: 2, N: 2}
	b, err := sweep.Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sweep.Merge(a, b); err == nil {
		t.Error("merging shards of different seeds: no error")
	}
}

// TestResume interrupts a sweep through its sink, then resumes it with
// the draws the sink kept, and checks the result equals an uninterrupted
// run without recomputing the kept draws.
func TestResume(t *testing.T) {
	const draws = 40
	cfg := config(t, draws)
	cfg.Workers = 2
	full, err := sweep.Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var kept []sweep.Draw
	c := cfg
	c.Sink = func(d sweep.Draw) error {
		kept = append(kept, d)
		if len(kept) == 15 {
			cancel()
		}
		return nil
	}
	partial, err := sweep.Run(ctx, c)
	if !errors.Is(err, sweep.ErrInterrupted) {
		t.Fatalf("err = %v, want ErrInterrupted", err)
	}
	if partial.Complete || partial.Draws != int64(len(kept)) || len(kept) >= draws {
		t.Fatalf("partial: complete=%v draws=%d kept=%d", partial.Complete, partial.Draws, len(kept))
	}
	c = cfg
	c.Prior = slices.Values(kept)
	reran := 0
	c.Sink = func(d sweep.Draw) error {
		reran++
		if slices.ContainsFunc(kept, func(k sweep.Draw) bool { return k.Index == d.Index }) {
			t.Errorf("draw %d recomputed", d.Index)
		}
		return nil
	}
	resumed, err := sweep.Run(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	if reran != draws-len(kept) {
		t.Errorf("reran %d draws, want %d", reran, draws-len(kept))
	}
	if !bytes.Equal(encode(t, resumed), encode(t, full)) {
		t.Error("resumed result differs from the uninterrupted run")
	}
	// The partial result merges with a run of the remaining draws too.
}

func TestDrawRNGDependsOnlyOnSeedAndIndex(t *testing.T) {
	a, b := sweep.DrawRNG(1, 5), sweep.DrawRNG(1, 5)
	for range 10 {
		if a.Uint64() != b.Uint64() {
			t.Fatal("same (seed, index) gave different streams")
		}
	}
	if sweep.DrawRNG(1, 5).Uint64() == sweep.DrawRNG(1, 6).Uint64() || sweep.DrawRNG(1, 5).Uint64() == sweep.DrawRNG(2, 5).Uint64() {
		t.Error("different draws share a stream")
	}
}

func TestParseShard(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want sweep.Shard
		ok   bool
	}{{"1/1", sweep.Shard{1, 1}, true}, {"3/8", sweep.Shard{3, 8}, true}, {"0/2", sweep.Shard{}, false},
		{"3/2", sweep.Shard{}, false}, {"a/b", sweep.Shard{}, false}, {"2", sweep.Shard{}, false}} {
		got, err := sweep.ParseShard(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseShard(%q) = %v, %v", tc.in, got, err)
		}
	}
	// Shards cover the draws exactly once.
	for _, n := range []int{1, 2, 3, 7} {
		next := 0
		for k := 1; k <= n; k++ {
			lo, hi := sweep.Shard{K: k, N: n}.Range(100)
			if lo != next || hi < lo {
				t.Fatalf("shard %d/%d = [%d,%d), want start %d", k, n, lo, hi, next)
			}
			next = hi
		}
		if next != 100 {
			t.Errorf("%d shards end at %d", n, next)
		}
	}
}

func TestPerturb(t *testing.T) {
	sc := kosovo(t)
	// No noise: the numbers come back unchanged, but for those with a
	// range of their own (kosovo-2007's inferred numbers), which stay in
	// it.
	out, params := sweep.Perturb(sc, sweep.Noise{}, sweep.DrawRNG(1, 0))
	if len(out.Actors) != len(sc.Actors) || params != nil {
		t.Fatal("zero noise changed the actors or drew parameters")
	}
	same, ranged := 0, 0
	check := func(who string, got, coded scenario.Number) {
		switch {
		case coded.Range != nil:
			ranged++
			if got.Value < coded.Range[0] || got.Value > coded.Range[1] {
				t.Fatalf("%s: %v outside its range %v", who, got.Value, coded.Range)
			}
		case got.Value != coded.Value:
			t.Fatalf("%s changed under zero noise: %v → %v", who, coded.Value, got.Value)
		default:
			same++
		}
	}
	for i, a := range out.Actors {
		check(a.ID+" capability", a.Capability, sc.Actors[i].Capability)
		for id, st := range a.Stances {
			check(a.ID+" position on "+id, st.Position, sc.Actors[i].Stances[id].Position)
			check(a.ID+" salience on "+id, st.Salience, sc.Actors[i].Stances[id].Salience)
		}
	}
	if same != 79 || ranged != 175 {
		t.Errorf("%d numbers unchanged and %d drawn from their ranges, want 79 and 175", same, ranged)
	}
	// Heavy noise stays on the scales; drop-out keeps someone on each issue.
	n := sweep.Noise{Position: 1, Salience: 2, Capability: 1, Dropout: 0.999}
	for i := range 200 {
		out, _ := sweep.Perturb(sc, n, sweep.DrawRNG(3, i))
		if len(out.Actors) == 0 {
			t.Fatal("every actor dropped out")
		}
		for _, a := range out.Actors {
			s := a.Stances["status"]
			if s.Position.Value < 0 || s.Position.Value > 100 || s.Salience.Value < 0 || s.Salience.Value > 100 || a.Capability.Value < 0 {
				t.Fatalf("draw %d: %s off the scale: %+v cap %v", i, a.ID, s, a.Capability.Value)
			}
		}
	}
	if sc.Actors[0].Stances["status"].Position.Value != kosovo(t).Actors[0].Stances["status"].Position.Value {
		t.Error("Perturb modified its input")
	}
}

// A model that forecasts a known distribution: the forecast is the drawn
// parameter itself.
type echo struct{}

func (echo) Info() model.Info {
	return model.Info{Name: "echo", Params: []model.Param{model.FloatParam("v", 0, math.Inf(-1), math.Inf(1), "")}}
}

func (echo) Run(_ context.Context, sc *scenario.Scenario, opt model.Options) (*result.Result, error) {
	r, err := model.Resolve(echo{}.Info(), opt)
	if err != nil {
		return nil, err
	}
	v, _ := r.Params.Float("v")
	return &result.Result{Issues: []result.Issue{{ID: sc.Issues[0].ID, Forecast: v}}}, nil
}

func oneIssue() *scenario.Scenario {
	return &scenario.Scenario{Name: "known", Issues: []scenario.Issue{{ID: "x", Min: 0, Max: 100,
		Anchors: []scenario.Anchor{{Value: 0, Label: "low"}, {Value: 50, Label: "mid"}, {Value: 100, Label: "high"}}}},
		Actors: []scenario.Actor{{ID: "a", Capability: scenario.N(1), Stances: map[string]scenario.Stance{"x": {Position: scenario.N(1), Salience: scenario.N(1)}}}}}
}

// TestQuantilesKnownDistribution sweeps a parameter drawn from U(20, 80)
// and checks quantiles, mean, bands and histogram against the
// distribution's, within sampling error.
func TestQuantilesKnownDistribution(t *testing.T) {
	const draws = 20000
	r, err := sweep.Run(context.Background(), sweep.Config{Scenario: oneIssue(), Model: echo{}, Draws: draws, Seed: 1,
		Noise: sweep.Noise{Params: map[string]scenario.Dist{"v": {Kind: "uniform", Args: []float64{20, 80}}}}})
	if err != nil {
		t.Fatal(err)
	}
	is := r.Issues[0]
	// sd of a sample p-quantile of U(20,80): 60·sqrt(p(1−p)/n) ≤ 0.22; allow 4 sd.
	for _, c := range []struct{ got, want float64 }{
		{is.Quantiles.P5, 23}, {is.Quantiles.P25, 35}, {is.Quantiles.P50, 50}, {is.Quantiles.P75, 65}, {is.Quantiles.P95, 77}, {*is.Mean, 50},
	} {
		if math.Abs(c.got-c.want) > 0.9 {
			t.Errorf("got %v, want %v ± 0.9", c.got, c.want)
		}
	}
	// Bands split at 25 and 75: P(low) = P(high) = 5/60, P(mid) = 50/60.
	for label, want := range map[string]float64{"low": 5.0 / 60, "mid": 50.0 / 60, "high": 5.0 / 60} {
		if math.Abs(is.Bands[label]-want) > 0.012 {
			t.Errorf("band %s = %v, want %v", label, is.Bands[label], want)
		}
	}
	var total int64
	for _, b := range is.Histogram {
		total += b.Count
		if (b.To <= 20 || b.From >= 80) && b.Count != 0 {
			t.Errorf("histogram bin [%v,%v) holds %d draws outside the support", b.From, b.To, b.Count)
		}
	}
	if total != draws || len(is.Histogram) != 20 {
		t.Errorf("histogram holds %d draws in %d bins", total, len(is.Histogram))
	}
}

// TestQuantilesExactOnDiscrete checks that quantiles of a discrete sample
// are exact: the values 10, 20, 30, 40 with known order statistics.
func TestQuantilesExactOnDiscrete(t *testing.T) {
	s := sweep.NewStats(0, 100, 1)
	for _, v := range []float64{40, 10, 30, 20, 10.000001} {
		s.Add(v, 0)
	}
	// Sorted: 10, 10.000001, 20, 30, 40; definition 7.
	for _, c := range []struct{ p, want float64 }{{0, 10}, {0.5, 20}, {1, 40}, {0.75, 30}, {0.625, 25}, {0.125, 10.0000005}} {
		if got := s.Quantile(c.p); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("Quantile(%v) = %v, want %v", c.p, got, c.want)
		}
	}
	if got := s.Mean(); got != (40+10+30+20+10.000001)/5 {
		t.Errorf("Mean = %v", got)
	}
}

func TestBands(t *testing.T) {
	is := oneIssue().Issues[0]
	got := sweep.Bands(&is)
	want := []sweep.Band{{"low", 0, 25}, {"mid", 25, 75}, {"high", 75, 100}}
	if !slices.Equal(got, want) {
		t.Errorf("Bands = %v, want %v", got, want)
	}
}

func TestHeaderParsedShard(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want sweep.Shard
		ok   bool
	}{{"", sweep.Shard{}, true}, {"3/8", sweep.Shard{K: 3, N: 8}, true}, {"9/8", sweep.Shard{}, false}} {
		got, err := sweep.Header{Shard: tc.in}.ParsedShard()
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("Header{Shard: %q}.ParsedShard() = %v, %v", tc.in, got, err)
		}
	}
}
