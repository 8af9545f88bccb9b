package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/parley-project/parley/run"
	"github.com/parley-project/parley/scenarios"
	"github.com/parley-project/parley/store"
	"github.com/parley-project/parley/sweep"
)

var storedSweepArgs = []string{"sweep", "--json", "--draws", "40", "--seed", "7", "--position-sd", "0.05", "--salience-sd", "0.2", "emission-1994"}

var sweepRunRe = regexp.MustCompile(`sweep stored as run (\d+) `)

func TestSweepStored(t *testing.T) {
	db := filepath.Join(t.TempDir(), "runs.db")
	code, full, errs := parley(append([]string{"--db", db}, storedSweepArgs...)...)
	if code != 0 {
		t.Fatalf("sweep: %d %s", code, errs)
	}
	m := sweepRunRe.FindStringSubmatch(errs)
	if m == nil {
		t.Fatalf("no run id in %q", errs)
	}
	s, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	runs, _ := s.List(context.Background(), store.Filter{})
	if len(runs) != 1 || runs[0].Kind != store.KindSweep || runs[0].Status != store.StatusDone || runs[0].Draws != 40 || runs[0].Seed != 7 {
		t.Fatalf("stored: %+v", runs)
	}
	run, _ := s.Get(context.Background(), runs[0].ID)
	if string(run.Result) != full {
		t.Error("stored result differs from the printed JSON")
	}
	// Resuming a finished sweep computes nothing and prints its result.
	code, again, errs := parley("sweep", "--db", db, "--json", "--resume", m[1])
	if code != 0 || again != full || !strings.Contains(errs, "already finished") {
		t.Errorf("resume of a finished sweep: %d %s", code, errs)
	}
	// Mistakes are the user's (exit 2).
	for _, args := range [][]string{
		{"sweep", "--db", db, "--resume", m[1], "--draws", "10"},
		{"sweep", "--db", db, "--resume", m[1], "kosovo-2007"},
		{"sweep", "--db", db, "--resume", "99"},
		{"sweep", "--no-store", "--resume", m[1]},
	} {
		if code, _, errs := parley(args...); code != 2 {
			t.Errorf("%v: exit %d (%s), want 2", args, code, errs)
		}
	}
	code, _, errs = parley("forecast", "--db", db, "--rounds", "2")
	if code != 0 {
		t.Fatal(errs)
	}
	if code, _, errs := parley("sweep", "--db", db, "--resume", "2"); code != 2 || !strings.Contains(errs, "not a sweep") {
		t.Errorf("resume of a forecast: %d %s", code, errs)
	}
}

