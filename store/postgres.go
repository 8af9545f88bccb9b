package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"

	_ "github.com/jackc/pgx/v5/stdlib" // the pgx driver for database/sql, registered as "pgx"
)

// migrationLockKey is the PostgreSQL advisory lock that serialises
// migrations of one database ("parley" in ASCII).
const migrationLockKey = 0x7061726c6579

// openPostgres connects to the PostgreSQL database at a postgres:// URL
// and migrates its schema. Connection parameters such as search_path or
// sslmode go in the URL as pgx understands them.
func openPostgres(ctx context.Context, dsn string) (Store, error) {
	loc := redact(dsn)
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", loc, err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: %s: %w", loc, err)
	}
	lock := func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(migrationLockKey))
		return err
	}
	if err := migrate(ctx, db, "postgres", lock); err != nil {
		db.Close()
		return nil, fmt.Errorf("%s: %w", loc, err)
	}
	return &sqlStore{db: db, location: loc}, nil
}

// redact hides the password of a database URL.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://…"
	}
	return u.Redacted()
}
