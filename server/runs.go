package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/parley-project/parley/internal/plural"
	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/model/registry"
	"github.com/parley-project/parley/report"
	"github.com/parley-project/parley/run"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/store"
	"github.com/parley-project/parley/sweep"
)

// modelDoc is a model in GET /models: model.Info with JSON names.
type modelDoc struct {
	Name        string     `json:"name"`
	Description string     `json:"description"`
	Variants    []namedDoc `json:"variants"`
	Params      []paramDoc `json:"params"`
	Rounds      int        `json:"rounds"`
	// Default marks the model a request without one runs.
	Default bool `json:"default,omitempty"`
}

type namedDoc struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

// paramDoc is a model.Param in GET /models: its kind, range or values,
// default (absent for an optional parameter, whose unset says what the
// model does without it) and the allowed values in words.
type paramDoc struct {
	Name        string      `json:"name"`
	Kind        string      `json:"kind"`
	Default     model.Value `json:"default,omitzero"`
	Unset       string      `json:"unset,omitempty"`
	Min         *float64    `json:"min,omitempty"`
	Max         *float64    `json:"max,omitempty"`
	Values      []enumDoc   `json:"values,omitempty"`
	Allowed     string      `json:"allowed"`
	Description string      `json:"description"`
}

// enumDoc is a value of an enumeration parameter.
type enumDoc struct {
	Name    string   `json:"name"`
	Code    int      `json:"code"`
	Aliases []string `json:"aliases,omitempty"`
}

func newParamDoc(p model.Param) paramDoc {
	d := paramDoc{Name: p.Name, Kind: p.Kind.String(), Default: p.Default, Unset: p.Unset, Allowed: p.Allowed(), Description: p.Description}
	finite := func(x float64) *float64 {
		if math.IsInf(x, 0) {
			return nil
		}
		return &x
	}
	if p.Kind == model.Float || p.Kind == model.Int {
		d.Min, d.Max = finite(p.Min), finite(p.Max)
	}
	for _, v := range p.Values {
		d.Values = append(d.Values, enumDoc{v.Name, v.Code, v.Aliases})
	}
	return d
}

func (s *Server) listModels(w http.ResponseWriter, _ *http.Request) {
	out := []modelDoc{}
	for _, m := range s.cfg.Registry.All() {
		info := m.Info()
		d := modelDoc{Name: info.Name, Description: info.Description, Rounds: info.Rounds, Variants: []namedDoc{}, Params: []paramDoc{},
			Default: info.Name == registry.DefaultModel}
		for _, v := range info.Variants {
			d.Variants = append(d.Variants, namedDoc{v.Name, v.Description})
		}
		for _, p := range info.Params {
			d.Params = append(d.Params, newParamDoc(p))
		}
		out = append(out, d)
	}
	writeJSON(w, http.StatusOK, out)
}

// env is the run layer's environment of the server's runs: its registry,
// code version and bounds on the draws (--max-draws, --max-interval-draws;
// a run uses every CPU, a backtest one).
func (s *Server) env() run.Env {
	return run.Env{Registry: s.cfg.Registry, CodeVersion: s.cfg.CodeVersion, MaxDraws: s.cfg.MaxDraws, MaxIntervalDraws: s.cfg.MaxIntervalDraws}
}

// runFailed answers a request whose run the run layer refused (400, or
// 422 for values the model's declaration refused) or that could not
// finish in the request's time (503); any other error is internal (500,
// its detail logged).
func (s *Server) runFailed(w http.ResponseWriter, r *http.Request, err error) {
	var re *run.RequestError
	switch {
	case r.Context().Err() != nil:
		writeError(w, http.StatusServiceUnavailable, r.Context().Err())
	case errors.As(err, &re) && re.Refused:
		writeError(w, http.StatusUnprocessableEntity, err)
	case errors.As(err, &re):
		writeError(w, http.StatusBadRequest, err)
	default:
		s.internal(w, err)
	}
}

// scenarioRef is what a run request runs on: a scenario by name, or
// the scenario an earlier run ran (its snapshot), as a what-if from a
// result page asks, so that later edits of the scenario do not change the
// comparison.
type scenarioRef struct {
	Scenario string `json:"scenario"`
	// BaseRun, when not 0, is the run whose snapshot the request runs on;
	// Scenario is then its scenario's name (and may be left out).
	BaseRun int64 `json:"base_run,omitempty"`
}

