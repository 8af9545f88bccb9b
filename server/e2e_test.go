package server

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/store"
)

// chromium finds a headless-capable Chromium. Locally the end-to-end
// tests skip without one; in CI ($CI set) they fail, as .ci/run installs
// Debian's chromium.
func chromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("no chromium in CI: .ci/run should install it")
	}
	t.Skip("no chromium on PATH (apt-get install chromium): skipping the browser tests")
	return ""
}

func browser(t *testing.T) context.Context {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("headless", true), chromedp.WindowSize(1400, 1000))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	// Start the browser on this context, so that the shorter contexts of
	// single steps do not own (and close) it.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	return ctx
}

// typeInto replaces an input's text as a user would and leaves the field,
// which fires its change event.
func typeInto(t *testing.T, ctx context.Context, sel, text string) {
	t.Helper()
	eval(t, ctx, `(document.querySelector('`+sel+`').value = "")`)
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(sel), text), chromedp.Blur(chromedp.CSS(sel))); err != nil {
		t.Fatalf("typing into %s: %v", sel, err)
	}
	if v := eval(t, ctx, `document.querySelector('`+sel+`').value`); v != text {
		t.Fatalf("typed %q into %s, it holds %q", text, sel, v)
	}
}

// do runs browser steps, failing the test on error.
func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := chromedp.Do(sctx, steps...); err != nil {
		page, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
		t.Fatalf("%v; the page shows:\n%s", err, page)
	}
}

// eval evaluates a JavaScript expression giving a string.
func eval(t *testing.T, ctx context.Context, expr string) string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return v
}

func TestBrowserCreateRunValidate(t *testing.T) {
	s, ts := newTest(t, Config{})
	ctx := browser(t)
	type css = chromedp.CSS
	capSel := `input[data-field="actors[0].capability"]`
	// Create a scenario from the blank template.
	createBlank(t, ctx, ts.URL, "e2e-demo")
	// The export links are the server's formats, bdm once per issue.
	links := eval(t, ctx, `[...document.querySelectorAll('a[href*="/export?format="]')].map(a => a.textContent).join(" ")`)
	if !strings.HasPrefix(links, "yaml json ktab ktab-xml decide bdm (") {
		t.Errorf("export links %q", links)
	}
	// A negative capability: the server's message appears beside the field.
	typeInto(t, ctx, capSel, "-5")
	do(t, ctx, chromedp.Click(css("#save")), chromedp.WaitVisible(css("#actors .problem")))
	problem := eval(t, ctx, `document.querySelector('`+capSel+`').closest("td").querySelector(".problem").textContent`)
	if !strings.Contains(problem, "capability must not be negative, got -5") {
		t.Errorf("problem beside the capability: %q", problem)
	}
	if got := eval(t, ctx, `document.querySelector('`+capSel+`').className`); got != "invalid" {
		t.Errorf("the capability field's class is %q, want invalid", got)
	}
	// Fix it and save.
	typeInto(t, ctx, capSel, "40")
	do(t, ctx, chromedp.Click(css("#save")), chromedp.WaitVisible(css("#status.ok")))
	if status := text(t, ctx, "#status"); !strings.Contains(status, "saved (version 2)") {
		t.Errorf("status after the fix: %q", status)
	}
	st, err := s.scen.Scenario(context.Background(), "e2e-demo")
	if err != nil || !strings.Contains(st.Source, `"capability": 40`) {
		t.Fatalf("stored scenario: %v %+v", err, st)
	}
	// Run a forecast and see the chart. The weighted median of positions
	// 10, 60, 90 with weights 40×0.8 = 32, 30×0.6 = 18 and 20×0.5 = 10 is
	// 10: the first actor holds more than half of the weight.
	if got := eval(t, ctx, `(document.querySelector("#run-model").value = "median", document.querySelector("#run-model").value)`); got != "median" {
		t.Fatalf("the model list has no median: select value %q", got)
	}
	do(t, ctx, chromedp.Click(css("#run-forecast")),
		chromedp.WaitVisible(css(".chart-box svg")))
	if f := text(t, ctx, ".forecast-value"); f != "10.00" {
		t.Errorf("forecast shown %q, want 10.00", f)
	}
	if svg := eval(t, ctx, `document.querySelector(".chart-box svg").textContent`); !strings.Contains(svg, "forecast") {
		t.Errorf("chart text %q", svg)
	}
	// A second run, then the two side by side.
	do(t, ctx, chromedp.Navigate(ts.URL+"/#/scenario/e2e-demo"),
		chromedp.WaitVisible(css("#run-forecast")),
		chromedp.Click(css("#run-forecast")),
		chromedp.WaitVisible(css(".chart-box svg")),
		chromedp.Navigate(ts.URL+"/#/runs"),
		chromedp.WaitVisible(css("#runs input.pick")),
		chromedp.Click(css(`#runs input[data-id="1"]`)),
		chromedp.Click(css(`#runs input[data-id="2"]`)),
		chromedp.Click(css("#compare")),
		chromedp.WaitVisible(css("#right .chart-box svg")),
		chromedp.WaitVisible(css("#left .chart-box svg")))
	if n := eval(t, ctx, `document.querySelectorAll(".compare .chart-box > div > svg").length + ""`); n != "2" {
		t.Errorf("%s charts side by side, want 2", n)
	}
}

