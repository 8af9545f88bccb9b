package report

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/model/registry"
	"github.com/parley-project/parley/scenarios"

	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/scenario"
)

// twoIssues is a scenario with two issues; actor "c" has no stance on
// issue "y".
func twoIssues() *scenario.Scenario {
	st := func(p, s float64) scenario.Stance {
		return scenario.Stance{Position: scenario.N(p), Salience: scenario.N(s)}
	}
	return &scenario.Scenario{
		Name: "two",
		Issues: []scenario.Issue{
			{ID: "x", Name: "Issue X", Min: 0, Max: 100, Anchors: []scenario.Anchor{{Value: 0, Label: "none"}, {Value: 100, Label: "all"}}},
			{ID: "y", Name: "Issue Y", Min: 0, Max: 10, Anchors: []scenario.Anchor{{Value: 5, Label: "half"}}},
		},
		Actors: []scenario.Actor{
			{ID: "a", Name: "Alpha", Capability: scenario.N(1), Stances: map[string]scenario.Stance{"x": st(0, 50), "y": st(5, 50)}},
			{ID: "b", Name: "Beta", Capability: scenario.N(1), Stances: map[string]scenario.Stance{"x": st(100, 50), "y": st(10, 50)}},
			{ID: "c", Name: "Gamma", Capability: scenario.N(1), Stances: map[string]scenario.Stance{"x": st(40, 50)}},
		},
	}
}

func TestForecastMultiIssue(t *testing.T) {
	sc := twoIssues()
	res := &result.Result{Scenario: "two", Model: "m", Issues: []result.Issue{
		{ID: "x", Forecast: 60, Stopped: "rounds", Rounds: []result.Round{
			{Round: 0, Forecast: 40, Median: 40, Mean: 46.67, Positions: map[string]float64{"a": 0, "b": 100, "c": 40}},
			{Round: 1, Forecast: 60, Median: 60, Mean: 60, Positions: map[string]float64{"a": 30, "b": 100, "c": 60}},
		}},
		{ID: "y", Forecast: 7.5, Stopped: "static", Rounds: []result.Round{
			{Round: 0, Forecast: 7.5, Median: 5, Mean: 7.5, Positions: map[string]float64{"a": 5, "b": 10}},
		}},
	}}
	var buf bytes.Buffer
	if err := Forecast(&buf, sc, res); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"Summary of 2 issues",
		"x           3    40.00     60.00       1  ≈ all",
		"y           2     7.50      7.50       0  ≈ half",
		"Issue 1 of 2", "Issue 2 of 2",
		"      1     60.00   60.00  60.00      0",
		"Alpha    0.00   30.00  ≈ none",
		"No stance on this issue (1): c",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Count(out, "No stance") != 1 {
		t.Errorf("want one 'No stance' line (issue y only):\n%s", out)
	}
	// A single-issue result keeps the plain layout: no summary, no rules.
	res.Issues = res.Issues[:1]
	buf.Reset()
	if err := Forecast(&buf, sc, res); err != nil {
		t.Fatal(err)
	}
	if s := buf.String(); strings.Contains(s, "Summary") || strings.Contains(s, "Issue 1 of") {
		t.Errorf("single issue shows multi-issue parts:\n%s", s)
	}
}

func TestRule(t *testing.T) {
	for _, title := range []string{"Issue 1 of 6", "", strings.Repeat("x", 100)} {
		r := rule(title)
		if !strings.Contains(r, title) || !strings.HasPrefix(r, "───") || !strings.HasSuffix(r, "───") {
			t.Errorf("rule(%q) = %q", title, r)
		}
	}
}

