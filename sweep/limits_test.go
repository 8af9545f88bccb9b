package sweep_test

import (
	"context"
	"errors"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/model/eum"
	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/sweep"
)

// counted is the EUM without its fast path, counting its runs.
type counted struct{ runs *atomic.Int64 }

func (c counted) Info() model.Info { return eum.Model{}.Info() }
func (c counted) Run(ctx context.Context, sc *scenario.Scenario, opt model.Options) (*result.Result, error) {
	c.runs.Add(1)
	return eum.Model{}.Run(ctx, sc, opt)
}

// TestIdenticalDraws: a sweep whose draws cannot differ (no noise, or
// only noise that is zero, or parameters drawn from one value) runs one
// draw, says so, and gives exactly the numbers of running every draw.
func TestIdenticalDraws(t *testing.T) {
	for name, noise := range map[string]sweep.Noise{
		"none":         {},
		"fixed q":      {Params: map[string]scenario.Dist{"q": {Kind: "fixed", Args: []float64{0.8}}}},
		"degenerate q": {Params: map[string]scenario.Dist{"q": {Kind: "uniform", Args: []float64{0.8, 0.8}}, "t": {Kind: "normal", Args: []float64{0.5, 0}}}},
	} {
		t.Run(name, func(t *testing.T) {
			var runs atomic.Int64
			sc := builtin(t, "emission-1994") // no number has a range of its own
			cfg := sweep.Config{Scenario: sc, Model: counted{&runs}, Draws: 400, Seed: 3, Workers: 4, Noise: noise}
			if !noise.Still(sc) {
				t.Fatal("Still() = false")
			}
			var sunk []sweep.Draw
			cfg.Sink = func(d sweep.Draw) error {
				sunk = append(sunk, sweep.Draw{Index: d.Index, Forecasts: append([]float64(nil), d.Forecasts...)})
				return nil
			}
			got, err := sweep.Run(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			if runs.Load() != 1 || len(sunk) != 1 || !got.Identical || got.Draws != 400 || !got.Complete {
				t.Fatalf("%d model runs, %d draws sunk, identical %v, %d draws, complete %v", runs.Load(), len(sunk), got.Identical, got.Draws, got.Complete)
			}
			// The full run: a drop-out probability too small for any draw
			// to drop an actor (below 2⁻⁵³) makes Still false, so every draw
			// runs, and every draw is the unperturbed scenario.
			full := cfg
			full.Sink = nil
			full.Noise.Dropout = 1e-300
			if full.Noise.Still(sc) {
				t.Fatal("Still() with a drop-out probability")
			}
			runs.Store(0)
			want, err := sweep.Run(context.Background(), full)
			if err != nil {
				t.Fatal(err)
			}
			if runs.Load() != 400 || want.Identical {
				t.Fatalf("full run: %d model runs, identical %v", runs.Load(), want.Identical)
			}
			if !reflect.DeepEqual(got.Issues, want.Issues) || !reflect.DeepEqual(got.State, want.State) || got.Draws != want.Draws {
				t.Errorf("one draw counted for all:\n%+v\n%+v\nthe full run:\n%+v\n%+v", got.Issues, got.State, want.Issues, want.State)
			}
			// Resumed from the one stored draw: nothing runs again.
			runs.Store(0)
			resumed := cfg
			resumed.Sink = nil
			resumed.Prior = slices.Values(sunk)
			again, err := sweep.Run(context.Background(), resumed)
			if err != nil || runs.Load() != 0 || !reflect.DeepEqual(again.State, got.State) {
				t.Errorf("resumed: %v, %d runs", err, runs.Load())
			}
		})
	}
}

// TestNoiseStill: which noise models make every draw the same.
func TestNoiseStill(t *testing.T) {
	sc := builtin(t, "emission-1994")
	d := func(kind string, args ...float64) map[string]scenario.Dist {
		return map[string]scenario.Dist{"q": {Kind: kind, Args: args}}
	}
	for _, tt := range []struct {
		n    sweep.Noise
		zero bool
	}{
		{sweep.Noise{}, true},
		{sweep.Noise{Params: d("fixed", 1)}, true},
		{sweep.Noise{Params: d("uniform", 1, 1)}, true},
		{sweep.Noise{Params: d("normal", 1, 0, 0, 2)}, true},
		{sweep.Noise{Position: 0.01}, false},
		{sweep.Noise{Salience: 0.01}, false},
		{sweep.Noise{Capability: 0.01}, false},
		{sweep.Noise{Dropout: 0.01}, false},
		{sweep.Noise{Params: d("uniform", 0.5, 1)}, false},
		{sweep.Noise{Params: d("normal", 1, 0.1)}, false},
	} {
		if got := tt.n.Still(sc); got != tt.zero {
			t.Errorf("%+v: Still() = %v", tt.n, got)
		}
	}
}

// TestMemoryFlatInDraws: a sweep of a billion draws, stopped after a few,
// allocates no more than one of a thousand (the sweep kept a flag and an
// index per draw: 9 GB for a billion, and a panic for 10¹⁸).
func TestMemoryFlatInDraws(t *testing.T) {
	for _, draws := range []int{1000, sweep.MaxDraws} {
		cfg := config(t, draws)
		cfg.Workers = 2
		ctx, cancel := context.WithCancel(context.Background())
		n := 0
		cfg.Sink = func(sweep.Draw) error {
			if n++; n == 20 {
				cancel()
			}
			return nil
		}
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		res, err := sweep.Run(ctx, cfg)
		runtime.ReadMemStats(&after)
		cancel()
		if !errors.Is(err, sweep.ErrInterrupted) || res.Draws < 20 {
			t.Fatalf("draws %d: %v, %d draws", draws, err, res.Draws)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
			t.Errorf("draws %d: a sweep stopped after %d draws allocated %d MB", draws, res.Draws, alloc>>20)
		}
	}
}

// TestCountLimits: the counts a user gives are bounded.
func TestCountLimits(t *testing.T) {
	for _, tt := range []struct {
		set  func(*sweep.Config)
		want string
	}{
		{func(c *sweep.Config) { c.Draws = 0 }, "draws must be 1 to 1000000000, got 0"},
		{func(c *sweep.Config) { c.Draws = sweep.MaxDraws + 1 }, "draws must be 1 to 1000000000, got 1000000001"},
		{func(c *sweep.Config) { c.Draws = 1e18 }, "draws must be 1 to 1000000000, got 1000000000000000000"},
		{func(c *sweep.Config) { c.Workers = -1 }, "workers must be 0 (one per CPU) to 256, got -1"},
		{func(c *sweep.Config) { c.Workers = 1 << 20 }, "workers must be 0 (one per CPU) to 256, got 1048576"},
		{func(c *sweep.Config) { c.Shard = sweep.Shard{K: 1, N: sweep.MaxShards + 1} }, "shard 1/1000001: want 1 ≤ K ≤ N ≤ 1000000"},
		{func(c *sweep.Config) { c.HistogramBins = 7 }, "histogram bins must divide 1000, got 7"},
	} {
		cfg := config(t, 10)
		tt.set(&cfg)
		if _, err := sweep.Run(context.Background(), cfg); err == nil || err.Error() != tt.want {
			t.Errorf("got %v, want %s", err, tt.want)
		}
	}
	if _, err := sweep.ParseShard("1/1000001"); err == nil || !strings.Contains(err.Error(), "N ≤ 1000000") {
		t.Errorf("ParseShard: %v", err)
	}
}

// TestDecodeControlCharacters: a sweep file whose names hold control
// characters (printed on terminals by 'parley sweep merge') is refused.
func TestDecodeControlCharacters(t *testing.T) {
	r, err := sweep.Run(context.Background(), config(t, 3))
	if err != nil {
		t.Fatal(err)
	}
	r.Issues[1].Name = "status\x1b[2J"
	data, _ := r.Encode()
	if _, err := sweep.Decode(data); err == nil || err.Error() != "issues[1].name: control character U+001B" {
		t.Errorf("got %v", err)
	}
}
