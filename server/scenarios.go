package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/parley-project/parley/export"
	"github.com/parley-project/parley/process"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/scenarios"
	"github.com/parley-project/parley/store"
)

// problemsOf returns the scenario problems an error carries, or nil.
func problemsOf(err error) scenario.Problems {
	var ps scenario.Problems
	if errors.As(err, &ps) {
		return ps
	}
	return nil
}

// writeProblems answers 422 with the scenario's problems, each with file,
// line and field as 'parley validate' prints them.
func writeProblems(w http.ResponseWriter, ps scenario.Problems) {
	writeJSON(w, http.StatusUnprocessableEntity, apiError{Error: "invalid scenario:\n" + ps.Error(), Problems: ps})
}

// validName is what a stored scenario may be called (it is also a URL
// path segment and a file name on export).
var validName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$`)

// scenarioInfo is a line of the scenario list.
type scenarioInfo struct {
	Name    string `json:"name"`
	Title   string `json:"title,omitempty"`
	Builtin bool   `json:"builtin"`
	Version int64  `json:"version,omitempty"`
	Issues  int    `json:"issues"`
	Actors  int    `json:"actors"`
	Updated string `json:"updated,omitempty"`
	Error   string `json:"error,omitempty"`
}

// scenarioDoc is a scenario as the API reads and writes it.
type scenarioDoc struct {
	Name     string             `json:"name"`
	Builtin  bool               `json:"builtin"`
	Version  int64              `json:"version"`
	Scenario *scenario.Scenario `json:"scenario"`
}

// builtinNames are the built-in scenarios' names, compiled into the
// binary: listed once rather than on every request that names a scenario.
var builtinNames = sync.OnceValue(scenarios.Names)

func isBuiltin(name string) bool { return slices.Contains(builtinNames(), name) }

// builtins holds the built-in scenarios, parsed once: they are compiled
// into the binary and never change, and the code that runs models only
// reads a scenario (a sweep perturbs copies).
var builtins sync.Map // name → builtinEntry

type builtinEntry struct {
	sc  *scenario.Scenario
	err error
	// doc is the answer of GET /scenarios/{name}, encoded once.
	doc []byte
}

func builtinDoc(name string) builtinEntry {
	if e, ok := builtins.Load(name); ok {
		return e.(builtinEntry)
	}
	e := builtinEntry{}
	e.sc, e.err = scenarios.Get(name)
	if e.err == nil {
		e.doc, e.err = json.Marshal(scenarioDoc{Name: name, Builtin: true, Scenario: e.sc})
	}
	builtins.Store(name, e)
	return e
}

func builtin(name string) (*scenario.Scenario, error) {
	e := builtinDoc(name)
	return e.sc, e.err
}

// loadScenario finds a scenario by name: a stored one, else a built-in,
// with the further checks given (see scenario.Parse). Files on the
// server's disk are never read.
func (s *Server) loadScenario(r *http.Request, name string, checks ...scenario.Check) (*scenario.Scenario, int64, bool, error) {
	st, err := s.scen.Scenario(r.Context(), name)
	if err == nil {
		sc, err := s.parse(r.Context(), []byte(st.Source), name+".json", checks...)
		return sc, st.Version, false, err
	}
	if !errors.Is(err, store.ErrNoScenario) || !isBuiltin(name) {
		return nil, 0, false, err
	}
	var sc *scenario.Scenario
	if len(checks) > 0 {
		sc, err = scenarios.Get(name, checks...)
	} else {
		sc, err = builtin(name)
	}
	return sc, 0, true, err
}

// parse reads a scenario within the server's limits, holding its size of
// the parse budget meanwhile (errBusy when there is no room).
func (s *Server) parse(ctx context.Context, data []byte, file string, checks ...scenario.Check) (*scenario.Scenario, error) {
	release, err := s.parses.acquire(ctx, len(data))
	if err != nil {
		return nil, err
	}
	defer release()
	return s.cfg.Limits.Parse(data, file, checks...)
}

// summary is what the list of scenarios shows of a scenario, or of the
// error reading it.
func summary(sc *scenario.Scenario, err error) store.Summary {
	if err != nil {
		return store.Summary{Error: err.Error()}
	}
	return store.Summary{Title: sc.Title, Issues: len(sc.Issues), Actors: len(sc.Actors)}
}

// scenarioError writes the response for an error of loadScenario.
func (s *Server) scenarioError(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, errBusy):
		busy(w)
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		writeError(w, http.StatusServiceUnavailable, errors.New("request timed out; nothing was stored"))
	case problemsOf(err) != nil:
		writeProblems(w, problemsOf(err))
	case errors.Is(err, store.ErrNoScenario):
		writeError(w, http.StatusNotFound, err)
	case errors.Is(err, store.ErrConflict):
		writeError(w, http.StatusConflict, err)
	default:
		s.internal(w, err)
	}
}

func (s *Server) listScenarios(w http.ResponseWriter, r *http.Request) {
	var out []scenarioInfo
	for _, name := range builtinNames() {
		info := scenarioInfo{Name: name, Builtin: true}
		if sc, err := builtin(name); err != nil {
			info.Error = err.Error()
		} else {
			info.Title, info.Issues, info.Actors = sc.Title, len(sc.Issues), len(sc.Actors)
		}
		out = append(out, info)
	}
	stored, err := s.scen.Scenarios(r.Context())
	if err != nil {
		s.internal(w, err)
		return
	}
	for _, st := range stored {
		info := scenarioInfo{Name: st.Name, Version: st.Version, Updated: st.Updated.Format("2006-01-02 15:04:05Z")}
		sum := st.Summary
		if sum == nil {
			// Saved before the store kept summaries: read it once.
			sum = s.backfill(r.Context(), st)
		}
		info.Title, info.Issues, info.Actors, info.Error = sum.Title, sum.Issues, sum.Actors, sum.Error
		out = append(out, info)
	}
	writeJSON(w, http.StatusOK, out)
}

// backfill reads a stored scenario saved without a summary and records
// its summary, so that it is read only once.
func (s *Server) backfill(ctx context.Context, st store.StoredScenario) *store.Summary {
	full, err := s.scen.Scenario(ctx, st.Name)
	if err != nil {
		return &store.Summary{Error: s.logInternal(err).Error()}
	}
	sc, err := s.parse(ctx, []byte(full.Source), st.Name+".json")
	if errors.Is(err, errBusy) {
		return &store.Summary{Error: err.Error()}
	}
	sum := summary(sc, err)
	if err := s.scen.SetSummary(ctx, st.Name, full.Version, sum); err != nil {
		s.logInternal(err)
	}
	return &sum
}

// canonical validates a scenario and returns the source text stored for
// it: Parley JSON, indented so that problems found later carry lines. The
// request that saves it already holds its room in the parse budget.
func (s *Server) canonical(sc *scenario.Scenario, file string) (*scenario.Scenario, []byte, error) {
	data, err := json.MarshalIndent(sc, "", "  ")
	if err != nil {
		return nil, nil, err
	}
	parsed, err := s.cfg.Limits.Parse(data, file)
	if err != nil {
		return nil, nil, err
	}
	return parsed, data, nil
}

// checkName refuses names the store cannot take.
func checkName(name string) error {
	if !validName.MatchString(name) {
		return scenario.Problems{{Field: "name", Msg: fmt.Sprintf("%q: a name is 1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit", name)}}
	}
	if isBuiltin(name) {
		return scenario.Problems{{Field: "name", Msg: fmt.Sprintf("%q is a built-in scenario; save the copy under another name", name)}}
	}
	return nil
}

// save validates and stores a scenario, and answers with it. Everything
// that takes time (validation, the answer's encoding) comes before the
// one transaction, which commits only while the request has time left to
// answer: a request that times out stores nothing. A scenario that
// scenario.Parse read (an import) is stored as Parley JSON without being
// read again: the second reading took four times the memory of the
// first.
func (s *Server) save(w http.ResponseWriter, r *http.Request, sc *scenario.Scenario, version int64, status int, parsed bool) {
	if err := checkName(sc.Name); err != nil {
		s.scenarioError(w, err)
		return
	}
	var data []byte
	var err error
	if parsed {
		data, err = json.MarshalIndent(sc, "", "  ")
	} else {
		sc, data, err = s.canonical(sc, sc.Name+".json")
	}
	if err != nil {
		s.scenarioError(w, err)
		return
	}
	var body bytes.Buffer
	if err := json.Compact(&body, data); err != nil {
		s.internal(w, err)
		return
	}
	if s.encoded != nil {
		s.encoded()
	}
	ctx, cancel := answerBy(r.Context())
	defer cancel()
	v, err := s.scen.SaveScenario(ctx, sc.Name, string(data), summary(sc, nil), version)
	if err != nil {
		s.scenarioError(w, err)
		return
	}
	name, _ := json.Marshal(sc.Name)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"name":%s,"builtin":false,"version":%d,"scenario":`, name, v)
	w.Write(body.Bytes())
	w.Write([]byte("}\n"))
}

