package sensitivity

import (
	"math"
	"testing"
)

// ishigami is the Ishigami–Homma (1990) function with a = 7, b = 0.1 on
// inputs mapped from [0, 1] to [−π, π].
func ishigami(u, out []float64) error {
	x1, x2, x3 := -math.Pi+2*math.Pi*u[0], -math.Pi+2*math.Pi*u[1], -math.Pi+2*math.Pi*u[2]
	out[0] = math.Sin(x1) + 7*math.Sin(x2)*math.Sin(x2) + 0.1*math.Pow(x3, 4)*math.Sin(x1)
	return nil
}

// TestSobolIshigami compares the estimates with the analytic indices of
// the Ishigami function (Saltelli et al. 2010, section 4; Sobol' & Levitan
// 1999): S = 0.3139, 0.4424, 0; S_T = 0.5576, 0.4424, 0.2437.
func TestSobolIshigami(t *testing.T) {
	got, err := Sobol(3, 1, 20000, 11, 2, ishigami)
	if err != nil {
		t.Fatal(err)
	}
	first := []float64{0.3139, 0.4424, 0}
	total := []float64{0.5576, 0.4424, 0.2437}
	for i := range 3 {
		if d := math.Abs(got[0].First[i] - first[i]); d > 0.03 {
			t.Errorf("S_%d = %.4f, want %.4f ± 0.03", i+1, got[0].First[i], first[i])
		}
		if d := math.Abs(got[0].Total[i] - total[i]); d > 0.03 {
			t.Errorf("S_T%d = %.4f, want %.4f ± 0.03", i+1, got[0].Total[i], total[i])
		}
	}
	// Analytic variance: a²/8 + bπ⁴/5 + b²π⁸/18 + 1/2 = 13.8446.
	if math.Abs(got[0].Variance-13.8446) > 0.4 {
		t.Errorf("variance %.4f, want 13.8446", got[0].Variance)
	}
}

// TestSobolLinear checks an additive function with known indices,
// f = x1 + 2 x2 (uniform inputs): S_1 = S_T1 = 1/5, S_2 = S_T2 = 4/5, and
// a constant second output with zero variance.
func TestSobolLinear(t *testing.T) {
	got, err := Sobol(3, 2, 8000, 3, 1, func(u, out []float64) error {
		out[0], out[1] = u[0]+2*u[1], 4
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []float64{0.2, 0.8, 0} {
		if math.Abs(got[0].First[i]-want) > 0.03 || math.Abs(got[0].Total[i]-want) > 0.03 {
			t.Errorf("input %d: S = %.3f, S_T = %.3f, want %.1f", i+1, got[0].First[i], got[0].Total[i], want)
		}
	}
	if got[1].Variance != 0 || got[1].Total[0] != 0 {
		t.Errorf("constant output: %+v", got[1])
	}
}

func TestSobolWorkersIdentical(t *testing.T) {
	a, _ := Sobol(3, 1, 500, 5, 1, ishigami)
	b, _ := Sobol(3, 1, 500, 5, 4, ishigami)
	for i := range 3 {
		if a[0].First[i] != b[0].First[i] || a[0].Total[i] != b[0].Total[i] {
			t.Fatalf("workers change the estimate: %+v vs %+v", a[0], b[0])
		}
	}
}
