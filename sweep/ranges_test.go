package sweep

import (
	"math/rand/v2"
	"reflect"
	"testing"
)

// TestRangeSet adds indices in random order and compares the set with a
// plain map, its ranges with the ranges a mask gives, and the todo queue
// with the indices not in the set.
func TestRangeSet(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 200 {
		n := 1 + rng.IntN(60)
		var s rangeSet
		in := map[int]bool{}
		for range rng.IntN(2 * n) {
			i := rng.IntN(n)
			if got := s.add(i); got == in[i] {
				t.Fatalf("trial %d: add(%d) = %v with %v", trial, i, got, in)
			}
			in[i] = true
		}
		var want [][2]int
		for i := 0; i < n; i++ {
			if got := s.has(i); got != in[i] {
				t.Fatalf("trial %d: has(%d) = %v", trial, i, got)
			}
			switch {
			case !in[i]:
			case len(want) > 0 && want[len(want)-1][1] == i:
				want[len(want)-1][1]++
			default:
				want = append(want, [2]int{i, i + 1})
			}
		}
		if got := s.ranges(); !reflect.DeepEqual(got, want) {
			t.Fatalf("trial %d: ranges %v, want %v", trial, got, want)
		}
		q := todo{next: 0, hi: n, skip: s.ranges()}
		for i := 0; i < n; i++ {
			if in[i] {
				continue
			}
			if got, ok := q.take(); !ok || got != i {
				t.Fatalf("trial %d: take() = %d, %v, want %d", trial, got, ok, i)
			}
		}
		if got, ok := q.take(); ok {
			t.Fatalf("trial %d: take() = %d after the last", trial, got)
		}
		// In runs of up to k: the same indices, each run outside the set.
		k := 1 + rng.IntN(5)
		q = todo{next: 0, hi: n, skip: s.ranges()}
		var taken []int
		for {
			lo, hi := q.takeN(k)
			if lo == hi {
				break
			}
			if hi-lo > k {
				t.Fatalf("trial %d: takeN(%d) = [%d, %d)", trial, k, lo, hi)
			}
			for i := lo; i < hi; i++ {
				taken = append(taken, i)
			}
		}
		var left []int
		for i := 0; i < n; i++ {
			if !in[i] {
				left = append(left, i)
			}
		}
		if !reflect.DeepEqual(taken, left) {
			t.Fatalf("trial %d: takeN(%d) gave %v, want %v", trial, k, taken, left)
		}
	}
}
