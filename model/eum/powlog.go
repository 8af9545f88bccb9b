package eum

import "math"

// powLog returns math.Pow(x, y) given lx = math.Log(x), so that callers
// raising one base to several exponents compute its logarithm once. For
// x > 0 it takes the same steps as the Go code of math.Pow
// (go/src/math/pow.go, Go's BSD licence): the fractional part of |y|,
// moved into (−0.5, 0.5], as Exp(yf·Log(x)), the integer part by repeated
// squaring of Frexp's mantissa, then Ldexp. It therefore returns the same
// bits (TestPowLogMatchesPow checks this); the arguments math.Pow treats
// as special go to math.Pow.
func powLog(x, lx, y float64) float64 {
	if !(x > 0) || math.IsInf(x, 1) || x == 1 || y == 0 || y == 1 || y == 0.5 || y == -0.5 ||
		math.IsNaN(y) || math.IsInf(y, 0) {
		return math.Pow(x, y)
	}
	yi, yf := math.Modf(math.Abs(y))
	if yi >= 1<<63 {
		return math.Pow(x, y)
	}
	a1, ae := 1.0, 0
	if yf != 0 {
		if yf > 0.5 {
			yf--
			yi++
		}
		a1 = math.Exp(yf * lx)
	}
	x1, xe := math.Frexp(x)
	for i := int64(yi); i != 0; i >>= 1 {
		if xe < -1<<12 || 1<<12 < xe {
			ae += xe // under- or overflow: Ldexp gives 0 or Inf
			break
		}
		if i&1 == 1 {
			a1 *= x1
			ae += xe
		}
		x1 *= x1
		xe <<= 1
		if x1 < .5 {
			x1 += x1
			xe--
		}
	}
	if y < 0 {
		a1 = 1 / a1
		ae = -ae
	}
	return math.Ldexp(a1, ae)
}
