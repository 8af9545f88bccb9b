package result

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The trajectories below are the forecasts, round 0 first, of the cases
// issue 14 names: the EUM (scholz) on kosovo-2007 and emission-1994, and a
// small tariff scenario whose headline flips with the round count.
var (
	// missile_defence with 30 rounds: a slow climb, a jump, then the
	// cycle 58.3 → 26.1 → 85 → 79.6 that its values approach within 0.01.
	missileDefence = []float64{65, 40, 26.797, 27.83, 28.213, 28.714, 29.396, 30.316, 31.551, 33.197, 35.373,
		38.218, 5.557, 85, 79.34, 57.662, 25.354, 85, 79.636, 58.286, 26.068, 85, 79.647, 58.31, 26.096, 85,
		79.648, 58.311, 26.097, 85, 79.648}
	// presence with 30 rounds: 75, 75, 90, 75 for ever.
	presence = []float64{85, 85, 85, 85, 75, 75, 75, 75, 75, 90, 75, 75, 75, 90, 75, 75, 75, 90, 75, 75, 75, 90,
		75, 75, 75, 90, 75, 75, 75, 90, 75}
	// serb_rights with 10 rounds: 50 and 53.92 in turn.
	serbRights = []float64{50, 54.03, 50, 53.924, 50, 53.924, 50, 53.924, 50, 53.924, 50}
	// emission-1994 with 10 and 11 rounds: wanders between 7 and 9.96.
	emission10 = []float64{7, 8.416, 9.611, 9.962, 9.962, 9.962, 7.472, 8.825, 9.671, 9.671, 7}
	emission11 = append(append([]float64(nil), emission10...), 7)
	// tariff (0–10 scale) with 11 rounds: 0, 2.5, 0 for ever, so 9 rounds
	// say 0, 10 say 2.5 and 11 say 0.
	tariff = []float64{0, 2.5, 0, 0, 2.5, 0, 0, 2.5, 0, 0, 2.5, 0}
	// cfe: converges on 10 within the tolerance from round 4.
	cfe = []float64{90, 17.373, 10.984, 10.085, 10.004, 10.0001, 10, 10, 10, 10, 10}
)

func TestSettleCases(t *testing.T) {
	const tol = 0.01 // Tolerance(0, 100)
	tests := []struct {
		name      string
		f         []float64
		tol       float64
		kind      string
		period    int
		from      int
		low, high float64
		value     float64
	}{
		{"missile_defence cycles with period 4", missileDefence, tol, Cycle, 4, 21, 26.096, 85, (85 + 79.648 + 58.311 + 26.097) / 4},
		{"presence cycles 75, 75, 90, 75", presence, tol, Cycle, 4, 6, 75, 90, 78.75},
		{"presence ending 75, 75 is still a cycle", append(append([]float64(nil), presence...), 75), tol, Cycle, 4, 6, 75, 90, 78.75},
		{"serb_rights alternates", serbRights, tol, Cycle, 2, 2, 50, 53.924, (50 + 53.924) / 2},
		{"emission-1994 does not settle", emission10, 0.001, Unsettled, 0, 5, 7, 9.962, (9.962 + 7.472 + 8.825 + 9.671 + 9.671 + 7) / 6},
		{"emission-1994 ending 7, 7 is no fixed point: it stood still longer before", emission11, 0.001, Unsettled, 0, 6, 7, 9.671, (7.472 + 8.825 + 9.671 + 9.671 + 7 + 7) / 6},
		{"tariff cycles with period 3", tariff, 0.001, Cycle, 3, 0, 0, 2.5, 2.5 / 3},
		{"status is fixed from the start", []float64{80, 80, 80, 80, 80, 80, 80, 80, 80, 80, 80}, tol, Fixed, 0, 0, 80, 80, 80},
		{"cfe converges within the tolerance", cfe, tol, Fixed, 0, 4, 10, 10.004, 10},
		{"a drift of steps below the tolerance is no fixed point", []float64{0, 0.006, 0.012, 0.018, 0.024, 0.03, 0.036}, tol, Unsettled, 0, 3, 0.018, 0.036, 0.027},
		{"one forecast is fixed", []float64{42}, tol, Fixed, 0, 0, 42, 42, 42},
		{"two equal forecasts are fixed", []float64{42, 42}, tol, Fixed, 0, 0, 42, 42, 42},
		{"two different forecasts are unsettled", []float64{40, 42}, tol, Unsettled, 0, 1, 42, 42, 42},
		{"a cycle seen for less than two periods is unsettled", []float64{9, 1, 2, 3, 1, 2}, tol, Unsettled, 0, 3, 1, 3, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := Settle(tc.f, tc.tol)
			if s.Kind != tc.kind || s.Period != tc.period || s.FromRound != tc.from {
				t.Fatalf("Settle = %s period %d from round %d, want %s period %d from round %d", s.Kind, s.Period, s.FromRound, tc.kind, tc.period, tc.from)
			}
			for _, c := range []struct {
				name      string
				got, want float64
			}{{"low", s.Low, tc.low}, {"high", s.High, tc.high}, {"value", s.Value, tc.value}} {
				if math.Abs(c.got-c.want) > 1e-9 {
					t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
				}
			}
		})
	}
}

