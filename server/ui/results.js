// A run's page opens with what it found — the findings table, one row per
// issue: the forecast on the issue's labelled scale, how it settled and
// its interval (the server words them: report.Findings) — then the
// detail of its kind: final positions, trades, moves, ballots, events,
// per-state tables and charts. From a result, a what-if runs the same run
// again with some actors' numbers changed (or an actor left out) on the
// scenario as the run had it, and the comparison shows what moved.
"use strict";

// The findings table's columns by kind of run.
const FINDINGS = {
  forecast: { value: "Forecast", ends: "How it ends", interval: "90% interval" },
  sweep: { value: "Median", ends: "Over the draws", interval: "5–95% of the draws" },
  process: { value: "After the process", ends: "How it ended" },
  sensitivity: { value: "Forecast analysed", ends: "What moves it most" },
};
// The kinds a what-if can re-run, and how each repeats its run.
const WHAT_IF_KINDS = ["forecast", "sweep", "sensitivity", "process"];

function whatIfText(w) {
  if (!w) return "";
  return [...(w.set || []), ...(w.drop || []).map(a => "drop " + a)].join("; ");
}

// whatIfWords says a what-if in the names the editor shows: "Russia's
// capability = 30; leave out China". With other (a run to compare with),
// each number also gives its value in that run: "= 30 (75 in run 1)".
function whatIfWords(w, sc, other) {
  if (!w) return "";
  const sets = (w.set || []).map(s => {
    const m = /^([^.=]+)\.(?:([^.=]+)\.)?(position|salience|capability)=(.*)$/.exec(s);
    if (!m || !actorOf(sc, m[1])) return s;
    const [, aid, iid, field, v] = m, a = actorOf(sc, aid);
    const was = !other ? undefined : iid ? numberValue(((a.stances || {})[iid] || {})[field]) : numberValue(a.capability);
    const what = `${actorName(sc, aid)}'s ${iid ? field + " on " + issueName(sc, iid) : "capability"}`;
    return `${what} = ${v}` + (was === undefined || was === null ? "" : ` (${fmt(was)} in run ${other.id})`);
  });
  return [...sets, ...(w.drop || []).map(a => "leave out " + actorName(sc, a))].join("; ");
}

function runMeta(r) {
  const c = r.config || {};
  const params = Object.entries(r.params || {}).map(([k, v]) => k + "=" + v).join(" ");
  const rounds = c.rounds || (r.result && r.result.rounds);
  const seeded = ["sweep", "sensitivity", "process", "recognition", "backtest"].includes(r.kind) || c.interval_draws;
  return [[r.model, r.variant].filter(Boolean).join(" "), params, rounds ? plural(rounds, "round") : "", r.status === "failed" ? "failed" : r.status_text,
    seeded ? "seed " + r.seed : "", (r.created || "").replace("T", " ").slice(0, 19)].filter(Boolean).join(" · ");
}

// findingsTable is the table that opens a run's page (null for a kind
// without one).
function findingsTable(r) {
  const cols = FINDINGS[r.kind], sum = r.summary || [];
  if (!cols || !sum.length) return null;
  const withInterval = cols.interval && sum.some(s => s.interval);
  return el("table", { class: "findings", id: "findings" },
    el("caption", {}, "Findings"),
    el("thead", {}, el("tr", {}, el("th", {}, "Issue"), el("th", {}, cols.value), el("th", {}, "On the issue's scale"), el("th", {}, cols.ends), withInterval ? el("th", {}, cols.interval) : null)),
    el("tbody", {}, sum.map(s => el("tr", { class: "settle-" + (s.kind || "static"), "data-issue": s.id },
      el("th", { scope: "row" }, s.name),
      el("td", { class: "forecast-value" }, s.headline),
      el("td", { class: "place" }, s.place || ""),
      el("td", { class: "ends" }, r.kind === "forecast" ? (s.ends || "static model") : s.ends || "",
        r.kind === "forecast" && s.stopped && s.stopped !== "after the last round" ? el("span", { class: "muted" }, ` · stopped ${s.stopped}`) : null),
      withInterval ? el("td", { class: "interval" }, s.interval || "") : null))));
}

