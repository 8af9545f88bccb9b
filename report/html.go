package report

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/parley-project/parley/param"
	"github.com/parley-project/parley/report/svg"
	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/scenario"
)

// RunInfo describes the stored run a report is made from.
type RunInfo struct {
	ID          int64
	Kind        string
	Status      string
	Model       string
	Variant     string
	Params      map[string]param.Value
	Seed        uint64
	CodeVersion string
	Created     time.Time
}

// Page is everything an HTML report shows. Sections whose data is absent
// (nil or empty) are left out.
type Page struct {
	Run      RunInfo
	Scenario *scenario.Scenario
	// Forecast holds each issue's round-by-round trajectory.
	Forecast *result.Result
	// Outcomes is the distribution of a sweep's forecasts, per issue.
	Outcomes []Outcome
	// Sensitivity ranks the inputs by their effect on the forecast, one
	// table per issue (or a single table with no issue).
	Sensitivity []SensitivityTable
	// Stages is the timeline of a process run.
	Stages []Stage
	// Recognition is the recognition curve of a process run, and
	// RecognitionX the label of its time axis.
	Recognition  []CurvePoint
	RecognitionX string
	// Strategy holds the conflicts view, advice or voting power of a
	// strategy run (nil for other runs).
	Strategy *Strategy
}

// Outcome is one issue's forecast distribution over a sweep's draws.
type Outcome struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Quantiles maps "5", "25", "50", "75", "95" to the percentile.
	Quantiles map[string]float64 `json:"quantiles"`
	Mean      *float64           `json:"mean"`
	// Bands maps a label of the issue scale to the share of draws that
	// ended in its band.
	Bands     map[string]float64 `json:"bands"`
	Histogram []HistBin          `json:"histogram"`
}

// HistBin is a histogram bin: Count forecasts in [From, To).
type HistBin struct {
	From  float64 `json:"from"`
	To    float64 `json:"to"`
	Count float64 `json:"count"`
}

// SensitivityTable ranks the inputs of one issue.
type SensitivityTable struct {
	Issue string // the issue's id, "" when the result names none
	Rows  []SensitivityRow
}

// SensitivityRow is one input's effect on the forecast.
type SensitivityRow struct {
	// Input names the input (e.g. "russia × salience on status").
	Input string
	// Measures are the effect sizes by name (e.g. "oat", "first",
	// "total"), in the order the result gave them.
	Measures []Measure
}

// Measure is one named effect size.
type Measure struct {
	Name  string
	Value float64
}

// Stage is one stage of a process timeline.
type Stage struct {
	Name   string
	Detail string
	// Final marks the stage where the process ended.
	Final bool
}

// CurvePoint is a point of a curve over time, with an optional interval.
type CurvePoint struct {
	T, Value float64
	Lo, Hi   *float64
}

