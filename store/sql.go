package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/parley-project/parley/param"
)

// sqlStore is the database/sql implementation shared by both backends.
// The statements are written in the SQL that SQLite and PostgreSQL both
// accept ($N parameters, RETURNING, ON CONFLICT); what differs between
// them (driver, connection settings, migrations, locking) is in
// sqlite.go and postgres.go.
type sqlStore struct {
	db       *sql.DB
	location string
}

func (s *sqlStore) Location() string { return s.location }
func (s *sqlStore) Close() error     { return s.db.Close() }

// inTx runs f in a transaction, committing when it returns nil.
func (s *sqlStore) inTx(ctx context.Context, f func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	if err := f(tx); err != nil {
		tx.Rollback()
		return err
	}
	// A request that ended (timed out, or its client left) while its
	// write was prepared stores nothing.
	if err := ctx.Err(); err != nil {
		tx.Rollback()
		return fmt.Errorf("store: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

func nullJSON(m json.RawMessage) any {
	if len(m) == 0 {
		return nil
	}
	return string(m)
}

func (s *sqlStore) Create(ctx context.Context, r *Run) error {
	if r.Kind == "" {
		return errors.New("store: run has no kind")
	}
	if r.Status == "" {
		r.Status = StatusRunning
	}
	if r.Params == nil {
		r.Params = map[string]param.Value{}
	}
	params, err := json.Marshal(r.Params)
	if err != nil {
		return fmt.Errorf("store: params: %w", err)
	}
	snap := r.Snapshot
	if len(snap) == 0 {
		snap = json.RawMessage("null")
	}
	r.Created = now()
	r.Updated = r.Created
	return s.inTx(ctx, func(tx *sql.Tx) error {
		row := tx.QueryRowContext(ctx, `INSERT INTO runs
			(kind, status, scenario, snapshot, model, variant, params, config, seed, code_version, created, result, updated)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
			r.Kind, r.Status, r.Scenario, string(snap), r.Model, r.Variant, string(params),
			nullJSON(r.Config), int64(r.Seed), r.CodeVersion, r.Created.Format(time.RFC3339Nano), nullJSON(r.Result),
			r.Updated.Format(time.RFC3339Nano))
		if err := row.Scan(&r.ID); err != nil {
			return fmt.Errorf("store: create run: %w", err)
		}
		return nil
	})
}

// now is the time stamp of a write, in UTC to the microsecond (what both
// backends keep).
func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

const runColumns = `r.id, r.kind, r.status, r.scenario, r.model, r.variant, r.params, r.seed, r.code_version, r.created,
	r.updated, r.config, (SELECT COUNT(*) FROM draws d WHERE d.run_id = r.id), r.error, r.lease_until, r.writer`

// scanRun reads the columns of runColumns (and, with full, snapshot and
// result after them).
func scanRun(sc interface{ Scan(...any) error }, full bool) (*Run, error) {
	var (
		r       Run
		params  string
		seed    int64
		created any
		updated any
		snap    sql.NullString
		config  sql.NullString
		result  sql.NullString
		failure sql.NullString
		lease   any
		writer  sql.NullString
	)
	dest := []any{&r.ID, &r.Kind, &r.Status, &r.Scenario, &r.Model, &r.Variant, &params, &seed, &r.CodeVersion, &created, &updated, &config, &r.Draws, &failure, &lease, &writer}
	if full {
		dest = append(dest, &snap, &result)
	}
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	r.Seed = uint64(seed)
	if err := json.Unmarshal([]byte(params), &r.Params); err != nil {
		return nil, fmt.Errorf("store: run %d: params: %w", r.ID, err)
	}
	var err error
	if r.Created, err = scanTime(created); err != nil {
		return nil, fmt.Errorf("store: run %d: created: %w", r.ID, err)
	}
	if updated == nil {
		r.Updated = r.Created
	} else if r.Updated, err = scanTime(updated); err != nil {
		return nil, fmt.Errorf("store: run %d: updated: %w", r.ID, err)
	}
	if lease != nil {
		if r.LeaseUntil, err = scanTime(lease); err != nil {
			return nil, fmt.Errorf("store: run %d: lease_until: %w", r.ID, err)
		}
	}
	r.Error, r.Writer = failure.String, writer.String
	if snap.Valid && snap.String != "null" {
		r.Snapshot = json.RawMessage(snap.String)
	}
	if config.Valid {
		r.Config = json.RawMessage(config.String)
	}
	if result.Valid {
		r.Result = json.RawMessage(result.String)
	}
	return &r, nil
}

// scanTime reads a time column: a time.Time from PostgreSQL, RFC 3339
// text from SQLite.
func scanTime(v any) (time.Time, error) {
	switch c := v.(type) {
	case time.Time:
		return c.UTC(), nil
	case string:
		return time.Parse(time.RFC3339Nano, c)
	default:
		return time.Time{}, fmt.Errorf("type %T", v)
	}
}

func (s *sqlStore) Get(ctx context.Context, id int64) (*Run, error) {
	row := s.db.QueryRowContext(ctx, `SELECT `+runColumns+`, r.snapshot, r.result FROM runs r WHERE r.id = $1`, id)
	r, err := scanRun(row, true)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("run %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: run %d: %w", id, err)
	}
	return r, nil
}

func (s *sqlStore) List(ctx context.Context, f Filter) ([]Run, error) {
	q := `SELECT ` + runColumns + ` FROM runs r WHERE ($1 = '' OR r.kind = $1) AND ($2 = '' OR r.scenario = $2) ORDER BY r.id DESC`
	args := []any{f.Kind, f.Scenario}
	if f.Limit > 0 || f.Offset > 0 {
		limit := int64(f.Limit)
		if limit <= 0 {
			limit = 1<<62 - 1
		}
		q += ` LIMIT $3 OFFSET $4`
		args = append(args, limit, int64(f.Offset))
	}
	return list(ctx, s.db, "runs", q, args, func(rows *sql.Rows) (*Run, error) { return scanRun(rows, false) })
}

// list runs a query and scans every row it returns; what names the list
// in errors.
func list[T any](ctx context.Context, db *sql.DB, what, q string, args []any, scan func(*sql.Rows) (*T, error)) ([]T, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: list %s: %w", what, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		r, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list %s: %w", what, err)
		}
		out = append(out, *r)
	}
	return out, rows.Err()
}

// checkRunning reports ErrNotFound when run id does not exist and
// ErrFinished when it is done: only a running run takes draws or a result.
func checkRunning(ctx context.Context, tx *sql.Tx, id int64) error {
	var status string
	err := tx.QueryRowContext(ctx, `SELECT status FROM runs WHERE id = $1`, id).Scan(&status)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("run %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("store: run %d: %w", id, err)
	}
	if status == StatusDone {
		return fmt.Errorf("run %d: %w", id, ErrFinished)
	}
	return nil
}

func (s *sqlStore) Finish(ctx context.Context, id int64, result json.RawMessage) error {
	if !json.Valid(result) {
		return fmt.Errorf("store: run %d: result is not valid JSON", id)
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := checkRunning(ctx, tx, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE runs SET result = $1, status = $2, updated = $3, writer = NULL, lease_until = NULL WHERE id = $4`,
			string(result), StatusDone, now().Format(time.RFC3339Nano), id); err != nil {
			return fmt.Errorf("store: finish run %d: %w", id, err)
		}
		return nil
	})
}

func (s *sqlStore) SetStatus(ctx context.Context, id int64, status string) error {
	if status != StatusRunning && status != StatusInterrupted {
		return fmt.Errorf("store: run %d: status %q: want %s or %s (a run is marked %s by Finish)", id, status, StatusRunning, StatusInterrupted, StatusDone)
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := checkRunning(ctx, tx, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE runs SET status = $1, updated = $2, error = NULL WHERE id = $3`,
			status, now().Format(time.RFC3339Nano), id); err != nil {
			return fmt.Errorf("store: run %d: set status: %w", id, err)
		}
		return nil
	})
}

func (s *sqlStore) Fail(ctx context.Context, id int64, reason string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := checkRunning(ctx, tx, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE runs SET status = $1, error = $2, updated = $3, writer = NULL, lease_until = NULL WHERE id = $4`,
			StatusFailed, reason, now().Format(time.RFC3339Nano), id); err != nil {
			return fmt.Errorf("store: run %d: fail: %w", id, err)
		}
		return nil
	})
}

// leaseLayout writes lease times in UTC at a fixed width, so that SQLite,
// which keeps them as text, compares them as times.
const leaseLayout = "2006-01-02T15:04:05.000000Z"

func (s *sqlStore) Lease(ctx context.Context, id int64, owner string, ttl time.Duration) error {
	if owner == "" || ttl <= 0 {
		return fmt.Errorf("store: run %d: a lease needs an owner and a positive duration", id)
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		t := now()
		// One statement takes the lease only when it is free, lapsed or
		// owner's already: atomic on both backends.
		return setLease(ctx, tx, id, `UPDATE runs SET writer = $1, lease_until = $2
			WHERE id = $3 AND status <> $4 AND (writer IS NULL OR writer = $1 OR lease_until IS NULL OR lease_until < $5)`,
			owner, t.Add(ttl).Format(leaseLayout), id, StatusDone, t.Format(leaseLayout))
	})
}

// setLease runs an UPDATE that sets the lease of run id when it may; when
// it changed no row, the lease is held (leaseHeld says by whom).
func setLease(ctx context.Context, tx *sql.Tx, id int64, query string, args ...any) error {
	res, err := tx.ExecContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("store: run %d: lease: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("store: run %d: lease: %w", id, err)
	} else if n == 1 {
		return nil
	}
	return leaseHeld(ctx, tx, id)
}

// leaseHeld is the error of a lease that could not be taken: ErrNotFound,
// ErrFinished, or a *LeaseError naming its holder.
func leaseHeld(ctx context.Context, tx *sql.Tx, id int64) error {
	if err := checkRunning(ctx, tx, id); err != nil {
		return err
	}
	var (
		until  any
		writer sql.NullString
	)
	if err := tx.QueryRowContext(ctx, `SELECT lease_until, writer FROM runs WHERE id = $1`, id).Scan(&until, &writer); err != nil {
		return fmt.Errorf("store: run %d: lease: %w", id, err)
	}
	le := &LeaseError{ID: id, Owner: writer.String}
	if until != nil {
		le.Until, _ = scanTime(until)
	}
	return le
}

func (s *sqlStore) TakeLease(ctx context.Context, id int64, from, owner string, ttl time.Duration) error {
	if from == "" || owner == "" || ttl <= 0 {
		return fmt.Errorf("store: run %d: taking a lease needs its holder, a new owner and a positive duration", id)
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		return setLease(ctx, tx, id, `UPDATE runs SET writer = $1, lease_until = $2 WHERE id = $3 AND status <> $4 AND writer = $5`,
			owner, now().Add(ttl).Format(leaseLayout), id, StatusDone, from)
	})
}

