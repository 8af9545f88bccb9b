// Package store keeps Parley's runs: forecasts, Monte Carlo sweeps (with
// the result of every finished draw, so that an interrupted sweep can be
// resumed) and process runs. Each run records the scenario as it was run
// (a JSON snapshot), the model, variant, parameters, seed, the version of
// Parley that produced it, when it was made and its result document.
//
// Two backends sit behind one interface: an embedded SQLite database (the
// default, a single file; pure Go, no cgo) and PostgreSQL. Open chooses
// from the location: a postgres:// or postgresql:// URL opens PostgreSQL,
// anything else is a SQLite file. The schema is created and upgraded by
// numbered migrations embedded in the binary; every write is a
// transaction, and nothing is ever overwritten: a finished run's result
// cannot be replaced and a draw, once stored, is kept as it was.
package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/parley-project/parley/param"
)

// Kinds of run.
const (
	KindForecast = "forecast"
	KindSweep    = "sweep"
	KindProcess  = "process"
	// KindSensitivity is a sensitivity analysis (parley sensitivity).
	KindSensitivity = "sensitivity"
	// KindRecognition is a recognition forecast (parley recognition).
	KindRecognition = "recognition"
	// KindBacktest scores models against recorded outcomes (parley
	// backtest).
	KindBacktest = "backtest"
	// KindConflicts is a conflicts view (parley conflicts).
	KindConflicts = "conflicts"
	// KindAdvice is an actor's advice (parley advise).
	KindAdvice = "advice"
	// KindPower is a body's voting power (parley vote --power).
	KindPower = "power"
)

// Statuses of a run. A run is "running" from Create until Finish. A
// sweep stopped before it finished (Ctrl-C, SIGTERM, an error) is marked
// "interrupted" and can be resumed, which marks it "running" again. A
// run whose job panicked (a bug) is marked "failed" with the reason
// (Fail). A process killed outright (SIGKILL, power loss) cannot update
// its run, which stays "running": Run.Updated tells how long it has made
// no progress, and its lease (Lease) lapses.
const (
	StatusRunning     = "running"
	StatusInterrupted = "interrupted"
	StatusDone        = "done"
	StatusFailed      = "failed"
)

// ErrNotFound is returned for a run id that is not in the store.
var ErrNotFound = errors.New("no such run")

// ErrFinished is returned when a finished run's result would be replaced.
var ErrFinished = errors.New("run is already finished")

// LeaseError is returned by Lease when another writer, Owner, holds the
// run's lease until Until.
type LeaseError struct {
	ID    int64
	Owner string
	Until time.Time
}

func (e *LeaseError) Error() string {
	return fmt.Sprintf("run %d is being written by another process (its lease runs until %s and is renewed while it runs); wait for it to stop, or stop it",
		e.ID, e.Until.Local().Format("2006-01-02 15:04:05"))
}

// Run is one stored run.
type Run struct {
	ID     int64  `json:"id"`
	Kind   string `json:"kind"`
	Status string `json:"status"`
	// Scenario is the scenario's name; Snapshot the scenario itself as
	// JSON, exactly as it was run.
	Scenario string          `json:"scenario"`
	Snapshot json.RawMessage `json:"snapshot,omitempty"`
	Model    string          `json:"model"`
	Variant  string          `json:"variant"`
	// Params are the model's parameters in canonical form (numbers,
	// booleans, enumerations' names; see model.Param.Parse). Runs stored
	// before parameters were typed hold numbers only, and read back so.
	Params map[string]param.Value `json:"params"`
	// Config holds whatever else the command needs to repeat or resume
	// the run (rounds, stop rule, number of draws, noise model), as JSON.
	Config json.RawMessage `json:"config,omitempty"`
	Seed   uint64          `json:"seed"`
	// CodeVersion is the version of Parley that made the run.
	CodeVersion string    `json:"code_version"`
	Created     time.Time `json:"created"`
	// Updated is when the run was last written: created, draws added,
	// status set or finished (truncated to microseconds).
	Updated time.Time `json:"updated"`
	// Result is the run's result document (nil until the run finishes).
	Result json.RawMessage `json:"result,omitempty"`
	// Draws is the number of per-draw results stored for a sweep.
	Draws int `json:"draws"`
	// Error is why a failed run failed (StatusFailed).
	Error string `json:"error,omitempty"`
	// LeaseUntil is when the lease of the process writing the run lapses
	// (zero when no one holds it; see Lease), and Writer the owner token
	// of that process.
	LeaseUntil time.Time `json:"lease_until,omitzero"`
	Writer     string    `json:"-"`
}

// Draw is the result of one draw of a sweep, identified by its index.
type Draw struct {
	Index int             `json:"index"`
	Data  json.RawMessage `json:"data"`
}

