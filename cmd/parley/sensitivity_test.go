package main

import (
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSensitivityGolden(t *testing.T) {
	runGolden(t, []goldenCase{
		{"sensitivity-emission-mean.txt", []string{"sensitivity", "--model", "mean", "--samples", "64", "emission-1994"}},
		{"sensitivity-emission-eum.txt", []string{"sensitivity", "--samples", "0", "--top", "8", "emission-1994"}},
	})
}

// TestSensitivitySVG checks that the chart is well-formed SVG with one bar
// per ranked input, and that the run does not depend on the workers.
func TestSensitivitySVG(t *testing.T) {
	dir := t.TempDir()
	var outs []string
	for _, w := range []string{"1", "2"} {
		path := filepath.Join(dir, "s"+w+".svg")
		code, out, errs := parley("sensitivity", "--model", "mean", "--samples", "32", "--top", "5", "--workers", w, "--json", "--svg", path, "emission-1994")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		outs = append(outs, out)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		d := xml.NewDecoder(strings.NewReader(string(data)))
		rects := 0
		for {
			tok, err := d.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("SVG not well-formed: %v", err)
			}
			if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "rect" {
				for _, a := range se.Attr {
					if a.Name.Local == "fill" && a.Value == "#0072B2" { // the bars' colour
						rects++
					}
				}
			}
		}
		if rects != 5 {
			t.Errorf("%d bars, want 5", rects)
		}
	}
	if outs[0] != outs[1] {
		t.Error("--workers changed the result")
	}
}
