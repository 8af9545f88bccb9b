package chart

import (
	"bytes"
	"encoding/xml"
	"flag"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func TestNiceTicks(t *testing.T) {
	cases := []struct {
		lo, hi float64
		n      int
		want   []float64
	}{
		{0, 56, 6, []float64{0, 20, 40, 60}},
		{0, 193, 6, []float64{0, 50, 100, 150, 200}},
		{0, 1, 6, []float64{0, 0.2, 0.4, 0.6, 0.8, 1}},
		{0, 0, 6, []float64{0, 0.2, 0.4, 0.6, 0.8, 1}},
		{-3, 7, 3, []float64{-5, 0, 5, 10}},
		{5, 5.5, 2, []float64{5, 5.5}},
	}
	for _, c := range cases {
		if got := NiceTicks(c.lo, c.hi, c.n); !reflect.DeepEqual(got, c.want) {
			t.Errorf("NiceTicks(%g, %g, %d) = %v, want %v", c.lo, c.hi, c.n, got, c.want)
		}
	}
}

func sample() Band {
	var b Band
	t0 := time.Date(2008, 2, 29, 0, 0, 0, 0, time.UTC)
	for i := range 24 {
		b.X = append(b.X, t0.AddDate(0, i, 0))
		v := float64(10 + i)
		b.Y = append(b.Y, v)
		b.Lo = append(b.Lo, v-3)
		b.Hi = append(b.Hi, v+4)
	}
	b.Title, b.XLabel, b.YLabel = "Recognitions of <Kosovo> & co", "Date", "UN members"
	b.LineLabel, b.BandLabel = "expected", "90% band"
	return b
}

func TestWriteSVG(t *testing.T) {
	var buf bytes.Buffer
	if err := sample().WriteSVG(&buf); err != nil {
		t.Fatal(err)
	}
	// Well-formed XML.
	dec := xml.NewDecoder(bytes.NewReader(buf.Bytes()))
	for {
		_, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed: %v", err)
		}
	}
	out := buf.String()
	for _, want := range []string{"&lt;Kosovo&gt; &amp; co", "<polygon", "<polyline", ">2009<", ">90% band<"} {
		if !strings.Contains(out, want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	path := filepath.Join("testdata", "band.svg")
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./report/chart -update creates it)", err)
	}
	if !bytes.Equal(want, buf.Bytes()) {
		t.Errorf("SVG differs from %s (-update rewrites it)", path)
	}
}

func TestWriteSVGErrors(t *testing.T) {
	cases := []struct {
		name string
		edit func(*Band)
		want string
	}{
		{"one point", func(b *Band) { b.X, b.Y, b.Lo, b.Hi = b.X[:1], b.Y[:1], b.Lo[:1], b.Hi[:1] }, "at least two points"},
		{"lengths", func(b *Band) { b.Y = b.Y[:3] }, "same length"},
		{"band lengths", func(b *Band) { b.Hi = nil }, "same length"},
		{"order", func(b *Band) { b.X[3] = b.X[1] }, "X must increase"},
		{"nan", func(b *Band) { b.Y[2] = 0 / zero }, "finite"},
	}
	for _, c := range cases {
		b := sample()
		c.edit(&b)
		if err := b.WriteSVG(io.Discard); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.name, err, c.want)
		}
	}
}

var zero float64
