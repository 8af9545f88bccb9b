package store

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
)

// BenchmarkAddDraws stores a batch of 500 sweep draws (6 issues each, as
// kosovo-2007 has) in one transaction: the cost a stored sweep pays per
// flush. Reported per draw.
func BenchmarkAddDraws(b *testing.B) {
	for _, bk := range backends() {
		b.Run(bk.name, func(b *testing.B) {
			s, r := benchRun(b, bk)
			ctx := context.Background()
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
	for _, bk := range backends() {
		b.Run(bk.name, func(b *testing.B) {
			s, r := benchRun(b, bk)
			ctx := context.Background()
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

// benchRun opens a fresh store of backend bk holding one sweep run.
func benchRun(b *testing.B, bk backend) (Store, *Run) {
	s, _ := bk.open(b)
	r := &Run{Kind: KindSweep, Scenario: "bench", Model: "eum"}
	if err := s.Create(context.Background(), r); err != nil {
		b.Fatal(err)
	}
	return s, r
}
