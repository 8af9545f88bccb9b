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
	// Every label lies right of the y axis's ticks, inside the image.
	for _, b := range labelBoxes(c.layout()) {
		if l := c.layout(); b.x0 < l.left || b.x1 > l.width {
			t.Errorf("a label at x %.1f–%.1f, outside %.1f–%.1f", b.x0, b.x1, l.left, l.width)
		}
	}
}

// labelBoxes are the boxes of a laid-out Quadrant's labels.
func labelBoxes(l *qlayout) []box {
	var boxes []box
	for _, p := range l.out {
		w := 0.0
		for _, line := range p.lines {
			w = max(w, qCharW*float64(len([]rune(line))))
		}
		boxes = append(boxes, box{p.x, p.y - qFont + 1, p.x + w, p.y - qFont + 1 + qLineH*float64(len(p.lines))})
	}
	return boxes
}

// TestQuadrantLeaders: where a place exists whose leader crosses no
// label, the label takes it: on a map of points in two clusters, whose
// labels need leaders, no leader crosses a label and every point is
// labelled beside the map (no notes).
func TestQuadrantLeaders(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 9))
	var c Quadrant
	for i := range 16 {
		cx := 0.4
		if i%2 == 1 {
			cx = -0.4
		}
		c.Points = append(c.Points, QPoint{Label: fmt.Sprintf("Actor %d", i), X: cx + r.NormFloat64()*0.05, Y: cx + r.NormFloat64()*0.05})
	}
	l := c.layout()
	boxes := labelBoxes(l)
	leaders := 0
	for i, p := range l.out {
		if p.note > 0 {
			t.Errorf("point %q has a note", p.lines)
		}
		if !p.leader {
			continue
		}
		leaders++
		for j, b := range boxes {
			if i != j && (seg{p.gx, p.gy, p.lx, p.ly}).crosses(box{b.x0 + 1, b.y0 + 1, b.x1 - 1, b.y1 - 1}) {
				t.Errorf("the leader of %q crosses the label %q", p.lines, l.out[j].lines)
			}
		}
	}
	if leaders < 3 {
		t.Errorf("%d leaders: the test does not exercise them", leaders)
	}
}
