// Parley's browser UI: the scenario list, the runs and jobs lists, the
// backtest page and the router between them and the pages of editor.js
// and results.js. Loaded last: it starts the UI.
"use strict";

let pollTimer = null;

// ---------- scenario list ----------

async function scenarioList() {
  timing.start("scenarios");
  const list = await api("GET", "/scenarios");
  timing.data();
  const tpl = el("select", { id: "new-template" }, el("option", { value: "" }, "blank (1 issue, 3 actors)"),
    list.map(s => el("option", { value: s.name }, "copy of " + s.name)));
  const name = el("input", { id: "new-name", placeholder: "new-scenario-name", "aria-label": "name of the new scenario" });
  const msg = el("div", { id: "new-msg" });
  const file = el("input", { type: "file", id: "import-file", "aria-label": "scenario file to import" });
  const impName = el("input", { id: "import-name", placeholder: "name (optional)", "aria-label": "name to import under" });
  fill(main, 
    el("h1", {}, "Scenarios"), takeFlash(),
    el("div", { class: "wide" }, el("table", { id: "scenario-list" },
      el("tr", {}, ["Name", "Title", "Issues", "Actors", "Kind", ""].map(h => el("th", {}, h))),
      list.map(s => el("tr", {},
        el("td", {}, el("a", { href: "#/scenario/" + encodeURIComponent(s.name) }, s.name)),
        el("td", {}, s.title || s.error || ""),
        el("td", { class: "n" }, s.issues), el("td", { class: "n" }, s.actors),
        el("td", {}, s.builtin ? "built-in" : "stored v" + s.version),
        el("td", {}, s.builtin ? "" : el("button", { "aria-label": "Delete " + s.name, onclick: async () => {
          if (!confirm("Delete " + s.name + "?")) return;
          await api("DELETE", "/scenarios/" + encodeURIComponent(s.name)); route();
        } }, "Delete")))))),
    el("h2", {}, "New scenario"),
    el("div", { class: "toolbar" }, name, tpl, el("button", { id: "new-create", onclick: async () => {
      fill(msg, );
      let sc;
      if (tpl.value) sc = (await api("GET", "/scenarios/" + encodeURIComponent(tpl.value))).scenario;
      else sc = blankScenario();
      sc.name = name.value.trim();
      try {
        await api("POST", "/scenarios", { scenario: sc });
        location.hash = "#/scenario/" + encodeURIComponent(sc.name);
      } catch (e) { problemsList(msg, e, false); }
    } }, "Create")), msg,
    el("h2", {}, "Import a file"),
    el("p", { class: "muted" }, "Parley YAML or JSON, BDM CSV, KTAB CSV, KTAB XML or Decide; the format is recognised from the content."),
    el("div", { class: "toolbar" }, file, impName, el("button", { id: "import", onclick: async () => {
      fill(msg, );
      if (!file.files.length) return;
      const q = "?file=" + encodeURIComponent(file.files[0].name) + (impName.value ? "&name=" + encodeURIComponent(impName.value) : "");
      try {
        const doc = await api("POST", "/scenarios/import" + q, await file.files[0].text(), "application/octet-stream");
        location.hash = "#/scenario/" + encodeURIComponent(doc.name);
      } catch (e) { problemsList(msg, e, true); }
    } }, "Import")));
  timing.ready();
}

function blankScenario() {
  const a = (id, cap, pos, sal) => ({ id, name: id, capability: cap, stances: { issue: { position: pos, salience: sal } } });
  return {
    name: "", title: "New scenario", issues: [{ id: "issue", name: "Issue", min: 0, max: 100,
      anchors: [{ value: 0, label: "none" }, { value: 100, label: "all" }] }],
    actors: [a("a", 50, 10, 80), a("b", 30, 60, 60), a("c", 20, 90, 50)],
  };
}

