// Package storetest gives tests a PostgreSQL database to run the results
// store against. The server is named by $PARLEY_TEST_POSTGRES (a URL for a
// role that may create schemas); CI starts Debian's postgresql and sets it.
package storetest

import (
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// Env names the environment variable holding the test server's URL.
const Env = "PARLEY_TEST_POSTGRES"

// Postgres returns the URL of a new, empty schema on the test server,
// dropped when the test ends. Without $PARLEY_TEST_POSTGRES it skips the
// test, except in CI ($CI set), where it fails it: CI must run them.
func Postgres(tb testing.TB) string {
	tb.Helper()
	dsn := os.Getenv(Env)
	if dsn == "" && os.Getenv("CI") != "" {
		tb.Fatalf("%s not set in CI: .ci/run should start PostgreSQL and set it", Env)
	}
	if dsn == "" {
		tb.Skipf("%s not set: no PostgreSQL server for this test (CI starts one)", Env)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		tb.Fatalf("%s: %v", Env, err)
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	schema := fmt.Sprintf("parley_test_%d_%d", time.Now().UnixNano(), rand.IntN(1<<30))
	if _, err := db.Exec(`CREATE SCHEMA ` + schema); err != nil {
		tb.Fatalf("creating a schema on %s: %v", u.Redacted(), err)
	}
	tb.Cleanup(func() {
		db, err := sql.Open("pgx", dsn)
		if err == nil {
			db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
			db.Close()
		}
	})
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
