package exchange

import (
	"math"
	"math/big"
	"math/bits"
	"strconv"
	"sync"
)

// dec is a decimal number coef·10^exp that rounds like Python's decimal
// module in its default context (28 significant digits, ROUND_HALF_EVEN),
// which is what Decide computes in. Each operation gives the exact result
// rounded once to 28 significant digits, as CPython's decimal does for
// +, −, × and ÷. The engine uses it only to settle near-ties of float64
// gains (see docs/models/exchange.md, "Ties").
//
// A dec is a value: the magnitude of the coefficient in two words while
// it is below 2^128 (every rounded 28-digit result is), with its sign;
// only wider coefficients (exact values of floats such as Decimal(0.1))
// are held in a big.Int (wide), which is never modified once made. So
// the common operations allocate nothing and the collector has nothing
// to scan. The form is canonical: wide is nil exactly when the
// coefficient fits in 128 bits, and zero is never negative.
type dec struct {
	lo, hi uint64 // |coef| when wide is nil
	expSign
	wide *big.Int // the signed coefficient when |coef| ≥ 2^128
}

// expSign is a dec's exponent and sign. With them in one field a dec
// has four fields of 32 bytes, which the compiler keeps in registers.
type expSign struct {
	e   int32
	neg bool // when wide is nil
}

func (s expSign) exp() int { return int(s.e) }

// mkDec is the dec of (−1)^neg·(hi·2^64 + lo)·10^exp.
func mkDec(lo, hi uint64, exp int, neg bool) dec {
	return dec{lo: lo, hi: hi, expSign: expSign{e: int32(exp), neg: neg}}
}

// decScratch holds an operation's temporaries; they keep their storage
// from one use to the next.
type decScratch struct {
	q, r, t, a, b, c big.Int
	f                big.Float
}

var scratchPool = sync.Pool{New: func() any { return new(decScratch) }}

// bigCoef is d's signed coefficient (not to be modified); z holds it,
// in z's own storage, unless d is wide.
func (d dec) bigCoef(z *big.Int) *big.Int {
	if d.wide != nil {
		return d.wide
	}
	w := z.Bits()[:0]
	if bits.UintSize == 64 {
		w = append(w, big.Word(d.lo), big.Word(d.hi))
	} else {
		w = append(w, big.Word(d.lo), big.Word(d.lo>>32), big.Word(d.hi), big.Word(d.hi>>32))
	}
	z.SetBits(w)
	if d.neg {
		z.Neg(z)
	}
	return z
}

// decBig is the dec of c·10^exp (c is copied if it must be kept).
func decBig(c *big.Int, exp int) dec {
	if c.BitLen() > 128 {
		return dec{expSign: expSign{e: int32(exp)}, wide: new(big.Int).Set(c)}
	}
	var lo, hi uint64
	for i, w := range c.Bits() {
		if bits.UintSize == 64 {
			if i == 0 {
				lo = uint64(w)
			} else {
				hi = uint64(w)
			}
			continue
		}
		v := uint64(w) << (32 * uint(i%2))
		if i < 2 {
			lo |= v
		} else {
			hi |= v
		}
	}
	return mkDec(lo, hi, exp, c.Sign() < 0)
}

const decPrec = 28

const log10of2 = 0.30102999566398119521 // log₁₀ 2

var bigOne = big.NewInt(1)

// pow10[k] is 10^k.
var pow10 = func() []*big.Int {
	p := make([]*big.Int, 160)
	p[0] = big.NewInt(1)
	ten := big.NewInt(10)
	for k := 1; k < len(p); k++ {
		p[k] = new(big.Int).Mul(p[k-1], ten)
	}
	return p
}()

func tenTo(n int) *big.Int {
	if n < len(pow10) {
		return pow10[n]
	}
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
}

// digits is the number of decimal digits of |x| (0 for 0).
func digits(x *big.Int) int {
	b := x.BitLen()
	if b == 0 {
		return 0
	}
	d := int(float64(b-1)*log10of2) + 1 // 10^(d-1) ≤ 2^(b-1) ≤ |x|
	for d < 1 || x.CmpAbs(tenTo(d)) >= 0 {
		d++
	}
	for d > 1 && x.CmpAbs(tenTo(d-1)) < 0 {
		d--
	}
	return d
}