func TestForecastExchanges(t *testing.T) {
	sc := twoIssues()
	res := &result.Result{Scenario: "two", Model: "exchange", Issues: []result.Issue{
		{ID: "x", Forecast: 50, Stopped: "rounds", Rounds: []result.Round{
			{Round: 0, Forecast: 46.67, Positions: map[string]float64{"a": 0, "b": 100, "c": 40}},
			{Round: 1, Forecast: 50, Positions: map[string]float64{"a": 10, "b": 100, "c": 40}},
		}},
		{ID: "y", Forecast: 6, Stopped: "rounds", Rounds: []result.Round{
			{Round: 0, Forecast: 7.5, Positions: map[string]float64{"a": 5, "b": 10}},
			{Round: 1, Forecast: 6, Positions: map[string]float64{"a": 5, "b": 7}},
		}},
	}, Extensions: result.Extensions{Trades: &result.Trades{Exchanges: []result.Exchange{
		{Round: 1, Actors: [2]string{"a", "b"}, Supply: map[string]string{"a": "x", "b": "y"}, Gain: 0.25,
			Moves: map[string]result.ExchangeMove{"a": {Issue: "x", From: 0, To: 10}, "b": {Issue: "y", From: 10, To: 7}}},
		{Round: 1, Actors: [2]string{"b", "a"}, Supply: map[string]string{"a": "x", "b": "y"}, Gain: 0.5,
			Moves: map[string]result.ExchangeMove{"a": {Issue: "x", From: 10, To: 10}, "b": {Issue: "y", From: 7, To: 7}}},
	}}}}
	var buf bytes.Buffer
	if err := Forecast(&buf, sc, res); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"Round 1: 2 exchanges, in the order realised",
		"1  0.2500  Alpha  x         0.00  10.00  Beta     y         10.00   7.00",
		"2  0.5000  Beta   y         7.00   7.00  Alpha    x         10.00  10.00",
		// the Moves column counts each issue's exchange moves
		"      1     50.00    0.00  0.00      2",
		"      1      6.00    0.00  0.00      2",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestFitToWidth: every line of the forecast and scenario reports of the
// built-in Kosovo scenario fits each width from 60 to 160 columns, and
// labels cut with "…" appear in full elsewhere in the report.
func TestFitToWidth(t *testing.T) {
	sc := kosovoForWidth(t)
	res := mustEUM(t, sc)
	for width := 80; width <= 160; width += 20 {
		for name, write := range map[string]func(io.Writer) error{
			"forecast": func(w io.Writer) error { return Forecast(w, sc, res) },
			"scenario": func(w io.Writer) error { return Scenario(w, sc) },
		} {
			var b strings.Builder
			if err := write(WithWidth(&b, width)); err != nil {
				t.Fatal(err)
			}
			for _, l := range strings.Split(b.String(), "\n") {
				if TextWidth(l) > width {
					t.Errorf("%s at %d columns: a line of %d: %q", name, width, TextWidth(l), l)
				}
				if strings.HasSuffix(l, " ") {
					t.Errorf("%s at %d: trailing space in %q", name, width, l)
				}
			}
			for _, is := range sc.Issues {
				for _, a := range is.Anchors {
					if !strings.Contains(strings.Join(strings.Fields(b.String()), " "), a.Label) {
						t.Errorf("%s at %d: label %q not given in full", name, width, a.Label)
					}
				}
			}
		}
	}
}

func TestCutAndWrap(t *testing.T) {
	cases := []struct{ in, want string }{
		{Cut("Supervised independence", 12), "Supervised…"},
		{Cut("Supervised independence", 30), "Supervised independence"},
		{Cut("a, b", 3), "a…"},
		{Wrap("one two three four", 12, "- ", "  "), "- one two\n  three four"},
		{Wrap("one two three four", 9, "- ", "  "), "- one two\n  three\n  four"},
		{Wrap("see rule-of-law", 12, "", ""), "see\nrule-of-law"},
		{Wrap("one two", 0, "> ", "  "), "> one two"},
	}
	for _, c := range cases {
		if c.in != c.want {
			t.Errorf("got %q, want %q", c.in, c.want)
		}
	}
	rows := FitTable([][]string{{"Name", "N", "Where"}, {"a long actor name here", "1", "a long place label"}}, []Column{{Fit: FitWrap, Min: 8}, {}, {Fit: FitCut, Min: 8}}, 30)
	if w := TableWidth(rows); w > 30 || len(rows) < 3 || !strings.HasPrefix(rows[1][0], "a long") || !strings.HasSuffix(rows[1][2], "…") || rows[2][1] != "" {
		t.Errorf("FitTable to 30 columns (%d): %q", w, rows)
	}
	// A number in a narrowed column of numbers stays on its row's line,
	// aligned right, while the column's head wraps.
	var out strings.Builder
	tab := Table{Head: []string{"pair", "E(U) of first"}, Rows: [][]string{{"China – EU", "0.004"}, {"a – b", "-10.125"}}, Cols: []Column{{}, {Fit: FitWrap, Right: true}}}
	if err := tab.Write(&out, 20, ""); err != nil || !strings.Contains(out.String(), "\nChina – EU     0.004\na – b        -10.125\n") {
		t.Errorf("numbers in a wrapped column:\n%s", out.String())
	}
	// Two wrapped columns: the one with room to spare gives it up before
	// the other breaks a word ("Government" stays whole).
	rows = FitTable([][]string{{"actor", "change"}, {"Government of Serbia", "a b c d e f g h i j k l"}},
		[]Column{{Fit: FitWrap}, {Fit: FitWrap}}, 20)
	if w := TableWidth(rows); w > 20 || rows[1][0] != "Government" || rows[2][0] != "of Serbia" {
		t.Errorf("FitTable keeps words whole while it can (%d): %q", w, rows)
	}
	if got := FitTable([][]string{{"a", "b"}}, nil, 0); fmt.Sprint(got) != "[[a b]]" {
		t.Errorf("FitTable with no width: %q", got)
	}
}

// TestFitTableBreaks: a column with Breaks breaks its cells only after
// those characters while its pieces fit, and a wrapped column keeps its
// short cells on one line while another column can give up width.
func TestFitTableBreaks(t *testing.T) {
	cases := []struct {
		name  string
		rows  [][]string
		cols  []Column
		width int
		want  [][]string
	}{
		{"dotted field at its dots", [][]string{{"FIELD", "A"}, {"inputs.republika_srpska.borders.position", "20"}},
			[]Column{{Fit: FitWrap, Min: 30, Breaks: "."}}, 40,
			[][]string{{"FIELD", "A"}, {"inputs.republika_srpska.borders.", "20"}, {"  position", ""}}},
		{"dotted field fits whole", [][]string{{"FIELD", "A"}, {"inputs.kosovo_police.north.position", "10"}},
			[]Column{{Fit: FitWrap, Min: 30, Breaks: "."}}, 60,
			[][]string{{"FIELD", "A"}, {"inputs.kosovo_police.north.position", "10"}}},
		{"hyphenated id at its hyphens", [][]string{{"Issue", "N"}, {"minimum-wage-and-collective-bargaining-position", "27"}},
			[]Column{{Fit: FitWrap, Min: 16, Breaks: "-"}}, 24,
			[][]string{{"Issue", "N"}, {"minimum-wage-and-", "27"}, {"  collective-", ""}, {"  bargaining-", ""}, {"  position", ""}}},
		{"short phrase kept whole", [][]string{{"Issue", "Ends"}, {"reform-of-the-public-broadcasting-council-position", "did not settle"}},
			[]Column{{Fit: FitWrap, Min: 16, Breaks: "-"}, {Fit: FitWrap, Min: 8}}, 52,
			[][]string{{"Issue", "Ends"}, {"reform-of-the-public-broadcasting-", "did not settle"}, {"  council-position", ""}}},
	}
	for _, c := range cases {
		got := FitTable(c.rows, c.cols, c.width)
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
		if w := TableWidth(got); w > c.width {
			t.Errorf("%s: %d columns wide, over %d", c.name, w, c.width)
		}
	}
}

func kosovoForWidth(t *testing.T) *scenario.Scenario {
	t.Helper()
	sc, err := scenarios.Get("kosovo-2007")
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func mustEUM(t *testing.T, sc *scenario.Scenario) *result.Result {
	t.Helper()
	m, err := registry.Default().Get("eum")
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Run(context.Background(), sc, model.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestTrajectoryRange: kosovo-2007's serb_rights cycles (50, 53.92), so
// its trajectory shades the rounds and range of the cycle with the mean
// it settles at; status settles on a fixed point and gets no range.
func TestTrajectoryRange(t *testing.T) {
	sc := kosovoForWidth(t)
	res := mustEUM(t, sc)
	for _, ir := range res.Issues {
		c := Trajectory(sc, sc.Issue(ir.ID), &ir)
		switch ir.ID {
		case "serb_rights":
			if len(c.Ranges) != 1 {
				t.Fatalf("serb_rights: %d ranges", len(c.Ranges))
			}
			r := c.Ranges[0]
			if fmt.Sprintf("%.2f %.2f %.2f", r.Low, r.High, r.Mark) != "50.00 53.92 51.96" || r.X1 != 10 || r.X0 >= r.X1 ||
				r.Label != "cycle, period 2: 50.00–53.92, settles at the mean 51.96" {
				t.Errorf("serb_rights range %+v", r)
			}
		case "status":
			if len(c.Ranges) != 0 {
				t.Errorf("status settles on a fixed point, has ranges %+v", c.Ranges)
			}
		}
	}
}
