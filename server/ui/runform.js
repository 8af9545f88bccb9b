// The editor's Run section: a tab for every kind of run the API makes,
// each with the options of its command (parley forecast, sweep,
// sensitivity, process, recognition, vote, conflicts, advise), and one
// block of model options that the kinds running a bargaining model share:
// the model, its variant, its rounds and its typed parameters as GET
// /models declares them (an enumeration is a choice, a boolean a
// checkbox, a number an input held to its range).
"use strict";

// numberField is a labelled number input; its value is read with num().
function numberField(id, label, opts, help) {
  const inp = el("input", { type: "number", id, step: "any", ...opts });
  return el("label", { class: "field", title: help }, label + " ", inp);
}
function num(id, root) {
  const inp = root.querySelector("#" + id);
  return inp.value === "" ? undefined : Number(inp.value);
}
// checkNumber holds an input to its min, max and step, showing the
// problem beside it; it reports whether the value is fine.
function checkNumber(inp, name) {
  const old = inp.parentElement.querySelector(".problem");
  if (old) old.remove();
  inp.classList.remove("invalid");
  if (inp.value === "") return true;
  const v = Number(inp.value), lo = inp.min === "" ? -Infinity : Number(inp.min), hi = inp.max === "" ? Infinity : Number(inp.max);
  let msg = null;
  if (!isFinite(v)) msg = `${name}: not a number`;
  else if (v < lo || v > hi) msg = `${name}: want ${isFinite(lo) && isFinite(hi) ? `from ${lo} to ${hi}` : isFinite(lo) ? `${lo} or more` : `${hi} or less`}, got ${v}`;
  else if (inp.step === "1" && !Number.isInteger(v)) msg = `${name}: want a whole number, got ${v}`;
  if (!msg) return true;
  inp.classList.add("invalid");
  inp.parentElement.append(el("span", { class: "problem" }, msg));
  return false;
}
function listOf(s) { return s.split(",").map(x => x.trim()).filter(Boolean); }

// modelBlock is the model options: its node, the request part (body), a
// check of the values, and the chosen model's declaration (info).
function modelBlock(modelList) {
  const sel = el("select", { id: "run-model", "aria-label": "model" }, modelList.map(m => el("option", { value: m.name, selected: !!m.default, title: m.description }, m.name)));
  const variant = el("select", { id: "run-variant", "aria-label": "variant" });
  const rounds = el("input", { type: "number", id: "run-rounds", min: 1, max: 100000, step: 1, "aria-label": "rounds" });
  const roundsLabel = el("label", { class: "field" }, "Rounds ", rounds);
  const params = el("div", { id: "run-params", class: "params" });
  const desc = el("p", { class: "muted", id: "model-desc" });
  const info = () => modelList.find(m => m.name === sel.value);
  function draw() {
    const m = info();
    desc.textContent = m.description;
    variant.replaceChildren(...(m.variants.length ? m.variants.map((v, k) => el("option", { value: k === 0 ? "" : v.name, title: v.description }, v.name + (k === 0 ? " (default)" : ""))) : [el("option", { value: "" }, "—")]));
    variant.disabled = !m.variants.length;
    rounds.placeholder = m.rounds ? String(m.rounds) : "";
    rounds.title = m.rounds ? `default ${m.rounds}` : "";
    roundsLabel.hidden = !m.rounds;
    rounds.value = "";
    params.replaceChildren(...m.params.map(p => {
      const help = p.description + " (" + p.allowed + ")";
      let c;
      if (p.kind === "enum") {
        c = el("select", { "data-param": p.name, class: "param" },
          el("option", { value: "" }, p.default !== undefined ? `default (${p.default})` : "unset: " + (p.unset || "the model's own")),
          p.values.map(v => el("option", { value: v.name }, v.name)));
      } else if (p.kind === "bool") {
        c = el("input", { type: "checkbox", "data-param": p.name, class: "param", checked: p.default === true });
      } else {
        c = el("input", { type: "number", "data-param": p.name, class: "param", step: p.kind === "integer" ? 1 : "any",
          min: p.min !== undefined ? p.min : null, max: p.max !== undefined ? p.max : null,
          placeholder: p.default !== undefined ? String(p.default) : "unset", title: p.unset ? "unset: " + p.unset : null });
      }
      return el("label", { class: "field param-field", title: help }, p.name + " ", c);
    }));
  }
  sel.addEventListener("change", draw);
  draw();
  const node = el("div", { class: "model-block", id: "model-block" },
    el("div", { class: "toolbar" }, el("label", { class: "field" }, "Model ", sel), el("label", { class: "field" }, "Variant ", variant), roundsLabel, params), desc);
  return {
    node, info,
    check() {
      let ok = checkNumber(rounds, "rounds");
      for (const c of params.querySelectorAll("input[type=number].param")) ok = checkNumber(c, c.dataset.param) && ok;
      return ok;
    },
    body() {
      const b = { model: sel.value, variant: variant.value };
      if (rounds.value !== "") b.rounds = Number(rounds.value);
      const ps = {};
      for (const c of params.querySelectorAll(".param")) {
        if (c.type === "checkbox") ps[c.dataset.param] = c.checked;
        else if (c.value !== "") ps[c.dataset.param] = c.type === "number" ? Number(c.value) : c.value;
      }
      if (Object.keys(ps).length) b.params = ps;
      return b;
    },
  };
}