// TestSweepKillResume builds the real binary, starts a sweep that stores
// its draws, stops it once some draws are stored — with SIGKILL (nothing
// runs after it) and with SIGINT (Ctrl-C: the sweep writes its finished
// draws and exits 1) — resumes it, and checks that the result is byte for
// byte that of an uninterrupted run and that the stored draws were taken
// as finished, not recomputed.
func TestSweepKillResume(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs long sweeps")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "parley")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	const draws = 1500
	args := []string{"sweep", "--json", "--draws", fmt.Sprint(draws), "--seed", "11", "--workers", "1",
		"--position-sd", "0.05", "--salience-sd", "0.2", "--capability-sd", "0.1", "kosovo-2007"}

	// The uninterrupted run, in-process and without the store.
	code, want, errs := parley(append(append([]string{}, args...), "--no-store", "--workers", "2")...)
	if code != 0 {
		t.Fatalf("uninterrupted sweep: %d %s", code, errs)
	}

	for _, sig := range []syscall.Signal{syscall.SIGKILL, syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "runs.db")
			cmd := exec.Command(bin, append(args, "--db", db)...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			cmd.Env = append(os.Environ(), "PARLEY_DB="+filepath.Join(dir, "unused.db"))
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// Wait until a batch of draws is stored, then stop it.
			var s store.Store
			deadline := time.Now().Add(60 * time.Second)
			stored := 0
			for time.Now().Before(deadline) {
				time.Sleep(20 * time.Millisecond)
				if s == nil {
					if _, err := os.Stat(db); err != nil {
						continue
					}
					var err error
					if s, err = store.Open(context.Background(), db); err != nil {
						t.Fatal(err)
					}
					defer s.Close()
				}
				runs, err := s.List(context.Background(), store.Filter{})
				if err == nil && len(runs) == 1 && runs[0].Draws > 0 {
					stored = runs[0].Draws
					break
				}
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			err := cmd.Wait()
			if stored == 0 {
				t.Fatalf("no draw was stored within a minute; stderr: %s", stderr.String())
			}
			if sig != syscall.SIGKILL {
				// Ctrl-C or SIGTERM: exit status 1, the finished draws
				// written, and the way to resume printed.
				var ee *exec.ExitError
				if !errors.As(err, &ee) || ee.ExitCode() != 1 || !strings.Contains(stderr.String(), "continue with: parley sweep --resume 1") {
					t.Errorf("after %v: %v\n%s", sig, err, stderr.String())
				}
			}
			runs, err := s.List(context.Background(), store.Filter{})
			if err != nil || len(runs) != 1 {
				t.Fatalf("after the signal: %v %v", runs, err)
			}
			stopped := runs[0]
			// A signal the sweep catches marks the run interrupted; a
			// killed process leaves it running, which the listing doubts
			// once it has made no progress for a while.
			wantStatus, wantText := store.StatusInterrupted, fmt.Sprintf("interrupted (%d/%d draws)", stopped.Draws, draws)
			if sig == syscall.SIGKILL {
				wantStatus, wantText = store.StatusRunning, store.StatusRunning
				later := stopped.Updated.Add(10*time.Minute + time.Second)
				if got := run.StatusText(&stopped, later); got != "running? (no progress for 10 minutes)" {
					t.Errorf("killed run ten minutes later: status %q", got)
				}
			}
			if stopped.Status != wantStatus || stopped.Draws >= draws {
				t.Fatalf("the sweep was not stopped midway: %s with %d draws", stopped.Status, stopped.Draws)
			}
			code, list, errs := parley("runs", "list", "--db", db)
			if code != 0 || !strings.Contains(list, " "+wantText+" ") {
				t.Errorf("runs list: exit %d, want status %q:\n%s%s", code, wantText, list, errs)
			}
			code, show, errs := parley("runs", "show", "--db", db, "1")
			if code != 0 || !strings.Contains(show, "sweep ("+wantText+")") {
				t.Errorf("runs show: exit %d, want status %q:\n%s%s", code, wantText, show, errs)
			}
			t.Logf("stopped with %d of %d draws stored", stopped.Draws, draws)

			resume := exec.Command(bin, "sweep", "--db", db, "--json", "--resume", "1", "--workers", "2")
			var out, rerr bytes.Buffer
			resume.Stdout, resume.Stderr = &out, &rerr
			if err := resume.Run(); err != nil {
				t.Fatalf("resume: %v\n%s", err, rerr.String())
			}
			// The resumed process took the stored draws as finished and
			// ran only the others.
			if !strings.Contains(rerr.String(), fmt.Sprintf("resuming run 1: %d of its draws were stored", stopped.Draws)) {
				t.Errorf("resume did not start from the %d stored draws: %s", stopped.Draws, rerr.String())
			}
			if out.String() != want {
				t.Errorf("resumed result differs from the uninterrupted run")
			}
			run, err := s.Get(context.Background(), 1)
			if err != nil {
				t.Fatal(err)
			}
			if run.Status != store.StatusDone || run.Draws != draws || string(run.Result) != want {
				t.Errorf("after resuming: %s, %d draws, result equal %v", run.Status, run.Draws, string(run.Result) == want)
			}
		})
	}
}

// shardFiles sweeps the scenario in three shards, without storing them,
// into JSON files, and returns the files and the unsharded sweep's JSON.
func shardFiles(t *testing.T, scenario string) ([]string, string) {
	t.Helper()
	args := []string{"sweep", "--json", "--no-store", "--draws", "60", "--seed", "3", "--position-sd", "0.05", "--salience-sd", "0.2", scenario}
	code, whole, errs := parley(args...)
	if code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, errs)
	}
	dir := t.TempDir()
	var files []string
	for k := 1; k <= 3; k++ {
		f := filepath.Join(dir, fmt.Sprintf("part%d.json", k))
		if code, _, errs := parley(append(args, "--shard", fmt.Sprintf("%d/3", k), "-o", f)...); code != 0 {
			t.Fatalf("shard %d: exit %d: %s", k, code, errs)
		}
		files = append(files, f)
	}
	return files, whole
}

