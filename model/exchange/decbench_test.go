package exchange

import "testing"

var sinkD dec

// BenchmarkDecOps times one 28-digit operation of each kind on the
// fixed-width path (operands with 28 and 4 significant digits).
func BenchmarkDecOps(b *testing.B) {
	x, _ := decParse("37.12345678901234567890123456")
	y, _ := decParse("0.6499999999999999999999999999")
	z, _ := decParse("5.123")
	for _, c := range []struct {
		name string
		op   func(a, b dec) dec
		a, b dec
	}{
		{"mul", decMul, x, y},
		{"mul-short", decMul, z, y},
		{"div", decDiv, x, y},
		{"add", decAdd, x, y},
		{"sub-short", decSub, x, z},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				sinkD = c.op(c.a, c.b)
			}
		})
	}
	b.Run("cmp", func(b *testing.B) {
		n := 0
		for b.Loop() {
			n += decCmp(x, y)
		}
		sinkD = decInt(int64(n))
	})
}