// TestBrowserIssueCapability edits an actor's capability on one issue in
// the editor: a negative one is refused beside the field, a valid one is
// stored in the stance and changes the forecast, and clearing the field
// removes it.
func TestBrowserIssueCapability(t *testing.T) {
	s, ts := newTest(t, Config{})
	ctx := browser(t)
	type css = chromedp.CSS
	createBlank(t, ctx, ts.URL, "e2e-cap")
	issue := eval(t, ctx, `document.querySelector('input[data-field="issues[0].id"]').value`)
	sel := `input[data-field="actors[0].stances.` + issue + `.capability"]`
	// The capability on each issue has its column once asked for.
	do(t, ctx, chromedp.Click(css("#show-issue-cap")), chromedp.WaitVisible(css(sel)))
	typeInto(t, ctx, sel, "-2")
	do(t, ctx, chromedp.Click(css("#save")), chromedp.WaitVisible(css("#actors .problem")))
	if p := eval(t, ctx, `document.querySelector('`+sel+`').closest("td").querySelector(".problem").textContent`); !strings.Contains(p, "capability must not be negative, got -2") {
		t.Errorf("problem beside the capability on the issue: %q", p)
	}
	typeInto(t, ctx, sel, "400")
	do(t, ctx, chromedp.Click(css("#save")), chromedp.WaitVisible(css("#status.ok")))
	st, err := s.scen.Scenario(context.Background(), "e2e-cap")
	if err != nil {
		t.Fatal(err)
	}
	sc, err := scenario.Parse([]byte(st.Source), "e2e-cap.json")
	if err != nil || sc.Actors[0].CapabilityOn(issue) != 400 || sc.Actors[0].Capability.Value == 400 {
		t.Fatalf("stored: %v, capability on %s %v", err, issue, sc.Actors[0].CapabilityOn(issue))
	}
	// Clear the field as a user would (select all, delete) and leave it.
	eval(t, ctx, `(() => { const f = document.querySelector('`+sel+`'); f.value = ""; f.dispatchEvent(new Event("change")); return ""; })()`)
	do(t, ctx, chromedp.Click(css("#save")), chromedp.Poll[chromedp.Void](`document.querySelector("#status").textContent.includes("version 3")`, chromedp.WithPollingTimeout(10*time.Second)))
	st, _ = s.scen.Scenario(context.Background(), "e2e-cap")
	if sc, err = scenario.Parse([]byte(st.Source), "e2e-cap.json"); err != nil || sc.IssueCapabilities() {
		t.Errorf("after clearing: %v, capabilities on issues left: %v", err, sc.IssueCapabilities())
	}
}

