package svg

import (
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"regexp"
	"strings"
	"testing"
)

func TestNiceTicks(t *testing.T) {
	cases := []struct {
		lo, hi float64
		n      int
		want   string
	}{
		{0, 100, 5, "0 20 40 60 80 100"},
		{0, 10, 5, "0 2 4 6 8 10"},
		{0, 1, 4, "0 0.25 0.5 0.75 1"},
		{-3, 7, 5, "-2 0 2 4 6"},
		{4, 4, 5, "4"},
		{0.5, 0.52, 2, "0.5 0.51 0.52"},
	}
	for _, c := range cases {
		var got []string
		for _, tk := range NiceTicks(c.lo, c.hi, c.n) {
			got = append(got, tk.Label)
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("NiceTicks(%g, %g, %d) = %v, want %s", c.lo, c.hi, c.n, got, c.want)
		}
	}
}

func TestFormatNum(t *testing.T) {
	for v, want := range map[float64]string{0: "0", 1.5: "1.5", 8.3456: "8.346", -0.0001: "0", 100: "100", -2.25: "-2.25"} {
		if got := FormatNum(v); got != want {
			t.Errorf("FormatNum(%g) = %q, want %q", v, got, want)
		}
	}
}

// elements parses an SVG document and counts its elements by name,
// failing when it is not well-formed XML.
func elements(t *testing.T, doc string) map[string]int {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(doc))
	n := map[string]int{}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return n
		}
		if err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, doc)
		}
		if se, ok := tok.(xml.StartElement); ok {
			n[se.Name.Local]++
		}
	}
}

func TestLineChart(t *testing.T) {
	c := LineChart{
		Title: `Status <"talks">`, XLabel: "round", YLabel: "position", YMin: 0, YMax: 100,
		YTicks: []Tick{{0, "Autonomy"}, {100, "Independence & more"}},
		Series: []Series{
			{Name: "Pristina", X: []float64{0, 1, 2}, Y: []float64{100, 100, 100}},
			{Name: "Belgrade", X: []float64{0, 1, 2, 3}, Y: []float64{20, math.NaN(), 30, 140}},
			{Name: "forecast", X: []float64{0, 1, 2}, Y: []float64{50, 55, 60}, Lo: []float64{40, 45, 50}, Hi: []float64{60, 65, 70}, Bold: true},
		},
	}
	out := c.SVG()
	n := elements(t, out)
	// Belgrade's NaN breaks its line into two segments.
	if n["polyline"] != 4 || n["polygon"] != 1 || n["svg"] != 1 {
		t.Errorf("elements %v", n)
	}
	for _, want := range []string{"Status &lt;&#34;talks&#34;&gt;", "Independence &amp; more", `stroke-width="3"`} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q", want)
		}
	}
	// 140 is drawn at the top border (y = 12, the top margin); 20 at
	// 286 − 0.2 × 274 (the plot is 274 high, its bottom at 320 − 34).
	// The plot starts right of the widest tick label, "Independence &
	// more" at 10 px (94.5 px by TextWidth), and the axis title's band: at
	// 22 + 4 + 94.5.
	if !strings.Contains(out, "624.0,12.0") || !strings.Contains(out, `points="120.5,231.2"`) {
		t.Errorf("clamping or scaling wrong:\n%s", out)
	}
	if out != c.SVG() {
		t.Error("output not deterministic")
	}
	step := LineChart{Step: true, Series: []Series{{Name: "n", X: []float64{0, 1, 2}, Y: []float64{0, 1, 1}}}}.SVG()
	// A step chart adds a corner point before each change.
	if !strings.Contains(step, `points="48.0,286.0 336.0,286.0 336.0,12.0 624.0,12.0 624.0,12.0"`) {
		t.Errorf("step chart points wrong:\n%s", step)
	}
	elements(t, LineChart{}.SVG())
}

func TestBarChartAndTimeline(t *testing.T) {
	var bars []Bar
	for i := range 20 {
		bars = append(bars, Bar{Label: fmt.Sprint(i * 5), Value: float64(i % 7)})
	}
	hist := BarChart{Title: "histogram", Touching: true, Bars: bars}.SVG()
	if n := elements(t, hist); n["rect"] != 2+20 { // background, frame, bars
		t.Errorf("histogram rects %d", n["rect"])
	}
	rank := BarChart{Title: "rank", Horizontal: true, Bars: []Bar{{"russia × capability", 0.5, "total"}, {"us × salience", 0.25, ""}, {"nan", math.NaN(), ""}}}.SVG()
	if n := elements(t, rank); n["rect"] != 2+3 {
		t.Errorf("ranking rects %d", n["rect"])
	}
	if !strings.Contains(rank, "russia × capability") || !strings.Contains(rank, ">0.5 total<") {
		t.Errorf("ranking labels:\n%s", rank)
	}
	tl := Timeline{Title: "process", Steps: []Step{{Label: "Talks", Detail: "no agreement"}, {Label: "Security Council", Detail: "veto"}, {Label: "Declaration"}, {Label: "Recognition by a very long list of UN member states", Mark: true}, {Label: "end"}}}.SVG()
	n := elements(t, tl)
	if n["rect"] != 1+5 || n["line"]+n["path"] != 4+1 { // arrows, plus the marker's path
		t.Errorf("timeline elements %v", n)
	}
	if !strings.Contains(tl, "Recognition by a very long …") {
		t.Errorf("long label not clipped")
	}
	if leg := Legend([]string{"a", "b", "c", "d"}).SVG(); elements(t, leg)["line"] != 4 {
		t.Error("legend lines")
	}
}

