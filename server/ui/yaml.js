// The scenario editor's YAML pane: the sections a grid cannot show
// (uncertainty, institutions, process, contagion, KTAB settings) are
// edited as YAML text. The browser only writes YAML (toYAML); the server
// reads it back with the parser every command uses (POST
// /scenarios/validate), so a section is checked one way whoever edits it.
"use strict";

const PANE_KEYS = ["uncertainty", "institutions", "process", "contagion", "ktab"];

const PANE_HELP = `# Sections the tables above do not show, in Parley's YAML (docs/institutions.md,
# docs/models/process.md, docs/uncertainty.md). Each is optional; delete one to drop it. For example:
#
# uncertainty:            # noise of numbers without their own range or sd
#   position: 0.05        # sd of positions, as a share of the scale
#   salience: 0.15
#
# institutions:
#   - {id: unsc, builtin: unsc-2007}
`;

// yamlScalar writes a number, boolean or string; a string is written
// plain when YAML reads it back as the same string, else quoted.
function yamlScalar(v) {
  if (v === null || v === undefined) return "null";
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  const s = String(v);
  if (/^[A-Za-z_][A-Za-z0-9_ .,'()/+-]*$/.test(s) && !/ $/.test(s) && !/^(true|false|yes|no|on|off|null|y|n)$/i.test(s)) return s;
  return JSON.stringify(s);
}

function yamlKey(k) { return /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(k) ? k : JSON.stringify(k); }

function isScalar(v) { return v === null || typeof v !== "object"; }

// flowList writes a short list of scalars on one line.
function flowList(a) {
  if (!a.every(isScalar)) return null;
  const s = "[" + a.map(yamlScalar).join(", ") + "]";
  return s.length <= 72 ? s : null;
}

function yamlMapping(o, ind, out) {
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined) continue;
    const key = ind + yamlKey(k) + ":";
    if (isScalar(v)) out.push(key + " " + yamlScalar(v));
    else if (Array.isArray(v)) {
      const flow = v.length ? flowList(v) : "[]";
      if (flow) out.push(key + " " + flow);
      else { out.push(key); yamlSequence(v, ind + "  ", out); }
    } else if (!Object.keys(v).length) out.push(key + " {}");
    else { out.push(key); yamlMapping(v, ind + "  ", out); }
  }
}

function yamlSequence(a, ind, out) {
  for (const v of a) {
    if (isScalar(v)) { out.push(ind + "- " + yamlScalar(v)); continue; }
    if (Array.isArray(v)) {
      const flow = v.length ? flowList(v) : "[]";
      if (flow) out.push(ind + "- " + flow);
      else { out.push(ind + "-"); yamlSequence(v, ind + "  ", out); }
      continue;
    }
    const sub = [];
    yamlMapping(v, ind + "  ", sub);
    if (!sub.length) { out.push(ind + "- {}"); continue; }
    out.push(ind + "- " + sub[0].slice(ind.length + 2), ...sub.slice(1));
  }
}

// toYAML writes an object as block YAML.
function toYAML(o) {
  const out = [];
  yamlMapping(o, "", out);
  return out.length ? out.join("\n") + "\n" : "";
}

// paneText is the pane's text for a scenario: its pane sections, or a
// commented example when it has none.
function paneText(sc) {
  const part = {};
  for (const k of PANE_KEYS) if (sc[k] !== undefined && sc[k] !== null) part[k] = sc[k];
  return Object.keys(part).length ? toYAML(part) : PANE_HELP;
}

// composeYAML is the whole scenario as one YAML document: the pane's text
// first, so that its line numbers are the pane's, then the other sections
// in JSON's flow form (which YAML reads).
function composeYAML(sc, pane) {
  const rest = [];
  for (const [k, v] of Object.entries(sc)) {
    if (PANE_KEYS.includes(k) || v === undefined || v === null) continue;
    rest.push(yamlKey(k) + ": " + JSON.stringify(v, null, 1).replaceAll("\n", "\n  "));
  }
  return pane + (pane.endsWith("\n") || pane === "" ? "" : "\n") + rest.join("\n") + "\n";
}