// decodeRun decodes a run request into req, which holds the spec's
// defaults, and loads the scenario ref names once decoded, with the
// checks (made from the decoded request), answering the request when
// either fails.
func (s *Server) decodeRun(w http.ResponseWriter, r *http.Request, req any, ref *scenarioRef, checks ...func() scenario.Check) (*scenario.Scenario, bool) {
	if !decode(w, r, req) {
		return nil, false
	}
	cs := make([]scenario.Check, len(checks))
	for i, c := range checks {
		cs[i] = c()
	}
	if ref.BaseRun != 0 {
		return s.snapshotOf(w, r, ref, cs...)
	}
	return s.scenarioOf(w, r, ref.Scenario, cs...)
}

// scenarioOf loads the scenario a run request names, answering the
// request when it cannot.
func (s *Server) scenarioOf(w http.ResponseWriter, r *http.Request, name string, checks ...scenario.Check) (*scenario.Scenario, bool) {
	if name == "" {
		writeError(w, http.StatusBadRequest, errors.New("request body: scenario is required"))
		return nil, false
	}
	sc, _, _, err := s.loadScenario(r, name, checks...)
	if err != nil {
		s.scenarioError(w, err)
		return nil, false
	}
	return sc, true
}

// snapshotOf loads the scenario run ref.BaseRun ran, with the checks, and
// sets ref.Scenario to its name.
func (s *Server) snapshotOf(w http.ResponseWriter, r *http.Request, ref *scenarioRef, checks ...scenario.Check) (*scenario.Scenario, bool) {
	typed, err := run.Get(r.Context(), s.cfg.Store, ref.BaseRun)
	if errors.Is(err, store.ErrNotFound) {
		writeError(w, http.StatusBadRequest, fmt.Errorf("base_run: no run %d", ref.BaseRun))
		return nil, false
	}
	if err != nil {
		s.internal(w, err)
		return nil, false
	}
	h := typed.Head()
	switch {
	case h.Snapshot == nil:
		writeError(w, http.StatusBadRequest, fmt.Errorf("base_run: run %d keeps no scenario", ref.BaseRun))
		return nil, false
	case ref.Scenario != "" && ref.Scenario != h.Scenario:
		writeError(w, http.StatusBadRequest, fmt.Errorf("base_run: run %d ran scenario %q, not %q", ref.BaseRun, h.Scenario, ref.Scenario))
		return nil, false
	}
	var ps scenario.Problems
	for _, c := range checks {
		ps = append(ps, c(h.Snapshot)...)
	}
	if len(ps) > 0 {
		writeProblems(w, ps)
		return nil, false
	}
	ref.Scenario = h.Scenario
	return h.Snapshot, true
}

// The bodies of POST /runs/KIND: the scenario's name and the run layer's
// spec of the kind, whose defaults fill what the body leaves out.
type (
	forecastRequest struct {
		scenarioRef
		run.ForecastSpec
	}
	sweepRequest struct {
		scenarioRef
		run.SweepSpec
	}
	sensitivityRequest struct {
		scenarioRef
		run.SensitivitySpec
	}
	processRequest struct {
		scenarioRef
		run.ProcessSpec
	}
	recognitionRequest struct {
		scenarioRef
		run.RecognitionSpec
	}
	backtestRequest struct {
		// Data is the DEU III file's content (tab-separated, two header
		// rows); the data set is not shipped (docs/backtest.md).
		// Name names it in errors and in the report ("data").
		Data string `json:"data"`
		Name string `json:"name"`
		run.BacktestSpec
	}
)

