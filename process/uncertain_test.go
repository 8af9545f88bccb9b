package process

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestUncertainDates: an act with a window and a rule with a delay range.
// The recognition model takes the window (each draw its own day), the
// rule's change is dated by the median of seeded draws inside the range,
// and the same seed gives the same result.
func TestUncertainDates(t *testing.T) {
	edits := []string{`date: "2008-02-17"`, `window: ["2008-01-01", "2008-02-29"]`,
		"delay_months: 2,", "delay_months: 0, delay_months_max: 24,",
		"opposing: [RUS]", "parent: SRB, opposing: [RUS]"}
	res, err := Run(context.Background(), load(t, edits...), Options{Seed: 5, Draws: 400})
	if err != nil {
		t.Fatal(err)
	}
	act := stage(res, "act")
	if act.Date != "2008-01-01" {
		t.Errorf("act dated %s, want the window's first day", act.Date)
	}
	rc := res.Recognition
	if rc.Start != "2008-01-01" || rc.StartLatest != "2008-02-29" || rc.Parent != "SRB" {
		t.Errorf("recognition from %s to %s, parent %s", rc.Start, rc.StartLatest, rc.Parent)
	}
	var copies Event
	for _, e := range res.Events {
		if strings.Contains(e.Description, "copies the act") {
			copies = e
		}
		if e.Stage == "act" && !strings.Contains(e.Description, "between 2008-01-01 and 2008-02-29") {
			t.Errorf("the act's event does not name the window: %s", e.Description)
		}
	}
	d, err := time.Parse(time.DateOnly, copies.Date)
	if err != nil || d.Before(time.Date(2008, 1, 1, 0, 0, 0, 0, time.UTC)) || d.After(time.Date(2010, 3, 1, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("the rule's median date %q is outside the window plus 0–24 months", copies.Date)
	}
	// Uniform day in 60 and month in 0..24: the median is about a year
	// after the window's middle.
	if d.Before(time.Date(2008, 10, 1, 0, 0, 0, 0, time.UTC)) || d.After(time.Date(2009, 5, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("median %s is not about a year after the window", copies.Date)
	}
	if !strings.Contains(copies.Description, "date uncertain: median "+copies.Date+", 90% of 400 draws between") {
		t.Errorf("description: %s", copies.Description)
	}
	again, err := Run(context.Background(), load(t, edits...), Options{Seed: 5, Draws: 400, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again, res) {
		t.Error("the same seed gives another result")
	}
	other, err := Run(context.Background(), load(t, edits...), Options{Seed: 6, Draws: 400})
	if err != nil {
		t.Fatal(err)
	}
	if reflect.DeepEqual(other.Events, res.Events) {
		t.Error("another seed gives the same timeline")
	}
}
