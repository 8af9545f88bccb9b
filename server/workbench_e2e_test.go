package server

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/store"
)

// The analyst's workbench in the browser (issue 17): editing a built-in
// and running what is on screen, renames that keep values, deletions,
// pasting from a spreadsheet, the YAML pane, drafts and the guard on
// leaving, run options, models side by side, what-if from a result, and a
// process's ballots and events.

type css = chromedp.CSS

// setValue sets a select's or input's value as a user's choice would and
// fires its change event.
func setValue(t *testing.T, ctx context.Context, sel, v string) {
	t.Helper()
	if got := eval(t, ctx, `(() => { const e = document.querySelector('`+sel+`'); e.value = `+jsString(v)+`; e.dispatchEvent(new Event("change", {bubbles: true})); return e.value })()`); got != v {
		t.Fatalf("%s holds %q after setting %q", sel, got, v)
	}
}

func jsString(s string) string { b, _ := json.Marshal(s); return string(b) }

// waitFor waits until a JavaScript condition holds.
func waitFor(t *testing.T, ctx context.Context, cond string) {
	t.Helper()
	do(t, ctx, chromedp.Poll[chromedp.Void](cond, chromedp.WithPollingTimeout(15*time.Second)))
}

// paste pastes text into the grid's input sel as a spreadsheet's copy
// would arrive.
func paste(t *testing.T, ctx context.Context, sel, text string) {
	t.Helper()
	eval(t, ctx, `(() => { const dt = new DataTransfer(); dt.setData("text/plain", `+jsString(text)+`);
		document.querySelector('`+sel+`').dispatchEvent(new ClipboardEvent("paste", {clipboardData: dt, bubbles: true, cancelable: true})); return "" })()`)
}

// createBlank creates a scenario called name from the blank template on
// the scenario list, as a user would, and opens its editor.
func createBlank(t *testing.T, ctx context.Context, url, name string) {
	t.Helper()
	do(t, ctx, chromedp.Navigate(url+"/#/"), chromedp.WaitVisible(css("#scenario-list")),
		chromedp.SendKeys(css("#new-name"), name), chromedp.Click(css("#new-create")), chromedp.WaitVisible(css("#actors")))
}