// answerBy is the request's context with its deadline brought forward by
// the time an answer takes to write (a quarter of the time left, at most
// a quarter of a second): a write that commits by then is answered
// before the request times out.
func answerBy(ctx context.Context) (context.Context, context.CancelFunc) {
	dl, ok := ctx.Deadline()
	if !ok {
		return context.WithCancel(ctx)
	}
	return context.WithDeadline(ctx, dl.Add(-min(250*time.Millisecond, time.Until(dl)/4)))
}

// decodeScenarioDoc reads a request body that must hold a scenario. A
// scenario that does not decode (a string or a fraction where its type
// wants a whole number, an unknown field) is answered as the validator
// answers: 422 with each problem at its field, so that the editor shows
// it beside the input.
func (s *Server) decodeScenarioDoc(w http.ResponseWriter, r *http.Request) (scenarioDoc, bool) {
	var doc scenarioDoc
	if !requireJSON(w, r) {
		return doc, false
	}
	data, release, ok := s.readRaw(w, r)
	if !ok {
		return doc, false
	}
	defer release()
	if err := strictDecode(bytes.NewReader(data), &doc); err != nil {
		if ps := s.scenarioBodyProblems(data); ps != nil {
			writeProblems(w, ps)
		} else {
			badBody(w, err)
		}
		return doc, false
	}
	if doc.Scenario == nil {
		writeError(w, http.StatusBadRequest, errors.New("request body: no scenario"))
		return doc, false
	}
	return doc, true
}