// POST /runs/forecast runs a model at once (a forecast takes
// milliseconds, an interval of the default draws a fraction of a second)
// and stores the run; the answer is the stored run. The model runs under
// the request's context: the request timeout or the client going away
// stops it.
func (s *Server) runForecast(w http.ResponseWriter, r *http.Request) {
	req := forecastRequest{ForecastSpec: run.NewForecastSpec()}
	sc, ok := s.decodeRun(w, r, &req, &req.scenarioRef)
	if !ok {
		return
	}
	env := s.env()
	// The forecast holds (rounds + 1) × positions of the budget while it
	// runs and is saved: several long forecasts at once would otherwise
	// each hold their memory (four of kosovo-2007's 10,000 rounds: 2.4 GB).
	rounds := req.Rounds
	if _, _, set, err := req.Resolve(env.Registry); err == nil {
		rounds = set.Rounds
	}
	// A large issue's n × n work tables are charged too (the EUM's
	// scholz table is 8 bytes a cell, 800 MB at 10,000 actors; a recorded
	// position costs about 500 bytes, so 64 cells weigh one position).
	n := model.LargestIssue(sc)
	release, err := s.forecasts.acquire(r.Context(), max((rounds+1)*model.CountPositions(sc), n*n/64))
	if err != nil {
		busyWith(w, err)
		return
	}
	defer release()
	s.runNow(w, r, func() (run.Run, error) { return req.Run(r.Context(), sc, env) })
}

// runNow makes a run in the request (make runs it under the request's
// context), stores it and answers 201 with the stored run; a refused
// request answers as runFailed says.
func (s *Server) runNow(w http.ResponseWriter, r *http.Request, make func() (run.Run, error)) {
	rec, err := make()
	if err != nil {
		s.runFailed(w, r, err)
		return
	}
	if err := run.Save(r.Context(), s.cfg.Store, rec); err != nil {
		s.internal(w, err)
		return
	}
	row, err := s.cfg.Store.Get(r.Context(), rec.Head().ID)
	if err != nil {
		s.internal(w, err)
		return
	}
	doc := s.runDoc(row)
	doc.Summary = report.Findings(rec)
	writeJSON(w, http.StatusCreated, doc)
}

// jobFailed is told of a job that panicked: the stack goes to the log,
// and the stored run the job wrote, if any, is marked failed with the
// reason, so that it shows as failed rather than running forever.
func (s *Server) jobFailed(j Job, panicked error) {
	stack := ""
	var pe *PanicError
	if errors.As(panicked, &pe) {
		stack = string(pe.Stack)
	}
	s.cfg.Log.Printf("job %s (%s) failed: %v\n%s", j.ID, j.Kind, panicked, stack)
	if j.RunID == 0 {
		return
	}
	if err := s.cfg.Store.Fail(context.Background(), j.RunID, "internal error in job "+j.ID+": "+panicked.Error()); err != nil {
		s.logInternal(fmt.Errorf("marking run %d failed: %w", j.RunID, err))
	}
}

// submit queues a job and answers 202 with it, or 429 when the queue is
// full (see submitRun).
func (s *Server) submit(w http.ResponseWriter, kind string, run func(ctx context.Context, j *Job) error) {
	s.submitRun(w, kind, 0, run)
}

// submitRun queues a job that writes the stored run runID (0: a new run).
func (s *Server) submitRun(w http.ResponseWriter, kind string, runID int64, run func(ctx context.Context, j *Job) error) {
	j, err := s.jobs.SubmitRun(kind, runID, run)
	var busy *RunBusyError
	switch {
	case errors.As(err, &busy):
		writeError(w, http.StatusConflict, err)
	case errors.Is(err, ErrQueueFull):
		w.Header().Set("Retry-After", "5")
		writeError(w, http.StatusTooManyRequests, err)
	case err != nil:
		writeError(w, http.StatusServiceUnavailable, err)
	default:
		w.Header().Set("Location", "/api/v1/jobs/"+j.ID)
		c, _ := s.jobs.Get(j.ID)
		writeJSON(w, http.StatusAccepted, c)
	}
}

// submitSaved queues a job that makes a run and saves it, telling the job
// its progress and the stored run's id; with withResult the run's result
// document is also the job's result.
func (s *Server) submitSaved(w http.ResponseWriter, kind string, withResult bool, make func(ctx context.Context, env run.Env) (run.Run, error)) {
	s.submit(w, kind, func(ctx context.Context, j *Job) error {
		env := s.env()
		env.Progress = func(done, total int) { s.jobs.update(j, func(j *Job) { j.Done, j.Total = done, total }) }
		rec, err := make(ctx, env)
		if err != nil {
			return err
		}
		if err := run.Save(context.WithoutCancel(ctx), s.cfg.Store, rec); err != nil {
			return s.logInternal(err)
		}
		var doc json.RawMessage
		if withResult {
			if doc, err = run.Result(rec); err != nil {
				return err
			}
		}
		s.jobs.update(j, func(j *Job) {
			j.RunID, j.Result, j.Done, j.Total = rec.Head().ID, doc, max(j.Total, 1), max(j.Total, 1)
		})
		return nil
	})
}

