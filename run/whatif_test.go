package run_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/parley-project/parley/model/registry"
	"github.com/parley-project/parley/run"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/scenarios"
)

// settled is the settlement value of an issue of a forecast.
func settled(t *testing.T, f *run.Forecast, issue string) float64 {
	t.Helper()
	for _, is := range f.Result.Issues {
		if is.ID == issue {
			return is.Settlement.Value
		}
	}
	t.Fatalf("no issue %s", issue)
	return 0
}

// TestForecastWhatIf: "what if Russia's capability were 30?" on
// kosovo-2007 with the EUM. Iran's nuclear programme in the Security
// Council moves from 65.03 to 90 (Russia no longer shields Iran) and the
// border guarantees from 50.33 to 66.42; the final status stays at 80.
// Russia's capability on the Iran issue alone moves that issue and no
// other. The run records the what-if and keeps the changed scenario as its
// snapshot, and the scenario given is not changed.
func TestForecastWhatIf(t *testing.T) {
	ctx := context.Background()
	k, err := scenarios.Get("kosovo-2007")
	if err != nil {
		t.Fatal(err)
	}
	base, err := run.NewForecastSpec().Run(ctx, k, run.Env{})
	if err != nil {
		t.Fatal(err)
	}
	spec := run.NewForecastSpec()
	spec.WhatIf = &scenario.WhatIf{Set: []string{"russia.capability=30"}}
	f, err := spec.Run(ctx, k, run.Env{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		issue      string
		base, what float64
	}{{"iran", 65.0303, 90}, {"borders", 50.3273, 66.4226}, {"status", 80, 80}} {
		if b, w := settled(t, base, c.issue), settled(t, f, c.issue); math.Abs(b-c.base) > 1e-4 || math.Abs(w-c.what) > 1e-4 {
			t.Errorf("%s: base %.4f, what-if %.4f; want %.4f and %.4f", c.issue, b, w, c.base, c.what)
		}
	}
	one := run.NewForecastSpec()
	one.WhatIf = &scenario.WhatIf{Set: []string{"russia.iran.capability=30"}}
	g, err := one.Run(ctx, k, run.Env{})
	if err != nil {
		t.Fatal(err)
	}
	if v, n := settled(t, g, "iran"), settled(t, g, "north"); math.Abs(v-90) > 1e-4 || math.Abs(n-17.0579) > 1e-4 || g.Snapshot.Actor("russia").CapabilityOn("iran") != 30 || g.Snapshot.Actor("russia").Capability.Value != 75 {
		t.Errorf("russia's capability on iran alone: iran %.4f, north %.4f", v, n)
	}
	if f.Config.WhatIf == nil || f.Config.WhatIf.String() != "russia.capability=30" || base.Config.WhatIf != nil {
		t.Errorf("configs record the what-ifs %v and %v", f.Config.WhatIf, base.Config.WhatIf)
	}
	if c := f.Snapshot.Actor("russia").Capability.Value; c != 30 || f.Scenario != "kosovo-2007" {
		t.Errorf("snapshot %s with russia's capability %v", f.Scenario, c)
	}
	if c := k.Actor("russia").Capability.Value; c != 75 {
		t.Errorf("the scenario given was changed: russia's capability %v", c)
	}
	// Leaving Russia out: the CFE treaty forecast goes from 10 to 95.
	spec.WhatIf = &scenario.WhatIf{Drop: []string{"russia"}}
	if f, err = spec.Run(ctx, k, run.Env{}); err != nil {
		t.Fatal(err)
	}
	if v := settled(t, f, "cfe"); v != 95 || f.Snapshot.Actor("russia") != nil {
		t.Errorf("without russia cfe settles at %v (snapshot has russia: %v)", v, f.Snapshot.Actor("russia") != nil)
	}
}

// TestWhatIfRefused: a what-if that does not read or does not apply is a
// RequestError naming what_if, for every kind that takes one.
func TestWhatIfRefused(t *testing.T) {
	ctx := context.Background()
	k, _ := scenarios.Get("kosovo-2007")
	bad := &scenario.WhatIf{Set: []string{"moscow.capability=30"}}
	fc := run.NewForecastSpec()
	fc.WhatIf = bad
	sw := run.NewSweepSpec()
	sw.WhatIf, sw.Draws = bad, 2
	se := run.NewSensitivitySpec()
	se.WhatIf, se.Samples = bad, 0
	pr := run.NewProcessSpec()
	pr.WhatIf = bad
	for kind, try := range map[string]func() error{
		run.KindForecast:    func() error { _, err := fc.Run(ctx, k, run.Env{}); return err },
		run.KindSweep:       func() error { _, err := sw.Config(k, run.Env{}); return err },
		run.KindSensitivity: func() error { _, err := se.Run(ctx, k, run.Env{}); return err },
		run.KindProcess:     func() error { _, err := pr.Run(ctx, k, run.Env{}); return err },
	} {
		err := try()
		var re *run.RequestError
		if !errors.As(err, &re) || re.Field != "what_if" || !strings.Contains(err.Error(), `what_if: "moscow.capability=30": no actor "moscow"`) {
			t.Errorf("%s: %v", kind, err)
		}
	}
	// A process whose unilateral act is Kosovo's cannot lose its actor.
	pr.WhatIf = &scenario.WhatIf{Drop: []string{"kosovo_albanians"}}
	if _, err := pr.Run(ctx, k, run.Env{}); err == nil || !strings.Contains(err.Error(), "makes the act of the process stage") {
		t.Errorf("dropping the declaring actor: %v", err)
	}
}

// TestSweepWhatIf: a sweep's header records the what-if, and a stored
// sweep with one resumes as the same sweep.
func TestSweepWhatIf(t *testing.T) {
	ctx := context.Background()
	k, _ := scenarios.Get("kosovo-2007")
	spec := run.NewSweepSpec()
	spec.Draws, spec.Rounds = 4, 2
	spec.WhatIf = &scenario.WhatIf{Set: []string{"russia.capability=30"}}
	cfg, err := spec.Config(k, run.Env{})
	if err != nil {
		t.Fatal(err)
	}
	s := openStore(t)
	rec, err := run.CreateSweep(ctx, s, cfg, "test")
	if err != nil {
		t.Fatal(err)
	}
	cfg2, _, err := run.LoadSweep(ctx, s, rec.Run, registry.Default())
	if err != nil {
		t.Fatal(err)
	}
	if cfg2.WhatIf.String() != "russia.capability=30" || cfg2.Scenario.Actor("russia").Capability.Value != 30 {
		t.Errorf("reloaded sweep: what-if %v, russia's capability %v", cfg2.WhatIf, cfg2.Scenario.Actor("russia").Capability.Value)
	}
}
