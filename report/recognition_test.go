package report

import (
	"bytes"
	"encoding/xml"
	"io"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/parley-project/parley/model/recognition"
)

func smallRecognition() *recognition.Result {
	return &recognition.Result{Entity: "Kosovo", Start: "2008-02-17", Draws: 10, Seed: 2,
		Parent: "SRB", Recognising: []string{"USA"}, Opposing: []string{"RUS"}, Uncertainty: "none",
		States: []recognition.StateProb{
			{ISO3: "USA", Name: "United States", Side: "recognising", PBy: map[string]float64{"2008-03-31": 1}},
			{ISO3: "FRA", Name: "France", PBy: map[string]float64{"2008-03-31": 0.5}},
		},
		Cumulative: []recognition.Point{
			{Date: "2008-02-29", Expected: 1.2, P05: 1, P95: 2},
			{Date: "2008-03-31", Expected: 1.5, P05: 1, P95: 2},
			{Date: "2008-12-31", Expected: 17.5, P05: 11, P95: 23},
		}}
}

func TestDecimalYear(t *testing.T) {
	for _, c := range []struct {
		date string
		want float64
	}{{"2008-12-31", 2009}, {"2009-01-01", 2009 + 1.0/365}, {"2008-06-30", 2008 + 182.0/366}} {
		d, _ := time.Parse(time.DateOnly, c.date)
		if got := decimalYear(d); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("decimalYear(%s) = %.6f, want %.6f", c.date, got, c.want)
		}
	}
}

func TestRecognitionChart(t *testing.T) {
	c, err := RecognitionChart(smallRecognition())
	if err != nil {
		t.Fatal(err)
	}
	s := c.Series[0]
	if c.YMin != 0 || c.YMax != 25 || len(s.X) != 3 || s.X[2] != 2009 || s.Hi[2] != 23 || s.Lo[0] != 1 {
		t.Errorf("chart: y %g–%g, series %+v", c.YMin, c.YMax, s)
	}
	var buf bytes.Buffer
	if err := c.WriteSVG(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), "<svg") || strings.Count(buf.String(), "<polygon") != 1 || !strings.Contains(buf.String(), ">UN member states recognising Kosovo") {
		t.Errorf("SVG: %.200s", buf.String())
	}
	// The band and the bold mean line, without a dot at each month.
	if !s.Bold || strings.Count(buf.String(), "<circle") != 0 {
		t.Errorf("mean line: bold %v, %d dots; want bold and none", s.Bold, strings.Count(buf.String(), "<circle"))
	}
	dec := xml.NewDecoder(&buf)
	for {
		if _, err := dec.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("SVG is not well-formed: %v", err)
		}
	}
	one := smallRecognition()
	one.Cumulative = one.Cumulative[:1]
	if _, err := RecognitionChart(one); err == nil || !strings.Contains(err.Error(), "two months") {
		t.Errorf("one month: %v", err)
	}
}

func TestRecognitionTable(t *testing.T) {
	var buf bytes.Buffer
	if err := Recognition(&buf, smallRecognition()); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"Recognition of Kosovo, declared 2008-02-17: 10 draws, seed 2",
		"patrons: USA; parent state: SRB; opposing patrons: RUS", "Uncertainty in the draws: none", "2008-12-31       0  17.5  11   23", "USA    United States       1.000  recognising", "FRA    France              0.500"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if strings.Index(out, "USA    United") > strings.Index(out, "FRA    France") {
		t.Error("states are not sorted by probability")
	}
	// A window of declaration days and no opposing patrons.
	r := smallRecognition()
	r.StartLatest, r.Opposing = "2008-02-29", nil
	buf.Reset()
	if err := Recognition(&buf, r); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"declared on a day from 2008-02-17 to 2008-02-29:", "opposing patrons: none"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, buf.String())
		}
	}
}

// TestRecognitionChartMedian: a result with medians gets a second, thin
// line, each line named at its end; one without (stored before the
// medians existed) keeps the single line.
func TestRecognitionChartMedian(t *testing.T) {
	r := smallRecognition()
	for i := range r.Cumulative {
		r.Cumulative[i].P50 = float64(i + 1)
	}
	r.StartLatest = "2008-02-29"
	c, err := RecognitionChart(r)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Series) != 2 || c.Series[1].Bold || c.Series[1].Y[2] != 3 || !strings.Contains(c.Title, "mean, median and 90% band") || !c.EndLabels ||
		c.Series[0].Name != "mean (expected number)" || c.Series[1].Name != "median" ||
		!strings.Contains(c.Title, "declared on a day from 2008-02-17 to 2008-02-29") || !strings.HasPrefix(c.XLabel, "year (end of month); shaded:") {
		t.Errorf("chart %q / %q, %d series", c.Title, c.XLabel, len(c.Series))
	}
	c, _ = RecognitionChart(smallRecognition())
	if len(c.Series) != 1 {
		t.Errorf("%d series without medians", len(c.Series))
	}
}
