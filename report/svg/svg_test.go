package svg

import (
	"cmp"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
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
	// Belgrade's NaN breaks its line into two segments; the bold line has
	// a white casing under it.
	if n["polyline"] != 5 || n["polygon"] != 1 || n["svg"] != 1 {
		t.Errorf("elements %v", n)
	}
	for _, want := range []string{"Status &lt;&#34;talks&#34;&gt;", "Independence &amp; more", `stroke-width="3.2"`, `font-family="Helvetica`} {
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
	// The bold line is drawn last, over the others.
	if strings.LastIndex(out, `stroke="#000000"`) < strings.LastIndex(out, `<title>Belgrade</title>`) {
		t.Error("the bold line is not drawn over the others")
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
	// A range: shaded from X0 to X1 between Low and High, its mark dashed,
	// its label written; the bold series gets a dot at each point and the
	// others are drawn fainter.
	c.Ranges = []YRange{{X0: 1, X1: 2, Low: 50, High: 54, Mark: 52, Label: "cycle, period 2: 50–54"}}
	ranged := c.SVG()
	if n := elements(t, ranged); n["rect"] != elements(t, out)["rect"]+1 || n["circle"] != 3 || !strings.Contains(ranged, ">cycle, period 2: 50–54</text>") ||
		!strings.Contains(ranged, `stroke-dasharray="5 3"`) || strings.Count(ranged, `stroke-opacity="0.6"`) != 3 {
		t.Errorf("range, dots or faint lines wrong (%v):\n%s", n, ranged)
	}
}

// TestLineDots: a bold line gets a dot at each point (a model's rounds)
// unless it is a step chart or the series asks for none (NoDots: a curve
// sampled each month, whose 156 dots made the recognition chart's mean
// line look heavy); ordinary lines never get dots, and NoDots keeps the
// line, its casing and its band.
func TestLineDots(t *testing.T) {
	x, y := []float64{0, 1, 2, 3}, []float64{10, 20, math.NaN(), 40}
	for _, c := range []struct {
		name         string
		bold, noDots bool
		step         bool
		dots         int
	}{
		{"bold", true, false, false, 3}, // the NaN point has none
		{"bold, no dots", true, true, false, 0},
		{"bold step", true, false, true, 0},
		{"ordinary", false, false, false, 0},
		{"ordinary, no dots", false, true, false, 0},
	} {
		s := Series{Name: "s", X: x, Y: y, Lo: []float64{5, 15, 25, 35}, Hi: []float64{15, 25, 35, 45}, Bold: c.bold, NoDots: c.noDots}
		n := elements(t, LineChart{YMin: 0, YMax: 50, Step: c.step, Series: []Series{s}}.SVG())
		lines := 2 // the NaN breaks the line in two
		if c.bold {
			lines *= 2 // and a bold line has a casing under each part
		}
		if n["circle"] != c.dots || n["polyline"] != lines || n["polygon"] != 1 {
			t.Errorf("%s: %d dots, %d polylines, %d bands; want %d, %d, 1", c.name, n["circle"], n["polyline"], n["polygon"], c.dots, lines)
		}
	}
}

// TestEndLabels: with EndLabels every series is named in full at its
// end, labels never overlap and stay in the chart, crowded labels move
// apart around where their lines end, and a chart with more names than
// its height holds grows taller.
func TestEndLabels(t *testing.T) {
	long := "Republika Srpska (Bosnian Serb entity, Prime Minister Milorad Dodik)"
	var series []Series
	for i := range 19 {
		name := fmt.Sprintf("actor %d", i)
		if i == 7 {
			name = long
		}
		// Ten actors end at 80, the others spread over the scale.
		end := 80.0
		if i >= 10 {
			end = float64(i-10) * 10
		}
		series = append(series, Series{Name: name, X: []float64{0, 1}, Y: []float64{50, end}})
	}
	series = append(series, Series{Name: "Forecast", X: []float64{0, 1}, Y: []float64{50, 80}, Bold: true})
	c := LineChart{YMin: 0, YMax: 100, EndLabels: true, LabelWidth: 150, Series: series,
		YAnchors: []Tick{{20, "Substantial autonomy within Serbia"}, {30, "Belgrade's formula: more than autonomy, less than independence"}}}
	l := c.layout()
	if len(l.ends) != 20 {
		t.Fatalf("%d end labels, want 20", len(l.ends))
	}
	w, h := c.Size()
	if h <= 320 {
		t.Errorf("20 labels fit in %v px", h)
	}
	for _, ps := range [][]placed{l.ends, l.anchors} {
		ys := make([]placed, len(ps))
		copy(ys, ps)
		slices.SortFunc(ys, func(a, b placed) int { return cmp.Compare(a.y, b.y) })
		for i, p := range ys {
			half := float64(len(p.lines)) * labelLineH / 2
			if p.y-half < 0 || p.y+half > h {
				t.Errorf("label %v at %v outside the chart (height %v)", p.lines, p.y, h)
			}
			if i > 0 {
				prev := ys[i-1]
				if gap := (p.y - half) - (prev.y + float64(len(prev.lines))*labelLineH/2); gap < labelGap-1e-9 {
					t.Errorf("labels %v and %v overlap (gap %v)", prev.lines, p.lines, gap)
				}
			}
		}
	}
	out := c.SVG()
	if strings.Contains(out, "…") || !strings.Contains(out, "Republika Srpska (Bosnian Serb") || !strings.Contains(out, "Milorad Dodik)") {
		t.Errorf("the long name is not written in full")
	}
	// The label of the line ending at 0 stays at its line: the crowd at 80
	// moves apart around 80's place, not over the whole chart.
	for _, p := range l.ends {
		if p.index == 10 && math.Abs(p.y-l.fr.y(0)) > labelLineH {
			t.Errorf("the label of the line ending at 0 is at %v, its line at %v", p.y, l.fr.y(0))
		}
	}
	if l.fr.w != w || w != 640 {
		t.Errorf("width %v", w)
	}
}

func TestSpread(t *testing.T) {
	cases := []struct {
		name      string
		want, hgt []float64
		lo, hi    float64
		out       []float64
	}{
		{"apart", []float64{10, 50}, []float64{10, 10}, 0, 100, []float64{10, 50}},
		{"two at one place move apart evenly", []float64{50, 50}, []float64{10, 10}, 0, 100, []float64{43.5, 56.5}},
		{"order kept", []float64{52, 48}, []float64{10, 10}, 0, 100, []float64{56.5, 43.5}},
		{"pushed off the top", []float64{0, 0, 0}, []float64{10, 10, 10}, 0, 100, []float64{5, 18, 31}},
		{"pushed off the bottom", []float64{100, 100}, []float64{10, 10}, 0, 100, []float64{82, 95}},
		// 40 and 40 take 28.5–51.5; 54 would start at 49, so the three
		// stack from the mean of 35, 22 and 23.
		{"a block that meets another merges", []float64{40, 40, 54}, []float64{10, 10, 10}, 0, 100, []float64{31 + 2.0/3, 44 + 2.0/3, 57 + 2.0/3}},
	}
	for _, c := range cases {
		got := spread(c.want, c.hgt, 3, c.lo, c.hi)
		for i := range got {
			if math.Abs(got[i]-c.out[i]) > 1e-9 {
				t.Errorf("%s: spread = %v, want %v", c.name, got, c.out)
				break
			}
		}
	}
}

func TestWrapText(t *testing.T) {
	for _, c := range []struct {
		s     string
		width float64
		want  []string
	}{
		{"Kosovo Serbs", 200, []string{"Kosovo Serbs"}},
		{"European Union (Council, Commission, High Representative)", 150, []string{"European Union (Council,", "Commission, High", "Representative)"}},
		{"Supercalifragilistic", 40, []string{"Supercal", "ifragilist", "ic"}},
		{"  spaced   out  ", 0, []string{"spaced   out"}},
	} {
		got := WrapText(c.s, c.width, 10)
		if !slices.Equal(got, c.want) {
			t.Errorf("WrapText(%q, %v) = %q, want %q", c.s, c.width, got, c.want)
		}
		for _, l := range got {
			if c.width > 0 && TextWidth(l, 10) > c.width {
				t.Errorf("line %q wider than %v", l, c.width)
			}
		}
	}
}

// TestHistogram: bars span their bins' edges, the ticks sit on edges
// (every second of 20 bins on 0–100: 0, 10, …, 100), and the y axis ends
// on a round number at or above the tallest bar.
func TestHistogram(t *testing.T) {
	var bins []HistBin
	for i := range 20 {
		bins = append(bins, HistBin{From: float64(i) * 5, To: float64(i+1) * 5, Count: float64(i % 7 * 17)})
	}
	if got := edgeTicks(bins); len(got) != 11 || got[1].Value != 10 || got[10].Value != 100 {
		t.Errorf("ticks %v", got)
	}
	if got := edgeTicks(bins[:7]); len(got) != 8 || got[1].Value != 5 {
		t.Errorf("ticks of 7 bins %v", got)
	}
	h := Histogram{Title: "histogram", Bins: bins, Markers: []Marker{{Value: 42, Label: "median 42"}}}
	out := h.SVG()
	if n := elements(t, out); n["rect"] != 2+20 { // background, frame, bars
		t.Errorf("histogram rects %d", n["rect"])
	}
	// The plot runs from x 48 to 624 over 0–100: the bin [5, 10) starts at
	// 48 + 0.05 × 576 = 76.8 and is 28.8 wide. The tallest bar (102) is
	// under the axis's top, 125, so its top is below the plot's top (24).
	if !strings.Contains(out, `<rect x="76.8" y="`) || !strings.Contains(out, `width="28.8"`) || !strings.Contains(out, ">125<") || strings.Contains(out, `y="24.0" width="28.8"`) {
		t.Errorf("bins or y axis wrong:\n%s", out)
	}
	if !strings.Contains(out, ">median 42<") {
		t.Error("no marker")
	}
}

func TestBarChart(t *testing.T) {
	rank := BarChart{Title: "rank", Bars: []Bar{{Label: "russia × capability", Value: 0.5, Note: "total"}, {Label: "us × salience", Value: 0.25}, {Label: "nan", Value: math.NaN()}}}.SVG()
	if n := elements(t, rank); n["rect"] != 2+3 {
		t.Errorf("ranking rects %d", n["rect"])
	}
	if !strings.Contains(rank, "russia × capability") || !strings.Contains(rank, ">0.5 total<") {
		t.Errorf("ranking labels:\n%s", rank)
	}
	// A label wider than its room wraps, and its row is taller.
	long := "European Union (Council, Commission, High Representative) × position"
	one := BarChart{Bars: []Bar{{Label: "a", Value: 1}}}
	two := BarChart{Bars: []Bar{{Label: long, Value: 1}}, Note: "Not shown: 3 more inputs."}
	_, h1 := one.Size()
	_, h2 := two.Size()
	out := two.SVG()
	if h2 <= h1 || strings.Count(out, "<tspan") < 3 || strings.Contains(out, "…") || !strings.Contains(out, "Not shown: 3 more inputs.") {
		t.Errorf("wrapped label: heights %v, %v\n%s", h1, h2, out)
	}
	pct := BarChart{Percent: true, Bars: []Bar{{Label: "band", Value: 0.57}}}.SVG()
	if !strings.Contains(pct, ">57.0%<") || !strings.Contains(pct, ">100%<") {
		t.Errorf("percentages:\n%s", pct)
	}
	// Intervals draw whiskers and widen the axis to hold them; the values,
	// to the decimals asked, go in a column right of the plot.
	ci := BarChart{Width: 400, NoteWidth: 100, Decimals: 2, ValuesRight: true, Bars: []Bar{{Label: "a", Value: 23, Low: 21.5, High: 25}, {Label: "b", Value: 39.52, Low: 35, High: 43.19}}}.SVG()
	if n := elements(t, ci); n["path"] != 2 || !strings.Contains(ci, ">23.00<") || !strings.Contains(ci, ">39.52<") || !strings.Contains(ci, ">50<") {
		t.Errorf("whiskers %d, or values or axis wrong:\n%s", n["path"], ci)
	}
	for _, x := range regexp.MustCompile(`<text x="([0-9.]+)" y="[0-9.]+" font-size="10" dominant-baseline="middle">`).FindAllStringSubmatch(ci, -1) {
		if v, _ := strconv.ParseFloat(x[1], 64); v != 306 {
			t.Errorf("a value at x %s, not in the column at 306", x[1])
		}
	}
}

// TestTimeline: moments sit at their dates on a linear time axis with a
// tick at each new year, an uncertain date draws its range.
func TestTimeline(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	tl := Timeline{Title: "process", Lanes: []Lane{
		{Label: "Talks", Detail: "failed", Moments: []Moment{{Date: day("2007-12-10"), Label: "10 Dec 2007"}}},
		{Label: "Declaration", Moments: []Moment{{Date: day("2008-01-01"), From: day("2008-01-01"), To: day("2008-02-29")}}},
		{Label: "Recognition by a very long list of UN member states that wraps", Moments: []Moment{{Date: day("2008-12-31"), Label: "35.3"}, {Date: day("2010-12-31"), Label: "39.2"}}},
	}}
	out := tl.SVG()
	n := elements(t, out)
	if n["circle"] != 4 || n["rect"] != 1+1 {
		t.Errorf("timeline elements %v", n)
	}
	for _, want := range []string{">2008<", ">2010<", ">10 Dec 2007<", "2008-01-01 to 2008-02-29", "that wraps"} {
		if !strings.Contains(out, want) {
			t.Errorf("timeline lacks %q", want)
		}
	}
	if strings.Contains(out, "…") {
		t.Error("a name was cut")
	}
	// Three years and three weeks of padding either side on 220–610.
	if got := timeTicks(day("2007-01-01"), day("2011-06-01")); len(got) != 4 || got[0] != day("2008-01-01") {
		t.Errorf("yearly ticks %v", got)
	}
	if got := timeTicks(day("2007-11-20"), day("2008-03-10")); len(got) != 4 || got[1] != day("2008-01-01") || tickLabel(got[1], false) != "Jan 2008" {
		t.Errorf("monthly ticks %v", got)
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
	if l := (LineChart{YMax: 100}).layout(); l.fr.left != 48 {
		t.Errorf("room for 0–100: %v", l.fr.left)
	}
}

func TestLineStyles(t *testing.T) {
	c0, d0 := lineStyle(0)
	c7, d7 := lineStyle(7)
	if c0 != c7 || d0 != "" || d7 == "" {
		t.Errorf("lineStyle(0) = %s %q, lineStyle(7) = %s %q", c0, d0, c7, d7)
	}
	// Bold series are black; the others never are.
	cs, _ := LineChart{Series: []Series{{Name: "a"}, {Name: "f", Bold: true}, {Name: "b"}}}.styles()
	if cs[1] != "#000000" || cs[0] == "#000000" || cs[2] == "#000000" || cs[0] == cs[2] {
		t.Errorf("styles %v", cs)
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

// Bars leave the room asked for labels and notes: the plot starts at
// LabelWidth and ends NoteWidth short of the right edge.
func TestBarChartMargins(t *testing.T) {
	bars := []Bar{{Label: "a", Value: 10}, {Label: "b", Value: 5}}
	def := BarChart{Width: 600, Bars: bars}.SVG()
	wide := BarChart{Width: 600, Bars: bars, LabelWidth: 200, NoteWidth: 150}.SVG()
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
	bars := BarChart{Bars: []Bar{{Label: "a", Value: 1}, {Label: "b", Value: 2}}}
	day := time.Date(2008, 2, 17, 0, 0, 0, 0, time.UTC)
	steps := Timeline{Lanes: []Lane{{Label: "a", Moments: []Moment{{Date: day}}}, {Label: "b", Detail: "passed", Moments: []Moment{{Date: day.AddDate(1, 0, 0)}}}}}
	labelled := LineChart{EndLabels: true, YAnchors: []Tick{{1, "one"}}, Series: line.Series}
	charts := []Chart{line, labelled, bars, steps, Histogram{Bins: []HistBin{{0, 1, 3}}},
		Heading{Text: "a heading long enough to wrap onto a second line", Width: 120, Height: 20, FontSize: 12},
		Grid{Cols: 2, Gap: 6, Parts: []Chart{line, bars, steps}}}
	for _, c := range charts {
		w, h := c.Size()
		if _, ok := c.(Heading); ok {
			// A heading is text in a grid, not a document: its lines fill
			// its height.
			if n := strings.Count(SVG(c), "<text"); h != 20+float64(n-1)*12*1.3 || n < 2 {
				t.Errorf("heading of %d lines: height %v", n, h)
			}
			continue
		}
		m := viewBox.FindStringSubmatch(SVG(c))
		if m == nil || m[1] != f(w) || m[2] != f(h) {
			t.Errorf("%T: Size %v × %v, drawn %v", c, w, h, m)
		}
	}
	if w, h := bars.Size(); w != 640 || h != 6+2*18+40 {
		t.Errorf("bars: %v × %v", w, h)
	}
	// Two lanes of 22 and 31 (name and detail) px, 8 apart, and the axis.
	if w, h := steps.Size(); w != 760 || h != 24+22+8+31+8+30 {
		t.Errorf("timeline of 2 lanes: %v × %v", w, h)
	}
	// Two columns: line (500 × 320) beside bars (640 × 82), then the
	// timeline (760 × 123) under them at y = 320 + 6.
	g := Grid{Cols: 2, Gap: 6, Parts: []Chart{line, bars, steps}}
	if w, h := g.Size(); w != 500+6+640 || h != 320+6+123 {
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
