package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/parley-project/parley/backtest"
	"github.com/parley-project/parley/backtest/deu3"
	"github.com/parley-project/parley/internal/plural"
	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/model/registry"
	"github.com/parley-project/parley/process"
	"github.com/parley-project/parley/report"
	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/store"
	"github.com/parley-project/parley/store/runstatus"
	"github.com/parley-project/parley/store/sweeprun"
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

// modelRequest are the model settings shared by forecasts and sweeps.
// A parameter may be given as a JSON number, boolean or string; the
// model's declaration reads it (model.Param.Parse).
type modelRequest struct {
	Scenario string       `json:"scenario"`
	Model    string       `json:"model"`
	Variant  string       `json:"variant"`
	Rounds   int          `json:"rounds"`
	Params   model.Params `json:"params"`
}

// resolve finds the scenario and the model and checks the options, as
// 'parley forecast' does before running.
func (s *Server) resolve(w http.ResponseWriter, r *http.Request, mr modelRequest) (*scenario.Scenario, model.Model, model.Options, bool) {
	opt := model.Options{Variant: mr.Variant, Rounds: mr.Rounds, Params: mr.Params}
	if mr.Scenario == "" {
		writeError(w, http.StatusBadRequest, errors.New("request body: scenario is required"))
		return nil, nil, opt, false
	}
	sc, _, _, err := s.loadScenario(r, mr.Scenario)
	if err != nil {
		scenarioError(w, err)
		return nil, nil, opt, false
	}
	if mr.Model == "" {
		mr.Model = registry.DefaultModel
	}
	m, err := s.cfg.Registry.Get(mr.Model)
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return nil, nil, opt, false
	}
	if _, err := model.Resolve(m.Info(), opt); err != nil {
		writeError(w, http.StatusUnprocessableEntity, err)
		return nil, nil, opt, false
	}
	return sc, m, opt, true
}

type forecastRequest struct {
	modelRequest
	Stable  int     `json:"stable"`
	Epsilon float64 `json:"epsilon"`
	// Interval asks for an interval beside each forecast: a seeded sweep
	// of Draws draws (0: the default) under the scenario's uncertainty.
	Interval bool    `json:"interval"`
	Draws    int     `json:"draws"`
	Seed     *uint64 `json:"seed"`
}

// maxForecastDraws bounds the draws of an interval the forecast request
// computes while the client waits (a few seconds of a shared server).
const maxForecastDraws = 5000

// POST /runs/forecast runs a model at once (a forecast takes
// milliseconds, an interval of the default draws a fraction of a second)
// and stores the run; the answer is the stored run. The model runs under
// the request's context: the request timeout or the client going away
// stops it.
func (s *Server) runForecast(w http.ResponseWriter, r *http.Request) {
	var req forecastRequest
	if !decode(w, r, &req) {
		return
	}
	sc, m, opt, ok := s.resolve(w, r, req.modelRequest)
	if !ok {
		return
	}
	if req.Stable < 0 || !(req.Epsilon >= 0) {
		writeError(w, http.StatusBadRequest, fmt.Errorf("stable must be 0 (off) or a number of rounds, epsilon 0 (each issue's tolerance) or more"))
		return
	}
	draws, seed := 0, uint64(1)
	if req.Interval {
		draws = req.Draws
		if draws == 0 {
			draws = sweep.DefaultIntervalDraws
		}
		if draws < 1 || draws > maxForecastDraws {
			writeError(w, http.StatusBadRequest, fmt.Errorf("draws must lie between 1 and %d (a larger interval is a sweep: POST /runs/sweep), got %d", maxForecastDraws, draws))
			return
		}
		if req.Seed != nil {
			seed = *req.Seed
		}
	}
	opt.Stop = model.StopRule{Epsilon: req.Epsilon, K: req.Stable}
	res, err := m.Run(r.Context(), sc, opt)
	if err != nil {
		if ctxErr := r.Context().Err(); ctxErr != nil {
			writeError(w, http.StatusServiceUnavailable, ctxErr)
			return
		}
		writeError(w, http.StatusBadRequest, err)
		return
	}
	if req.Interval {
		if err := sweep.AddIntervals(r.Context(), res, sc, m, opt, draws, seed, 0); err != nil {
			if ctxErr := r.Context().Err(); ctxErr != nil {
				writeError(w, http.StatusServiceUnavailable, ctxErr)
				return
			}
			writeError(w, http.StatusBadRequest, err)
			return
		}
	} else {
		seed = 0
	}
	set, _ := model.Resolve(m.Info(), opt)
	run := &store.Run{Kind: store.KindForecast, Model: m.Info().Name, Variant: set.Variant, Params: set.Params.Params(), Seed: seed}
	config := store.ForecastConfig{Rounds: set.Rounds, Stable: opt.Stop.K, Epsilon: opt.Stop.Epsilon, IntervalDraws: draws, IntervalSeed: seed}
	if err := s.storeRun(r.Context(), run, sc, config, res); err != nil {
		writeError(w, http.StatusInternalServerError, err)
		return
	}
	writeJSON(w, http.StatusCreated, s.runDoc(run))
}