// roundBig is c·10^exp rounded to decPrec significant digits, half to
// even (c is modified); sticky says that the exact value lies strictly
// beyond |c| in magnitude (a division's nonzero remainder).
func roundBig(c *big.Int, exp int, sticky bool) dec {
	n := digits(c)
	if n <= decPrec {
		return decBig(c, exp)
	}
	k := n - decPrec
	sc := scratchPool.Get().(*decScratch)
	defer scratchPool.Put(sc)
	neg := c.Sign() < 0
	// Divide by 10^(k−1) in steps of at most 10^19 (one word, short
	// division), noting any nonzero remainder, then by 10: the last
	// remainder is the first dropped digit.
	q, t, r := c, &sc.q, &sc.r
	q.Abs(q)
	low := false
	for m := k - 1; m > 0; {
		s := min(m, 19)
		t.QuoRem(q, pow10[s], r)
		q.Set(t)
		low = low || r.Sign() != 0
		m -= s
	}
	t.QuoRem(q, pow10[1], r)
	q.Set(t)
	dig := r.Uint64()
	if dig > 5 || (dig == 5 && (low || sticky || q.Bit(0) == 1)) {
		q.Add(q, bigOne)
	}
	if neg {
		q.Neg(q)
	}
	return decBig(q, exp+k)
}

// decOf is the exact value of a float64 (Python's Decimal(float)).
func decOf(f float64) dec {
	if f == 0 {
		return dec{}
	}
	frac, e := math.Frexp(f)
	m := int64(frac * (1 << 53))
	e -= 53
	c := big.NewInt(m)
	if e >= 0 {
		return decBig(c.Lsh(c, uint(e)), 0)
	}
	// m·2^e = m·5^(−e)·10^e
	c.Mul(c, new(big.Int).Exp(big.NewInt(5), big.NewInt(int64(-e)), nil))
	return decBig(c, e)
}

// decParse reads a decimal literal exactly (Python's Decimal(str)).
func decParse(s string) (dec, bool) {
	mant, exp := s, 0
	for k := 0; k < len(s); k++ {
		if s[k] == 'e' || s[k] == 'E' {
			v, err := strconv.Atoi(s[k+1:])
			if err != nil {
				return dec{}, false
			}
			mant, exp = s[:k], v
			break
		}
	}
	digs := make([]byte, 0, len(mant))
	for k := 0; k < len(mant); k++ {
		switch c := mant[k]; {
		case c == '.':
			exp -= len(mant) - k - 1
		case c == '-' && k == 0, c == '+' && k == 0, c >= '0' && c <= '9':
			digs = append(digs, c)
		default:
			return dec{}, false
		}
	}
	var c big.Int
	if _, ok := c.SetString(string(digs), 10); !ok {
		return dec{}, false
	}
	return decBig(&c, exp), true
}

// decFloat is the decimal Decide holds for a number Parley read as v:
// the shortest literal that reads back as v, as the input file wrote it.
func decFloat(v float64) dec {
	d, ok := decParse(strconv.FormatFloat(v, 'g', -1, 64))
	if !ok {
		return decOf(v)
	}
	return d
}

func decInt(v int64) dec {
	return decBig(big.NewInt(v), 0)
}

// align returns the coefficients of a and b on their common (lower)
// exponent, in the scratch sc.
func align(a, b dec, sc *decScratch) (x, y *big.Int, exp int) {
	x, y = a.bigCoef(&sc.a), b.bigCoef(&sc.b)
	switch {
	case a.exp() == b.exp():
		return x, y, a.exp()
	case a.exp() > b.exp():
		return sc.t.Mul(x, tenTo(a.exp()-b.exp())), y, b.exp()
	}
	return x, sc.t.Mul(y, tenTo(b.exp()-a.exp())), a.exp()
}

func decAdd(a, b dec) dec {
	if d, ok := addFast(a, b, false); ok {
		return d
	}
	return sumBig(a, b, false)
}

func decSub(a, b dec) dec {
	if d, ok := addFast(a, b, true); ok {
		return d
	}
	return sumBig(a, b, true)
}

func decAddBig(a, b dec) dec { return sumBig(a, b, false) }
func decSubBig(a, b dec) dec { return sumBig(a, b, true) }

// sumBig is a + b, or a − b if negB, on math/big.
func sumBig(a, b dec, negB bool) dec {
	sc := scratchPool.Get().(*decScratch)
	x, y, e := align(a, b, sc)
	var s *big.Int
	if negB {
		s = sc.c.Sub(x, y)
	} else {
		s = sc.c.Add(x, y)
	}
	d := roundBig(s, e, false)
	scratchPool.Put(sc)
	return d
}

func decMul(a, b dec) dec {
	if d, ok := mulFast(a, b); ok {
		return d
	}
	return decMulBig(a, b)
}

func decMulBig(a, b dec) dec {
	sc := scratchPool.Get().(*decScratch)
	d := roundBig(sc.c.Mul(a.bigCoef(&sc.a), b.bigCoef(&sc.b)), a.exp()+b.exp(), false)
	scratchPool.Put(sc)
	return d
}

