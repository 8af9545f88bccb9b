package run

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/parley-project/parley/store"
)

var now = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

func sweepRun(status, config string, draws int, idle time.Duration) *store.Run {
	return &store.Run{Kind: store.KindSweep, Status: status, Config: json.RawMessage(config), Draws: draws, Updated: now.Add(-idle)}
}

func TestStatusText(t *testing.T) {
	tests := []struct {
		run       *store.Run
		want      string
		resumable bool
	}{
		{sweepRun(store.StatusInterrupted, `{"requested":1500}`, 514, time.Hour), "interrupted (514/1500 draws)", true},
		{sweepRun(store.StatusInterrupted, `{"requested":1000,"shard":"2/3"}`, 12, 0), "interrupted (12/333 draws)", true},
		{sweepRun(store.StatusInterrupted, `{"requested":1}`, 0, 0), "interrupted (0/1 draw)", true},
		{sweepRun(store.StatusInterrupted, `not json`, 12, 0), "interrupted", true},
		{sweepRun(store.StatusRunning, `{"requested":1500}`, 514, 10*time.Second), "running", false},
		{sweepRun(store.StatusRunning, `{"requested":1500}`, 514, 2*time.Minute-time.Second), "running", false},
		{sweepRun(store.StatusRunning, `{"requested":1500}`, 514, 2*time.Minute), "running? (no progress for 2 minutes)", true},
		{sweepRun(store.StatusRunning, `{"requested":1500}`, 514, 61*time.Minute), "running? (no progress for 61 minutes)", true},
		{sweepRun(store.StatusRunning, `{"requested":1500}`, 514, 3*time.Hour+time.Minute), "running? (no progress for 3 hours)", true},
		{sweepRun(store.StatusRunning, `{"requested":1500}`, 514, 25*time.Hour), "running? (no progress for 25 hours)", true},
		{sweepRun(store.StatusRunning, `{"requested":1500}`, 514, 49*time.Hour), "running? (no progress for 2 days)", true},
		{sweepRun(store.StatusDone, `{"requested":1500}`, 1500, 49*time.Hour), "done", false},
		{&store.Run{Kind: store.KindProcess, Status: store.StatusRunning}, "running", false},
		{&store.Run{Kind: store.KindProcess, Status: store.StatusRunning, Updated: now.Add(-time.Hour)}, "running? (no progress for 60 minutes)", false},
		// A writer that still renews its lease is slow, not stalled.
		{&store.Run{Kind: store.KindSweep, Status: store.StatusRunning, Updated: now.Add(-time.Hour), LeaseUntil: now.Add(time.Minute)}, "running", false},
		{&store.Run{Kind: store.KindSweep, Status: store.StatusRunning, Updated: now.Add(-time.Hour), LeaseUntil: now.Add(-time.Minute)}, "running? (no progress for 60 minutes)", true},
		{&store.Run{Kind: store.KindSweep, Status: store.StatusInterrupted, Config: []byte(`{"requested":10}`), LeaseUntil: now.Add(time.Minute)}, "interrupted (0/10 draws)", false},
		{&store.Run{Kind: store.KindSweep, Status: store.StatusFailed, Error: "panic: runtime error: makeslice: len out of range\ngoroutine 7 [running]:"}, "failed: panic: runtime error: makeslice: len out of range", false},
		{&store.Run{Kind: store.KindSweep, Status: store.StatusFailed, Error: strings.Repeat("x", 200)}, "failed: " + strings.Repeat("x", 119) + "…", false},
		{&store.Run{Kind: store.KindForecast, Status: store.StatusFailed}, "failed", false},
	}
	for _, tt := range tests {
		if got := StatusText(tt.run, now); got != tt.want {
			t.Errorf("%s run, %s, %d draws, updated %v: %q, want %q", tt.run.Kind, tt.run.Config, tt.run.Draws, tt.run.Updated, got, tt.want)
		}
		if got := Resumable(tt.run, now); got != tt.resumable {
			t.Errorf("%s run, %s, updated %v: resumable %v, want %v", tt.run.Kind, tt.run.Status, tt.run.Updated, got, tt.resumable)
		}
	}
}

func ExampleStatusText() {
	run := &store.Run{Kind: store.KindSweep, Status: store.StatusInterrupted, Config: json.RawMessage(`{"requested":1500}`), Draws: 514}
	fmt.Println(StatusText(run, now))
	run = &store.Run{Kind: store.KindSweep, Status: store.StatusRunning, Updated: now.Add(-12 * time.Minute)}
	fmt.Println(StatusText(run, now))
	// Output:
	// interrupted (514/1500 draws)
	// running? (no progress for 12 minutes)
}