// scenarioBodyProblems locates what is wrong with the scenario of a body
// {"version": N, "scenario": {...}} whose envelope is sound: the scenario,
// indented so that each value has its line, goes through the parser
// 'parley validate' uses, which names the field of every problem. It
// returns nil when the envelope itself is at fault or the parser finds
// nothing.
func (s *Server) scenarioBodyProblems(data []byte) scenario.Problems {
	var env struct {
		Name     string          `json:"name"`
		Builtin  bool            `json:"builtin"`
		Version  int64           `json:"version"`
		Scenario json.RawMessage `json:"scenario"`
	}
	if strictDecode(bytes.NewReader(data), &env) != nil || len(env.Scenario) == 0 {
		return nil
	}
	var named struct {
		Name string `json:"name"`
	}
	json.Unmarshal(env.Scenario, &named)
	file := "scenario.json"
	if validName.MatchString(named.Name) {
		file = named.Name + ".json"
	}
	var indented bytes.Buffer
	if json.Indent(&indented, env.Scenario, "", "  ") != nil {
		return nil
	}
	_, err := s.cfg.Limits.Parse(indented.Bytes(), file)
	return problemsOf(err)
}

// POST /scenarios: body {"scenario": {...}} (Parley's JSON form).
func (s *Server) createScenario(w http.ResponseWriter, r *http.Request) {
	doc, ok := s.decodeScenarioDoc(w, r)
	if !ok {
		return
	}
	s.save(w, r, doc.Scenario, 0, http.StatusCreated, false)
}

