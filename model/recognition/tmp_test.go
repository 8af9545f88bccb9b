package recognition

import (
	"context"
	"sort"
	"testing"
	"time"
)

func TestTmpKosovo(t *testing.T) {
	t0 := time.Now()
	r, err := Forecast(context.Background(), Kosovo(), Options{Draws: 10000, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%v", time.Since(t0))
	for _, p := range r.Cumulative {
		if p.Date[5:7] == "12" || p.Date[5:7] == "02" && p.Date[:4] == "2008" {
			t.Logf("%s %.1f %g-%g", p.Date, p.Expected, p.P05, p.P95)
		}
	}
	s := r.States
	sort.Slice(s, func(a, b int) bool { return s[a].PBy["2020-12-31"] > s[b].PBy["2020-12-31"] })
	for _, x := range s[:40] {
		t.Logf("%s %.2f %.2f", x.ISO3, x.PBy["2008-12-31"], x.PBy["2020-12-31"])
	}
	nr, _ := Forecast(context.Background(), Kosovo(), Options{Draws: 10000, Seed: 1, NoUncertainty: true})
	p := nr.Cumulative[len(nr.Cumulative)-1]
	t.Logf("no uncertainty: %.1f %g-%g", p.Expected, p.P05, p.P95)
}