// TestTextWidth: the estimate orders texts as a sans-serif face does and
// scales with the size.
func TestTextWidth(t *testing.T) {
	for _, c := range []struct {
		s    string
		want float64
	}{{"", 0}, {"100", 3 * 5.56}, {"il", 5.6}, {"MW", 17}, {"Autonomy", 6.8 + 3.4 + 8.5 + 5*5.3}} {
		if got := TextWidth(c.s, 10); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("TextWidth(%q) = %v, want %v", c.s, got, c.want)
		}
	}
	if TextWidth("Serbia", 20) != 2*TextWidth("Serbia", 10) || TextWidth("mmm", 10) <= TextWidth("iii", 10) {
		t.Error("widths do not scale or order")
	}
	// Numbers of a few digits keep the y axis at its 48 px.
	if got := yAxisRoom(NiceTicks(0, 100, 5)); got != 48 {
		t.Errorf("room for 0–100: %v", got)
	}
}

func TestStyleCycles(t *testing.T) {
	c0, d0 := Style(0)
	c8, d8 := Style(8)
	if c0 != c8 || d0 != "" || d8 == "" {
		t.Errorf("Style(0) = %s %q, Style(8) = %s %q", c0, d0, c8, d8)
	}
}

func ExampleLineChart() {
	chart := LineChart{
		Title:  "Forecast",
		XLabel: "round",
		Series: []Series{{Name: "median", X: []float64{0, 1, 2}, Y: []float64{50, 60, 65}}},
	}
	svg := chart.SVG()
	fmt.Println(strings.HasPrefix(svg, "<svg"), strings.Count(svg, "<polyline"))
	// Output: true 1
}

// Horizontal bars leave the room asked for labels and notes: the plot
// starts at LabelWidth and ends NoteWidth short of the right edge.
func TestBarChartMargins(t *testing.T) {
	bars := []Bar{{Label: "a", Value: 10}, {Label: "b", Value: 5}}
	def := BarChart{Horizontal: true, Width: 600, Bars: bars}.SVG()
	wide := BarChart{Horizontal: true, Width: 600, Bars: bars, LabelWidth: 200, NoteWidth: 150}.SVG()
	// The longest bar spans the plot: 600−170−70 by default, 600−200−150 here.
	for _, c := range []struct {
		svg, rect string
	}{{def, `<rect x="170.0" y="9.0" width="360.0"`}, {wide, `<rect x="200.0" y="9.0" width="250.0"`}} {
		if !strings.Contains(c.svg, c.rect) {
			t.Errorf("want %s in\n%s", c.rect, c.svg)
		}
	}
}

var viewBox = regexp.MustCompile(`^<svg [^>]*viewBox="0 0 ([0-9.]+) ([0-9.]+)"`)

// TestSize: every chart's Size is the size it draws, and a Grid places
// its parts by their sizes, row by row.
func TestSize(t *testing.T) {
	line := LineChart{Width: 500, Series: []Series{{Name: "a", X: []float64{0, 1}, Y: []float64{1, 2}}}}
	bars := BarChart{Horizontal: true, Bars: []Bar{{Label: "a", Value: 1}, {Label: "b", Value: 2}}}
	steps := Timeline{Steps: make([]Step, 5)}
	charts := []Chart{line, bars, BarChart{Bars: bars.Bars}, steps, Legend{"a", "b", "c"}, Legend{"a"},
		Grid{Cols: 2, Gap: 6, Parts: []Chart{line, bars, steps}}}
	for _, c := range charts {
		w, h := c.Size()
		m := viewBox.FindStringSubmatch(SVG(c))
		if m == nil || m[1] != f(w) || m[2] != f(h) {
			t.Errorf("%T: Size %v × %v, drawn %v", c, w, h, m)
		}
	}
	if w, h := bars.Size(); w != 640 || h != 2*18+40 {
		t.Errorf("horizontal bars: %v × %v", w, h)
	}
	if w, h := steps.Size(); w != 640 || h != 2*(46+22)+4 {
		t.Errorf("timeline of 5 steps in rows of 3: %v × %v", w, h)
	}
	// Two columns: line (500 × 320) beside bars (640 × 76), then the
	// timeline under them at y = 320 + 6.
	g := Grid{Cols: 2, Gap: 6, Parts: []Chart{line, bars, steps}}
	if w, h := g.Size(); w != 500+6+640 || h != 320+6+140 {
		t.Errorf("grid: %v × %v", w, h)
	}
	doc := g.SVG()
	for _, want := range []string{`<svg x="0" y="0" xmlns`, `<svg x="506.0" y="0" xmlns`, `<svg x="0" y="326.0" xmlns`} {
		if !strings.Contains(doc, want) {
			t.Errorf("grid lacks %s", want)
		}
	}
	elements(t, doc)
}