// POST /runs/sweep queues a Monte Carlo sweep (package sweep, as 'parley
// sweep'); its draws are stored as they finish, so a sweep interrupted by
// a shutdown resumes with POST /runs/{id}/resume.
func (s *Server) runSweep(w http.ResponseWriter, r *http.Request) {
	req := sweepRequest{SweepSpec: run.NewSweepSpec()}
	sc, ok := s.decodeRun(w, r, &req, &req.scenarioRef)
	if !ok {
		return
	}
	cfg, err := req.Config(sc, s.env())
	var pe *sweep.ParamError
	if errors.As(err, &pe) {
		writeError(w, http.StatusBadRequest, fmt.Errorf("noise.params.%s: %w", pe.Name, pe.Err))
		return
	}
	if err != nil {
		s.runFailed(w, r, err)
		return
	}
	s.submit(w, "sweep", func(ctx context.Context, j *Job) error {
		rec, err := run.CreateSweep(ctx, s.cfg.Store, cfg, s.cfg.CodeVersion)
		if err != nil {
			return s.logInternal(err)
		}
		s.jobs.update(j, func(j *Job) { j.RunID = rec.Run.ID })
		return s.sweep(ctx, j, rec, cfg)
	})
}

// POST /runs/{id}/resume continues a stored sweep that was interrupted,
// with the settings stored with it and the draws it had finished.
func (s *Server) resumeSweep(w http.ResponseWriter, r *http.Request) {
	row, ok := s.storedRun(w, r)
	if !ok {
		return
	}
	if row.Kind == store.KindSweep && row.Status == store.StatusDone {
		writeError(w, http.StatusConflict, fmt.Errorf("run %d has already finished", row.ID))
		return
	}
	if _, busy := s.jobs.Writer(row.ID); !busy && run.Leased(row, s.now()) {
		writeError(w, http.StatusConflict, &store.LeaseError{ID: row.ID, Until: row.LeaseUntil})
		return
	}
	// LoadSweep sets the configuration's Prior to the finished draws.
	cfg, _, err := run.LoadSweep(r.Context(), s.cfg.Store, row, s.cfg.Registry)
	if err != nil {
		writeError(w, http.StatusConflict, err)
		return
	}
	s.submitRun(w, "sweep", row.ID, func(ctx context.Context, j *Job) error {
		rec, err := run.ResumeSweep(ctx, s.cfg.Store, row)
		var le *store.LeaseError
		if errors.As(err, &le) {
			return err
		} else if err != nil {
			return s.logInternal(err)
		}
		return s.sweep(ctx, j, rec, cfg)
	})
}

// sweep runs a configured sweep, reporting progress to the job; on
// cancellation the finished draws are flushed to the store and the run
// stays resumable.
func (s *Server) sweep(ctx context.Context, j *Job, rec *run.SweepRecorder, cfg sweep.Config) error {
	// A panic (a bug) unwinds past End: the lease is released all the
	// same, and the job runner marks the run failed.
	defer rec.Close()
	cfg.Sink = func(d sweep.Draw) error {
		if err := rec.Add(d); err != nil {
			return s.logInternal(err)
		}
		return nil
	}
	cfg.Progress = func(done, total int) {
		s.jobs.update(j, func(j *Job) { j.Done, j.Total = done, total })
	}
	res, runErr := sweep.Run(ctx, cfg)
	if _, err := rec.End(res, runErr); err != nil {
		return s.logInternal(err)
	}
	if runErr != nil {
		if errors.Is(runErr, sweep.ErrInterrupted) {
			return fmt.Errorf("%w: run %d keeps its %s; resume with POST /api/v1/runs/%d/resume", runErr, rec.Run.ID, plural.Count(res.Draws, "finished draw"), rec.Run.ID)
		}
		return runErr
	}
	return nil
}

