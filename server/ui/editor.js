// The scenario editor: the issues, the grid of actors × issues (paste a
// block of cells from a spreadsheet into it), the sources, and a YAML pane
// for the sections a grid cannot show. Edits are checked as they are made
// by the server's parser (POST /scenarios/validate) and each problem is
// shown beside what the user sees: the cell, the pane's line, or the
// actor's and issue's names. Unsaved edits are kept as a draft in the
// browser (localStorage) and leaving with them asks first. A run started
// here uses what is on screen: the edits are saved first, a built-in
// scenario's as a named copy.
"use strict";

const ACTOR_KINDS = ["state", "organisation", "group", "person"];

// Paths name a value of the scenario: "actors[0].stances.status.position"
// → ["actors", 0, "stances", "status", "position"]. The server names
// problems' fields the same way.
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
function deletePath(obj, p) {
  const ks = splitPath(p);
  for (const k of ks.slice(0, -1)) { if (obj == null) return; obj = obj[k]; }
  if (obj && typeof obj === "object") delete obj[ks[ks.length - 1]];
}
function setNumber(obj, p, v) {
  const cur = getPath(obj, p);
  if (cur !== null && typeof cur === "object") cur.value = v; else setPath(obj, p, v);
}
function evidenceOf(n) { return n !== null && typeof n === "object" ? (n.evidence || []) : []; }
function evidenceCite(e) { return e.source + (e.paragraph ? " ¶" + e.paragraph : ""); }

// hasNumber reports whether a coded Number holds a value or anything else
// worth keeping (evidence, a note, a range).
function hasNumber(n) {
  if (n === undefined || n === null) return false;
  if (typeof n !== "object") return true;
  return (n.value !== undefined && n.value !== null) || (n.evidence || []).length > 0 || !!n.note || !!n.range || n.sd !== undefined || !!n.inferred;
}

// parseCell reads a number pasted from a spreadsheet: "12.5", "12,5"
// (a decimal comma), " 7 ".
function parseCell(s) {
  s = s.trim();
  if (/^[-+]?\d+,\d+$/.test(s)) s = s.replace(",", ".");
  if (s === "" || !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) return NaN;
  return Number(s);
}

function textInput(sc, path, opts, onChange) {
  const inp = el("input", { "data-field": path, value: getPath(sc, path) || "", ...opts });
  inp.addEventListener("change", () => { if (onChange) onChange(inp.value); else setPath(sc, path, inp.value); });
  return inp;
}

function anchorsText(is) { return (is.anchors || []).map(a => a.value + "=" + a.label).join("; "); }

