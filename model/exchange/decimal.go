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
// A dec holds its coefficient in its own words (buf) as long as it fits,
// so that an operation allocates the result and nothing else; the
// temporaries come from a pool (decScratch). A dec is used by pointer
// and never copied.
type dec struct {
	coef big.Int
	exp  int
	buf  [4]big.Word // backing of coef while it fits (4 words: 2 × 28 digits)
	// f is the nearest float64, kept once asked for (fok).
	f   float64
	fok bool
}

// newDec is a zero dec of exponent exp whose coefficient uses d.buf.
func newDec(exp int) *dec {
	d := &dec{exp: exp}
	d.coef.SetBits(d.buf[:0])
	return d
}

// decScratch holds an operation's temporaries; they keep their storage
// from one use to the next.
type decScratch struct {
	q, r, t big.Int
	f       big.Float
}

var scratchPool = sync.Pool{New: func() any { return new(decScratch) }}

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

// round rounds d to decPrec significant digits, half to even; sticky
// says that the exact value lies strictly beyond |coef| in magnitude
// (a division's nonzero remainder).
func (d *dec) round(sticky bool) *dec {
	n := digits(&d.coef)
	if n <= decPrec {
		return d
	}
	k := n - decPrec
	sc := scratchPool.Get().(*decScratch)
	defer scratchPool.Put(sc)
	neg := d.coef.Sign() < 0
	// Divide by 10^(k−1) in steps of at most 10^19 (one word, short
	// division), noting any nonzero remainder, then by 10: the last
	// remainder is the first dropped digit.
	q, t, r := &d.coef, &sc.q, &sc.r
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
		d.coef.Neg(&d.coef)
	}
	d.exp += k
	return d
}

// decOf is the exact value of a float64 (Python's Decimal(float)).
func decOf(f float64) *dec {
	d := new(dec)
	if f == 0 {
		return d
	}
	frac, e := math.Frexp(f)
	m := int64(frac * (1 << 53))
	e -= 53
	d.coef.SetInt64(m)
	if e >= 0 {
		d.coef.Lsh(&d.coef, uint(e))
		return d
	}
	// m·2^e = m·5^(−e)·10^e
	d.coef.Mul(&d.coef, new(big.Int).Exp(big.NewInt(5), big.NewInt(int64(-e)), nil))
	d.exp = e
	return d
}

