package recognition

import (
	"context"
	"testing"
	"time"
)

func TestTmpBacktest(t *testing.T) {
	eps, _ := AllEpisodes()
	t0 := time.Now()
	b, err := RunBacktest(context.Background(), eps, Options{Draws: 2000, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%v", time.Since(t0))
	for _, e := range b.Episodes {
		t.Logf("%-16s n=%3d months=%3d brier %.3f (base %.3f) log %.3f (base %.3f)", e.ID, e.States, e.Months, e.Brier, e.BaselineBrier, e.LogScore, e.BaselineLogScore)
		for _, h := range []string{"1y", "3y", "6y", "12y", "end"} {
			if _, ok := e.Actual[h]; ok {
				t.Logf("   %-4s actual %3d expected %6.1f 50%% %v 90%% %v cov %v base err %.1f", h, e.Actual[h], e.Expected[h], e.Band50[h], e.Band90[h], e.Covered90[h], e.BaselineError[h])
			}
		}
	}
	t.Logf("%+v", b.Summary)
}