// runControls returns the Run section. ctx.sc() is the scenario on
// screen, ctx.models GET /models, ctx.start(kind, body, then) saves what
// is on screen and posts body(name) to /runs/KIND (then, when given,
// does the posting itself).
function runControls(ctx) {
  const sc = ctx.sc();
  const mb = modelBlock(ctx.models);
  const issues = sc.issues || [];
  const issueSel = (id, withAll) => el("select", { id }, withAll ? el("option", { value: "" }, "every issue") : null, issues.map(is => el("option", { value: is.id }, is.name || is.id)));
  const bodySel = id => {
    const s = el("select", { id });
    api("GET", "/bodies").then(bodies => {
      const declared = (ctx.sc().institutions || []).map(i => el("option", { value: i.id }, (i.name || i.id) + " (this scenario)"));
      s.replaceChildren(...declared, ...bodies.map(b => el("option", { value: b.id }, b.id + ": " + b.name)));
    }).catch(() => {});
    return s;
  };
  const go = (id, label, onclick) => el("button", { id, class: "run", onclick }, label);

  // Each tab: its label, whether it uses the model block, and its panel,
  // drawn when the tab is first shown.
  const tabs = [
    { id: "forecast", label: "Forecast", model: true, panel: () => el("div", {},
      el("div", { class: "toolbar" },
        numberField("run-stable", "Stop after stable rounds", { min: 0, step: 1, placeholder: "off" }, "Stop an issue once its forecast has stayed fixed for K rounds, or its cycle has repeated K times (parley forecast --stable)"),
        numberField("run-epsilon", "within", { min: 0, placeholder: "0.01%" }, "With a stop rule: forecasts this close count as equal (--epsilon)"),
        el("label", { class: "field", title: "5th–95th percentile of each forecast over a seeded sweep under the scenario's uncertainty (--interval)" }, el("input", { type: "checkbox", id: "run-interval" }), " with a 90% interval"),
        numberField("interval-draws", "draws", { min: 1, max: 5000, step: 1, value: 200 }),
        numberField("interval-seed", "seed", { min: 0, step: 1, value: 1 })),
      go("run-forecast", "Run forecast", () => {
        const root = panelOf("forecast");
        if (!checkAll(root)) return;
        const b = mb.body();
        const stable = num("run-stable", root), eps = num("run-epsilon", root);
        if (stable) b.stable = stable;
        if (eps !== undefined) b.epsilon = eps;
        if (root.querySelector("#run-interval").checked) Object.assign(b, { interval: true, draws: num("interval-draws", root), seed: num("interval-seed", root) });
        ctx.start("forecast", name => ({ scenario: name, ...b }));
      })) },
    { id: "compare", label: "Compare models", model: false, panel: () => el("div", {},
      el("p", { class: "muted" }, "Runs each model chosen, with its defaults, on this scenario and shows their forecasts side by side in one table."),
      el("div", { class: "toolbar", id: "compare-models" }, ctx.models.map(m => el("label", { class: "field", title: m.description },
        el("input", { type: "checkbox", class: "compare-model", value: m.name, checked: ["mean", "median", "eum", "smp", "exchange"].includes(m.name) }), " " + m.name))),
      go("run-compare", "Compare models", () => {
        const picked = [...panelOf("compare").querySelectorAll(".compare-model:checked")].map(c => c.value);
        if (picked.length < 2) { msg(panelOf("compare"), "Choose two models or more."); return; }
        ctx.start("forecast", null, async (name, msg) => {
          const runs = await Promise.all(picked.map(m => api("POST", "/runs/forecast", { scenario: name, model: m })));
          runs.forEach(remember);
          if (msg) flash(msg);
          location.hash = "#/models/" + runs.map(r => r.id).join(",");
        });
      })) },
    { id: "sweep", label: "Sweep", model: true, panel: () => el("div", {},
      el("p", { class: "muted" }, "The model run on many randomly perturbed copies of the scenario: each number moves by its own range or sd, else by the level below, else by the default for its evidence (docs/uncertainty.md)."),
      el("div", { class: "toolbar" },
        numberField("sweep-draws", "Draws", { min: 1, max: 1000000, step: 1, value: 200 }),
        numberField("sweep-seed", "Seed", { min: 0, step: 1, value: 1 }),
        el("label", { class: "field" }, "Histogram bins ", el("select", { id: "sweep-bins" }, [10, 20, 25, 40, 50, 100].map(n => el("option", { value: n, selected: n === 20 }, n))))),
      el("div", { class: "toolbar" }, "Noise of numbers without their own range (empty: the scenario's, else by evidence): ",
        numberField("sweep-position-sd", "position sd", { min: 0, placeholder: "by evidence" }, "sd of positions, as a share of the issue's scale (--position-sd)"),
        numberField("sweep-salience-sd", "salience σ", { min: 0, placeholder: "by evidence" }, "σ of log-normal noise on saliences (--salience-sd)"),
        numberField("sweep-capability-sd", "capability σ", { min: 0, placeholder: "by evidence" }, "σ of log-normal noise on capabilities (--capability-sd)"),
        numberField("sweep-dropout", "dropout", { min: 0, max: 1, placeholder: "0" }, "Probability that an actor sits a draw out (--dropout)")),
      el("div", { class: "toolbar", id: "sweep-param-dists" }),
      go("run-sweep", "Run sweep", () => {
        const root = panelOf("sweep");
        if (!checkAll(root)) return;
        const noise = {};
        for (const [k, id] of [["position", "sweep-position-sd"], ["salience", "sweep-salience-sd"], ["capability", "sweep-capability-sd"], ["dropout", "sweep-dropout"]]) {
          const v = num(id, root);
          if (v !== undefined) noise[k] = v;
        }
        const dists = {};
        for (const d of root.querySelectorAll(".param-dist")) if (d.value.trim()) dists[d.dataset.param] = d.value.trim();
        if (Object.keys(dists).length) noise.params = dists;
        const b = { ...mb.body(), draws: num("sweep-draws", root), seed: num("sweep-seed", root), bins: Number(root.querySelector("#sweep-bins").value), noise };
        ctx.start("sweep", name => ({ scenario: name, ...b }));
      })) },
    { id: "sensitivity", label: "Sensitivity", model: true, panel: () => el("div", {},
      el("p", { class: "muted" }, "Every actor's position, salience and capability moved between the ends of its range, ranked by how much each moves the forecast; with samples, also Sobol indices."),
      el("div", { class: "toolbar" },
        numberField("sens-samples", "Samples", { min: 0, max: 100000, step: 1, value: 128 }, "Base samples of the Sobol design; 0 ranks one input at a time only"),
        numberField("sens-seed", "Seed", { min: 0, step: 1, value: 1 }),
        el("label", { class: "field", title: "Instead of the scenario's uncertainty, move numbers without their own range by fixed shares" }, el("input", { type: "checkbox", id: "sens-fixed" }), " fixed ranges:"),
        numberField("sens-position", "position ±", { min: 0, max: 1, value: 0.1 }),
        numberField("sens-salience", "salience ×1±", { min: 0, max: 1, value: 0.5 }),
        numberField("sens-capability", "capability ×1±", { min: 0, max: 1, value: 0.5 })),
      go("run-sensitivity", "Run sensitivity analysis", () => {
        const root = panelOf("sensitivity");
        if (!checkAll(root)) return;
        const b = { ...mb.body(), samples: num("sens-samples", root), seed: num("sens-seed", root) };
        if (root.querySelector("#sens-fixed").checked) b.ranges = { position: num("sens-position", root), salience: num("sens-salience", root), capability: num("sens-capability", root) };
        ctx.start("sensitivity", name => ({ scenario: name, ...b }));
      })) },
    { id: "process", label: "Process", model: false, panel: () => el("div", {},
      el("p", { class: "muted" }, sc.process ? "Plays out the scenario's process: talks, votes, a unilateral act, recognitions and contagion, as its process section (the YAML above) describes." : "This scenario has no process section: add one in the YAML above to play out talks, votes and recognitions."),
      el("div", { class: "toolbar" },
        numberField("process-seed", "Seed", { min: 0, step: 1, value: 1 }),
        numberField("process-draws", "Recognition draws", { min: 1, max: 10000000, step: 1, value: 2000 }, "Monte Carlo draws of the recognition stage (parley process --draws; the command's default is 10,000)")),
      go("run-process", "Run process", () => {
        const root = panelOf("process");
        if (!checkAll(root)) return;
        ctx.start("process", name => ({ scenario: name, seed: num("process-seed", root), draws: num("process-draws", root) }));
      })) },
    { id: "recognition", label: "Recognition", model: false, panel: () => el("div", {},
      el("p", { class: "muted" }, "Which states recognise a unilateral declaration, and when. The sides and dates come from the scenario's recognition stage; what you fill in here replaces them."),
      el("div", { class: "toolbar" },
        numberField("rec-draws", "Draws", { min: 1, max: 10000000, step: 1, value: 2000 }),
        numberField("rec-seed", "Seed", { min: 0, step: 1, value: 1 }),
        el("label", { class: "field" }, "Declared ", el("input", { id: "rec-start", size: 10, placeholder: "YYYY-MM-DD" })),
        el("label", { class: "field" }, "to ", el("input", { id: "rec-start-latest", size: 10, placeholder: "(a window)" })),
        el("label", { class: "field" }, "Forecast to ", el("input", { id: "rec-end", size: 10, placeholder: "YYYY-MM-DD" })),
        el("label", { class: "field" }, "Probabilities by ", el("input", { id: "rec-by", size: 34, placeholder: "dates, comma-separated" }))),
      el("div", { class: "toolbar" },
        el("label", { class: "field" }, "Entity ", el("input", { id: "rec-entity", size: 12 })),
        el("label", { class: "field" }, "Recognising patrons ", el("input", { id: "rec-recognising", size: 16, placeholder: "USA, GBR, …" })),
        el("label", { class: "field" }, "Opposing ", el("input", { id: "rec-opposing", size: 12 })),
        el("label", { class: "field" }, "Parent ", el("input", { id: "rec-parent", size: 6 })),
        el("label", { class: "field" }, "Recognised already ", el("input", { id: "rec-initial", size: 12 })),
        el("label", { class: "field", title: "Keep the coefficients at their estimates and leave out the episode effect" }, el("input", { type: "checkbox", id: "rec-no-uncertainty" }), " no uncertainty")),
      go("run-recognition", "Run recognition forecast", () => {
        const root = panelOf("recognition");
        if (!checkAll(root)) return;
        const v = id => root.querySelector("#" + id).value.trim();
        const b = { draws: num("rec-draws", root), seed: num("rec-seed", root), no_uncertainty: root.querySelector("#rec-no-uncertainty").checked };
        for (const [k, id] of [["start", "rec-start"], ["start_latest", "rec-start-latest"], ["end", "rec-end"], ["entity", "rec-entity"], ["parent", "rec-parent"]]) if (v(id)) b[k] = v(id);
        for (const [k, id] of [["by", "rec-by"], ["recognising", "rec-recognising"], ["opposing", "rec-opposing"], ["initial", "rec-initial"]]) if (v(id)) b[k] = listOf(v(id));
        ctx.start("recognition", name => ({ scenario: name, ...b }));
      })) },
    { id: "vote", label: "Vote", model: false, panel: () => el("div", {},
      el("p", { class: "muted" }, "Puts a proposal to a voting body against the status quo: each member votes by its actor's position (or as the scenario fixes it); the page shows the ballots, whether it passes, who is pivotal and the members' voting power."),
      el("div", { class: "toolbar" }, el("label", { class: "field" }, "Body ", bodySel("vote-body")), el("label", { class: "field" }, "Issue ", issueSel("vote-issue")),
        numberField("vote-proposal", "Proposal", { required: true }, "A position on the issue's scale"),
        numberField("vote-status-quo", "against", { placeholder: "the status quo" }, "Default: the scenario's process.status_quo for the issue")),
      go("run-vote", "Put to the vote", () => {
        const root = panelOf("vote");
        const p = root.querySelector("#vote-proposal");
        if (p.value === "") { p.classList.add("invalid"); checkNumber(p, "proposal"); p.parentElement.append(el("span", { class: "problem" }, "give the proposal, a position on the issue's scale")); return; }
        if (!checkAll(root)) return;
        const b = { body: root.querySelector("#vote-body").value, issue: root.querySelector("#vote-issue").value, proposal: num("vote-proposal", root) };
        const sq = num("vote-status-quo", root);
        if (sq !== undefined) b.status_quo = sq;
        ctx.start("power", name => ({ scenario: name, ...b }));
      })) },
    { id: "power", label: "Voting power", model: false, panel: () => el("div", {},
      el("p", { class: "muted" }, "Each member's exact a priori voting power in a body (Shapley–Shubik, Banzhaf, Penrose)."),
      el("div", { class: "toolbar" }, el("label", { class: "field" }, "Body ", bodySel("power-body"))),
      go("run-power", "Voting power", () => {
        const root = panelOf("power");
        ctx.start("power", name => ({ scenario: name, body: root.querySelector("#power-body").value }));
      })) },
    { id: "conflicts", label: "Conflicts", model: true, panel: () => el("div", {},
      el("p", { class: "muted" }, "Who expects to gain by challenging whom: the EUM's expected utilities for every pair, or KTAB's quad map with the SMP (choose eum or smp above)."),
      el("div", { class: "toolbar" }, el("label", { class: "field" }, "Issue ", issueSel("conflicts-issue", true)),
        numberField("conflicts-round", "after round", { min: 0, step: 1, value: 0 }, "0: the stated positions"),
        el("label", { class: "field" }, "Perspective ", el("select", { id: "conflicts-perspective" }, el("option", { value: "objective" }, "objective"),
          (sc.actors || []).map(a => el("option", { value: a.id }, "as " + (a.name || a.id) + " sees it"))))),
      go("run-conflicts", "Conflicts", () => {
        const root = panelOf("conflicts");
        if (!checkAll(root)) return;
        const b = mb.body();
        if (!["eum", "smp"].includes(b.model)) { msg(root, "A conflicts view needs the eum or smp model: choose one above."); return; }
        ctx.start("conflicts", name => ({ scenario: name, ...b, issue: b.model === "eum" ? root.querySelector("#conflicts-issue").value : "", round: num("conflicts-round", root) || 0, perspective: root.querySelector("#conflicts-perspective").value }));
      })) },
    { id: "advise", label: "Advise", model: true, panel: () => el("div", {},
      el("p", { class: "muted" }, "An actor's levers and whom to work on, by re-running the model chosen above for every change."),
      el("div", { class: "toolbar" }, el("label", { class: "field" }, "Actor ", el("select", { id: "advise-actor" }, (sc.actors || []).map(a => el("option", { value: a.id }, a.name || a.id)))),
        el("label", { class: "field" }, "Issue ", issueSel("advise-issue")),
        numberField("advise-target", "Target", { placeholder: "the actor's position" }, "The forecast to reach"),
        el("label", { class: "field" }, "Levers on ", el("select", { id: "advise-levers" }, el("option", { value: "" }, "this issue"), el("option", { value: "all" }, "every issue"))),
        numberField("advise-grid", "Grid", { min: 3, max: 201, step: 1, value: 21 }, "Points of the position grid over the scale")),
      go("run-advise", "Advise", () => {
        const root = panelOf("advise");
        if (!checkAll(root)) return;
        const b = { ...mb.body(), actor: root.querySelector("#advise-actor").value, issue: root.querySelector("#advise-issue").value, grid: num("advise-grid", root) };
        const t = num("advise-target", root);
        if (t !== undefined) b.target = t;
        if (root.querySelector("#advise-levers").value) b.lever_issues = ["all"];
        ctx.start("advise", name => ({ scenario: name, ...b }));
      })) },
  ];
  const panels = new Map();
  function panelOf(id) { return panels.get(id); }
  function msg(root, text) {
    const old = root.querySelector(".panel-msg");
    if (old) old.remove();
    root.append(el("p", { class: "error panel-msg" }, text));
  }
  // checkAll holds every number of the panel and of the model block (for
  // a kind using it) to its range.
  function checkAll(root) {
    let ok = true;
    for (const inp of root.querySelectorAll("input[type=number]")) ok = checkNumber(inp, (inp.closest("label") || inp).textContent.trim() || inp.id) && ok;
    const t = tabs.find(t => panels.get(t.id) === root);
    if (t && t.model) ok = mb.check() && ok;
    return ok;
  }
  // The sweep's parameter draws follow the model's float parameters.
  function drawDists() {
    const box = panelOf("sweep").querySelector("#sweep-param-dists");
    if (!box) return;
    const fl = mb.info().params.filter(p => p.kind === "float");
    fill(box, fl.length ? ["Draw parameters: ", fl.map(p => el("label", { class: "field", title: p.description }, p.name + " ", el("input", { class: "param-dist", "data-param": p.name, size: 16, placeholder: "e.g. uniform(" + (p.min !== undefined ? p.min : 0) + "," + (p.max !== undefined ? p.max : 1) + ")" })))] : null);
  }
  const bar = el("div", { role: "tablist", class: "tabs", "aria-label": "Kind of run" });
  const holder = el("div", { class: "tab-panels" });
  let active = sessionStorage.getItem("parley.runtab") || "forecast";
  if (!tabs.some(t => t.id === active)) active = "forecast";
  function show(id) {
    active = id;
    sessionStorage.setItem("parley.runtab", id);
    const p = panels.get(id);
    if (!p.firstChild) {
      p.append(tabs.find(t => t.id === id).panel());
      if (id === "sweep") drawDists();
    }
    for (const t of tabs) {
      const on = t.id === id;
      bar.querySelector("#tab-" + t.id).setAttribute("aria-selected", on ? "true" : "false");
      bar.querySelector("#tab-" + t.id).tabIndex = on ? 0 : -1;
      panels.get(t.id).hidden = !on;
    }
    mb.node.hidden = !tabs.find(t => t.id === id).model;
  }
  for (const t of tabs) {
    const p = el("div", { role: "tabpanel", id: "panel-" + t.id, "aria-labelledby": "tab-" + t.id, class: "tab-panel", hidden: true });
    panels.set(t.id, p);
    holder.append(p);
    bar.append(el("button", { role: "tab", id: "tab-" + t.id, type: "button", "aria-controls": "panel-" + t.id, onclick: () => show(t.id) }, t.label));
  }
  bar.addEventListener("keydown", e => {
    const k = tabs.findIndex(t => t.id === active);
    const to = e.key === "ArrowRight" ? (k + 1) % tabs.length : e.key === "ArrowLeft" ? (k + tabs.length - 1) % tabs.length : -1;
    if (to >= 0) { show(tabs[to].id); bar.querySelector("#tab-" + tabs[to].id).focus(); }
  });
  mb.node.querySelector("#run-model").addEventListener("change", drawDists);
  show(active);
  return el("div", { id: "run-controls" }, bar, mb.node, holder);
}