// storedRuns lists the runs of the store at db.
func storedRuns(t *testing.T, db string) []store.Run {
	t.Helper()
	s, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	list, err := s.List(context.Background(), store.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	var runs []store.Run
	for _, r := range list {
		full, err := s.Get(context.Background(), r.ID)
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, *full)
	}
	return runs
}

// TestSweepMergeStored: parley sweep merge stores the merged sweep as a
// finished sweep run, as parley sweep stores an unsharded one, with the
// built-in scenario's snapshot, so that runs show, report --html and
// --resume work on it; --no-store and an incomplete merge store nothing.
func TestSweepMergeStored(t *testing.T) {
	files, whole := shardFiles(t, "emission-1994")
	dir := t.TempDir()
	db := filepath.Join(dir, "runs.db")
	code, merged, errs := parley(append([]string{"sweep", "merge", "--db", db, "--json"}, files...)...)
	if code != 0 || merged != whole {
		t.Fatalf("merge: exit %d, same as the unsharded sweep %v: %s", code, merged == whole, errs)
	}
	m := sweepRunRe.FindStringSubmatch(errs)
	if m == nil || strings.Contains(errs, "snapshot") {
		t.Fatalf("merge stderr %q: want the run id and no note on the snapshot", errs)
	}
	runs := storedRuns(t, db)
	if len(runs) != 1 {
		t.Fatalf("%d runs stored, want 1", len(runs))
	}
	r := runs[0]
	if fmt.Sprint(r.ID) != m[1] || r.Kind != store.KindSweep || r.Status != store.StatusDone || r.Scenario != "emission-1994" ||
		r.Model != "eum" || r.Seed != 3 || string(r.Result) != whole {
		t.Errorf("stored run %+v", r)
	}
	sc, err := scenarios.Get("emission-1994")
	if err != nil {
		t.Fatal(err)
	}
	if want, _ := json.Marshal(sc); compactJSON(r.Snapshot) != compactJSON(want) {
		t.Errorf("snapshot %.80s…, want the built-in scenario", r.Snapshot)
	}
	// The settings are the unsharded sweep's header, as parley sweep stores them.
	var h sweep.Header
	if err := json.Unmarshal(r.Config, &h); err != nil || h.Shard != "" || h.Requested != 60 || h.Noise.Position != 0.05 {
		t.Errorf("stored settings %s: %v", r.Config, err)
	}

	code, out, errs := parley("runs", "show", "--db", db, "--fields", m[1])
	if code != 0 || !strings.Contains(out, "sweep (done)") || !strings.Contains(out, "emission-1994") || !regexp.MustCompile(`(?m)^draws +60$`).MatchString(out) {
		t.Errorf("runs show: exit %d %s\n%s", code, errs, out)
	}
	html := filepath.Join(dir, "merged.html")
	if code, _, errs := parley("report", "--db", db, m[1], "--html", html); code != 0 {
		t.Fatalf("report: %d %s", code, errs)
	}
	page, _ := os.ReadFile(html)
	for _, w := range []string{`id="scenario"`, `id="outcomes"`, "Histogram of the forecast"} {
		if !strings.Contains(string(page), w) {
			t.Errorf("report of the merged sweep lacks %q", w)
		}
	}
	if code, again, errs := parley("sweep", "--db", db, "--json", "--resume", m[1]); code != 0 || again != whole || !strings.Contains(errs, "already finished") {
		t.Errorf("resume of the merged sweep: exit %d %s", code, errs)
	}

	// Not stored: --no-store, and a merge with a shard missing (printed,
	// with a warning).
	if code, out, errs := parley(append([]string{"sweep", "merge", "--db", db, "--json", "--no-store"}, files...)...); code != 0 || out != whole || errs != "" {
		t.Errorf("--no-store: exit %d, stderr %q", code, errs)
	}
	code, out, errs = parley("sweep", "merge", "--db", db, "--json", files[0], files[2])
	if code != 0 || !strings.Contains(out, `"complete": false`) || !strings.Contains(errs, "hold 40 of the sweep's 60 draws; not stored") {
		t.Errorf("incomplete merge: exit %d, stderr %q", code, errs)
	}
	// An output that cannot be written is refused before anything is stored.
	if code, _, errs := parley(append([]string{"sweep", "merge", "--db", db, "-o", filepath.Join(dir, "no", "such.json")}, files...)...); code != 2 || !strings.Contains(errs, "no folder") {
		t.Errorf("unwritable output: exit %d, stderr %q", code, errs)
	}
	if n := len(storedRuns(t, db)); n != 1 {
		t.Errorf("%d runs after --no-store, an incomplete merge and an unwritable output, want 1", n)
	}
	// Without --db the run goes to $PARLEY_DB, as parley sweep's.
	env := filepath.Join(t.TempDir(), "env.db")
	t.Setenv(store.EnvDB, env)
	if code, _, errs := parley(append([]string{"sweep", "merge"}, files...)...); code != 0 || !sweepRunRe.MatchString(errs) {
		t.Errorf("merge to $PARLEY_DB: exit %d %s", code, errs)
	}
	if n := len(storedRuns(t, env)); n != 1 {
		t.Errorf("%d runs in $PARLEY_DB, want 1", n)
	}
}