// TestBrowserSettlementAndInterval runs the EUM on kosovo-2007 with an
// interval from the editor and sees, per issue, how the forecast ends and
// its interval; then adds an interval to a run that has none.
func TestBrowserSettlementAndInterval(t *testing.T) {
	_, ts := newTest(t, Config{})
	ctx := browser(t)
	type css = chromedp.CSS
	do(t, ctx, chromedp.Navigate(ts.URL+"/#/scenario/kosovo-2007"),
		chromedp.WaitVisible(css("#run-forecast")),
		chromedp.Click(css("#run-interval")))
	typeInto(t, ctx, "#interval-draws", "40")
	do(t, ctx, chromedp.Click(css("#run-forecast")),
		chromedp.WaitVisible(css("#findings")))
	rows := eval(t, ctx, `[...document.querySelectorAll("#findings tr")].map(r => r.innerText.replaceAll("\t", " | ")).join("\n")`)
	for _, want := range []string{
		"Final status of Kosovo | 80.00 | Supervised independence (Ahtisaari plan, EU-led supervision) | fixed at 80.00 from round 0 | ",
		"51.96 (50.00–53.92) | ≈ Ahtisaari guarantees: Serb municipalities with wide powers, protected zones around Orthodox sites | cycles between 50.00 and 53.92 (period 2, from round 2)",
		"did not settle: 85.00–90.00 over rounds 5–10",
	} {
		if !strings.Contains(rows, want) {
			t.Errorf("summary lacks %q:\n%s", want, rows)
		}
	}
	if note := text(t, ctx, "#forecast-note"); !strings.Contains(note, "over a sweep of 40 draws (seed 1)") {
		t.Errorf("note %q", note)
	}
	if eval(t, ctx, `document.querySelector("#add-interval") ? "yes" : "no"`) != "no" {
		t.Error("a run with an interval offers to add one")
	}
	// A run without an interval offers one: the same forecast again.
	do(t, ctx, chromedp.Navigate(ts.URL+"/#/scenario/emission-1994"),
		chromedp.WaitVisible(css("#run-forecast")),
		chromedp.Click(css("#run-forecast")),
		chromedp.WaitVisible(css("#add-interval")),
		chromedp.Click(css("#add-interval")),
		chromedp.WaitVisible(css("#findings td.interval")))
	if got := text(t, ctx, "#findings td.interval"); !strings.Contains(got, "(median ") || !strings.Contains(text(t, ctx, "#forecast-note"), "200 draws (seed 1)") {
		t.Errorf("added interval %q", got)
	}
	if got := text(t, ctx, "#run h2"); !strings.Contains(got, "Run 3: forecast of emission-1994") {
		t.Errorf("heading %q", got)
	}
}

// TestBrowserExchangeOutputs runs the exchange model from the page with
// randomised equal gain and repetitions given as parameters, and reads the
// per-actor gains and the voting summary the run page shows against the
// stored result.
func TestBrowserExchangeOutputs(t *testing.T) {
	_, ts := newTest(t, Config{})
	ctx := browser(t)
	type css = chromedp.CSS
	do(t, ctx, chromedp.Navigate(ts.URL+"/#/scenario/kosovo-2007"),
		chromedp.WaitVisible(css("#run-forecast")))
	setValue(t, ctx, "#run-model", "exchange")
	typeInto(t, ctx, `input[data-param="p"]`, "0.2")
	typeInto(t, ctx, `input[data-param="repetitions"]`, "3")
	do(t, ctx, chromedp.Click(css("#run-forecast")),
		chromedp.WaitVisible(css("#actor-gains")),
		chromedp.WaitVisible(css("#issue-voting")))
	var run struct {
		ID     int64          `json:"id"`
		Params map[string]any `json:"params"`
		Result struct {
			Repetitions int `json:"repetitions"`
			ActorGains  []struct {
				Actor string
				Own   struct{ Mean float64 }
			} `json:"actor_gains"`
		} `json:"result"`
	}
	want(t, call(t, ts, "GET", "/api/v1/runs/1", nil, &run), 200)
	if run.Params["p"] != 0.2 || run.Params["repetitions"] != 3.0 || run.Result.Repetitions != 3 {
		t.Fatalf("stored params %v, repetitions %d", run.Params, run.Result.Repetitions)
	}
	own := 0.0
	for _, g := range run.Result.ActorGains {
		if g.Actor == "russia" {
			own += g.Own.Mean
		}
	}
	rows := eval(t, ctx, `[...document.querySelectorAll("#actor-gains tr")].map(r => r.innerText.replaceAll("\t", " | ")).join("\n")`)
	if n := strings.Count(rows, "\n"); n != 24 || !strings.Contains(rows, "russia | ") || !strings.Contains(rows, fmt.Sprintf(" | %.3f | ", own)) {
		t.Errorf("actor gains (%d rows; russia's own gain %.3f):\n%s", n, own, rows)
	}
	voting := eval(t, ctx, `[...document.querySelectorAll("#issue-voting tr")].map(r => r.innerText.replaceAll("\t", " | ")).join("\n")`)
	if !strings.Contains(voting, "Voting 10 sd") || !strings.Contains(voting, "status | 68.18 | ") {
		t.Errorf("voting summary:\n%s", voting)
	}
	if note := eval(t, ctx, `document.querySelector("#run").innerText`); !strings.Contains(note, "Means over 3 repetitions") {
		t.Errorf("no note of the repetitions")
	}
}

