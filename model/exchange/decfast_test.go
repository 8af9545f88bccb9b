package exchange

import (
	"math"
	"math/big"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// randDec is a random operand for the differential test: 28-digit
// coefficients, short ones, runs of nines (carries), powers of ten,
// values up to 2^128 and beyond (which must fall back), at exponents
// from −60 to +10.
func randDec(r *rand.Rand) dec {
	var s string
	switch r.IntN(6) {
	case 0: // 28 digits
		s = randDigits(r, 28)
	case 1: // short literal
		s = randDigits(r, 1+r.IntN(6))
	case 2: // nines: carries when rounding
		s = strings.Repeat("9", 1+r.IntN(39))
	case 3: // a power of ten, or one more / less
		s = "1" + strings.Repeat("0", r.IntN(38))
	case 4: // up to 40 digits: around the 128-bit limit
		s = randDigits(r, 29+r.IntN(12))
	default: // a float's exact value (up to 55 digits): the big path
		return decOf(r.NormFloat64())
	}
	var c big.Int
	c.SetString(s, 10)
	if r.IntN(2) == 0 {
		c.Neg(&c)
	}
	return decBig(&c, r.IntN(71)-60)
}

func randDigits(r *rand.Rand, n int) string {
	b := make([]byte, n)
	b[0] = byte('1' + r.IntN(9))
	for k := 1; k < n; k++ {
		b[k] = byte('0' + r.IntN(10))
	}
	return string(b)
}

// sameDec says whether a and b are the same coefficient and exponent,
// both in the canonical form (two words exactly when the coefficient
// fits in 128 bits).
func sameDec(a, b dec) bool {
	var x, y big.Int
	return a.exp() == b.exp() && a.bigCoef(&x).Cmp(b.bigCoef(&y)) == 0 &&
		canonical(a) && canonical(b)
}

func canonical(d dec) bool {
	var x big.Int
	c := d.bigCoef(&x)
	return (d.wide == nil) == (c.BitLen() <= 128) && !(d.neg && d.lo|d.hi == 0)
}

// TestFastPathAgainstBig compares the fixed-width path with the
// math/big path operation by operation on seeded random operands,
// including exactly halfway and near-cancelling pairs, and checks that
// the fixed-width path is taken whenever both coefficients fit in 128
// bits (so that the comparison covers it).
func TestFastPathAgainstBig(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	fast := 0
	for i := 0; i < 200000; i++ {
		a, b := randDec(r), randDec(r)
		switch r.IntN(4) {
		case 0: // b = a rounded at a lower digit plus half a unit: ties
			var c big.Int
			c.Set(a.bigCoef(&c))
			exp := a.exp() - 1 - r.IntN(12)
			c.Mul(&c, tenTo(a.exp()-exp))
			c.Add(&c, big.NewInt(int64(r.IntN(11)-5)))
			if r.IntN(2) == 0 {
				c.Mul(&c, big.NewInt(10))
				c.Add(&c, big.NewInt(5))
				exp--
			}
			b = decBig(&c, exp)
		case 1: // b near −a: cancellation
			var c big.Int
			c.Neg(a.bigCoef(&c))
			c.Add(&c, big.NewInt(int64(r.IntN(3)-1)))
			b = decBig(&c, a.exp())
		}
		_, fitA := mag128(a)
		_, fitB := mag128(b)
		fits := fitA && fitB
		check := func(op string, got dec, ok bool, want dec) {
			t.Helper()
			if !ok {
				return
			}
			fast++
			if !sameDec(got, want) {
				t.Fatalf("case %d: %s %s %s: fast %s, big %s", i, a, op, b, got, want)
			}
		}
		d, ok := addFast(a, b, false)
		if fits && !ok && abs(a.exp()-b.exp()) <= 38 {
			t.Fatalf("case %d: %s + %s did not take the fixed-width path", i, a, b)
		}
		check("+", d, ok, decAddBig(a, b))
		d, ok = addFast(a, b, true)
		check("-", d, ok, decSubBig(a, b))
		d, ok = mulFast(a, b)
		if fits && !ok {
			t.Fatalf("case %d: %s × %s did not take the fixed-width path", i, a, b)
		}
		check("*", d, ok, decMulBig(a, b))
		if b.sign() != 0 && a.sign() != 0 {
			d, ok = divFast(a, b)
			check("/", d, ok, decDivBig(a, b))
		}
		if a.sign() == b.sign() && a.sign() != 0 {
			c, ok := cmpFast(a, b)
			if ok {
				fast++
				if want := bigCmp(a, b); c != want {
					t.Fatalf("case %d: cmp(%s, %s): fast %d, big %d", i, a, b, c, want)
				}
			}
		}
		// The public operations agree with the big path whichever they take.
		if got, want := decAdd(a, b), decAddBig(a, b); !sameDec(got, want) {
			t.Fatalf("case %d: decAdd %s, big %s", i, got, want)
		}
	}
	if fast < 500000 {
		t.Errorf("fixed-width path taken %d times, want at least 500000", fast)
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// bigCmp compares a and b exactly in math/big.
func bigCmp(a, b dec) int {
	var x, y big.Int
	x.Set(a.bigCoef(&x))
	y.Set(b.bigCoef(&y))
	if a.exp() > b.exp() {
		x.Mul(&x, tenTo(a.exp()-b.exp()))
	} else {
		y.Mul(&y, tenTo(b.exp()-a.exp()))
	}
	return x.Cmp(&y)
}

// TestFloatFast compares the fixed-width float64 conversion with
// strconv's correctly rounded reading of the decimal string and with the
// math/big conversion, on seeded random decimals incl. values exactly
// halfway between two float64s.
func TestFloatFast(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	fast := 0
	for i := 0; i < 200000; i++ {
		d := randDec(r)
		if i%4 == 0 { // an exact float64 or a tie between two: m·2^−e in decimal
			f := r.NormFloat64() * float64(1+r.IntN(1000))
			b := math.Float64bits(f)
			d = decOf(f)
			if i%8 == 0 {
				d = decMulBig(decAddBig(decOf(f), decOf(math.Float64frombits(b+1))), decParse0("0.5"))
			}
		}
		if i%4 == 1 { // (2m+1)·2^−22 with a 54-bit odd 2m+1: exactly halfway between two float64s, or one unit off
			m := uint64(1)<<52 | r.Uint64()>>12
			var c big.Int
			c.SetUint64(2*m + 1)
			c.Mul(&c, new(big.Int).Exp(big.NewInt(5), big.NewInt(22), nil))
			c.Add(&c, big.NewInt(int64(r.IntN(3)-1)))
			d = decBig(&c, -22)
		}
		d.e = int32(max(d.exp(), -38))
		got, ok := floatFast(d)
		if !ok {
			continue
		}
		fast++
		want, err := strconv.ParseFloat(d.String(), 64)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Fatalf("case %d: %s: fast %v, strconv %v", i, d, got, want)
		}
		if b := d.toFloatBig(); b != got {
			t.Fatalf("case %d: %s: fast %v, big %v", i, d, got, b)
		}
	}
	if fast < 50000 {
		t.Errorf("fixed-width conversion taken %d times, want at least 50000", fast)
	}
}

func decParse0(s string) dec {
	d, _ := decParse(s)
	return d
}

// TestDigits256 checks the digit count at every power of ten and its
// neighbours, and at every power of two, against math/big.
func TestDigits256(t *testing.T) {
	var cases []*big.Int
	for k := 0; k < 78; k++ {
		p := tenTo(k)
		cases = append(cases, p, new(big.Int).Sub(p, bigOne), new(big.Int).Add(p, bigOne))
	}
	for b := 0; b < 256; b++ {
		p := new(big.Int).Lsh(bigOne, uint(b))
		cases = append(cases, p, new(big.Int).Sub(p, bigOne))
	}
	for _, c := range cases {
		if c.BitLen() > 256 {
			continue
		}
		want := len(c.String())
		if c.Sign() == 0 {
			want = 0
		}
		if got := digits256(fromBig(c)); got != want {
			t.Errorf("digits256(%s) = %d, want %d", c, got, want)
		}
	}
}

// TestDivPow10 checks the division by 10^k through the reciprocal
// against math/big for every k, on seeded random numbers of every width
// and on multiples of 10^k and their neighbours (where the estimate is
// one too small).
func TestDivPow10(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	max256 := new(big.Int).Lsh(bigOne, 256)
	for i := 0; i < 20000; i++ {
		k := 1 + r.IntN(77)
		x := new(big.Int).SetBits([]big.Word{big.Word(r.Uint64()), big.Word(r.Uint64()), big.Word(r.Uint64()), big.Word(r.Uint64())})
		x.Rsh(x, uint(r.IntN(256)))
		if i%3 == 0 { // a multiple of 10^k, or one less
			x.Mul(new(big.Int).Quo(x, pow10[k]), pow10[k])
			if i%2 == 0 && x.Sign() > 0 {
				x.Sub(x, bigOne)
			}
		}
		if x.Cmp(max256) >= 0 {
			continue
		}
		q, rem := divPow10(fromBig(x), k)
		wq, wr := new(big.Int).QuoRem(x, pow10[k], new(big.Int))
		if q != fromBig(wq) || rem != fromBig(wr) {
			t.Fatalf("%s / 10^%d: got %v rem %v, want %s rem %s", x, k, q, rem, wq, wr)
		}
	}
}
