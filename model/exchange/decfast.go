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
// It is a struct, not an array, so that the compiler can keep it in
// registers.
type u256 struct{ w0, w1, w2, w3 uint64 }

// pow10w[k] is 10^k for 10^k < 2^256 (k ≤ 77).
var pow10w = func() (p [78]u256) {
	for k := range p {
		p[k] = fromBig(pow10[k])
	}
	return p
}()

// recip10[k] is ⌊2^256 / 10^k⌋ and half10[k] is 10^k / 2, for
// 1 ≤ k ≤ 77: divPow10 divides by 10^k with them.
var recip10, half10 = func() ([]u256, []u256) {
	r, h := make([]u256, 78), make([]u256, 78)
	two256 := new(big.Int).Lsh(big.NewInt(1), 256)
	for k := 1; k < 78; k++ {
		r[k] = fromBig(new(big.Int).Quo(two256, pow10[k]))
		h[k] = fromBig(new(big.Int).Rsh(pow10[k], 1))
	}
	return r, h
}()

// digitsAt[b] is the number of decimal digits of 2^(b−1), the least
// number of b bits, and digitsUp[b] the power of ten at which a number of
// b bits has one digit more (a number of b bits has one or the other).
var digitsAt, digitsUp = func() (d [257]int, up [257]u256) {
	up[0] = u256{^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0)} // 0 has no digits
	for b := 1; b <= 256; b++ {
		d[b] = len(new(big.Int).Lsh(big.NewInt(1), uint(b-1)).String())
		up[b] = up[0]
		if d[b] < len(pow10w) {
			up[b] = pow10w[d[b]]
		}
	}
	return d, up
}()

func fromBig(x *big.Int) u256 {
	var w [4]uint64
	for i, v := range x.Bits() {
		w[i] = uint64(v)
	}
	return u256{w[0], w[1], w[2], w[3]}
}

// mag128 is |d|'s coefficient as a u256 when it fits in 128 bits.
func mag128(d dec) (u256, bool) {
	return u256{w0: d.lo, w1: d.hi}, d.wide == nil
}

func cmp256(x, y u256) int {
	switch {
	case x.w3 != y.w3:
		return cmpWord(x.w3, y.w3)
	case x.w2 != y.w2:
		return cmpWord(x.w2, y.w2)
	case x.w1 != y.w1:
		return cmpWord(x.w1, y.w1)
	}
	return cmpWord(x.w0, y.w0)
}

