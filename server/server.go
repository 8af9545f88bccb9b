// Package server is Parley's web application: a JSON API under /api/v1
// and a browser UI whose assets are embedded in the binary. It makes and
// reads runs through the same run layer as the command line (package run:
// each kind's spec, defaults, limits and stored form) and draws the same
// charts (package report); it adds only what serving
// needs: authentication, size and time limits, a bounded job queue with a
// worker pool for long runs, and scenarios kept in the results store.
package server

import (
	"context"
	"crypto/subtle"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net/http"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/model/registry"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/store"
)

//go:embed ui openapi.json
var assets embed.FS

// Config is the server's configuration. Zero values take the defaults.
type Config struct {
	// Store keeps runs and scenarios; it must also be a
	// store.ScenarioStore (both backends of package store are).
	Store store.Store
	// Token, when not empty, is required on every API call and page.
	Token string
	// Workers run jobs (sweeps, processes, backtests) at once; default
	// one per CPU, at least 2.
	Workers int
	// QueueSize is the number of jobs that may wait for a worker; a job
	// submitted to a full queue is refused with 429. Default 16.
	QueueSize int
	// MaxBody is the largest request body in bytes (default 8 MiB).
	MaxBody int64
	// RequestTimeout bounds every request (default 60 s); jobs run
	// outside requests and are not bound by it.
	RequestTimeout time.Duration
	// CodeVersion names the build in stored runs.
	CodeVersion string
	// Registry lists the models (default registry.Default()).
	Registry *model.Registry
	// AllowedHosts are the host names (besides IP literals and localhost,
	// always allowed) that requests may address in their Host header;
	// "*" allows any. A request for another name is refused with 421,
	// which stops DNS rebinding (docs/security.md).
	AllowedHosts []string
	// Limits bound the scenarios the server reads (uploads and stored
	// ones): MaxCells (actors × issues) and MaxValues; MaxBytes is
	// MaxBody. Zero fields take scenario.DefaultLimits.
	Limits scenario.Limits
	// MaxDraws bounds the draws of a sweep, and of a process or
	// recognition run's Monte Carlo (default DefaultMaxDraws); it is the
	// run layer's run.Env.MaxDraws.
	MaxDraws int
	// MaxIntervalDraws bounds the draws of a forecast's interval, which
	// POST /runs/forecast computes while its client waits (default
	// DefaultMaxIntervalDraws); it is the run layer's
	// run.Env.MaxIntervalDraws.
	MaxIntervalDraws int
	// ParseBudget bounds the scenario bytes parsed at once (default
	// twice MaxBody); a request that finds no room within two seconds
	// gets 503 with Retry-After.
	ParseBudget int64
	// ForecastBudget bounds the positions the forecasts answered in
	// requests record at once, each (rounds + 1) × the scenario's
	// positions (default 2 × model.MaxPositions, about 1.5 GB: one
	// 10,000-round forecast of kosovo-2007 records 1,150,115 and peaks at
	// about 0.6 GB; an issue of n actors is charged at least n²/64 for its
	// work tables, 1,562,500 at 10,000 actors); a forecast that finds no
	// room within 2 s gets 503 with Retry-After.
	ForecastBudget int64
	// Log receives internal errors (default: standard error).
	Log *log.Logger
}

// DefaultMaxDraws is the default of Config.MaxDraws.
const DefaultMaxDraws = 1_000_000

// DefaultMaxIntervalDraws is the default of Config.MaxIntervalDraws: a
// few seconds of a shared server (a larger interval is a sweep).
const DefaultMaxIntervalDraws = 5000

// Server serves the API and the UI.
type Server struct {
	cfg     Config
	scen    store.ScenarioStore
	jobs    *Jobs
	handler http.Handler
	logins  *loginLimiter
	parses  *parses
	// forecasts bounds the positions forecasts record at once.
	forecasts *parses
	// now is the clock that run status texts are judged by (tests set it).
	now func() time.Time
	// encoded, when set, is called after the answer of a scenario save
	// is encoded and before it is stored (tests make it slow).
	encoded func()
}

// route is one API route: the table drives both the mux and the test
// that every route is in the OpenAPI description.
type route struct {
	method, path string
	h            http.HandlerFunc
}

