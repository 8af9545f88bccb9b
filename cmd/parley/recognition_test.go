package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/parley-project/parley/scenarios"
)

func TestRecognitionGolden(t *testing.T) {
	// The sides are given explicitly so that the golden file pins the
	// model, not the scenario's choice of patrons.
	goldenCommand(t, "recognition-kosovo.txt", "recognition", "--draws", "500", "--seed", "3",
		"--recognising", "USA,GBR,FRA,DEU,ITA", "--opposing", "SRB,RUS")
}

func TestRecognitionJSONAndSVG(t *testing.T) {
	dir := t.TempDir()
	svg := filepath.Join(dir, "k.svg")
	code, out, errs := parley("recognition", "kosovo-2007", "--draws", "400", "--workers", "3", "--json", "--svg", svg)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc struct {
		States []struct {
			ISO3 string             `json:"iso3"`
			Name string             `json:"name"`
			PBy  map[string]float64 `json:"p_by"`
		} `json:"states"`
		Cumulative []struct {
			Date               string
			Expected, P05, P95 float64
		} `json:"cumulative"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.States) != 193 || len(doc.States[0].PBy) != 4 || len(doc.Cumulative) != 156 {
		t.Fatalf("%d states, %d dates, %d months", len(doc.States), len(doc.States[0].PBy), len(doc.Cumulative))
	}
	for _, d := range []string{"2008-12-31", "2010-12-31", "2013-12-31", "2020-12-31"} {
		if _, ok := doc.States[0].PBy[d]; !ok {
			t.Errorf("p_by lacks %s", d)
		}
	}
	// The same seed with one worker gives the same document.
	_, out1, _ := parley("recognition", "--draws", "400", "--workers", "1", "--json")
	if out1 != out {
		t.Error("one worker and three workers differ")
	}
	data, err := os.ReadFile(svg)
	if err != nil || !strings.HasPrefix(string(data), "<svg") || !strings.Contains(string(data), "Kosovo") {
		t.Errorf("SVG: %v %.80s", err, data)
	}
}

func TestRecognitionErrors(t *testing.T) {
	dir := t.TempDir()
	svg := filepath.Join(dir, "never.svg")
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"recognition", "emission-1994"}, "declares no recognition stage"},
		{[]string{"recognition", "--recognising", "USA,Narnia"}, `unknown state "Narnia"`},
		{[]string{"recognition", "--opposing", "USA"}, "is on both sides"},
		{[]string{"recognition", "-p", "align=1"}, `unknown parameter "align"`},
		{[]string{"recognition", "-p", "peer=NaN"}, "want NAME=NUMBER"},
		{[]string{"recognition", "--start-latest", "2007-01-01"}, "latest start 2007-01-01 is before start 2008-01-01"},
		{[]string{"recognition", "--parent", "USA"}, "is on both sides"},
		{[]string{"recognition", "-p", "peer"}, "want NAME=NUMBER"},
		{[]string{"recognition", "--start", "17.2.2008"}, "want YYYY-MM-DD"},
		{[]string{"recognition", "--draws", "0"}, "--draws 0"},
		{[]string{"recognition", "--by", "2030-01-01", "--svg", svg}, "outside"},
	}
	for _, c := range cases {
		code, _, errs := parley(c.args...)
		if code != 2 || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", c.args, code, errs, c.want)
		}
	}
	if _, err := os.Stat(svg); !os.IsNotExist(err) {
		t.Error("a failed run left an SVG file")
	}
}

// TestRecognitionScenarioSides checks that the sides, the entity and the
// dates come from the scenario's recognition stage and the act it follows.
func TestRecognitionScenarioSides(t *testing.T) {
	src, err := scenarios.Source("kosovo-2007")
	if err != nil {
		t.Fatal(err)
	}
	text := string(src)
	for old, repl := range map[string]string{
		`recognising: \[[^\]]*\]`: "recognising: [USA, GBR, NLD]",
		`until: "2020-12-31"`:     `until: "2012-06-30"`,
		`entity: Kosovo`:          "entity: Kosova",
	} {
		re := regexp.MustCompile(old)
		if len(re.FindAllString(text, -1)) != 1 {
			t.Fatalf("kosovo-2007 has no single match for %q; update this test", old)
		}
		text = re.ReplaceAllString(text, repl)
	}
	path := filepath.Join(t.TempDir(), "k.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := parley("recognition", path, "--draws", "200")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"Recognition of Kosova, declared on a day from 2008-01-01 to 2008-02-29", "patrons: NLD, GBR, USA; parent state: SRB; opposing patrons: RUS", "2012-06-30  "} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%.500s", want, out)
		}
	}
	if strings.Contains(out, "2013-12-31") {
		t.Error("the forecast runs past the stage's until date")
	}
	// Flags override the scenario.
	_, out, _ = parley("recognition", path, "--draws", "200", "--opposing", "RUS", "--entity", "K")
	if !strings.Contains(out, "Recognition of K,") || !strings.Contains(out, "; parent state: RUS; opposing patrons: none\n") {
		t.Errorf("flags did not override:\n%.300s", out)
	}
}

func TestRecognitionOtherScenario(t *testing.T) {
	code, out, errs := parley("recognition", "emission-1994", "--recognising", "RUS", "--opposing", "GEO,USA",
		"--start", "2008-08-26", "--end", "2012-12-31", "--entity", "Abkhazia", "--draws", "300")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "Recognition of Abkhazia, declared 2008-08-26") || !strings.Contains(out, "2010-12-31") || strings.Contains(out, "2013-12-31") {
		t.Errorf("output:\n%.600s", out)
	}
}

// TestRecognitionChecksScenario: a state of the scenario's recognition
// stage that the recognition data lack is refused by 'parley recognition'
// with the file, line, field and message of 'parley validate' and exit 2,
// before anything runs or is stored. A list the flags replace is not the
// one used, so it is not checked, and neither is a stage the command does
// not play (here a talks stage's model).
func TestRecognitionChecksScenario(t *testing.T) {
	cases := []struct {
		old, new string
		// fix is the flag that replaces the bad list.
		fix  []string
		want string
	}{
		{"recognising: [USA,", "recognising: [ATLANTIS,", []string{"--recognising", "USA,GBR"},
			`process.stages[3].recognising[0]: unknown state "ATLANTIS" (want an ISO3 code of a UN member, e.g. USA, or its name)`},
		{"opposing: [RUS]", "opposing: [SCG]", []string{"--opposing", "RUS"},
			`process.stages[3].opposing[0]: unknown state "SCG" (want an ISO3 code of a UN member, e.g. USA, or its name)`},
	}
	for _, c := range cases {
		path, line := badKosovo(t, c.old, c.new)
		refusedAsValidate(t, path, fmt.Sprintf("%s:%d: %s", path, line, c.want), "recognition", "--draws", "50")
		args := append([]string{"recognition", "--no-store", "--draws", "50", path}, c.fix...)
		if code, _, errs := parley(args...); code != 0 {
			t.Errorf("%v: exit %d, %s", args, code, errs)
		}
	}
	path, _ := badKosovo(t, "model: eum\n", "model: eumm\n")
	if code, out, errs := parley("recognition", "--no-store", "--draws", "50", path); code != 0 || !strings.Contains(out, "Recognition of Kosovo") {
		t.Errorf("with a bad talks model: exit %d, %s%.200s", code, errs, out)
	}
}

func TestRecognitionAbkhazia(t *testing.T) {
	code, out, errs := parley("recognition", "abkhazia-2008", "--no-store", "--draws", "300")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"Recognition of Abkhazia, declared 2008-08-26: 300 draws", "patrons: RUS; parent state: GEO; opposing patrons: DEU, USA",
		"RUS    Russia", "2020-12-31  "} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%.600s", want, out)
		}
	}
}

func TestRecognitionFitAndBacktest(t *testing.T) {
	code, out, errs := parley("recognition", "fit")
	if code != 0 || !strings.Contains(out, "fitted on 8 episodes") || !strings.Contains(out, "unsc") || !strings.Contains(out, "log_sigma") {
		t.Fatalf("fit: exit %d %s\n%s", code, errs, out)
	}
	code, out, errs = parley("recognition", "backtest", "--json", "--draws", "200", "--seed", "3")
	if code != 0 {
		t.Fatalf("backtest: exit %d: %s", code, errs)
	}
	var doc struct {
		Episodes []struct {
			ID            string
			HeldOut       []string `json:"held_out"`
			States        int
			Brier         float64
			LogScore      float64 `json:"log_score"`
			BaselineBrier float64 `json:"baseline_brier"`
			Actual        map[string]int
			Expected      map[string]float64
			CountError    map[string]float64 `json:"count_error"`
			Covered90     map[string]bool
		}
		Summary struct {
			Episodes, Cells     int
			Covered90           float64
			BeatsBaseline       int     `json:"beats_baseline"`
			MeanBrier           float64 `json:"mean_brier"`
			MeetsCoverageTarget bool    `json:"meets_coverage_target"`
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Episodes) != 8 || doc.Summary.Episodes != 8 {
		t.Fatalf("%d episodes", len(doc.Episodes))
	}
	cells, covered := 0, 0
	for _, e := range doc.Episodes {
		// Croatia and Slovenia (one parent, one day) are held out together.
		want := []string{e.ID}
		if e.ID == "croatia-1991" || e.ID == "slovenia-1991" {
			want = []string{"croatia-1991", "slovenia-1991"}
		}
		if !slices.Equal(e.HeldOut, want) {
			t.Errorf("%s: held out %v, want %v", e.ID, e.HeldOut, want)
		}
		// Rhodesia, which nobody recognised, can score a Brier of 0.
		if e.States < 100 || e.Brier < 0 || e.Brier >= 1 || e.LogScore > 0 || e.BaselineBrier <= 0 {
			t.Errorf("%s: %+v", e.ID, e)
		}
		if _, ok := e.CountError["end"]; !ok {
			t.Errorf("%s has no end horizon", e.ID)
		}
		for h, err := range e.CountError {
			if math.Abs(err-(e.Expected[h]-float64(e.Actual[h]))) > 1e-9 {
				t.Errorf("%s %s: error %g, expected %g, actual %d", e.ID, h, err, e.Expected[h], e.Actual[h])
			}
			cells++
			if e.Covered90[h] {
				covered++
			}
		}
	}
	if cells != doc.Summary.Cells || math.Abs(float64(covered)/float64(cells)-doc.Summary.Covered90) > 1e-12 {
		t.Errorf("summary %+v, %d of %d cells covered", doc.Summary, covered, cells)
	}
}

// TestRecognitionBadEpisodes: a bad episode file given with --episodes is
// refused with exit 2 and its file, line and field.
func TestRecognitionBadEpisodes(t *testing.T) {
	dir := t.TempDir()
	good := "id: test-2000\nentity: T\nparent: SRB\ndeclared: \"2000-03-15\"\nuntil: \"2001-12-31\"\nuntil_reason: r\n" +
		"recognising: [ALB]\nopposing: []\nsides_note: n\nsides_sources: [s]\nsources:\n  - {id: s, outlet: o, title: t, date: \"2000-05\", url: \"https://example.org\"}\n" +
		"events:\n  - {state: ALB, recognised: \"2000-03-15\", source: s}\n"
	path := filepath.Join(dir, "test-2000.yaml")
	for _, c := range []struct{ old, new, want string }{
		{"state: ALB", "state: ATL", `test-2000.yaml:14: events[0].state: unknown state code "ATL"`},
		{`recognised: "2000-03-15"`, `recognised: "2000-03-14"`, `test-2000.yaml:14: events[0].recognised: 2000-03-14 is before the declaration`},
		{`recognised: "2000-03-15"`, `withdrawn: "2001"`, `test-2000.yaml:14: events[0].recognised: missing`},
		{`recognised: "2000-03-15", source: s}`, `recognised: "2000-03-15", source: s}` + "\n  - {state: ALB, recognised: \"2000-04\", source: s}", `test-2000.yaml:15: events[1].state: ALB is listed twice`},
		{`recognised: "2000-03-15"`, `recognised: "15.3.2000"`, `test-2000.yaml:14: events[0].recognised: date "15.3.2000"`},
		{"\nsources:", "\nnonrecognition_calls:\n  - {resolution: \"1 (2000)\", date: \"2000-13-01\", source: s}\nsources:", `test-2000.yaml:12: nonrecognition_calls[0].date: date "2000-13-01": want YYYY-MM-DD`},
	} {
		if err := os.WriteFile(path, []byte(strings.Replace(good, c.old, c.new, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, sub := range []string{"fit", "backtest"} {
			code, _, errs := parley("recognition", sub, "--episodes", dir)
			if code != 2 || !strings.Contains(errs, path[:len(path)-len("test-2000.yaml")]+c.want) {
				t.Errorf("%s with %q: exit %d, %q; want 2 and %q", sub, c.new, code, errs, c.want)
			}
		}
	}
	// An episode the covariate tables do not cover, and a huge file.
	if err := os.WriteFile(path, []byte(good), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := parley("recognition", "fit", "--episodes", dir); code != 2 || !strings.Contains(errs, path+":1: id: no UN General Assembly agreement data for test-2000 (2000-03-15): the data cover the episodes bangladesh-1971, ") {
		t.Errorf("uncovered episode: exit %d %s", code, errs)
	}
	if err := os.WriteFile(path, []byte(good+"#"+strings.Repeat("x", 2<<20)), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := parley("recognition", "fit", "--episodes", dir); code != 2 || !strings.Contains(errs, path+": the file has more than 1048576 bytes") {
		t.Errorf("huge file: exit %d %s", code, errs)
	}
	if code, _, errs := parley("recognition", "fit", "--episodes", t.TempDir()); code != 2 || !strings.Contains(errs, "no .yaml episode files") {
		t.Errorf("empty folder: exit %d %s", code, errs)
	}
}