// decDiv is a/b rounded; b must not be zero.
func decDiv(a, b dec) dec {
	if a.sign() == 0 {
		return dec{expSign: expSign{e: a.e - b.e}}
	}
	if d, ok := divFast(a, b); ok {
		return d
	}
	return decDivBig(a, b)
}

func decDivBig(a, b dec) dec {
	if a.sign() == 0 {
		return dec{expSign: expSign{e: a.e - b.e}}
	}
	sc := scratchPool.Get().(*decScratch)
	defer scratchPool.Put(sc)
	ac, bc := a.bigCoef(&sc.a), b.bigCoef(&sc.b)
	// Scale a so that the quotient has at least decPrec+1 digits.
	shift := decPrec + 1 + digits(bc) - digits(ac)
	if shift < 0 {
		shift = 0
	}
	n := sc.t.Mul(ac, tenTo(shift))
	sc.c.QuoRem(n, bc, &sc.r)
	return roundBig(&sc.c, a.exp()-b.exp()-shift, sc.r.Sign() != 0)
}

// decAbs is |a|.
func decAbs(a dec) dec {
	if a.sign() >= 0 {
		return a
	}
	return decNeg(a)
}

func decNeg(a dec) dec {
	if a.wide != nil {
		return dec{expSign: expSign{e: a.e}, wide: new(big.Int).Neg(a.wide)}
	}
	a.neg = !a.neg && a.lo|a.hi != 0
	return a
}

// decCmp compares a and b exactly: −1, 0 or +1.
func decCmp(a, b dec) int {
	sa, sb := a.sign(), b.sign()
	if sa != sb {
		return sa - sb
	}
	if c, ok := cmpFast(a, b); ok {
		return c
	}
	sc := scratchPool.Get().(*decScratch)
	x, y, _ := align(a, b, sc)
	c := x.Cmp(y)
	scratchPool.Put(sc)
	return c
}

func (d dec) sign() int {
	switch {
	case d.wide != nil:
		return d.wide.Sign()
	case d.lo|d.hi == 0:
		return 0
	case d.neg:
		return -1
	}
	return 1
}

// near is a float64 within a few ulps of d (relative error below 1e-15),
// cheaper than float: for tests whose outcome only the sign of a
// difference well above that error decides.
func (d dec) near() float64 {
	if d.wide == nil && d.exp() >= -44 && d.exp() <= 22 {
		c := float64(d.hi)*(1<<64) + float64(d.lo)
		if d.neg {
			c = -c
		}
		switch {
		case d.exp() < -22:
			return c / 1e22 / float64pow10[-d.exp()-22]
		case d.exp() < 0:
			return c / float64pow10[-d.exp()]
		}
		return c * float64pow10[d.exp()]
	}
	return d.float()
}

// float is the nearest float64.
func (d dec) float() float64 {
	// Exact for coefficients below 2^53 and |exp| ≤ 22 (both exact in
	// float64, one rounding); otherwise on words or through math/big.
	if d.wide == nil && d.hi == 0 && d.lo < 1<<53 {
		c := float64(d.lo)
		if d.neg {
			c = -c
		}
		switch {
		case d.exp() == 0:
			return c
		case d.exp() > 0 && d.exp() <= 22:
			return c * float64pow10[d.exp()]
		case d.exp() < 0 && d.exp() >= -22:
			return c / float64pow10[-d.exp()]
		}
	}
	if f, ok := floatFast(d); ok {
		return f
	}
	return d.toFloatBig()
}

func (d dec) toFloatBig() float64 {
	if d.exp() < 0 && -d.exp() < len(bigFloatPow10) {
		// coef / 10^−exp in 128-bit binary, then to float64: the second
		// rounding can differ from the nearest float64 only in a tie at
		// the 54th bit, which the float64 pass tolerates (decimals decide
		// wherever float64 is within noise).
		sc := scratchPool.Get().(*decScratch)
		f := &sc.f
		f.SetPrec(128).SetInt(d.bigCoef(&sc.a))
		f.Quo(f, bigFloatPow10[-d.exp()])
		v, _ := f.Float64()
		scratchPool.Put(sc)
		return v
	}
	f, _ := strconv.ParseFloat(d.String(), 64)
	return f
}

// bigFloatPow10[k] is 10^k, exact at 128 bits (5^k < 2^128 for k ≤ 55).
var bigFloatPow10 = func() []*big.Float {
	p := make([]*big.Float, 56)
	for k := range p {
		p[k] = new(big.Float).SetPrec(128).SetInt(pow10[k])
	}
	return p
}()

var float64pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// String writes d as coefE exp.
func (d dec) String() string {
	var c big.Int
	return d.bigCoef(&c).String() + "e" + strconv.Itoa(d.exp())
}