// Decode builds a Page from a stored run: the scenario snapshot and the
// result document. It reads every section it recognises, so any kind of
// run renders what it has:
//
//   - "issues" with "rounds": the forecast trajectories (result.Result);
//   - "issues" with "quantiles", "bands" or "histogram": a sweep's outcome
//     distribution (the document of parley sweep --json);
//   - "issues" with "factors" (the document of parley sensitivity --json),
//     or "sensitivity" (or, for a sensitivity run, "inputs" or "ranking"):
//     lists of objects; the strings among "input", "actor", "attribute",
//     "parameter", "issue", "name" name the input and every numeric field
//     is an effect size, the first of "total", "first_order", "first",
//     "effect", "oat" ranking them;
//   - "stages" (or "timeline"): a list of objects (parley process's
//     stages), named by "name", "stage", "id", "label" or "kind", with a
//     "date" and an "outcome" (or "result", "decision", "note");
//     "final": true marks where the process ended, else the last stage;
//   - "recognition" (a process run) or "cumulative" (a recognition run):
//     a list of points, or an object with "cumulative", "curve" or
//     "points"; each point has a time ("t", "day", "step", "month",
//     "time", or a "date" YYYY-MM[-DD], drawn as months after the first),
//     a value ("expected", "count", "recognised", "mean", "share",
//     "value") and optionally an interval ("p05"/"p95" or "lo"/"hi").
//
// A forecast nested as "forecast" in a process result is read as well.
func Decode(info RunInfo, snapshot, doc []byte) (*Page, error) {
	p := &Page{Run: info}
	if len(snapshot) > 0 && string(snapshot) != "null" {
		var sc scenario.Scenario
		if err := json.Unmarshal(snapshot, &sc); err != nil {
			return nil, fmt.Errorf("scenario snapshot: %w", err)
		}
		p.Scenario = &sc
	}
	if len(doc) == 0 {
		return p, nil
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(doc, &top); err != nil {
		return nil, fmt.Errorf("result: %w", err)
	}
	if err := p.readIssues(doc, top); err != nil {
		return nil, err
	}
	if raw, ok := top["forecast"]; ok && p.Forecast == nil {
		var inner map[string]json.RawMessage
		if json.Unmarshal(raw, &inner) == nil {
			if err := p.readIssues(raw, inner); err != nil {
				return nil, fmt.Errorf("forecast: %w", err)
			}
		}
	}
	for _, key := range []string{"sensitivity", "inputs", "ranking"} {
		if raw, ok := top[key]; ok && (key == "sensitivity" || info.Kind == "sensitivity") {
			if rows := readSensitivity(raw); len(rows) > 0 {
				p.Sensitivity = append(p.Sensitivity, SensitivityTable{Rows: rows})
			}
			break
		}
	}
	for _, key := range []string{"stages", "timeline"} {
		if raw, ok := top[key]; ok {
			p.Stages = readStages(raw)
			break
		}
	}
	for _, key := range []string{"recognition", "cumulative"} {
		if raw, ok := top[key]; ok {
			p.Recognition, p.RecognitionX = readCurve(raw)
			break
		}
	}
	st, err := readStrategy(top)
	if err != nil {
		return nil, err
	}
	p.Strategy = st
	return p, nil
}

// readIssues reads trajectories or outcome distributions from "issues" of
// the document doc, whose top-level fields are top.
func (p *Page) readIssues(doc json.RawMessage, top map[string]json.RawMessage) error {
	raw, ok := top["issues"]
	if !ok {
		return nil
	}
	var probe []map[string]json.RawMessage
	if err := json.Unmarshal(raw, &probe); err != nil {
		return fmt.Errorf("result issues: %w", err)
	}
	if len(probe) == 0 {
		return nil
	}
	if _, ok := probe[0]["rounds"]; ok {
		var res result.Result
		if err := json.Unmarshal(doc, &res); err != nil {
			return fmt.Errorf("forecast result: %w", err)
		}
		p.Forecast = &res
		return nil
	}
	if _, ok := probe[0]["factors"]; ok {
		for _, is := range probe {
			var id string
			json.Unmarshal(is["id"], &id)
			if rows := readSensitivity(is["factors"]); len(rows) > 0 {
				p.Sensitivity = append(p.Sensitivity, SensitivityTable{Issue: id, Rows: rows})
			}
		}
		return nil
	}
	_, q := probe[0]["quantiles"]
	_, b := probe[0]["bands"]
	_, h := probe[0]["histogram"]
	if q || b || h {
		if err := json.Unmarshal(raw, &p.Outcomes); err != nil {
			return fmt.Errorf("sweep result: %w", err)
		}
	}
	return nil
}

// objects decodes a JSON list of objects, keeping the key order of each.
func objects(raw json.RawMessage) [][]field {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var out [][]field
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('[') {
		return nil
	}
	for dec.More() {
		obj, err := readObject(dec)
		if err != nil {
			return out
		}
		out = append(out, obj)
	}
	return out
}

type field struct {
	key   string
	value any
}

func readObject(dec *json.Decoder) ([]field, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if tok != json.Delim('{') {
		return nil, fmt.Errorf("not an object")
	}
	var fs []field
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return nil, err
		}
		var v any
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		fs = append(fs, field{fmt.Sprint(k), v})
	}
	_, err = dec.Token()
	return fs, err
}

func get(fs []field, keys ...string) (any, bool) {
	for _, k := range keys {
		for _, f := range fs {
			if strings.EqualFold(f.key, k) {
				return f.value, true
			}
		}
	}
	return nil, false
}

func num(v any) (float64, bool) {
	switch v := v.(type) {
	case json.Number:
		f, err := v.Float64()
		return f, err == nil
	case float64:
		return v, true
	}
	return 0, false
}

func str(fs []field, keys ...string) string {
	for _, k := range keys {
		if v, ok := get(fs, k); ok {
			if s, ok := v.(string); ok && s != "" {
				return s
			}
		}
	}
	return ""
}

