package server

import (
	"mime"
	"slices"
	"strings"
	"testing"
)

// TestExportWarnings: the export of a format that loses something says
// what in Parley-Export-Warning headers, the lines 'parley export'
// prints: what is dropped, and each forecast that changes, by model and
// issue with both values. Parley's own formats send none.
func TestExportWarnings(t *testing.T) {
	_, ts := newTest(t, Config{})
	warnings := func(q string) []string {
		t.Helper()
		resp := call(t, ts, "GET", "/api/v1/scenarios/kosovo-2007/export?"+q, nil, nil)
		want(t, resp, 200)
		var dec mime.WordDecoder
		var out []string
		for _, h := range resp.Header.Values("Parley-Export-Warning") {
			line, err := dec.DecodeHeader(h)
			if err != nil {
				t.Fatalf("%s: header %q: %v", q, h, err)
			}
			out = append(out, line)
		}
		return out
	}
	has := func(lines []string, sub string) bool {
		return slices.ContainsFunc(lines, func(l string) bool { return strings.Contains(l, sub) })
	}
	ktab := warnings("format=ktab")
	for _, sub := range []string{
		"dropped scale labels: 59 labelled anchors on 15 issues",
		"dropped sources: 5 sources",
		"changed saliences: the saliences of 17 actors are divided by their total",
		"changed stances: 245 actor–issue pairs with no stance",
		"forecast status mean: 68.18 on the scenario, 69.83 on the file (+1.64)",
		"forecast presence mean: 70.42 on the scenario, 65.83 on the file (-4.60)",
		"dropped capabilities on issues: 12 stances (8 actors) give the actor a capability of its own on the issue",
	} {
		if !has(ktab, sub) {
			t.Errorf("ktab export: no warning %q in\n%s", sub, strings.Join(ktab, "\n"))
		}
	}
	kept := warnings("format=ktab&keep_weights=true")
	// kosovo-2007's capabilities on single issues cannot be kept (KTAB
	// gives an actor one capability), so the weights change on those
	// issues; on status, where no actor has one, the forecast is kept.
	if has(kept, "forecast status mean:") || !has(kept, "the capabilities of 17 actors are multiplied by it") {
		t.Errorf("ktab export keeping weights:\n%s", strings.Join(kept, "\n"))
	}
	for _, f := range []string{"yaml", "json"} {
		if w := warnings("format=" + f); len(w) != 0 {
			t.Errorf("%s export warns: %q", f, w)
		}
	}
	want(t, call(t, ts, "GET", "/api/v1/scenarios/kosovo-2007/export?format=ktab&keep_weights=maybe", nil, nil), 400)
	want(t, call(t, ts, "GET", "/api/v1/scenarios/kosovo-2007/export?format=decide&keep_weights=true", nil, nil), 422)
}
