package sweep

import "sort"

// rangeSet is a set of draw indices kept as sorted, disjoint, non-adjacent
// half-open ranges, so that its memory grows with the number of gaps
// between finished draws (a few per worker), not with the number of
// draws.
type rangeSet struct {
	r [][2]int
}

// find returns the index of the first range that ends at or after i.
func (s *rangeSet) find(i int) int {
	return sort.Search(len(s.r), func(k int) bool { return s.r[k][1] >= i })
}

// has reports whether i is in the set.
func (s *rangeSet) has(i int) bool {
	k := s.find(i + 1)
	return k < len(s.r) && s.r[k][0] <= i
}

// add puts i in the set and reports whether it was new.
func (s *rangeSet) add(i int) bool {
	k := s.find(i)
	switch {
	case k < len(s.r) && s.r[k][0] <= i && i < s.r[k][1]:
		return false
	case k < len(s.r) && s.r[k][1] == i:
		// Extends range k upwards; it may now touch range k+1.
		s.r[k][1]++
		if k+1 < len(s.r) && s.r[k+1][0] == s.r[k][1] {
			s.r[k][1] = s.r[k+1][1]
			s.r = append(s.r[:k+1], s.r[k+2:]...)
		}
	case k < len(s.r) && s.r[k][0] == i+1:
		s.r[k][0] = i
	default:
		s.r = append(s.r, [2]int{})
		copy(s.r[k+1:], s.r[k:])
		s.r[k] = [2]int{i, i + 1}
	}
	return true
}

// ranges returns the set as ranges (nil when empty).
func (s *rangeSet) ranges() [][2]int {
	if len(s.r) == 0 {
		return nil
	}
	return append([][2]int(nil), s.r...)
}

// todo hands out, in increasing order, the indices of [lo, hi) that are
// not in a set of finished draws, without listing them.
type todo struct {
	next, hi int
	skip     [][2]int // sorted ranges to skip
}

// take returns the next index to run, or false when there is none.
func (t *todo) take() (int, bool) {
	lo, hi := t.takeN(1)
	return lo, hi > lo
}

// takeN returns the next run of up to n consecutive indices to run,
// [lo, hi), empty when there is none.
func (t *todo) takeN(n int) (lo, hi int) {
	for t.next < t.hi {
		if len(t.skip) > 0 && t.next >= t.skip[0][0] {
			t.next = max(t.next, t.skip[0][1])
			t.skip = t.skip[1:]
			continue
		}
		lo, hi = t.next, min(t.next+n, t.hi)
		if len(t.skip) > 0 {
			hi = min(hi, t.skip[0][0])
		}
		t.next = hi
		return lo, hi
	}
	return 0, 0
}
