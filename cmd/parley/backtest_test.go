package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parley-project/parley/backtest"
)

const deu3Fixture = "../../testdata/deu3/fixture.tsv"

func TestBacktestGolden(t *testing.T) {
	svg := filepath.Join(t.TempDir(), "acc.svg")
	cases := []goldenCase{
		{"backtest-fixture.txt", []string{"backtest", "deu3", "--data", deu3Fixture, "--models", "mean,median,eum:scholz,procedure", "--capabilities", "equal,votes", "--bootstrap", "200", "--folds", "2", "--svg", svg}},
		{"backtest-fixture.md", []string{"backtest", "deu3", "--data", deu3Fixture, "--models", "mean,condorcet", "--capabilities", "gdp", "--bootstrap", "100", "--folds", "0", "--markdown"}},
	}
	runGolden(t, cases)
	data, err := os.ReadFile(svg)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "backtest-fixture.svg", string(data))
}

func TestBacktestJSON(t *testing.T) {
	args := []string{"backtest", "deu3", "--data", deu3Fixture, "--models", "mean,eum", "--bootstrap", "100", "--folds", "2", "--json", "--seed", "3"}
	code, out, errs := parley(append(args, "--workers", "1")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc struct {
		IssuesUsed    int `json:"issues_used"`
		IssuesSkipped int `json:"issues_skipped"`
		Models        []struct {
			Model, Variant, Capabilities string
			N                            int
			MAE                          float64
			MAECI                        [2]float64 `json:"mae_ci"`
			RMSE                         float64
			MedianAE                     float64 `json:"median_ae"`
			Within10                     float64
			CV                           bool
			CRPS                         *float64
			BeatsMean                    *bool `json:"beats_mean"`
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	// The three models, the two ensembles, the learned models.
	if doc.IssuesUsed != 6 || doc.IssuesSkipped != 2 || len(doc.Models) != 5+len(backtest.LearnerNames()) {
		t.Fatalf("%+v", doc)
	}
	for _, e := range doc.Models[5:] {
		if !e.CV || e.N != 6 || e.BeatsMean == nil || (e.CRPS != nil) != (e.Model == "focal") {
			t.Errorf("learned entry %+v", e)
		}
	}
	m := doc.Models[0]
	if m.Model != "mean" || m.Variant != "" || m.Capabilities != "equal" || m.N != 6 || m.CV || m.MAE < 19.5033 || m.MAE > 19.5034 {
		t.Errorf("mean entry %+v", m)
	}
	if e := doc.Models[3]; e.Model != "ensemble" || !e.CV || doc.Models[1].Variant != "scholz" || doc.Models[4].Variant != "rule" {
		t.Errorf("entries %+v", doc.Models)
	}
	_, out2, _ := parley(append(args, "--workers", "3")...)
	if out2 != out {
		t.Error("the report depends on the number of workers")
	}
}

func TestBacktestErrors(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.tsv")
	if err := os.WriteFile(bad, []byte("prnr\tisnr\tproc\tcounvte\tpcom\tscom\trp\tout\n\t\t\t\t1\t\t\t\np1\ti1\tCOD\tQMV\t200\t5\t5\t5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"backtest", "deu4"}, "unknown data set \"deu4\""},
		{[]string{"backtest", "deu3", "--data", deu3Fixture, "--capabilities", "size"}, "unknown scheme \"size\""},
		{[]string{"backtest", "deu3", "--data", deu3Fixture, "--models", "rubinstein"}, "unknown model \"rubinstein\""},
		{[]string{"backtest", "deu3", "--data", deu3Fixture, "--folds", "1"}, "--folds must be 0 (no ensemble) or 2 to 1000, got 1"},
		{[]string{"backtest", "deu3", "--data", deu3Fixture, "--learned", "focal,nash"}, `--learned: unknown learned model "nash"`},
		{[]string{"backtest", "deu3", "--data", deu3Fixture, "--bootstrap", "1000000000"}, "--bootstrap must be 0 to 100000"},
		{[]string{"backtest", "deu3", "--data", deu3Fixture, "--workers", "9999"}, "--workers must be 0 (one per CPU) to 256"},
		{[]string{"backtest", "deu3", "--data", deu3Fixture, "--max-input", "100"}, "fixture.tsv: larger than the input limit of 100 bytes; stopped reading there"},
		{[]string{"backtest", "deu3", "--data", bad}, "bad.tsv:3: column pcom: 200 is outside 0 to 100"},
		{[]string{"backtest", "deu3", "--data", "/nonexistent/deu3.csv"}, "no such file"},
		{[]string{"backtest", "deu3"}, "no DEU III data at data/deu3.csv: give --data FILE (docs/backtest.md, \"Getting the data\", says where to get deu3.csv)"},
	}
	for _, c := range cases {
		code, out, errs := parley(c.args...)
		if code != 2 || out != "" || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 and %q", c.args, code, out, errs, c.want)
		}
	}
}
