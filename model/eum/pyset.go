package eum

import (
	"math"

	"github.com/parley-project/parley/numeric"
)

// The Scholz code's median (jmckib's median_position) walks the distinct
// positions in the iteration order of a CPython set of floats and keeps a
// position only when it strictly beats the current one. When the weighted
// median is not unique the result depends on that order, so the scholz
// variant reproduces it: CPython's hash of a float and the insertion and
// probing rules of its set table (CPython 3.x, Objects/setobject.c).

const (
	pyHashBits    = 61
	pyHashModulus = 1<<pyHashBits - 1
	pyLinearProbe = 9
	pyPerturb     = 5
	pySetMinSize  = 8
)

// pyFloatHash returns CPython's hash of a finite float: the value reduced
// modulo the Mersenne prime 2^61 − 1, with the sign of the float, and −1
// mapped to −2. Because 2^61 ≡ 1 (mod P), multiplying the 53-bit mantissa
// by 2^e is a rotation by e mod 61 within 61 bits.
func pyFloatHash(v float64) int64 {
	if math.IsInf(v, 1) {
		return 314159
	}
	if math.IsInf(v, -1) {
		return -314159
	}
	if v == 0 || math.IsNaN(v) {
		return 0
	}
	frac, exp := math.Frexp(math.Abs(v)) // |v| = frac × 2^exp, frac in [0.5, 1)
	mant := uint64(math.Ldexp(frac, 53)) // exact 53-bit integer
	e := exp - 53
	e %= pyHashBits
	if e < 0 {
		e += pyHashBits
	}
	h := mant % pyHashModulus
	if e > 0 {
		h = ((h << uint(e)) & pyHashModulus) | h>>uint(pyHashBits-e)
	}
	out := int64(h)
	if v < 0 {
		out = -out
	}
	if out == -1 {
		out = -2
	}
	return out
}

type pySlot struct {
	used bool
	hash int64
	key  float64
}

// pySet holds the tables of order, reused from call to call.
type pySet struct {
	table, spare []pySlot
	out          []float64
}

// order returns the distinct values of xs in the order CPython would
// iterate a set built by adding them one by one. The result lives in the
// set's reused memory and is valid until the next call.
func (p *pySet) order(xs []float64) []float64 {
	table := numeric.Resize(p.table, pySetMinSize)
	clear(table)
	fill := 0
	for _, x := range xs {
		if x == 0 {
			x = 0 // -0.0 and 0.0 are one element
		}
		if !pyInsert(table, x, pyFloatHash(x), true) {
			continue
		}
		fill++
		mask := len(table) - 1
		if fill*5 < mask*3 {
			continue
		}
		minUsed := fill * 4
		if fill > 50000 {
			minUsed = fill * 2
		}
		size := pySetMinSize
		for size <= minUsed {
			size <<= 1
		}
		bigger := numeric.Resize(p.spare, size)
		clear(bigger)
		for _, s := range table {
			if s.used {
				pyInsert(bigger, s.key, s.hash, false)
			}
		}
		p.spare = table[:cap(table)]
		table = bigger
	}
	p.table = table[:cap(table)]
	out := p.out[:0]
	for _, s := range table {
		if s.used {
			out = append(out, s.key)
		}
	}
	p.out = out
	return out
}

// pyInsert adds key to a CPython set table unless checkEqual finds it
// there, and reports whether it was added.
func pyInsert(table []pySlot, key float64, hash int64, checkEqual bool) bool {
	mask := uint64(len(table) - 1)
	perturb := uint64(hash)
	i := uint64(hash) & mask
	for {
		probes := 0
		if i+pyLinearProbe <= mask {
			probes = pyLinearProbe
		}
		for j := uint64(0); j <= uint64(probes); j++ {
			s := &table[i+j]
			if !s.used {
				*s = pySlot{used: true, hash: hash, key: key}
				return true
			}
			if checkEqual && s.hash == hash && s.key == key {
				return false
			}
		}
		perturb >>= pyPerturb
		i = (i*5 + 1 + perturb) & mask
	}
}
