package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/parley-project/parley/backtest"
	"github.com/parley-project/parley/report"
	"github.com/parley-project/parley/report/svg"
	"github.com/parley-project/parley/run"
)

// Charts are drawn on the server by package report's chart builders, the
// ones the command line's reports and --svg files use, so the browser
// needs no chart library.

func writeSVG(w http.ResponseWriter, c svg.Chart) {
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "no-store")
	w.Write([]byte(svg.SVG(c)))
}

// typedRun reads the run named by the request's {id} with the run layer,
// answering the request with the error when there is none.
func (s *Server) typedRun(w http.ResponseWriter, r *http.Request) (run.Run, bool) {
	row, ok := s.storedRun(w, r)
	if !ok {
		return nil, false
	}
	typed, err := run.Read(row)
	if err != nil {
		s.internal(w, err)
		return nil, false
	}
	return typed, true
}

// GET /runs/{id}/chart[?issue=ID&view=V&actor=A]: a forecast's
// trajectories, a sweep's distribution, a sensitivity ranking, a
// process's timeline (view=timeline) or recognition curve
// (view=recognition), a recognition forecast's curve, a backtest's
// accuracy, a conflicts view's map of actor A, as SVG (report.RunChart).
func (s *Server) runChart(w http.ResponseWriter, r *http.Request) {
	typed, ok := s.typedRun(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	c, err := report.RunChart(typed, report.ChartQuery{Issue: q.Get("issue"), View: q.Get("view"), Actor: q.Get("actor")})
	switch {
	case errors.Is(err, report.ErrNoResult):
		writeError(w, http.StatusConflict, err)
	case err != nil:
		writeError(w, http.StatusNotFound, err)
	default:
		writeSVG(w, c)
	}
}

// GET /jobs/{id}/chart: a finished backtest's MAE by model.
func (s *Server) jobChart(w http.ResponseWriter, r *http.Request) {
	j, ok := s.jobs.Get(r.PathValue("id"))
	if !ok {
		writeError(w, http.StatusNotFound, fmt.Errorf("no job %q", r.PathValue("id")))
		return
	}
	if j.Kind != "backtest" || j.Status != JobDone {
		writeError(w, http.StatusConflict, fmt.Errorf("job %s is a %s job (%s); only finished backtests have a job chart, runs have /runs/{id}/chart", j.ID, j.Kind, j.Status))
		return
	}
	var rep backtest.Report
	if err := json.Unmarshal(j.Result, &rep); err != nil {
		s.internal(w, err)
		return
	}
	writeSVG(w, report.BacktestChart(&rep))
}

// GET /runs/{id}/report: the run's self-contained HTML report, the page
// 'parley report ID --html' writes (package report).
func (s *Server) runReport(w http.ResponseWriter, r *http.Request) {
	typed, ok := s.typedRun(w, r)
	if !ok {
		return
	}
	var b bytes.Buffer
	if err := report.HTML(&b, report.NewPage(typed)); err != nil {
		s.internal(w, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(b.Bytes())
}