// numberDetails is the disclosure beside a coded number: a button ("e"
// and the count of its evidence, ± when it has its own range or sd, i
// when the coder inferred it) that opens its uncertainty (range, sd,
// inferred, note) and its evidence entries (source from the scenario's
// sources, paragraph, paraphrase), with Delete and Add. The panel is
// built when first opened (or when a problem must be shown in it:
// show()); a grid holds hundreds of numbers, so a closed one is a single
// button. Inputs carry data-field paths such as
// "….position.evidence[0].text" and "….position.range", so that the
// server's problems land beside them. changed is called after every edit.
function numberDetails(sc, path, what, changed) {
  const box = document.createElement("span");
  box.className = "ev";
  box.dataset.evidence = path;
  const entries = () => evidenceOf(getPath(sc, path));
  // number returns the Number at path in its {value, …} form.
  function number() {
    const cur = getPath(sc, path);
    if (cur !== null && typeof cur === "object") return cur;
    const n = cur === undefined || cur === null ? {} : { value: cur };
    setPath(sc, path, n);
    return n;
  }
  // tidy writes a Number with nothing but its value back as a plain
  // number.
  function tidy() {
    const n = getPath(sc, path);
    if (n === null || typeof n !== "object") return;
    if (n.evidence && !n.evidence.length) delete n.evidence;
    if (!n.note) delete n.note;
    if (!n.inferred) delete n.inferred;
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
  // uncertainty edits the number's own range or sd, whether it is
  // inferred, and its note (docs/uncertainty.md).
  function uncertainty() {
    const n = getPath(sc, path);
    const o = n !== null && typeof n === "object" ? n : {};
    const lo = el("input", { type: "number", step: "any", class: "range-lo", "data-field": path + ".range", "aria-label": `lowest value of ${what}`, value: o.range ? o.range[0] : "" });
    const hi = el("input", { type: "number", step: "any", class: "range-hi", "aria-label": `highest value of ${what}`, value: o.range ? o.range[1] : "" });
    const rangeMsg = el("span", { class: "muted" });
    const setRange = () => {
      rangeMsg.textContent = "";
      if (lo.value === "" && hi.value === "") { delete number().range; tidy(); edited(); return; }
      if (lo.value === "" || hi.value === "") { rangeMsg.textContent = "give both ends"; return; }
      number().range = [Number(lo.value), Number(hi.value)];
      edited();
    };
    lo.addEventListener("change", setRange);
    hi.addEventListener("change", setRange);
    const sd = el("input", { type: "number", step: "any", min: 0, class: "sd", "data-field": path + ".sd", "aria-label": `standard deviation of ${what}`, value: o.sd !== undefined ? o.sd : "" });
    sd.addEventListener("change", () => {
      if (sd.value === "") delete number().sd; else number().sd = Number(sd.value);
      tidy(); edited();
    });
    const inferred = el("input", { type: "checkbox", class: "inferred", "data-field": path + ".inferred", checked: !!o.inferred });
    inferred.addEventListener("change", () => { number().inferred = inferred.checked; tidy(); edited(); });
    const note = el("input", { class: "note", size: 40, "data-field": path + ".note", "aria-label": `note on ${what}`, value: o.note || "" });
    note.addEventListener("change", () => { number().note = note.value; tidy(); edited(); });
    return el("fieldset", { class: "ev-uncertainty" }, el("legend", {}, "How sure"),
      el("label", { title: "The value lies in this range and is most likely the value itself (triangular draws)" }, "Range ", lo, " to ", hi), " ", rangeMsg, " ",
      el("label", { title: "Or: the value is off by about this much (normal draws)" }, "or sd ", sd), " ",
      el("label", { title: "The sources do not state the value: it takes the wider default spread" }, inferred, " inferred"),
      el("label", { class: "ev-text-label" }, "Note ", note));
  }
  let open = false;
  // toggle is the button that opens and closes the panel; its text counts
  // the evidence and marks the number's uncertainty.
  function toggle() {
    const es = entries();
    const n = getPath(sc, path);
    const spread = n && typeof n === "object" && (n.range || n.sd !== undefined);
    const inferred = n && typeof n === "object" && n.inferred;
    const how = [spread ? (n.range ? `range ${n.range[0]}–${n.range[1]}` : `sd ${n.sd}`) : "", inferred ? "inferred" : ""].filter(Boolean).join(", ");
    const b = document.createElement("button");
    b.type = "button";
    b.className = es.length || spread || inferred ? "ev-toggle" : "ev-toggle ev-none";
    b.setAttribute("aria-expanded", open ? "true" : "false");
    b.setAttribute("aria-label", `Evidence for ${what} (${es.length})${how ? ", " + how : ""}`);
    if (es.length || how) b.title = [how, ...es.map(e => evidenceCite(e) + ": " + e.text)].filter(Boolean).join("\n");
    b.textContent = "e" + es.length + (spread ? " ±" : "") + (inferred ? " i" : "");
    b.addEventListener("click", () => setOpen(!open));
    return b;
  }
  // edited follows an edit of an entry: the button's count and citations
  // and the editor's list of all evidence are redrawn.
  function edited() {
    box.firstChild.replaceWith(toggle());
    changed();
  }
  function setOpen(o) {
    open = o;
    if (o) box.build();
    box.classList.toggle("open", o);
    box.firstChild.setAttribute("aria-expanded", o ? "true" : "false");
    box.lastChild.hidden = !o;
  }
  let built = false;
  function render() {
    built = true;
    const es = entries();
    fill(box, toggle(),
      el("div", { class: "ev-body", hidden: !open },
        uncertainty(),
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
  box.append(toggle());
  box.build = () => { if (!built) render(); };
  box.show = () => setOpen(true);
  return box;
}

// freeName is the first of "NAME-copy", "NAME-copy-2", … that no
// scenario has.
async function freeName(name) {
  const taken = new Set((await api("GET", "/scenarios")).map(s => s.name));
  for (let k = 1; ; k++) {
    const n = name + "-copy" + (k > 1 ? "-" + k : "");
    if (!taken.has(n)) return n;
  }
}

// editorGuard, when set, is asked before the page is left: it answers
// whether leaving is fine (app.js's router and the browser's unload).
let editorGuard = null;

async function scenarioEditor(name) {
  timing.start("editor");
  const [doc, formats, modelList] = await Promise.all([api("GET", "/scenarios/" + encodeURIComponent(name)), api("GET", "/formats"), models()]);
  timing.data();
  let sc = doc.scenario;
  if (!sc.issues) sc.issues = [];
  if (!sc.actors) sc.actors = [];
  let pane = paneText(sc);
  let dirty = false;
  const draftKey = "parley.draft." + name;
  const problems = el("div", { id: "problems", role: "alert" });
  const status = el("span", { id: "status", class: "muted" });
  const notice = el("div", { id: "notice" });
  const paneMarks = el("div", { class: "pane-marks", "aria-hidden": "true" });
  const paneList = el("ul", { id: "pane-problems", class: "pane-problems" });

  // ---- dirty state, draft and the guard on leaving ----
  let draftTimer = null, validateTimer = null;
  function edited(now) {
    dirty = true;
    saveBar.classList.add("dirty");
    status.textContent = "Unsaved changes (kept in this browser as a draft)";
    status.className = "muted";
    clearTimeout(draftTimer);
    draftTimer = setTimeout(writeDraft, 250);
    clearTimeout(validateTimer);
    validateTimer = setTimeout(() => validate().catch(() => {}), now ? 0 : 450);
  }
  function writeDraft() {
    if (!dirty) return;
    try {
      localStorage.setItem(draftKey, JSON.stringify({ saved: new Date().toISOString(), version: doc.version || 0, scenario: sc, pane }));
    } catch { /* a full or disabled storage: the guard still asks */ }
  }
  function dropDraft() { clearTimeout(draftTimer); try { localStorage.removeItem(draftKey); } catch { /* nothing kept */ } }
  function clean() {
    dirty = false;
    saveBar.classList.remove("dirty");
    dropDraft();
  }
  editorGuard = () => !dirty || confirm(`Your changes to ${name} are not saved. Leave this page? (They stay in this browser as a draft, offered when you open ${name} again.)`);
  editorGuard.quiet = () => !dirty;

  function offerDraft() {
    let d;
    try { d = JSON.parse(localStorage.getItem(draftKey) || "null"); } catch { d = null; }
    if (!d || !d.scenario || (JSON.stringify(d.scenario) === JSON.stringify(doc.scenario) && d.pane === pane)) return;
    const when = new Date(d.saved).toLocaleString();
    const newer = doc.version && d.version && doc.version !== d.version ? ` The stored scenario has been saved again since (version ${doc.version}; the draft was made on version ${d.version}).` : "";
    fill(notice, el("div", { class: "notice", id: "draft-offer" },
      `Unsaved edits to ${name} from ${when} were kept in this browser.${newer} `,
      el("button", { id: "draft-restore", onclick: () => {
        sc = d.scenario; pane = d.pane || paneText(sc);
        fill(notice, el("p", { class: "notice" }, "The draft is restored; save to keep it."));
        redraw(); paneInput.value = pane; paneLines(); edited(true);
      } }, "Restore them"), " ",
      el("button", { id: "draft-discard", onclick: () => { dropDraft(); fill(notice, ); } }, "Discard them")));
  }

  // ---- renames, deletions and undo ----
  // Renaming an issue or actor moves its values (stances) and the
  // references in the pane's sections with it.
  function renameIssue(i, to) {
    const from = sc.issues[i].id;
    if (to === from) return true;
    if (to && sc.issues.some((is, k) => k !== i && is.id === to)) return `another issue is called ${to}`;
    sc.issues[i].id = to;
    for (const a of sc.actors) {
      if (a.stances && from in a.stances) { a.stances[to] = a.stances[from]; delete a.stances[from]; }
    }
    let moved = false;
    const p = sc.process;
    if (p && p.status_quo && from in p.status_quo) { p.status_quo[to] = p.status_quo[from]; delete p.status_quo[from]; moved = true; }
    for (const st of (p && p.stages) || []) if (st.issue === from) { st.issue = to; moved = true; }
    if (moved) refreshPane();
    return true;
  }
  function renameActor(i, to) {
    const from = sc.actors[i].id;
    if (to === from) return true;
    if (to && sc.actors.some((a, k) => k !== i && a.id === to)) return `another actor is called ${to}`;
    sc.actors[i].id = to;
    let moved = false;
    const swap = v => { if (v === from) { moved = true; return to; } return v; };
    for (const st of (sc.process && sc.process.stages) || []) {
      for (const k of ["parties", "recognising", "opposing", "initial"]) if (st[k]) st[k] = st[k].map(swap);
      for (const k of ["actor", "parent"]) if (st[k] !== undefined) st[k] = swap(st[k]);
    }
    for (const inst of sc.institutions || []) {
      for (const m of Object.keys(inst.actors || {})) inst.actors[m] = swap(inst.actors[m]);
      for (const m of inst.members || []) if (m.actor !== undefined) m.actor = swap(m.actor);
    }
    for (const p of (sc.ktab && sc.ktab.ideal_adjustment) || []) { p.actor = swap(p.actor); p.reference = swap(p.reference); }
    if (moved) refreshPane();
    return true;
  }
  let undo = null;
  function deleted(what, restore) {
    undo = restore;
    fill(status, `Deleted ${what}. `, el("button", { id: "undo", class: "link", onclick: () => { if (undo) { undo(); undo = null; redraw(); edited(); status.textContent = `Restored ${what}.`; } } }, "Undo"));
  }
  function deleteActor(i) {
    const a = sc.actors[i];
    sc.actors.splice(i, 1);
    redraw(); edited();
    deleted(`actor ${a.name || a.id}`, () => sc.actors.splice(i, 0, a));
  }
  function deleteIssue(i) {
    const is = sc.issues[i];
    const stances = new Map();
    for (const a of sc.actors) if (a.stances && is.id in a.stances) { stances.set(a, a.stances[is.id]); delete a.stances[is.id]; }
    sc.issues.splice(i, 1);
    redraw(); edited();
    deleted(`issue ${is.name || is.id} and ${plural(stances.size, "stance")} on it`, () => {
      sc.issues.splice(i, 0, is);
      for (const [a, st] of stances) { if (!a.stances) a.stances = {}; a.stances[is.id] = st; }
    });
  }

  // ---- the issues table ----
  function issuesTable() {
    return el("table", { id: "issues" },
      el("tr", {}, ["Issue id", "Name", "Min", "Max", "Scale labels (value=label; …)", ""].map(h => el("th", {}, h))),
      sc.issues.map((is, i) => {
        const anchors = el("input", { "data-field": `issues[${i}].anchors`, size: 56, value: anchorsText(is), "aria-label": `scale labels of ${is.name || is.id}` });
        anchors.addEventListener("change", () => {
          is.anchors = anchors.value.split(";").map(s => s.trim()).filter(Boolean).map(s => {
            const [v, ...l] = s.split("=");
            return { value: Number(v), label: l.join("=").trim() };
          });
          edited();
        });
        const id = textInput(sc, `issues[${i}].id`, { size: 12, "aria-label": `id of issue ${i + 1}` }, v => {
          const ok = renameIssue(i, v.trim());
          if (ok !== true) { id.value = sc.issues[i].id; localProblem(id, ok); return; }
          redraw(); edited();
        });
        const bound = k => {
          const inp = el("input", { type: "number", step: "any", "data-field": `issues[${i}].${k}`, value: is[k], "aria-label": `${k} of ${is.name || is.id}` });
          inp.addEventListener("change", () => { if (inp.value !== "") { is[k] = Number(inp.value); edited(); } });
          return inp;
        };
        return el("tr", {},
          el("td", {}, id),
          el("td", {}, textInput(sc, `issues[${i}].name`, { size: 24, "aria-label": `name of issue ${is.id}` }, v => { is.name = v; redraw(); edited(); })),
          el("td", {}, bound("min")), el("td", {}, bound("max")), el("td", {}, anchors),
          el("td", {}, el("button", { type: "button", class: "delete-issue", "aria-label": `Delete issue ${is.name || is.id}`, onclick: () => deleteIssue(i) }, "Delete")));
      }));
  }

  // ---- the grid of actors × issues ----
  // columns are the grid's columns left to right: each makes its cell's
  // input for actor i and sets a pasted text (returning a problem).
  function columns() {
    const cols = [
      { head: "Actor id", width: "9em", cell: i => {
        const inp = textInput(sc, `actors[${i}].id`, { size: 10, "aria-label": `id of actor ${i + 1}` }, v => {
          const ok = renameActor(i, v.trim());
          if (ok !== true) { inp.value = sc.actors[i].id; localProblem(inp, ok); return; }
          redraw(); edited();
        });
        return inp;
      }, set: (i, s) => { const ok = renameActor(i, s); return ok === true ? null : ok; } },
      { head: "Name", width: "11em", cell: i => textInput(sc, `actors[${i}].name`, { size: 14, "aria-label": `name of ${sc.actors[i].id}` }, v => { sc.actors[i].name = v; edited(); }),
        set: (i, s) => { sc.actors[i].name = s; } },
      { head: "Kind", width: "8.5em", cell: i => {
        const a = sc.actors[i];
        const sel = el("select", { "data-field": `actors[${i}].kind`, "aria-label": `kind of ${a.name || a.id}` },
          el("option", { value: "" }, "—"), ACTOR_KINDS.map(k => el("option", { value: k }, k)));
        if (a.kind && !ACTOR_KINDS.includes(a.kind)) sel.append(el("option", { value: a.kind }, a.kind));
        sel.value = a.kind || "";
        sel.addEventListener("change", () => { if (sel.value) a.kind = sel.value; else delete a.kind; edited(); });
        return sel;
      }, set: (i, s) => {
        s = s.toLowerCase();
        if (s && !ACTOR_KINDS.includes(s)) return `kind "${s}": want one of ${ACTOR_KINDS.join(", ")}`;
        if (s) sc.actors[i].kind = s; else delete sc.actors[i].kind;
      } },
      { head: "Risk", width: "4.6em", title: "A fixed risk attitude for the expected-utility model: 0.5 risk-acceptant to 2 risk-averse; empty: the model derives it", cell: i => {
        const a = sc.actors[i];
        const inp = el("input", { type: "number", step: "any", min: 0.5, max: 2, class: "risk", "data-field": `actors[${i}].risk`, "aria-label": `risk attitude of ${a.name || a.id}`, value: a.risk !== undefined && a.risk !== null ? a.risk : "" });
        inp.addEventListener("change", () => { if (inp.value === "") delete a.risk; else a.risk = Number(inp.value); edited(); });
        return inp;
      }, set: (i, s) => {
        if (s === "") { delete sc.actors[i].risk; return; }
        const v = parseCell(s);
        if (isNaN(v)) return `risk "${s}" is not a number`;
        sc.actors[i].risk = v;
      } },
      codedColumn("Capability", i => `actors[${i}].capability`, i => `capability of ${sc.actors[i].name || sc.actors[i].id}`),
    ];
    for (const is of sc.issues) {
      for (const f of fieldsOf(is)) {
        cols.push(codedColumn(f, i => `actors[${i}].stances.${is.id}.${f}`, i => `${f} of ${sc.actors[i].name || sc.actors[i].id} on ${is.name || is.id}`, is));
      }
    }
    return cols;
  }
  function codedColumn(head, pathOf, whatOf, issue) {
    return {
      head, issue, cell: i => {
        // Plain DOM calls: a grid holds hundreds of these.
        const path = pathOf(i), what = whatOf(i);
        const v = numberValue(getPath(sc, path));
        const inp = document.createElement("input");
        inp.type = "number";
        inp.step = "any";
        inp.dataset.field = path;
        inp.setAttribute("aria-label", what);
        if (v !== undefined && v !== null) inp.value = v;
        inp.addEventListener("change", () => { setCoded(path, inp.value === "" ? null : Number(inp.value)); edited(); });
        const span = document.createElement("span");
        span.className = "coded";
        span.append(inp, numberDetails(sc, path, "the " + what, () => { refreshEvidence(); edited(); }));
        return span;
      }, set: (i, s) => {
        if (s === "") { setCoded(pathOf(i), null); return; }
        const v = parseCell(s);
        if (isNaN(v)) return `"${s}" is not a number`;
        setCoded(pathOf(i), v);
      },
    };
  }
  // setCoded sets the number at path, or clears it (v null): a stance
  // left with neither position nor salience is removed.
  function setCoded(path, v) {
    if (v !== null) { setNumber(sc, path, v); return; }
    // A number with evidence or a range keeps them without its value.
    const cur = getPath(sc, path);
    if (cur !== null && typeof cur === "object") cur.value = null;
    if (cur === null || typeof cur !== "object" || !hasNumber(cur)) deletePath(sc, path);
    const m = path.match(/^actors\[(\d+)\]\.stances\.(.+)\.(position|salience|capability)$/);
    if (m) {
      const a = sc.actors[Number(m[1])], st = a.stances && a.stances[m[2]];
      if (st && !hasNumber(st.position) && !hasNumber(st.salience) && !hasNumber(st.capability)) delete a.stances[m[2]];
    }
  }

  function actorsTable() {
    const cols = columns();
    const fixed = cols.filter(c => !c.issue);
    const head1 = el("tr", {}, fixed.map((c, k) => el("th", { rowspan: 2, class: k === 0 ? "sticky" : null, title: c.title }, c.head)),
      sc.issues.map(is => el("th", { colspan: fieldsOf(is).length, class: "issue-head", title: anchorsText(is) }, is.name || is.id)), el("th", { rowspan: 2 }, ""));
    const head2 = el("tr", {}, sc.issues.map(is => fieldsOf(is).map(f => el("th", { class: "sub", title: f === "capability" ? "the actor's capability on this issue; empty: its capability holds" : null }, f))));
    const rows = sc.actors.map((a, i) => el("tr", {},
      cols.map((c, k) => {
        const cell = c.cell(i);
        const inp = cell.matches("input, select") ? cell : cell.querySelector("input");
        inp.dataset.r = i; inp.dataset.c = k;
        return el("td", { class: k === 0 ? "sticky" : null }, cell);
      }),
      el("td", {}, el("button", { type: "button", class: "delete-actor", "aria-label": `Delete actor ${a.name || a.id}`, title: `Delete ${a.name || a.id}`, onclick: () => deleteActor(i) }, "✕"))));
    // Fixed column widths: the browser lays out a grid of hundreds of
    // inputs without measuring every cell.
    const widths = cols.map(c => c.width || "8.6em");
    const table = el("table", { id: "actors", class: "grid", style: `width: calc(${widths.join(" + ")} + 2.6em)` },
      el("colgroup", {}, widths.map(w => el("col", { style: "width:" + w })), el("col", { style: "width:2.6em" })),
      el("thead", {}, head1, head2), el("tbody", {}, rows));
    table.addEventListener("paste", e => paste(e, cols));
    return table;
  }

  // paste fills the grid from the cell pasted into with a block of cells
  // copied from a spreadsheet (tab-separated, one line a row); rows past
  // the last actor add actors.
  function paste(e, cols) {
    const at = e.target.closest("[data-r]");
    const text = (e.clipboardData && e.clipboardData.getData("text/plain")) || "";
    const body = text.replace(/\r?\n$/, "");
    if (!at || !/[\t\n]/.test(body)) return; // one cell: the input's own paste
    e.preventDefault();
    const rows = body.split(/\r?\n/).map(l => l.split("\t"));
    const r0 = Number(at.dataset.r), c0 = Number(at.dataset.c);
    let added = 0, beyond = 0;
    const refused = [];
    rows.forEach((cells, k) => {
      const i = r0 + k;
      while (i >= sc.actors.length) { sc.actors.push({ id: "actor" + (sc.actors.length + 1), capability: null, stances: {} }); added++; }
      cells.forEach((raw, j) => {
        const c = cols[c0 + j];
        if (!c) { beyond++; return; }
        const p = c.set(i, raw.trim());
        if (p) refused.push(`${sc.actors[i].name || sc.actors[i].id}, ${c.issue ? (c.issue.name || c.issue.id) + " " : ""}${c.head}: ${p}`);
      });
    });
    redraw(); edited(true);
    const cells = rows.reduce((n, r) => n + r.length, 0);
    fill(pasteMsg, el("p", { class: refused.length ? "error" : "ok", id: "paste-result" },
      `Pasted ${plural(rows.length, "row")} of up to ${plural(Math.max(...rows.map(r => r.length)), "cell")} (${cells} cells)` +
      (added ? `; added ${plural(added, "actor")}` : "") + (beyond ? `; ${plural(beyond, "cell")} past the last column left out` : "") +
      (refused.length ? `; not taken: ${refused.join("; ")}` : "") + "."));
  }

  // localProblem shows a problem found in the browser beside an input.
  function localProblem(inp, msg) {
    const old = inp.parentElement.querySelector(".problem.local");
    if (old) old.remove();
    inp.parentElement.append(el("span", { class: "problem local" }, msg));
  }

  // ---- sources and evidence ----
  function sourcesTable() {
    if (!sc.sources) sc.sources = [];
    const cols = [["id", 10], ["outlet", 18], ["date", 10], ["title", 30], ["ref", 24]];
    return el("table", { id: "sources" },
      el("tr", {}, cols.map(([c]) => el("th", {}, c === "ref" ? "Reference (file, DOI, address)" : c[0].toUpperCase() + c.slice(1))), el("th", {}, "")),
      sc.sources.map((src, i) => el("tr", {},
        cols.map(([c, size]) => el("td", {}, textInput(sc, `sources[${i}].${c}`, { size, "aria-label": `${c} of source ${i + 1}` }, v => { src[c] = v; edited(); }))),
        el("td", {}, el("button", { type: "button", "aria-label": `Delete source ${src.id || i + 1}`, onclick: () => { sc.sources.splice(i, 1); redraw(); edited(); } }, "Delete")))));
  }
  function evidenceList() {
    const items = [];
    sc.actors.forEach(a => {
      const add = (what, n) => evidenceOf(n).forEach(e => items.push(() => el("li", {}, `${a.name || a.id} ${what}: `, el("em", {}, evidenceCite(e)), " — " + e.text)));
      add("capability", a.capability);
      for (const [iss, st] of Object.entries(a.stances || {})) { add(issueName(sc, iss) + " position", st.position); add(issueName(sc, iss) + " salience", st.salience); add(issueName(sc, iss) + " capability", st.capability); }
    });
    if (!items.length) return el("p", { class: "muted" }, "No evidence recorded.");
    // The list is drawn when opened: kosovo-2007 cites hundreds of passages.
    const list = el("details", {}, el("summary", {}, `Evidence (${items.length})`));
    list.addEventListener("toggle", () => { if (list.open && !list.querySelector("ul")) list.append(el("ul", { class: "evidence" }, items.map(f => f()))); });
    return list;
  }
  const evidenceBox = el("div", { id: "evidence-list" });
  function refreshEvidence() { evidenceBox.replaceChildren(evidenceList()); }

  // ---- the YAML pane ----
  const paneInput = el("textarea", { id: "pane", class: "pane", spellcheck: "false", wrap: "off", rows: 18, "aria-label": "Institutions, process, contagion, uncertainty and KTAB settings, in YAML", "aria-describedby": "pane-problems", value: pane });
  const gutter = el("pre", { class: "pane-gutter", "aria-hidden": "true" });
  function paneLines() {
    const n = pane.split("\n").length;
    gutter.textContent = Array.from({ length: n }, (_, k) => k + 1).join("\n");
    gutter.scrollTop = paneInput.scrollTop;
    paneMarks.style.transform = `translateY(${-paneInput.scrollTop}px)`;
  }
  paneInput.addEventListener("input", () => { pane = paneInput.value; paneLines(); edited(); });
  paneInput.addEventListener("scroll", paneLines);
  // refreshPane writes the pane afresh from the scenario's sections (after
  // a rename moved references in them).
  function refreshPane() { pane = paneText(sc); paneInput.value = pane; paneLines(); }
  const paneBox = el("div", { class: "pane-box" }, gutter, paneInput, paneMarks);
  const paneSummary = el("summary", {});
  const paneSection = el("details", { id: "pane-section", class: "pane-section" }, paneSummary,
    el("p", { class: "muted" }, "In YAML, checked as you type; a problem shows beside its line. The scenario's voting bodies, the stages of its process, linked disputes, the default uncertainty of numbers without their own range (docs/uncertainty.md) and KTAB's settings."),
    paneList, paneBox);
  // The summary counts the pane's sections and problems; a problem opens it.
  function paneTitle(problems) {
    const keys = PANE_KEYS.filter(k => sc[k] !== undefined && sc[k] !== null);
    fill(paneSummary, el("h2", {}, "Institutions, process, contagion and uncertainty"),
      el("span", { class: "muted" }, " (YAML: " + (keys.length ? keys.join(", ") : "none yet") + ")"),
      problems ? el("span", { class: "error" }, ` — ${plural(problems, "problem")}`) : null);
  }

  // ---- problems ----
  // describe names a problem's field as the user sees it: the actor's
  // and issue's names and the column, never the stored file's line.
  function describe(field) {
    if (!field) return "";
    let m = field.match(/^actors\[(\d+)\](?:\.(.*))?$/);
    if (m) {
      const a = sc.actors[Number(m[1])];
      const who = a ? (a.name || a.id || `actor ${Number(m[1]) + 1}`) : `actor ${Number(m[1]) + 1}`;
      const rest = (m[2] || "").replace(/^stances\.([^.]+)/, (_, id) => issueName(sc, id));
      return [who, ...rest.split(".").filter(Boolean)].join(" · ");
    }
    if ((m = field.match(/^issues\[(\d+)\](?:\.(.*))?$/))) {
      const is = sc.issues[Number(m[1])];
      return ["issue " + (is ? is.name || is.id : Number(m[1]) + 1), ...(m[2] || "").split(".").filter(Boolean)].join(" · ");
    }
    if ((m = field.match(/^sources\[(\d+)\](?:\.(.*))?$/))) {
      const s = (sc.sources || [])[Number(m[1])];
      return ["source " + (s && s.id ? s.id : Number(m[1]) + 1), ...(m[2] || "").split(".").filter(Boolean)].join(" · ");
    }
    // A section's entry by its id: "institution unsc · builtin".
    if ((m = field.match(/^(institutions|contagion|process\.stages)\[(\d+)\](?:\.(.*))?$/))) {
      const list = m[1] === "process.stages" ? (sc.process || {}).stages : sc[m[1]];
      const e = (list || [])[Number(m[2])];
      const what = { institutions: "institution", contagion: "linked dispute", "process.stages": "stage" }[m[1]];
      return [what + " " + (e && e.id ? e.id : Number(m[2]) + 1), ...(m[3] || "").split(".").filter(Boolean)].join(" · ");
    }
    return field.replaceAll(".", " · ");
  }
  function clearProblems() {
    problems.replaceChildren();
    paneMarks.replaceChildren();
    paneList.replaceChildren();
    gutter.querySelectorAll(".bad").forEach(x => x.classList.remove("bad"));
    main.querySelectorAll(".problem:not(.local)").forEach(p => p.remove());
    main.querySelectorAll(".invalid").forEach(p => p.classList.remove("invalid"));
  }
  // showProblems puts each problem beside what it concerns: a line of the
  // pane (lines up to paneEnd are the pane's), else the input whose
  // data-field is the longest prefix of the problem's field, else on top
  // with the field named as the user sees it.
  function showProblems(ps, paneEnd) {
    clearProblems();
    const lh = parseFloat(getComputedStyle(paneInput).lineHeight) || 18;
    const top = parseFloat(getComputedStyle(paneInput).paddingTop) || 0;
    const badLines = new Set();
    for (const p of ps) {
      if (paneEnd && p.line && p.line <= paneEnd) {
        paneMarks.append(el("div", { class: "pane-mark", style: `top:${top + (p.line - 1) * lh}px` }, "← " + p.message));
        paneList.append(el("li", { class: "problem", "data-line": p.line }, `Line ${p.line}${p.field ? " (" + describe(p.field) + ")" : ""}: ${p.message}`));
        badLines.add(p.line);
        continue;
      }
      // A problem inside a number's details builds and opens them.
      for (const d of main.querySelectorAll("[data-evidence]")) {
        const f = d.dataset.evidence;
        if (p.field && p.field.startsWith(f + ".")) d.show();
      }
      let best = null;
      for (const f of main.querySelectorAll("[data-field]")) {
        const d = f.dataset.field;
        if (p.field && (p.field === d || p.field.startsWith(d + ".") || p.field.startsWith(d + "[")) && (!best || d.length > best.dataset.field.length)) best = f;
      }
      if (best) {
        best.classList.add("invalid");
        best.parentElement.append(el("span", { class: "problem" }, p.message));
      } else {
        problems.append(el("div", { class: "problem" }, (p.field ? describe(p.field) + ": " : "") + p.message));
      }
    }
    const inPane = ps.filter(p => paneEnd && p.line && p.line <= paneEnd).length;
    paneTitle(inPane);
    if (inPane) paneSection.open = true;
    if (badLines.size) {
      gutter.innerHTML = "";
      const n = pane.split("\n").length;
      for (let k = 1; k <= n; k++) gutter.append(badLines.has(k) ? el("b", { class: "bad" }, String(k)) : String(k), k < n ? "\n" : "");
      gutter.scrollTop = paneInput.scrollTop;
      paneList.prepend(el("li", { class: "muted" }, "The YAML below has problems:"));
    }
  }

  // validate checks the scenario as on screen (the pane's text first) with
  // the server's parser; when it is sound, the pane's sections become the
  // scenario's. Answers from older edits are dropped.
  let checking = 0;
  async function validate() {
    const mine = ++checking;
    const paneEnd = pane.endsWith("\n") ? pane.split("\n").length - 1 : pane.split("\n").length;
    const r = await api("POST", "/scenarios/validate?file=" + encodeURIComponent((sc.name || name) + ".yaml"), composeYAML(sc, pane), "application/yaml");
    if (mine !== checking) return null;
    if (r.valid) {
      for (const k of PANE_KEYS) { if (r.scenario[k] !== undefined && r.scenario[k] !== null) sc[k] = r.scenario[k]; else delete sc[k]; }
      clearProblems();
      paneTitle(0);
      return true;
    }
    showProblems(r.problems || [], paneEnd);
    return false;
  }

  // ---- saving ----
  // save stores what is on screen and returns the name it is stored under
  // (null when it could not be): a built-in scenario, or a stored one
  // given a new name, is saved as a new scenario; a built-in keeping its
  // name becomes NAME-copy. With go, the page moves to the saved copy.
  async function save(go) {
    clearTimeout(validateTimer);
    status.textContent = "checking…"; status.className = "muted";
    let ok;
    try { ok = await validate(); } catch (e) { status.textContent = "Not saved: " + e.message; status.className = "error"; return null; }
    if (!ok) {
      status.textContent = "Not saved: fix the problems marked in red first.";
      status.className = "error";
      return null;
    }
    try {
      let r;
      if (doc.builtin || sc.name !== name) {
        if (doc.builtin && sc.name === name) sc.name = await freeName(name);
        r = await api("POST", "/scenarios", { scenario: sc });
        clean();
        const msg = doc.builtin ? `Your edits to the built-in scenario ${name} were saved as a new scenario, ${r.name}; the built-in itself is unchanged.`
          : `Saved as a new scenario, ${r.name}; ${name} is unchanged.`;
        flash(msg);
        if (go) location.hash = "#/scenario/" + encodeURIComponent(r.name);
        return { name: r.name, msg };
      }
      r = await api("PUT", "/scenarios/" + encodeURIComponent(name), { version: doc.version, scenario: sc });
      doc.version = r.version;
      clean();
      status.textContent = "saved (version " + r.version + ")";
      status.className = "ok";
      return { name };
    } catch (e) {
      if (e.body && e.body.problems) showProblems(e.body.problems, 0);
      status.textContent = "Not saved: " + e.message.split("\n")[0];
      status.className = "error";
      return null;
    }
  }

  // start makes a run of what is on screen: unsaved edits are saved first
  // (a built-in's as a copy, and the run page says so); body(name) is the
  // request for the scenario stored under name.
  async function start(kind, body, then) {
    fill(runMsg, );
    let target = name, msg = null;
    if (dirty || sc.name !== name) {
      const saved = await save(false);
      if (!saved) { fill(runMsg, el("p", { class: "error" }, "Not run: the edits on screen could not be saved (see above).")); return; }
      target = saved.name;
      if (saved.msg) msg = saved.msg.replace(/;/, ", and this run used it;");
    }
    try {
      if (then) { await then(target, msg); return; }
      const r = await api("POST", "/runs/" + kind, body(target));
      if (msg) flash(msg); else sessionStorage.removeItem("parley.flash");
      if (isRun(r)) { remember(r); location.hash = "#/run/" + r.id; } else location.hash = "#/job/" + r.id;
    } catch (e) {
      fill(runMsg, el("p", { class: "error" }, e.message.split("\n")[0]));
      for (const p of (e.body && e.body.problems) || []) add(runMsg, el("div", { class: "problem" }, (p.field ? describe(p.field) + ": " : "") + p.message));
      if (target !== name) location.hash = "#/scenario/" + encodeURIComponent(target);
    }
  }

  // ---- the page ----
  const tables = el("div");
  let issuesOpen = false;
  // The capability of an actor on one issue (an exchange model's power on
  // it) has its column under the issues where some actor has one, or
  // under every issue when asked for.
  let issueCaps = false;
  function fieldsOf(is) {
    const cap = issueCaps || sc.actors.some(a => a.stances && a.stances[is.id] && hasNumber(a.stances[is.id].capability));
    return cap ? ["position", "salience", "capability"] : ["position", "salience"];
  }
  const pasteMsg = el("div", { id: "paste-msg" });
  const runMsg = el("div", { id: "run-msg" });
  function redraw() {
    refreshEvidence();
    const grid = el("div", { class: "grid-wrap" }, actorsTable());
    fill(tables, 
      // Many issues fold away, so that the grid comes first.
      el("details", { class: "issues-section", open: sc.issues.length <= 8 || issuesOpen },
        el("summary", {}, el("h2", {}, "Issues"), el("span", { class: "muted" }, ` (${sc.issues.length}: ${sc.issues.map(is => is.id).join(", ")})`)),
        el("div", { class: "wide" }, issuesTable()),
        el("button", { id: "add-issue", type: "button", onclick: () => { issuesOpen = true; sc.issues.push({ id: "issue" + (sc.issues.length + 1), name: "", min: 0, max: 100 }); redraw(); edited(); } }, "Add issue")),
      el("h2", {}, "Actors × issues"),
      el("p", { class: "muted" }, "Paste a block of cells copied from a spreadsheet into any cell: it fills the grid from there, and rows past the last actor add actors. Empty a position and a salience to remove the actor's stance on that issue. The e and count beside a number open its evidence and how sure it is: ± marks its own range or sd, i an inferred number."),
      el("label", { class: "field", title: "An actor's capability of its own on an issue (an exchange model's power on it); empty, its capability holds there" },
        el("input", { type: "checkbox", id: "show-issue-cap", checked: issueCaps, onchange: e => { issueCaps = e.target.checked; redraw(); } }), " capability on every issue"),
      grid, pasteMsg,
      el("button", { id: "add-actor", type: "button", onclick: () => { sc.actors.push({ id: "actor" + (sc.actors.length + 1), capability: 1, stances: {} }); redraw(); edited(); } }, "Add actor"),
      evidenceBox,
      el("h2", {}, "Sources"), el("div", { class: "wide" }, sourcesTable()),
      el("button", { type: "button", id: "add-source", onclick: () => { sc.sources.push({ id: "source" + (sc.sources.length + 1) }); redraw(); edited(); } }, "Add source"));
    // The second header row sticks below the first.
    requestAnimationFrame(() => {
      const h = grid.querySelector("thead tr").getBoundingClientRect().height;
      grid.style.setProperty("--head1", h + "px");
    });
  }

  const saveBar = el("div", { class: "savebar", id: "savebar" },
    el("button", { id: "save", onclick: () => save(true) }, doc.builtin ? "Save as a copy" : "Save"),
    el("button", { id: "validate", onclick: async () => {
      const ok = await validate();
      if (ok) { status.textContent = "valid: no problems found"; status.className = "ok"; } else { status.textContent = "problems marked in red"; status.className = "error"; }
    } }, "Validate"), status);

  const header = el("div", { class: "toolbar" },
    el("label", {}, "Name ", textInput(sc, "name", { size: 24 }, v => { sc.name = v.trim(); edited(); })),
    el("label", {}, "Title ", textInput(sc, "title", { size: 50 }, v => { sc.title = v; edited(); })),
    el("label", {}, "As of ", textInput(sc, "as_of", { size: 10, placeholder: "YYYY-MM-DD" }, v => { if (v) sc.as_of = v.trim(); else delete sc.as_of; edited(); })),
    el("label", { title: "Saliences run from 0 to this number" }, "Salience scale ", (() => {
      const inp = el("input", { type: "number", step: "any", min: 0, "data-field": "salience_scale", value: sc.salience_scale || 100, class: "short" });
      inp.addEventListener("change", () => { if (inp.value === "") delete sc.salience_scale; else sc.salience_scale = Number(inp.value); edited(); });
      return inp;
    })()));
  const description = el("textarea", { "data-field": "description", rows: 3, cols: 100, value: sc.description || "", "aria-label": "description" });
  description.addEventListener("change", () => { if (description.value) sc.description = description.value; else delete sc.description; edited(); });

  redraw();
  fill(main, 
    el("h1", {}, "Scenario ", el("span", { id: "scenario-name" }, name), doc.builtin ? el("span", { class: "muted" }, " (built-in: your edits are saved as a copy)") : null),
    takeFlash(), notice, header,
    el("details", { class: "description" }, el("summary", {}, "Description"), description),
    problems, tables,
    paneSection,
    saveBar,
    el("h2", {}, "Run"),
    runControls({ sc: () => sc, start, models: modelList }),
    runMsg,
    el("h2", {}, "Export"),
    // The server lists its export formats; bdm holds one issue, so it gets
    // a link per issue.
    el("p", {}, formats.export.filter(f => f.name !== "bdm").map(f => [el("a", { href: API + "/scenarios/" + encodeURIComponent(name) + "/export?format=" + f.name }, f.name), " "]),
      sc.issues.map(is => [el("a", { href: API + "/scenarios/" + encodeURIComponent(name) + "/export?format=bdm&issue=" + encodeURIComponent(is.id) }, "bdm (" + is.id + ")"), " "]),
      el("span", { class: "muted" }, doc.builtin || !doc.version ? "(as stored, without unsaved edits)" : "")));
  paneLines();
  paneTitle(0);
  paneSection.addEventListener("toggle", paneLines);
  offerDraft();
  timing.ready();
}
