package server

import (
	"net/http"
	"runtime"

	"github.com/parley-project/parley/institution"
	"github.com/parley-project/parley/run"
)

// The strategy views — conflicts, advice, voting power — as runs: each
// request computes the view as the command line does ('parley conflicts',
// 'parley advise', 'parley vote --power'), stores it as a run of its own
// kind and answers with the stored run, whose page and HTML report show
// it. The views take milliseconds to a few seconds, so they run in the
// request.

type (
	conflictsRequest struct {
		scenarioRef
		run.ConflictsSpec
	}
	adviseRequest struct {
		scenarioRef
		run.AdviceSpec
	}
	powerRequest struct {
		scenarioRef
		run.PowerSpec
	}
)

// POST /runs/conflicts computes and stores a conflicts view.
func (s *Server) runConflicts(w http.ResponseWriter, r *http.Request) {
	req := conflictsRequest{ConflictsSpec: run.NewConflictsSpec()}
	if sc, ok := s.decodeRun(w, r, &req, &req.scenarioRef); ok {
		s.runNow(w, r, func() (run.Run, error) { return req.ConflictsSpec.Run(r.Context(), sc, s.env()) })
	}
}

// POST /runs/advise computes and stores an actor's advice.
func (s *Server) runAdvise(w http.ResponseWriter, r *http.Request) {
	req := adviseRequest{AdviceSpec: run.NewAdviceSpec()}
	if sc, ok := s.decodeRun(w, r, &req, &req.scenarioRef); ok {
		env := s.env()
		env.Workers = min(s.cfg.Workers, runtime.GOMAXPROCS(0))
		s.runNow(w, r, func() (run.Run, error) { return req.AdviceSpec.Run(r.Context(), sc, env) })
	}
}

// POST /runs/power computes and stores a body's voting power and, with a
// proposal, what would reverse the vote on it.
func (s *Server) runPower(w http.ResponseWriter, r *http.Request) {
	var req powerRequest
	if sc, ok := s.decodeRun(w, r, &req, &req.scenarioRef); ok {
		s.runNow(w, r, func() (run.Run, error) { return req.PowerSpec.Run(r.Context(), sc, s.env()) })
	}
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
