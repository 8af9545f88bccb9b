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
// JSON) and its version, which every save increments.
type StoredScenario struct {
	Name    string    `json:"name"`
	Source  string    `json:"-"`
	Version int64     `json:"version"`
	Updated time.Time `json:"updated"`
}

// ScenarioStore keeps edited scenarios. Every save is one transaction:
// a scenario is either stored as saved or left as it was.
type ScenarioStore interface {
	// SaveScenario stores a scenario. With ifVersion 0 it creates the
	// scenario (ErrConflict when the name is taken); otherwise it
	// replaces version ifVersion (ErrConflict when the stored version
	// differs, ErrNoScenario when there is none). It returns the new
	// version.
	SaveScenario(ctx context.Context, name, source string, ifVersion int64) (int64, error)
	// Scenario returns a stored scenario with its source.
	Scenario(ctx context.Context, name string) (*StoredScenario, error)
	// Scenarios lists the stored scenarios by name, without sources.
	Scenarios(ctx context.Context) ([]StoredScenario, error)
	// DeleteScenario removes a scenario or returns ErrNoScenario.
	DeleteScenario(ctx context.Context, name string) error
}

var _ ScenarioStore = (*sqlStore)(nil)

func (s *sqlStore) SaveScenario(ctx context.Context, name, source string, ifVersion int64) (int64, error) {
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
			_, err = tx.ExecContext(ctx, `INSERT INTO scenarios (name, source, version, updated) VALUES ($1, $2, $3, $4)`,
				name, source, version, updated)
		case err != nil:
			return fmt.Errorf("store: scenario %q: %w", name, err)
		case ifVersion != cur:
			return fmt.Errorf("scenario %q is at version %d, not %d: %w", name, cur, ifVersion, ErrConflict)
		default:
			version = cur + 1
			_, err = tx.ExecContext(ctx, `UPDATE scenarios SET source = $1, version = $2, updated = $3 WHERE name = $4`,
				source, version, updated, name)
		}
		if err != nil {
			return fmt.Errorf("store: save scenario %q: %w", name, err)
		}
		return nil
	})
	return version, err
}

func scanScenario(sc interface{ Scan(...any) error }, withSource bool) (*StoredScenario, error) {
	var (
		r       StoredScenario
		updated any
	)
	dest := []any{&r.Name, &r.Version, &updated}
	if withSource {
		dest = append(dest, &r.Source)
	}
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	var err error
	if r.Updated, err = scanTime(updated); err != nil {
		return nil, fmt.Errorf("store: scenario %q: updated: %w", r.Name, err)
	}
	return &r, nil
}

func (s *sqlStore) Scenario(ctx context.Context, name string) (*StoredScenario, error) {
	row := s.db.QueryRowContext(ctx, `SELECT name, version, updated, source FROM scenarios WHERE name = $1`, name)
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
	return list(ctx, s.db, "scenarios", `SELECT name, version, updated FROM scenarios ORDER BY name`, nil,
		func(rows *sql.Rows) (*StoredScenario, error) { return scanScenario(rows, false) })
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
