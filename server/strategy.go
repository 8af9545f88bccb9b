package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"runtime"

	"github.com/parley-project/parley/institution"
	"github.com/parley-project/parley/institution/power"
	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/process"
	"github.com/parley-project/parley/report"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/store"
	"github.com/parley-project/parley/strategy/advice"
	"github.com/parley-project/parley/strategy/conflict"
)

// The strategy views — conflicts, advice, voting power — as runs: each
// request computes the view as the command line does ('parley conflicts',
// 'parley advise', 'parley vote --power'), stores it as a run of its own
// kind and answers with the stored run, whose page and HTML report show
// it. The views take milliseconds to a few seconds, so they run in the
// request.

type conflictsRequest struct {
	modelRequest
	Issue       string `json:"issue"`
	Round       int    `json:"round"`
	Perspective string `json:"perspective"`
}

// POST /runs/conflicts computes and stores a conflicts view.
func (s *Server) runConflicts(w http.ResponseWriter, r *http.Request) {
	var req conflictsRequest
	if !decode(w, r, &req) {
		return
	}
	sc, m, opt, ok := s.resolve(w, r, req.modelRequest)
	if !ok {
		return
	}
	v, err := conflict.Compute(r.Context(), conflict.Config{Scenario: sc, Model: m.Info().Name, Options: opt,
		Issue: req.Issue, Round: req.Round, Perspective: req.Perspective})
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	s.finishModel(w, r, store.KindConflicts, m, opt, sc, map[string]any{"issue": req.Issue, "round": req.Round, "perspective": v.Perspective},
		map[string]any{"conflicts": v})
}

type adviseRequest struct {
	modelRequest
	Actor  string   `json:"actor"`
	Issue  string   `json:"issue"`
	Target *float64 `json:"target"`
	Grid   int      `json:"grid"`
	// LeverIssues are the issues whose stances are changed (default:
	// Issue alone; "all" for every issue).
	LeverIssues []string `json:"lever_issues"`
}

// POST /runs/advise computes and stores an actor's advice.
func (s *Server) runAdvise(w http.ResponseWriter, r *http.Request) {
	var req adviseRequest
	if !decode(w, r, &req) {
		return
	}
	sc, m, opt, ok := s.resolve(w, r, req.modelRequest)
	if !ok {
		return
	}
	res, err := advice.Advise(r.Context(), advice.Config{Scenario: sc, Model: m, Options: opt, Actor: req.Actor, Issue: req.Issue,
		Target: req.Target, Grid: req.Grid, LeverIssues: req.LeverIssues, Workers: min(s.cfg.Workers, runtime.GOMAXPROCS(0))})
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	s.finishModel(w, r, store.KindAdvice, m, opt, sc, map[string]any{"actor": req.Actor, "issue": res.Issue, "target": res.Target, "grid": req.Grid},
		map[string]any{"advice": res})
}

type powerRequest struct {
	Scenario  string   `json:"scenario"`
	Body      string   `json:"body"`
	Issue     string   `json:"issue"`
	Proposal  *float64 `json:"proposal"`
	StatusQuo *float64 `json:"status_quo"`
}

