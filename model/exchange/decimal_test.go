package exchange

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestDecimalAgainstPython checks dec against a table printed by CPython's
// decimal module (3.11.7, default context: 28 digits, ROUND_HALF_EVEN):
// random operands (28-digit values, short literals, exact values of
// floats, near-cancelling and exactly halfway sums) with the result of
// +, −, × or ÷. See testdata/README.md.
func TestDecimalAgainstPython(t *testing.T) {
	f, err := os.Open("testdata/pydecimal.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for line := 1; sc.Scan(); line++ {
		if strings.HasPrefix(sc.Text(), "#") {
			continue
		}
		fs := strings.Fields(sc.Text())
		if len(fs) != 4 {
			t.Fatalf("line %d: want 4 fields, got %q", line, sc.Text())
		}
		var v [3]dec
		for k := range v {
			d, ok := decParse(fs[k+1])
			if !ok {
				t.Fatalf("line %d: bad number %q", line, fs[k+1])
			}
			v[k] = d
		}
		var got dec
		switch fs[0] {
		case "+":
			got = decAdd(v[0], v[1])
		case "-":
			got = decSub(v[0], v[1])
		case "*":
			got = decMul(v[0], v[1])
		case "/":
			got = decDiv(v[0], v[1])
		default:
			t.Fatalf("line %d: unknown operation %q", line, fs[0])
		}
		if decCmp(got, v[2]) != 0 {
			t.Errorf("line %d: %s %s %s = %s, Python %s", line, fs[1], fs[0], fs[2], got, fs[3])
		}
		if want, _ := strconv.ParseFloat(fs[3], 64); got.float() != want {
			t.Errorf("line %d: float64 of %s is %v, want %v", line, fs[3], got.float(), want)
		}
		n++
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n < 3000 {
		t.Fatalf("only %d cases", n)
	}
}

func TestDecimalConversions(t *testing.T) {
	// Python: Decimal(0.4) == Decimal('0.40000000000000002220446049250313080847263336181640625')
	want, _ := decParse("0.40000000000000002220446049250313080847263336181640625")
	if decCmp(decOf(0.4), want) != 0 {
		t.Errorf("decOf(0.4) = %s", decOf(0.4))
	}
	if d := decFloat(0.35); d.String() != "35e-2" {
		t.Errorf("decFloat(0.35) = %s", d)
	}
	// Python: Decimal(1) / Decimal(3) == Decimal('0.3333333333333333333333333333')
	third, _ := decParse("0.3333333333333333333333333333")
	if decCmp(decDiv(decInt(1), decInt(3)), third) != 0 {
		t.Errorf("1/3 = %s", decDiv(decInt(1), decInt(3)))
	}
	if f := third.float(); f != 1.0/3 {
		t.Errorf("float(1/3) = %v", f)
	}
}
