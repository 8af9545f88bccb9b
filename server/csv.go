package server

import (
	"bytes"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strings"

	"github.com/parley-project/parley/report/tidy"
	"github.com/parley-project/parley/run"
	"github.com/parley-project/parley/store"
	"github.com/parley-project/parley/sweep"
)

// A run's CSV table is the one 'parley forecast --format csv' (and the
// other commands) write, by package tidy: GET /runs/{id}?format=csv, or
// with Accept: text/csv.

const csvType = "text/csv"

// wantsCSV reads how a GET /runs/{id} asks for its answer: format=csv or
// an Accept header that names text/csv (and not JSON before it) asks for
// the run's CSV table; format=json or none for its document. Another
// format is refused.
func wantsCSV(r *http.Request) (bool, error) {
	switch f := r.URL.Query().Get("format"); f {
	case "csv":
		return true, nil
	case "json":
		return false, nil
	case "":
	default:
		return false, fmt.Errorf("format %q: want json or csv", f)
	}
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mt {
		case csvType:
			return true, nil
		case "application/json", "*/*":
			return false, nil
		}
	}
	return false, nil
}

// runCSV answers with row's CSV table: 409 for a run without a result
// yet, 406 for a kind that has none. A sweep's table holds its stored
// draws.
func (s *Server) runCSV(w http.ResponseWriter, r *http.Request, row *store.Run) {
	typed, err := run.Read(row)
	if err != nil {
		s.internal(w, err)
		return
	}
	var draws []sweep.Draw
	if row.Kind == store.KindSweep && row.Status == store.StatusDone {
		if _, draws, err = run.LoadSweep(r.Context(), s.cfg.Store, row, s.cfg.Registry); err != nil {
			s.internal(w, err)
			return
		}
	}
	var b bytes.Buffer
	switch err := tidy.Write(&b, typed, draws); {
	case errors.Is(err, tidy.ErrNoTable) && row.Status != store.StatusDone:
		writeError(w, http.StatusConflict, err)
		return
	case errors.Is(err, tidy.ErrNoTable):
		writeError(w, http.StatusNotAcceptable, err)
		return
	case err != nil:
		s.internal(w, err)
		return
	}
	w.Header().Set("Content-Type", csvType+"; charset=utf-8; header=present")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename="parley-run-%d.csv"`, row.ID))
	w.Write(b.Bytes())
}
