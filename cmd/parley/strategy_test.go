package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestStrategyGolden(t *testing.T) {
	runGolden(t, []goldenCase{
		{"conflicts-kosovo-serb-rights.txt", []string{"conflicts", "--issue", "serb_rights", "--variant", "paper", "--pairs", "kosovo-2007"}},
		{"conflicts-kosovo-smp.txt", []string{"conflicts", "--model", "smp", "kosovo-2007"}},
		{"advise-eu-serbia-eu-mean.txt", []string{"advise", "eu", "--model", "mean", "--issue", "serbia_eu", "--grid", "11", "kosovo-2007"}},
		{"vote-unsc-power.txt", []string{"vote", "unsc-2007", "--power", "--proposal", "80", "kosovo-2007"}},
		{"vote-eu-council-power.txt", []string{"vote", "eu-council", "--power"}},
		{"forecast-kosovo-nash.txt", []string{"forecast", "--model", "nash", "kosovo-2007"}},
	})
}

// Bad input: exit 2 with the choices listed, nothing written.
func TestStrategyBadInput(t *testing.T) {
	dir := t.TempDir()
	out, svg := filepath.Join(dir, "out.txt"), filepath.Join(dir, "maps.svg")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"conflicts", "--perspective", "atlantis"}, `unknown perspective "atlantis" (have objective, kosovo_albanians, serbia`},
		{[]string{"conflicts", "--issue", "trade"}, `unknown issue "trade" (have status, serbia_eu`},
		{[]string{"conflicts", "--model", "mean"}, "eum or smp"},
		{[]string{"conflicts", "--model", "nope"}, `unknown model "nope" (have mean,`},
		{[]string{"conflicts", "--round", "12"}, "beyond the run of 10 rounds"},
		{[]string{"conflicts", "--variant", "paper", "--issue", "status", "--round", "7"}, "ended after round 4"},
		{[]string{"conflicts", "--model", "smp", "--round", "60"}, "beyond the run: it stopped by KTAB's rule after 42 turns"},
		{[]string{"advise", "atlantis"}, `unknown actor "atlantis" (have kosovo_albanians, serbia,`},
		{[]string{"advise", "usa", "--issue", "trade"}, `unknown issue "trade" (have status,`},
		{[]string{"advise", "china", "--issue", "serbia_eu"}, `china holds no position on issue "serbia_eu" (it does on status`},
		{[]string{"advise", "usa", "--target", "120"}, `target 120 is outside the scale 0 to 100 of issue "status"`},
		{[]string{"advise", "usa", "--model", "exchange", "--target", "-1"}, "outside the scale"},
		{[]string{"vote", "atlantis-council", "--power"}, `no built-in body "atlantis-council" (have eu-council, eu-council-cfsp, unga`},
		{[]string{"vote", "unsc-2007"}, "missing --proposal"},
		{[]string{"vote", "unsc-2007", "--power", "--proposal", "120"}, "--proposal 120 is outside the scale"},
	} {
		args := append(c.args, "-o", out)
		if c.args[0] == "conflicts" {
			args = append(args, "--svg", svg)
		}
		code, stdout, stderr := parley(append(args, "--db", filepath.Join(dir, "runs.db"))...)
		if code != 2 || stdout != "" || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 and %q", c.args, code, stdout, stderr, c.want)
		}
		for _, f := range []string{out, svg, filepath.Join(dir, "runs.db")} {
			if _, err := os.Stat(f); err == nil {
				t.Fatalf("%v wrote %s", c.args, f)
			}
		}
	}
}

// The JSON documents carry every pair, every lever and every index.
func TestStrategyJSON(t *testing.T) {
	code, out, errs := parley("conflicts", "--json", "--no-store", "--issue", "status", "--variant", "paper", "kosovo-2007")
	if code != 0 {
		t.Fatal(errs)
	}
	var v struct {
		Issues []struct {
			Pairs []struct {
				I, J     string
				A, B     float64
				Relation string
				EUij     *float64 `json:"eu_ij"`
				EUjiByI  *float64 `json:"eu_ji_by_i"`
				EUjiByJ  *float64 `json:"eu_ji_by_j"`
			}
			Mutual []struct{ A, B string }
		}
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Issues) != 1 || len(v.Issues[0].Pairs) != 20*19 || v.Issues[0].Mutual[0].A != "usa" || v.Issues[0].Mutual[0].B != "russia" {
		t.Fatalf("%d issues, first mutual %+v", len(v.Issues), v.Issues[0].Mutual[:1])
	}
	for _, p := range v.Issues[0].Pairs {
		if p.EUij == nil || p.EUjiByI == nil || p.EUjiByJ == nil || p.A != *p.EUij || p.B != *p.EUjiByJ {
			t.Fatalf("%+v", p)
		}
	}
	code, out, errs = parley("vote", "unga", "--power", "--json", "--no-store")
	if code != 0 {
		t.Fatal(errs)
	}
	var pw struct {
		Power struct {
			Method  string
			Indices []struct {
				ShapleyShubik float64 `json:"shapley_shubik"`
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &pw); err != nil {
		t.Fatal(err)
	}
	if len(pw.Power.Indices) != 192 || math.Abs(pw.Power.Indices[0].ShapleyShubik-1.0/192) > 1e-12 {
		t.Fatalf("%+v", pw.Power.Indices[:1])
	}
}

// --svg draws every actor's map, or only the --perspective actor's, with
// every other actor labelled.
func TestConflictsSVG(t *testing.T) {
	dir := t.TempDir()
	all, one := filepath.Join(dir, "all.svg"), filepath.Join(dir, "russia.svg")
	for _, c := range []struct {
		file  string
		args  []string
		maps  int
		title string
	}{
		{all, []string{"--issue", "serb_rights"}, 8, "Kosovo Serbs's perceptual map"},
		{one, []string{"--issue", "status", "--perspective", "russia", "--variant", "paper"}, 1, "Russia's perceptual map"},
	} {
		if code, _, errs := parley(append([]string{"conflicts", "--no-store", "--svg", c.file}, c.args...)...); code != 0 {
			t.Fatal(errs)
		}
		b, _ := os.ReadFile(c.file)
		s := string(b)
		if n := strings.Count(s, "perceptual map (round 0)</title>"); n != c.maps || !strings.Contains(s, strings.ReplaceAll(c.title, "'", "&#39;")) {
			t.Errorf("%s: %d maps, title %q present: %v", c.file, n, c.title, strings.Contains(s, c.title))
		}
		// Every actor of the issue other than the map's own is named in a
		// label or a note.
		for _, name := range []string{"United States", "Serbia"} {
			if !strings.Contains(s, name) {
				t.Errorf("%s: no label %q", c.file, name)
			}
		}
	}
}
