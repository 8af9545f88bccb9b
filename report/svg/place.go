package svg

import (
	"cmp"
	"slices"
)

// spread places labels of the given heights in a column, each as near
// the position it names (want, the centre it would have) as it can be
// without overlapping the others: labels keep the order of their wanted
// centres, stay gap apart and inside [lo, hi] when their stack fits
// there. Labels that would overlap are moved as a block, centred where
// its members want to be on average (the least-squares place), so a
// crowd of labels moves apart evenly rather than all below the first.
// It returns each label's centre, in the order given.
func spread(want, height []float64, gap, lo, hi float64) []float64 {
	n := len(want)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(want[a], want[b]) })
	// A block is a run of labels (in order) stacked gap apart from top.
	type block struct {
		first, last int // indices into order
		top, size   float64
	}
	place := func(bl *block) {
		// The top that puts the members nearest their wanted centres.
		sum, off := 0.0, 0.0
		for k := bl.first; k <= bl.last; k++ {
			h := height[order[k]]
			sum += want[order[k]] - off - h/2
			off += h + gap
		}
		bl.size = off - gap
		bl.top = sum / float64(bl.last-bl.first+1)
		bl.top = min(bl.top, hi-bl.size)
		bl.top = max(bl.top, lo)
	}
	var blocks []block
	for k := range order {
		cur := block{first: k, last: k}
		place(&cur)
		for len(blocks) > 0 {
			prev := blocks[len(blocks)-1]
			if prev.top+prev.size+gap <= cur.top+1e-9 {
				break
			}
			blocks = blocks[:len(blocks)-1]
			cur.first = prev.first
			place(&cur)
		}
		blocks = append(blocks, cur)
	}
	out := make([]float64, n)
	for _, bl := range blocks {
		y := bl.top
		for k := bl.first; k <= bl.last; k++ {
			h := height[order[k]]
			out[order[k]] = y + h/2
			y += h + gap
		}
	}
	return out
}

// stackHeight is the height labels of the given heights take stacked gap
// apart.
func stackHeight(height []float64, gap float64) float64 {
	if len(height) == 0 {
		return 0
	}
	s := gap * float64(len(height)-1)
	for _, h := range height {
		s += h
	}
	return s
}
