package report

import (
	"bytes"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parley-project/parley/param"
	"github.com/parley-project/parley/run"
	"github.com/parley-project/parley/store"
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

// stored is a run as the store keeps it: kind, the scenario snapshot and
// the result document.
func stored(kind string, snapshot, result []byte) *store.Run {
	return &store.Run{ID: 42, Kind: kind, Status: "done", Model: "eum", Variant: "scholz",
		Params: map[string]param.Value{"q": param.Number(1), "t": param.Number(-1)}, Seed: 7, CodeVersion: "test",
		Created: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC), Snapshot: snapshot, Result: result}
}

// page reads a stored run with the run layer and makes its page.
func page(t *testing.T, row *store.Run) *Page {
	t.Helper()
	r, err := run.Read(row)
	if err != nil {
		t.Fatal(err)
	}
	return NewPage(r)
}

func render(t *testing.T, kind, resultFile string) string {
	t.Helper()
	page := page(t, stored(kind, readTestdata(t, "dispute.json"), readTestdata(t, resultFile)))
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

// svgDocs are the outermost SVG documents of a page, each with the SVG
// documents nested in it.
func svgDocs(page string) []string {
	var out []string
	for {
		start := strings.Index(page, "<svg ")
		if start < 0 {
			return out
		}
		depth, at := 0, start
		for {
			open, end := strings.Index(page[at:], "<svg "), strings.Index(page[at:], "</svg>")
			if end < 0 {
				return append(out, page[start:])
			}
			if open >= 0 && open < end {
				depth++
				at += open + 5
				continue
			}
			depth--
			at += end + len("</svg>")
			if depth == 0 {
				break
			}
		}
		out = append(out, page[start:at])
		page = page[at:]
	}
}

// checkSelfContained fails when the page loads anything from outside or
// holds a malformed SVG.
func checkSelfContained(t *testing.T, page string) {
	t.Helper()
	for _, bad := range []string{"<script", "<link", "<img", "<iframe", "src=", "@import", "url(http", `href="http`, `href="//`} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	for _, s := range svgDocs(page) {
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
				"Last round's forecast 48.00 (≈ Joint board) after 2 rounds (stopped: rounds). <strong>How it ends:</strong> did not settle: 48.00–50.00 over rounds 1–2.",
				`<td class="n nowrap">49.00 (48.00–50.00)</td><td>Joint board</td><td>did not settle: 48.00–50.00 over rounds 1–2</td>`, `id="findings"`,
				`<td>Port authority</td><td class="n nowrap">50.00</td><td class="n nowrap">48.00</td><td>≈ Joint board</td>`},
			[]string{`id="outcomes"`, `id="sensitivity"`, `id="process"`, `id="recognition"`}},
		{"report-sweep.html", "sweep", "sweep.json",
			[]string{`id="outcomes"`, `<td class="n nowrap">48.25</td>`, "Probability of each band of the scale", "Histogram of the forecast", "<td>Town A runs it</td>", `<td class="n nowrap">0.150</td>`,
				"drop-out"},
			[]string{"Trajectory of", `id="sensitivity"`, `id="process"`}},
		{"report-process.html", "process", "process.json",
			[]string{`id="process"`, "<td>vetoed by Town A</td>", `aria-label="Process timeline"`, `id="recognition"`,
				"with its median and its 90% band shaded", "UN member states recognising Town B"},
			[]string{`id="outcomes"`, "Trajectory of", `id="sensitivity"`}},
		{"report-sensitivity.html", "sensitivity", "sensitivity.json",
			[]string{`id="sensitivity"`, "<h3>Issue status: Harbour status</h3>", "<h3>Issue fees: Fees</h3>", "Inputs ranked by effect", `<th class="n">S1</th>`, "first-order Sobol index"},
			[]string{`id="outcomes"`, "Trajectory of"}},
		{"report-conflicts.html", "conflicts", "conflicts.json",
			[]string{`id="conflicts"`, "<h3>Issue status: Harbour status</h3>", `class="rel"`, "Mutual conflicts (each side expects to gain by challenging the other), by capability involved: 2 pairs", "Expected utility of challenging",
				"perceptual map (round 0)", "Each actor's map (3)"},
			[]string{`id="advice"`, `id="power"`, "Trajectory of"}},
		{"report-advice.html", "advice", "advice.json",
			[]string{`id="advice"`, "<h2>Advice for Town A</h2>", "Own levers", "Whom to work on", "<h3>Pairs</h3>", "a position 10.00 → 0.00"},
			[]string{`id="conflicts"`, `id="power"`}},
		{"report-power.html", "power", "power.json",
			[]string{`id="power"`, "Voting power: UN Security Council (2007)", "<td class=\"n nowrap\">19.6270</td>", "Penrose: probability", "What would reverse the vote", "must switch to yes to pass it"},
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

func TestPageSections(t *testing.T) {
	p := page(t, stored("process", nil, readTestdata(t, "process.json")))
	if p.Scenario != nil || p.Process == nil || p.Forecast != nil || p.Sweep != nil {
		t.Fatalf("process page: %+v", p)
	}
	var b bytes.Buffer
	if err := HTML(&b, p); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	// The stages with date and outcome, the events on the time axis.
	for _, want := range []string{"<td class=\"nowrap\">council</td><td class=\"nowrap\">vote</td><td class=\"nowrap\">2020-04-01</td><td>vetoed by Town A</td>", `aria-label="Process timeline"`} {
		if !strings.Contains(html, want) {
			t.Errorf("process page lacks %q", want)
		}
	}
	// A forecast without its scenario still draws its trajectories, the
	// actors named by id.
	p = page(t, stored("forecast", nil, readTestdata(t, "forecast.json")))
	b.Reset()
	if err := HTML(&b, p); err != nil || !strings.Contains(b.String(), "Trajectory of Harbour status") {
		t.Errorf("no-scenario page: %v", err)
	}
	// A kind this build does not know shows the run and its scenario.
	p = page(t, stored("future", readTestdata(t, "dispute.json"), []byte(`{"anything": [1, 2]}`)))
	b.Reset()
	if err := HTML(&b, p); err != nil || !strings.Contains(b.String(), `id="scenario"`) {
		t.Errorf("unknown kind: %v", err)
	}
	for _, bad := range []struct{ kind, snap, doc string }{{"forecast", `{"name": 3}`, `{}`}, {"forecast", ``, `[1, 2`}, {"sweep", ``, `{"issues": 5}`}} {
		if _, err := run.Read(stored(bad.kind, []byte(bad.snap), []byte(bad.doc))); err == nil {
			t.Errorf("Read(%s, %s, %s) succeeded", bad.kind, bad.snap, bad.doc)
		}
	}
	// An unfinished run has no result: the scenario alone.
	row := stored("sweep", readTestdata(t, "dispute.json"), nil)
	row.ID, row.Status = 9, "running"
	p = page(t, row)
	if p.Scenario == nil || p.Sweep != nil {
		t.Errorf("scenario-only page: %+v", p)
	}
	b.Reset()
	if err := HTML(&b, p); err != nil || !strings.Contains(b.String(), "parley sweep --resume 9</code> completes it") || strings.Contains(b.String(), `id="outcomes"`) {
		t.Errorf("unfinished sweep page: %v", err)
	}
}

// FuzzReadAndRender feeds arbitrary snapshots and result documents of
// every kind to the run layer's Read and renders the pages of what it
// accepts: neither may panic.
func FuzzReadAndRender(f *testing.F) {
	for _, c := range [][2]string{{"forecast", "forecast.json"}, {"sweep", "sweep.json"}, {"process", "process.json"}, {"sensitivity", "sensitivity.json"}} {
		b, err := os.ReadFile(filepath.Join("testdata", c[1]))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(c[0], []byte(`{"name": "x", "issues": [{"id": "status", "min": 0, "max": 100}], "actors": []}`), b)
	}
	f.Add("recognition", []byte(``), []byte(`{"cumulative": [{"date": "x"}], "states": []}`))
	f.Add("forecast", []byte(``), []byte(`{"issues": [{"id": "a", "rounds": []}]}`))
	f.Fuzz(func(t *testing.T, kind string, snap, doc []byte) {
		r, err := run.Read(stored(kind, snap, doc))
		if err != nil {
			return
		}
		var b bytes.Buffer
		if err := HTML(&b, NewPage(r)); err != nil {
			t.Fatalf("HTML failed on a page read: %v", err)
		}
	})
}