// New makes a server; Close (or Shutdown) stops its workers.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil {
		return nil, errors.New("server: no store")
	}
	ss, ok := cfg.Store.(store.ScenarioStore)
	if !ok {
		return nil, errors.New("server: the store cannot keep scenarios")
	}
	if cfg.Workers <= 0 {
		cfg.Workers = max(2, runtime.GOMAXPROCS(0))
	}
	if cfg.QueueSize <= 0 {
		cfg.QueueSize = 16
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = 8 << 20
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = 60 * time.Second
	}
	if cfg.Registry == nil {
		cfg.Registry = registry.Default()
	}
	if cfg.CodeVersion == "" {
		cfg.CodeVersion = "dev"
	}
	cfg.Limits.MaxBytes = cfg.MaxBody
	if cfg.MaxDraws <= 0 {
		cfg.MaxDraws = DefaultMaxDraws
	}
	if cfg.MaxIntervalDraws <= 0 {
		cfg.MaxIntervalDraws = DefaultMaxIntervalDraws
	}
	if cfg.ParseBudget <= 0 {
		cfg.ParseBudget = 2 * cfg.MaxBody
	}
	if cfg.ForecastBudget <= 0 {
		cfg.ForecastBudget = 2 * model.MaxPositions
	}
	if cfg.Log == nil {
		cfg.Log = log.New(os.Stderr, "parley: ", log.LstdFlags)
	}
	s := &Server{cfg: cfg, scen: ss, jobs: NewJobs(cfg.Workers, cfg.QueueSize), now: time.Now,
		logins: newLoginLimiter(LoginInterval, LoginBurst),
		parses: newBudget(cfg.ParseBudget, minParseWeight, errBusy), forecasts: newBudget(cfg.ForecastBudget, 1, errForecastsBusy)}
	s.jobs.failed = s.jobFailed
	mux := http.NewServeMux()
	for _, r := range s.routes() {
		mux.HandleFunc(r.method+" /api/v1"+r.path, r.h)
	}
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, fmt.Errorf("no API route %s %s", r.Method, r.URL.Path))
	})
	ui, _ := fs.Sub(assets, "ui")
	static := http.FileServerFS(ui)
	mux.Handle("GET /static/", http.StripPrefix("/static/", static))
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		b, _ := fs.ReadFile(ui, "index.html")
		w.Write(b)
	})
	mux.HandleFunc("GET /login", s.loginPage)
	mux.HandleFunc("POST /login", s.login)
	var h http.Handler = mux
	h = s.auth(h)
	h = crossOrigin(h)
	h = s.limits(h)
	h = s.guard(h)
	s.handler = h
	return s, nil
}

func (s *Server) routes() []route {
	return []route{
		{"GET", "/openapi.json", s.openAPI},
		{"GET", "/models", s.listModels},
		{"GET", "/formats", s.listFormats},
		{"GET", "/scenarios", s.listScenarios},
		{"POST", "/scenarios", s.createScenario},
		{"POST", "/scenarios/validate", s.validateScenario},
		{"POST", "/scenarios/import", s.importScenario},
		{"GET", "/scenarios/{name}", s.getScenario},
		{"PUT", "/scenarios/{name}", s.updateScenario},
		{"DELETE", "/scenarios/{name}", s.deleteScenario},
		{"GET", "/scenarios/{name}/export", s.exportScenario},
		{"POST", "/runs/forecast", s.runForecast},
		{"POST", "/runs/sweep", s.runSweep},
		{"POST", "/runs/sensitivity", s.runSensitivity},
		{"POST", "/runs/process", s.runProcess},
		{"POST", "/runs/recognition", s.runRecognition},
		{"POST", "/runs/backtest", s.runBacktest},
		{"POST", "/runs/conflicts", s.runConflicts},
		{"POST", "/runs/advise", s.runAdvise},
		{"POST", "/runs/power", s.runPower},
		{"GET", "/bodies", s.listBodies},
		{"GET", "/runs", s.listRuns},
		{"GET", "/runs/{id}", s.getRun},
		{"DELETE", "/runs/{id}", s.deleteRun},
		{"POST", "/runs/{id}/resume", s.resumeSweep},
		{"GET", "/runs/{id}/chart", s.runChart},
		{"GET", "/runs/{id}/diff/{other}", s.diffRuns},
		{"GET", "/runs/{id}/report", s.runReport},
		{"GET", "/jobs", s.listJobs},
		{"GET", "/jobs/{id}", s.getJob},
		{"POST", "/jobs/{id}/cancel", s.cancelJob},
		{"GET", "/jobs/{id}/chart", s.jobChart},
	}
}

// ServeHTTP serves the API and the UI.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Shutdown stops taking jobs, lets the running ones finish until ctx is
// done, then cancels them: an interrupted sweep keeps its finished draws
// in the store and can be resumed (POST /api/v1/runs/{id}/resume).
func (s *Server) Shutdown(ctx context.Context) error { return s.jobs.Shutdown(ctx) }

// Close cancels every job at once and waits for the workers.
func (s *Server) Close() error { return s.jobs.Close() }

// limits bounds every request's body and time. The timeout handler
// answers 503 with a JSON error when a request takes too long.
func (s *Server) limits(next http.Handler) http.Handler {
	timed := http.TimeoutHandler(next, s.cfg.RequestTimeout, `{"error":"request timed out"}`)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > s.cfg.MaxBody {
			writeError(w, http.StatusRequestEntityTooLarge, fmt.Errorf("request body of %d bytes is larger than the limit of %d", r.ContentLength, s.cfg.MaxBody))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBody)
		// The timeout's answer is JSON; a handler that finishes in time
		// replaces this with its own content type.
		w.Header().Set("Content-Type", "application/json")
		timed.ServeHTTP(w, r)
	})
}

// cookieName holds the access token set by the login page.
const cookieName = "parley_token"

