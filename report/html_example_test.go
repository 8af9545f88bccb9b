package report_test

import (
	"fmt"
	"strings"

	"github.com/parley-project/parley/report"
	"github.com/parley-project/parley/run"
	"github.com/parley-project/parley/store"
)

// A stored run, read by the run layer, becomes one HTML page.
func ExampleHTML() {
	snapshot := []byte(`{"name": "demo", "issues": [{"id": "x", "min": 0, "max": 10}],
		"actors": [{"id": "a", "capability": 1, "stances": {"x": {"position": 2, "salience": 50}}},
		           {"id": "b", "capability": 1, "stances": {"x": {"position": 8, "salience": 50}}}]}`)
	result := []byte(`{"scenario": "demo", "model": "mean", "issues": [{"id": "x", "forecast": 5, "stopped": "static",
		"rounds": [{"round": 0, "forecast": 5, "median": 5, "mean": 5, "positions": {"a": 2, "b": 8}}]}]}`)
	r, err := run.Read(&store.Run{ID: 1, Kind: "forecast", Model: "mean", Snapshot: snapshot, Result: result})
	if err != nil {
		fmt.Println(err)
		return
	}
	page := report.NewPage(r)
	var b strings.Builder
	if err := report.HTML(&b, page); err != nil {
		fmt.Println(err)
		return
	}
	html := b.String()
	fmt.Println(strings.HasPrefix(html, "<!DOCTYPE html>"), strings.Contains(html, "Trajectory of x"), strings.Contains(html, "<script"))
	// Output: true true false
}