func TestBrowserLogin(t *testing.T) {
	_, ts := newTest(t, Config{Token: "tok-123"})
	ctx := browser(t)
	do(t, ctx, chromedp.Navigate(ts.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS("#token")),
		chromedp.SendKeys(chromedp.CSS("#token"), "tok-123"),
		chromedp.Click(chromedp.CSS("#login")),
		chromedp.WaitVisible(chromedp.CSS("#scenario-list")))
	if title := text(t, ctx, "h1"); title != "Scenarios" {
		t.Errorf("after login: %q", title)
	}
}

// TestBrowserSweepAndProcess runs a sweep and a process from the editor
// of built-in scenarios and sees the distribution, the timeline and the
// recognition curve.
func TestBrowserSweepAndProcess(t *testing.T) {
	_, ts := newTest(t, Config{})
	ctx := browser(t)
	type css = chromedp.CSS
	do(t, ctx, chromedp.Navigate(ts.URL+"/#/scenario/emission-1994"),
		chromedp.WaitVisible(css("#tab-sweep")), chromedp.Click(css("#tab-sweep")), chromedp.WaitVisible(css("#run-sweep")))
	typeInto(t, ctx, "#sweep-draws", "40")
	do(t, ctx, chromedp.Click(css("#run-sweep")),
		// The job page polls until the sweep is done, then shows the run.
		chromedp.WaitVisible(css("#run .chart-box svg")))
	if got := text(t, ctx, "#run h2"); !strings.Contains(got, "sweep of emission-1994") {
		t.Errorf("sweep run heading %q", got)
	}
	if got := eval(t, ctx, `document.querySelector("#run .chart-box svg").textContent`); !strings.Contains(got, "Histogram of the forecast") {
		t.Errorf("distribution chart %q", got)
	}
	do(t, ctx, chromedp.Navigate(ts.URL+"/#/scenario/kosovo-2007"),
		chromedp.WaitVisible(css("#tab-process")), chromedp.Click(css("#tab-process")),
		chromedp.Click(css("#run-process")),
		chromedp.WaitVisible(css("#run .chart-box svg")))
	do(t, ctx, chromedp.WaitVisible(css(`#run .chart-box[data-title="Recognition"] svg`)))
	titles := eval(t, ctx, `[...document.querySelectorAll("#run .chart-box h4")].map(h => h.textContent).join(",")`)
	if titles != "Timeline,Recognition" {
		t.Errorf("process charts %q", titles)
	}
	if got := eval(t, ctx, `document.querySelectorAll("#run .chart-box svg")[1].textContent`); !strings.Contains(got, "recognising") {
		t.Errorf("recognition chart %.200q", got)
	}
}