func readSensitivity(raw json.RawMessage) []SensitivityRow {
	var out []SensitivityRow
	for _, fs := range objects(raw) {
		var names []string
		for _, k := range []string{"input", "actor", "attribute", "parameter", "issue", "name"} {
			s := str(fs, k)
			switch {
			case s == "":
			case k == "actor" && str(fs, "name") != "":
				names = append(names, str(fs, "name")) // the actor's name, not its id
			case k == "name" && str(fs, "actor") != "":
			default:
				names = append(names, s)
			}
		}
		s := SensitivityRow{Input: strings.Join(names, " × ")}
		for _, f := range fs {
			if v, ok := num(f.value); ok && f.key != "rank" {
				s.Measures = append(s.Measures, Measure{f.key, v})
			}
		}
		if s.Input != "" && len(s.Measures) > 0 {
			out = append(out, s)
		}
	}
	return out
}

// rankMeasure returns the measure that ranks a sensitivity table: the
// one-at-a-time effect (the change the table shows), else the total Sobol
// index, else the first-order one, else the first measure.
func rankMeasure(rows []SensitivityRow) string {
	for _, want := range []string{"effect", "oat", "total", "st", "first_order", "first", "s1"} {
		for _, m := range rows[0].Measures {
			if strings.EqualFold(m.Name, want) {
				return m.Name
			}
		}
	}
	return rows[0].Measures[0].Name
}

func measure(s SensitivityRow, name string) float64 {
	for _, m := range s.Measures {
		if m.Name == name {
			return m.Value
		}
	}
	return math.NaN()
}

func readStages(raw json.RawMessage) []Stage {
	var out []Stage
	final := false
	for _, fs := range objects(raw) {
		st := Stage{Name: str(fs, "name", "stage", "id", "label", "kind"), Detail: str(fs, "outcome", "result", "decision", "note")}
		if d := str(fs, "date"); d != "" {
			st.Detail = strings.TrimSuffix(d+": "+st.Detail, ": ")
		}
		if v, ok := get(fs, "final"); ok && v == true {
			st.Final, final = true, true
		}
		if st.Name != "" {
			out = append(out, st)
		}
	}
	if !final && len(out) > 0 {
		out[len(out)-1].Final = true
	}
	return out
}

// readCurve reads a curve and names its time axis.
func readCurve(raw json.RawMessage) ([]CurvePoint, string) {
	var wrap map[string]json.RawMessage
	if json.Unmarshal(raw, &wrap) == nil {
		for _, k := range []string{"cumulative", "curve", "points"} {
			if r, ok := wrap[k]; ok {
				raw = r
				break
			}
		}
	}
	xlabel := "time"
	var first time.Time
	var out []CurvePoint
	for i, fs := range objects(raw) {
		pt := CurvePoint{T: float64(i)}
		if v, ok := get(fs, "t", "day", "step", "month", "time", "round"); ok {
			pt.T, _ = num(v)
		} else if d := str(fs, "date"); d != "" {
			if t, ok := parseDate(d); ok {
				if first.IsZero() {
					first = t
					xlabel = "months after " + d
				}
				pt.T = t.Sub(first).Hours() / (24 * 365.2425 / 12)
			}
		}
		v, ok := get(fs, "expected", "count", "recognised", "recognized", "mean", "share", "value")
		if !ok {
			continue
		}
		if pt.Value, ok = num(v); !ok {
			continue
		}
		if v, ok := get(fs, "p05", "p5", "lo", "low"); ok {
			if f, ok := num(v); ok {
				pt.Lo = &f
			}
		}
		if v, ok := get(fs, "p95", "hi", "high"); ok {
			if f, ok := num(v); ok {
				pt.Hi = &f
			}
		}
		out = append(out, pt)
	}
	return out, xlabel
}

