package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/parley-project/parley/server"
	"github.com/parley-project/parley/sweep"
)

// EnvToken is the environment variable holding the server's access token
// when --token is not given.
const EnvToken = "PARLEY_TOKEN"

func newServe() *cobra.Command {
	var (
		addr, token                                string
		workers, queue, maxDraws, maxIntervalDraws int
		maxBody, parseBudget, forecastBudget       int64
		timeout, grace                             time.Duration
		allowHosts                                 []string
		db                                         dbFlag
	)
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the HTTP API (/api/v1) and the browser UI",
		Long: `Serve Parley's JSON API under /api/v1 (described at /api/v1/openapi.json) and
its browser UI at /, both from this binary, with runs and edited scenarios in
the results store (--db). The server binds to the loopback interface by
default; any other address requires an access token (--token or $` + EnvToken + `),
which every API call (Authorization: Bearer TOKEN) and page (log in at
/login) must then present. Sweeps, processes and backtests run as jobs in a
bounded queue (429 when full) on a pool of workers. Requests addressed to a
host name the server does not answer to (--allow-host) get 421, state-changing
requests a browser sends from another site 403, and JSON endpoints need
Content-Type: application/json (docs/security.md). SIGINT or SIGTERM stops
taking requests, lets running jobs finish for --grace, then interrupts them:
a sweep keeps its finished draws and resumes with POST /api/v1/runs/ID/resume.`,
		Example: `  parley serve
  parley serve --addr 127.0.0.1:9000 --db runs.db
  PARLEY_TOKEN=$(openssl rand -hex 16) parley serve --addr 0.0.0.0:8080`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if token == "" {
				token = os.Getenv(EnvToken)
			}
			host, _, err := net.SplitHostPort(addr)
			if err != nil {
				return usage("--addr %q: want HOST:PORT (%v)", addr, err)
			}
			if !isLoopback(host) && token == "" {
				return usage("--addr %s is not a loopback address: give an access token with --token or $%s", addr, EnvToken)
			}
			if err := checkToken(token, isLoopback(host)); err != nil {
				return err
			}
			if err := checkServeCounts(workers, queue, maxDraws, maxIntervalDraws, maxBody, parseBudget, timeout); err != nil {
				return err
			}
			if forecastBudget < 0 || forecastBudget > 1<<40 {
				return usage("--forecast-budget must be 0 (the default) to 2^40 positions, got %d", forecastBudget)
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			s, err := db.open(ctx)
			if err != nil {
				return err
			}
			defer s.Close()
			srv, err := server.New(server.Config{Store: s, Token: token, Workers: workers, QueueSize: queue,
				MaxBody: maxBody, RequestTimeout: timeout, CodeVersion: codeVersion(),
				AllowedHosts: allowedHosts(host, allowHosts), Limits: inputs, MaxDraws: maxDraws, MaxIntervalDraws: maxIntervalDraws, ParseBudget: parseBudget,
				ForecastBudget: forecastBudget})
			if err != nil {
				return err
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return usageError{err}
			}
			hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: timeout,
				WriteTimeout: timeout + 5*time.Second, IdleTimeout: 2 * time.Minute}
			fmt.Fprintf(cmd.ErrOrStderr(), "parley: serving %s (API /api/v1, store %s)\n", serveURL(host, ln.Addr()), s.Location())
			errc := make(chan error, 1)
			go func() { errc <- hs.Serve(ln) }()
			select {
			case err := <-errc:
				return err
			case <-ctx.Done():
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "parley: shutting down; running jobs have %s to finish\n", grace)
			sctx, cancel := context.WithTimeout(context.Background(), grace)
			defer cancel()
			err = errors.Join(hs.Shutdown(sctx), srv.Shutdown(sctx))
			if errors.Is(err, context.DeadlineExceeded) {
				err = nil
			}
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on; anything but loopback needs a token")
	f.StringVar(&token, "token", "", "access token required on every request (default $"+EnvToken+")")
	f.IntVar(&workers, "workers", 0, "jobs run at once (default: one per CPU, at least 2)")
	f.IntVar(&queue, "queue", 16, "jobs that may wait for a worker; more are refused with 429")
	f.Int64Var(&maxBody, "max-body", 8<<20, "largest request body in bytes (413 beyond)")
	f.DurationVar(&timeout, "timeout", time.Minute, "time limit of each request (jobs run outside requests)")
	f.DurationVar(&grace, "grace", 10*time.Second, "on shutdown, time running jobs have to finish before they are interrupted")
	f.StringArrayVar(&allowHosts, "allow-host", nil, "a host name requests may address besides IP addresses, localhost and the --addr host (repeatable; \"*\" allows any)")
	f.IntVar(&maxDraws, "max-draws", server.DefaultMaxDraws, "most draws of a sweep, or of a process or recognition run's Monte Carlo")
	f.IntVar(&maxIntervalDraws, "max-interval-draws", server.DefaultMaxIntervalDraws, "most draws of a forecast's interval (POST /runs/forecast answers once it is computed)")
	f.Int64Var(&parseBudget, "parse-budget", 0, "scenario bytes parsed at once; beyond it requests get 503 (default twice --max-body)")
	f.Int64Var(&forecastBudget, "forecast-budget", 0, "positions the forecasts answered in requests record at once, each (rounds + 1) × the scenario's positions; beyond it requests get 503 (default 4000000)")
	db.register(f)
	return cmd
}

