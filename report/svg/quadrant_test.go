package svg

import (
	"encoding/xml"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// Every point is labelled (on the chart or in a numbered note), points at
// one place share a label, the document is well-formed and the same
// input gives the same bytes.
func TestQuadrantLabels(t *testing.T) {
	r := rand.New(rand.NewPCG(16, 3))
	c := Quadrant{Title: "map", XLabel: "x", YLabel: "y", Diagonals: true,
		Regions: []Region{{Fill: "#eee", Polygon: [][2]float64{{0, 0}, {1, 0}, {1, 1}}, Label: "a region", LabelX: 0.9, LabelY: 0.1, Anchor: "end"}}}
	for i := range 30 {
		x, y := r.NormFloat64()*0.3, r.NormFloat64()*0.3
		if i%10 == 0 {
			x, y = 0.5, -0.5 // three points on one spot
		}
		c.Points = append(c.Points, QPoint{Label: fmt.Sprintf("Actor number %d of the test", i), X: x, Y: y})
	}
	doc := c.SVG()
	if doc != c.SVG() {
		t.Fatal("two drawings differ")
	}
	d := xml.NewDecoder(strings.NewReader(doc))
	var text strings.Builder
	for {
		tok, err := d.Token()
		if err != nil {
			if err.Error() != "EOF" {
				t.Fatalf("malformed SVG: %v", err)
			}
			break
		}
		if cd, ok := tok.(xml.CharData); ok {
			text.WriteString(string(cd))
			text.WriteString(" ")
		}
	}
	all := strings.Join(strings.Fields(text.String()), " ")
	for i := range 30 {
		if !strings.Contains(all, fmt.Sprintf("Actor number %d of", i)) {
			t.Errorf("no label for point %d", i)
		}
	}
	if !strings.Contains(all, "Actor number 0 of the test, Actor number 10 of the test, Actor number 20 of the test") {
		t.Error("the three points on one spot do not share a label")
	}
	if strings.Contains(doc, "NaN") {
		t.Error("NaN in the drawing")
	}
}
