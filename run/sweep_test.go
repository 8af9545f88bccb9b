package run_test

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parley-project/parley/model/registry"
	"github.com/parley-project/parley/run"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/scenarios"
	"github.com/parley-project/parley/store"
	"github.com/parley-project/parley/store/storetest"
	"github.com/parley-project/parley/sweep"
)

func config(t *testing.T) sweep.Config {
	sc, err := scenarios.Get("emission-1994")
	if err != nil {
		t.Fatal(err)
	}
	m, _ := registry.Default().Get("eum")
	return sweep.Config{Scenario: sc, Model: m, Draws: 300, Seed: 5, Workers: 2, Shard: sweep.Shard{K: 2, N: 3},
		Noise: sweep.Noise{Position: 0.05, Salience: 0.2, Dropout: 0.1,
			Params: map[string]scenario.Dist{"q": {Kind: "uniform", Args: []float64{0.5, 1}}}}}
}

// TestInterruptAndResume interrupts a stored sweep (a shard of one, with
// drawn parameters) after some draws, loads it back, resumes it, and gets
// the uninterrupted result byte for byte, on both backends; the resumed
// run computes only the missing draws.
func TestInterruptAndResume(t *testing.T) {
	full, err := sweep.Run(context.Background(), config(t))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := full.Encode()

	for name, loc := range map[string]func(*testing.T) string{
		"sqlite":   func(t *testing.T) string { return filepath.Join(t.TempDir(), "runs.db") },
		"postgres": func(t *testing.T) string { return storetest.Postgres(t) },
	} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			s, err := store.Open(ctx, loc(t))
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()

			// First process: stopped after 40 draws.
			cfg := config(t)
			rec, err := run.CreateSweep(ctx, s, cfg, "test")
			if err != nil {
				t.Fatal(err)
			}
			rec.Batch = 16
			cctx, cancel := context.WithCancel(ctx)
			n := 0
			cfg.Sink = func(d sweep.Draw) error {
				if n++; n == 40 {
					cancel()
				}
				return rec.Add(d)
			}
			part, runErr := sweep.Run(cctx, cfg)
			if !errors.Is(runErr, sweep.ErrInterrupted) {
				t.Fatalf("first run: %v", runErr)
			}
			if finished, err := rec.End(part, runErr); err != nil || finished {
				t.Fatalf("End of an interrupted sweep: %v %v", finished, err)
			}
			row, _ := s.Get(ctx, rec.Run.ID)
			if row.Status != store.StatusInterrupted || int64(row.Draws) != part.Draws {
				t.Fatalf("stored %d draws (%s), the sweep finished %d", row.Draws, row.Status, part.Draws)
			}

			// Second process.
			cfg2, prior, err := run.LoadSweep(ctx, s, row, registry.Default())
			if err != nil {
				t.Fatal(err)
			}
			ran := 0
			rec2, err := run.ResumeSweep(ctx, s, row)
			if err != nil {
				t.Fatal(err)
			}
			if again, _ := s.Get(ctx, row.ID); again.Status != store.StatusRunning || rec2.Run.Status != store.StatusRunning {
				t.Fatalf("resumed run is %s (recorder: %s), want running", again.Status, rec2.Run.Status)
			}
			cfg2.Sink = func(d sweep.Draw) error { ran++; return rec2.Add(d) }
			res, err := sweep.Run(ctx, cfg2)
			if err != nil {
				t.Fatal(err)
			}
			if finished, err := rec2.End(res, nil); err != nil || !finished {
				t.Fatalf("End: %v %v", finished, err)
			}
			got, _ := res.Encode()
			if !bytes.Equal(got, want) {
				t.Error("resumed result differs from the uninterrupted run")
			}
			if ran != 100-len(prior) {
				t.Errorf("resumed run computed %d draws, want %d", ran, 100-len(prior))
			}
			row, _ = s.Get(ctx, row.ID)
			if row.Status != store.StatusDone || row.Draws != 100 || !bytes.Equal(row.Result, want) {
				t.Errorf("finished run: %s, %d draws", row.Status, row.Draws)
			}
			// A forecast is not a sweep.
			if _, _, err := run.LoadSweep(ctx, s, &store.Run{ID: 1, Kind: store.KindForecast}, registry.Default()); err == nil {
				t.Error("Load accepted a forecast")
			}
		})
	}
}