// MinTokenLength is the shortest access token a server that listens
// beyond the loopback interface accepts: 16 characters, e.g. the 32 hex
// digits of 'openssl rand -hex 16'.
const MinTokenLength = 16

// checkToken refuses an access token of blanks, or, on an address other
// than loopback, one shorter than MinTokenLength.
func checkToken(token string, loopback bool) error {
	if token != "" && strings.TrimSpace(token) == "" {
		return usage("the access token is blank")
	}
	if !loopback && len(token) < MinTokenLength {
		return usage("an access token must have at least %d characters on an address other than loopback (e.g. $(openssl rand -hex 16)); this one has %d", MinTokenLength, len(token))
	}
	return nil
}

// Upper bounds of the server's own settings.
const (
	maxServeWorkers = 256
	maxQueue        = 100_000
)

// checkServeCounts refuses settings out of bounds.
func checkServeCounts(workers, queue, maxDraws, maxIntervalDraws int, maxBody, parseBudget int64, timeout time.Duration) error {
	switch {
	case workers < 0 || workers > maxServeWorkers:
		return usage("--workers must be 0 (one per CPU, at least 2) to %d, got %d", maxServeWorkers, workers)
	case queue < 1 || queue > maxQueue:
		return usage("--queue must be 1 to %d, got %d", maxQueue, queue)
	case maxDraws < 1 || maxDraws > sweep.MaxDraws:
		return usage("--max-draws must be 1 to %d, got %d", sweep.MaxDraws, maxDraws)
	case maxIntervalDraws < 1 || maxIntervalDraws > sweep.MaxIntervalDraws:
		return usage("--max-interval-draws must be 1 to %d, got %d", sweep.MaxIntervalDraws, maxIntervalDraws)
	case maxBody < 1<<10 || maxBody > 1<<30:
		return usage("--max-body must be 1 KiB to 1 GiB, got %d", maxBody)
	case parseBudget != 0 && (parseBudget < maxBody || parseBudget > 1<<34):
		return usage("--parse-budget must be at least --max-body (%d) and at most 16 GiB, got %d", maxBody, parseBudget)
	case timeout < time.Second:
		return usage("--timeout must be at least 1s, got %s", timeout)
	}
	return nil
}

// allowedHosts are the names the server answers to besides IP literals
// and localhost: the --addr host when it is a name, the machine's name
// when it listens on every interface, and the --allow-host names.
func allowedHosts(host string, extra []string) []string {
	out := slices.Clone(extra)
	ip := net.ParseIP(host)
	switch {
	case host == "" || ip != nil && ip.IsUnspecified():
		if name, err := os.Hostname(); err == nil && name != "" {
			out = append(out, name)
		}
	case ip == nil:
		out = append(out, host)
	}
	return out
}

// serveURL is the address to announce for a server listening on ln,
// started with --addr host:port: a URL a browser can open. The host is kept
// as given (an IPv6 literal in brackets); an unspecified host (empty,
// 0.0.0.0, ::) listens on every interface, so the URL names localhost and
// says so. The port is the listener's, which differs from the flag's when
// that was 0.
func serveURL(host string, ln net.Addr) string {
	port := ""
	if ta, ok := ln.(*net.TCPAddr); ok {
		port = strconv.Itoa(ta.Port)
	} else if _, p, err := net.SplitHostPort(ln.String()); err == nil {
		port = p
	}
	all := host == ""
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		all = true
	}
	if all {
		return "http://" + net.JoinHostPort("localhost", port) + "/, listening on all interfaces"
	}
	// A zone in an IPv6 literal is escaped in a URL (RFC 6874).
	return "http://" + net.JoinHostPort(strings.ReplaceAll(host, "%", "%25"), port) + "/"
}

// isLoopback reports whether host names the loopback interface only.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
