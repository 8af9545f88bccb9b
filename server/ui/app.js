// Parley's browser UI: plain JavaScript, no build step, no external
// resources. Every action goes through the JSON API under /api/v1; charts
// are SVG drawn by the server (report/svg).
"use strict";

const API = "/api/v1";
const main = document.getElementById("main");
let pollTimer = null;

// el builds an element: el("td", {class: "x"}, "text", child...).
function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (k === "value") e.value = v;
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const k of kids.flat(Infinity)) {
    if (k === null || k === undefined) continue;
    e.append(k instanceof Node ? k : document.createTextNode(String(k)));
  }
  return e;
}

// api calls the JSON API; it throws an Error carrying the JSON error body.
async function api(method, path, body, raw) {
  const opt = { method, headers: {}, credentials: "same-origin" };
  if (body !== undefined) {
    if (raw) { opt.body = body; } else { opt.body = JSON.stringify(body); opt.headers["Content-Type"] = "application/json"; }
  }
  const r = await fetch(API + path, opt);
  if (r.status === 401) { location.href = "/login"; throw new Error("not logged in"); }
  const type = r.headers.get("Content-Type") || "";
  const data = type.includes("json") ? await r.json() : await r.text();
  if (!r.ok) {
    const err = new Error((data && data.error) || ("HTTP " + r.status));
    err.status = r.status; err.body = data;
    throw err;
  }
  return data;
}

function fmt(v) { return typeof v === "number" ? (Math.round(v * 100) / 100).toString() : String(v); }
function showError(where, e) { where.append(el("p", { class: "error" }, e.message)); }

// chart fetches a server-drawn SVG and puts it in a box.
async function chart(path, title) {
  const box = el("div", { class: "chart-box", "data-title": title }, title ? el("h4", {}, title) : null);
  try {
    const holder = el("div");
    holder.innerHTML = await api("GET", path); // server-drawn SVG, text escaped by report/svg
    box.append(holder);
  } catch (e) { showError(box, e); }
  return box;
}

// ---------- scenario list ----------

async function scenarioList() {
  const list = await api("GET", "/scenarios");
  const tpl = el("select", { id: "new-template" }, el("option", { value: "" }, "blank (1 issue, 3 actors)"),
    list.map(s => el("option", { value: s.name }, "copy of " + s.name)));
  const name = el("input", { id: "new-name", placeholder: "new-scenario-name" });
  const msg = el("div", { id: "new-msg" });
  const file = el("input", { type: "file", id: "import-file" });
  const impName = el("input", { id: "import-name", placeholder: "name (optional)" });
  main.replaceChildren(
    el("h1", {}, "Scenarios"),
    el("table", { id: "scenario-list" },
      el("tr", {}, ["Name", "Title", "Issues", "Actors", "Kind", ""].map(h => el("th", {}, h))),
      list.map(s => el("tr", {},
        el("td", {}, el("a", { href: "#/scenario/" + encodeURIComponent(s.name) }, s.name)),
        el("td", {}, s.title || s.error || ""),
        el("td", {}, s.issues), el("td", {}, s.actors),
        el("td", {}, s.builtin ? "built-in" : "stored v" + s.version),
        el("td", {}, s.builtin ? "" : el("button", { onclick: async () => {
          if (!confirm("Delete " + s.name + "?")) return;
          await api("DELETE", "/scenarios/" + encodeURIComponent(s.name)); route();
        } }, "Delete"))))),
    el("h2", {}, "New scenario"),
    el("div", { class: "toolbar" }, name, tpl, el("button", { id: "new-create", onclick: async () => {
      msg.replaceChildren();
      let sc;
      if (tpl.value) sc = (await api("GET", "/scenarios/" + encodeURIComponent(tpl.value))).scenario;
      else sc = blankScenario();
      sc.name = name.value.trim();
      try {
        await api("POST", "/scenarios", { scenario: sc });
        location.hash = "#/scenario/" + encodeURIComponent(sc.name);
      } catch (e) { problemsList(msg, e); }
    } }, "Create")), msg,
    el("h2", {}, "Import a file"),
    el("p", { class: "muted" }, "Parley YAML or JSON, BDM CSV, KTAB CSV, KTAB XML or Decide; the format is recognised from the content."),
    el("div", { class: "toolbar" }, file, impName, el("button", { id: "import", onclick: async () => {
      msg.replaceChildren();
      if (!file.files.length) return;
      const q = "?file=" + encodeURIComponent(file.files[0].name) + (impName.value ? "&name=" + encodeURIComponent(impName.value) : "");
      try {
        const doc = await api("POST", "/scenarios/import" + q, await file.files[0].text(), true);
        location.hash = "#/scenario/" + encodeURIComponent(doc.name);
      } catch (e) { problemsList(msg, e); }
    } }, "Import")));
}