// problemsList shows a request's problems; withLine keeps their lines,
// for a file the user has (an import), not for the stored form.
function problemsList(where, e, withLine) {
  fill(where, el("p", { class: "error" }, e.message.split("\n")[0]));
  for (const p of (e.body && e.body.problems) || []) add(where, el("div", { class: "problem" }, (withLine && p.line ? "line " + p.line + ": " : "") + (p.field ? p.field + ": " : "") + p.message));
}

// ---------- runs ----------

async function runsPage() {
  timing.start("runs");
  const runs = await api("GET", "/runs?limit=200");
  timing.data();
  const picked = new Set();
  const cmp = el("button", { id: "compare", disabled: true, onclick: () => { const [a, b] = [...picked]; location.hash = `#/compare/${a}/${b}`; } }, "Compare the two selected");
  const cmpModels = el("button", { id: "compare-forecasts", disabled: true, onclick: () => { location.hash = "#/models/" + [...picked].join(","); } }, "Selected forecasts side by side");
  const kinds = new Map(runs.map(r => [String(r.id), r.kind]));
  const update = () => {
    cmp.disabled = picked.size !== 2;
    cmpModels.disabled = picked.size < 2 || [...picked].some(id => kinds.get(String(id)) !== "forecast");
  };
  fill(main, el("h1", {}, "Runs"),
    el("div", { class: "toolbar" }, cmp, cmpModels, el("a", { href: "#/backtest" }, "Backtest on DEU III…")),
    el("div", { class: "wide" }, el("table", { id: "runs" },
      el("tr", {}, ["", "Id", "Kind", "Status", "Scenario", "Model", "What if", "Created", ""].map(h => el("th", {}, h))),
      runs.map(r => el("tr", {},
        el("td", {}, el("input", { type: "checkbox", class: "pick", "data-id": r.id, "aria-label": "select run " + r.id, onchange: e => {
          if (e.target.checked) picked.add(r.id); else picked.delete(r.id);
          update();
        } })),
        el("td", {}, el("a", { href: "#/run/" + r.id }, r.id)), el("td", {}, r.kind === "power" && r.config && r.config.proposal !== undefined ? "vote" : r.kind), el("td", { class: "run-status" }, r.status_text),
        el("td", {}, r.scenario), el("td", {}, [r.model, r.variant].filter(Boolean).join(" ")),
        el("td", {}, whatIfText(r.config && r.config.what_if)),
        el("td", { class: "nowrap" }, r.created.replace("T", " ").slice(0, 19)),
        el("td", {}, r.resumable ? resumeButton(r.id) : "", " ",
          el("button", { "aria-label": "Delete run " + r.id, onclick: async () => { try { await api("DELETE", "/runs/" + r.id); runCache.delete(String(r.id)); route(); } catch (e) { alert(e.message); } } }, "Delete")))))));
  timing.ready();
}

// resumeButton continues an interrupted or stalled sweep (the server says
// which runs are resumable) and shows its job.
function resumeButton(id) {
  return el("button", { class: "resume", onclick: async () => {
    try { const j = await api("POST", `/runs/${id}/resume`); location.hash = "#/job/" + j.id; } catch (e) { alert(e.message); }
  } }, "Resume");
}

// ---------- jobs ----------

function jobRow(j) {
  return el("tr", {}, el("td", {}, el("a", { href: "#/job/" + j.id }, j.id)), el("td", {}, j.kind), el("td", { class: "job-status" }, j.status),
    el("td", {}, j.total ? el("progress", { max: j.total, value: j.done }) : ""), el("td", {}, j.total ? `${j.done}/${j.total}` : ""),
    el("td", {}, j.run_id ? el("a", { href: "#/run/" + j.run_id }, "run " + j.run_id) : ""),
    el("td", {}, j.status === "running" || j.status === "queued" ? el("button", { class: "cancel", onclick: async () => { await api("POST", `/jobs/${j.id}/cancel`); route(); } }, "Cancel") : ""),
    el("td", { class: "error" }, j.error || ""));
}