func parseDate(s string) (time.Time, bool) {
	for _, layout := range []string{"2006-01-02", "2006-01", time.RFC3339} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

//go:embed report.html.tmpl
var pageTemplate string

var tmpl = template.Must(template.New("report").Funcs(template.FuncMap{
	"num":  func(v float64) string { return svg.FormatNum(v) },
	"pct":  func(v float64) string { return strconv.FormatFloat(100*v, 'f', 1, 64) + "%" },
	"time": func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") },
}).Parse(pageTemplate + strategyTemplate))

// view is what the template renders: the page with its charts drawn.
type view struct {
	*Page
	Title    string
	Params   string
	Sources  []scenario.Source
	Issues   []issueView
	Evidence []evidenceNote
	Outcomes []outcomeView
	Sens     []sensView
	Timeline template.HTML
	RecChart template.HTML
	// Summary is each issue's forecast in words, for a forecast run.
	Summary      []IssueSummary
	SummaryRange bool // some issue cycles or did not settle
	// Interval is the summary of an issue with an interval (its draws and
	// seed), nil when none has one.
	Interval *IssueSummary
	Strategy *strategyView
}

type issueView struct {
	Issue   *scenario.Issue
	Anchors []scenario.Anchor
	Actors  []actorRow
	// Trajectory chart and legend, when the run has rounds.
	Chart, Legend template.HTML
	Forecast      string
	Stopped       string
	Rounds        int
	// Ends says how the forecast ended (Settlement), "" for a static
	// model; Cycling marks a cycle or an unsettled run.
	Ends    string
	Cycling bool
}

type actorRow struct {
	Name, Kind                     string
	Capability, Position, Salience string
	// NoteFrom to NoteTo are the numbers of the evidence notes behind the
	// row (consecutive; 0 when there are none).
	NoteFrom, NoteTo int
}

type evidenceNote struct {
	N                    int
	Actor, What, Source  string
	Paragraph            int
	Text, Note, SourceID string
}

type outcomeView struct {
	Outcome
	Title                       string
	P5, P25, P50, P75, P95, Avg string
	BandChart, HistChart        template.HTML
}

type sensView struct {
	Issue string
	Chart template.HTML
	Cols  []string
	Rows  []sensRow
}

type sensRow struct {
	Input  string
	Values []string
}

// HTML writes the page as one self-contained HTML document: inline CSS,
// inline SVG charts, no scripts and no external resources.
func HTML(w io.Writer, p *Page) error {
	v := &view{Page: p, Params: paramString(p.Run.Params)}
	if p.Forecast != nil && p.Scenario != nil {
		c := *p
		c.Forecast = settled(p.Scenario, p.Forecast)
		v.Page, p = &c, &c
	}
	v.Title = fmt.Sprintf("Parley run %d", p.Run.ID)
	if sc := p.Scenario; sc != nil {
		v.Title += ": " + sc.Name
		if sc.Title != "" {
			v.Title = fmt.Sprintf("Parley run %d: %s", p.Run.ID, sc.Title)
		}
		v.Sources = sc.Sources
		v.Issues, v.Evidence = scenarioViews(sc, p.Forecast)
	} else if p.Forecast != nil {
		for _, ir := range p.Forecast.Issues {
			is := &scenario.Issue{ID: ir.ID, Name: ir.Name, Min: math.NaN(), Max: math.NaN()}
			v.Issues = append(v.Issues, trajectory(nil, is, &ir))
		}
	}
	if p.Forecast != nil {
		sc := p.Scenario
		if sc == nil {
			sc = &scenario.Scenario{}
		}
		v.Summary = Summaries(sc, p.Forecast)
		for i, s := range v.Summary {
			v.SummaryRange = v.SummaryRange || s.Kind == result.Cycle || s.Kind == result.Unsettled
			if s.Interval != "" && v.Interval == nil {
				v.Interval = &v.Summary[i]
			}
		}
	}
	for _, o := range p.Outcomes {
		v.Outcomes = append(v.Outcomes, outcomeViewOf(p.Scenario, o))
	}
	for _, t := range p.Sensitivity {
		sv := sensitivityView(t.Rows)
		sv.Issue = t.Issue
		v.Sens = append(v.Sens, sv)
	}
	if len(p.Stages) > 0 {
		var steps []svg.Step
		for _, s := range p.Stages {
			steps = append(steps, svg.Step{Label: s.Name, Detail: s.Detail, Mark: s.Final})
		}
		v.Timeline = template.HTML(svg.Timeline{Title: "Process timeline", Steps: steps}.SVG())
	}
	if len(p.Recognition) > 0 {
		s := svg.Series{Name: "recognising states"}
		band := true
		for _, pt := range p.Recognition {
			s.X = append(s.X, pt.T)
			s.Y = append(s.Y, pt.Value)
			if pt.Lo == nil || pt.Hi == nil {
				band = false
				continue
			}
			s.Lo = append(s.Lo, *pt.Lo)
			s.Hi = append(s.Hi, *pt.Hi)
		}
		if !band {
			s.Lo, s.Hi = nil, nil
		}
		v.RecChart = template.HTML(svg.LineChart{Title: "Recognition curve", XLabel: p.RecognitionX, YLabel: "recognising states", Series: []svg.Series{s}}.SVG())
	}
	sv, err := strategyViews(p.Scenario, p.Strategy)
	if err != nil {
		return err
	}
	v.Strategy = sv
	return tmpl.Execute(w, v)
}

func paramString(p map[string]param.Value) string {
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, k+" = "+p[k].String())
	}
	return strings.Join(parts, ", ")
}