// storeRun completes run with the scenario, its snapshot, the config, the
// result and the code version, and stores it as finished.
func (s *Server) storeRun(ctx context.Context, run *store.Run, sc *scenario.Scenario, config, res any) error {
	var errSnap, errConf, errRes error
	run.Snapshot, errSnap = json.Marshal(sc)
	run.Config, errConf = json.Marshal(config)
	run.Result, errRes = json.Marshal(res)
	if err := errors.Join(errSnap, errConf, errRes); err != nil {
		return err
	}
	run.Scenario, run.CodeVersion, run.Status = sc.Name, s.cfg.CodeVersion, store.StatusDone
	return s.cfg.Store.Create(ctx, run)
}

// noiseRequest overrides the scenario's uncertainty section.
type noiseRequest struct {
	Position   *float64          `json:"position"`
	Salience   *float64          `json:"salience"`
	Capability *float64          `json:"capability"`
	Dropout    *float64          `json:"dropout"`
	Params     map[string]string `json:"params"`
}

type sweepRequest struct {
	modelRequest
	Draws int          `json:"draws"`
	Seed  *uint64      `json:"seed"`
	Bins  int          `json:"bins"`
	Noise noiseRequest `json:"noise"`
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

// POST /runs/sweep queues a Monte Carlo sweep (package sweep, as 'parley
// sweep'); its draws are stored as they finish, so a sweep interrupted by
// a shutdown resumes with POST /runs/{id}/resume.
func (s *Server) runSweep(w http.ResponseWriter, r *http.Request) {
	var req sweepRequest
	if !decode(w, r, &req) {
		return
	}
	sc, m, opt, ok := s.resolve(w, r, req.modelRequest)
	if !ok {
		return
	}
	n, err := sweep.NoiseFrom(sc)
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	n.Override(sweep.NoiseOverride{Position: req.Noise.Position, Salience: req.Noise.Salience, Capability: req.Noise.Capability, Dropout: req.Noise.Dropout})
	if err := n.SetParams(req.Noise.Params); err != nil {
		pe := err.(*sweep.ParamError)
		writeError(w, http.StatusBadRequest, fmt.Errorf("noise.params.%s: %w", pe.Name, pe.Err))
		return
	}
	if req.Draws == 0 {
		req.Draws = 1000
	}
	seed := uint64(1)
	if req.Seed != nil {
		seed = *req.Seed
	}
	cfg := sweep.Config{Scenario: sc, Model: m, Noise: n, Draws: req.Draws, Seed: seed, HistogramBins: req.Bins, Options: opt}
	if _, err := sweep.Describe(cfg); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	s.submit(w, "sweep", func(ctx context.Context, j *Job) error {
		rec, err := sweeprun.Create(ctx, s.cfg.Store, cfg, s.cfg.CodeVersion)
		if err != nil {
			return err
		}
		s.jobs.update(j, func(j *Job) { j.RunID = rec.Run.ID })
		return s.sweep(ctx, j, rec, cfg)
	})
}

// POST /runs/{id}/resume continues a stored sweep that was interrupted,
// with the settings stored with it and the draws it had finished.
func (s *Server) resumeSweep(w http.ResponseWriter, r *http.Request) {
	run, ok := s.storedRun(w, r)
	if !ok {
		return
	}
	if run.Kind == store.KindSweep && run.Status == store.StatusDone {
		writeError(w, http.StatusConflict, fmt.Errorf("run %d has already finished", run.ID))
		return
	}
	// Load sets the configuration's Prior to the finished draws.
	cfg, _, err := sweeprun.Load(r.Context(), s.cfg.Store, run, s.cfg.Registry)
	if err != nil {
		writeError(w, http.StatusConflict, err)
		return
	}
	s.submitRun(w, "sweep", run.ID, func(ctx context.Context, j *Job) error {
		rec, err := sweeprun.Resume(ctx, s.cfg.Store, run)
		if err != nil {
			return err
		}
		return s.sweep(ctx, j, rec, cfg)
	})
}

// sweep runs a configured sweep, reporting progress to the job; on
// cancellation the finished draws are flushed to the store and the run
// stays resumable.
func (s *Server) sweep(ctx context.Context, j *Job, rec *sweeprun.Recorder, cfg sweep.Config) error {
	cfg.Sink = rec.Add
	cfg.Progress = func(done, total int) {
		s.jobs.update(j, func(j *Job) { j.Done, j.Total = done, total })
	}
	res, runErr := sweep.Run(ctx, cfg)
	if _, err := rec.End(res, runErr); err != nil {
		return err
	}
	if runErr != nil {
		if errors.Is(runErr, sweep.ErrInterrupted) {
			return fmt.Errorf("%w: run %d keeps its %s; resume with POST /api/v1/runs/%d/resume", runErr, rec.Run.ID, plural.Count(res.Draws, "finished draw"), rec.Run.ID)
		}
		return runErr
	}
	return nil
}

type processRequest struct {
	Scenario string  `json:"scenario"`
	Seed     *uint64 `json:"seed"`
	Draws    int     `json:"draws"`
}

// POST /runs/process queues a process run (package process, as 'parley
// process') and stores its result.
func (s *Server) runProcess(w http.ResponseWriter, r *http.Request) {
	var req processRequest
	if !decode(w, r, &req) {
		return
	}
	if req.Draws < 0 {
		writeError(w, http.StatusBadRequest, fmt.Errorf("draws must not be negative, got %d", req.Draws))
		return
	}
	sc, _, _, err := s.loadScenario(r, req.Scenario, process.Check(s.cfg.Registry))
	if err != nil {
		scenarioError(w, err)
		return
	}
	if sc.Process == nil {
		writeError(w, http.StatusBadRequest, fmt.Errorf("scenario %q has no process section", sc.Name))
		return
	}
	seed := uint64(1)
	if req.Seed != nil {
		seed = *req.Seed
	}
	s.submit(w, "process", func(ctx context.Context, j *Job) error {
		res, err := process.Run(ctx, sc, process.Options{Seed: seed, Draws: req.Draws, Registry: s.cfg.Registry})
		if err != nil {
			return err
		}
		run := &store.Run{Kind: store.KindProcess, Seed: seed}
		if err := s.storeRun(context.WithoutCancel(ctx), run, sc, map[string]int{"draws": req.Draws}, res); err != nil {
			return err
		}
		s.jobs.update(j, func(j *Job) { j.RunID, j.Done, j.Total = run.ID, 1, 1 })
		return nil
	})
}

type backtestRequest struct {
	// Data is the DEU III file's content (tab-separated, two header
	// rows); the data set is not shipped (README, section Backtest).
	Data         string  `json:"data"`
	Models       string  `json:"models"`
	Capabilities string  `json:"capabilities"`
	Seed         *uint64 `json:"seed"`
	Bootstrap    *int    `json:"bootstrap"`
	Folds        *int    `json:"folds"`
	// Learned lists the learned models to cross-validate (backtest.
	// ParseLearners); "" means all.
	Learned string `json:"learned"`
}

// POST /runs/backtest queues a backtest on DEU III (package backtest, as
// 'parley backtest deu3'); the report is the job's result.
func (s *Server) runBacktest(w http.ResponseWriter, r *http.Request) {
	var req backtestRequest
	if !decode(w, r, &req) {
		return
	}
	if req.Models == "" {
		req.Models = "all"
	}
	if req.Capabilities == "" {
		req.Capabilities = deu3.Equal
	}
	if req.Learned == "" {
		req.Learned = "all"
	}
	cfg := backtest.Config{Seed: 1, Bootstrap: 2000, Folds: 10}
	if req.Seed != nil {
		cfg.Seed = *req.Seed
	}
	if req.Bootstrap != nil {
		cfg.Bootstrap = *req.Bootstrap
	}
	if req.Folds != nil {
		cfg.Folds = *req.Folds
	}
	if cfg.Bootstrap < 0 || cfg.Folds < 0 || cfg.Folds == 1 {
		writeError(w, http.StatusBadRequest, errors.New("bootstrap must be ≥ 0 and folds 0 (no ensemble) or ≥ 2"))
		return
	}
	schemes, err := deu3.ParseSchemes(req.Capabilities)
	if err != nil {
		writeError(w, http.StatusBadRequest, fmt.Errorf("capabilities: %w", err))
		return
	}
	specs, err := backtest.ParseSpecs(req.Models, s.cfg.Registry)
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	if cfg.Learners, err = backtest.ParseLearners(req.Learned); err != nil {
		writeError(w, http.StatusBadRequest, fmt.Errorf("learned: %w", err))
		return
	}
	d, err := deu3.Read(strings.NewReader(req.Data), "data")
	if err != nil {
		writeError(w, http.StatusUnprocessableEntity, err)
		return
	}
	cfg.Workers = 1
	s.submit(w, "backtest", func(ctx context.Context, j *Job) error {
		s.jobs.update(j, func(j *Job) { j.Total = len(schemes) + 1 })
		rep, err := backtest.Run(ctx, d, schemes, specs, s.cfg.Registry, cfg, func(done int) {
			s.jobs.update(j, func(j *Job) { j.Done = done })
		})
		if err != nil {
			return err
		}
		doc, err := json.Marshal(rep)
		if err != nil {
			return err
		}
		s.jobs.update(j, func(j *Job) { j.Result, j.Done = doc, j.Total })
		return nil
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
	run, err := s.cfg.Store.Get(r.Context(), id)
	if err != nil {
		runError(w, err)
		return nil, false
	}
	return run, true
}

func runError(w http.ResponseWriter, err error) {
	if errors.Is(err, store.ErrNotFound) {
		writeError(w, http.StatusNotFound, err)
		return
	}
	writeError(w, http.StatusInternalServerError, err)
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
		writeError(w, http.StatusInternalServerError, err)
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
	// Summary describes each issue of a finished forecast (GET /runs/{id}
	// only): its headline, settlement and interval in words.
	Summary []report.IssueSummary `json:"summary,omitempty"`
}

// runDoc describes run at the server's now. A sweep that a job of this
// server is writing is not resumable, however long it has been quiet.
func (s *Server) runDoc(run *store.Run) runDoc {
	now := s.now()
	resumable := runstatus.Resumable(run, now)
	if resumable {
		_, busy := s.jobs.Writer(run.ID)
		resumable = !busy
	}
	return runDoc{Run: run, StatusText: runstatus.Text(run, now), Resumable: resumable}
}

func (s *Server) getRun(w http.ResponseWriter, r *http.Request) {
	run, ok := s.storedRun(w, r)
	if !ok {
		return
	}
	if run.Kind == store.KindSweep && run.Status != store.StatusDone {
		if j, ok := s.jobs.Writer(run.ID); ok {
			w.Header().Set("X-Parley-Job", j.ID)
		}
	}
	doc := s.runDoc(run)
	if run.Kind == store.KindForecast && run.Status == store.StatusDone {
		// How each issue's forecast reads, in the words of the tables, so
		// that the UI shows the settlement without a second account of it.
		var sc scenario.Scenario
		var res result.Result
		if json.Unmarshal(run.Snapshot, &sc) == nil && json.Unmarshal(run.Result, &res) == nil {
			doc.Summary = report.Summaries(&sc, &res)
		}
	}
	writeJSON(w, http.StatusOK, doc)
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
		runError(w, err)
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

// decodeResult unmarshals a run's stored result document.
func decodeResult(run *store.Run, v any) error {
	if len(run.Result) == 0 {
		return fmt.Errorf("run %d has no result yet (%s)", run.ID, run.Status)
	}
	return json.NewDecoder(bytes.NewReader(run.Result)).Decode(v)
}