// storedScenario reads a stored scenario.
func storedScenario(t *testing.T, s *Server, name string) *scenario.Scenario {
	t.Helper()
	st, err := s.scen.Scenario(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := scenario.Parse([]byte(st.Source), name+".json")
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// shots saves, when $PARLEY_E2E_SHOTS names a folder, the page as it
// looks at 1400×1000 and on a narrow screen (480 pixels wide): the screen
// with the element at (the top of the page when at is ""), and the whole
// page, for looking at.
func shots(t *testing.T, ctx context.Context, name string, at ...string) {
	t.Helper()
	dir := os.Getenv("PARLEY_E2E_SHOTS")
	if dir == "" {
		return
	}
	for _, w := range []struct {
		suffix string
		width  int64
	}{{"", 1400}, {"-narrow", 480}} {
		do(t, ctx, chromedp.EmulateViewport(w.width, 1000), chromedp.Sleep(300*time.Millisecond))
		scroll := `scrollTo(0, 0)`
		if len(at) > 0 {
			scroll = `document.querySelector('` + at[0] + `').scrollIntoView()`
		}
		eval(t, ctx, `(`+scroll+`, "")`)
		for kind, shoot := range map[string]chromedp.Action[[]byte]{"": chromedp.CaptureScreenshot(), "-full": chromedp.FullScreenshot(100)} {
			b, err := chromedp.Run(ctx, shoot)
			if err != nil {
				t.Fatalf("screenshot: %v", err)
			}
			if err := os.WriteFile(dir+"/"+name+w.suffix+kind+".png", b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	do(t, ctx, chromedp.EmulateViewport(1400, 1000))
}

// TestBrowserEditBuiltinAndRun: Russia's capability edited to 30 in the
// built-in kosovo-2007, then Run forecast: the edits are saved as
// kosovo-2007-copy (the run page says so), the run uses the copy, and its
// forecast of Iran's nuclear programme in the Security Council is the
// edited scenario's, 90 (65.03 with Russia at 75); the built-in is
// unchanged.
func TestBrowserEditBuiltinAndRun(t *testing.T) {
	s, ts := newTest(t, Config{})
	ctx := browser(t)
	capSel := `input[data-field="actors[4].capability"]`
	do(t, ctx, chromedp.Navigate(ts.URL+"/#/scenario/kosovo-2007"), chromedp.WaitVisible(css(capSel)))
	shots(t, ctx, "editor-kosovo")
	shots(t, ctx, "editor-kosovo-grid", "#actors")
	if got := eval(t, ctx, `document.querySelector('input[data-field="actors[4].id"]').value`); got != "russia" {
		t.Fatalf("row 5 is %q", got)
	}
	typeInto(t, ctx, capSel, "30")
	do(t, ctx, chromedp.WaitVisible(css("#savebar.dirty")), chromedp.Click(css("#run-forecast")), chromedp.WaitVisible(css("#findings")))
	if got := text(t, ctx, "#flash"); !strings.Contains(got, "Your edits to the built-in scenario kosovo-2007 were saved as a new scenario, kosovo-2007-copy, and this run used it") {
		t.Errorf("the run page says %q", got)
	}
	if got := text(t, ctx, "#run h2"); !strings.Contains(got, "forecast of kosovo-2007-copy") {
		t.Errorf("heading %q", got)
	}
	if got := text(t, ctx, `#findings tr[data-issue="iran"] .forecast-value`); got != "90.00" {
		t.Errorf("iran forecast %q, want the edited scenario's 90.00", got)
	}
	shots(t, ctx, "run-forecast")
	if c := storedScenario(t, s, "kosovo-2007-copy").Actor("russia").Capability; c.Value != 30 || len(c.Evidence) == 0 {
		t.Errorf("stored copy: russia's capability %+v, want 30 with its evidence", c)
	}
	var doc scenarioDoc
	want(t, call(t, ts, "GET", "/api/v1/scenarios/kosovo-2007", nil, &doc), 200)
	if c := doc.Scenario.Actor("russia").Capability.Value; c != 75 || !doc.Builtin {
		t.Errorf("the built-in changed: russia's capability %v", c)
	}
	// Unedited, a built-in runs as it is.
	do(t, ctx, chromedp.Navigate(ts.URL+"/#/scenario/emission-1994"), chromedp.WaitVisible(css("#run-forecast")),
		chromedp.Click(css("#run-forecast")), chromedp.WaitVisible(css("#findings")))
	if got := text(t, ctx, "#run h2"); !strings.Contains(got, "forecast of emission-1994") || eval(t, ctx, `document.querySelector("#flash") ? "flash" : ""`) != "" {
		t.Errorf("unedited built-in run: %q", got)
	}
}

// TestBrowserRenameDeletePaste edits a grid: renaming the issue and an
// actor keeps their values, a block pasted from a spreadsheet fills the
// grid (and adds an actor), a deleted row comes back with Undo, and a
// deleted issue takes its stances with it; what is saved is what the grid
// showed.
func TestBrowserRenameDeletePaste(t *testing.T) {
	s, ts := newTest(t, Config{})
	ctx := browser(t)
	createBlank(t, ctx, ts.URL, "e2e-grid")
	// Rename the issue: every actor's position and salience follow it.
	typeInto(t, ctx, `[data-field="issues[0].id"]`, "tax")
	waitFor(t, ctx, `!!document.querySelector('[data-field="actors[2].stances.tax.position"]')`)
	got := eval(t, ctx, `[0, 1, 2].map(i => ["position", "salience"].map(f => document.querySelector('[data-field="actors[' + i + '].stances.tax.' + f + '"]').value).join("/")).join(" ")`)
	if got != "10/80 60/60 90/50" {
		t.Errorf("after renaming the issue the grid holds %q", got)
	}
	// Rename an actor: its values stay in its row.
	typeInto(t, ctx, `[data-field="actors[0].id"]`, "gov")
	if got := eval(t, ctx, `document.querySelector('[data-field="actors[0].capability"]').value + " " + document.querySelector('[data-field="actors[0].stances.tax.position"]').value`); got != "50 10" {
		t.Errorf("gov's row after the rename: %q", got)
	}
	// A name already taken is refused beside the field.
	eval(t, ctx, `(() => { const e = document.querySelector('[data-field="actors[1].id"]'); e.value = "gov"; e.dispatchEvent(new Event("change")); return "" })()`)
	if got := eval(t, ctx, `document.querySelector('[data-field="actors[1].id"]').value + " | " + document.querySelector('[data-field="actors[1].id"]').parentElement.querySelector(".problem").textContent`); got != "b | another actor is called gov" {
		t.Errorf("a duplicate actor id: %q", got)
	}
	// Paste four rows of capability, position and salience into gov's
	// capability cell: the fourth row adds an actor.
	paste(t, ctx, `[data-field="actors[0].capability"]`, "55\t20\t70\n35\t80\t40\n25\t50,5\t60\n15\t90\t30\n")
	waitFor(t, ctx, `!!document.querySelector("#paste-result")`)
	if got := text(t, ctx, "#paste-result"); got != "Pasted 4 rows of up to 3 cells (12 cells); added 1 actor." {
		t.Errorf("paste result %q", got)
	}
	got = eval(t, ctx, `[0, 1, 2, 3].map(i => ["capability", "stances.tax.position", "stances.tax.salience"].map(f => document.querySelector('[data-field="actors[' + i + '].' + f + '"]').value).join("/")).join(" ")`)
	if got != "55/20/70 35/80/40 25/50.5/60 15/90/30" {
		t.Errorf("after the paste the grid holds %q", got)
	}
	// Kinds pasted by name; a kind Parley does not know is refused.
	paste(t, ctx, `select[data-field="actors[0].kind"]`, "state\norganisation\nparty\n")
	waitFor(t, ctx, `document.querySelector("#paste-result").textContent.includes("not taken")`)
	if got := text(t, ctx, "#paste-result"); !strings.Contains(got, `c, Kind: kind "party": want one of state, organisation, group, person`) {
		t.Errorf("pasting kinds: %q", got)
	}
	shots(t, ctx, "editor-grid", "#actors")
	// Delete actor b, undo, delete it again.
	do(t, ctx, chromedp.Click(css(`button[aria-label="Delete actor b"]`)), chromedp.WaitVisible(css("#undo")))
	if n := eval(t, ctx, `String(document.querySelectorAll("#actors tbody tr").length)`); n != "3" {
		t.Errorf("%s rows after the delete", n)
	}
	do(t, ctx, chromedp.Click(css("#undo")))
	waitFor(t, ctx, `document.querySelectorAll("#actors tbody tr").length === 4`)
	do(t, ctx, chromedp.Click(css(`button[aria-label="Delete actor b"]`)), chromedp.WaitVisible(css("#undo")))
	// Cleared, actor4's only stance goes, and the problem names actor4 as
	// the grid shows it, not a line of the stored file; pasted back, it is
	// fine again.
	setValue(t, ctx, `[data-field="actors[2].stances.tax.position"]`, "")
	setValue(t, ctx, `[data-field="actors[2].stances.tax.salience"]`, "")
	waitFor(t, ctx, `document.querySelector("#problems").textContent !== ""`)
	if got := text(t, ctx, "#problems"); got != "actor4 · stances: actor holds no position on any issue" {
		t.Errorf("problem on top %q", got)
	}
	paste(t, ctx, `[data-field="actors[2].stances.tax.position"]`, "90\t30")
	waitFor(t, ctx, `document.querySelector("#problems").textContent === ""`)
	// A second issue, on which gov and c take positions; c's position and
	// salience on tax cleared remove that stance.
	do(t, ctx, chromedp.Click(css("#add-issue")), chromedp.WaitVisible(css(`[data-field="actors[0].stances.issue2.position"]`)))
	paste(t, ctx, `[data-field="actors[0].stances.issue2.position"]`, "40\t30\n70\t60")
	setValue(t, ctx, `[data-field="actors[1].stances.tax.position"]`, "")
	setValue(t, ctx, `[data-field="actors[1].stances.tax.salience"]`, "")
	// A third issue, deleted with its stance.
	do(t, ctx, chromedp.Click(css("#add-issue")), chromedp.WaitVisible(css(`[data-field="actors[0].stances.issue3.position"]`)))
	paste(t, ctx, `[data-field="actors[0].stances.issue3.position"]`, "10\t10")
	do(t, ctx, chromedp.Click(css(`button[aria-label="Delete issue issue3"]`)), chromedp.WaitNotPresent(css(`[data-field="actors[0].stances.issue3.position"]`)))
	do(t, ctx, chromedp.Click(css("#save")), chromedp.WaitVisible(css("#status.ok")))
	sc := storedScenario(t, s, "e2e-grid")
	if ids := strings.Join(sc.ActorIDs(), ","); ids != "gov,c,actor4" || strings.Join(sc.IssueIDs(), ",") != "tax,issue2" {
		t.Fatalf("stored actors %s, issues %v", ids, sc.IssueIDs())
	}
	gov, c, a4 := sc.Actor("gov"), sc.Actor("c"), sc.Actor("actor4")
	if gov.Capability.Value != 55 || gov.Stances["tax"].Position.Value != 20 || gov.Stances["issue2"].Salience.Value != 30 || gov.Kind != "state" || len(gov.Stances) != 2 {
		t.Errorf("stored gov %+v", gov)
	}
	if _, held := c.Stances["tax"]; held || c.Capability.Value != 25 || c.Stances["issue2"].Position.Value != 70 {
		t.Errorf("stored c %+v: its cleared stance on tax is kept", c)
	}
	if a4.Capability.Value != 15 || a4.Stances["tax"].Position.Value != 90 || len(a4.Stances) != 1 {
		t.Errorf("stored actor4 %+v", a4)
	}
}

// TestBrowserYAMLPaneAndUncertainty edits the sections a grid cannot
// show: a problem in the YAML pane is shown beside its line (and named by
// line and field in the list above), fixed, and saved; a number's range
// and inferred mark are set in its details.
func TestBrowserYAMLPaneAndUncertainty(t *testing.T) {
	s, ts := newTest(t, Config{})
	ctx := browser(t)
	createBlank(t, ctx, ts.URL, "e2e-yaml")
	do(t, ctx, chromedp.WaitVisible(css("#pane-section > summary")))
	if got := text(t, ctx, "#pane-section > summary"); got != "Institutions, process, contagion and uncertainty (YAML: none yet)" {
		t.Errorf("the pane's title reads %q", got)
	}
	do(t, ctx, chromedp.Click(css("#pane-section > summary")), chromedp.WaitVisible(css("#pane")))
	setPane := func(text string) {
		eval(t, ctx, `(() => { const p = document.querySelector("#pane"); p.value = `+jsString(text)+`; p.dispatchEvent(new Event("input")); return "" })()`)
	}
	setPane("uncertainty:\n  position: 0.07\ninstitutions:\n  - id: council\n    builtin: nosuch-body\n")
	waitFor(t, ctx, `!!document.querySelector(".pane-mark")`)
	if got := text(t, ctx, "#pane-problems li.problem"); !strings.HasPrefix(got, "Line 5 (institution 1 · builtin): ") || !strings.Contains(got, "nosuch-body") {
		t.Errorf("pane problem %q", got)
	}
	if got := eval(t, ctx, `document.querySelector(".pane-gutter b.bad").textContent`); got != "5" {
		t.Errorf("marked line %q", got)
	}
	shots(t, ctx, "editor-yaml-problem", "#pane-problems")
	setPane("uncertainty:\n  position: 0.07\ninstitutions:\n  - id: council\n    builtin: unsc-2007\n")
	waitFor(t, ctx, `!document.querySelector(".pane-mark")`)
	// Capability of b: a range of 20 to 40, inferred.
	const capPath = "actors[1].capability"
	do(t, ctx, chromedp.Click(css(`[data-evidence="`+capPath+`"] > .ev-toggle`)), chromedp.WaitVisible(css(`[data-field="`+capPath+`.range"]`)))
	typeInto(t, ctx, `[data-field="`+capPath+`.range"]`, "20")
	typeInto(t, ctx, `[data-evidence="`+capPath+`"] .range-hi`, "40")
	do(t, ctx, chromedp.Click(css(`[data-field="`+capPath+`.inferred"]`)))
	if got := text(t, ctx, `[data-evidence="`+capPath+`"] > .ev-toggle`); got != "e0 ± i" {
		t.Errorf("the capability's marker reads %q", got)
	}
	// A range that does not hold the value: the server's problem beside it.
	typeInto(t, ctx, `[data-field="`+capPath+`.range"]`, "35")
	waitFor(t, ctx, `!!document.querySelector('[data-field="`+capPath+`.range"] ~ .problem')`)
	if got := eval(t, ctx, `document.querySelector('[data-field="`+capPath+`.range"]').parentElement.querySelector(".problem").textContent`); !strings.Contains(got, "range") {
		t.Errorf("beside the range: %q", got)
	}
	typeInto(t, ctx, `[data-field="`+capPath+`.range"]`, "20")
	do(t, ctx, chromedp.Click(css("#save")), chromedp.WaitVisible(css("#status.ok")))
	sc := storedScenario(t, s, "e2e-yaml")
	if sc.Uncertainty == nil || sc.Uncertainty.Position == nil || *sc.Uncertainty.Position != 0.07 || len(sc.Institutions) != 1 || sc.Institutions[0].Builtin != "unsc-2007" {
		t.Errorf("stored sections: uncertainty %+v, institutions %+v", sc.Uncertainty, sc.Institutions)
	}
	if c := sc.Actor("b").Capability; c.Value != 30 || len(c.Range) != 2 || c.Range[0] != 20 || c.Range[1] != 40 || !c.Inferred {
		t.Errorf("stored capability of b %+v", c)
	}
}

// TestBrowserDraftAndGuard: unsaved typing survives a reload (the editor
// offers the draft), leaving with unsaved changes asks first (a refusal
// keeps the page), and saving forgets the draft.
func TestBrowserDraftAndGuard(t *testing.T) {
	s, ts := newTest(t, Config{})
	ctx := browser(t)
	// Confirm dialogs are refused, beforeunload ones accepted; both counted.
	var mu sync.Mutex
	seen := map[page.DialogType]int{}
	dialogs := func(k page.DialogType) int { mu.Lock(); defer mu.Unlock(); return seen[k] }
	go func() {
		for ev, err := range chromedp.Events(ctx, page.JavascriptDialogOpening) {
			if err != nil {
				return
			}
			mu.Lock()
			seen[ev.Type]++
			mu.Unlock()
			chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: ev.Type == page.DialogTypeBeforeunload})
		}
	}()
	capSel := `[data-field="actors[2].capability"]`
	createBlank(t, ctx, ts.URL, "e2e-draft")
	do(t, ctx, chromedp.WaitVisible(css(capSel)))
	typeInto(t, ctx, capSel, "33")
	waitFor(t, ctx, `!!localStorage.getItem("parley.draft.e2e-draft")`)
	// Leaving for the runs list asks; refused, the editor stays.
	do(t, ctx, chromedp.Click(css(`header a[href="#/runs"]`)), chromedp.Sleep(300*time.Millisecond))
	if h := eval(t, ctx, `location.hash`); h != "#/scenario/e2e-draft" || dialogs(page.DialogTypeConfirm) != 1 {
		t.Errorf("after a refused leave the page is %q (%d confirm dialogs)", h, dialogs(page.DialogTypeConfirm))
	}
	if got := eval(t, ctx, `document.querySelector('`+capSel+`').value`); got != "33" {
		t.Errorf("the edit is gone from the page: %q", got)
	}
	// Reloaded, the editor offers the draft; restored, the edit is back.
	do(t, ctx, chromedp.Reload(), chromedp.WaitVisible(css("#draft-offer")))
	if dialogs(page.DialogTypeBeforeunload) != 1 {
		t.Errorf("%d beforeunload dialogs, want 1", dialogs(page.DialogTypeBeforeunload))
	}
	if got := eval(t, ctx, `document.querySelector('`+capSel+`').value`); got != "20" {
		t.Errorf("before restoring, the page shows the stored %q", got)
	}
	shots(t, ctx, "editor-draft")
	do(t, ctx, chromedp.Click(css("#draft-restore")))
	waitFor(t, ctx, `document.querySelector('`+capSel+`').value === "33"`)
	do(t, ctx, chromedp.Click(css("#save")), chromedp.WaitVisible(css("#status.ok")))
	if c := storedScenario(t, s, "e2e-draft").Actor("c").Capability.Value; c != 33 {
		t.Errorf("stored capability %v", c)
	}
	if eval(t, ctx, `localStorage.getItem("parley.draft.e2e-draft") || ""`) != "" {
		t.Error("the draft is kept after the save")
	}
	// Saved, the page is left without a question.
	do(t, ctx, chromedp.Click(css(`header a[href="#/runs"]`)), chromedp.WaitVisible(css("#runs")))
	if dialogs(page.DialogTypeConfirm) != 1 {
		t.Errorf("%d confirm dialogs after leaving a saved page", dialogs(page.DialogTypeConfirm))
	}
}

// TestBrowserRunOptions runs the EUM's paper variant for 3 rounds with
// q = 0.5 from the Run section; a q outside 0 to 1 is refused beside the
// field before anything runs.
func TestBrowserRunOptions(t *testing.T) {
	s, ts := newTest(t, Config{})
	ctx := browser(t)
	do(t, ctx, chromedp.Navigate(ts.URL+"/#/scenario/kosovo-2007"), chromedp.WaitVisible(css("#run-forecast")))
	setValue(t, ctx, "#run-model", "eum")
	setValue(t, ctx, "#run-variant", "paper")
	typeInto(t, ctx, "#run-rounds", "3")
	typeInto(t, ctx, `input[data-param="q"]`, "2")
	do(t, ctx, chromedp.Click(css("#run-forecast")), chromedp.WaitVisible(css(`input[data-param="q"] ~ .problem`)))
	if got := eval(t, ctx, `document.querySelector('input[data-param="q"]').parentElement.querySelector(".problem").textContent`); got != "q: want from 0 to 1, got 2" {
		t.Errorf("beside q: %q", got)
	}
	if runs, _ := s.cfg.Store.List(context.Background(), store.Filter{}); len(runs) != 0 {
		t.Errorf("%d runs stored for a refused request", len(runs))
	}
	shots(t, ctx, "run-options", "#run-controls")
	typeInto(t, ctx, `input[data-param="q"]`, "0.5")
	do(t, ctx, chromedp.Click(css("#run-forecast")), chromedp.WaitVisible(css("#findings")))
	if got := text(t, ctx, "#run .run-meta"); !strings.HasPrefix(got, "eum paper · q=0.5 · 3 rounds · done") {
		t.Errorf("run line %q", got)
	}
	// kosovo-2007 by the paper variant, q = 0.5, 3 rounds: Serbia's
	// levers settle at 35, Iran at 15 (the default run: 0 and 65.03).
	rows := eval(t, ctx, `[...document.querySelectorAll("#findings tbody tr")].map(r => r.dataset.issue + "=" + r.querySelector(".forecast-value").textContent).join(" ")`)
	if !strings.Contains(rows, "levers=35.00") || !strings.Contains(rows, "iran=15.00") {
		t.Errorf("findings %s", rows)
	}
}

// TestBrowserCompareModels runs the mean, the median and the EUM on
// kosovo-2007 at once and reads them side by side.
func TestBrowserCompareModels(t *testing.T) {
	_, ts := newTest(t, Config{})
	ctx := browser(t)
	do(t, ctx, chromedp.Navigate(ts.URL+"/#/scenario/kosovo-2007"), chromedp.WaitVisible(css("#tab-compare")), chromedp.Click(css("#tab-compare")))
	eval(t, ctx, `(document.querySelectorAll(".compare-model").forEach(c => c.checked = ["mean", "median", "eum"].includes(c.value)), "")`)
	do(t, ctx, chromedp.Click(css("#run-compare")), chromedp.WaitVisible(css("#models-compare")))
	if got := eval(t, ctx, `[...document.querySelectorAll("#models-compare thead th[data-model]")].map(th => th.dataset.model).join(",")`); got != "mean,median,eum" {
		t.Errorf("models %q", got)
	}
	row := func(issue string) string {
		return eval(t, ctx, `[...document.querySelectorAll('#models-compare tr[data-issue="`+issue+`"] td')].map(td => (td.querySelector(".forecast-value") || td).textContent).join(" | ")`)
	}
	// The mean 68.18, the median 80, the EUM 80 on the final status; the
	// CFE treaty 53.97, 90 and 10.
	if got := row("status"); got != "68.18 | 80.00 | 80.00 | 11.82" {
		t.Errorf("status row %q", got)
	}
	if got := row("cfe"); got != "53.97 | 90.00 | 10.00 | 80.00" {
		t.Errorf("cfe row %q", got)
	}
	shots(t, ctx, "compare-models")
}

// TestBrowserWhatIf: from a forecast's page, "what if Russia's capability
// were 30?" runs the forecast again on the run's scenario and compares:
// Iran's nuclear programme moves from 65.03 to 90; then Russia left out,
// which moves the CFE forecast from 10 to 95.
func TestBrowserWhatIf(t *testing.T) {
	_, ts := newTest(t, Config{})
	var base struct {
		ID int64 `json:"id"`
	}
	want(t, call(t, ts, "POST", "/api/v1/runs/forecast", map[string]any{"scenario": "kosovo-2007", "model": "eum"}, &base), 201)
	ctx := browser(t)
	open := func() {
		do(t, ctx, chromedp.Navigate(ts.URL+"/#/run/"+itoa(base.ID)), chromedp.WaitVisible(css("#whatif .wi-actor")))
	}
	// diffInputs reads the comparison's table of inputs that differ.
	diffInputs := func() string {
		return eval(t, ctx, `[...document.querySelectorAll("#diff-inputs tr")].map(r => r.innerText.replaceAll("\t", " | ")).join("\n")`)
	}
	open()
	setValue(t, ctx, "#whatif .wi-actor", "russia")
	setValue(t, ctx, "#whatif .wi-what", "capability")
	if got := text(t, ctx, "#whatif .wi-now"); got != "now 75" {
		t.Errorf("current value %q", got)
	}
	typeInto(t, ctx, "#whatif .wi-value", "30")
	shots(t, ctx, "run-whatif-form", "#whatif")
	do(t, ctx, chromedp.Click(css("#whatif-run")), chromedp.WaitVisible(css("#compare-findings")))
	if got := eval(t, ctx, `document.querySelector('#compare-findings tr[data-issue="iran"]').innerText.replaceAll("\t", " | ")`); !strings.HasPrefix(got, "Iran's nuclear programme in the Security Council | 65.03 (57.48–68.95) | 90.00 | +24.97") {
		t.Errorf("iran row %q", got)
	}
	if got := eval(t, ctx, `document.querySelector('#compare-findings tr[data-issue="status"] .delta').textContent`); got != "no change" {
		t.Errorf("status change %q", got)
	}
	if got := diffInputs(); !strings.Contains(got, "what if: set | – | russia.capability=30") {
		t.Errorf("inputs that differ:\n%s", got)
	}
	if got := text(t, ctx, ".lead"); got != "Run 2 ran with a what-if: Russia's capability = 30 (75 in run 1)." {
		t.Errorf("lead %q", got)
	}
	if n := eval(t, ctx, `String(document.querySelectorAll("#compare-positions tr").length - 1)`); n == "0" {
		t.Error("no final position moved")
	}
	shots(t, ctx, "compare-whatif")
	// Russia left out.
	open()
	setValue(t, ctx, "#whatif .wi-actor", "russia")
	setValue(t, ctx, "#whatif .wi-what", "drop")
	do(t, ctx, chromedp.Click(css("#whatif-run")), chromedp.WaitVisible(css("#compare-findings")))
	if got := eval(t, ctx, `document.querySelector('#compare-findings tr[data-issue="cfe"] .delta').textContent`); got != "+85.00" {
		t.Errorf("cfe change without russia %q", got)
	}
	if got := text(t, ctx, ".lead"); got != "Run 3 ran with a what-if: leave out Russia." {
		t.Errorf("lead %q", got)
	}
	if got := diffInputs(); !strings.Contains(got, "what if: leave out | – | Russia") {
		t.Errorf("inputs that differ:\n%s", got)
	}
	if got := eval(t, ctx, `document.querySelector("#compare-positions").innerText`); !strings.Contains(got, "left out") {
		t.Errorf("russia's positions in the comparison: %.300q", got)
	}
}

// TestBrowserProcessResult runs kosovo-2007's process and reads its page:
// the findings, the dated events, the Security Council's ballots with
// China's and Russia's vetoes, and the per-state recognition table.
func TestBrowserProcessResult(t *testing.T) {
	_, ts := newTest(t, Config{})
	ctx := browser(t)
	do(t, ctx, chromedp.Navigate(ts.URL+"/#/scenario/kosovo-2007"), chromedp.WaitVisible(css("#tab-process")), chromedp.Click(css("#tab-process")))
	typeInto(t, ctx, "#process-draws", "200")
	do(t, ctx, chromedp.Click(css("#run-process")), chromedp.WaitVisible(css("#events")))
	if got := eval(t, ctx, `document.querySelector("#events tr.event-vote").innerText`); !strings.Contains(got, "2007-12-19") || !strings.Contains(got, "vetoed by CHN, RUS") {
		t.Errorf("vote event %q", got)
	}
	ballots := eval(t, ctx, `[...document.querySelectorAll('table.ballots[data-stage="unsc_vote"] tbody tr')].map(r => r.innerText.replaceAll("\t", " | ")).join("\n")`)
	for _, want := range []string{"China (CHN) | 40.00 | no (veto) | 1 | position 40 is closer to the status quo 50 than to the proposal 80", "France (FRA) | 85.00 | yes | 1"} {
		if !strings.Contains(ballots, want) {
			t.Errorf("ballots lack %q:\n%s", want, ballots)
		}
	}
	if n := eval(t, ctx, `String(document.querySelectorAll('table.ballots[data-stage="unsc_vote"] tbody tr').length)`); n != "15" {
		t.Errorf("%s ballots, want the Council's 15", n)
	}
	if got := eval(t, ctx, `document.querySelector('#findings tr[data-issue="status"]').innerText`); !strings.Contains(got, "80.00") || !strings.Contains(got, "after") {
		t.Errorf("status finding %q", got)
	}
	if n := eval(t, ctx, `String(document.querySelectorAll("#recognition-states tbody tr").length)`); n != "40" {
		t.Errorf("%s states shown first", n)
	}
	do(t, ctx, chromedp.Click(css("#states-all")))
	if n := eval(t, ctx, `String(document.querySelectorAll("#recognition-states tbody tr").length)`); n != "193" {
		t.Errorf("%s states after Show all", n)
	}
	do(t, ctx, chromedp.WaitVisible(css(`.chart-box[data-title="Recognition"] svg`)))
	shots(t, ctx, "run-process")
	shots(t, ctx, "run-process-ballots", "table.ballots")

	// The run's HTML report, opened from its page, holds the events and
	// the ballots too.
	report := eval(t, ctx, `document.querySelector('a[href$="/report"]').href`)
	do(t, ctx, chromedp.Navigate(report), chromedp.WaitVisible(css("h2")))
	if got := eval(t, ctx, `location.pathname + " " + document.querySelector("h2").innerText`); !strings.HasSuffix(got, "/report Findings") {
		t.Errorf("report page %q: want the report, opening with its findings", got)
	}
	page := eval(t, ctx, `document.body.innerText`)
	for _, want := range []string{"Ballots", "vetoed by CHN, RUS", "position 40 is closer to the status quo 50 than to the proposal 80", "2007-12-19"} {
		if !strings.Contains(page, want) {
			t.Errorf("the process's HTML report lacks %q", want)
		}
	}
}

// startRun opens kosovo-2007's editor on the tab of a kind of run, lets
// set fill its options, starts the run and waits for its page (through
// its job when it is one).
func startRun(t *testing.T, ctx context.Context, ts string, tab string, set func(), wait string) {
	t.Helper()
	do(t, ctx, chromedp.Navigate(ts+"/#/scenario/kosovo-2007"), chromedp.WaitVisible(css("#tab-"+tab)), chromedp.Click(css("#tab-"+tab)))
	if set != nil {
		set()
	}
	do(t, ctx, chromedp.Click(css("#run-"+tab)))
	waitFor(t, ctx, `!!document.querySelector('`+wait+`')`)
}

// TestBrowserEveryKind starts every kind of run the Run section offers
// that the other tests do not (sweep, sensitivity, recognition, vote,
// voting power) with small counts and reads each page: the findings (or
// the kind's own summary) first, then its detail. With $PARLEY_UI_TIMING
// set it logs how long each page of kosovo-2007 takes to draw once its
// data has arrived, and a what-if forecast's round trip
// (docs/performance.md).
func TestBrowserEveryKind(t *testing.T) {
	_, ts := newTest(t, Config{})
	ctx := browser(t)
	timings := map[string]string{}
	timed := func(name string) {
		if os.Getenv("PARLEY_UI_TIMING") != "" {
			timings[name] = eval(t, ctx, `JSON.stringify(window.parleyTiming)`)
		}
	}
	// Each kind: its tab, the options set, what its page shows when done,
	// and what is checked there.
	for _, k := range []struct {
		tab, page string
		set       func()
		check     func()
	}{
		// A sweep of 60 draws with position noise 0.05: the median of
		// each issue, its 5–95% range and the likeliest band.
		{"sweep", "#findings", func() {
			typeInto(t, ctx, "#sweep-draws", "60")
			typeInto(t, ctx, "#sweep-position-sd", "0.05")
		}, func() {
			if got := eval(t, ctx, `document.querySelector('#findings tr[data-issue="status"]').innerText`); !strings.Contains(got, "most likely band: ") || !strings.Contains(got, "% of 60 draws)") {
				t.Errorf("sweep finding %q", got)
			}
			if got := eval(t, ctx, `document.querySelector("#sweep-quantiles").rows.length + ""`); got != "16" {
				t.Errorf("sweep quantile table has %s rows", got)
			}
		}},
		// A sensitivity analysis by the mean, one input at a time.
		{"sensitivity", "#findings", func() {
			setValue(t, ctx, "#run-model", "mean")
			typeInto(t, ctx, "#sens-samples", "0")
		}, func() {
			if got := eval(t, ctx, `document.querySelector('#findings tr[data-issue="status"]').innerText`); !strings.Contains(got, "68.18") || !strings.Contains(got, "the position of United States: 66.72 to 69.64 across its range") {
				t.Errorf("sensitivity finding %q", got)
			}
			waitFor(t, ctx, `!!document.querySelector('.chart-box[data-title="Sensitivity"] svg')`)
		}},
		// A recognition forecast of 300 draws to the end of 2010.
		{"recognition", "#recognition-states", func() {
			typeInto(t, ctx, "#rec-draws", "300")
			typeInto(t, ctx, "#rec-end", "2010-12-31")
		}, func() {
			if got := eval(t, ctx, `[...document.querySelectorAll("#recognition-states thead th")].map(th => th.textContent).join(",")`); got != "State,Name,by 2008-12-31,by 2010-12-31,Side" {
				t.Errorf("per-state columns %q", got)
			}
		}},
		// The Security Council votes on 80 against 50: China and Russia
		// veto.
		{"vote", "#vote-result", func() {
			waitFor(t, ctx, `document.querySelectorAll('#vote-body option').length > 3`)
			setValue(t, ctx, "#vote-body", "unsc")
			typeInto(t, ctx, "#vote-proposal", "80")
		}, func() {
			if got := text(t, ctx, "#vote-result"); got != "The vote on 80 against 50 (status): fails" {
				t.Errorf("vote heading %q", got)
			}
			if got := eval(t, ctx, `document.querySelector("table.ballots").innerText`); !strings.Contains(got, "Russia (RUS)\t35.00\tno (veto)") {
				t.Errorf("ballots %.300q", got)
			}
		}},
		// The EU Council's voting power.
		{"power", "table#power", func() {
			waitFor(t, ctx, `document.querySelectorAll('#power-body option').length > 3`)
			setValue(t, ctx, "#power-body", "eu-council")
		}, func() {
			if n := eval(t, ctx, `String(document.querySelectorAll("table#power tr").length)`); n != "28" {
				t.Errorf("power table has %s rows, want the 27 members and a header", n)
			}
		}},
	} {
		startRun(t, ctx, ts.URL, k.tab, k.set, k.page)
		k.check()
		timed(k.tab)
		shots(t, ctx, "run-"+k.tab)
	}
	// The lists of scenarios, runs and jobs.
	do(t, ctx, chromedp.Navigate(ts.URL+"/#/runs"), chromedp.WaitVisible(css("#runs")))
	if n := eval(t, ctx, `String(document.querySelectorAll("#runs tr").length - 1)`); n != "5" {
		t.Errorf("%s runs listed", n)
	}
	timed("runs")
	shots(t, ctx, "runs")
	do(t, ctx, chromedp.Navigate(ts.URL+"/#/jobs"), chromedp.WaitVisible(css("#jobs")))
	shots(t, ctx, "jobs")
	do(t, ctx, chromedp.Navigate(ts.URL+"/#/"), chromedp.WaitVisible(css("#scenario-list")))
	timed("scenarios")
	shots(t, ctx, "scenarios")
	if os.Getenv("PARLEY_UI_TIMING") == "" {
		return
	}
	// The editor and a forecast's page of kosovo-2007, and a what-if
	// forecast from that page, each five times.
	for k := range 5 {
		do(t, ctx, chromedp.Navigate(ts.URL+"/#/"), chromedp.WaitVisible(css("#scenario-list")),
			chromedp.Navigate(ts.URL+"/#/scenario/kosovo-2007"), chromedp.WaitVisible(css("#tab-forecast")), chromedp.Click(css("#tab-forecast")))
		waitFor(t, ctx, `window.parleyTiming && window.parleyTiming.page === "editor" && !!window.parleyTiming.ready`)
		timed("editor " + itoa(int64(k)))
		do(t, ctx, chromedp.Click(css("#run-forecast")), chromedp.WaitVisible(css("#whatif .wi-actor")))
		waitFor(t, ctx, `window.parleyTiming.page === "run" && !!window.parleyTiming.ready`)
		timed("forecast " + itoa(int64(k)))
		setValue(t, ctx, "#whatif .wi-actor", "russia")
		typeInto(t, ctx, "#whatif .wi-value", "30")
		do(t, ctx, chromedp.Click(css("#whatif-run")), chromedp.WaitVisible(css("#compare-findings")))
		waitFor(t, ctx, `window.parleyTiming.page === "compare" && window.parleyTiming.whatIf > 0`)
		timed("what-if " + itoa(int64(k)))
	}
	for k, v := range timings {
		t.Logf("%s: %s", k, v)
	}
}