// TestSettleIgnoresTheStoppingRound checks what the issue asks of the
// headline: the settlement value of a cycle does not depend on the round
// at which the run stopped, where the last round's forecast does.
func TestSettleIgnoresTheStoppingRound(t *testing.T) {
	for _, f := range [][]float64{tariff, presence, serbRights} {
		want := Settle(f, 0.001)
		for n := len(f) - 3; n <= len(f); n++ {
			got := Settle(f[:n], 0.001)
			if got.Kind != Cycle || math.Abs(got.Value-want.Value) > 1e-12 || got.Low != want.Low || got.High != want.High {
				t.Errorf("%v with %d forecasts: %+v, with all: %+v", f[:3], n, got, want)
			}
		}
	}
}

func TestSettleRun(t *testing.T) {
	// An agreement ends the run for good: fixed from the last round.
	s := SettleRun([]float64{3, 7, 5}, StoppedAgreement, 0.001)
	if s.Kind != Fixed || s.FromRound != 2 || s.Value != 5 || s.Low != 5 || s.High != 5 {
		t.Errorf("agreement: %+v", s)
	}
	s = SettleRun([]float64{3, 7, 5}, StoppedFinal, 0.001)
	if s.Kind != Fixed || s.Value != 5 {
		t.Errorf("no exchange left: %+v", s)
	}
	// The stop rule's standard (here fixed for 1 round) stands even when
	// the forecast stood still longer earlier in the run.
	f := []float64{1, 1, 1, 1, 2, 3, 3}
	if s := Settle(f, 0.001); s.Kind != Unsettled {
		t.Errorf("Settle: %+v", s)
	}
	if s := SettleRun(f, StoppedFixed, 0.001); s.Kind != Fixed || s.FromRound != 5 {
		t.Errorf("stopped by the rule: %+v", s)
	}
	if s := SettleRun(f, "rounds", 0.001); s.Kind != Unsettled {
		t.Errorf("stopped after the last round: %+v", s)
	}
}

func TestSettleIssue(t *testing.T) {
	is := Issue{Stopped: "rounds"}
	for r, f := range serbRights {
		is.Rounds = append(is.Rounds, Round{Round: r, Forecast: f})
	}
	is.SettleIssue(0.01)
	if s := is.Settlement; s == nil || s.Kind != Cycle || s.Period != 2 || s.FromRound != 2 {
		t.Fatalf("settlement %+v", is.Settlement)
	}
	is.Stopped = "static"
	is.SettleIssue(0.01)
	if is.Settlement != nil {
		t.Errorf("a static model's issue got a settlement %+v", is.Settlement)
	}
}

func TestRepeats(t *testing.T) {
	tests := []struct {
		f    []float64
		k    int
		want int
	}{
		{[]float64{1, 2, 2}, 1, 1},
		{[]float64{1, 2, 2}, 2, 0},
		{[]float64{1, 2, 2, 2}, 2, 1},
		{missileDefence, 1, 4},
		{missileDefence, 2, 0}, // the cycle holds within 0.01 for only 10 forecasts
		{presence, 3, 4},
		{serbRights, 3, 2},
		{serbRights, 4, 0},
		{tariff, 3, 3},
		{tariff, 0, 0},
		{emission10, 1, 0},
	}
	for _, tc := range tests {
		if got := Repeats(tc.f, 0.01, tc.k); got != tc.want {
			t.Errorf("Repeats(%v…, k=%d) = %d, want %d", tc.f[:3], tc.k, got, tc.want)
		}
	}
}

// TestSettleProperties checks, on random trajectories, what holds for
// every settlement: the stretch lies in the run, Low ≤ Value ≤ High, every
// forecast of the stretch lies in [Low, High], and a cycle's stretch
// covers two periods.
func TestSettleProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		n := 1 + rng.IntN(60)
		f := make([]float64, n)
		levels := 1 + rng.IntN(5)
		for i := range f {
			f[i] = float64(rng.IntN(levels))
		}
		if rng.IntN(2) == 0 { // end in a cycle
			p := 1 + rng.IntN(5)
			for i := p; i < n; i++ {
				if i > n/2 {
					f[i] = f[i-p]
				}
			}
		}
		s := Settle(f, 1e-9)
		if s.FromRound < 0 || s.FromRound >= n || !(s.Low <= s.Value && s.Value <= s.High) {
			t.Fatalf("%v: %+v", f, s)
		}
		for _, v := range f[s.FromRound:] {
			if v < s.Low || v > s.High {
				t.Fatalf("%v: %v outside [%v, %v]", f, v, s.Low, s.High)
			}
		}
		if s.Kind == Cycle && (s.Period < 2 || n-s.FromRound < 2*s.Period) {
			t.Fatalf("%v: cycle %+v covers less than two periods", f, s)
		}
		if s.Kind == Fixed && s.Low != s.High {
			t.Fatalf("%v: fixed with a spread %+v", f, s)
		}
	}
}

func TestTolerance(t *testing.T) {
	if got := Tolerance(0, 100); got != 0.01 {
		t.Errorf("Tolerance(0, 100) = %v", got)
	}
	if got := Tolerance(0, 10); got != 0.001 {
		t.Errorf("Tolerance(0, 10) = %v", got)
	}
}

// BenchmarkSettle times the detection on a 100-round trajectory (the
// spatial model's turn limit) that ends in a cycle.
func BenchmarkSettle(b *testing.B) {
	f := make([]float64, 101)
	for i := range f {
		f[i] = float64(i % 4)
	}
	for b.Loop() {
		Settle(f, 0.01)
	}
}