function findingsNote(r) {
  const sum = r.summary || [];
  if (r.kind === "forecast") {
    const iv = sum.find(s => s.interval);
    return el("p", { class: "muted", id: "forecast-note" }, "Forecast: where the forecast settles; when it cycles or does not settle, the mean over the cycle (or over the last half of the run) with the range it moves in, in brackets. On the issue's scale: the label at that point, or ≈ the nearest label.",
      iv ? ` 90% interval: the 5th to 95th percentile of the forecast over a sweep of ${iv.interval_draws} draws (seed ${iv.interval_seed}) under the scenario's uncertainty, with the median.` : "");
  }
  if (r.kind === "sweep") return el("p", { class: "muted" }, "Median: half the draws' forecasts lie below it. ≈ names the label nearest a point of the scale.");
  if (r.kind === "process") {
    const rc = r.result.recognition, last = rc && rc.cumulative.length ? rc.cumulative[rc.cumulative.length - 1] : null;
    return [last ? el("p", { id: "recognition-finding" }, `States expected to have recognised ${rc.entity || "the entity"} by ${last.date}: ${last.expected.toFixed(1)} (median ${last.p50}, 90% band ${last.p05}–${last.p95}).`) : null,
      el("p", { class: "muted" }, "Where each issue stands after the last stage of the process (the state of affairs), and the forecast of its settlement then.")];
  }
  return null;
}

// renderRun draws a stored run into box; opts.whatIf offers a what-if.
function renderRun(box, r, opts = {}) {
  const wi = r.config && r.config.what_if;
  const kind = r.kind === "power" && r.config && r.config.proposal !== undefined ? "vote" : r.kind;
  add(box, el("h2", {}, `Run ${r.id}: ${kind} of ${r.scenario}`, wi ? el("span", { class: "whatif-tag", title: whatIfText(wi) }, " what if: " + whatIfWords(wi, r.snapshot)) : null),
    el("p", { class: "muted run-meta" }, runMeta(r), " · ",
      el("a", { href: `${API}/runs/${r.id}/report`, target: "_blank" }, "HTML report"), " · ",
      el("a", { href: `${API}/runs/${r.id}`, target: "_blank" }, "JSON")));
  if (r.status === "failed") {
    add(box, el("p", { class: "run-status error" }, "This run failed: " + (r.error || "no reason recorded") + "."));
    return null;
  }
  if (!r.result) {
    add(box, el("p", { class: "run-status" }, "No result yet (" + r.status_text + ")."), r.resumable ? resumeButton(r.id) : null);
    return null;
  }
  add(box, el("div", { class: "wide" }, findingsTable(r)), findingsNote(r));
  if (r.kind === "forecast" && !(r.summary || []).some(s => s.interval)) add(box, addIntervalButton(r));
  if (opts.whatIf && WHAT_IF_KINDS.includes(r.kind) && r.snapshot) add(box, whatIfPanel(r));
  const detail = DETAIL[r.kind];
  if (detail) return detail(box, r);
  if (STRATEGY_KINDS.includes(r.kind)) return renderStrategy(box, r);
  if (r.kind === "backtest") add(box, chartBox(`/runs/${r.id}/chart`, "Backtest: MAE by model"));
  add(box, el("details", {}, el("summary", {}, "Result (JSON)"), el("pre", {}, JSON.stringify(r.result, null, 2).slice(0, 20000))));
  return null;
}

function addIntervalButton(r) {
  const msg = el("span");
  return el("div", { class: "toolbar" }, el("button", { id: "add-interval", onclick: async () => {
    // The same forecast again, with an interval beside each issue.
    const body = { ...repeatBody(r), interval: true, draws: 200, seed: 1 };
    try { const n = await api("POST", "/runs/forecast", body); remember(n); location.hash = "#/run/" + n.id; } catch (e) { showError(msg, e); }
  } }, "Add a 90% interval (200 draws)"), msg);
}

// repeatBody is the request that repeats run r on the scenario it ran
// (its snapshot): the same kind, model settings and options.
function repeatBody(r) {
  const c = r.config || {};
  const model = { model: r.model, variant: r.variant, params: r.params };
  switch (r.kind) {
    case "forecast": {
      const b = { ...model, rounds: c.rounds, stable: c.stable || 0, epsilon: c.epsilon || 0 };
      if (c.interval_draws) Object.assign(b, { interval: true, draws: c.interval_draws, seed: c.interval_seed });
      return { base_run: r.id, ...b };
    }
    case "sweep": {
      // The noise as the sweep drew it: a level equal for both evidence
      // classes was set for all numbers (or the scenario's), else each
      // class kept its default, which the snapshot gives again.
      const n = c.noise || {}, noise = { dropout: n.dropout || 0 };
      for (const k of ["position", "salience", "capability"]) if (!n.thin || n.thin[k] === n[k]) noise[k] = n[k];
      if (n.params) noise.params = n.params;
      return { base_run: r.id, ...model, rounds: c.rounds, draws: c.requested, seed: c.seed, bins: c.histogram_bins, noise };
    }
    case "sensitivity":
      return { base_run: r.id, ...model, rounds: r.result ? r.result.rounds : 0, samples: c.samples, seed: r.seed, ...(c.ranges ? { ranges: c.ranges } : {}) };
    case "process":
      return { base_run: r.id, seed: r.seed, draws: c.draws };
  }
  return null;
}