function blankScenario() {
  const a = (id, cap, pos, sal) => ({ id, name: id, capability: cap, stances: { issue: { position: pos, salience: sal } } });
  return {
    name: "", title: "New scenario", issues: [{ id: "issue", name: "Issue", min: 0, max: 100,
      anchors: [{ value: 0, label: "none" }, { value: 100, label: "all" }] }],
    actors: [a("a", 50, 10, 80), a("b", 30, 60, 60), a("c", 20, 90, 50)],
  };
}

function problemsList(where, e) {
  where.replaceChildren(el("p", { class: "error" }, e.message.split("\n")[0]));
  for (const p of (e.body && e.body.problems) || []) where.append(el("div", { class: "problem" }, problemText(p)));
}

function problemText(p) {
  return (p.line ? "line " + p.line + ": " : "") + (p.field ? p.field + ": " : "") + p.message;
}

// ---------- scenario editor ----------

// path helpers: "actors[0].stances.issue.position" → ["actors", 0, "stances", "issue", "position"].
function splitPath(p) {
  const out = [];
  for (const part of p.split(".")) {
    const m = part.match(/^([^[]*)((\[\d+\])*)$/);
    if (!m) { out.push(part); continue; }
    if (m[1]) out.push(m[1]);
    for (const i of m[2].matchAll(/\[(\d+)\]/g)) out.push(Number(i[1]));
  }
  return out;
}
function getPath(obj, p) {
  for (const k of splitPath(p)) { if (obj == null) return undefined; obj = obj[k]; }
  return obj;
}
function setPath(obj, p, v) {
  const ks = splitPath(p);
  for (const k of ks.slice(0, -1)) {
    if (obj[k] == null) obj[k] = {};
    obj = obj[k];
  }
  obj[ks[ks.length - 1]] = v;
}
// numberValue reads a coded Number, written as a plain number or as
// {value, note, evidence}.
function numberValue(n) { return n !== null && typeof n === "object" ? n.value : n; }
function setNumber(obj, p, v) {
  const cur = getPath(obj, p);
  if (cur !== null && typeof cur === "object") cur.value = v; else setPath(obj, p, v);
}
function evidenceOf(n) { return n !== null && typeof n === "object" ? (n.evidence || []) : []; }
function evidenceCite(e) { return e.source + (e.paragraph ? " ¶" + e.paragraph : ""); }

function numberInput(sc, path, opts) {
  const v = numberValue(getPath(sc, path));
  const inp = el("input", { type: "number", step: "any", "data-field": path, value: v === undefined || v === null ? "" : v, ...opts });
  inp.addEventListener("change", () => {
    if (inp.value === "") return;
    setNumber(sc, path, Number(inp.value));
  });
  return inp;
}

// evidenceEditor edits the evidence of the coded Number at path: a
// disclosure (ⓔ and the count) holding one fieldset per entry (source from
// the scenario's sources, paragraph, paraphrase) with Delete, and Add.
// Inputs carry data-field paths such as "….position.evidence[0].text", so
// the server's problems land beside them. changed is called after edits.
function evidenceEditor(sc, path, what, changed) {
  const box = el("details", { class: "ev", "data-evidence": path });
  const entries = () => evidenceOf(getPath(sc, path));
  // number returns the Number at path in its {value, note, evidence} form.
  function number() {
    const cur = getPath(sc, path);
    if (cur !== null && typeof cur === "object") return cur;
    const n = cur === undefined || cur === null ? {} : { value: cur };
    setPath(sc, path, n);
    return n;
  }
  // tidy writes a Number with nothing but its value (no note, evidence,
  // range, sd or inferred mark) back as a plain number.
  function tidy() {
    const n = getPath(sc, path);
    if (n === null || typeof n !== "object") return;
    if (n.evidence && !n.evidence.length) delete n.evidence;
    if (!n.evidence && !n.note && !n.range && n.sd === undefined && !n.inferred) setPath(sc, path, n.value === undefined ? null : n.value);
  }
  function sourceOptions(select, current) {
    const ids = (sc.sources || []).map(s => s.id);
    select.replaceChildren(el("option", { value: "" }, "— choose a source —"),
      ...(sc.sources || []).map(s => el("option", { value: s.id }, [s.id, s.outlet, s.date].filter(Boolean).join(", "))));
    if (current && !ids.includes(current)) select.append(el("option", { value: current }, current + " (not among the sources)"));
    select.value = current || "";
  }
  function entry(e, k) {
    const f = `${path}.evidence[${k}]`;
    const n = k + 1;
    const src = el("select", { "data-field": f + ".source", class: "ev-source" });
    sourceOptions(src, e.source);
    // Sources may have been added since: list them afresh on focus.
    src.addEventListener("focus", () => sourceOptions(src, src.value));
    src.addEventListener("change", () => { e.source = src.value; edited(); });
    const para = el("input", { type: "number", min: 1, step: 1, "data-field": f + ".paragraph", class: "ev-paragraph", value: e.paragraph || "" });
    para.addEventListener("change", () => {
      if (para.value === "") delete e.paragraph; else e.paragraph = Number(para.value);
      edited();
    });
    const text = el("textarea", { rows: 2, cols: 34, "data-field": f + ".text", class: "ev-text", value: e.text || "" });
    text.addEventListener("input", () => { e.text = text.value; });
    text.addEventListener("change", edited);
    return el("fieldset", { class: "ev-entry" }, el("legend", {}, `Evidence ${n}`),
      el("label", {}, "Source ", src), " ",
      el("label", {}, "Paragraph ", para),
      el("label", { class: "ev-text-label" }, "Paraphrase (in your own words) ", text),
      el("button", { type: "button", class: "ev-delete", "aria-label": `Delete evidence ${n} of ${what}`, onclick: () => {
        number().evidence.splice(k, 1);
        tidy();
        render();
        changed();
        box.querySelector(".ev-add").focus();
      } }, "Delete"));
  }
  function summary() {
    const es = entries();
    return el("summary", { class: es.length ? null : "ev-none", "aria-label": `Evidence for ${what} (${es.length})`, title: es.map(e => evidenceCite(e) + ": " + e.text).join("\n") }, "ⓔ" + es.length);
  }
  // edited follows an edit of an entry: the summary's citations and the
  // editor's list of all evidence are redrawn.
  function edited() {
    box.querySelector("summary").replaceWith(summary());
    changed();
  }
  function render() {
    const es = entries();
    const note = (getPath(sc, path) || {}).note;
    box.replaceChildren(summary(),
      el("div", { class: "ev-body" },
        note ? el("p", { class: "muted" }, "Note: " + note) : null,
        (sc.sources || []).length ? null : el("p", { class: "muted" }, "The scenario lists no sources yet: add them under Sources."),
        es.map(entry),
        el("button", { type: "button", class: "ev-add", "aria-label": `Add evidence for ${what}`, onclick: () => {
          const n = number();
          if (!n.evidence) n.evidence = [];
          n.evidence.push({ source: "", text: "" });
          render();
          changed();
          const all = box.querySelectorAll(".ev-source");
          all[all.length - 1].focus();
        } }, "Add evidence")));
  }
  render();
  return box;
}

function textInput(sc, path, opts) {
  const inp = el("input", { "data-field": path, value: getPath(sc, path) || "", ...opts });
  inp.addEventListener("change", () => setPath(sc, path, inp.value));
  return inp;
}

function anchorsText(is) { return (is.anchors || []).map(a => a.value + "=" + a.label).join("; "); }

async function scenarioEditor(name) {
  const doc = await api("GET", "/scenarios/" + encodeURIComponent(name));
  const sc = doc.scenario;
  const problems = el("div", { id: "problems" });
  const status = el("span", { id: "status", class: "muted" });

  function issuesTable() {
    return el("table", { id: "issues" },
      el("tr", {}, ["Issue id", "Name", "Min", "Max", "Scale labels (value=label; …)"].map(h => el("th", {}, h))),
      sc.issues.map((is, i) => {
        const anchors = el("input", { "data-field": `issues[${i}].anchors`, size: 60, value: anchorsText(is) });
        anchors.addEventListener("change", () => {
          is.anchors = anchors.value.split(";").map(s => s.trim()).filter(Boolean).map(s => {
            const [v, ...l] = s.split("=");
            return { value: Number(v), label: l.join("=").trim() };
          });
        });
        return el("tr", {},
          el("td", {}, textInput(sc, `issues[${i}].id`, { size: 10 })),
          el("td", {}, textInput(sc, `issues[${i}].name`, { size: 24 })),
          el("td", {}, numberInput(sc, `issues[${i}].min`)),
          el("td", {}, numberInput(sc, `issues[${i}].max`)),
          el("td", {}, anchors));
      }));
  }

  function actorsTable() {
    return el("table", { id: "actors" },
      el("tr", {}, el("th", {}, "Actor id"), el("th", {}, "Name"), el("th", {}, "Capability"),
        sc.issues.map(is => el("th", { title: anchorsText(is) }, (is.name || is.id) + " position / salience / capability"))),
      sc.actors.map((a, i) => el("tr", {},
        el("td", {}, textInput(sc, `actors[${i}].id`, { size: 8 })),
        el("td", {}, textInput(sc, `actors[${i}].name`, { size: 16 })),
        el("td", {}, coded(`actors[${i}].capability`, `capability of ${a.id}`)),
        sc.issues.map(is => {
          if (!a.stances) a.stances = {};
          const p = `actors[${i}].stances.${is.id}`;
          return el("td", {},
            coded(p + ".position", `position of ${a.id} on ${is.id}`, { title: "position on " + is.id }),
            " ", coded(p + ".salience", `salience of ${a.id} on ${is.id}`, { title: "salience on " + is.id }),
            " ", issueCapability(a, i, is));
        }))));
  }

  // issueCapability edits an actor's capability of its own on one issue:
  // empty means the actor's capability holds there, and clearing the field
  // removes it.
  function issueCapability(a, i, is) {
    const path = `actors[${i}].stances.${is.id}.capability`;
    const what = `capability of ${a.id} on ${is.id}`;
    const inp = el("input", { type: "number", step: "any", min: 0, class: "issue-cap", "data-field": path, "aria-label": what,
      placeholder: "cap.", title: `${what} (empty: the actor's capability)`, value: numberValue(getPath(sc, path)) ?? "" });
    inp.addEventListener("change", () => {
      const st = a.stances[is.id];
      if (inp.value === "") { if (st) delete st.capability; return; }
      if (!st) a.stances[is.id] = {};
      setNumber(sc, path, Number(inp.value));
    });
    return el("span", { class: "coded" }, inp, evidenceEditor(sc, path, "the " + what, refreshEvidence));
  }

  // coded is a coded Number's input with its evidence editor.
  function coded(path, what, opts) {
    return el("span", { class: "coded" }, numberInput(sc, path, { "aria-label": what, ...opts }),
      evidenceEditor(sc, path, "the " + what, refreshEvidence));
  }

  // sourcesTable edits the documents evidence cites.
  function sourcesTable() {
    if (!sc.sources) sc.sources = [];
    const cols = [["id", 10], ["outlet", 18], ["date", 10], ["title", 30], ["ref", 24]];
    return el("table", { id: "sources" },
      el("tr", {}, cols.map(([c]) => el("th", {}, c === "ref" ? "Reference (file, DOI, address)" : c[0].toUpperCase() + c.slice(1))), el("th", {}, "")),
      sc.sources.map((src, i) => el("tr", {},
        cols.map(([c, size]) => el("td", {}, textInput(sc, `sources[${i}].${c}`, { size, "aria-label": `${c} of source ${i + 1}` }))),
        el("td", {}, el("button", { type: "button", "aria-label": `Delete source ${src.id || i + 1}`, onclick: () => { sc.sources.splice(i, 1); redraw(); } }, "Delete")))));
  }

  function evidenceList() {
    const items = [];
    sc.actors.forEach(a => {
      const add = (what, n) => evidenceOf(n).forEach(e => items.push(el("li", {}, `${a.id} ${what}: `, el("em", {}, evidenceCite(e)), " — " + e.text)));
      add("capability", a.capability);
      for (const [iss, st] of Object.entries(a.stances || {})) { add(iss + " position", st.position); add(iss + " salience", st.salience); add(iss + " capability", st.capability); }
    });
    return items.length ? el("details", {}, el("summary", {}, `Evidence (${items.length})`), el("ul", { class: "evidence" }, items)) : el("p", { class: "muted" }, "No evidence recorded.");
  }

  const tables = el("div");
  const evidenceBox = el("div", { id: "evidence-list" });
  function refreshEvidence() { evidenceBox.replaceChildren(evidenceList()); }
  function redraw() {
    refreshEvidence();
    tables.replaceChildren(el("h2", {}, "Issues"), issuesTable(), el("h2", {}, "Actors × issues"),
      el("p", { class: "muted" }, "ⓔ beside a value opens its evidence: add, edit or delete entries, then Save. The third field of a cell is the actor's capability on that issue; empty, its capability holds there."),
      actorsTable(), evidenceBox,
      el("h2", {}, "Sources"), sourcesTable(),
      el("button", { type: "button", id: "add-source", onclick: () => { sc.sources.push({ id: "source" + (sc.sources.length + 1) }); redraw(); } }, "Add source"));
  }
  redraw();

  function clearProblems() {
    problems.replaceChildren();
    main.querySelectorAll(".problem").forEach(p => p.remove());
    main.querySelectorAll(".invalid").forEach(p => p.classList.remove("invalid"));
  }
  // showProblems puts each problem beside the field it concerns: the
  // input whose data-field is the longest prefix of the problem's field.
  function showProblems(ps) {
    clearProblems();
    const fields = [...main.querySelectorAll("[data-field]")];
    for (const p of ps) {
      let best = null;
      for (const f of fields) {
        const d = f.dataset.field;
        if (p.field && (p.field === d || p.field.startsWith(d + ".") || p.field.startsWith(d + "[")) && (!best || d.length > best.dataset.field.length)) best = f;
      }
      const msg = el("span", { class: "problem" }, (p.line ? "line " + p.line + ": " : "") + p.message);
      // A problem in a closed evidence editor opens it.
      const shut = best && best.closest("details:not([open])");
      if (shut) shut.open = true;
      if (best) { best.classList.add("invalid"); best.parentElement.append(msg); } else problems.append(el("div", { class: "problem" }, problemText(p)));
    }
  }

  async function save() {
    clearProblems();
    status.textContent = "";
    try {
      let r;
      if (doc.builtin || !doc.version) {
        r = await api("POST", "/scenarios", { scenario: sc });
        location.hash = "#/scenario/" + encodeURIComponent(r.name);
      } else {
        r = await api("PUT", "/scenarios/" + encodeURIComponent(name), { version: doc.version, scenario: sc });
        doc.version = r.version;
      }
      status.textContent = "saved (version " + r.version + ")";
      status.className = "ok";
      return true;
    } catch (e) {
      if (e.body && e.body.problems) showProblems(e.body.problems);
      else problems.replaceChildren(el("p", { class: "error" }, e.message));
      return false;
    }
  }

  const [models, formats] = await Promise.all([api("GET", "/models"), api("GET", "/formats")]);
  const modelSel = el("select", { id: "run-model" }, models.map(m => el("option", { value: m.name, selected: !!m.default }, m.name)));
  const draws = el("input", { type: "number", id: "sweep-draws", value: 200, min: 1 });
  // The forecast's interval: a seeded sweep under the scenario's
  // uncertainty, beside each forecast.
  const withInterval = el("input", { type: "checkbox", id: "run-interval" });
  const ivDraws = el("input", { type: "number", id: "interval-draws", value: 200, min: 1 });
  const ivSeed = el("input", { type: "number", id: "interval-seed", value: 1, min: 0 });
  // Model parameters as NAME=VALUE words (the server checks them against
  // the model's declaration, as the command line's -p does).
  const runParams = el("input", { type: "text", id: "run-params", size: 28, placeholder: "e.g. p=0.3 repetitions=10",
    title: "model parameters, NAME=VALUE separated by spaces ('parley models' lists them)" });
  const forecastBody = () => {
    const b = { scenario: scenName(), model: modelSel.value };
    const params = {};
    for (const w of runParams.value.split(/\s+/).filter(Boolean)) {
      const i = w.indexOf("=");
      params[i < 0 ? w : w.slice(0, i)] = i < 0 ? "" : w.slice(i + 1);
    }
    if (Object.keys(params).length) b.params = params;
    if (withInterval.checked) Object.assign(b, { interval: true, draws: Number(ivDraws.value), seed: Number(ivSeed.value) });
    return b;
  };
  // Empty: every position follows its own range or the default for its
  // evidence (docs/uncertainty.md); a number: that sd for every position
  // without a range of its own.
  const posSD = el("input", { type: "number", id: "sweep-position-sd", placeholder: "by evidence", step: "any", min: 0 });
  const runMsg = el("div", { id: "run-msg" });
  async function run(kind, body) {
    runMsg.replaceChildren();
    if (!doc.builtin && !(await save())) return;
    try {
      const r = await api("POST", "/runs/" + kind, body);
      location.hash = kind === "forecast" || STRATEGY_PATHS.includes(kind) ? "#/run/" + r.id : "#/job/" + r.id;
    } catch (e) { problemsList(runMsg, e); }
  }
  const scenName = () => (doc.builtin ? name : sc.name);

  main.replaceChildren(
    el("h1", {}, "Scenario ", el("span", { id: "scenario-name" }, name), doc.builtin ? el("span", { class: "muted" }, " (built-in: saved as a copy)") : null),
    el("div", { class: "toolbar" },
      el("label", {}, "Name ", textInput(sc, "name", { size: 24 })),
      el("label", {}, "Title ", textInput(sc, "title", { size: 50 }))),
    problems,
    tables,
    el("div", { class: "toolbar" },
      el("button", { id: "add-actor", onclick: () => { sc.actors.push({ id: "actor" + (sc.actors.length + 1), capability: 1, stances: {} }); redraw(); } }, "Add actor"),
      el("button", { id: "add-issue", onclick: () => { sc.issues.push({ id: "issue" + (sc.issues.length + 1), name: "", min: 0, max: 100 }); redraw(); } }, "Add issue"),
      el("button", { id: "save", onclick: save }, doc.builtin ? "Save as copy" : "Save"),
      el("button", { id: "validate", onclick: async () => {
        clearProblems();
        const r = await api("POST", "/scenarios/validate?file=" + encodeURIComponent(sc.name + ".json"), JSON.stringify(sc), true);
        if (r.valid) { status.textContent = "valid: " + r.summary; status.className = "ok"; } else showProblems(r.problems);
      } }, "Validate"), status),
    el("h2", {}, "Run"),
    el("div", { class: "toolbar" }, "Model ", modelSel, " parameters ", runParams,
      el("button", { id: "run-forecast", onclick: () => run("forecast", forecastBody()) }, "Run forecast"),
      el("label", { title: "5th–95th percentile of each forecast over a seeded sweep under the scenario's uncertainty" }, withInterval, " with 90% interval"),
      "(draws ", ivDraws, " seed ", ivSeed, ")"),
    el("div", { class: "toolbar" }, "Sweep: draws ", draws, " position sd ", posSD,
      el("button", { id: "run-sweep", onclick: () => run("sweep", { scenario: scenName(), model: modelSel.value, draws: Number(draws.value), noise: posSD.value === "" ? {} : { position: Number(posSD.value) } }) }, "Run sweep"),
      sc.process ? el("button", { id: "run-process", onclick: () => run("process", { scenario: scenName(), draws: 2000 }) }, "Run process") : null),
    runMsg,
    ...strategyControls(sc, modelSel, scenName, run),
    el("h2", {}, "Export"),
    // The server lists its export formats; bdm holds one issue, so it gets
    // a link per issue.
    el("p", {}, formats.export.filter(f => f.name !== "bdm").map(f => [el("a", { href: API + "/scenarios/" + encodeURIComponent(name) + "/export?format=" + f.name }, f.name), " "]),
      sc.issues.map(is => [el("a", { href: API + "/scenarios/" + encodeURIComponent(name) + "/export?format=bdm&issue=" + encodeURIComponent(is.id) }, "bdm (" + is.id + ")"), " "])));
}

// ---------- runs ----------

async function runsPage() {
  const runs = await api("GET", "/runs?limit=200");
  const picked = new Set();
  const cmp = el("button", { id: "compare", disabled: true, onclick: () => { const [a, b] = [...picked]; location.hash = `#/compare/${a}/${b}`; } }, "Compare the two selected");
  main.replaceChildren(el("h1", {}, "Runs"),
    el("div", { class: "toolbar" }, cmp, el("a", { href: "#/backtest" }, "Backtest on DEU III…")),
    el("table", { id: "runs" },
      el("tr", {}, ["", "Id", "Kind", "Status", "Scenario", "Model", "Created", ""].map(h => el("th", {}, h))),
      runs.map(r => el("tr", {},
        el("td", {}, el("input", { type: "checkbox", class: "pick", "data-id": r.id, onchange: e => {
          if (e.target.checked) picked.add(r.id); else picked.delete(r.id);
          cmp.disabled = picked.size !== 2;
        } })),
        el("td", {}, el("a", { href: "#/run/" + r.id }, r.id)), el("td", {}, r.kind), el("td", { class: "run-status" }, r.status_text),
        el("td", {}, r.scenario), el("td", {}, [r.model, r.variant].filter(Boolean).join(" ")),
        el("td", {}, r.created.replace("T", " ").slice(0, 19)),
        el("td", {}, r.resumable ? resumeButton(r.id) : "", " ",
          el("button", { onclick: async () => { try { await api("DELETE", "/runs/" + r.id); route(); } catch (e) { alert(e.message); } } }, "Delete"))))));
}

// resumeButton continues an interrupted or stalled sweep (the server says
// which runs are resumable) and shows its job.
function resumeButton(id) {
  return el("button", { class: "resume", onclick: async () => {
    try { const j = await api("POST", `/runs/${id}/resume`); location.hash = "#/job/" + j.id; } catch (e) { alert(e.message); }
  } }, "Resume");
}

// renderRun draws one stored run into box.
async function renderRun(box, id) {
  const r = await api("GET", "/runs/" + id);
  box.append(el("h2", {}, `Run ${r.id}: ${r.kind} of ${r.scenario}`),
    el("p", { class: "muted" }, [r.model, r.variant, r.status === "failed" ? "failed" : r.status_text, "seed " + r.seed,
      Object.entries(r.params || {}).map(([k, v]) => `${k}=${v}`).join(" "), r.created].filter(Boolean).join(" · "), " · ",
      el("a", { href: `${API}/runs/${id}/report`, target: "_blank" }, "HTML report")));
  if (r.status === "failed") {
    box.append(el("p", { class: "run-status error" }, "This run failed: " + (r.error || "no reason recorded") + "."));
    return;
  }
  if (!r.result) {
    box.append(el("p", { class: "run-status" }, "No result yet (" + r.status_text + ")."), r.resumable ? resumeButton(id) : null);
    return;
  }
  const res = r.result;
  if (r.kind === "forecast") {
    // The server words each issue as the tables do (report.Summaries):
    // where the forecast settles, or the range it cycles or wanders in.
    const sum = r.summary || [];
    const hasInterval = sum.some(s => s.interval);
    box.append(el("table", { class: "forecast", id: "forecast-summary" },
      el("tr", {}, ["Issue", "Forecast", "How it ends", hasInterval ? "90% interval" : null, "Where it lies", "Last round", "Rounds", "Stopped"].filter(Boolean).map(h => el("th", {}, h))),
      sum.map(s => el("tr", { class: "settle-" + (s.kind || "static") },
        el("td", {}, s.name), el("td", { class: "forecast-value" }, s.headline), el("td", { class: "ends" }, s.ends || "static model"),
        hasInterval ? el("td", { class: "interval" }, s.interval) : null,
        el("td", {}, s.place), el("td", {}, s.last_round), el("td", {}, s.rounds), el("td", {}, s.stopped)))),
      el("p", { class: "muted", id: "forecast-note" }, "Forecast: where the forecast settles; when it cycles or does not settle, the mean over the cycle (or over the last half of the run) with the range it moves in, in brackets. Last round: the forecast after the last round played.",
        hasInterval ? ` 90% interval: the 5th to 95th percentile of the forecast over a sweep of ${sum.find(s => s.interval).interval_draws} draws (seed ${sum.find(s => s.interval).interval_seed}) under the scenario's uncertainty.` : ""));
    if (!hasInterval) {
      const msg = el("span");
      box.append(el("div", { class: "toolbar" }, el("button", { id: "add-interval", onclick: async () => {
        // The same forecast again, with an interval beside each issue.
        const c = r.config || {};
        const body = { scenario: r.scenario, model: r.model, variant: r.variant, params: r.params, rounds: c.rounds, stable: c.stable || 0, epsilon: c.epsilon || 0, interval: true, draws: 200, seed: 1 };
        try { const n = await api("POST", "/runs/forecast", body); location.hash = "#/run/" + n.id; } catch (e) { showError(msg, e); }
      } }, "Add a 90% interval (200 draws)"), msg));
    }
    if (res.actor_gains) box.append(...tradeTables(res));
    const charts = el("div", { class: "charts" });
    box.append(charts);
    for (const is of res.issues) {
      const box = await chart(`/runs/${id}/chart?issue=${encodeURIComponent(is.id)}`, is.name || is.id);
      const si = ((r.snapshot && r.snapshot.issues) || []).find(x => x.id === is.id);
      if (si && si.anchors) box.append(el("p", { class: "muted scale" }, "Scale: " + anchorsText(si).replaceAll("=", " = ")));
      charts.append(box);
    }
  } else if (r.kind === "sweep") {
    box.append(el("p", { class: "sweep-draws" }, `${res.draws} ${res.draws === 1 ? "draw" : "draws"}`,
      res.identical ? " — identical draws: the noise cannot make one differ from another, so one was run and counted for all" : ""),
      el("table", {}, el("tr", {}, ["Issue", "5%", "25%", "median", "75%", "95%", "mean", "bands"].map(h => el("th", {}, h))),
        res.issues.map(is => el("tr", {}, el("td", {}, is.name || is.id),
          ["5", "25", "50", "75", "95"].map(q => el("td", {}, is.quantiles ? fmt(is.quantiles[q]) : "")),
          el("td", {}, is.mean !== undefined ? fmt(is.mean) : ""),
          el("td", {}, Object.entries(is.bands || {}).map(([k, v]) => `${k}: ${fmt(100 * v)}%`).join("; "))))));
    const charts = el("div", { class: "charts" });
    box.append(charts);
    for (const is of res.issues) charts.append(await chart(`/runs/${id}/chart?issue=${encodeURIComponent(is.id)}`, is.name || is.id));
  } else if (r.kind === "process") {
    box.append(await chart(`/runs/${id}/chart?view=timeline`, "Timeline"),
      el("table", {}, el("tr", {}, ["Date", "Stage", "Event", "Outcome"].map(h => el("th", {}, h))),
        (res.events || []).map(e => el("tr", {}, el("td", {}, e.date), el("td", {}, e.stage), el("td", {}, e.description), el("td", {}, e.outcome)))));
    if (res.recognition) box.append(await chart(`/runs/${id}/chart?view=recognition`, "Recognition"));
  } else if (STRATEGY_KINDS.includes(r.kind)) {
    await renderStrategy(box, r);
  } else {
    const titles = { recognition: "Recognition", sensitivity: "Sensitivity", backtest: "Backtest: MAE by model" };
    if (titles[r.kind]) box.append(await chart(`/runs/${id}/chart`, titles[r.kind]));
    box.append(el("details", {}, el("summary", {}, "Result (JSON)"), el("pre", {}, JSON.stringify(res, null, 2).slice(0, 20000))));
  }
}

// tradeTables shows the exchange model's per-actor outputs (own gain and
// the externalities of the others' trades, summed over the rounds) and
// its voting summary (first and last round), as the command line's table
// does; with repetitions, the means over them and the spread of the last
// voting outcome.
function tradeTables(res) {
  const reps = res.repetitions || 1;
  const sums = new Map();
  for (const g of res.actor_gains) {
    const s = sums.get(g.actor) || { n: 0, own: 0, ip: 0, in: 0, op: 0, on: 0 };
    s.n += g.exchanges.mean; s.own += g.own.mean; s.ip += g.inner_positive.mean; s.in += g.inner_negative.mean;
    s.op += g.outer_positive.mean; s.on += g.outer_negative.mean;
    sums.set(g.actor, s);
  }
  const num = v => el("td", { class: "n" }, v.toFixed(3));
  const gains = el("table", { id: "actor-gains" },
    el("tr", {}, ["Actor", "Exchanges", "Own gain", "Inner +", "Inner −", "Outer +", "Outer −", "Net"].map(h => el("th", {}, h))),
    [...sums].map(([a, s]) => el("tr", {}, el("td", {}, a), el("td", { class: "n" }, fmt(s.n)), num(s.own), num(s.ip), num(s.in), num(s.op), num(s.on),
      num(s.own + s.ip + s.in + s.op + s.on))));
  const first = new Map(), last = new Map();
  for (const v of res.issue_voting || []) {
    if (!first.has(v.issue)) first.set(v.issue, v);
    last.set(v.issue, v);
  }
  const n = last.size ? [...last.values()][0].round : 0;
  const voting = el("table", { id: "issue-voting" },
    el("tr", {}, ["Issue", "Preference 1", "Voting 1", `Preference ${n}`, `Voting ${n}`, "Spread 1", `Spread ${n}`, reps > 1 ? `Voting ${n} sd` : null].filter(Boolean).map(h => el("th", {}, h))),
    [...first.keys()].map(id => {
      const f = first.get(id), l = last.get(id);
      return el("tr", {}, el("td", {}, id), [f.preference.mean, f.voting.mean, l.preference.mean, l.voting.mean,
        Math.sqrt(f.voting_dispersion.mean), Math.sqrt(l.voting_dispersion.mean)].concat(reps > 1 ? [Math.sqrt(l.voting.variance)] : [])
        .map(v => el("td", { class: "n" }, v.toFixed(2))));
    }));
  const of = reps > 1 ? ` Means over ${reps} repetitions; the trades listed in the JSON are the first repetition's.` : "";
  return [el("h3", {}, "Gains and externalities per actor"), gains,
    el("p", { class: "muted" }, "Utility on 0–100 scales, summed over the rounds: own gain from the actor's own exchanges; the others' exchanges shift the outcomes it cares about towards it (+) or away (−); inner when it stood with the partners on the two outcomes." + of),
    el("h3", {}, "Voting summary"), voting,
    el("p", { class: "muted" }, "Preference r: the outcome of round r's start positions; Voting r: of its voting positions (the round's forecast). Spread r: root mean squared distance of the voting positions from the outcome.")];
}

async function runPage(id) {
  main.replaceChildren();
  const box = el("div", { id: "run" });
  main.append(box);
  await renderRun(box, id);
}

async function comparePage(a, b) {
  const left = el("div", { id: "left" }), right = el("div", { id: "right" });
  main.replaceChildren(el("h1", {}, "Compare runs"), el("div", { class: "compare" }, left, right));
  await Promise.all([renderRun(left, a), renderRun(right, b)]);
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
  main.replaceChildren(el("h1", {}, "Jobs"), el("table", { id: "jobs" },
    el("tr", {}, ["Id", "Kind", "Status", "Progress", "", "Run", "", "Error"].map(h => el("th", {}, h))), jobs.map(jobRow)));
  if (jobs.some(j => j.status === "running" || j.status === "queued")) pollTimer = setTimeout(route, 1000);
}

async function jobPage(id) {
  const j = await api("GET", "/jobs/" + id);
  if (j.status === "done" && j.run_id) { location.hash = "#/run/" + j.run_id; return; }
  main.replaceChildren(el("h1", {}, `Job ${j.id} (${j.kind})`), el("table", {}, jobRow(j)));
  if (j.status === "done" && j.kind === "backtest") {
    main.append(await chart(`/jobs/${id}/chart`, "Backtest: MAE by model"), el("pre", {}, JSON.stringify(j.result, null, 2).slice(0, 20000)));
  }
  if (j.problems) for (const p of j.problems) main.append(el("div", { class: "problem" }, problemText(p)));
  if (j.status === "running" || j.status === "queued") pollTimer = setTimeout(route, 400);
}

async function backtestPage() {
  const file = el("input", { type: "file", id: "bt-file" });
  const models = el("input", { id: "bt-models", value: "mean,median,eum" });
  const caps = el("input", { id: "bt-caps", value: "equal" });
  const msg = el("div");
  main.replaceChildren(el("h1", {}, "Backtest on DEU III"),
    el("p", { class: "muted" }, "Upload the DEU III file (tab-separated, two header rows); README.md, section Backtest, says where to get it."),
    el("div", { class: "toolbar" }, file, "models ", models, "capabilities ", caps,
      el("button", { onclick: async () => {
        if (!file.files.length) return;
        try {
          const j = await api("POST", "/runs/backtest", { data: await file.files[0].text(), models: models.value, capabilities: caps.value, bootstrap: 500 });
          location.hash = "#/job/" + j.id;
        } catch (e) { problemsList(msg, e); }
      } }, "Run backtest")), msg);
}

// ---------- routing ----------

async function route() {
  clearTimeout(pollTimer);
  const parts = location.hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
  try {
    switch (parts[0]) {
      case "scenario": await scenarioEditor(parts[1]); break;
      case "runs": await runsPage(); break;
      case "run": await runPage(parts[1]); break;
      case "compare": await comparePage(parts[1], parts[2]); break;
      case "jobs": await jobsPage(); break;
      case "job": await jobPage(parts[1]); break;
      case "backtest": await backtestPage(); break;
      default: await scenarioList();
    }
  } catch (e) {
    main.replaceChildren(el("p", { class: "error" }, e.message));
  }
}
window.addEventListener("hashchange", route);
route();