// TestSave stores the merge of a sweep's shards as a finished row whose
// settings, snapshot and result are those Create and End store for the
// unsharded sweep; an incomplete merge and another scenario are refused.
func TestSave(t *testing.T) {
	ctx := context.Background()
	whole := config(t)
	whole.Shard = sweep.Shard{}
	full, err := sweep.Run(ctx, whole)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := full.Encode()
	var parts []*sweep.Result
	for k := 1; k <= 3; k++ {
		cfg := config(t)
		cfg.Shard = sweep.Shard{K: k, N: 3}
		p, err := sweep.Run(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, p)
	}
	merged, err := sweep.Merge(parts...)
	if err != nil {
		t.Fatal(err)
	}
	for name, loc := range map[string]func(*testing.T) string{
		"sqlite":   func(t *testing.T) string { return filepath.Join(t.TempDir(), "runs.db") },
		"postgres": func(t *testing.T) string { return storetest.Postgres(t) },
	} {
		t.Run(name, func(t *testing.T) {
			s, err := store.Open(ctx, loc(t))
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			// The record Create makes for the unsharded sweep.
			rec, err := run.CreateSweep(ctx, s, whole, "test")
			if err != nil {
				t.Fatal(err)
			}
			row, err := run.SaveSweep(ctx, s, merged, whole.Scenario, "test")
			if err != nil {
				t.Fatal(err)
			}
			got, err := s.Get(ctx, row.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Kind != store.KindSweep || got.Status != store.StatusDone || !bytes.Equal(got.Result, want) ||
				got.Scenario != "emission-1994" || got.Model != "eum" || got.Seed != 5 {
				t.Errorf("saved run %+v", got)
			}
			if !bytes.Equal(got.Config, rec.Run.Config) || !bytes.Equal(got.Snapshot, rec.Run.Snapshot) {
				t.Errorf("saved settings %s and snapshot differ from the unsharded sweep's %s", got.Config, rec.Run.Config)
			}
			// Without the scenario: no snapshot.
			bare, err := run.SaveSweep(ctx, s, merged, nil, "test")
			if err != nil || len(bare.Snapshot) != 0 {
				t.Errorf("Save without a scenario: %v, snapshot %.40s", err, bare.Snapshot)
			}
			other, _ := scenarios.Get("kosovo-2007")
			if _, err := run.SaveSweep(ctx, s, merged, other, "test"); err == nil || !strings.Contains(err.Error(), "not the one the sweep ran") {
				t.Errorf("Save with another scenario: %v", err)
			}
			part, _ := sweep.Merge(parts[0], parts[2])
			if _, err := run.SaveSweep(ctx, s, part, whole.Scenario, "test"); err == nil || !strings.Contains(err.Error(), "200 of its 300 draws") {
				t.Errorf("Save of an incomplete merge: %v", err)
			}
			if runs, _ := s.List(ctx, store.Filter{}); len(runs) != 3 {
				t.Errorf("%d runs stored, want 3 (Create, two Saves)", len(runs))
			}
		})
	}
}

// TestResumeWhileWritten: a sweep cannot be resumed by a second process
// while the first writes it (it holds the run's lease); once the first
// ends, it can.
func TestResumeWhileWritten(t *testing.T) {
	for name, loc := range map[string]func(*testing.T) string{
		"sqlite":   func(t *testing.T) string { return filepath.Join(t.TempDir(), "runs.db") },
		"postgres": func(t *testing.T) string { return storetest.Postgres(t) },
	} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			where := loc(t)
			first, err := store.Open(ctx, where)
			if err != nil {
				t.Fatal(err)
			}
			defer first.Close()
			second, err := store.Open(ctx, where)
			if err != nil {
				t.Fatal(err)
			}
			defer second.Close()
			rec, err := run.CreateSweep(ctx, first, config(t), "test")
			if err != nil {
				t.Fatal(err)
			}
			row, err := second.Get(ctx, rec.Run.ID)
			if err != nil {
				t.Fatal(err)
			}
			var le *store.LeaseError
			if _, err := run.ResumeSweep(ctx, second, row); !errors.As(err, &le) {
				t.Fatalf("resume while written: %v", err)
			}
			if _, err := rec.End(nil, errors.New("stopped")); err != nil {
				t.Fatal(err)
			}
			rec2, err := run.ResumeSweep(ctx, second, row)
			if err != nil {
				t.Fatalf("resume after the first ended: %v", err)
			}
			rec2.Close()
			rec2.Close()
		})
	}
}
