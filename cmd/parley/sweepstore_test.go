package main

import (
	"bytes"
	"context"
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

	"github.com/parley-project/parley/store"
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

	for _, sig := range []syscall.Signal{syscall.SIGKILL, syscall.SIGINT} {
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
			if sig == syscall.SIGINT {
				// Ctrl-C: exit status 1, the finished draws written, and
				// the way to resume printed.
				var ee *exec.ExitError
				if !errors.As(err, &ee) || ee.ExitCode() != 1 || !strings.Contains(stderr.String(), "continue with: parley sweep --resume 1") {
					t.Errorf("after SIGINT: %v\n%s", err, stderr.String())
				}
			}
			runs, err := s.List(context.Background(), store.Filter{})
			if err != nil || len(runs) != 1 {
				t.Fatalf("after the signal: %v %v", runs, err)
			}
			stopped := runs[0]
			if stopped.Status != store.StatusRunning || stopped.Draws >= draws {
				t.Fatalf("the sweep was not stopped midway: %s with %d draws", stopped.Status, stopped.Draws)
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