// scenarioViews lays out each issue's actors with numbered evidence notes,
// and the trajectory chart when the run has one.
func scenarioViews(sc *scenario.Scenario, fc *result.Result) ([]issueView, []evidenceNote) {
	var notes []evidenceNote
	cite := func(actor, what string, n scenario.Number) []int {
		var ids []int
		for _, e := range n.Evidence {
			en := evidenceNote{N: len(notes) + 1, Actor: actor, What: what, SourceID: e.Source, Paragraph: e.Paragraph, Text: e.Text, Note: n.Note}
			if src := source(sc, e.Source); src != nil {
				en.Source = strings.Trim(strings.Join([]string{src.Outlet, src.Date}, ", "), ", ")
			}
			if en.Source == "" {
				en.Source = e.Source
			}
			notes = append(notes, en)
			ids = append(ids, en.N)
		}
		return ids
	}
	smax := sc.SalienceMax()
	var out []issueView
	for i := range sc.Issues {
		is := &sc.Issues[i]
		iv := issueView{Issue: is, Anchors: is.SortedAnchors()}
		for _, a := range sc.Actors {
			st, ok := a.Stances[is.ID]
			if !ok {
				continue
			}
			row := actorRow{Name: a.DisplayName(), Kind: a.Kind, Capability: Num(a.CapabilityOn(is.ID)),
				Position: Num(st.Position.Value), Salience: Num(st.Salience.Value * 100 / smax)}
			var ns []int
			ns = append(ns, cite(a.DisplayName(), "capability", a.Capability)...)
			ns = append(ns, cite(a.DisplayName(), "capability on "+is.ID, st.Capability)...)
			ns = append(ns, cite(a.DisplayName(), "position on "+is.ID, st.Position)...)
			ns = append(ns, cite(a.DisplayName(), "salience on "+is.ID, st.Salience)...)
			if len(ns) > 0 {
				row.NoteFrom, row.NoteTo = ns[0], ns[len(ns)-1]
			}
			iv.Actors = append(iv.Actors, row)
		}
		if fc != nil {
			for k := range fc.Issues {
				if fc.Issues[k].ID == is.ID {
					t := trajectory(sc, is, &fc.Issues[k])
					iv.Chart, iv.Legend, iv.Forecast, iv.Stopped, iv.Rounds, iv.Ends, iv.Cycling = t.Chart, t.Legend, t.Forecast, t.Stopped, t.Rounds, t.Ends, t.Cycling
				}
			}
		}
		out = append(out, iv)
	}
	return out, notes
}

func source(sc *scenario.Scenario, id string) *scenario.Source {
	for i := range sc.Sources {
		if sc.Sources[i].ID == id {
			return &sc.Sources[i]
		}
	}
	return nil
}

// trajectory draws every actor's position per round, and the forecast.
func trajectory(sc *scenario.Scenario, is *scenario.Issue, ir *result.Issue) issueView {
	iv := issueView{Issue: is, Stopped: ir.Stopped, Forecast: Num(ir.Forecast)}
	if len(ir.Rounds) == 0 {
		return iv
	}
	iv.Rounds = ir.Final().Round
	iv.Ends = Settlement(ir.Settlement, iv.Rounds)
	iv.Cycling = ir.Settlement != nil && ir.Settlement.Kind != result.Fixed
	if sc != nil {
		if place := Place(is, ir.Forecast); place != "" {
			iv.Forecast += " (" + place + ")"
		}
	}
	ids := make([]string, 0, len(ir.Rounds[0].Positions))
	for id := range ir.Rounds[0].Positions {
		ids = append(ids, id)
	}
	order := map[string]int{}
	if sc != nil {
		for i, a := range sc.Actors {
			order[a.ID] = i
		}
	}
	sort.Slice(ids, func(a, b int) bool {
		oa, okA := order[ids[a]]
		ob, okB := order[ids[b]]
		if okA && okB && oa != ob {
			return oa < ob
		}
		if okA != okB {
			return okA
		}
		return ids[a] < ids[b]
	})
	chart := svg.LineChart{Title: "Trajectory of " + is.DisplayName(), XLabel: "round", YLabel: "position"}
	if !math.IsNaN(is.Min) && is.Max > is.Min {
		chart.YMin, chart.YMax = is.Min, is.Max
	}
	fs := svg.Series{Name: "forecast", Bold: true}
	for _, r := range ir.Rounds {
		fs.X = append(fs.X, float64(r.Round))
		fs.Y = append(fs.Y, r.Forecast)
	}
	chart.Series = append(chart.Series, fs)
	names := []string{"forecast"}
	for _, id := range ids {
		s := svg.Series{Name: id}
		if sc != nil {
			s.Name = name(sc, id)
		}
		for _, r := range ir.Rounds {
			v, ok := r.Positions[id]
			if !ok {
				v = math.NaN()
			}
			s.X = append(s.X, float64(r.Round))
			s.Y = append(s.Y, v)
		}
		chart.Series = append(chart.Series, s)
		names = append(names, s.Name)
	}
	iv.Chart = template.HTML(chart.SVG())
	iv.Legend = template.HTML(svg.Legend(names))
	return iv
}