// TestBrowserEditEvidence adds a source and an evidence entry for a
// position in the editor, sees the server's problems beside the entry's
// fields, fixes them, saves, reloads and finds the entry, then deletes it.
func TestBrowserEditEvidence(t *testing.T) {
	s, ts := newTest(t, Config{})
	ctx := browser(t)
	type css = chromedp.CSS
	const pos = "actors[1].stances.issue.position"
	ev := `[data-evidence="` + pos + `"]`
	entry := func(field string) string { return `[data-field="` + pos + `.evidence[0].` + field + `"]` }
	createBlank(t, ctx, ts.URL, "e2e-evidence")
	do(t, ctx,
		// A source to cite.
		chromedp.Click(css("#add-source")),
		chromedp.WaitVisible(css(`[data-field="sources[0].id"]`)))
	typeInto(t, ctx, `[data-field="sources[0].id"]`, "ft-2007")
	typeInto(t, ctx, `[data-field="sources[0].outlet"]`, "Financial Times")
	typeInto(t, ctx, `[data-field="sources[0].date"]`, "2007-11-05")
	// Open b's position evidence from the keyboard and add an entry.
	do(t, ctx, chromedp.Focus(css(ev+" > .ev-toggle")), chromedp.KeyEvent("\r"),
		chromedp.WaitVisible(css(ev+" .ev-add")),
		chromedp.Click(css(ev+" .ev-add")),
		chromedp.WaitVisible(css(entry("source"))))
	if got := eval(t, ctx, `document.activeElement.dataset.field || ""`); got != pos+".evidence[0].source" {
		t.Errorf("after Add evidence the focus is on %q, want the new entry's source", got)
	}
	if got := eval(t, ctx, `[...document.querySelector('`+entry("source")+`').options].map(o => o.value).join(",")`); got != ",ft-2007" {
		t.Errorf("source choices %q, want the placeholder and ft-2007", got)
	}
	// Saved without a source or a paraphrase: the server's problems
	// appear beside those fields.
	do(t, ctx, chromedp.Click(css("#save")), chromedp.WaitVisible(css(ev+" .problem")))
	for field, msg := range map[string]string{"source": "missing source id", "text": "missing paraphrase of the evidence"} {
		got := eval(t, ctx, `document.querySelector('`+entry(field)+`').parentElement.querySelector(".problem").textContent`)
		if !strings.Contains(got, msg) {
			t.Errorf("beside the evidence %s: %q, want %q", field, got, msg)
		}
	}
	eval(t, ctx, `(() => { const s = document.querySelector('`+entry("source")+`'); s.value = "ft-2007"; s.dispatchEvent(new Event("change")); return ""; })()`)
	// A paragraph that is not a whole number: the server's problem
	// appears beside the paragraph, not as a request error on top.
	typeInto(t, ctx, entry("paragraph"), "2.5")
	typeInto(t, ctx, entry("text"), "The second party asked for a mid-point settlement.")
	do(t, ctx, chromedp.Click(css("#save")), chromedp.WaitVisible(css(entry("paragraph")+" ~ .problem")))
	if got := eval(t, ctx, `document.querySelector('`+entry("paragraph")+`').parentElement.querySelector(".problem").textContent`); !strings.Contains(got, "want a whole number, got 2.5") {
		t.Errorf("beside the evidence paragraph: %q", got)
	}
	if got := eval(t, ctx, `document.querySelector("#problems").textContent`); got != "" {
		t.Errorf("a paragraph's problem also shown on top: %q", got)
	}
	typeInto(t, ctx, entry("paragraph"), "4")
	do(t, ctx, chromedp.Click(css("#save")), chromedp.WaitVisible(css("#status.ok")))
	if status := text(t, ctx, "#status"); !strings.Contains(status, "saved (version 2)") {
		t.Errorf("status: %q", status)
	}
	st, err := s.scen.Scenario(context.Background(), "e2e-evidence")
	if err != nil {
		t.Fatal(err)
	}
	sc, err := scenario.Parse([]byte(st.Source), "e2e-evidence.json")
	if err != nil {
		t.Fatal(err)
	}
	want := []scenario.Evidence{{Source: "ft-2007", Paragraph: 4, Text: "The second party asked for a mid-point settlement."}}
	if got := sc.Actors[1].Stances["issue"].Position; got.Value != 60 || !slices.Equal(got.Evidence, want) {
		t.Errorf("stored position %+v, want 60 with %+v", got, want)
	}
	if len(sc.Sources) != 1 || sc.Sources[0] != (scenario.Source{ID: "ft-2007", Outlet: "Financial Times", Date: "2007-11-05"}) {
		t.Errorf("stored sources %+v", sc.Sources)
	}
	// Reloaded, the editor shows the entry; delete it and save.
	do(t, ctx, chromedp.Reload(), chromedp.WaitVisible(css(ev+" > .ev-toggle")))
	if got := text(t, ctx, ev+" > .ev-toggle"); got != "e1" {
		t.Errorf("after reload the position's evidence count is %q, want e1", got)
	}
	do(t, ctx, chromedp.Click(css(ev+" > .ev-toggle")), chromedp.WaitVisible(css(entry("text"))))
	got := eval(t, ctx, `["source", "paragraph", "text"].map(f => document.querySelector('[data-field="`+pos+`.evidence[0].' + f + '"]').value).join("|")`)
	if got != "ft-2007|4|The second party asked for a mid-point settlement." {
		t.Errorf("after reload the entry reads %q", got)
	}
	if got := text(t, ctx, "#evidence-list summary"); got != "Evidence (1)" {
		t.Errorf("evidence list %q", got)
	}
	// Deleting the cited source leaves the entry citing an unknown one:
	// saving opens the entry's editor with the problem beside the source.
	do(t, ctx, chromedp.Click(css(`#sources button`)), chromedp.WaitNotPresent(css(`[data-field="sources[0].id"]`)),
		chromedp.Click(css("#save")), chromedp.WaitVisible(css(ev+" .problem")))
	if got := eval(t, ctx, `document.querySelector('`+entry("source")+`').parentElement.querySelector(".problem").textContent`); !strings.Contains(got, `unknown source "ft-2007"`) {
		t.Errorf("beside the source of an entry citing a deleted source: %q", got)
	}
	if got := eval(t, ctx, `document.querySelector('`+entry("source")+`').selectedOptions[0].textContent`); got != "ft-2007 (not among the sources)" {
		t.Errorf("the entry's source reads %q", got)
	}
	do(t, ctx, chromedp.Click(css(ev+" .ev-delete")), chromedp.WaitNotPresent(css(entry("text"))),
		chromedp.Click(css("#save")), chromedp.WaitVisible(css("#status.ok")))
	if got := text(t, ctx, "#evidence-list"); got != "No evidence recorded." {
		t.Errorf("evidence list after the delete: %q", got)
	}
	if st, err = s.scen.Scenario(context.Background(), "e2e-evidence"); err != nil || st.Version != 3 || strings.Contains(st.Source, `"evidence"`) || strings.Contains(st.Source, `"sources"`) ||
		!strings.Contains(st.Source, `"position": 60`) {
		t.Errorf("stored after the delete: %v, version %d:\n%s", err, st.Version, st.Source)
	}
	do(t, ctx, chromedp.Reload(), chromedp.WaitVisible(css(ev+" > .ev-toggle")))
	if got := text(t, ctx, ev+" > .ev-toggle"); got != "e0" {
		t.Errorf("after the delete and a reload: %q, want e0", got)
	}
}