// whatIfPanel offers to run r again with changes: each change an actor's
// capability, position or salience on an issue, or the actor left out.
function whatIfPanel(r) {
  const sc = r.snapshot;
  const rows = el("div", { id: "whatif-changes" });
  const msg = el("div", { id: "whatif-msg" });
  function current(a, what) {
    if (what === "capability") return numberValue(a.capability);
    const [f, issue] = what.split(":");
    const st = (a.stances || {})[issue];
    return st ? numberValue(st[f]) : undefined;
  }
  function addRow() {
    const actor = el("select", { class: "wi-actor", "aria-label": "actor" }, sc.actors.map(a => el("option", { value: a.id }, a.name || a.id)));
    const what = el("select", { class: "wi-what", "aria-label": "what to change" });
    const value = el("input", { type: "number", step: "any", class: "wi-value", "aria-label": "new value" });
    const now = el("span", { class: "muted wi-now" });
    function fill() {
      const keep = what.value;
      what.replaceChildren(el("option", { value: "capability" }, "capability"),
        sc.issues.flatMap(is => ["position", "salience"].map(f => el("option", { value: f + ":" + is.id }, `${f} on ${is.name || is.id}`))),
        el("option", { value: "drop" }, "leave the actor out"));
      if (keep && [...what.options].some(o => o.value === keep)) what.value = keep;
      show();
    }
    function show() {
      const a = actorOf(sc, actor.value);
      value.hidden = what.value === "drop";
      const v = what.value === "drop" ? undefined : current(a, what.value);
      if (what.value.startsWith("position:")) {
        const is = issueOf(sc, what.value.split(":")[1]);
        value.min = is.min; value.max = is.max;
      } else { value.min = 0; value.removeAttribute("max"); }
      now.textContent = what.value === "drop" ? "" : v === undefined || v === null ? "(holds no position: set its position and salience)" : `now ${fmt(v)}`;
    }
    actor.addEventListener("change", fill);
    what.addEventListener("change", show);
    fill();
    const row = el("div", { class: "toolbar wi-row" }, "What if ", actor, "'s ", what, " were ", value, now,
      el("button", { type: "button", class: "link", "aria-label": "remove this change", onclick: () => row.remove() }, "✕"));
    rows.append(row);
  }
  addRow();
  const run = el("button", { id: "whatif-run", onclick: async () => {
    fill(msg, );
    const set = [], drop = [];
    for (const row of rows.querySelectorAll(".wi-row")) {
      const a = row.querySelector(".wi-actor").value, w = row.querySelector(".wi-what").value, v = row.querySelector(".wi-value");
      if (w === "drop") { drop.push(a); continue; }
      if (v.value === "") { add(msg, el("p", { class: "error" }, `Give the new value of ${actorName(sc, a)}'s ${w.replace(":", " on ")}.`)); return; }
      set.push(w === "capability" ? `${a}.capability=${v.value}` : `${a}.${w.split(":")[1]}.${w.split(":")[0]}=${v.value}`);
    }
    if (!set.length && !drop.length) { add(msg, el("p", { class: "error" }, "Add a change first.")); return; }
    const body = { ...repeatBody(r), what_if: { set, drop } };
    run.disabled = true;
    try {
      performance.mark("whatif-start");
      const n = await api("POST", "/runs/" + r.kind, body);
      if (isRun(n)) { remember(n); location.hash = `#/compare/${r.id}/${n.id}`; } else location.hash = `#/job/${n.id}/compare/${r.id}`;
    } catch (e) {
      add(msg, el("p", { class: "error" }, e.message));
    } finally { run.disabled = false; }
  } }, `Run this ${r.kind} again with the changes`);
  return el("section", { class: "whatif", id: "whatif" }, el("h3", {}, "What if…"),
    el("p", { class: "muted" }, `Change an actor's numbers or leave an actor out, and run this ${r.kind} again on the scenario as it ran here; the comparison shows what moves.`),
    rows, el("div", { class: "toolbar" }, el("button", { type: "button", id: "whatif-add", onclick: addRow }, "Add a change"), run), msg);
}

