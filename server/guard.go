package server

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/http"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/semaphore"
	"golang.org/x/time/rate"
)

// This file holds what keeps hostile requests from harming the server or
// from driving it through a user's browser (docs/security.md): the Host
// allow-list against DNS rebinding, the cross-origin check on
// state-changing requests, the JSON content type, the headers that keep
// pages out of frames, the recovery from panics, the rate limit of failed
// logins and the budget of scenario bytes parsed at once.

// hostAllowed reports whether a request's Host names this server: an IP
// literal (a page can only hold the origin of an address by being served
// from it, so DNS rebinding needs a name), "localhost" or a name under
// it, or a name in the allow-list ("*" allows any).
func (s *Server) hostAllowed(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
	switch {
	case host == "":
		return false
	case net.ParseIP(host) != nil, host == "localhost", strings.HasSuffix(host, ".localhost"):
		return true
	}
	return slices.ContainsFunc(s.cfg.AllowedHosts, func(a string) bool {
		return a == "*" || strings.EqualFold(strings.TrimSuffix(a, "."), host)
	})
}

// guard is the outermost layer: it refuses requests for other hosts
// (421), sets the headers that keep every answer out of frames and
// documents from sniffing, and turns a panic into a 500 answer.
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
		if !s.hostAllowed(r.Host) {
			writeError(w, http.StatusMisdirectedRequest, fmt.Errorf("host %q is not a name this server answers to; start it with --allow-host %s to allow it", r.Host, hostOnly(r.Host)))
			return
		}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.internal(w, fmt.Errorf("panic serving %s %s: %v\n%s", r.Method, r.URL.Path, p, debug.Stack()))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func hostOnly(hostport string) string {
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		return h
	}
	return hostport
}

// crossOrigin refuses state-changing requests (anything but GET, HEAD
// and OPTIONS) that a browser sends from another origin: by
// Sec-Fetch-Site, or, without it, by an Origin that is not this host.
// Requests without either (curl, scripts) pass: no browser page can make
// them. It is the standard library's CSRF protection.
func crossOrigin(next http.Handler) http.Handler {
	p := http.NewCrossOriginProtection()
	p.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusForbidden, errors.New("cross-origin request refused: a page of another site may not change this server's data"))
	}))
	return p.Handler(next)
}

// requireJSON answers 415 unless the request's body is declared JSON
// (application/json, or a type ending in +json). A browser page of
// another origin can send text/plain or form bodies without asking
// (CORS "simple" requests), never JSON.
func requireJSON(w http.ResponseWriter, r *http.Request) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json")) {
		return true
	}
	writeError(w, http.StatusUnsupportedMediaType, fmt.Errorf("request body must be JSON, sent with Content-Type: application/json (got %q)", r.Header.Get("Content-Type")))
	return false
}

// internal answers 500 with a generic message and logs err with an
// incident number that the answer gives: what failed inside the server
// (a database message with its user, name and host, a stack) is for its
// log, not for clients.
func (s *Server) internal(w http.ResponseWriter, err error) {
	writeJSON(w, http.StatusInternalServerError, apiError{Error: s.logInternal(err).Error()})
}

// incidents numbers the internal errors logged.
var incidents atomic.Int64

// internalError is the public face of an internal error.
type internalError struct{ incident int64 }

func (e internalError) Error() string {
	return fmt.Sprintf("internal error (incident %d; the server's log has the details)", e.incident)
}

// logInternal logs err under a new incident number and returns the
// error to show in its place.
func (s *Server) logInternal(err error) error {
	var ie internalError
	if errors.As(err, &ie) {
		return ie
	}
	n := incidents.Add(1)
	s.cfg.Log.Printf("incident %d: %v", n, err)
	return internalError{n}
}

// loginLimiter counts failed authentications (a wrong token at /login,
// in a link or in an Authorization header) per client address: each
// address may fail LoginBurst times at once, then once per
// LoginInterval; beyond that it gets 429 until it may try again.
type loginLimiter struct {
	mu       sync.Mutex
	every    rate.Limit
	burst    int
	limiters map[string]*entry
}