// PUT /scenarios/{name}: body {"version": N, "scenario": {...}}; the
// version is the one read, so a concurrent edit is refused (409).
func (s *Server) updateScenario(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	doc, ok := s.decodeScenarioDoc(w, r)
	if !ok {
		return
	}
	if doc.Scenario.Name != name {
		s.scenarioError(w, scenario.Problems{{Field: "name", Msg: fmt.Sprintf("the scenario is called %q but is saved as %q; rename by creating a copy", doc.Scenario.Name, name)}})
		return
	}
	if doc.Version == 0 {
		writeError(w, http.StatusBadRequest, errors.New("request body: version (the one read) is required to update"))
		return
	}
	s.save(w, r, doc.Scenario, doc.Version, http.StatusOK, false)
}

func (s *Server) getScenario(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	// A stored scenario never takes a built-in's name (checkName).
	if isBuiltin(name) {
		if e := builtinDoc(name); e.err == nil {
			w.Header().Set("Content-Type", "application/json")
			w.Write(append(e.doc, '\n'))
			return
		}
	}
	sc, v, builtin, err := s.loadScenario(r, name)
	if err != nil {
		s.scenarioError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, scenarioDoc{Name: name, Builtin: builtin, Version: v, Scenario: sc})
}

func (s *Server) deleteScenario(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if isBuiltin(name) {
		if _, err := s.scen.Scenario(r.Context(), name); err != nil {
			writeError(w, http.StatusConflict, fmt.Errorf("%q is a built-in scenario and cannot be deleted", name))
			return
		}
	}
	if err := s.scen.DeleteScenario(r.Context(), name); err != nil {
		s.scenarioError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// readRaw reads a whole request body (a scenario file of any format),
// after taking its size of the parse budget (the whole limit when the
// size is not announced) for reading it and what is made of it; the
// caller releases it when done.
func (s *Server) readRaw(w http.ResponseWriter, r *http.Request) ([]byte, func(), bool) {
	size := r.ContentLength
	if size < 0 {
		size = s.cfg.MaxBody
	}
	release, err := s.parses.acquire(r.Context(), int(min(size, s.cfg.MaxBody)))
	if err != nil {
		busy(w)
		return nil, nil, false
	}
	data, err := io.ReadAll(r.Body)
	if err != nil {
		release()
		badBody(w, err)
		return nil, nil, false
	}
	return data, release, true
}

// POST /scenarios/validate: body is a scenario file of any format; the
// answer lists its problems as 'parley validate' does, or, when there are
// none, gives the scenario as read.
func (s *Server) validateScenario(w http.ResponseWriter, r *http.Request) {
	data, release, ok := s.readRaw(w, r)
	if !ok {
		return
	}
	defer release()
	file := fileName(r)
	sc, err := s.cfg.Limits.Parse(data, file, process.Check(s.cfg.Registry))
	out := map[string]any{"valid": err == nil, "format": scenario.Detect(data)}
	if err != nil {
		ps := problemsOf(err)
		if ps == nil {
			ps = scenario.Problems{{File: file, Msg: err.Error()}}
		}
		out["problems"] = ps
	} else {
		// The scenario as read, in Parley's JSON form: the editor's YAML
		// pane takes its sections from it.
		out["summary"], out["scenario"] = sc.String(), sc
		if len(sc.Warnings) > 0 {
			// What the reader left out of the file, as the file's own
			// program would (a Decide actor without #D rows).
			out["warnings"] = sc.Warnings
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// fileName is the name a raw upload is given in messages (?file=).
func fileName(r *http.Request) string {
	if f := r.URL.Query().Get("file"); f != "" {
		return f
	}
	return "upload"
}

// importExt is the usual file extension of each format Parley reads.
var importExt = map[string]string{
	scenario.FormatYAML: ".yaml", scenario.FormatJSON: ".json", scenario.FormatBDMCSV: ".csv",
	scenario.FormatKTAB: ".csv", scenario.FormatKTABXML: ".xml", scenario.FormatDecide: ".txt",
}

// POST /scenarios/import[?name=N]: body is a scenario file of any format
// Parley reads (YAML, JSON, BDM CSV, KTAB CSV, KTAB XML, Decide); it is
// stored under ?name or the scenario's own name. ?file= names the upload in
// messages and, for BDM CSV and Decide, names the issue; without it, ?name
// does.
func (s *Server) importScenario(w http.ResponseWriter, r *http.Request) {
	data, release, ok := s.readRaw(w, r)
	if !ok {
		return
	}
	defer release()
	name := r.URL.Query().Get("name")
	file := fileName(r)
	if r.URL.Query().Get("file") == "" && name != "" {
		// Formats without a name of their own (BDM CSV, Decide) name the
		// scenario and a BDM file's single issue after the file: with no
		// ?file=, that is the name the upload is stored under.
		file = name + importExt[scenario.Detect(data)]
	}
	sc, err := s.cfg.Limits.Parse(data, file)
	if err != nil {
		s.scenarioError(w, err)
		return
	}
	if name != "" {
		sc.Name = name
	}
	s.save(w, r, sc, 0, http.StatusCreated, true)
}

// exportFormats are the formats GET /scenarios/{name}/export writes:
// Parley's own YAML and JSON, then scenario.Exporters ('parley export').
var exportFormats = append([]scenario.Exporter{
	{Name: "yaml", ContentType: "application/yaml", Ext: "yaml",
		Write: func(w io.Writer, sc *scenario.Scenario, _ string) error { return scenario.WriteYAML(w, sc) }},
	{Name: "json", ContentType: "application/json", Ext: "json", Write: func(w io.Writer, sc *scenario.Scenario, _ string) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(sc)
	}},
}, scenario.Exporters...)

func (s *Server) listFormats(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"import": []string{scenario.FormatYAML, scenario.FormatJSON, scenario.FormatBDMCSV, scenario.FormatKTAB, scenario.FormatKTABXML, scenario.FormatDecide},
		"export": exportFormats,
	})
}

func (s *Server) exportScenario(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "yaml"
	}
	i := slices.IndexFunc(exportFormats, func(f scenario.Exporter) bool { return f.Name == format })
	if i < 0 {
		names := make([]string, len(exportFormats))
		for k, f := range exportFormats {
			names[k] = f.Name
		}
		writeError(w, http.StatusBadRequest, fmt.Errorf("format %q: want one of %v", format, names))
		return
	}
	sc, _, _, err := s.loadScenario(r, name)
	if err != nil {
		s.scenarioError(w, err)
		return
	}
	f := exportFormats[i]
	var buf bytes.Buffer
	if i < len(exportFormats)-len(scenario.Exporters) {
		// Parley's own formats hold everything.
		if err := f.Write(&buf, sc, r.URL.Query().Get("issue")); err != nil {
			writeError(w, http.StatusUnprocessableEntity, err)
			return
		}
	} else {
		opt := export.Options{Issue: r.URL.Query().Get("issue"), File: name + "." + f.Ext, Models: s.cfg.Registry}
		if kw := r.URL.Query().Get("keep_weights"); kw != "" {
			if opt.KeepWeights, err = strconv.ParseBool(kw); err != nil {
				writeError(w, http.StatusBadRequest, fmt.Errorf("keep_weights %q: want true or false", kw))
				return
			}
		}
		rep, err := export.Write(r.Context(), &buf, sc, f, opt)
		if err != nil {
			writeError(w, http.StatusUnprocessableEntity, err)
			return
		}
		// What the file loses, one header per line (RFC 2047 encoded
		// words where a line is not ASCII), as 'parley export' prints it.
		for _, line := range rep.Lines() {
			w.Header().Add("Parley-Export-Warning", mime.QEncoding.Encode("utf-8", line))
		}
	}
	w.Header().Set("Content-Type", f.ContentType)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.%s"`, name, f.Ext))
	w.Write(buf.Bytes())
}
