package exchange

import (
	"math"
	"math/big"
	"strconv"
)

// dec is a decimal number coef·10^exp that rounds like Python's decimal
// module in its default context (28 significant digits, ROUND_HALF_EVEN),
// which is what Decide computes in. Each operation gives the exact result
// rounded once to 28 significant digits, as CPython's decimal does for
// +, −, × and ÷. The engine uses it only to settle near-ties of float64
// gains (see docs/models/exchange.md, "Ties").
type dec struct {
	coef big.Int
	exp  int
}

const decPrec = 28

var bigOne = big.NewInt(1)

// pow10[k] is 10^k, halfPow10[k] 10^k/2 (k ≥ 1).
var pow10, halfPow10 = func() ([]*big.Int, []*big.Int) {
	p, h := make([]*big.Int, 80), make([]*big.Int, 80)
	p[0], h[0] = big.NewInt(1), big.NewInt(0)
	ten, two := big.NewInt(10), big.NewInt(2)
	for k := 1; k < len(p); k++ {
		p[k] = new(big.Int).Mul(p[k-1], ten)
		h[k] = new(big.Int).Quo(p[k], two)
	}
	return p, h
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
	d := int(float64(b-1)*math.Log10(2)) + 1 // 10^(d-1) ≤ 2^(b-1) ≤ |x|
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
	var r big.Int
	neg := d.coef.Sign() < 0
	d.coef.Abs(&d.coef)
	d.coef.QuoRem(&d.coef, tenTo(k), &r)
	var half *big.Int
	if k < len(halfPow10) {
		half = halfPow10[k]
	} else {
		half = new(big.Int).Quo(tenTo(k), big.NewInt(2))
	}
	c := r.Cmp(half)
	if c > 0 || (c == 0 && (sticky || d.coef.Bit(0) == 1)) {
		d.coef.Add(&d.coef, bigOne)
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
// exponent.
func align(a, b *dec) (x, y *big.Int, exp int) {
	switch {
	case a.exp == b.exp:
		return &a.coef, &b.coef, a.exp
	case a.exp > b.exp:
		return new(big.Int).Mul(&a.coef, tenTo(a.exp-b.exp)), &b.coef, b.exp
	}
	return &a.coef, new(big.Int).Mul(&b.coef, tenTo(b.exp-a.exp)), a.exp
}

func decAdd(a, b *dec) *dec {
	x, y, e := align(a, b)
	d := &dec{exp: e}
	d.coef.Add(x, y)
	return d.round(false)
}

func decSub(a, b *dec) *dec {
	x, y, e := align(a, b)
	d := &dec{exp: e}
	d.coef.Sub(x, y)
	return d.round(false)
}

func decMul(a, b *dec) *dec {
	d := &dec{exp: a.exp + b.exp}
	d.coef.Mul(&a.coef, &b.coef)
	return d.round(false)
}

// decDiv is a/b rounded; b must not be zero.
func decDiv(a, b *dec) *dec {
	d := &dec{exp: a.exp - b.exp}
	if a.coef.Sign() == 0 {
		return d
	}
	// Scale a so that the quotient has at least decPrec+1 digits.
	shift := decPrec + 1 + digits(&b.coef) - digits(&a.coef)
	if shift < 0 {
		shift = 0
	}
	n := new(big.Int).Mul(&a.coef, tenTo(shift))
	var r big.Int
	d.coef.QuoRem(n, &b.coef, &r)
	d.exp -= shift
	return d.round(r.Sign() != 0)
}

func decAbs(a *dec) *dec {
	d := &dec{exp: a.exp}
	d.coef.Abs(&a.coef)
	return d
}

func decNeg(a *dec) *dec {
	d := &dec{exp: a.exp}
	d.coef.Neg(&a.coef)
	return d
}

// decCmp compares a and b exactly: −1, 0 or +1.
func decCmp(a, b *dec) int {
	if a.coef.Sign() != b.coef.Sign() {
		return a.coef.Sign() - b.coef.Sign()
	}
	x, y, _ := align(a, b)
	return x.Cmp(y)
}

func (d *dec) sign() int { return d.coef.Sign() }

// float is the nearest float64.
func (d *dec) float() float64 {
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
		var f big.Float
		f.SetPrec(128).SetInt(&d.coef)
		f.Quo(&f, bigFloatPow10[-d.exp])
		v, _ := f.Float64()
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
