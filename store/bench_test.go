package store

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/parley-project/parley/store/storetest"
)

// BenchmarkAddDraws stores a batch of 500 sweep draws (6 issues each, as
// kosovo-2007 has) in one transaction: the cost a stored sweep pays per
// flush. Reported per draw.
func BenchmarkAddDraws(b *testing.B) {
	for _, bk := range []string{"sqlite", "postgres"} {
		b.Run(bk, func(b *testing.B) {
			s := benchStore(b, bk)
			ctx := context.Background()
			r := &Run{Kind: KindSweep, Scenario: "bench", Model: "eum"}
			if err := s.Create(ctx, r); err != nil {
				b.Fatal(err)
			}
			data := json.RawMessage(`[78.57142857142857,80.73853211009174,79.42288557213931,65.5,40.25,55.125]`)
			const batch = 500
			next := 0
			b.ResetTimer()
			for b.Loop() {
				ds := make([]Draw, batch)
				for i := range ds {
					ds[i] = Draw{Index: next, Data: data}
					next++
				}
				if err := s.AddDraws(ctx, r.ID, ds); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(next), "ns/draw")
		})
	}
}

// BenchmarkDraws reads 10,000 stored draws back, as a resume does.
func BenchmarkDraws(b *testing.B) {
	for _, bk := range []string{"sqlite", "postgres"} {
		b.Run(bk, func(b *testing.B) {
			s := benchStore(b, bk)
			ctx := context.Background()
			r := &Run{Kind: KindSweep, Scenario: "bench", Model: "eum"}
			if err := s.Create(ctx, r); err != nil {
				b.Fatal(err)
			}
			ds := make([]Draw, 10000)
			for i := range ds {
				ds[i] = Draw{Index: i, Data: json.RawMessage(fmt.Sprintf("[%d.5,1,2,3,4,5]", i))}
			}
			if err := s.AddDraws(ctx, r.ID, ds); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				got, err := s.Draws(ctx, r.ID)
				if err != nil || len(got) != len(ds) {
					b.Fatal(len(got), err)
				}
			}
		})
	}
}

func benchStore(b *testing.B, backend string) Store {
	var loc string
	if backend == "sqlite" {
		loc = filepath.Join(b.TempDir(), "bench.db")
	} else {
		loc = storetest.Postgres(b)
	}
	s, err := Open(context.Background(), loc)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}
