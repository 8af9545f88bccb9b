package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/parley-project/parley/internal/plural"
	"net/http"
	"strings"

	"github.com/parley-project/parley/backtest"
	"github.com/parley-project/parley/model/recognition"
	"github.com/parley-project/parley/process"
	"github.com/parley-project/parley/report"
	"github.com/parley-project/parley/report/svg"
	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/sensitivity"
	"github.com/parley-project/parley/store"
	"github.com/parley-project/parley/store/runreport"
	"github.com/parley-project/parley/sweep"
)

// Charts are drawn on the server with the report/svg primitives the
// command line's reports use, so the browser needs no chart library.

func writeSVG(w http.ResponseWriter, doc string) {
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "no-store")
	w.Write([]byte(doc))
}

// trajectoryChart draws every actor's position on one issue round by
// round, with the model's forecast in bold, on the issue's labelled
// scale.
func trajectoryChart(sc *scenario.Scenario, res *result.Result, issueID string) (string, error) {
	var ri *result.Issue
	for i := range res.Issues {
		if issueID == "" || res.Issues[i].ID == issueID {
			ri = &res.Issues[i]
			break
		}
	}
	if ri == nil {
		return "", fmt.Errorf("the run has no issue %q", issueID)
	}
	c := svg.LineChart{Title: fmt.Sprintf("%s: positions by round (%s)", ri.Name, res.Model), XLabel: "round", YLabel: "position"}
	if is := sc.Issue(ri.ID); is != nil {
		c.YMin, c.YMax = is.Min, is.Max
		for _, a := range is.SortedAnchors() {
			// The axis has room for numbers; the UI prints the labels.
			c.YTicks = append(c.YTicks, svg.Tick{Value: a.Value, Label: svg.FormatNum(a.Value)})
		}
	}
	var names []string
	fc := svg.Series{Name: "forecast", Bold: true}
	for _, rd := range ri.Rounds {
		fc.X = append(fc.X, float64(rd.Round))
		fc.Y = append(fc.Y, rd.Forecast)
	}
	c.Series = append(c.Series, fc)
	names = append(names, "forecast")
	for _, st := range sc.Stakeholders(ri.ID) {
		name := st.Name
		if name == "" {
			name = st.ID
		}
		se := svg.Series{Name: svg.Clip(name, 24)}
		for _, rd := range ri.Rounds {
			if p, ok := rd.Positions[st.ID]; ok {
				se.X = append(se.X, float64(rd.Round))
				se.Y = append(se.Y, p)
			}
		}
		if len(se.X) > 0 {
			c.Series = append(c.Series, se)
			names = append(names, se.Name)
		}
	}
	return svg.Grid(1, c.SVG(), svg.Legend(names)), nil
}

// distributionChart draws a sweep's histogram of an issue's forecasts.
func distributionChart(res *sweep.Result, issueID string) (string, error) {
	for _, is := range res.Issues {
		if issueID != "" && is.ID != issueID {
			continue
		}
		c := svg.BarChart{Title: fmt.Sprintf("%s: forecast over %s", is.Name, plural.Count(res.Draws, "draw")), XLabel: "forecast", YLabel: "draws", Touching: true}
		for _, b := range is.Histogram {
			c.Bars = append(c.Bars, svg.Bar{Label: svg.FormatNum(b.From), Value: float64(b.Count)})
		}
		return c.SVG(), nil
	}
	return "", fmt.Errorf("the sweep has no issue %q", issueID)
}

// timelineChart draws a process's stages in order, marking the last.
func timelineChart(res *process.Result) string {
	t := svg.Timeline{Title: "process stages", Width: 780}
	for i, st := range res.Stages {
		label := st.Name
		if label == "" {
			label = st.ID
		}
		t.Steps = append(t.Steps, svg.Step{Label: label, Detail: strings.TrimSpace(st.Date + " " + st.Outcome), Mark: i == len(res.Stages)-1})
	}
	return t.SVG()
}