// POST /runs/power computes and stores a body's voting power and, with a
// proposal, what would reverse the vote on it.
func (s *Server) runPower(w http.ResponseWriter, r *http.Request) {
	var req powerRequest
	if !decode(w, r, &req) {
		return
	}
	if req.Scenario == "" {
		writeError(w, http.StatusBadRequest, fmt.Errorf("request body: scenario is required"))
		return
	}
	sc, _, _, err := s.loadScenario(r, req.Scenario)
	if err != nil {
		scenarioError(w, err)
		return
	}
	in, b, err := process.Body(sc, req.Body)
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	g, err := power.FromBody(b)
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	pw, err := power.Compute(g)
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	doc := map[string]any{"power": pw, "power_body": b}
	config := map[string]any{"body": b.ID}
	if req.Proposal != nil {
		is := &sc.Issues[0]
		if req.Issue != "" {
			if is = sc.Issue(req.Issue); is == nil {
				writeError(w, http.StatusBadRequest, fmt.Errorf("unknown issue %q", req.Issue))
				return
			}
		}
		sq, ok := 0.0, false
		if req.StatusQuo != nil {
			sq, ok = *req.StatusQuo, true
		} else if sc.Process != nil {
			sq, ok = sc.Process.StatusQuo[is.ID]
		}
		if !ok {
			writeError(w, http.StatusBadRequest, fmt.Errorf("issue %s has no status quo: give status_quo", is.ID))
			return
		}
		for _, v := range []float64{*req.Proposal, sq} {
			if !(v >= is.Min && v <= is.Max) {
				writeError(w, http.StatusBadRequest, fmt.Errorf("%v is outside the scale %v to %v of issue %s", v, is.Min, is.Max, is.ID))
				return
			}
		}
		out := process.Vote(sc, in, b, is.ID, *req.Proposal, sq)
		doc["switches"], doc["proposal"], doc["issue"], doc["outcome"] = power.Analyse(b, out), *req.Proposal, is.ID, out
		config["issue"], config["proposal"], config["status_quo"] = is.ID, *req.Proposal, sq
	}
	s.finish(w, r, &store.Run{Kind: store.KindPower, Model: "power"}, sc, config, doc)
}

// finish stores a strategy run and answers with it.
func (s *Server) finish(w http.ResponseWriter, r *http.Request, run *store.Run, sc *scenario.Scenario, config, doc any) {
	if err := s.storeRun(r.Context(), run, sc, config, doc); err != nil {
		writeError(w, http.StatusInternalServerError, err)
		return
	}
	writeJSON(w, http.StatusCreated, s.runDoc(run))
}

// finishModel stores a strategy run made with model m and options opt
// (already checked) and answers with it.
func (s *Server) finishModel(w http.ResponseWriter, r *http.Request, kind string, m model.Model, opt model.Options, sc *scenario.Scenario, config, doc any) {
	set, _ := model.Resolve(m.Info(), opt)
	run := &store.Run{Kind: kind, Model: m.Info().Name, Variant: set.Variant, Params: set.Params.Params()}
	s.finish(w, r, run, sc, config, doc)
}

// GET /bodies lists the built-in voting bodies.
func (s *Server) listBodies(w http.ResponseWriter, _ *http.Request) {
	type bodyDoc struct {
		ID      string `json:"id"`
		Name    string `json:"name"`
		Rule    string `json:"rule"`
		Members int    `json:"members"`
	}
	out := []bodyDoc{}
	for _, n := range institution.Builtins() {
		b, _ := institution.Builtin(n)
		out = append(out, bodyDoc{ID: n, Name: b.Name, Rule: string(b.Rule), Members: len(b.Members)})
	}
	writeJSON(w, http.StatusOK, out)
}

// conflictsChart draws one actor's map of a stored conflicts view.
func conflictsChart(doc []byte, issue, actor string) (string, error) {
	var d struct {
		Conflicts *conflict.View `json:"conflicts"`
	}
	if err := json.Unmarshal(doc, &d); err != nil || d.Conflicts == nil {
		return "", fmt.Errorf("the run holds no conflicts view")
	}
	v := d.Conflicts
	k := 0
	if issue != "" {
		k = -1
		for i := range v.Issues {
			if v.Issues[i].ID == issue {
				k = i
			}
		}
		if k < 0 {
			return "", fmt.Errorf("the view has no issue %q", issue)
		}
	}
	if len(v.Issues) == 0 {
		return "", fmt.Errorf("the view has no issue")
	}
	if actor == "" {
		return "", fmt.Errorf("give actor=ID: whose map to draw")
	}
	return report.ConflictChart(v, k, actor)
}