async function jobsPage() {
  const jobs = await api("GET", "/jobs");
  fill(main, el("h1", {}, "Jobs"), el("div", { class: "wide" }, el("table", { id: "jobs" },
    el("tr", {}, ["Id", "Kind", "Status", "Progress", "", "Run", "", "Error"].map(h => el("th", {}, h))), jobs.map(jobRow))));
  if (jobs.some(j => j.status === "running" || j.status === "queued")) pollTimer = setTimeout(route, 1000);
}

// jobPage follows a job until it ends, then shows its run, or, for a
// what-if (compareWith set), the run against the one it came from.
async function jobPage(id, compareWith) {
  const j = await api("GET", "/jobs/" + id);
  if (j.status === "done" && j.run_id) { location.replace(compareWith ? `#/compare/${compareWith}/${j.run_id}` : "#/run/" + j.run_id); return; }
  fill(main, el("h1", {}, `Job ${j.id} (${j.kind})`), takeFlash(), el("table", {}, jobRow(j)));
  if (j.status === "done" && j.kind === "backtest") {
    add(main, await chart(`/jobs/${id}/chart`, "Backtest: MAE by model"), el("pre", {}, JSON.stringify(j.result, null, 2).slice(0, 20000)));
  }
  if (j.problems) for (const p of j.problems) add(main, el("div", { class: "problem" }, (p.field ? p.field + ": " : "") + p.message));
  if (j.status === "running" || j.status === "queued") pollTimer = setTimeout(route, 400);
}

async function backtestPage() {
  const file = el("input", { type: "file", id: "bt-file", "aria-label": "DEU III file" });
  const models = el("input", { id: "bt-models", value: "mean,median,eum" });
  const caps = el("input", { id: "bt-caps", value: "equal" });
  const msg = el("div");
  fill(main, el("h1", {}, "Backtest on DEU III"),
    el("p", { class: "muted" }, "Upload the DEU III file (tab-separated, two header rows); docs/backtest.md, “Getting the data”, says where to get it."),
    el("div", { class: "toolbar" }, file, el("label", {}, "models ", models), el("label", {}, "capabilities ", caps),
      el("button", { onclick: async () => {
        if (!file.files.length) return;
        try {
          const j = await api("POST", "/runs/backtest", { data: await file.files[0].text(), models: models.value, capabilities: caps.value, bootstrap: 500 });
          location.hash = "#/job/" + j.id;
        } catch (e) { problemsList(msg, e, true); }
      } }, "Run backtest")), msg);
}

// ---------- routing ----------

// here is the address of the page shown; a page left against the
// editor's guard is put back without being drawn again.
let here = location.hash;
let stay = false;

async function route() {
  clearTimeout(pollTimer);
  if (stay) { stay = false; return; }
  if (editorGuard && location.hash !== here) {
    if (!editorGuard()) { stay = true; location.hash = here; return; }
  }
  editorGuard = null;
  here = location.hash;
  scrollTo(0, 0);
  const parts = location.hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
  try {
    switch (parts[0]) {
      case "scenario": await scenarioEditor(parts[1]); break;
      case "runs": await runsPage(); break;
      case "run": await runPage(parts[1]); break;
      case "compare": await comparePage(parts[1], parts[2]); break;
      case "models": await modelsPage(parts[1].split(",")); break;
      case "jobs": await jobsPage(); break;
      case "job": await jobPage(parts[1], parts[2] === "compare" ? parts[3] : null); break;
      case "backtest": await backtestPage(); break;
      default: await scenarioList();
    }
  } catch (e) {
    fill(main, el("p", { class: "error" }, e.message));
  }
}
window.addEventListener("hashchange", route);
window.addEventListener("beforeunload", e => {
  if (editorGuard && !editorGuard.quiet()) { e.preventDefault(); e.returnValue = ""; }
});
route();