// POST /runs/sensitivity queues a sensitivity analysis (package
// sensitivity, as 'parley sensitivity') and stores it.
func (s *Server) runSensitivity(w http.ResponseWriter, r *http.Request) {
	req := sensitivityRequest{SensitivitySpec: run.NewSensitivitySpec()}
	sc, ok := s.decodeRun(w, r, &req, &req.scenarioRef)
	if !ok {
		return
	}
	if err := req.SensitivitySpec.Check(sc, s.env()); err != nil {
		s.runFailed(w, r, err)
		return
	}
	s.submitSaved(w, "sensitivity", false, func(ctx context.Context, env run.Env) (run.Run, error) {
		return req.SensitivitySpec.Run(ctx, sc, env)
	})
}

// POST /runs/process queues a process run (package process, as 'parley
// process') and stores its result.
func (s *Server) runProcess(w http.ResponseWriter, r *http.Request) {
	req := processRequest{ProcessSpec: run.NewProcessSpec()}
	sc, ok := s.decodeRun(w, r, &req, &req.scenarioRef, func() scenario.Check { return req.ScenarioCheck(s.env()) })
	if !ok {
		return
	}
	if err := req.Check(sc, s.env()); err != nil {
		s.runFailed(w, r, err)
		return
	}
	s.submitSaved(w, "process", false, func(ctx context.Context, env run.Env) (run.Run, error) {
		return req.ProcessSpec.Run(ctx, sc, env)
	})
}

// POST /runs/recognition queues a recognition forecast (package
// model/recognition, as 'parley recognition') and stores it.
func (s *Server) runRecognition(w http.ResponseWriter, r *http.Request) {
	req := recognitionRequest{RecognitionSpec: run.NewRecognitionSpec()}
	sc, ok := s.decodeRun(w, r, &req, &req.scenarioRef, func() scenario.Check { return req.ScenarioCheck(s.env()) })
	if !ok {
		return
	}
	if err := req.RecognitionSpec.Check(sc, s.env()); err != nil {
		s.runFailed(w, r, err)
		return
	}
	s.submitSaved(w, "recognition", false, func(ctx context.Context, env run.Env) (run.Run, error) {
		return req.RecognitionSpec.Run(ctx, sc, env)
	})
}

// POST /runs/backtest queues a backtest on DEU III (package backtest, as
// 'parley backtest deu3') and stores it; the report is also the job's
// result.
func (s *Server) runBacktest(w http.ResponseWriter, r *http.Request) {
	req := backtestRequest{BacktestSpec: run.NewBacktestSpec()}
	if !decode(w, r, &req) {
		return
	}
	if err := req.Check(s.env()); err != nil {
		s.runFailed(w, r, err)
		return
	}
	if req.Name == "" {
		req.Name = "data"
	}
	d, err := run.ReadData([]byte(req.Data), req.Name)
	if err != nil {
		s.runFailed(w, r, err)
		return
	}
	s.submitSaved(w, "backtest", true, func(ctx context.Context, env run.Env) (run.Run, error) {
		env.Workers = 1
		return req.BacktestSpec.Run(ctx, d, env)
	})
}

func runID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		writeError(w, http.StatusBadRequest, fmt.Errorf("run id %q: want a positive integer", r.PathValue("id")))
		return 0, false
	}
	return id, true
}

// storedRun reads the run named by the request's {id}, answering the
// request with the error when there is none.
func (s *Server) storedRun(w http.ResponseWriter, r *http.Request) (*store.Run, bool) {
	id, ok := runID(w, r)
	if !ok {
		return nil, false
	}
	row, err := s.cfg.Store.Get(r.Context(), id)
	if err != nil {
		s.runError(w, err)
		return nil, false
	}
	return row, true
}

func (s *Server) runError(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, store.ErrNotFound):
		writeError(w, http.StatusNotFound, err)
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		// The client went away (a page left while its charts loaded) or
		// the request ran out of time: nothing failed inside the server.
		writeError(w, http.StatusServiceUnavailable, err)
	default:
		s.internal(w, err)
	}
}

// GET /runs[?kind=K&limit=N&offset=M] lists stored runs, newest first.
func (s *Server) listRuns(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := store.Filter{Kind: q.Get("kind")}
	for _, p := range []struct {
		name string
		dst  *int
	}{{"limit", &f.Limit}, {"offset", &f.Offset}} {
		if v := q.Get(p.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				writeError(w, http.StatusBadRequest, fmt.Errorf("%s %q: want a non-negative integer", p.name, v))
				return
			}
			*p.dst = n
		}
	}
	runs, err := s.cfg.Store.List(r.Context(), f)
	if err != nil {
		s.internal(w, err)
		return
	}
	out := make([]runDoc, len(runs))
	for i := range runs {
		out[i] = s.runDoc(&runs[i])
	}
	writeJSON(w, http.StatusOK, out)
}

