package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var sweepArgs = []string{"sweep", "--draws", "90", "--seed", "5", "--position-sd", "0.05", "--salience-sd", "0.2",
	"--capability-sd", "0.2", "--dropout", "0.1", "--param-dist", "q=uniform(0.5,1)", "emission-1994"}

func TestSweepGolden(t *testing.T) {
	goldenCommand(t, "sweep-emission.txt", sweepArgs...)
}

// TestSweepJSONContract checks the document of issue 6: draws, seed and per
// issue the quantiles 5–95, mean, bands and histogram.
func TestSweepJSONContract(t *testing.T) {
	code, out, errs := parley(append(sweepArgs, "--json")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc struct {
		Draws  int    `json:"draws"`
		Seed   uint64 `json:"seed"`
		Issues []struct {
			ID        string                `json:"id"`
			Quantiles map[string]float64    `json:"quantiles"`
			Mean      float64               `json:"mean"`
			Bands     map[string]float64    `json:"bands"`
			Histogram []struct{ Count int } `json:"histogram"`
		} `json:"issues"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Draws != 90 || doc.Seed != 5 || len(doc.Issues) != 1 || doc.Issues[0].ID != "issue" {
		t.Fatalf("header: %+v", doc)
	}
	is := doc.Issues[0]
	prev := -1.0
	for _, k := range []string{"5", "25", "50", "75", "95"} {
		v, ok := is.Quantiles[k]
		if !ok || v < prev {
			t.Errorf("quantile %s = %v (ok %v) below the previous %v", k, v, ok, prev)
		}
		prev = v
	}
	var p float64
	for _, v := range is.Bands {
		p += v
	}
	n := 0
	for _, h := range is.Histogram {
		n += h.Count
	}
	if n != 90 || p < 0.999999 || p > 1.000001 || len(is.Histogram) != 20 {
		t.Errorf("histogram holds %d draws in %d bins; band probabilities sum to %v", n, len(is.Histogram), p)
	}
}

// TestSweepShardsMergeByteIdentical runs three shards with different worker
// counts into files and merges them: the bytes equal the unsharded run's.
func TestSweepShardsMergeByteIdentical(t *testing.T) {
	dir := t.TempDir()
	code, want, errs := parley(append(sweepArgs, "--json", "--workers", "1")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var files []string
	for k, w := range []string{"2", "1", "3"} {
		f := filepath.Join(dir, "part"+string(rune('1'+k))+".json")
		args := append(sweepArgs, "--json", "--workers", w, "--shard", string(rune('1'+k))+"/3", "-o", f)
		if code, _, errs := parley(args...); code != 0 {
			t.Fatalf("shard %d: exit %d: %s", k+1, code, errs)
		}
		files = append([]string{f}, files...) // merge in reverse order
	}
	code, got, errs := parley(append([]string{"sweep", "merge", "--json"}, files...)...)
	if code != 0 {
		t.Fatalf("merge: exit %d: %s", code, errs)
	}
	if got != want {
		t.Errorf("merged shards differ from the unsharded sweep:\n%s\nwant\n%s", got, want)
	}
	// A shard missing: the merge is marked incomplete; a shard twice: refused.
	code, got, _ = parley("sweep", "merge", "--json", files[0], files[1])
	if code != 0 || !strings.Contains(got, `"complete": false`) {
		t.Errorf("two of three shards: exit %d, complete not false", code)
	}
	if code, _, errs := parley("sweep", "merge", files[0], files[0]); code != 2 || !strings.Contains(errs, "more than one part") {
		t.Errorf("same shard twice: exit %d, %s", code, errs)
	}
}

func TestSweepBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"draws": "x"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.json")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"sweep", "--shard", "4/3", "-o", out}, "want K/N"},
		{[]string{"sweep", "--draws", "0", "-o", out}, "--draws 0: want a positive number up to 1000000000"},
		{[]string{"sweep", "--draws", "100000000000", "-o", out}, "--draws 100000000000: want a positive number up to 1000000000"},
		{[]string{"sweep", "--workers", "100000", "-o", out}, "--workers must be 0 (one per CPU) to 256"},
		{[]string{"sweep", "--shard", "1/10000000", "-o", out}, "N ≤ 1000000"},
		{[]string{"sweep", "--param-dist", "q=beta(1,2)", "-o", out}, "unknown distribution"},
		{[]string{"sweep", "--param-dist", "z=uniform(0,1)", "-o", out}, "no parameter \"z\""},
		{[]string{"sweep", "--dropout", "1", "-o", out}, "drop-out"},
		{[]string{"sweep", "--bins", "7", "-o", out}, "must divide"},
		{[]string{"sweep", "merge", bad}, "bad.json: not a sweep result"},
	} {
		code, _, errs := parley(c.args...)
		if code != 2 || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stderr %q, want 2 and %q", c.args, code, errs, c.want)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%v: wrote %s", c.args, out)
		}
	}
}

// TestSweepScenarioUncertainty reads the noise model from the scenario and
// lets a flag override one field.
func TestSweepScenarioUncertainty(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "..", "scenarios", "emission-1994.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "noisy.yaml")
	doc := string(src) + "uncertainty:\n  position: 0.1\n  dropout: 0.2\n  params:\n    q: \"normal(0.8, 0.1, 0.5, 1)\"\n"
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := parley("sweep", "--draws", "20", "--json", "--dropout", "0", path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, `"position": 0.1,`) || !strings.Contains(out, `"dropout": 0,`) || !strings.Contains(out, `"q": "normal(0.8, 0.1, 0.5, 1)"`) {
		t.Errorf("noise not taken from the scenario and flags:\n%s", out[:min(len(out), 800)])
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte(string(src)+"uncertainty:\n  dropout: 2\n  params:\n    q: \"gamma(1)\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs = parley("sweep", bad)
	if code != 2 || !strings.Contains(errs, "uncertainty.dropout") || !strings.Contains(errs, "uncertainty.params.q") {
		t.Errorf("bad uncertainty: exit %d, %s", code, errs)
	}
}

// TestSweepInterruptKeepsFinishedDraws cancels the command's context (as
// Ctrl-C does through signal.NotifyContext) during a long sweep: the
// command reports the interruption and writes the finished draws.
func TestSweepInterruptKeepsFinishedDraws(t *testing.T) {
	out := filepath.Join(t.TempDir(), "part.json")
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	cmd := newRoot()
	var stdout, stderr bytes.Buffer
	cmd.SetOut(&stdout)
	cmd.SetErr(&stderr)
	cmd.SetArgs([]string{"sweep", "--draws", "1000000", "--position-sd", "0.05", "--json", "-o", out, "emission-1994"})
	err := cmd.ExecuteContext(ctx)
	if err == nil || !strings.Contains(err.Error(), "interrupted after") || !strings.Contains(err.Error(), out) {
		t.Fatalf("err = %v, want an interruption naming %s", err, out)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Draws    int64 `json:"draws"`
		Complete bool  `json:"complete"`
		State    struct {
			Done [][2]int64 `json:"done"`
		} `json:"state"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	var n int64
	for _, r := range doc.State.Done {
		n += r[1] - r[0]
	}
	if doc.Complete || n != doc.Draws || doc.Draws >= 1000000 {
		t.Errorf("complete %v, draws %d, done ranges hold %d", doc.Complete, doc.Draws, n)
	}
}

// TestSweepIdenticalDraws: a sweep without noise runs one draw and says
// so in the table, the JSON and the stored run, with the numbers of the
// full run (the sweep package's TestIdenticalDraws compares them).
func TestSweepIdenticalDraws(t *testing.T) {
	still := []string{"--position-sd", "0", "--salience-sd", "0", "--capability-sd", "0"}
	goldenCommand(t, "sweep-identical.txt", append([]string{"sweep", "--draws", "5000", "emission-1994"}, still...)...)
	db := filepath.Join(t.TempDir(), "runs.db")
	code, out, errs := parley(append([]string{"sweep", "--draws", "5000", "--json", "--db", db, "emission-1994"}, still...)...)
	if code != 0 || !strings.Contains(errs, "one draw is run and counted for all") {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc struct {
		Draws     int  `json:"draws"`
		Identical bool `json:"identical"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || doc.Draws != 5000 || !doc.Identical {
		t.Fatalf("%v: %+v", err, doc)
	}
	code, out, errs = parley("runs", "show", "--db", db, "1")
	if code != 0 || !strings.Contains(out, "identical draws: 1 draw run, counted for all 5000") {
		t.Errorf("runs show: exit %d\n%s%s", code, out, errs)
	}
}
