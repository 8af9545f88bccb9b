package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parley-project/parley/param"
	"github.com/parley-project/parley/store/storetest"
)

// backend opens fresh, empty stores of one kind, for tests and
// benchmarks. reopen opens the same database again, as a second process
// would.
type backend struct {
	name string
	open func(tb testing.TB) (s Store, reopen func() (Store, error))
}

func backends() []backend {
	return []backend{
		{"sqlite", func(tb testing.TB) (Store, func() (Store, error)) {
			path := filepath.Join(tb.TempDir(), "runs.db")
			return openT(tb, path), func() (Store, error) { return Open(context.Background(), path) }
		}},
		{"postgres", func(tb testing.TB) (Store, func() (Store, error)) {
			dsn := storetest.Postgres(tb)
			return openT(tb, dsn), func() (Store, error) { return Open(context.Background(), dsn) }
		}},
	}
}

func openT(tb testing.TB, loc string) Store {
	tb.Helper()
	s, err := Open(context.Background(), loc)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// forEach runs a test against every backend.
func forEach(t *testing.T, f func(t *testing.T, s Store, reopen func() (Store, error))) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			s, reopen := b.open(t)
			f(t, s, reopen)
		})
	}
}

func sampleRun(kind string) *Run {
	return &Run{
		Kind:     kind,
		Scenario: "emission-1994",
		// Snapshots, configs and results come back byte for byte, spaces
		// and key order included.
		Snapshot:    json.RawMessage(`{"name": "emission-1994", "issues": [{"id":"x","min":0,"max":10}], "b": 1, "a": 2}`),
		Model:       "eum",
		Variant:     "scholz",
		Params:      map[string]param.Value{"q": param.Number(0.5), "rule": param.Text("Prop"), "exact": param.Bool(true)},
		Config:      json.RawMessage(`{"rounds": 10, "draws": 1000}`),
		Seed:        math.MaxUint64 - 6,
		CodeVersion: "v1.2.3+abc",
	}
}