// TestSweepMergeScenarioFile: the shards of a scenario file keep its
// snapshot when --scenario gives the file; without it the run has none
// (and says so); a different scenario is refused.
func TestSweepMergeScenarioFile(t *testing.T) {
	data, err := scenarios.Source("emission-1994")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "mine.yaml")
	if err := os.WriteFile(file, bytes.Replace(data, []byte("name: emission-1994"), []byte("name: mine"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	files, _ := shardFiles(t, file)
	db := filepath.Join(t.TempDir(), "runs.db")
	code, _, errs := parley(append([]string{"sweep", "merge", "--db", db}, files...)...)
	if code != 0 || !strings.Contains(errs, "the run keeps no snapshot of scenario mine") {
		t.Errorf("merge without --scenario: exit %d, stderr %q", code, errs)
	}
	code, _, errs = parley(append([]string{"sweep", "merge", "--db", db, "--scenario", file}, files...)...)
	if code != 0 || strings.Contains(errs, "snapshot") {
		t.Errorf("merge with --scenario: exit %d, stderr %q", code, errs)
	}
	code, _, errs = parley(append([]string{"sweep", "merge", "--db", db, "--scenario", "emission-1994"}, files...)...)
	if code != 2 || !strings.Contains(errs, "--scenario emission-1994: not the scenario the sweep ran") {
		t.Errorf("merge with another scenario: exit %d, stderr %q", code, errs)
	}
	runs := storedRuns(t, db)
	if len(runs) != 2 || runs[0].Scenario != "mine" || runs[1].Scenario != "mine" {
		t.Fatalf("stored %+v, want two runs of mine", runs)
	}
	snaps := map[bool]int{}
	for _, r := range runs {
		snaps[len(r.Snapshot) > 0 && string(r.Snapshot) != "null"]++
	}
	if snaps[true] != 1 || snaps[false] != 1 {
		t.Errorf("snapshots %v, want one run with and one without", snaps)
	}
}

// TestSweepResumeRefusedWhileWritten: 'parley sweep --resume' refuses a
// run that another process is writing (it holds the run's lease).
func TestSweepResumeRefusedWhileWritten(t *testing.T) {
	db := filepath.Join(t.TempDir(), "runs.db")
	s, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	code, _, errs := parley("sweep", "--db", db, "--draws", "30", "--position-sd", "0.05", "emission-1994")
	if code != 0 {
		t.Fatal(errs)
	}
	run, err := s.Get(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	// A second copy of the sweep, interrupted, that another process
	// holds.
	cp := *run
	cp.ID, cp.Status, cp.Result = 0, store.StatusInterrupted, nil
	if err := s.Create(context.Background(), &cp); err != nil {
		t.Fatal(err)
	}
	if err := s.Lease(context.Background(), cp.ID, "another-process", time.Minute); err != nil {
		t.Fatal(err)
	}
	code, _, errs = parley("sweep", "--db", db, "--resume", "2")
	if code != 1 || !strings.Contains(errs, "run 2 is being written by another process") {
		t.Errorf("exit %d: %s", code, errs)
	}
	if err := s.Release(context.Background(), cp.ID, "another-process"); err != nil {
		t.Fatal(err)
	}
	if code, _, errs = parley("sweep", "--db", db, "--resume", "2"); code != 0 {
		t.Errorf("after the release: exit %d: %s", code, errs)
	}
}
