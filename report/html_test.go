package report

import (
	"bytes"
	"encoding/xml"
	"flag"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/parley-project/parley/param"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func render(t *testing.T, kind, resultFile string) string {
	t.Helper()
	info := RunInfo{ID: 42, Kind: kind, Status: "done", Model: "eum", Variant: "scholz",
		Params: map[string]param.Value{"q": param.Number(1), "t": param.Number(-1)}, Seed: 7, CodeVersion: "test",
		Created: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)}
	page, err := Decode(info, readTestdata(t, "dispute.json"), readTestdata(t, resultFile))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := HTML(&b, page); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./report -update creates it)", err)
	}
	if got != string(want) {
		t.Errorf("HTML differs from %s (go test ./report -update rewrites it)", path)
	}
}

var svgRe = regexp.MustCompile(`(?s)<svg .*?</svg>`)

// checkSelfContained fails when the page loads anything from outside or
// holds a malformed SVG.
func checkSelfContained(t *testing.T, page string) {
	t.Helper()
	for _, bad := range []string{"<script", "<link", "<img", "<iframe", "src=", "@import", "url(http", `href="http`, `href="//`} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	for _, s := range svgRe.FindAllString(page, -1) {
		d := xml.NewDecoder(strings.NewReader(s))
		for {
			_, err := d.Token()
			if err != nil {
				if err.Error() != "EOF" {
					t.Errorf("malformed SVG: %v", err)
				}
				break
			}
		}
	}
}

func TestHTMLGolden(t *testing.T) {
	cases := []struct {
		name, kind, result string
		want, absent       []string
	}{
		{"report-forecast.html", "forecast", "forecast.json",
			[]string{`id="scenario"`, "Trajectory of Harbour status", "Trajectory of Fees", "Town A&#39;s council holds the quay deeds.",
				`<td><a href="#ev1">[1–2]</a></td>`, `<li id="ev1">Town A, capability: Harbour Gazette, 2020-01, paragraph 2.`, "Two towns &amp; a port authority bargain over a harbour&#39;s status &lt;and&gt; its fees.",
				"Last round's forecast 48.00 (≈ Joint board) after 2 rounds (stopped: rounds). <strong>How it ends:</strong> did not settle: 48.00–50.00 over rounds 1–2.", `<td class="n nowrap">49.00 (48.00–50.00)</td><td>did not settle: 48.00–50.00 over rounds 1–2</td>`},
			[]string{`id="outcomes"`, `id="sensitivity"`, `id="process"`, `id="recognition"`}},
		{"report-sweep.html", "sweep", "sweep.json",
			[]string{`id="outcomes"`, `<td class="n">48.25</td>`, "Probability of each band of the scale", "Histogram of the forecast", "Town A runs it: 0.15"},
			[]string{"Trajectory of", `id="sensitivity"`, `id="process"`}},
		{"report-process.html", "process", "process.json",
			[]string{"Trajectory of Harbour status", `id="process"`, "vetoed by Town A", "<strong>unilateral declaration</strong>", `id="recognition"`,
				"with its interval shaded", `id="sensitivity"`, "Inputs ranked by oat"},
			[]string{`id="outcomes"`, "Trajectory of Fees"}},
		{"report-sensitivity.html", "sensitivity", "sensitivity.json",
			[]string{`id="sensitivity"`, "<h3>Issue status</h3>", "<h3>Issue fees</h3>", "Inputs ranked by effect", `<th class="n">first_order</th>`},
			[]string{`id="outcomes"`, "Trajectory of"}},
		{"report-conflicts.html", "conflicts", "conflicts.json",
			[]string{`id="conflicts"`, "<h3>Issue status: Harbour status</h3>", `class="rel"`, "Mutual conflicts, by capability involved",
				"perceptual map (round 0)", "Each actor's map (3)"},
			[]string{`id="advice"`, `id="power"`, "Trajectory of"}},
		{"report-advice.html", "advice", "advice.json",
			[]string{`id="advice"`, "<h2>Advice for Town A</h2>", "Own levers", "Whom to work on", "<h3>Pairs</h3>", "a position 10.00 → 0.00"},
			[]string{`id="conflicts"`, `id="power"`}},
		{"report-power.html", "power", "power.json",
			[]string{`id="power"`, "Voting power: UN Security Council (2007)", "<td class=\"n\">19.6270</td>", "What would reverse the vote", "must switch to yes to pass it"},
			[]string{`id="conflicts"`, `id="advice"`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			page := render(t, c.kind, c.result)
			checkSelfContained(t, page)
			for _, w := range c.want {
				if !strings.Contains(page, w) {
					t.Errorf("missing %q", w)
				}
			}
			for _, a := range c.absent {
				if strings.Contains(page, a) {
					t.Errorf("unexpected %q", a)
				}
			}
			golden(t, c.name, page)
		})
	}
}