// ---- the detail of each kind ----

function finalPositionsTable(r) {
  const sc = r.snapshot || { actors: [] }, res = r.result;
  const finals = {}, starts = {};
  for (const is of res.issues) {
    if (!is.rounds || !is.rounds.length) continue;
    finals[is.id] = is.rounds[is.rounds.length - 1].positions || {};
    starts[is.id] = is.rounds[0].positions || {};
  }
  const ids = [...new Set([...(sc.actors || []).map(a => a.id), ...Object.values(finals).flatMap(p => Object.keys(p))])];
  if (!ids.length) return null;
  return el("div", { class: "wide" }, el("table", { id: "final-positions", class: "numbers" },
    el("caption", {}, "Final positions (the change from the start in brackets)"),
    el("thead", {}, el("tr", {}, el("th", {}, "Actor"), res.issues.map(is => el("th", {}, is.name || is.id)))),
    el("tbody", {}, ids.map(id => el("tr", {}, el("th", { scope: "row" }, actorName(sc, id)), res.issues.map(is => {
      const f = (finals[is.id] || {})[id], s = (starts[is.id] || {})[id];
      if (f === undefined) return el("td", { class: "n muted" }, "–");
      const d = s === undefined ? 0 : f - s;
      return el("td", { class: "n" + (Math.abs(d) >= 0.005 ? " moved" : ""), title: s !== undefined ? `start ${num2(s)} → final ${num2(f)}` : null }, num2(f), Math.abs(d) >= 0.005 ? el("span", { class: "delta" }, ` (${signed(d)})`) : null);
    }))))));
}

function tradesTable(r) {
  const ex = r.result.exchanges || [];
  if (!ex.length) return null;
  const sc = r.snapshot;
  let k = 0, last = null;
  return el("div", { class: "wide" }, el("table", { id: "trades", class: "numbers" },
    el("caption", {}, `Trades: ${plural(ex.length, "exchange")}, round by round in the order made. Each partner moves on the issue it cares less about towards the other's position; gain: the utility each gains (or their mean).`),
    el("thead", {}, el("tr", {}, ["Round", "#", "Gain", "Actor", "moves on", "from → to", "Partner", "moves on", "from → to"].map(h => el("th", {}, h)))),
    el("tbody", {}, ex.map(e => {
      if (e.round !== last) { last = e.round; k = 0; }
      k++;
      const [a, b] = e.actors, ma = e.moves[a], mb = e.moves[b];
      return el("tr", {}, el("td", { class: "n" }, e.round), el("td", { class: "n" }, k), el("td", { class: "n" }, e.gain.toFixed(4)),
        el("td", {}, actorName(sc, a)), el("td", {}, issueName(sc, ma.issue)), el("td", { class: "n" }, `${num2(ma.from)} → ${num2(ma.to)}`),
        el("td", {}, actorName(sc, b)), el("td", {}, issueName(sc, mb.issue)), el("td", { class: "n" }, `${num2(mb.from)} → ${num2(mb.to)}`));
    }))));
}

// movesDetails lists every move of every round, drawn when opened.
function movesDetails(r) {
  const any = r.result.issues.some(is => (is.rounds || []).some(rd => (rd.moves || []).length));
  if (!any) return null;
  const sc = r.snapshot;
  const d = el("details", { id: "moves" }, el("summary", {}, "Every move, round by round"));
  d.addEventListener("toggle", () => {
    if (!d.open || d.dataset.drawn) return;
    d.dataset.drawn = "1";
    for (const is of r.result.issues) {
      const rows = (is.rounds || []).flatMap(rd => (rd.moves || []).map(m => el("tr", {}, el("td", { class: "n" }, rd.round), el("td", {}, actorName(sc, m.actor)),
        el("td", {}, m.partner ? actorName(sc, m.partner) : ""), el("td", {}, m.kind), el("td", { class: "n" }, `${num2(m.from)} → ${num2(m.to)}`),
        el("td", { class: "n" }, m.eu !== undefined ? m.eu.toFixed(4) : ""))));
      if (rows.length) add(d, el("h4", {}, is.name || is.id), el("table", { class: "numbers moves" }, el("tr", {}, ["Round", "Actor", "because of", "Move", "from → to", "expected utility"].map(h => el("th", {}, h))), rows));
    }
  });
  return d;
}

