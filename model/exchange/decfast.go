package exchange

import (
	"math"
	"math/big"
	"math/bits"
)

// The fixed-width path of dec's arithmetic. When both operands'
// coefficients fit in 128 bits (every rounded 28-digit result does;
// only exact values of floats such as Decimal(0.1) do not) and the
// exponents are close enough, +, −, ×, ÷ and comparison are done on
// 256-bit magnitudes in uint64 words (math/bits) and rounded to 28
// digits by one-word divisions; otherwise the math/big code does them.
// Both give the same dec, bit for bit (TestFastPathAgainstBig).

// u256 is a magnitude of four 64-bit words, least significant first.
type u256 [4]uint64

// pow10w[k] is 10^k for 10^k < 2^256 (k ≤ 77).
var pow10w = func() []u256 {
	p := make([]u256, 78)
	for k := range p {
		p[k] = fromBig(pow10[k])
	}
	return p
}()

func fromBig(x *big.Int) u256 {
	var v u256
	for i, w := range x.Bits() {
		v[i] = uint64(w)
	}
	return v
}

// mag128 is |d|'s coefficient as a u256 when it fits in 128 bits.
func mag128(d dec) (u256, bool) {
	return u256{d.lo, d.hi}, d.wide == nil
}

func cmp256(x, y *u256) int {
	for i := 3; i >= 0; i-- {
		if x[i] != y[i] {
			if x[i] < y[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}

func add256(x, y *u256) u256 { return addCarry(x, y, 0) }

// sub256 is x − y for x ≥ y: x + ^y + 1 modulo 2^256.
func sub256(x, y *u256) u256 {
	ny := u256{^y[0], ^y[1], ^y[2], ^y[3]}
	return addCarry(x, &ny, 1)
}

// addCarry is x + y + c modulo 2^256.
func addCarry(x, y *u256, c uint64) u256 {
	var z u256
	for i := range z {
		z[i], c = bits.Add64(x[i], y[i], c)
	}
	return z
}

// mul256 is the low 256 bits of x·y (callers ensure the product fits).
func mul256(x, y *u256) u256 {
	var z u256
	for i := 0; i < 4; i++ {
		if x[i] == 0 {
			continue
		}
		var carry uint64
		for j := 0; i+j < 4; j++ {
			hi, lo := bits.Mul64(x[i], y[j])
			var c uint64
			lo, c = bits.Add64(lo, z[i+j], 0)
			hi += c
			lo, c = bits.Add64(lo, carry, 0)
			hi += c
			z[i+j] = lo
			carry = hi
		}
	}
	return z
}

// divWord is x/m and x mod m for m > 0.
func divWord(x *u256, m uint64) (u256, uint64) {
	var q u256
	var r uint64
	for i := 3; i >= 0; i-- {
		q[i], r = bits.Div64(r, x[i], m)
	}
	return q, r
}

func bitLen256(x *u256) int {
	for i := 3; i >= 0; i-- {
		if x[i] != 0 {
			return 64*i + bits.Len64(x[i])
		}
	}
	return 0
}

// digits256 is the number of decimal digits of x (0 for 0).
func digits256(x *u256) int {
	b := bitLen256(x)
	if b == 0 {
		return 0
	}
	d := int(float64(b-1)*log10of2) + 1 // 10^(d-1) ≤ x
	for d < len(pow10w) && cmp256(x, &pow10w[d]) >= 0 {
		d++
	}
	for d > 1 && cmp256(x, &pow10w[d-1]) < 0 {
		d--
	}
	return d
}

// set256 makes a dec of magnitude x (which fits in 128 bits), sign neg
// and exponent exp.
func set256(x *u256, neg bool, exp int) dec {
	return dec{lo: x[0], hi: x[1], exp: exp, neg: neg && x[0]|x[1] != 0}
}

// round256 is the dec of x·10^exp (sign neg) rounded to decPrec digits,
// half to even, like dec.round.
func round256(x u256, neg bool, exp int, sticky bool) dec {
	n := digits256(&x)
	if n > decPrec {
		k := n - decPrec
		low := false
		for m := k - 1; m > 0; {
			s := min(m, 19)
			var r uint64
			x, r = divWord(&x, pow10w[s][0])
			low = low || r != 0
			m -= s
		}
		var dig uint64
		x, dig = divWord(&x, 10)
		if dig > 5 || (dig == 5 && (low || sticky || x[0]&1 == 1)) {
			one := u256{1}
			x = add256(&x, &one)
		}
		exp += k
	}
	return set256(&x, neg, exp)
}

// align256 puts a and b (magnitudes x, y) on their common exponent;
// false if the scale factor would not keep them within 256 bits.
func align256(x, y *u256, ea, eb int) (u256, u256, int, bool) {
	switch {
	case ea == eb:
		return *x, *y, ea, true
	case ea > eb:
		if ea-eb > 38 {
			return *x, *y, 0, false
		}
		return mul256(x, &pow10w[ea-eb]), *y, eb, true
	}
	if eb-ea > 38 {
		return *x, *y, 0, false
	}
	return *x, mul256(y, &pow10w[eb-ea]), ea, true
}

// addFast is a + (−1)^negB·b rounded, on the fixed-width path.
func addFast(a, b dec, negB bool) (dec, bool) {
	x, ok1 := mag128(a)
	y, ok2 := mag128(b)
	if !ok1 || !ok2 {
		return dec{}, false
	}
	x, y, e, ok := align256(&x, &y, a.exp, b.exp)
	if !ok {
		return dec{}, false
	}
	na := a.neg
	nb := (b.neg) != negB
	if na == nb {
		return round256(add256(&x, &y), na, e, false), true
	}
	if cmp256(&x, &y) >= 0 {
		return round256(sub256(&x, &y), na, e, false), true
	}
	return round256(sub256(&y, &x), nb, e, false), true
}

func mulFast(a, b dec) (dec, bool) {
	x, ok1 := mag128(a)
	y, ok2 := mag128(b)
	if !ok1 || !ok2 {
		return dec{}, false
	}
	neg := (a.neg) != (b.neg)
	return round256(mul256(&x, &y), neg, a.exp+b.exp, false), true
}

// divFast is a/b rounded (a, b nonzero), on the fixed-width path.
func divFast(a, b dec) (dec, bool) {
	x, ok1 := mag128(a)
	y, ok2 := mag128(b)
	if !ok1 || !ok2 {
		return dec{}, false
	}
	da := digits256(&x)
	shift := max(decPrec+1+digits256(&y)-da, 0)
	if da+shift > 77 {
		return dec{}, false
	}
	n := mul256(&x, &pow10w[shift]) // < 10^77 < 2^256
	neg := (a.neg) != (b.neg)
	q, sticky := div256(&n, &y)
	return round256(q, neg, a.exp-b.exp-shift, sticky), true
}

// div256 is n/v for v below 2^128, not zero, and whether the remainder
// is nonzero.
func div256(n, v *u256) (u256, bool) {
	if v[1] == 0 {
		q, r := divWord(n, v[0])
		return q, r != 0
	}
	return divTwo(n, v[1], v[0])
}

// divTwo is n / (v1·2^64 + v0) for v1 ≠ 0, and whether the remainder
// is nonzero: long division by 64-bit digits (Knuth's algorithm D).
func divTwo(n *u256, v1, v0 uint64) (u256, bool) {
	s := uint(bits.LeadingZeros64(v1))
	// Normalize: divisor's top bit set, numerator in five words.
	if s > 0 {
		v1, v0 = v1<<s|v0>>(64-s), v0<<s
	}
	var u [5]uint64
	u[4] = 0
	if s > 0 {
		u[4] = n[3] >> (64 - s)
		for i := 3; i > 0; i-- {
			u[i] = n[i]<<s | n[i-1]>>(64-s)
		}
		u[0] = n[0] << s
	} else {
		copy(u[:4], n[:])
	}
	var q [5]uint64
	var r1, r0 uint64 // running remainder, below v
	for i := 4; i >= 0; i-- {
		u2, u1, u0 := r1, r0, u[i]
		// Estimate the digit from the top two words, at most 2 too big.
		var qh uint64
		if u2 >= v1 {
			qh = ^uint64(0)
		} else {
			qh, _ = bits.Div64(u2, u1, v1)
		}
		// p = qh·v (three words)
		ph, pl := bits.Mul64(qh, v0)
		mh, ml := bits.Mul64(qh, v1)
		p0 := pl
		p1, c := bits.Add64(ph, ml, 0)
		p2 := mh + c
		for p2 > u2 || (p2 == u2 && (p1 > u1 || (p1 == u1 && p0 > u0))) {
			qh--
			var b uint64
			p0, b = bits.Sub64(p0, v0, 0)
			p1, b = bits.Sub64(p1, v1, b)
			p2 -= b
		}
		var b uint64
		u0, b = bits.Sub64(u0, p0, 0)
		u1, _ = bits.Sub64(u1, p1, b)
		r1, r0 = u1, u0
		q[i] = qh
	}
	return u256{q[0], q[1], q[2], q[3]}, r1|r0 != 0
}

// cmpFast compares a and b of the same nonzero sign on the fixed-width
// path.
func cmpFast(a, b dec) (int, bool) {
	x, ok1 := mag128(a)
	y, ok2 := mag128(b)
	if !ok1 || !ok2 {
		return 0, false
	}
	x, y, _, ok := align256(&x, &y, a.exp, b.exp)
	if !ok {
		return 0, false
	}
	c := cmp256(&x, &y)
	if a.neg {
		c = -c
	}
	return c, true
}

// floatFast is the float64 nearest to d (correctly rounded) when its
// coefficient fits in 128 bits and 1 ≤ −exp ≤ 38, on words: the quotient
// coef·2^s / 10^−exp with at least 64 bits, then rounded half to even
// with the remainder as sticky bit.
func floatFast(d dec) (float64, bool) {
	x, ok := mag128(d)
	k := -d.exp
	if !ok || k < 1 || k > 38 || (x[0] == 0 && x[1] == 0) {
		return 0, false
	}
	p := &pow10w[k]
	s := max(bitLen256(p)-bitLen256(&x)+65, 0)
	n := shl256(&x, uint(s)) // below 2^193
	q, sticky := div256(&n, p)
	// q has at least 65 bits; keep the top 53 and round.
	drop := uint(bitLen256(&q) - 53)
	mant := shr256(&q, drop)[0]
	g := drop - 1 // the first dropped bit
	guard := q[g/64]>>(g%64)&1 == 1
	below := sticky || !isZero(shl256(&q, 256-g)) // bits under the guard
	if guard && (below || mant&1 == 1) {
		mant++
	}
	f := math.Ldexp(float64(mant), int(drop)-s)
	if d.neg {
		f = -f
	}
	return f, true
}

// shl256 is x·2^s modulo 2^256, for s < 256.
func shl256(x *u256, s uint) u256 {
	var p u256
	p[s/64] = 1 << (s % 64)
	return mul256(x, &p)
}

// shr256 is x / 2^s.
func shr256(x *u256, s uint) u256 {
	var z u256
	w, b := int(s/64), s%64
	for i := 0; i+w < 4; i++ {
		z[i] = x[i+w] >> b
		if b > 0 && i+w+1 < 4 {
			z[i] |= x[i+w+1] << (64 - b)
		}
	}
	return z
}

func isZero(x u256) bool { return x[0]|x[1]|x[2]|x[3] == 0 }