// Filter selects runs for List. Zero values select everything.
type Filter struct {
	Kind     string // only runs of this kind
	Scenario string // only runs of the scenario of this name
	Limit    int    // at most this many (newest first); 0 means all
	Offset   int    // skip this many of the newest first
}

// Store is a place runs are kept.
type Store interface {
	// Create stores a new run and sets its ID, Created time (truncated
	// to microseconds) and, when empty, its Status to StatusRunning.
	Create(ctx context.Context, r *Run) error
	// Get returns a run with its snapshot, config and result, or
	// ErrNotFound.
	Get(ctx context.Context, id int64) (*Run, error)
	// List returns runs newest first, with their config but without
	// snapshot and result.
	List(ctx context.Context, f Filter) ([]Run, error)
	// Finish stores a run's result and marks it done. A finished run
	// cannot be finished again (ErrFinished).
	Finish(ctx context.Context, id int64, result json.RawMessage) error
	// SetStatus marks a run that has not finished StatusRunning or
	// StatusInterrupted; a finished run is refused (ErrFinished).
	SetStatus(ctx context.Context, id int64, status string) error
	// Fail marks a run that has not finished StatusFailed with the
	// reason, and releases its lease; a finished run is refused
	// (ErrFinished).
	Fail(ctx context.Context, id int64, reason string) error
	// Lease takes, or renews, the run's writer lease for owner (a token
	// that names one writer) until ttl from now. It fails with a
	// *LeaseError while another owner's lease has not lapsed, and with
	// ErrFinished for a finished run. One writer at a time: a process
	// resuming a sweep takes the lease first.
	Lease(ctx context.Context, id int64, owner string, ttl time.Duration) error
	// TakeLease takes over the lease that from holds, for owner, until
	// ttl from now: for a writer known to be gone (its process has
	// ended) whose lease has not lapsed yet. It fails with a *LeaseError
	// when from no longer holds the lease.
	TakeLease(ctx context.Context, id int64, from, owner string, ttl time.Duration) error
	// Release gives up owner's lease on the run (nothing when owner does
	// not hold it).
	Release(ctx context.Context, id int64, owner string) error
	// Delete removes a run and its draws, or returns ErrNotFound.
	Delete(ctx context.Context, id int64) error
	// AddDraws stores a batch of draw results in one transaction and
	// sets the run's Updated time. A draw whose index is already stored
	// is left as it is.
	AddDraws(ctx context.Context, id int64, draws []Draw) error
	// Draws returns a run's stored draws in index order.
	Draws(ctx context.Context, id int64) ([]Draw, error)
	// Location describes where the store is (a file path, or a
	// PostgreSQL URL without its password).
	Location() string
	// Close releases the database.
	Close() error
}

// EnvDB is the environment variable that names the database when no
// --db flag is given.
const EnvDB = "PARLEY_DB"

// IsPostgres reports whether a location names a PostgreSQL database.
func IsPostgres(location string) bool {
	return strings.HasPrefix(location, "postgres://") || strings.HasPrefix(location, "postgresql://")
}

// Open opens (creating and migrating when needed) the store at location:
// a postgres:// or postgresql:// URL, or the path of a SQLite file.
func Open(ctx context.Context, location string) (Store, error) {
	if location == "" {
		return nil, errors.New("store: empty database location")
	}
	if IsPostgres(location) {
		return openPostgres(ctx, location)
	}
	return openSQLite(ctx, location)
}

// DefaultLocation is where runs are kept when neither --db nor PARLEY_DB
// says otherwise: parley/parley.db in the user's data directory —
// $XDG_DATA_HOME, else ~/.local/share on Linux and other Unix systems;
// ~/Library/Application Support on macOS; %LocalAppData% on Windows.
func DefaultLocation() (string, error) {
	dir, err := dataDir()
	if err != nil {
		return "", fmt.Errorf("store: no user data directory (set %s or use --db): %w", EnvDB, err)
	}
	return filepath.Join(dir, "parley", "parley.db"), nil
}

func dataDir() (string, error) {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" && filepath.IsAbs(d) {
		return d, nil
	}
	switch runtime.GOOS {
	case "windows":
		if d := os.Getenv("LocalAppData"); d != "" {
			return d, nil
		}
		return os.UserConfigDir()
	case "darwin", "ios", "plan9":
		return os.UserConfigDir()
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(home, ".local", "share"), nil
}

// Resolve picks the database location: the flag when set, else $PARLEY_DB,
// else DefaultLocation.
func Resolve(flag string) (string, error) {
	if flag != "" {
		return flag, nil
	}
	if env := os.Getenv(EnvDB); env != "" {
		return env, nil
	}
	return DefaultLocation()
}
