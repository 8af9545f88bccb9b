package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReportCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "runs.db")
	fc := mustForecast(t, "--db", db, "--rounds", "4", "kosovo-2007")
	code, _, errs := parley("sweep", "--db", db, "--draws", "30", "--position-sd", "0.05", "--model", "mean", "emission-1994")
	if code != 0 {
		t.Fatalf("sweep: %s", errs)
	}
	sw := sweepRunRe.FindStringSubmatch(errs)[1]

	out := filepath.Join(dir, "forecast.html")
	if code, _, errs := parley("report", "--db", db, fc, "--html", out); code != 0 {
		t.Fatalf("report: %d %s", code, errs)
	}
	page, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<!DOCTYPE html>", "Trajectory of", "<svg", `id="ev1"`, "@media print"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("forecast report lacks %q", want)
		}
	}
	if strings.Contains(string(page), "<script") || strings.Contains(string(page), `id="outcomes"`) {
		t.Error("forecast report has a script or an outcome section")
	}

	out = filepath.Join(dir, "sweep.html")
	if code, _, errs := parley("report", "--db", db, sw, "--html", out); code != 0 {
		t.Fatalf("report: %d %s", code, errs)
	}
	page, _ = os.ReadFile(out)
	if !strings.Contains(string(page), `id="outcomes"`) || !strings.Contains(string(page), "Histogram of the forecast") {
		t.Error("sweep report lacks the outcome distribution")
	}

	code, _, errs = parley("sensitivity", "--db", db, "--model", "mean", "--samples", "8", "emission-1994")
	if code != 0 {
		t.Fatalf("sensitivity: %s", errs)
	}
	sens := savedRe.FindStringSubmatch(errs)[1]
	out = filepath.Join(dir, "sensitivity.html")
	if code, _, errs := parley("report", "--db", db, sens, "--html", out); code != 0 {
		t.Fatalf("report: %d %s", code, errs)
	}
	page, _ = os.ReadFile(out)
	if !strings.Contains(string(page), `id="sensitivity"`) || !strings.Contains(string(page), "Inputs ranked by effect") {
		t.Error("sensitivity report lacks the ranking")
	}

	code, _, errs = parley("process", "--db", db, "--draws", "200", "kosovo-2007")
	if code != 0 {
		t.Fatalf("process: %s", errs)
	}
	proc := savedRe.FindStringSubmatch(errs)[1]
	out = filepath.Join(dir, "process.html")
	if code, _, errs := parley("report", "--db", db, proc, "--html", out); code != 0 {
		t.Fatalf("report: %d %s", code, errs)
	}
	page, _ = os.ReadFile(out)
	for _, want := range []string{`id="process"`, "EU/US/Russia troika talks", `id="recognition"`, "year (end of month)"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("process report lacks %q", want)
		}
	}

	for _, args := range [][]string{{"report", "--db", db, fc}, {"report", "--db", db, "999", "--html", out}, {"report", "--db", db, "x", "--html", out}} {
		if code, _, _ := parley(args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}