// TestBrowserResumeInterrupted: the runs list describes a cancelled sweep
// as interrupted with its draws (the text of 'parley runs') and offers to
// resume it; resuming finishes the run and shows its charts.
func TestBrowserResumeInterrupted(t *testing.T) {
	_, ts := newTest(t, Config{})
	req := map[string]any{"scenario": "kosovo-2007", "model": "eum", "rounds": 3, "draws": 400, "seed": 7, "noise": map[string]any{"position": 0.05}}
	var j Job
	want(t, call(t, ts, "POST", "/api/v1/runs/sweep", req, &j), 202)
	j = waitJob(t, ts, j.ID, func(j Job) bool { return j.Done >= 10 || ended(j) })
	want(t, call(t, ts, "POST", "/api/v1/jobs/"+j.ID+"/cancel", nil, &j), 200)
	if j = waitJob(t, ts, j.ID, ended); j.Status != JobCancelled {
		t.Fatalf("the sweep was not interrupted: %+v", j)
	}
	ctx := browser(t)
	type css = chromedp.CSS
	do(t, ctx, chromedp.Navigate(ts.URL+"/#/runs"), chromedp.WaitVisible(css("#runs .resume")))
	if got := text(t, ctx, "#runs .run-status"); !strings.HasPrefix(got, "interrupted (") || !strings.HasSuffix(got, "/400 draws)") {
		t.Errorf("runs list shows the interrupted sweep as %q", got)
	}
	do(t, ctx, chromedp.Click(css("#runs .resume")), chromedp.WaitVisible(css("#run .chart-box svg")))
	if got := eval(t, ctx, `document.querySelector("#run p.muted").textContent`); !strings.Contains(got, " · done · ") {
		t.Errorf("resumed run's line %q", got)
	}
}