function issueCharts(r) {
  const charts = el("div", { class: "charts" });
  for (const is of r.result.issues) {
    const box = chartBox(`/runs/${r.id}/chart?issue=${encodeURIComponent(is.id)}`, is.name || is.id);
    const si = issueOf(r.snapshot, is.id);
    if (r.kind === "forecast" && si && si.anchors) add(box, el("p", { class: "muted scale" }, "Scale: " + anchorsText(si).replaceAll("=", " = ")));
    charts.append(box);
  }
  return charts;
}

function ballotsTable(vote, id, caption) {
  return el("table", { class: "ballots numbers", "data-stage": id },
    caption === false ? null : el("caption", {}, `${vote.body}: ${vote.passed ? "passed" : "not passed"} — ${vote.reason}`),
    el("thead", {}, el("tr", {}, ["Member", "Position", "Vote", "Weight", "Why"].map(h => el("th", {}, h)))),
    el("tbody", {}, vote.ballots.map(b => el("tr", { class: "vote-" + b.vote },
      el("th", { scope: "row" }, b.name ? `${b.name} (${b.member})` : b.member), el("td", { class: "n" }, b.position !== undefined ? num2(b.position) : "–"),
      el("td", { class: "nowrap" }, b.vote + (b.veto ? " (veto)" : "")), el("td", { class: "n" }, fmt(b.weight)), el("td", {}, b.reason)))));
}

