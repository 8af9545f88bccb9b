package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// ErrNoScenario is returned for a scenario name that is not in the store.
var ErrNoScenario = errors.New("no such scenario")

// ErrConflict is returned when a scenario is saved over a version other
// than the one stored (someone else saved it in between).
var ErrConflict = errors.New("scenario was changed since it was read")

// StoredScenario is a scenario kept in the store: its source text (a
// scenario file in any format Parley reads; the web server writes Parley
// JSON), its version, which every save increments, and its summary.
type StoredScenario struct {
	Name    string    `json:"name"`
	Source  string    `json:"-"`
	Version int64     `json:"version"`
	Updated time.Time `json:"updated"`
	// Summary is what a list of scenarios shows of it, kept with every
	// save so that listing reads no source; nil for a scenario saved
	// before the store kept summaries (SetSummary fills it in).
	Summary *Summary `json:"summary,omitempty"`
}

// Summary is what a list of scenarios shows of one: its title and size,
// or why it cannot be read (a scenario stored by an older Parley may fail
// a newer one's checks).
type Summary struct {
	Title  string `json:"title"`
	Issues int    `json:"issues"`
	Actors int    `json:"actors"`
	Error  string `json:"error,omitempty"`
}

// ScenarioStore keeps edited scenarios. Every save is one transaction:
// a scenario is either stored as saved or left as it was.
type ScenarioStore interface {
	// SaveScenario stores a scenario and its summary. With ifVersion 0 it
	// creates the scenario (ErrConflict when the name is taken);
	// otherwise it replaces version ifVersion (ErrConflict when the
	// stored version differs, ErrNoScenario when there is none). It
	// returns the new version. Nothing is stored when ctx ends first.
	SaveScenario(ctx context.Context, name, source string, sum Summary, ifVersion int64) (int64, error)
	// SetSummary records the summary of version version of a scenario
	// saved without one; nothing when the scenario has changed since.
	SetSummary(ctx context.Context, name string, version int64, sum Summary) error
	// Scenario returns a stored scenario with its source.
	Scenario(ctx context.Context, name string) (*StoredScenario, error)
	// Scenarios lists the stored scenarios by name, with their summaries
	// but without sources.
	Scenarios(ctx context.Context) ([]StoredScenario, error)
	// DeleteScenario removes a scenario or returns ErrNoScenario.
	DeleteScenario(ctx context.Context, name string) error
}

var _ ScenarioStore = (*sqlStore)(nil)

func (s *sqlStore) SaveScenario(ctx context.Context, name, source string, sum Summary, ifVersion int64) (int64, error) {
	if name == "" {
		return 0, errors.New("store: scenario has no name")
	}
	updated := now().Format(time.RFC3339Nano)
	var version int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var cur int64
		err := tx.QueryRowContext(ctx, `SELECT version FROM scenarios WHERE name = $1`, name).Scan(&cur)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			if ifVersion != 0 {
				return fmt.Errorf("scenario %q: %w", name, ErrNoScenario)
			}
			version = 1
			_, err = tx.ExecContext(ctx, `INSERT INTO scenarios (name, source, version, updated, title, issues, actors, error) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
				name, source, version, updated, sum.Title, sum.Issues, sum.Actors, nullString(sum.Error))
		case err != nil:
			return fmt.Errorf("store: scenario %q: %w", name, err)
		case ifVersion != cur:
			return fmt.Errorf("scenario %q is at version %d, not %d: %w", name, cur, ifVersion, ErrConflict)
		default:
			version = cur + 1
			_, err = tx.ExecContext(ctx, `UPDATE scenarios SET source = $1, version = $2, updated = $3, title = $4, issues = $5, actors = $6, error = $7 WHERE name = $8`,
				source, version, updated, sum.Title, sum.Issues, sum.Actors, nullString(sum.Error), name)
		}
		if err != nil {
			return fmt.Errorf("store: save scenario %q: %w", name, err)
		}
		return nil
	})
	return version, err
}

// scenarioColumns are the columns scanScenario reads, the source last.
const scenarioColumns = `name, version, updated, title, issues, actors, error`

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func scanScenario(sc interface{ Scan(...any) error }, withSource bool) (*StoredScenario, error) {
	var (
		r              StoredScenario
		updated        any
		title, problem sql.NullString
		issues, actors sql.NullInt64
	)
	dest := []any{&r.Name, &r.Version, &updated, &title, &issues, &actors, &problem}
	if withSource {
		dest = append(dest, &r.Source)
	}
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	if title.Valid && issues.Valid && actors.Valid {
		r.Summary = &Summary{Title: title.String, Issues: int(issues.Int64), Actors: int(actors.Int64), Error: problem.String}
	}
	var err error
	if r.Updated, err = scanTime(updated); err != nil {
		return nil, fmt.Errorf("store: scenario %q: updated: %w", r.Name, err)
	}
	return &r, nil
}

func (s *sqlStore) Scenario(ctx context.Context, name string) (*StoredScenario, error) {
	row := s.db.QueryRowContext(ctx, `SELECT `+scenarioColumns+`, source FROM scenarios WHERE name = $1`, name)
	r, err := scanScenario(row, true)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("scenario %q: %w", name, ErrNoScenario)
	}
	if err != nil {
		return nil, fmt.Errorf("store: scenario %q: %w", name, err)
	}
	return r, nil
}

func (s *sqlStore) Scenarios(ctx context.Context) ([]StoredScenario, error) {
	return list(ctx, s.db, "scenarios", `SELECT `+scenarioColumns+` FROM scenarios ORDER BY name`, nil,
		func(rows *sql.Rows) (*StoredScenario, error) { return scanScenario(rows, false) })
}

func (s *sqlStore) SetSummary(ctx context.Context, name string, version int64, sum Summary) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE scenarios SET title = $1, issues = $2, actors = $3, error = $4 WHERE name = $5 AND version = $6`,
			sum.Title, sum.Issues, sum.Actors, nullString(sum.Error), name, version); err != nil {
			return fmt.Errorf("store: scenario %q: summary: %w", name, err)
		}
		return nil
	})
}

func (s *sqlStore) DeleteScenario(ctx context.Context, name string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM scenarios WHERE name = $1`, name)
		if err != nil {
			return fmt.Errorf("store: delete scenario %q: %w", name, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("store: delete scenario %q: %w", name, err)
		} else if n == 0 {
			return fmt.Errorf("scenario %q: %w", name, ErrNoScenario)
		}
		return nil
	})
}
