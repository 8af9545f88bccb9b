// Parley's browser UI: plain JavaScript, no build step, no external
// resources. Every action goes through the JSON API under /api/v1; charts
// are SVG drawn by the server (report/svg). This file holds the helpers
// the pages share; app.js routes between the pages, editor.js edits a
// scenario, runform.js starts runs and results.js shows them.
"use strict";

const API = "/api/v1";
const main = document.getElementById("main");

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
    if (k === null || k === undefined || k === false) continue;
    e.append(k instanceof Node ? k : document.createTextNode(String(k)));
  }
  return e;
}

// add appends kids to parent and fill replaces its children with them,
// leaving out null, undefined and false (which append would write out).
function kidsOf(kids) { return kids.flat(Infinity).filter(k => k !== null && k !== undefined && k !== false); }
function add(parent, ...kids) { parent.append(...kidsOf(kids)); return parent; }
function fill(parent, ...kids) { parent.replaceChildren(...kidsOf(kids)); return parent; }

// api calls the JSON API; it throws an Error carrying the JSON error body.
// A body is sent as JSON, or as it is with contentType when that is given
// (a scenario file to validate or import).
async function api(method, path, body, contentType) {
  const opt = { method, headers: {}, credentials: "same-origin" };
  if (body !== undefined) {
    if (contentType) { opt.body = body; opt.headers["Content-Type"] = contentType; } else { opt.body = JSON.stringify(body); opt.headers["Content-Type"] = "application/json"; }
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

// fmt writes a number with at most two decimals; num2 with exactly two,
// as the tables of the command line do.
function fmt(v) { return typeof v === "number" ? (Math.round(v * 100) / 100).toString() : String(v); }
function num2(v) { return typeof v === "number" && isFinite(v) ? v.toFixed(2) : "-"; }
function signed(v) { return (v > 0 ? "+" : v < 0 ? "−" : "±") + Math.abs(v).toFixed(2); }
function showError(where, e) { where.append(el("p", { class: "error" }, e.message)); }
function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

// chart fetches a server-drawn SVG and puts it in a box.
async function chart(path, title) {
  const box = chartBox(path, title);
  await box.loaded;
  return box;
}

// chartBox returns at once a box that the chart fills when it arrives
// (box.loaded resolves then), so that a page shows its tables without
// waiting for its charts.
function chartBox(path, title) {
  const holder = el("div", { class: "chart-holder" }, el("span", { class: "muted" }, "drawing…"));
  const box = el("div", { class: "chart-box", "data-title": title }, title ? el("h4", {}, title) : null, holder);
  box.loaded = api("GET", path).then(svg => {
    holder.innerHTML = svg; // server-drawn SVG, text escaped by report/svg
  }).catch(e => { holder.replaceChildren(); showError(holder, e); });
  return box;
}

// Page timing, read by the browser tests and docs/performance.md: the
// time from the page's data arriving to the page being drawn (its charts
// load after).
const timing = {
  start(page) { window.parleyTiming = { page, start: performance.now() }; },
  data() { if (window.parleyTiming) window.parleyTiming.data = performance.now(); },
  ready() {
    const t = window.parleyTiming;
    if (!t || t.ready) return;
    t.ready = performance.now();
    t.render = t.ready - (t.data || t.start);
  },
};

// flash keeps a message for the next page (a run started from the editor
// tells there what it saved first); takeFlash shows and forgets it.
function flash(msg) { sessionStorage.setItem("parley.flash", msg); }
function takeFlash() {
  const m = sessionStorage.getItem("parley.flash");
  if (!m) return el("div", { hidden: true });
  sessionStorage.removeItem("parley.flash");
  return el("p", { class: "notice", id: "flash", role: "status" }, m);
}

// runDoc reads a stored run; finished runs never change, so they are kept
// for the session (a what-if compares with the run it came from without
// reading it again).
const runCache = new Map();
async function runDoc(id) {
  id = String(id);
  if (runCache.has(id)) return runCache.get(id);
  const r = await api("GET", "/runs/" + id);
  remember(r);
  return r;
}
// isRun tells a stored run (the answer of a run made in the request) from
// a job (the answer of a run queued).
function isRun(doc) { return doc && "status_text" in doc; }
function remember(r) { if (r && r.status === "done" && r.result) runCache.set(String(r.id), r); }

// models is GET /models, read once.
let modelsOnce = null;
function models() {
  if (!modelsOnce) modelsOnce = api("GET", "/models").catch(e => { modelsOnce = null; throw e; });
  return modelsOnce;
}

// issueOf and actorOf find a scenario's issue or actor by id.
function issueOf(sc, id) { return ((sc && sc.issues) || []).find(is => is.id === id); }
function actorOf(sc, id) { return ((sc && sc.actors) || []).find(a => a.id === id); }
function actorName(sc, id) { const a = actorOf(sc, id); return a ? (a.name || a.id) : id; }
function issueName(sc, id) { const is = issueOf(sc, id); return is ? (is.name || is.id) : id; }

// numberValue reads a coded Number, written as a plain number or as
// {value, note, evidence, range, sd, inferred}.
function numberValue(n) { return n !== null && typeof n === "object" ? n.value : n; }
