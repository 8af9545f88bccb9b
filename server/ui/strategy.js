// Parley's strategy views in the browser: conflicts between every pair of
// actors, an actor's advice, a vote and a voting body's power. They are
// runs of their own kinds ("conflicts", "advice", "power"): the editor's
// Run section starts them (runform.js) and the run page draws them
// (renderStrategy), with the helpers of core.js.
"use strict";

const STRATEGY_KINDS = ["conflicts", "advice", "power"];

const REL_CLASS = { "conflict": "r-conflict", "i gains, j loses": "r-conflict", "status quo": "r-quiet", "both lose": "r-quiet", "agreement": "r-quiet", "both gain": "r-row" };

function relCode(p) {
  const ahead = p.ahead === p.i ? ">" : p.ahead === p.j ? "<" : "=";
  switch (p.relation) {
    case "conflict": return "C" + ahead;
    case "compel": return "K>";
    case "capitulation": return "K<";
    case "compromise": return "c" + ahead;
    case "status quo": return "--";
    case "agreement": return "==";
    case "both gain": return "++";
    case "i gains, j loses": return "+-";
    case "j gains, i loses": return "-+";
    case "both lose": return "--";
  }
  return "?";
}

function relClass(p) {
  if (REL_CLASS[p.relation]) return REL_CLASS[p.relation];
  return p.ahead === p.i ? "r-row" : "r-col";
}

function eu(v) { return (Math.round(v * 1000) / 1000).toFixed(3); }

// renderStrategy draws a strategy run's result into box.
async function renderStrategy(box, r) {
  const res = r.result;
  if (r.kind === "conflicts") await renderConflicts(box, r.id, res.conflicts);
  else if (r.kind === "advice") renderAdvice(box, res.advice);
  else if (r.kind === "power") renderPower(box, res);
}

async function renderConflicts(box, id, v) {
  const smp = v.model === "smp";
  add(box, el("p", {}, `Model ${v.model}${v.variant ? " (" + v.variant + ")" : ""}, positions after round ${v.round}, perspective: ${v.perspective}.`),
    el("p", { class: "muted" }, smp
      ? "Each cell is KTAB's quadrant of the row's challenge of the column: ++ both gain, +- the row gains and the column loses, -+ the column gains, -- both lose."
      : "Each cell is the relation from the row's side: C conflict (both expect to gain; > the row ahead, < the column), K> the row compels the column, K< the row capitulates, c compromise (> in the row's favour), -- status quo, == same position. Hover for the numbers."));
  for (const is of v.issues) {
    const name = a => (is.actors.find(x => x.id === a) || { name: a }).name;
    const pair = (i, j) => is.pairs.find(p => p.i === i && p.j === j);
    add(box, el("h3", {}, smp ? "All issues at once" : `Issue ${is.id}: ${is.name}`));
    add(box, el("div", { class: "wide" }, el("table", { class: "rel", "data-issue": is.id },
      el("tr", {}, el("th", {}), is.actors.map((a, k) => el("th", { title: a.name }, k + 1))),
      is.actors.map((a, k) => el("tr", {}, el("th", {}, (k + 1) + " " + a.name), is.actors.map(b => {
        if (a.id === b.id) return el("td", {}, "·");
        const p = pair(a.id, b.id);
        return el("td", { class: relClass(p), title: `${a.name} → ${b.name}: ${p.relation}${p.ahead ? ", " + name(p.ahead) + " ahead" : ""} (a = ${eu(p.a)}, b = ${eu(p.b)})` }, relCode(p));
      }))))));
    add(box, el("h4", {}, smp ? "Mutual challenges, by capability involved" : "Mutual conflicts, by capability involved"),
      (is.mutual || []).length ? el("table", { class: "mutual" },
        el("tr", {}, ["#", "Pair", "Capability", "first's gain", "second's gain"].map(h => el("th", {}, h))),
        is.mutual.slice(0, 20).map((m, k) => el("tr", {}, el("td", {}, k + 1), el("td", {}, name(m.a) + " – " + name(m.b)), el("td", { class: "n" }, fmt(m.capability)), el("td", { class: "n" }, eu(m.eu_a)), el("td", { class: "n" }, eu(m.eu_b))))) : el("p", {}, "None."));
    const who = el("select", { class: "map-actor", "data-issue": is.id }, is.actors.map(a => el("option", { value: a.id }, a.name)));
    const holder = el("div", { class: "charts" });
    const draw = async () => fill(holder, await chart(`/runs/${id}/chart?issue=${encodeURIComponent(is.id)}&actor=${encodeURIComponent(who.value)}`, ""));
    who.addEventListener("change", draw);
    if (v.perspective !== "objective") who.value = v.perspective;
    add(box, el("div", { class: "toolbar" }, smp ? "Quad map of " : "Perceptual map of ", who), holder);
    await draw();
  }
}

// headline is a run's value, with its range when it cycles or did not
// settle; ended says how it ended.
function headline(o) {
  const s = o.settlement;
  if (!s || s.kind === "fixed") return fmt(o.value);
  return `${fmt(o.value)} (${fmt(s.low)}–${fmt(s.high)})`;
}
function ended(o) {
  const s = o.settlement;
  if (!s) return o.stopped;
  return s.kind === "cycle" ? `cycle, period ${s.period}` : s.kind === "fixed" ? "fixed" : "did not settle";
}