// runDoc is a stored run as the API gives it: the run, its status as
// 'parley runs' describes it, and whether POST /runs/{id}/resume may
// continue it.
type runDoc struct {
	*store.Run
	StatusText string `json:"status_text"`
	Resumable  bool   `json:"resumable"`
	// Summary is the findings table of a finished run (GET /runs/{id}
	// and the answer of a run made in the request; report.Findings):
	// each issue's headline, where it lies on the scale, how it settled
	// and its interval, in words.
	Summary []report.IssueSummary `json:"summary,omitempty"`
}

// runDoc describes run at the server's now. A sweep that a job of this
// server is writing is not resumable, however long it has been quiet.
func (s *Server) runDoc(row *store.Run) runDoc {
	now := s.now()
	resumable := run.Resumable(row, now)
	if resumable {
		_, busy := s.jobs.Writer(row.ID)
		resumable = !busy
	}
	return runDoc{Run: row, StatusText: run.StatusText(row, now), Resumable: resumable}
}

func (s *Server) getRun(w http.ResponseWriter, r *http.Request) {
	asCSV, err := wantsCSV(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	row, ok := s.storedRun(w, r)
	if !ok {
		return
	}
	if asCSV {
		s.runCSV(w, r, row)
		return
	}
	if row.Kind == store.KindSweep && row.Status != store.StatusDone {
		if j, ok := s.jobs.Writer(row.ID); ok {
			w.Header().Set("X-Parley-Job", j.ID)
		}
	}
	doc := s.runDoc(row)
	if typed, err := run.Read(row); err == nil {
		// What the run found, in the words of the tables, so that the UI
		// shows it without a second account of it.
		doc.Summary = report.Findings(typed)
	}
	writeJSON(w, http.StatusOK, doc)
}

// GET /runs/{id}/diff/{other}: what differs between two runs, as 'parley
// runs diff' lists it (run.Diff): their settings, then their results,
// each difference with the number's change from the first to the other.
func (s *Server) diffRuns(w http.ResponseWriter, r *http.Request) {
	a, ok := s.typedRun(w, r)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("other"), 10, 64)
	if err != nil || id <= 0 {
		writeError(w, http.StatusBadRequest, fmt.Errorf("run id %q: want a positive integer", r.PathValue("other")))
		return
	}
	b, err := run.Get(r.Context(), s.cfg.Store, id)
	if err != nil {
		s.runError(w, err)
		return
	}
	out := run.Diff(a, b)
	if out == nil {
		out = []run.Difference{}
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) deleteRun(w http.ResponseWriter, r *http.Request) {
	id, ok := runID(w, r)
	if !ok {
		return
	}
	if j, ok := s.jobs.Writer(id); ok {
		writeError(w, http.StatusConflict, fmt.Errorf("run %d is being written by job %s; cancel it first", id, j.ID))
		return
	}
	if err := s.cfg.Store.Delete(r.Context(), id); err != nil {
		s.runError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) listJobs(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.jobs.List())
}

func (s *Server) getJob(w http.ResponseWriter, r *http.Request) {
	j, ok := s.jobs.Get(r.PathValue("id"))
	if !ok {
		writeError(w, http.StatusNotFound, fmt.Errorf("no job %q", r.PathValue("id")))
		return
	}
	writeJSON(w, http.StatusOK, j)
}

func (s *Server) cancelJob(w http.ResponseWriter, r *http.Request) {
	found, err := s.jobs.Cancel(r.PathValue("id"))
	switch {
	case !found:
		writeError(w, http.StatusNotFound, fmt.Errorf("no job %q", r.PathValue("id")))
	case err != nil:
		writeError(w, http.StatusConflict, err)
	default:
		// Wait briefly so the answer usually shows the job stopped.
		deadline := time.Now().Add(2 * time.Second)
		for {
			j, _ := s.jobs.Get(r.PathValue("id"))
			if j.Status != JobRunning || time.Now().After(deadline) {
				writeJSON(w, http.StatusOK, j)
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}