func cmpWord(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// add256 is x + y modulo 2^256. It and sub256 are two kernels written
// out word by word on purpose: a carry chain (bits.Add64) and a borrow
// chain (bits.Sub64), which a shared routine could only join with a
// branch or a two's-complement negation in the hot path of every decimal
// sum.
func add256(x, y u256) u256 {
	var z u256
	var c uint64
	z.w0, c = bits.Add64(x.w0, y.w0, 0)
	z.w1, c = bits.Add64(x.w1, y.w1, c)
	z.w2, c = bits.Add64(x.w2, y.w2, c)
	z.w3, _ = bits.Add64(x.w3, y.w3, c)
	return z
}

// sub256 is x − y modulo 2^256.
func sub256(x, y u256) u256 {
	var z u256
	var b uint64
	z.w0, b = bits.Sub64(x.w0, y.w0, 0)
	z.w1, b = bits.Sub64(x.w1, y.w1, b)
	z.w2, b = bits.Sub64(x.w2, y.w2, b)
	z.w3, _ = bits.Sub64(x.w3, y.w3, b)
	return z
}

// inc256 is x + 1.
func inc256(x u256) u256 { return add256(x, u256{w0: 1}) }

// mac adds a·b to the three-word column accumulator (c0, c1, c2).
func mac(c0, c1, c2, a, b uint64) (uint64, uint64, uint64) {
	hi, lo := bits.Mul64(a, b)
	var c uint64
	c0, c = bits.Add64(c0, lo, 0)
	c1, c = bits.Add64(c1, hi, c)
	return c0, c1, c2 + c
}

// mul128 is the 256-bit product of two magnitudes below 2^128.
func mul128(x0, x1, y0, y1 uint64) u256 {
	h00, l00 := bits.Mul64(x0, y0)
	h01, l01 := bits.Mul64(x0, y1)
	h10, l10 := bits.Mul64(x1, y0)
	h11, l11 := bits.Mul64(x1, y1)
	var c, c2 uint64
	z1, c := bits.Add64(h00, l01, 0)
	z2, c2 := bits.Add64(h01, h10, c)
	z3 := h11 + c2
	z1, c = bits.Add64(z1, l10, 0)
	z2, c2 = bits.Add64(z2, l11, c)
	z3 += c2
	return u256{l00, z1, z2, z3}
}

// mul256 is the low 256 bits of x·y (callers ensure the product fits),
// by columns (Comba): (c0, c1, c2) accumulates a column, and its low
// word is the column's word of the product.
func mul256(x, y u256) u256 {
	if x.w2|x.w3|y.w2|y.w3 == 0 {
		return mul128(x.w0, x.w1, y.w0, y.w1)
	}
	var z u256
	var c0, c1, c2 uint64
	z.w0, c0, c1 = mac(0, 0, 0, x.w0, y.w0)
	c0, c1, c2 = mac(c0, c1, 0, x.w0, y.w1)
	z.w1, c0, c1 = mac(c0, c1, c2, x.w1, y.w0)
	c0, c1, c2 = mac(c0, c1, 0, x.w0, y.w2)
	c0, c1, c2 = mac(c0, c1, c2, x.w1, y.w1)
	z.w2, c0, _ = mac(c0, c1, c2, x.w2, y.w0)
	z.w3 = c0 + x.w0*y.w3 + x.w1*y.w2 + x.w2*y.w1 + x.w3*y.w0
	return z
}

// mulHi256 is ⌊x·y / 2^256⌋, the high half of the 512-bit product, by
// columns as in mul256; columns 0–3 only carry into the high half. The
// products of x's zero top words are left out.
func mulHi256(x, y u256) u256 {
	switch {
	case x.w2|x.w3 == 0:
		return mulHi2(x.w0, x.w1, y)
	case x.w3 == 0:
		return mulHi3(x.w0, x.w1, x.w2, y)
	}
	var z u256
	var c0, c1, c2 uint64
	_, c0, c1 = mac(0, 0, 0, x.w0, y.w0)
	c0, c1, c2 = mac(c0, c1, 0, x.w0, y.w1)
	_, c0, c1 = mac(c0, c1, c2, x.w1, y.w0)
	c0, c1, c2 = mac(c0, c1, 0, x.w0, y.w2)
	c0, c1, c2 = mac(c0, c1, c2, x.w1, y.w1)
	_, c0, c1 = mac(c0, c1, c2, x.w2, y.w0)
	c0, c1, c2 = mac(c0, c1, 0, x.w0, y.w3)
	c0, c1, c2 = mac(c0, c1, c2, x.w1, y.w2)
	c0, c1, c2 = mac(c0, c1, c2, x.w2, y.w1)
	_, c0, c1 = mac(c0, c1, c2, x.w3, y.w0)
	c0, c1, c2 = mac(c0, c1, 0, x.w1, y.w3)
	c0, c1, c2 = mac(c0, c1, c2, x.w2, y.w2)
	z.w0, c0, c1 = mac(c0, c1, c2, x.w3, y.w1)
	c0, c1, c2 = mac(c0, c1, 0, x.w2, y.w3)
	z.w1, c0, c1 = mac(c0, c1, c2, x.w3, y.w2)
	z.w2, z.w3, _ = mac(c0, c1, 0, x.w3, y.w3)
	return z
}

// mulHi2 is mulHi256 for x = x1·2^64 + x0.
func mulHi2(x0, x1 uint64, y u256) u256 {
	var z u256
	var c0, c1, c2 uint64
	_, c0, c1 = mac(0, 0, 0, x0, y.w0)
	c0, c1, c2 = mac(c0, c1, 0, x0, y.w1)
	_, c0, c1 = mac(c0, c1, c2, x1, y.w0)
	c0, c1, c2 = mac(c0, c1, 0, x0, y.w2)
	_, c0, c1 = mac(c0, c1, c2, x1, y.w1)
	c0, c1, c2 = mac(c0, c1, 0, x0, y.w3)
	_, c0, c1 = mac(c0, c1, c2, x1, y.w2)
	z.w0, z.w1, _ = mac(c0, c1, 0, x1, y.w3)
	return z
}

// mulHi3 is mulHi256 for x = x2·2^128 + x1·2^64 + x0.
func mulHi3(x0, x1, x2 uint64, y u256) u256 {
	var z u256
	var c0, c1, c2 uint64
	_, c0, c1 = mac(0, 0, 0, x0, y.w0)
	c0, c1, c2 = mac(c0, c1, 0, x0, y.w1)
	_, c0, c1 = mac(c0, c1, c2, x1, y.w0)
	c0, c1, c2 = mac(c0, c1, 0, x0, y.w2)
	c0, c1, c2 = mac(c0, c1, c2, x1, y.w1)
	_, c0, c1 = mac(c0, c1, c2, x2, y.w0)
	c0, c1, c2 = mac(c0, c1, 0, x0, y.w3)
	c0, c1, c2 = mac(c0, c1, c2, x1, y.w2)
	_, c0, c1 = mac(c0, c1, c2, x2, y.w1)
	c0, c1, c2 = mac(c0, c1, 0, x1, y.w3)
	z.w0, c0, c1 = mac(c0, c1, c2, x2, y.w2)
	z.w1, z.w2, _ = mac(c0, c1, 0, x2, y.w3)
	return z
}

// divPow10 is x / 10^k and x mod 10^k for 1 ≤ k ≤ 77: the quotient by
// the reciprocal ⌊2^256/10^k⌋ is exact or one too small (for x < 2^256,
// x·(2^256/10^k − 1)/2^256 > x/10^k − 1), so one correction settles it.
func divPow10(x u256, k int) (q, r u256) {
	q = mulHi256(x, recip10[k])
	r = sub256(x, mul256(q, pow10w[k]))
	if cmp256(r, pow10w[k]) >= 0 {
		r = sub256(r, pow10w[k])
		q = inc256(q)
	}
	return q, r
}

// divWord is x/m and x mod m for m > 0.
func divWord(x u256, m uint64) (u256, uint64) {
	var q u256
	var r uint64
	if x.w3 != 0 {
		q.w3, r = bits.Div64(0, x.w3, m)
	}
	if x.w2|r != 0 {
		q.w2, r = bits.Div64(r, x.w2, m)
	}
	if x.w1|r != 0 {
		q.w1, r = bits.Div64(r, x.w1, m)
	}
	q.w0, r = bits.Div64(r, x.w0, m)
	return q, r
}

func bitLen256(x u256) int {
	switch {
	case x.w3 != 0:
		return 192 + bits.Len64(x.w3)
	case x.w2 != 0:
		return 128 + bits.Len64(x.w2)
	case x.w1 != 0:
		return 64 + bits.Len64(x.w1)
	}
	return bits.Len64(x.w0)
}

// digits256 is the number of decimal digits of x (0 for 0).
func digits256(x u256) int {
	b := bitLen256(x)
	if cmp256(x, digitsUp[b]) >= 0 { // 10^(d−1) ≤ 2^(b−1) ≤ x < 2^b ≤ 10^(d+1)
		return digitsAt[b] + 1
	}
	return digitsAt[b]
}

// set256 makes a dec of magnitude x (which fits in 128 bits), sign neg
// and exponent exp.
func set256(x u256, neg bool, exp int) dec {
	return mkDec(x.w0, x.w1, exp, neg && x.w0|x.w1 != 0)
}

// round256 is the dec of x·10^exp (sign neg) rounded to decPrec digits,
// half to even, like dec.round; sticky says that the exact value lies
// strictly beyond x in magnitude (a division's nonzero remainder).
func round256(x u256, neg bool, exp int, sticky bool) dec {
	n := digits256(x)
	if n > decPrec {
		k := n - decPrec
		q, r := divPow10(x, k)
		if c := cmp256(r, half10[k]); c > 0 || (c == 0 && (sticky || q.w0&1 == 1)) {
			q = inc256(q)
		}
		x = q
		exp += k
	}
	return set256(x, neg, exp)
}

// align256 puts a and b (magnitudes x, y) on their common exponent;
// false if the scale factor would not keep them within 256 bits.
func align256(x, y u256, ea, eb int) (u256, u256, int, bool) {
	switch {
	case ea == eb:
		return x, y, ea, true
	case ea > eb:
		if ea-eb > 38 {
			return x, y, 0, false
		}
		return mul256(x, pow10w[ea-eb]), y, eb, true
	}
	if eb-ea > 38 {
		return x, y, 0, false
	}
	return x, mul256(y, pow10w[eb-ea]), ea, true
}

// addFast is a + (−1)^negB·b rounded, on the fixed-width path.
func addFast(a, b dec, negB bool) (dec, bool) {
	x, ok1 := mag128(a)
	y, ok2 := mag128(b)
	if !ok1 || !ok2 {
		return dec{}, false
	}
	x, y, e, ok := align256(x, y, a.exp(), b.exp())
	if !ok {
		return dec{}, false
	}
	na := a.neg
	nb := (b.neg) != negB
	if na == nb {
		return round256(add256(x, y), na, e, false), true
	}
	if cmp256(x, y) >= 0 {
		return round256(sub256(x, y), na, e, false), true
	}
	return round256(sub256(y, x), nb, e, false), true
}

func mulFast(a, b dec) (dec, bool) {
	if a.wide != nil || b.wide != nil {
		return dec{}, false
	}
	neg := (a.neg) != (b.neg)
	return round256(mul128(a.lo, a.hi, b.lo, b.hi), neg, a.exp()+b.exp(), false), true
}

// divFast is a/b rounded (a, b nonzero), on the fixed-width path.
func divFast(a, b dec) (dec, bool) {
	x, ok1 := mag128(a)
	y, ok2 := mag128(b)
	if !ok1 || !ok2 {
		return dec{}, false
	}
	da := digits256(x)
	shift := max(decPrec+1+digits256(y)-da, 0)
	if da+shift > 77 {
		return dec{}, false
	}
	n := mul256(x, pow10w[shift]) // < 10^77 < 2^256
	neg := (a.neg) != (b.neg)
	q, sticky := div256(n, y)
	return round256(q, neg, a.exp()-b.exp()-shift, sticky), true
}

// div256 is n/v for v below 2^128, not zero, and whether the remainder
// is nonzero.
func div256(n, v u256) (u256, bool) {
	if v.w1 == 0 {
		q, r := divWord(n, v.w0)
		return q, r != 0
	}
	return divTwo(n, v.w1, v.w0)
}

// divTwo is n / (v1·2^64 + v0) for v1 ≠ 0, and whether the remainder
// is nonzero: long division by 64-bit digits (Knuth's algorithm D),
// from the numerator's top nonzero word.
func divTwo(n u256, v1, v0 uint64) (u256, bool) {
	s := uint(bits.LeadingZeros64(v1))
	// Normalize: divisor's top bit set, numerator in five words.
	var u [5]uint64
	if s > 0 {
		v1, v0 = v1<<s|v0>>(64-s), v0<<s
		u = [5]uint64{n.w0 << s, n.w1<<s | n.w0>>(64-s), n.w2<<s | n.w1>>(64-s), n.w3<<s | n.w2>>(64-s), n.w3 >> (64 - s)}
	} else {
		u = [5]uint64{n.w0, n.w1, n.w2, n.w3, 0}
	}
	top := 4
	for top > 0 && u[top] == 0 {
		top--
	}
	// The running remainder is below v; the top word alone is (v has its
	// top bit set in the upper word), so its quotient digit is 0.
	var q [5]uint64
	r1, r0 := uint64(0), u[top]
	for i := top - 1; i >= 0; i-- {
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
	x, y, _, ok := align256(x, y, a.exp(), b.exp())
	if !ok {
		return 0, false
	}
	c := cmp256(x, y)
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
	k := -d.exp()
	if !ok || k < 1 || k > 38 || (x.w0 == 0 && x.w1 == 0) {
		return 0, false
	}
	p := pow10w[k]
	s := max(bitLen256(p)-bitLen256(x)+65, 0)
	n := shl256(x, uint(s)) // below 2^193
	q, sticky := div256(n, p)
	// q has at least 65 bits; keep the top 53 and round.
	drop := uint(bitLen256(q) - 53)
	mant := shr256(q, drop).w0
	g := drop - 1 // the first dropped bit
	guard := shr256(q, g).w0&1 == 1
	below := sticky || !isZero(shl256(q, 256-g)) // bits under the guard
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
func shl256(x u256, s uint) u256 {
	w := [4]uint64{x.w0, x.w1, x.w2, x.w3}
	var z [4]uint64
	n, b := int(s/64), s%64
	for i := 3; i >= n; i-- {
		z[i] = w[i-n] << b
		if b > 0 && i-n-1 >= 0 {
			z[i] |= w[i-n-1] >> (64 - b)
		}
	}
	return u256{z[0], z[1], z[2], z[3]}
}

// shr256 is x / 2^s, for s < 256.
func shr256(x u256, s uint) u256 {
	w := [4]uint64{x.w0, x.w1, x.w2, x.w3}
	var z [4]uint64
	n, b := int(s/64), s%64
	for i := 0; i+n < 4; i++ {
		z[i] = w[i+n] >> b
		if b > 0 && i+n+1 < 4 {
			z[i] |= w[i+n+1] << (64 - b)
		}
	}
	return u256{z[0], z[1], z[2], z[3]}
}

func isZero(x u256) bool { return x.w0|x.w1|x.w2|x.w3 == 0 }
