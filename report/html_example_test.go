package report_test

import (
	"fmt"
	"strings"

	"github.com/parley-project/parley/report"
)

// A stored run's scenario snapshot and result become one HTML page.
func ExampleHTML() {
	snapshot := []byte(`{"name": "demo", "issues": [{"id": "x", "min": 0, "max": 10}],
		"actors": [{"id": "a", "capability": 1, "stances": {"x": {"position": 2, "salience": 50}}},
		           {"id": "b", "capability": 1, "stances": {"x": {"position": 8, "salience": 50}}}]}`)
	result := []byte(`{"scenario": "demo", "model": "mean", "issues": [{"id": "x", "forecast": 5, "stopped": "static",
		"rounds": [{"round": 0, "forecast": 5, "median": 5, "mean": 5, "positions": {"a": 2, "b": 8}}]}]}`)
	page, err := report.Decode(report.RunInfo{ID: 1, Kind: "forecast", Model: "mean"}, snapshot, result)
	if err != nil {
		fmt.Println(err)
		return
	}
	var b strings.Builder
	if err := report.HTML(&b, page); err != nil {
		fmt.Println(err)
		return
	}
	html := b.String()
	fmt.Println(strings.HasPrefix(html, "<!DOCTYPE html>"), strings.Contains(html, "Trajectory of x"), strings.Contains(html, "<script"))
	// Output: true true false
}
