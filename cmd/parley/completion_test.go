package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/parley-project/parley/model/registry"
)

// complete runs cobra's hidden completion command, as the shell scripts
// of 'parley completion' do, and returns the values offered (without
// descriptions) and the directive line.
func complete(t *testing.T, args ...string) ([]string, string) {
	t.Helper()
	code, out, errs := parley(append([]string{"__complete"}, args...)...)
	if code != 0 {
		t.Fatalf("__complete %q: exit %d: %s", args, code, errs)
	}
	var values []string
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	for _, l := range lines[:len(lines)-1] {
		v, _, _ := strings.Cut(l, "\t")
		values = append(values, v)
	}
	return values, lines[len(lines)-1]
}

func TestCompletion(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "mine.yaml"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "more"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.md"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "runs.db")
	for _, s := range []string{"emission-1994", "abkhazia-2008"} {
		if code, _, errs := parley("forecast", "-m", "mean", "--db", db, s); code != 0 {
			t.Fatal(errs)
		}
	}
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"forecast", "k"}, []string{"kosovo-2006", "kosovo-2007"}},
		{[]string{"forecast", dir + "/"}, []string{dir + "/mine.yaml", dir + "/more/"}},
		{[]string{"show", "e"}, []string{"emission-1994"}},
		{[]string{"forecast", "kosovo-2007", ""}, nil}, // one scenario only
		{[]string{"forecast", "--model", "e"}, []string{"eum", "exchange"}},
		{[]string{"sweep", "-m", ""}, modelNames()},
		{[]string{"forecast", "--variant", ""}, []string{"scholz", "paper"}},
		{[]string{"forecast", "-m", "exchange", "--variant", ""}, []string{"equal-gain", "random-rate"}},
		{[]string{"forecast", "-p", ""}, []string{"q=", "t="}},
		{[]string{"forecast", "-m", "smp", "-p", "voting_rule=Prop"}, []string{"voting_rule=PropBin", "voting_rule=Prop", "voting_rule=PropCbc"}},
		{[]string{"forecast", "-m", "exchange", "-p", "exact="}, []string{"exact=true", "exact=false"}},
		{[]string{"sweep", "-m", "exchange", "--param-dist", ""}, []string{"salience_weight=", "fixed_weight=", "p="}},
		{[]string{"sweep", "-m", "exchange", "--param-dist", "fixed_weight="}, nil},
		{[]string{"sweep", "-m", "smp", "--param-dist", ""}, nil}, // no real-valued parameter
		{[]string{"recognition", "-p", "ally"}, []string{"ally_rec=", "ally_opp="}},
		{[]string{"export", "--format", ""}, []string{"ktab", "ktab-xml", "decide", "bdm"}},
		{[]string{"export", "--format", "bdm", "emission-1994", "--issue", ""}, []string{"issue"}},
		{[]string{"forecast", "emission-1994", "--issues", ""}, []string{"issue"}},
		{[]string{"forecast", "kosovo-2007", "--issues", "status,s"}, []string{"status,serbia_eu", "status,serb_rights"}},
		{[]string{"forecast", "kosovo-2007", "-m", "eum", "--issues", "n"}, []string{"north", "nato_enlargement"}},
		{[]string{"forecast", "kosovo-2007", "--actors", "serbia,k"}, []string{"serbia,kosovo_albanians", "serbia,kosovo_serbs", "serbia,kosovo_police"}},
		{[]string{"forecast", "kosovo-2007", "--actors", "russia;ch"}, []string{"russia;china"}},
		{[]string{"forecast", "emission-1994", "--actors", "x"}, nil},
		{[]string{"vote", "unsc"}, []string{"unsc-2007", "unsc-2008"}},
		{[]string{"vote", "unsc-2007", "e"}, []string{"emission-1994"}},
		{[]string{"runs", "show", "--db", db, ""}, []string{"2", "1"}},
		{[]string{"runs", "diff", "--db", db, "1", ""}, []string{"2"}},
		{[]string{"report", "--db", db, ""}, []string{"2", "1"}},
		{[]string{"runs", "show", "--db", filepath.Join(dir, "none.db"), ""}, nil},
		{[]string{"runs", "list", "--kind", "s"}, []string{"sweep", "sensitivity"}},
		{[]string{"backtest", "deu3", "--models", "eum:s,exchange:"}, []string{"eum:s,exchange:equal-gain", "eum:s,exchange:random-rate"}},
		{[]string{"backtest", "deu3", "--capabilities", "equal,v"}, []string{"equal,votes"}},
		{[]string{"recognition", "--opposing", "SR"}, []string{"SRB"}},
		{[]string{"models", ""}, nil},
		{[]string{"completion", ""}, []string{"bash", "fish", "powershell", "zsh"}},
	}
	for _, c := range cases {
		got, _ := complete(t, c.args...)
		if !slices.Equal(got, c.want) {
			t.Errorf("%q: %q, want %q", c.args, got, c.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "none.db")); !os.IsNotExist(err) {
		t.Error("completing run ids created a store")
	}
	// A scenario argument offers files only when they are scenario files.
	got, _ := complete(t, "forecast", dir+"/n")
	if len(got) != 0 {
		t.Errorf("notes.md offered as a scenario: %q", got)
	}
}

// TestCompletionScripts: 'parley completion SHELL' writes each shell's
// script.
func TestCompletionScripts(t *testing.T) {
	for shell, marker := range map[string]string{"bash": "__start_parley", "zsh": "#compdef parley", "fish": "complete -c parley", "powershell": "Register-ArgumentCompleter"} {
		code, out, errs := parley("completion", shell)
		if code != 0 || !strings.Contains(out, marker) {
			t.Errorf("completion %s: exit %d, no %q (%s)", shell, code, marker, errs)
		}
	}
}

func modelNames() []string {
	var out []string
	for _, m := range registry.Default().All() {
		out = append(out, m.Info().Name)
	}
	return out
}