// shot saves a screenshot of the page to $PARLEY_E2E_SHOTS/name.png when
// that variable names a folder (for looking at the pages).
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("PARLEY_E2E_SHOTS")
	if dir == "" {
		return
	}
	b, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(dir+"/"+name+".png", b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestBrowserStrategy starts the three strategy views from the scenario
// page of kosovo-2007 and reads them on their run pages: the conflicts
// table with each actor's map, an actor's advice, and the Security
// Council's voting power with what would pass a proposal.
func TestBrowserStrategy(t *testing.T) {
	_, ts := newTest(t, Config{})
	ctx := browser(t)
	type css = chromedp.CSS
	setValue := func(sel, v string) {
		eval(t, ctx, `(() => { const e = document.querySelector('`+sel+`'); e.value = "`+v+`"; e.dispatchEvent(new Event("change")); return e.value })()`)
	}
	open := func(tab string) {
		do(t, ctx, chromedp.Navigate(ts.URL+"/#/scenario/kosovo-2007"), chromedp.WaitVisible(css("#tab-"+tab)), chromedp.Click(css("#tab-"+tab)))
	}
	// Conflicts on status, the paper variant.
	open("conflicts")
	setValue("#run-model", "eum")
	setValue("#conflicts-issue", "status")
	setValue("#run-variant", "paper")
	do(t, ctx, chromedp.Click(css("#run-conflicts")), chromedp.WaitVisible(css(`#run table.rel[data-issue="status"]`)),
		chromedp.WaitVisible(css("#run .charts svg")))
	if rows := eval(t, ctx, `String(document.querySelectorAll('#run table.rel tr').length)`); rows != "21" {
		t.Errorf("relation table has %s rows, want 20 actors and a header", rows)
	}
	// United States (row 4) against Russia (column 5): a conflict the US
	// leads, as the paper variant computes it.
	if got := eval(t, ctx, `document.querySelectorAll('#run table.rel tr')[4].children[5].textContent`); got != "C>" {
		t.Errorf("USA–Russia cell %q", got)
	}
	if got := eval(t, ctx, `document.querySelector('#run table.mutual tr:nth-child(2)').textContent`); !strings.Contains(got, "United States – Russia") {
		t.Errorf("first mutual conflict %q", got)
	}
	if got := eval(t, ctx, `document.querySelector('#run .charts svg').textContent`); !strings.Contains(got, "perceptual map") || !strings.Contains(got, "Russia") {
		t.Errorf("first map %.200q", got)
	}
	shot(t, ctx, "strategy-conflicts")
	setValue(`#run select.map-actor`, "russia")
	do(t, ctx, chromedp.Poll[chromedp.Void](`document.querySelector('#run .charts svg') && document.querySelector('#run .charts svg').textContent.includes("Russia's perceptual map")`, chromedp.WithPollingTimeout(10*time.Second)))
	shot(t, ctx, "strategy-conflicts-russia")
	// The run's HTML report holds the view.
	resp, err := http.Get(ts.URL + eval(t, ctx, `document.querySelector('#run a[href$="/report"]').getAttribute("href")`))
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if report := string(page); !strings.Contains(report, `id="conflicts"`) || !strings.Contains(report, "Russia&#39;s perceptual map") {
		t.Errorf("report lacks the conflicts view (%d bytes)", len(report))
	}
	// Advice for Washington with the EUM: Belgrade, Moscow or Brussels to
	// 85 moves the fixed point from 80 to 85 (docs/scenarios/kosovo-2007.md
	// §10.2).
	open("advise")
	setValue("#run-model", "eum")
	setValue("#advise-actor", "usa")
	typeInto(t, ctx, "#advise-target", "85")
	do(t, ctx, chromedp.Click(css("#run-advise")), chromedp.WaitVisible(css("#advice-others")))
	// The target typed is the one advised on: 85, which Belgrade, Moscow
	// or Brussels reaches by moving to 85.
	if got := eval(t, ctx, `document.querySelector('#advice-others tr').textContent`); !strings.Contains(got, "To reach 85") {
		t.Errorf("advice header %q, want the target 85", got)
	}
	if got := text(t, ctx, "#advice-own-none"); !strings.Contains(got, "No change of United States's own") {
		t.Errorf("own levers note %q", got)
	}
	if got := eval(t, ctx, `document.querySelector('#advice-others tr:nth-child(2)').textContent`); !strings.Contains(got, "Serbia") || !strings.Contains(got, "+5") || !strings.Contains(got, "fixed") {
		t.Errorf("first actor to work on %q", got)
	}
	if got := eval(t, ctx, `String(document.querySelectorAll('#advice-pairs tr').length)`); got == "0" {
		t.Error("no pairs")
	}
	shot(t, ctx, "strategy-advice")
	// The Security Council's power and a proposal of 80 on status.
	open("vote")
	do(t, ctx, chromedp.Poll[chromedp.Void](`document.querySelectorAll('#vote-body option').length > 3`, chromedp.WithPollingTimeout(10*time.Second)))
	setValue("#vote-body", "unsc-2007")
	typeInto(t, ctx, "#vote-proposal", "80")
	do(t, ctx, chromedp.Click(css("#run-vote")), chromedp.WaitVisible(css("table#power")))
	if got := eval(t, ctx, `document.querySelector('table#power tr:nth-child(2)').textContent`); !strings.Contains(got, "19.6270") {
		t.Errorf("first member's row %q", got)
	}
	if got := text(t, ctx, "#switches"); !strings.Contains(got, "must switch to yes to pass it") {
		t.Errorf("switches %q", got)
	}
	shot(t, ctx, "strategy-power")
}

// TestBrowserFailedAndIdentical: a run whose job panicked shows as failed,
// with its reason, in the runs list and on its page; a sweep without
// noise says that its one draw was counted for all.
func TestBrowserFailedAndIdentical(t *testing.T) {
	s, ts := newTest(t, Config{})
	ctx0 := context.Background()
	failed := &store.Run{Kind: store.KindSweep, Scenario: "emission-1994", Model: "eum", Variant: "scholz"}
	if err := s.cfg.Store.Create(ctx0, failed); err != nil {
		t.Fatal(err)
	}
	const reason = "internal error in job 9: panic: runtime error: index out of range [3] with length 0"
	if err := s.cfg.Store.Fail(ctx0, failed.ID, reason); err != nil {
		t.Fatal(err)
	}
	var j Job
	want(t, call(t, ts, "POST", "/api/v1/runs/sweep", map[string]any{"scenario": "emission-1994", "draws": 3000,
		"noise": map[string]any{"position": 0, "salience": 0, "capability": 0}}, &j), 202)
	if j = waitJob(t, ts, j.ID, ended); j.Status != JobDone {
		t.Fatalf("sweep %+v", j)
	}
	ctx := browser(t)
	type css = chromedp.CSS
	do(t, ctx, chromedp.Navigate(ts.URL+"/#/runs"), chromedp.WaitVisible(css("#runs .run-status")))
	if got := eval(t, ctx, `[...document.querySelectorAll("#runs .run-status")].map(e => e.textContent).join("|")`); got != "done|failed: "+reason {
		t.Errorf("runs list statuses %q", got)
	}
	do(t, ctx, chromedp.Navigate(ts.URL+"/#/run/"+itoa(failed.ID)), chromedp.WaitVisible(css("#run .run-status.error")))
	if got := text(t, ctx, "#run .run-status.error"); got != "This run failed: "+reason+"." {
		t.Errorf("failed run page: %q", got)
	}
	do(t, ctx, chromedp.Navigate(ts.URL+"/#/run/"+itoa(j.RunID)), chromedp.WaitVisible(css("#run .sweep-draws")))
	if got := text(t, ctx, "#run .sweep-draws"); !strings.HasPrefix(got, "3000 draws — identical draws") {
		t.Errorf("identical sweep page: %q", got)
	}
}