// GET /runs/{id}/chart[?issue=ID&view=V&actor=A]: a forecast's
// trajectories, a sweep's distribution, a process's timeline
// (view=timeline) or recognition curve (view=recognition), a conflicts
// view's map of actor A, as SVG.
func (s *Server) runChart(w http.ResponseWriter, r *http.Request) {
	run, ok := s.storedRun(w, r)
	if !ok {
		return
	}
	id := run.ID
	issue, view := r.URL.Query().Get("issue"), r.URL.Query().Get("view")
	var (
		doc string
		err error
	)
	switch run.Kind {
	case store.KindForecast:
		var (
			sc  scenario.Scenario
			res result.Result
		)
		if err := json.Unmarshal(run.Snapshot, &sc); err != nil {
			writeError(w, http.StatusInternalServerError, fmt.Errorf("run %d: stored scenario: %w", id, err))
			return
		}
		if err := decodeResult(run, &res); err != nil {
			writeError(w, http.StatusConflict, err)
			return
		}
		doc, err = trajectoryChart(&sc, &res, issue)
	case store.KindSweep:
		if len(run.Result) == 0 {
			writeError(w, http.StatusConflict, fmt.Errorf("sweep run %d has not finished", id))
			return
		}
		res, derr := sweep.Decode(run.Result)
		if derr != nil {
			writeError(w, http.StatusInternalServerError, derr)
			return
		}
		doc, err = distributionChart(res, issue)
	case store.KindProcess:
		var res process.Result
		if err := decodeResult(run, &res); err != nil {
			writeError(w, http.StatusConflict, err)
			return
		}
		if view == "recognition" {
			if res.Recognition == nil {
				writeError(w, http.StatusNotFound, fmt.Errorf("run %d: the process has no recognition stage that ran", id))
				return
			}
			doc, err = recognitionSVG(res.Recognition)
		} else {
			doc = timelineChart(&res)
		}
	case store.KindRecognition:
		var res recognition.Result
		if err := decodeResult(run, &res); err != nil {
			writeError(w, http.StatusConflict, err)
			return
		}
		doc, err = recognitionSVG(&res)
	case store.KindSensitivity:
		var res sensitivity.Result
		if err := decodeResult(run, &res); err != nil {
			writeError(w, http.StatusConflict, err)
			return
		}
		doc = report.SensitivitySVG(&res, 15)
	case store.KindConflicts:
		doc, err = conflictsChart(run.Result, issue, r.URL.Query().Get("actor"))
	default:
		writeError(w, http.StatusNotFound, fmt.Errorf("run %d: no chart for a %s run", id, run.Kind))
		return
	}
	if err != nil {
		writeError(w, http.StatusNotFound, err)
		return
	}
	writeSVG(w, doc)
}

// recognitionSVG draws a recognition forecast as 'parley recognition
// --svg' does.
func recognitionSVG(r *recognition.Result) (string, error) {
	c, err := report.RecognitionChart(r)
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	if err := c.WriteSVG(&b); err != nil {
		return "", err
	}
	return b.String(), nil
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
		writeError(w, http.StatusInternalServerError, err)
		return
	}
	var b bytes.Buffer
	if err := report.BacktestSVG(&b, &rep); err != nil {
		writeError(w, http.StatusInternalServerError, err)
		return
	}
	writeSVG(w, b.String())
}

// GET /runs/{id}/report: the run's self-contained HTML report, the page
// 'parley report ID --html' writes (package report).
func (s *Server) runReport(w http.ResponseWriter, r *http.Request) {
	run, ok := s.storedRun(w, r)
	if !ok {
		return
	}
	page, err := runreport.Page(run)
	if err != nil {
		writeError(w, http.StatusConflict, err)
		return
	}
	var b bytes.Buffer
	if err := report.HTML(&b, page); err != nil {
		writeError(w, http.StatusInternalServerError, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(b.Bytes())
}