func TestCreateGet(t *testing.T) {
	forEach(t, func(t *testing.T, s Store, _ func() (Store, error)) {
		ctx := context.Background()
		before := time.Now().UTC().Add(-time.Second)
		r := sampleRun(KindForecast)
		if err := s.Create(ctx, r); err != nil {
			t.Fatal(err)
		}
		if r.ID <= 0 || r.Status != StatusRunning {
			t.Fatalf("after Create: id %d status %q", r.ID, r.Status)
		}
		got, err := s.Get(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Kind != KindForecast || got.Scenario != "emission-1994" || got.Model != "eum" || got.Variant != "scholz" ||
			got.Seed != math.MaxUint64-6 || got.CodeVersion != "v1.2.3+abc" || got.Params["q"] != param.Number(0.5) || got.Params["rule"] != param.Text("Prop") ||
			got.Params["exact"] != param.Bool(true) || len(got.Params) != 3 || got.Status != StatusRunning || got.Draws != 0 || got.Result != nil {
			t.Errorf("Get = %+v", got)
		}
		if string(got.Snapshot) != string(r.Snapshot) || string(got.Config) != string(r.Config) {
			t.Errorf("snapshot/config changed:\n%s\n%s", got.Snapshot, got.Config)
		}
		if !got.Created.Equal(r.Created) || got.Created.Before(before) || got.Created.After(time.Now().Add(time.Second)) {
			t.Errorf("created %v, want %v", got.Created, r.Created)
		}
		if _, err := s.Get(ctx, r.ID+100); !errors.Is(err, ErrNotFound) {
			t.Errorf("Get(missing) = %v, want ErrNotFound", err)
		}
		if err := s.Create(ctx, &Run{}); err == nil {
			t.Error("Create without a kind succeeded")
		}
	})
}

func TestFinish(t *testing.T) {
	forEach(t, func(t *testing.T, s Store, _ func() (Store, error)) {
		ctx := context.Background()
		r := sampleRun(KindForecast)
		if err := s.Create(ctx, r); err != nil {
			t.Fatal(err)
		}
		doc := json.RawMessage(`{"issues": [{"id": "x", "forecast": 8.35}],  "z": 0.1}`)
		if err := s.Finish(ctx, r.ID, json.RawMessage(`{"broken`)); err == nil {
			t.Error("Finish accepted invalid JSON")
		}
		if err := s.Finish(ctx, r.ID, doc); err != nil {
			t.Fatal(err)
		}
		got, err := s.Get(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != StatusDone || string(got.Result) != string(doc) {
			t.Errorf("after Finish: status %q result %s", got.Status, got.Result)
		}
		// A finished result is never replaced, and no draws are added.
		if err := s.Finish(ctx, r.ID, json.RawMessage(`{}`)); !errors.Is(err, ErrFinished) {
			t.Errorf("second Finish = %v, want ErrFinished", err)
		}
		if err := s.AddDraws(ctx, r.ID, []Draw{{0, json.RawMessage(`1`)}}); !errors.Is(err, ErrFinished) {
			t.Errorf("AddDraws after Finish = %v, want ErrFinished", err)
		}
		if got, _ := s.Get(ctx, r.ID); string(got.Result) != string(doc) {
			t.Errorf("result replaced: %s", got.Result)
		}
		if err := s.Finish(ctx, 9999, doc); !errors.Is(err, ErrNotFound) {
			t.Errorf("Finish(missing) = %v", err)
		}
	})
}

func TestListAndDelete(t *testing.T) {
	forEach(t, func(t *testing.T, s Store, _ func() (Store, error)) {
		ctx := context.Background()
		kinds := []string{KindForecast, KindSweep, KindForecast, KindProcess, KindSweep}
		var ids []int64
		for i, k := range kinds {
			r := sampleRun(k)
			if i == 2 {
				r.Scenario = "kosovo-2007"
			}
			if err := s.Create(ctx, r); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, r.ID)
		}
		if err := s.AddDraws(ctx, ids[1], []Draw{{0, json.RawMessage(`[1]`)}, {1, json.RawMessage(`[2]`)}, {2, json.RawMessage(`[3]`)}}); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			f    Filter
			want []int64
		}{
			{Filter{}, []int64{ids[4], ids[3], ids[2], ids[1], ids[0]}},
			{Filter{Kind: KindSweep}, []int64{ids[4], ids[1]}},
			{Filter{Kind: KindProcess}, []int64{ids[3]}},
			{Filter{Kind: "nothing"}, nil},
			{Filter{Limit: 2}, []int64{ids[4], ids[3]}},
			{Filter{Limit: 2, Offset: 2}, []int64{ids[2], ids[1]}},
			{Filter{Offset: 3}, []int64{ids[1], ids[0]}},
			{Filter{Scenario: "kosovo-2007"}, []int64{ids[2]}},
			{Filter{Scenario: "emission-1994", Kind: KindForecast}, []int64{ids[0]}},
		}
		for _, c := range cases {
			runs, err := s.List(ctx, c.f)
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, r := range runs {
				got = append(got, r.ID)
				if r.Snapshot != nil || r.Result != nil {
					t.Errorf("List returned the snapshot or result of run %d", r.ID)
				}
				if want := map[bool]int{true: 3, false: 0}[r.ID == ids[1]]; r.Draws != want {
					t.Errorf("run %d: %d draws, want %d", r.ID, r.Draws, want)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("List(%+v) = %v, want %v", c.f, got, c.want)
			}
		}
		if err := s.Delete(ctx, ids[1]); err != nil {
			t.Fatal(err)
		}
		if err := s.Delete(ctx, ids[1]); !errors.Is(err, ErrNotFound) {
			t.Errorf("second Delete = %v, want ErrNotFound", err)
		}
		if _, err := s.Draws(ctx, ids[1]); !errors.Is(err, ErrNotFound) {
			t.Errorf("Draws of a deleted run = %v, want ErrNotFound", err)
		}
		runs, _ := s.List(ctx, Filter{})
		if len(runs) != 4 {
			t.Errorf("%d runs after Delete, want 4", len(runs))
		}
		// A new run never reuses a deleted id, so no draw could attach to it.
		r := sampleRun(KindSweep)
		if err := s.Create(ctx, r); err != nil {
			t.Fatal(err)
		}
		if r.ID <= ids[4] {
			t.Errorf("new run id %d reuses an old one (last %d)", r.ID, ids[4])
		}
		if d, _ := s.Draws(ctx, r.ID); len(d) != 0 {
			t.Errorf("new run has draws %v", d)
		}
	})
}

func TestDraws(t *testing.T) {
	forEach(t, func(t *testing.T, s Store, _ func() (Store, error)) {
		ctx := context.Background()
		r := sampleRun(KindSweep)
		if err := s.Create(ctx, r); err != nil {
			t.Fatal(err)
		}
		if err := s.AddDraws(ctx, r.ID, []Draw{{5, json.RawMessage(`[5.5, 1e-7]`)}, {2, json.RawMessage(`[2.25]`)}}); err != nil {
			t.Fatal(err)
		}
		// Storing a draw again keeps the first version.
		if err := s.AddDraws(ctx, r.ID, []Draw{{5, json.RawMessage(`[99]`)}, {0, json.RawMessage(`[0]`)}}); err != nil {
			t.Fatal(err)
		}
		// A batch with an invalid draw writes nothing.
		if err := s.AddDraws(ctx, r.ID, []Draw{{7, json.RawMessage(`[7]`)}, {8, json.RawMessage(`[`)}}); err == nil {
			t.Error("AddDraws accepted invalid JSON")
		}
		if err := s.AddDraws(ctx, r.ID, []Draw{{-1, json.RawMessage(`1`)}}); err == nil {
			t.Error("AddDraws accepted a negative index")
		}
		if err := s.AddDraws(ctx, 12345, []Draw{{1, json.RawMessage(`1`)}}); !errors.Is(err, ErrNotFound) {
			t.Errorf("AddDraws(missing run) = %v, want ErrNotFound", err)
		}
		got, err := s.Draws(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := []Draw{{0, json.RawMessage(`[0]`)}, {2, json.RawMessage(`[2.25]`)}, {5, json.RawMessage(`[5.5, 1e-7]`)}}
		show := func(ds []Draw) string {
			var b strings.Builder
			for _, d := range ds {
				fmt.Fprintf(&b, "%d:%s ", d.Index, d.Data)
			}
			return b.String()
		}
		if show(got) != show(want) {
			t.Errorf("Draws = %s\nwant    %s", show(got), show(want))
		}
	})
}

// TestResumeSemantics is the store's half of resuming a sweep: a process
// computes draws and stores them in batches, dies, and a second process
// reads the finished draws back, computes only the missing ones, and
// reaches exactly the result of an uninterrupted run.
func TestResumeSemantics(t *testing.T) {
	const n, batch, killAfter = 200, 16, 5 // the first process stores 5 batches
	draw := func(i int) []float64 {
		rng := rand.New(rand.NewPCG(42, uint64(i)))
		return []float64{rng.NormFloat64() * 10, rng.Float64()}
	}
	// aggregate sums in index order: any change of order or of a value
	// would change the bits.
	aggregate := func(draws [][]float64) string {
		var s0, s1 float64
		for _, d := range draws {
			s0 += d[0]
			s1 += d[1] * d[0]
		}
		return fmt.Sprintf("%b %b", s0, s1)
	}
	var all [][]float64
	for i := range n {
		all = append(all, draw(i))
	}
	want := aggregate(all)

	forEach(t, func(t *testing.T, s Store, reopen func() (Store, error)) {
		ctx := context.Background()
		r := sampleRun(KindSweep)
		if err := s.Create(ctx, r); err != nil {
			t.Fatal(err)
		}
		// First process: batches of draws, then it dies.
		for b := range killAfter {
			var ds []Draw
			for i := b * batch; i < (b+1)*batch; i++ {
				data, _ := json.Marshal(draw(i))
				ds = append(ds, Draw{i, data})
			}
			if err := s.AddDraws(ctx, r.ID, ds); err != nil {
				t.Fatal(err)
			}
		}
		s.Close()

		// Second process.
		s2, err := reopen()
		if err != nil {
			t.Fatal(err)
		}
		defer s2.Close()
		stored, err := s2.Draws(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(stored) != killAfter*batch {
			t.Fatalf("%d draws stored, want %d", len(stored), killAfter*batch)
		}
		got := make([][]float64, n)
		for _, d := range stored {
			if err := json.Unmarshal(d.Data, &got[d.Index]); err != nil {
				t.Fatal(err)
			}
		}
		computed := 0
		var pending []Draw
		for i := range n {
			if got[i] != nil {
				continue
			}
			got[i] = draw(i)
			computed++
			data, _ := json.Marshal(got[i])
			pending = append(pending, Draw{i, data})
		}
		if err := s2.AddDraws(ctx, r.ID, pending); err != nil {
			t.Fatal(err)
		}
		if computed != n-killAfter*batch {
			t.Errorf("resumed run computed %d draws, want %d", computed, n-killAfter*batch)
		}
		if res := aggregate(got); res != want {
			t.Errorf("resumed aggregate %s, uninterrupted %s", res, want)
		}
		final, _ := json.Marshal(map[string]string{"sum": want})
		if err := s2.Finish(ctx, r.ID, final); err != nil {
			t.Fatal(err)
		}
		if got, _ := s2.Get(ctx, r.ID); got.Draws != n || got.Status != StatusDone {
			t.Errorf("finished sweep: %d draws, status %s", got.Draws, got.Status)
		}
	})
}

// TestConcurrentWriters has several connections (as several processes
// would) write draws into one database at once: every draw arrives.
func TestConcurrentWriters(t *testing.T) {
	forEach(t, func(t *testing.T, s Store, reopen func() (Store, error)) {
		ctx := context.Background()
		r := sampleRun(KindSweep)
		if err := s.Create(ctx, r); err != nil {
			t.Fatal(err)
		}
		const writers, perWriter = 4, 25
		var wg sync.WaitGroup
		errs := make(chan error, writers)
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s2, err := reopen()
				if err != nil {
					errs <- err
					return
				}
				defer s2.Close()
				for i := range perWriter {
					idx := w*perWriter + i
					if err := s2.AddDraws(ctx, r.ID, []Draw{{idx, json.RawMessage(fmt.Sprint(idx))}}); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		got, err := s.Draws(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != writers*perWriter {
			t.Fatalf("%d draws, want %d", len(got), writers*perWriter)
		}
		for i, d := range got {
			if d.Index != i || string(d.Data) != fmt.Sprint(i) {
				t.Fatalf("draw %d = %+v", i, d)
			}
		}
	})
}

func TestMigrations(t *testing.T) {
	forEach(t, func(t *testing.T, s Store, reopen func() (Store, error)) {
		ctx := context.Background()
		r := sampleRun(KindForecast)
		if err := s.Create(ctx, r); err != nil {
			t.Fatal(err)
		}
		db := s.(*sqlStore).db
		var version, count int
		if err := db.QueryRow(`SELECT MAX(version), COUNT(*) FROM schema_migrations`).Scan(&version, &count); err != nil {
			t.Fatal(err)
		}
		backend := "sqlite"
		if IsPostgres(s.Location()) {
			backend = "postgres"
		}
		ms, _ := migrations(backend)
		if version != len(ms) || count != len(ms) {
			t.Errorf("schema version %d with %d rows, want %d", version, count, len(ms))
		}
		// Opening again applies nothing and keeps the data.
		s2, err := reopen()
		if err != nil {
			t.Fatal(err)
		}
		if got, err := s2.Get(ctx, r.ID); err != nil || got.Model != "eum" {
			t.Errorf("after reopening: %v %v", got, err)
		}
		s2.Close()
		// A schema newer than this binary is refused, and left alone.
		if _, err := db.Exec(`INSERT INTO schema_migrations (version, name, applied) VALUES (999, 'future', 'x')`); err != nil {
			t.Fatal(err)
		}
		if s3, err := reopen(); err == nil {
			s3.Close()
			t.Error("opened a database with a newer schema")
		} else if !strings.Contains(err.Error(), "schema version 999") {
			t.Errorf("error %q does not name the schema version", err)
		}
		if got, err := s.Get(ctx, r.ID); err != nil || got.Model != "eum" {
			t.Errorf("data lost after a refused open: %v %v", got, err)
		}
	})
}

func TestMigrationFiles(t *testing.T) {
	for _, b := range []string{"sqlite", "postgres"} {
		ms, err := migrations(b)
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) == 0 || ms[0].version != 1 || !strings.Contains(ms[0].sql, "CREATE TABLE runs") {
			t.Errorf("%s migrations: %+v", b, ms)
		}
	}
	sq, _ := migrations("sqlite")
	pg, _ := migrations("postgres")
	if len(sq) != len(pg) {
		t.Errorf("sqlite has %d migrations, postgres %d: every schema change needs both", len(sq), len(pg))
	}
}

func TestLocations(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", "/data/home")
	t.Setenv(EnvDB, "")
	if got, err := Resolve(""); err != nil || (got != filepath.Join("/data/home", "parley", "parley.db") && filepath.IsAbs(got)) {
		t.Errorf("Resolve(\"\") = %q, %v", got, err)
	}
	t.Setenv(EnvDB, "/tmp/x.db")
	if got, _ := Resolve(""); got != "/tmp/x.db" {
		t.Errorf("with %s: %q", EnvDB, got)
	}
	if got, _ := Resolve("postgres://h/db"); got != "postgres://h/db" {
		t.Errorf("flag: %q", got)
	}
	for loc, want := range map[string]bool{"postgres://u@h/db": true, "postgresql://h/db": true, "runs.db": false, "/x/postgres.db": false} {
		if IsPostgres(loc) != want {
			t.Errorf("IsPostgres(%q) = %v", loc, !want)
		}
	}
	if got := redact("postgres://user:secret@host:5432/db?sslmode=disable"); strings.Contains(got, "secret") {
		t.Errorf("redact kept the password: %s", got)
	}
	if _, err := Open(context.Background(), ""); err == nil {
		t.Error("Open(\"\") succeeded")
	}
	if _, err := Open(context.Background(), filepath.Join(t.TempDir(), "a?b.db")); err == nil {
		t.Error("Open accepted a path with ?")
	}
}

// TestStatusAndUpdated: a run's status moves running → interrupted →
// running → done, an interrupted run still takes draws, and every write
// sets Updated.
func TestStatusAndUpdated(t *testing.T) {
	forEach(t, func(t *testing.T, s Store, _ func() (Store, error)) {
		ctx := context.Background()
		r := sampleRun(KindSweep)
		if err := s.Create(ctx, r); err != nil {
			t.Fatal(err)
		}
		got, err := s.Get(ctx, r.ID)
		if err != nil || got.Status != StatusRunning || !got.Updated.Equal(got.Created) || !got.Updated.Equal(r.Updated) {
			t.Fatalf("new run: %+v %v", got, err)
		}
		// Each write moves Updated from a time long ago to now.
		db := s.(*sqlStore).db
		old := time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)
		wrote := func(what string, f func() error) {
			t.Helper()
			if _, err := db.Exec(`UPDATE runs SET updated = $1 WHERE id = $2`, old.Format(time.RFC3339Nano), r.ID); err != nil {
				t.Fatal(err)
			}
			before := time.Now().Add(-time.Second)
			if err := f(); err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			got, err := s.Get(ctx, r.ID)
			if err != nil || got.Updated.Before(before) {
				t.Errorf("%s: updated %v (%v), want a time after %v", what, got.Updated, err, before)
			}
		}
		wrote("draws", func() error { return s.AddDraws(ctx, r.ID, []Draw{{Index: 0, Data: json.RawMessage(`[1]`)}}) })
		wrote("interrupted", func() error { return s.SetStatus(ctx, r.ID, StatusInterrupted) })
		runs, err := s.List(ctx, Filter{})
		if err != nil || len(runs) != 1 || runs[0].Status != StatusInterrupted || runs[0].Draws != 1 || string(runs[0].Config) != string(r.Config) {
			t.Fatalf("list after the interruption: %+v %v", runs, err)
		}
		wrote("draws while interrupted", func() error { return s.AddDraws(ctx, r.ID, []Draw{{Index: 1, Data: json.RawMessage(`[2]`)}}) })
		wrote("running again", func() error { return s.SetStatus(ctx, r.ID, StatusRunning) })
		wrote("finish", func() error { return s.Finish(ctx, r.ID, json.RawMessage(`{}`)) })
		if got, _ := s.Get(ctx, r.ID); got.Status != StatusDone || got.Draws != 2 {
			t.Errorf("finished run: %+v", got)
		}
		if err := s.SetStatus(ctx, r.ID, StatusInterrupted); !errors.Is(err, ErrFinished) {
			t.Errorf("interrupting a finished run: %v, want ErrFinished", err)
		}
		if err := s.SetStatus(ctx, r.ID+100, StatusRunning); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown run: %v, want ErrNotFound", err)
		}
		r2 := sampleRun(KindSweep)
		if err := s.Create(ctx, r2); err != nil {
			t.Fatal(err)
		}
		if err := s.SetStatus(ctx, r2.ID, StatusDone); err == nil {
			t.Error("SetStatus marked a run done without a result")
		}
	})
}

// TestMigrationUpdated: migration 3 gives the runs of an older store an
// updated time equal to their created time.
func TestMigrationUpdated(t *testing.T) {
	forEach(t, func(t *testing.T, s Store, reopen func() (Store, error)) {
		ctx := context.Background()
		r := sampleRun(KindSweep)
		if err := s.Create(ctx, r); err != nil {
			t.Fatal(err)
		}
		// Back to schema version 2, with a run whose updated time is lost
		// (and the columns of the later migrations gone).
		db := s.(*sqlStore).db
		for _, q := range []string{`ALTER TABLE runs DROP COLUMN updated`, `ALTER TABLE runs DROP COLUMN error`,
			`ALTER TABLE runs DROP COLUMN writer`, `ALTER TABLE runs DROP COLUMN lease_until`, `ALTER TABLE scenarios DROP COLUMN title`,
			`ALTER TABLE scenarios DROP COLUMN issues`, `ALTER TABLE scenarios DROP COLUMN actors`, `ALTER TABLE scenarios DROP COLUMN error`, `DELETE FROM schema_migrations WHERE version >= 3`} {
			if _, err := db.Exec(q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		s2, err := reopen()
		if err != nil {
			t.Fatal(err)
		}
		defer s2.Close()
		got, err := s2.Get(ctx, r.ID)
		if err != nil || !got.Updated.Equal(r.Created) || got.Status != StatusRunning {
			t.Errorf("after migration 3: %+v %v, want updated = created %v", got, err, r.Created)
		}
	})
}

// TestFail: a failed run keeps its reason, shows it in lists, and a
// finished run cannot fail.
func TestFail(t *testing.T) {
	forEach(t, func(t *testing.T, s Store, _ func() (Store, error)) {
		ctx := context.Background()
		r := created(t, s)
		if err := s.Lease(ctx, r.ID, "w", time.Minute); err != nil {
			t.Fatal(err)
		}
		if err := s.Fail(ctx, r.ID, "panic: runtime error: index out of range"); err != nil {
			t.Fatal(err)
		}
		got, err := s.Get(ctx, r.ID)
		if err != nil || got.Status != StatusFailed || got.Error != "panic: runtime error: index out of range" || !got.LeaseUntil.IsZero() {
			t.Fatalf("%+v %v", got, err)
		}
		list, err := s.List(ctx, Filter{})
		if err != nil || list[0].Status != StatusFailed || list[0].Error == "" {
			t.Errorf("list: %+v %v", list, err)
		}
		if err := s.SetStatus(ctx, r.ID, StatusRunning); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Get(ctx, r.ID); got.Error != "" {
			t.Errorf("running again keeps the error %q", got.Error)
		}
		if err := s.Finish(ctx, r.ID, json.RawMessage(`{}`)); err != nil {
			t.Fatal(err)
		}
		if err := s.Fail(ctx, r.ID, "late"); !errors.Is(err, ErrFinished) {
			t.Errorf("failing a finished run: %v", err)
		}
	})
}

// TestLease: one writer at a time holds a run, across processes (two
// connections to one database); a lease lapses, and its owner renews or
// releases it.
func TestLease(t *testing.T) {
	forEach(t, func(t *testing.T, s Store, reopen func() (Store, error)) {
		ctx := context.Background()
		other, err := reopen()
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		r := created(t, s)
		if err := s.Lease(ctx, r.ID, "first", time.Minute); err != nil {
			t.Fatal(err)
		}
		var le *LeaseError
		if err := other.Lease(ctx, r.ID, "second", time.Minute); !errors.As(err, &le) || le.ID != r.ID || time.Until(le.Until) < 50*time.Second {
			t.Fatalf("second writer: %v", err)
		}
		if got, _ := other.Get(ctx, r.ID); time.Until(got.LeaseUntil) < 50*time.Second {
			t.Errorf("lease_until %v", got.LeaseUntil)
		}
		if err := s.Lease(ctx, r.ID, "first", time.Minute); err != nil {
			t.Errorf("renewing: %v", err)
		}
		if err := other.Release(ctx, r.ID, "second"); err != nil {
			t.Fatal(err)
		}
		if err := other.Lease(ctx, r.ID, "second", time.Minute); err == nil {
			t.Error("a release by a writer that holds nothing freed the lease")
		}
		if err := s.Release(ctx, r.ID, "first"); err != nil {
			t.Fatal(err)
		}
		if err := other.Lease(ctx, r.ID, "second", time.Millisecond); err != nil {
			t.Fatalf("after release: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
		if err := s.Lease(ctx, r.ID, "first", time.Minute); err != nil {
			t.Fatalf("after the lease lapsed: %v", err)
		}
		// Two writers race for a free run: exactly one wins each time.
		for i := range 10 {
			r := created(t, s)
			errs := make([]error, 2)
			var wg sync.WaitGroup
			for k, st := range []Store{s, other} {
				wg.Add(1)
				go func() { defer wg.Done(); errs[k] = st.Lease(ctx, r.ID, fmt.Sprint("w", k), time.Minute) }()
			}
			wg.Wait()
			if (errs[0] == nil) == (errs[1] == nil) {
				t.Errorf("race %d: %v, %v", i, errs[0], errs[1])
			}
		}
		// A lease is taken over from its holder by name only.
		if err := other.TakeLease(ctx, r.ID, "someone-else", "new", time.Minute); !errors.As(err, &le) || le.Owner != "first" {
			t.Errorf("from the wrong holder: %v", err)
		}
		if err := other.TakeLease(ctx, r.ID, "first", "new", time.Minute); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Get(ctx, r.ID); got.Writer != "new" || time.Until(got.LeaseUntil) > 2*time.Minute {
			t.Errorf("after taking over: %q until %v", got.Writer, got.LeaseUntil)
		}
		if err := s.Lease(ctx, r.ID+1000, "x", time.Minute); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown run: %v", err)
		}
		if err := s.Finish(ctx, r.ID, json.RawMessage(`{}`)); err != nil {
			t.Fatal(err)
		}
		if err := other.Lease(ctx, r.ID, "second", time.Minute); !errors.Is(err, ErrFinished) {
			t.Errorf("finished run: %v", err)
		}
	})
}

// created stores a new sweep run.
func created(t *testing.T, s Store) *Run {
	t.Helper()
	r := sampleRun(KindSweep)
	if err := s.Create(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	return r
}