function recognitionTables(rc, caption) {
  const years = (rc.cumulative || []).filter((p, k, a) => k === a.length - 1 || p.date.slice(0, 4) !== a[k + 1].date.slice(0, 4));
  const dates = rc.states.length ? Object.keys(rc.states[0].p_by).sort() : [];
  const last = dates[dates.length - 1];
  const states = [...rc.states].sort((a, b) => (b.p_by[last] - a.p_by[last]) || a.iso3.localeCompare(b.iso3));
  const body = el("tbody");
  const drawRows = n => body.replaceChildren(...states.slice(0, n).map(s => el("tr", { class: s.side ? "side-" + s.side : null }, el("td", {}, s.iso3), el("th", { scope: "row" }, s.name),
    dates.map(d => el("td", { class: "n" }, s.p_by[d].toFixed(3))), el("td", {}, s.side || ""))));
  drawRows(40);
  const more = states.length > 40 ? el("button", { type: "button", id: "states-all", onclick: () => { drawRows(states.length); more.remove(); } }, `Show all ${states.length} states`) : null;
  return [
    el("p", {}, caption, ` Recognising side's patrons: ${rc.recognising.join(", ")}; parent state: ${rc.parent}; opposing: ${(rc.opposing || []).join(", ") || "none"}. ${plural(rc.draws, "draw")}, seed ${rc.seed}. ${rc.uncertainty ? "Uncertainty: " + rc.uncertainty + "." : ""}`),
    el("table", { id: "recognition-years", class: "numbers" }, el("caption", {}, "Findings: states expected to have recognised, at the end of each year"),
      el("thead", {}, el("tr", {}, ["By", "Mean", "Median", "90% band"].map(h => el("th", {}, h)))),
      el("tbody", {}, years.map(p => el("tr", {}, el("td", {}, p.date), el("td", { class: "n" }, p.expected.toFixed(1)), el("td", { class: "n" }, p.p50), el("td", { class: "n" }, `${p.p05}–${p.p95}`))))),
    el("div", { class: "wide" }, el("table", { id: "recognition-states", class: "numbers" }, el("caption", {}, "Each state's probability of having recognised by each date, most likely first"),
      el("thead", {}, el("tr", {}, el("th", {}, "State"), el("th", {}, "Name"), dates.map(d => el("th", {}, "by " + d)), el("th", {}, "Side"))), body)), more];
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

const DETAIL = {
  forecast(box, r) {
    add(box, el("h3", {}, "Detail"), finalPositionsTable(r), tradesTable(r), r.result.actor_gains ? tradeTables(r.result) : null, movesDetails(r), issueCharts(r));
  },
  sweep(box, r) {
    const res = r.result;
    add(box, el("h3", {}, "Detail"), el("p", { class: "sweep-draws" }, plural(res.draws, "draw"),
      res.identical ? " — identical draws: the noise cannot make one differ from another, so one was run and counted for all" : ""),
      el("table", { id: "sweep-quantiles", class: "numbers" }, el("tr", {}, ["Issue", "5%", "25%", "median", "75%", "95%", "mean", "Share of the draws in each band of the scale"].map(h => el("th", {}, h))),
        res.issues.map(is => el("tr", {}, el("th", { scope: "row" }, is.name || is.id),
          ["5", "25", "50", "75", "95"].map(q => el("td", { class: "n" }, is.quantiles ? num2(is.quantiles[q]) : "")),
          el("td", { class: "n" }, is.mean !== undefined ? num2(is.mean) : ""),
          el("td", {}, Object.entries(is.bands || {}).filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k}: ${fmt(100 * v)}%`).join("; "))))),
      issueCharts(r));
  },
  sensitivity(box, r) {
    const sc = r.snapshot;
    add(box, el("h3", {}, "Detail"), r.result.issues.map(is => el("details", { class: "sens", open: true },
      el("summary", {}, `${is.name || is.id}: the inputs that move it most`),
      el("table", { class: "numbers" }, el("tr", {}, ["#", "Actor", "Input", "Forecast at the low end", "at the high end", "Effect", "First-order", "Total"].map(h => el("th", {}, h))),
        is.factors.slice(0, 10).map((f, k) => el("tr", {}, el("td", { class: "n" }, k + 1), el("td", {}, f.name || actorName(sc, f.actor)), el("td", {}, f.attribute),
          el("td", { class: "n" }, num2(f.low)), el("td", { class: "n" }, num2(f.high)), el("td", { class: "n" }, num2(f.effect)),
          el("td", { class: "n" }, f.first_order !== undefined ? f.first_order.toFixed(3) : ""), el("td", { class: "n" }, f.total !== undefined ? f.total.toFixed(3) : "")))))),
    chartBox(`/runs/${r.id}/chart`, "Sensitivity"));
  },
  process(box, r) {
    const res = r.result, sc = r.snapshot;
    add(box, el("h3", {}, "Timeline"),
      el("table", { id: "events" }, el("thead", {}, el("tr", {}, ["Date", "Kind", "Outcome", "Event"].map(h => el("th", {}, h)))),
        el("tbody", {}, (res.events || []).map(e => el("tr", { class: "event-" + e.kind }, el("td", { class: "nowrap" }, e.date), el("td", {}, e.kind), el("td", {}, e.outcome), el("td", {}, e.description))))),
      el("h3", {}, "Issues after each stage"),
      el("div", { class: "wide" }, el("table", { id: "stages", class: "numbers" },
        el("thead", {}, el("tr", {}, ["Stage", "Date", "Outcome"].map(h => el("th", {}, h)), ((res.stages[0] || {}).issues || []).map(is => el("th", {}, issueName(sc, is.id) + ": position / forecast")))),
        el("tbody", {}, res.stages.map(st => el("tr", {}, el("th", { scope: "row" }, st.name || st.id), el("td", { class: "nowrap" }, st.date), el("td", {}, st.outcome),
          (st.issues || []).map(is => el("td", { class: "n" }, `${num2(is.position)} / ${num2(is.forecast)}`))))))));
    const votes = res.stages.filter(st => st.vote);
    if (votes.length) add(box, el("h3", {}, "Ballots"), votes.map(st => [el("h4", {}, `${st.name || st.id} (${st.date})`), ballotsTable(st.vote, st.id)]));
    if (res.recognition) add(box, el("h3", {}, "Recognition"), recognitionTables(res.recognition, `Recognition of ${res.recognition.entity || "the entity"} from ${res.recognition.start}.`));
    if ((res.contagion || []).length) {
      add(box, el("h3", {}, "Linked disputes after contagion (0–100)"), el("table", { id: "contagion", class: "numbers" },
        el("tr", {}, ["Dispute", "Patron", "Claim", "Patron's support", "Rules fired"].map(h => el("th", {}, h))),
        res.contagion.map(d => el("tr", {}, el("th", { scope: "row" }, d.name), el("td", {}, d.patron || ""), el("td", { class: "n" }, `${num2(d.claim_before)} → ${num2(d.claim)}`),
          el("td", { class: "n" }, `${num2(d.support_before)} → ${num2(d.support)}`), el("td", { class: "n" }, d.rules_fired)))));
    }
    add(box, el("div", { class: "charts" }, chartBox(`/runs/${r.id}/chart?view=timeline`, "Timeline"), res.recognition ? chartBox(`/runs/${r.id}/chart?view=recognition`, "Recognition") : null));
  },
  recognition(box, r) {
    add(box, recognitionTables(r.result, `Recognition of ${r.result.entity || "the entity"}, declared ${r.result.start}${r.result.start_latest ? " to " + r.result.start_latest : ""}.`),
      chartBox(`/runs/${r.id}/chart`, "Recognition"));
  },
};

async function runPage(id) {
  timing.start("run");
  const box = el("div", { id: "run" });
  fill(main, box);
  const r = await runDoc(id);
  timing.data();
  const done = renderRun(box, r, { whatIf: true });
  box.querySelector("h2").after(takeFlash());
  timing.ready();
  await done;
}

// ---- comparisons ----

// comparePage shows run b against run a: what differs in their inputs
// and settings, each issue's findings with the change, the final
// positions that moved, then both runs in full.
async function comparePage(a, b) {
  timing.start("compare");
  const [ra, rb, diff] = await Promise.all([runDoc(a), runDoc(b), api("GET", `/runs/${a}/diff/${b}`)]);
  timing.data();
  const settings = diff.filter(d => ["kind", "scenario", "snapshot", "model", "variant", "params", "seed", "code_version"].includes(d.field) || d.field.startsWith("settings."));
  const wb = rb.config && rb.config.what_if;
  const drop = d => d.field.startsWith("settings.what_if.drop");
  const label = d => drop(d) ? "what if: leave out" : d.field.startsWith("settings.what_if") ? "what if: set" : d.field === "snapshot" ? "scenario as run" : d.field.replace(/^settings\./, "");
  const show = (d, v, k) => {
    if (d.field === "snapshot") return k === 0 ? "as run " + a + " ran it" : wb ? "changed by the what-if" : "another version";
    if (drop(d) && typeof v === "string") return actorName(ra.snapshot, v);
    return v === undefined || v === null ? "–" : typeof v === "number" ? fmt(v) : String(v);
  };
  const left = el("div", { id: "left" }), right = el("div", { id: "right" });
  fill(main, el("h1", {}, `Run ${a} and run ${b} compared`),
    wb ? el("p", { class: "lead" }, `Run ${b} ran with a what-if: ${whatIfWords(wb, ra.snapshot, ra)}.`) : null,
    el("h2", {}, "What differs in the inputs and settings"),
    settings.length ? el("table", { id: "diff-inputs" }, el("tr", {}, ["", `Run ${a}`, `Run ${b}`].map(h => el("th", {}, h))),
      settings.map(d => el("tr", {}, el("th", { scope: "row" }, label(d)), el("td", {}, show(d, d.a, 0)), el("td", {}, show(d, d.b, 1))))) : el("p", {}, "Nothing: the same scenario and settings."),
    el("h2", {}, "What it changes"), el("div", { class: "wide" }, compareFindings(ra, rb)), el("div", { class: "wide" }, compareFinals(ra, rb)),
    el("details", { class: "both", open: true }, el("summary", {}, "Both runs in full"), el("div", { class: "compare" }, left, right)));
  renderRun(left, ra, {});
  renderRun(right, rb, {});
  timing.ready();
  const t = performance.getEntriesByName("whatif-start");
  if (t.length) window.parleyTiming.whatIf = performance.now() - t[t.length - 1].startTime;
  performance.clearMarks("whatif-start");
}

function compareFindings(ra, rb) {
  const sb = new Map((rb.summary || []).map(s => [s.id, s]));
  const rows = (ra.summary || []).map(s => {
    const t = sb.get(s.id);
    if (!t) return null;
    const d = s.value !== undefined && t.value !== undefined ? t.value - s.value : null;
    const moved = d !== null && Math.abs(d) >= 0.005;
    return el("tr", { class: moved ? "moved" : null, "data-issue": s.id }, el("th", { scope: "row" }, s.name),
      el("td", { class: "n" }, s.headline), el("td", { class: "n" }, t.headline), el("td", { class: "n delta" }, d === null ? "" : moved ? signed(d) : "no change"),
      el("td", {}, s.place === t.place ? s.place || "" : [s.place, " → ", el("strong", {}, t.place)]));
  }).filter(Boolean);
  if (!rows.length) return el("p", { class: "muted" }, "These runs have no findings to compare issue by issue.");
  const cols = FINDINGS[ra.kind] || { value: "Forecast" };
  return el("table", { id: "compare-findings", class: "findings" },
    el("thead", {}, el("tr", {}, ["Issue", `${cols.value}, run ${ra.id}`, `run ${rb.id}`, "Change", "On the issue's scale"].map(h => el("th", {}, h)))), el("tbody", {}, rows));
}

// compareFinals lists the final positions of two forecasts that differ.
function compareFinals(ra, rb) {
  if (ra.kind !== "forecast" || rb.kind !== "forecast" || !ra.result || !rb.result) return null;
  const fin = r => new Map(r.result.issues.map(is => [is.id, (is.rounds && is.rounds.length ? is.rounds[is.rounds.length - 1].positions : {}) || {}]));
  const fa = fin(ra), fb = fin(rb), sc = ra.snapshot;
  const rows = [];
  for (const is of ra.result.issues) {
    const pa = fa.get(is.id) || {}, pb = fb.get(is.id) || {};
    for (const id of new Set([...Object.keys(pa), ...Object.keys(pb)])) {
      const x = pa[id], y = pb[id];
      if (x !== undefined && y !== undefined && Math.abs(y - x) < 0.005) continue;
      rows.push(el("tr", {}, el("th", { scope: "row" }, actorName(sc, id)), el("td", {}, is.name || is.id), el("td", { class: "n" }, x === undefined ? "left out" : num2(x)),
        el("td", { class: "n" }, y === undefined ? "left out" : num2(y)), el("td", { class: "n delta" }, x !== undefined && y !== undefined ? signed(y - x) : "")));
    }
  }
  return rows.length ? el("table", { id: "compare-positions", class: "numbers" }, el("caption", {}, "Final positions that differ"),
    el("tr", {}, ["Actor", "Issue", `Run ${ra.id}`, `Run ${rb.id}`, "Change"].map(h => el("th", {}, h))), rows) : el("p", { class: "muted" }, "No actor's final position differs.");
}

// modelsPage shows forecasts of one scenario by several models side by
// side: each issue's forecast by each model, where it lies on the scale,
// how it ends, and the spread between the models.
async function modelsPage(ids) {
  timing.start("models");
  const runs = await Promise.all(ids.map(runDoc));
  timing.data();
  const scen = [...new Set(runs.map(r => r.scenario))];
  const first = runs[0];
  const issues = (first.summary || []).map(s => ({ id: s.id, name: s.name }));
  const byRun = runs.map(r => new Map((r.summary || []).map(s => [s.id, s])));
  fill(main, el("h1", {}, `Models compared on ${scen.join(", ")}`),
    scen.length > 1 ? el("p", { class: "error" }, "These runs are of different scenarios.") : null,
    takeFlash(),
    el("div", { class: "wide" }, el("table", { id: "models-compare", class: "findings" },
      el("thead", {}, el("tr", {}, el("th", {}, "Issue"), runs.map(r => el("th", { "data-model": r.model }, el("a", { href: "#/run/" + r.id }, [r.model, r.variant].filter(Boolean).join(" ")), el("div", { class: "muted" }, "run " + r.id))), el("th", {}, "Spread"))),
      el("tbody", {}, issues.map(is => {
        const vals = byRun.map(m => m.get(is.id)).map(s => s && s.value);
        const known = vals.filter(v => v !== undefined);
        return el("tr", { "data-issue": is.id }, el("th", { scope: "row" }, is.name),
          byRun.map(m => {
            const s = m.get(is.id);
            return s ? el("td", { class: "settle-" + (s.kind || "static") }, el("div", { class: "forecast-value" }, s.headline), el("div", { class: "place" }, s.place || ""), el("div", { class: "muted ends" }, s.kind ? s.ends : "static model")) : el("td", {}, "–");
          }),
          el("td", { class: "n spread" }, known.length > 1 ? num2(Math.max(...known) - Math.min(...known)) : ""));
      })))),
    el("p", { class: "muted" }, "Each cell: the forecast (where it settles; a cycle's or an unsettled run's mean with its range), where it lies on the issue's scale and how the run ended. Spread: the largest forecast less the smallest."),
    el("div", { class: "charts" }, runs.map(r => r.result && r.result.issues.length && (r.result.issues[0].rounds || []).length > 1 ? chartBox(`/runs/${r.id}/chart?issue=${encodeURIComponent(issues[0] ? issues[0].id : "")}`, `${r.model}: ${issues[0] ? issues[0].name : ""}`) : null)));
  timing.ready();
}