func TestDecodeSections(t *testing.T) {
	p, err := Decode(RunInfo{Kind: "process"}, nil, readTestdata(t, "process.json"))
	if err != nil {
		t.Fatal(err)
	}
	if p.Scenario != nil || p.Forecast == nil || len(p.Forecast.Issues) != 1 {
		t.Fatalf("forecast section: %+v", p.Forecast)
	}
	if len(p.Stages) != 3 || !p.Stages[2].Final || p.Stages[1].Final || p.Stages[0].Name != "talks" || p.Stages[1].Detail != "2020-04-01: vetoed by Town A" {
		t.Errorf("stages %+v", p.Stages)
	}
	if len(p.Recognition) != 4 || p.Recognition[2].Value != 30 || *p.Recognition[3].Hi != 50 || p.RecognitionX != "months after 2020-05" ||
		math.Abs(p.Recognition[3].T-3) > 0.05 {
		t.Errorf("recognition %+v", p.Recognition)
	}
	if len(p.Sensitivity) != 1 || len(p.Sensitivity[0].Rows) != 3 || p.Sensitivity[0].Rows[0].Input != "b × salience" || len(p.Sensitivity[0].Rows[0].Measures) != 3 {
		t.Errorf("sensitivity %+v", p.Sensitivity)
	}
	var order []string
	for _, r := range sensitivityView(p.Sensitivity[0].Rows).Rows {
		order = append(order, r.Input)
	}
	if strings.Join(order, ",") != "a × capability,b × salience,port × position" {
		t.Errorf("ranking %v, want by total", order)
	}
	// Generic shapes: a flat stage list with a marked final stage, a
	// recognition run's own "cumulative" curve with numeric times.
	g, err := Decode(RunInfo{Kind: "recognition"}, nil, []byte(`{"stages": [{"stage": "a", "final": true}, {"stage": "b"}],
		"cumulative": [{"t": 0, "count": 1}, {"t": 5, "count": 3, "lo": 2, "hi": 4}]}`))
	if err != nil || len(g.Stages) != 2 || !g.Stages[0].Final || g.Stages[1].Final || len(g.Recognition) != 2 ||
		g.Recognition[1].T != 5 || g.Recognition[0].Lo != nil || g.RecognitionX != "time" {
		t.Errorf("generic shapes: %+v %v", g, err)
	}
	// A page without scenario still renders its forecast.
	var b bytes.Buffer
	if err := HTML(&b, p); err != nil || !strings.Contains(b.String(), "Trajectory of Harbour status") {
		t.Errorf("no-scenario page: %v", err)
	}

	for _, bad := range []struct{ snap, doc string }{{`{"name": 3}`, `{}`}, {``, `[1, 2`}, {``, `{"issues": 5}`}} {
		if _, err := Decode(RunInfo{}, []byte(bad.snap), []byte(bad.doc)); err == nil {
			t.Errorf("Decode(%s, %s) succeeded", bad.snap, bad.doc)
		}
	}
	// An unfinished run has no result: the scenario alone.
	p, err = Decode(RunInfo{Kind: "sweep"}, readTestdata(t, "dispute.json"), nil)
	if err != nil || p.Scenario == nil || p.Forecast != nil || p.Outcomes != nil {
		t.Errorf("scenario-only page: %+v %v", p, err)
	}
	p.Run = RunInfo{ID: 9, Kind: "sweep", Status: "running"}
	b.Reset()
	if err := HTML(&b, p); err != nil || !strings.Contains(b.String(), "parley sweep --resume 9</code> completes it") || strings.Contains(b.String(), `id="outcomes"`) {
		t.Errorf("unfinished sweep page: %v", err)
	}
}

// FuzzDecode feeds arbitrary snapshots and result documents to Decode and
// renders what it accepts: neither may panic.
func FuzzDecode(f *testing.F) {
	for _, name := range []string{"forecast.json", "sweep.json", "process.json", "sensitivity.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add([]byte(`{"name": "x", "issues": [{"id": "status", "min": 0, "max": 100}], "actors": []}`), b)
	}
	f.Add([]byte(``), []byte(`{"issues": [{"id": "a", "rounds": []}], "stages": [{"stage": 1}], "recognition": [{"t": "x"}]}`))
	f.Fuzz(func(t *testing.T, snap, doc []byte) {
		p, err := Decode(RunInfo{Kind: "sensitivity"}, snap, doc)
		if err != nil {
			return
		}
		var b bytes.Buffer
		if err := HTML(&b, p); err != nil {
			t.Fatalf("HTML failed on a decoded page: %v", err)
		}
	})
}