func outcomeViewOf(sc *scenario.Scenario, o Outcome) outcomeView {
	ov := outcomeView{Outcome: o, Title: o.ID}
	if o.Name != "" && o.Name != o.ID {
		ov.Title = o.Name + " (" + o.ID + ")"
	}
	q := func(k string) string {
		if v, ok := o.Quantiles[k]; ok {
			return Num(v)
		}
		return "-"
	}
	ov.P5, ov.P25, ov.P50, ov.P75, ov.P95 = q("5"), q("25"), q("50"), q("75"), q("95")
	ov.Avg = "-"
	if o.Mean != nil {
		ov.Avg = Num(*o.Mean)
	}
	if len(o.Bands) > 0 {
		labels := make([]string, 0, len(o.Bands))
		for l := range o.Bands {
			labels = append(labels, l)
		}
		// Bands in the order of the scale's anchors when known.
		pos := map[string]float64{}
		if sc != nil {
			if is := sc.Issue(o.ID); is != nil {
				for _, a := range is.Anchors {
					pos[a.Label] = a.Value
				}
			}
		}
		sort.Slice(labels, func(i, j int) bool {
			pi, oki := pos[labels[i]]
			pj, okj := pos[labels[j]]
			if oki && okj && pi != pj {
				return pi < pj
			}
			return labels[i] < labels[j]
		})
		var bars []svg.Bar
		for _, l := range labels {
			bars = append(bars, svg.Bar{Label: l, Value: o.Bands[l]})
		}
		ov.BandChart = template.HTML(svg.BarChart{Title: "Probability of each band of the scale", XLabel: "share of draws", Horizontal: true, LabelWidth: 230, Bars: bars}.SVG())
	}
	if len(o.Histogram) > 0 {
		var bars []svg.Bar
		for _, b := range o.Histogram {
			bars = append(bars, svg.Bar{Label: svg.FormatNum(b.From), Value: b.Count})
		}
		ov.HistChart = template.HTML(svg.BarChart{Title: "Histogram of the forecast", XLabel: "forecast (bin start)", YLabel: "draws", Touching: true, Bars: bars}.SVG())
	}
	return ov
}

func sensitivityView(rows []SensitivityRow) sensView {
	key := rankMeasure(rows)
	sorted := append([]SensitivityRow(nil), rows...)
	sort.SliceStable(sorted, func(i, j int) bool {
		a, b := measure(sorted[i], key), measure(sorted[j], key)
		if math.IsNaN(b) {
			return !math.IsNaN(a)
		}
		return a > b
	})
	var cols []string
	seen := map[string]bool{}
	for _, r := range sorted {
		for _, m := range r.Measures {
			if !seen[m.Name] {
				seen[m.Name] = true
				cols = append(cols, m.Name)
			}
		}
	}
	var bars []svg.Bar
	var out []sensRow
	for _, r := range sorted {
		bars = append(bars, svg.Bar{Label: r.Input, Value: math.Abs(measure(r, key))})
		row := sensRow{Input: r.Input}
		for _, c := range cols {
			v := measure(r, c)
			if math.IsNaN(v) {
				row.Values = append(row.Values, "-")
			} else {
				row.Values = append(row.Values, svg.FormatNum(v))
			}
		}
		out = append(out, row)
	}
	chart := svg.BarChart{Title: "Inputs ranked by " + key, XLabel: "|" + key + "|", Horizontal: true, LabelWidth: 230, Bars: bars}
	return sensView{Chart: template.HTML(chart.SVG()), Cols: cols, Rows: out}
}