// authorized reports whether the request carries the token: an
// Authorization: Bearer header, or the cookie the login page sets.
func (s *Server) authorized(r *http.Request) bool {
	if s.cfg.Token == "" {
		return true
	}
	var got string
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
		got = strings.TrimPrefix(h, "Bearer ")
	} else if c, err := r.Cookie(cookieName); err == nil {
		got = c.Value
	}
	return s.isToken(got)
}

// isToken compares tok with the access token in constant time.
func (s *Server) isToken(tok string) bool {
	return subtle.ConstantTimeCompare([]byte(tok), []byte(s.cfg.Token)) == 1
}

// presented reports whether the request offers a token (right or
// wrong): an Authorization header, the cookie, or a ?token= link.
func presented(r *http.Request) bool {
	if r.Header.Get("Authorization") != "" || r.URL.Query().Get("token") != "" {
		return true
	}
	_, err := r.Cookie(cookieName)
	return err == nil
}

func (s *Server) auth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.cfg.Token == "" || r.URL.Path == "/login" {
			next.ServeHTTP(w, r)
			return
		}
		// A client that has guessed wrong too often is not heard until
		// its budget refills, right token or not.
		if wait, blocked := s.logins.blocked(r); blocked {
			tooMany(w, wait)
			return
		}
		if s.authorized(r) {
			next.ServeHTTP(w, r)
			return
		}
		// A link may carry the token once (?token=…): it becomes the
		// cookie and the address is cleaned of it.
		if tok := r.URL.Query().Get("token"); tok != "" && s.isToken(tok) && !strings.HasPrefix(r.URL.Path, "/api/") {
			s.setCookie(w, r, tok)
			u := *r.URL
			q := u.Query()
			q.Del("token")
			u.RawQuery = q.Encode()
			http.Redirect(w, r, u.String(), http.StatusSeeOther)
			return
		}
		if presented(r) {
			s.logins.failed(r)
		}
		if strings.HasPrefix(r.URL.Path, "/api/") {
			w.Header().Set("WWW-Authenticate", `Bearer realm="parley"`)
			writeError(w, http.StatusUnauthorized, errors.New("missing or wrong access token (Authorization: Bearer TOKEN, or log in at /login)"))
			return
		}
		http.Redirect(w, r, "/login", http.StatusSeeOther)
	})
}

func (s *Server) setCookie(w http.ResponseWriter, r *http.Request, tok string) {
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: tok, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
}

const loginHTML = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Parley — log in</title>
<style>body{font-family:system-ui,sans-serif;max-width:28em;margin:4em auto}input{font-size:1em;padding:.3em;width:100%%;box-sizing:border-box}p.err{color:#b00}</style></head>
<body><h1>Parley</h1>%s<form method="post" action="/login"><p><label>Access token<br><input type="password" name="token" id="token" autofocus></label></p>
<p><button type="submit" id="login">Log in</button></p></form></body></html>`

func (s *Server) loginPage(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, loginHTML, "")
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	if wait, blocked := s.logins.blocked(r); blocked {
		tooMany(w, wait)
		return
	}
	tok := r.PostFormValue("token")
	if s.cfg.Token != "" && !s.isToken(tok) {
		s.logins.failed(r)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprintf(w, loginHTML, `<p class="err">Wrong token.</p>`)
		return
	}
	s.setCookie(w, r, tok)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (s *Server) openAPI(w http.ResponseWriter, _ *http.Request) {
	b, _ := assets.ReadFile("openapi.json")
	w.Header().Set("Content-Type", "application/json")
	w.Write(b)
}

// apiError is the JSON body of every error: a message and, for a bad
// scenario, the problems the command line prints (file, line, field).
type apiError struct {
	Error    string `json:"error"`
	Problems any    `json:"problems,omitempty"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	// Compact: indenting a large scenario costs ten times its encoding.
	data, err := json.Marshal(v)
	if err != nil {
		status, data = http.StatusInternalServerError, []byte(`{"error":"encoding the answer failed"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(append(data, '\n'))
}

func writeError(w http.ResponseWriter, status int, err error) {
	writeJSON(w, status, apiError{Error: err.Error()})
}

// decode reads a JSON body into v, refusing unknown fields and bodies
// not declared JSON. It writes the error response (400, 413 for a body
// over the limit, 415 for another content type) and returns false on
// failure.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	if !requireJSON(w, r) {
		return false
	}
	if err := strictDecode(r.Body, v); err != nil {
		badBody(w, err)
		return false
	}
	return true
}

// strictDecode reads one JSON value into v, refusing unknown fields and
// anything after the value but white space (a second document was
// silently ignored: `{"scenario": "a"}{"rounds": 5}` ran a forecast of
// the default rounds).
func strictDecode(rd io.Reader, v any) error {
	dec := json.NewDecoder(rd)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return errors.New("unexpected data after the JSON document")
	}
	return nil
}

func badBody(w http.ResponseWriter, err error) {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		writeError(w, http.StatusRequestEntityTooLarge, fmt.Errorf("request body is larger than the limit of %d bytes", mbe.Limit))
		return
	}
	writeError(w, http.StatusBadRequest, fmt.Errorf("request body: %w", err))
}