// decParse reads a decimal literal exactly (Python's Decimal(str)).
func decParse(s string) (*dec, bool) {
	d := new(dec)
	mant, exp := s, 0
	for k := 0; k < len(s); k++ {
		if s[k] == 'e' || s[k] == 'E' {
			v, err := strconv.Atoi(s[k+1:])
			if err != nil {
				return nil, false
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
			return nil, false
		}
	}
	if _, ok := d.coef.SetString(string(digs), 10); !ok {
		return nil, false
	}
	d.exp = exp
	return d, true
}

// decFloat is the decimal Decide holds for a number Parley read as v:
// the shortest literal that reads back as v, as the input file wrote it.
func decFloat(v float64) *dec {
	d, ok := decParse(strconv.FormatFloat(v, 'g', -1, 64))
	if !ok {
		return decOf(v)
	}
	return d
}

func decInt(v int64) *dec {
	d := new(dec)
	d.coef.SetInt64(v)
	return d
}

// align returns the coefficients of a and b on their common (lower)
// exponent; the scaled one is kept in t.
func align(a, b *dec, t *big.Int) (x, y *big.Int, exp int) {
	switch {
	case a.exp == b.exp:
		return &a.coef, &b.coef, a.exp
	case a.exp > b.exp:
		return t.Mul(&a.coef, tenTo(a.exp-b.exp)), &b.coef, b.exp
	}
	return &a.coef, t.Mul(&b.coef, tenTo(b.exp-a.exp)), a.exp
}

func decAdd(a, b *dec) *dec {
	sc := scratchPool.Get().(*decScratch)
	x, y, e := align(a, b, &sc.t)
	d := newDec(e)
	d.coef.Add(x, y)
	scratchPool.Put(sc)
	return d.round(false)
}

func decSub(a, b *dec) *dec {
	sc := scratchPool.Get().(*decScratch)
	x, y, e := align(a, b, &sc.t)
	d := newDec(e)
	d.coef.Sub(x, y)
	scratchPool.Put(sc)
	return d.round(false)
}

func decMul(a, b *dec) *dec {
	d := newDec(a.exp + b.exp)
	d.coef.Mul(&a.coef, &b.coef)
	return d.round(false)
}

// decDiv is a/b rounded; b must not be zero.
func decDiv(a, b *dec) *dec {
	d := newDec(a.exp - b.exp)
	if a.coef.Sign() == 0 {
		return d
	}
	// Scale a so that the quotient has at least decPrec+1 digits.
	shift := decPrec + 1 + digits(&b.coef) - digits(&a.coef)
	if shift < 0 {
		shift = 0
	}
	sc := scratchPool.Get().(*decScratch)
	n := sc.t.Mul(&a.coef, tenTo(shift))
	d.coef.QuoRem(n, &b.coef, &sc.r)
	sticky := sc.r.Sign() != 0
	scratchPool.Put(sc)
	d.exp -= shift
	return d.round(sticky)
}

// decAbs is |a|: a itself if a is not negative.
func decAbs(a *dec) *dec {
	if a.coef.Sign() >= 0 {
		return a
	}
	return decNeg(a)
}

func decNeg(a *dec) *dec {
	d := newDec(a.exp)
	d.coef.Neg(&a.coef)
	return d
}

// decCmp compares a and b exactly: −1, 0 or +1.
func decCmp(a, b *dec) int {
	if a.coef.Sign() != b.coef.Sign() {
		return a.coef.Sign() - b.coef.Sign()
	}
	if a.exp == b.exp {
		return a.coef.Cmp(&b.coef)
	}
	sc := scratchPool.Get().(*decScratch)
	x, y, _ := align(a, b, &sc.t)
	c := x.Cmp(y)
	scratchPool.Put(sc)
	return c
}

func (d *dec) sign() int { return d.coef.Sign() }

// float is the nearest float64, computed once per dec.
func (d *dec) float() float64 {
	if !d.fok {
		d.f, d.fok = d.toFloat(), true
	}
	return d.f
}

// near is a float64 within a few ulps of d (relative error below 1e-15),
// cheaper than float: for tests whose outcome only the sign of a
// difference well above that error decides.
func (d *dec) near() float64 {
	if d.fok {
		return d.f
	}
	w := d.coef.Bits()
	if len(w) <= 2 && d.exp >= -44 && d.exp <= 22 && bits.UintSize == 64 {
		var c float64
		if len(w) == 2 {
			c = float64(w[1])*(1<<64) + float64(w[0])
		} else if len(w) == 1 {
			c = float64(w[0])
		}
		if d.coef.Sign() < 0 {
			c = -c
		}
		switch {
		case d.exp < -22:
			return c / 1e22 / float64pow10[-d.exp-22]
		case d.exp < 0:
			return c / float64pow10[-d.exp]
		}
		return c * float64pow10[d.exp]
	}
	return d.float()
}

func (d *dec) toFloat() float64 {
	// Exact for coefficients below 2^53 and |exp| ≤ 22 (both exact in
	// float64, one rounding); otherwise through the decimal string.
	if d.coef.IsInt64() {
		if c := d.coef.Int64(); c > -1<<53 && c < 1<<53 {
			switch {
			case d.exp == 0:
				return float64(c)
			case d.exp > 0 && d.exp <= 22:
				return float64(c) * float64pow10[d.exp]
			case d.exp < 0 && d.exp >= -22:
				return float64(c) / float64pow10[-d.exp]
			}
		}
	}
	if d.exp < 0 && -d.exp < len(bigFloatPow10) {
		// coef / 10^−exp in 128-bit binary, then to float64: the second
		// rounding can differ from the nearest float64 only in a tie at
		// the 54th bit, which the float64 pass tolerates (decimals decide
		// wherever float64 is within noise).
		sc := scratchPool.Get().(*decScratch)
		f := &sc.f
		f.SetPrec(128).SetInt(&d.coef)
		f.Quo(f, bigFloatPow10[-d.exp])
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
func (d *dec) String() string {
	return d.coef.String() + "e" + strconv.Itoa(d.exp)
}