func (s *sqlStore) Release(ctx context.Context, id int64, owner string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE runs SET writer = NULL, lease_until = NULL WHERE id = $1 AND writer = $2`, id, owner); err != nil {
			return fmt.Errorf("store: run %d: release: %w", id, err)
		}
		return nil
	})
}

func (s *sqlStore) Delete(ctx context.Context, id int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM draws WHERE run_id = $1`, id); err != nil {
			return fmt.Errorf("store: delete run %d: %w", id, err)
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM runs WHERE id = $1`, id)
		if err != nil {
			return fmt.Errorf("store: delete run %d: %w", id, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("store: delete run %d: %w", id, err)
		} else if n == 0 {
			return fmt.Errorf("run %d: %w", id, ErrNotFound)
		}
		return nil
	})
}

func (s *sqlStore) AddDraws(ctx context.Context, id int64, draws []Draw) error {
	if len(draws) == 0 {
		return nil
	}
	for _, d := range draws {
		if d.Index < 0 {
			return fmt.Errorf("store: run %d: negative draw index %d", id, d.Index)
		}
		if !json.Valid(d.Data) {
			return fmt.Errorf("store: run %d: draw %d is not valid JSON", id, d.Index)
		}
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := checkRunning(ctx, tx, id); err != nil {
			return err
		}
		// Multi-row inserts, drawsPerInsert rows a statement: one round
		// trip per chunk instead of one per draw (PostgreSQL allows 65,535
		// parameters a statement, SQLite 32,766).
		for lo := 0; lo < len(draws); lo += drawsPerInsert {
			chunk := draws[lo:min(lo+drawsPerInsert, len(draws))]
			var q strings.Builder
			q.WriteString(`INSERT INTO draws (run_id, idx, data) VALUES `)
			args := make([]any, 0, 3*len(chunk))
			for i, d := range chunk {
				if i > 0 {
					q.WriteString(", ")
				}
				fmt.Fprintf(&q, "($%d, $%d, $%d)", 3*i+1, 3*i+2, 3*i+3)
				args = append(args, id, d.Index, string(d.Data))
			}
			q.WriteString(` ON CONFLICT (run_id, idx) DO NOTHING`)
			if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
				return fmt.Errorf("store: run %d: draws %d to %d: %w", id, chunk[0].Index, chunk[len(chunk)-1].Index, err)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE runs SET updated = $1 WHERE id = $2`, now().Format(time.RFC3339Nano), id); err != nil {
			return fmt.Errorf("store: run %d: %w", id, err)
		}
		return nil
	})
}

// drawsPerInsert is the number of draws one INSERT statement writes.
const drawsPerInsert = 250

func (s *sqlStore) Draws(ctx context.Context, id int64) ([]Draw, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM runs WHERE id = $1`, id).Scan(&n); err != nil {
		return nil, fmt.Errorf("store: run %d: %w", id, err)
	}
	if n == 0 {
		return nil, fmt.Errorf("run %d: %w", id, ErrNotFound)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT idx, data FROM draws WHERE run_id = $1 ORDER BY idx`, id)
	if err != nil {
		return nil, fmt.Errorf("store: run %d: draws: %w", id, err)
	}
	defer rows.Close()
	var out []Draw
	for rows.Next() {
		var (
			d    Draw
			data string
		)
		if err := rows.Scan(&d.Index, &data); err != nil {
			return nil, fmt.Errorf("store: run %d: draws: %w", id, err)
		}
		d.Data = json.RawMessage(data)
		out = append(out, d)
	}
	return out, rows.Err()
}