function leverRows(ls, issue, pairs) {
  return ls.map(l => el("tr", {},
    el("td", {}, l.actors.map((a, k) => `${a} ${l.issues && l.issues[k] !== issue ? l.issues[k] + " " : ""}${l.attributes[k]} ${fmt(l.from[k])} → ${fmt(l.to[k])}`).join("; ")),
    el("td", { class: "n" }, headline(l)), el("td", { class: "n" }, (l.gain >= 0 ? "+" : "") + fmt(l.gain)), el("td", {}, ended(l)),
    pairs ? el("td", { class: "n" }, (l.synergy >= 0 ? "+" : "") + fmt(l.synergy)) : null));
}

function renderAdvice(box, a) {
  add(box, el("p", {}, `${a.name} on issue ${a.issue} (${a.model}${a.variant ? " " + a.variant : ""}): position ${fmt(a.ideal)}, forecast ${headline(a.baseline)} (${ended(a.baseline)}), target ${fmt(a.target)}; ${a.runs} model runs. Gain: how much nearer ${fmt(a.ideal)} the forecast comes.`),
    el("h3", {}, "Own levers"),
    el("table", { id: "advice-own" }, el("tr", {}, ["Change", "Forecast", "Gain", "Run ended"].map(h => el("th", {}, h))), leverRows(a.own.slice(0, 8), a.issue)),
    a.own.some(l => l.gain > 0) ? null : el("p", { class: "muted", id: "advice-own-none" }, `No change of ${a.name}'s own position or salience moves the forecast nearer ${fmt(a.ideal)}.`),
    el("h3", {}, "Whom to work on"),
    el("table", { id: "advice-others" }, el("tr", {}, ["Actor", "Position", "Best change", "Forecast", "Gain", "Run ended", "To reach " + fmt(a.target)].map(h => el("th", {}, h))),
      a.others.filter(o => o.best_position || o.best_salience || o.reach).slice(0, 12).map(o => {
        let b = o.best_position;
        if (o.best_salience && (!b || o.best_salience.gain > b.gain)) b = o.best_salience;
        return el("tr", {}, el("td", {}, o.name), el("td", { class: "n" }, o.position !== undefined ? fmt(o.position) : "-"),
          el("td", {}, b ? `${b.issues[0] !== a.issue ? b.issues[0] + " " : ""}${b.attributes[0]} ${fmt(b.from[0])} → ${fmt(b.to[0])}` : "none helps"),
          el("td", { class: "n" }, b ? headline(b) : ""), el("td", { class: "n" }, b ? (b.gain >= 0 ? "+" : "") + fmt(b.gain) : ""), el("td", {}, b ? ended(b) : ""),
          el("td", {}, o.reach ? `move to ${fmt(o.reach.to[0])}` : "not alone"));
      })),
    el("p", { class: "muted" }, `Actors whose change of position or salience brings the forecast nearer ${fmt(a.ideal)}, the most helpful first; "To reach ${fmt(a.target)}": the smallest move of its position alone that brings the forecast there. ` +
      `${a.others.filter(o => !(o.best_position || o.best_salience || o.reach)).length} of ${a.others.length} other actors can do nothing alone.`),
    el("h3", {}, "Pairs"),
    el("p", { class: "muted" }, "The best changes of two of those actors made together. Beyond the two alone: the pair's gain less the sum of the two gains alone (negative when they overlap or overshoot)."),
    (a.pairs || []).length ? el("table", { id: "advice-pairs" }, el("tr", {}, ["Changes", "Forecast", "Gain", "Run ended", "Beyond the two alone"].map(h => el("th", {}, h))), leverRows(a.pairs.slice(0, 12), a.issue, true)) : el("p", {}, "None."));
}

function renderPower(box, d) {
  const b = d.power_body, p = d.power;
  // A vote: the proposal's fate and every ballot first.
  if (d.outcome) {
    const o = d.outcome;
    add(box, el("h3", { id: "vote-result" }, `The vote on ${fmt(o.proposal)} against ${fmt(o.status_quo)}${d.issue ? " (" + d.issue + ")" : ""}: ${o.passed ? "passes" : "fails"}`),
      el("p", {}, `${o.reason}. Yes ${o.tally.yes}, no ${o.tally.no}, abstaining ${o.tally.abstain} of ${o.tally.members}.`),
      ballotsTable(o, "vote", false));
  }
  add(box, el("h3", {}, "Voting power"), el("p", {}, `${b.name}: a coalition wins when ${p.criteria.join(" and ")}. Exact, by ${p.method}; the body acts on ${fmt(100 * p.winning)}% of the coalitions.`),
    el("table", { id: "power" }, el("tr", {}, ["Member", "Name", "Weight", "Shapley–Shubik %", "Banzhaf %", "Penrose"].map(h => el("th", {}, h))),
      p.indices.map((ix, k) => el("tr", {}, el("td", {}, ix.member), el("td", {}, ix.name || ""), el("td", {}, b.members[k].weight + (b.members[k].veto ? " (veto)" : "")),
        el("td", { class: "n" }, (100 * ix.shapley_shubik).toFixed(4)), el("td", { class: "n" }, (100 * ix.banzhaf).toFixed(4)), el("td", { class: "n" }, ix.penrose.toFixed(6))))));
  const s = d.switches;
  if (s) {
    const to = s.passed ? "no" : "yes", verb = s.passed ? "block it" : "pass it";
    add(box, el("h3", {}, `What would reverse it`),
      el("p", { id: "pivotal" }, s.pivotal && s.pivotal.length ? "Pivotal: " + s.pivotal.map(x => `${x.member} (${x.from} → ${x.to})`).join(", ") : `No member can ${verb} alone.`),
      el("p", { id: "switches" }, s.needed ? `${s.needed} members must switch to ${to} to ${verb}; smallest sets: ` + s.sets.map(x => "{" + x.join(", ") + "}").join(" ") + (s.more ? ", and more" : "") : `No switch would ${verb}.`));
  }
}