type entry struct{ l *rate.Limiter }

// Failed logins: a burst of LoginBurst, then one per LoginInterval, per
// client address; at most maxClients addresses are remembered.
const (
	LoginBurst    = 10
	LoginInterval = 2 * time.Second
	maxClients    = 10000
)

func newLoginLimiter(every time.Duration, burst int) *loginLimiter {
	return &loginLimiter{every: rate.Every(every), burst: burst, limiters: map[string]*entry{}}
}

// client is the address a request comes from (without the port).
func client(r *http.Request) string {
	if h, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return h
	}
	return r.RemoteAddr
}

// blocked reports whether the client has used up its failures, and when
// it may try again.
func (l *loginLimiter) blocked(r *http.Request) (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	e := l.limiters[client(r)]
	if e == nil {
		return 0, false
	}
	now := time.Now()
	if e.l.TokensAt(now) >= 1 {
		return 0, false
	}
	return time.Duration(float64(time.Second) * (1 - e.l.TokensAt(now)) / float64(l.every)), true
}

// failed records a failed authentication of the client.
func (l *loginLimiter) failed(r *http.Request) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	c := client(r)
	e := l.limiters[c]
	if e == nil {
		if len(l.limiters) >= maxClients {
			// Forget the addresses whose budget has refilled.
			for k, v := range l.limiters {
				if v.l.TokensAt(now) >= float64(l.burst) {
					delete(l.limiters, k)
				}
			}
		}
		if len(l.limiters) >= maxClients {
			for k := range l.limiters { // still full: forget one at random
				delete(l.limiters, k)
				break
			}
		}
		e = &entry{l: rate.NewLimiter(l.every, l.burst)}
		l.limiters[c] = e
	}
	e.l.AllowN(now, 1)
}

// tooMany answers 429 to a client that failed to authenticate too often.
func tooMany(w http.ResponseWriter, wait time.Duration) {
	w.Header().Set("Retry-After", strconv.Itoa(max(1, int(wait.Seconds()+0.999))))
	writeError(w, http.StatusTooManyRequests, errors.New("too many failed attempts with a wrong access token; wait and try again"))
}

// parses bounds the scenario bytes parsed at once (a scenario's memory
// while it is read is about a hundred times its size): each parse holds
// its input's size of the budget, at least minParseWeight and at most the
// whole budget, and waits at most parseWait for it; past that the request
// gets 503 with Retry-After.
//
// The same type bounds the positions the forecasts answered in requests
// record at once (forecasts): each holds its (rounds + 1) × positions.
type parses struct {
	sem    *semaphore.Weighted
	budget int64
	// least is the smallest weight, err the answer when there is no room.
	least int64
	err   error
}

const (
	minParseWeight = 64 << 10
	parseWait      = 2 * time.Second
)

// errBusy is the answer of a request that found no room to parse.
var errBusy = errors.New("the server is busy reading other scenarios; try again shortly")

// acquire takes room for a parse of size bytes, and returns its release.
func (p *parses) acquire(ctx context.Context, size int) (func(), error) {
	n := min(p.budget, max(int64(size), p.least))
	ctx, cancel := context.WithTimeout(ctx, parseWait)
	defer cancel()
	if err := p.sem.Acquire(ctx, n); err != nil {
		return nil, p.err
	}
	return func() { p.sem.Release(n) }, nil
}

// errForecastsBusy is the answer of a forecast that found no room.
var errForecastsBusy = errors.New("the server is busy with other long forecasts; try again shortly, or ask for fewer rounds")

// newBudget returns a budget of total, each use weighing at least least.
func newBudget(total, least int64, busy error) *parses {
	return &parses{sem: semaphore.NewWeighted(total), budget: total, least: least, err: busy}
}

// busy answers 503 with Retry-After to a request that found no room.
func busy(w http.ResponseWriter) { busyWith(w, errBusy) }

// busyWith answers 503 with Retry-After and err.
func busyWith(w http.ResponseWriter, err error) {
	w.Header().Set("Retry-After", "2")
	writeError(w, http.StatusServiceUnavailable, err)
}
