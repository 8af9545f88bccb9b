package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// hostileDir holds the small hostile inputs; the large ones are made by
// hostileGenerated.
const hostileDir = "../../testdata/hostile"

// hostileExpect is, for each file of testdata/hostile, the exit status of
// 'parley validate' and a piece of its first line of standard error (of
// standard output for the one legal file): how each attack ends.
var hostileExpect = map[string]struct {
	code int
	want string
}{
	"absurd-values.yaml":           {2, `as_of: date "99999-12-31" is not of the form YYYY-MM-DD`},
	"bdm-capability-1e300.csv":     {2, "row 1, column capability: 1e+300 lies beyond ±1e+15"},
	"bdm-nan-inf.csv":              {2, "capability must be a finite number, got NaN"},
	"bidi-override.yaml":           {2, "title: control character U+202E"},
	"billion-laughs.yaml":          {2, "sources[0][0]: cannot unmarshal !!seq into scenario.Source"},
	"bom-only.yaml":                {2, "bom-only.yaml: empty file"},
	"capability-sd-huge.yaml":      {2, "actors[0].capability.sd: 1e+300 lies beyond ±1e+15"},
	"control-escape-actor.csv":     {2, "row 1, column actor: control character U+001B"},
	"control-escape-title.yaml":    {2, "name: control character U+001B"},
	"decide-many-points.txt":       {0, "decide-many-points.txt: ok, decide-many-points (1 issue, 2 actors), format decide"},
	"decide-unclosed-quote.txt":    {2, "decide-unclosed-quote.txt:1: "},
	"deep-65.json":                 {2, "nested more than 64 levels deep"},
	"deep-65.xml":                  {2, "nested more than 64 levels deep"},
	"deep-65.yaml":                 {2, "nested more than 64 levels deep"},
	"flat-scale.yaml":              {2, "issues[0].max: scale maximum 5 must be greater than minimum 5"},
	"invalid-utf8.yaml":            {2, "invalid leading UTF-8 octet"},
	"json-bidi-isolate.json":       {2, "description: control character U+2067"},
	"json-duplicate-keys.json":     {2, `mapping key "name" already defined`},
	"json-huge-numbers.json":       {2, "issues[0].max: scale maximum must be a finite number"},
	"json-trailing-data.json":      {2, "unexpected data after the JSON document"},
	"ktab-count-overflows-int.csv": {2, "a scenario file must be a mapping with name, issues and actors"},
	"ktab-dimensions-overflow.csv": {2, "1 actors × 4611686018427387904 issues is more than the limit of 100000 stances"},
	"ktab-negative-counts.csv":     {2, `number of actors: "-1" is not a positive whole number`},
	"merge-key-bomb.yaml":          {2, "document contains excessive aliasing"},
	"nul-byte.yaml":                {2, "control characters are not allowed"},
	"process-rounds.yaml":          {2, "talks may have at most 1000"},
	"salience-scale-huge.yaml":     {2, "salience_scale: 1e+300 lies beyond ±1e+15"},
	"scale-span-overflow.yaml":     {2, "issues[0].min: -1.7e+308 lies beyond ±1e+15"},
	"xml-entity-expansion.xml":     {2, "invalid character entity &lol3;"},
	"xml-external-entity.xml":      {2, "invalid character entity &xxe;"},
	"xml-two-roots.xml":            {2, "more than one root element"},
	"yaml-tags.yaml":               {2, "cannot unmarshal !!binary"},
	"zero-capability.yaml":         {2, `every actor on issue "i" has zero capability or zero salience`},
}

// hostileGenerated writes the large hostile inputs into dir and returns
// each with a piece of the problem it must end with.
func hostileGenerated(t *testing.T, dir string) map[string]string {
	t.Helper()
	write := func(name string, parts ...string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(strings.Join(parts, "")), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	var csv strings.Builder
	csv.WriteString("Actor,Capability,Position,Salience\n")
	for i := range 150_000 {
		csv.WriteString("a" + strconv.Itoa(i) + ",1,50,0.5\n")
	}
	var wide strings.Builder
	wide.WriteString(`{"name": "wide", "issues": [`)
	for i := range 50_000 {
		if i > 0 {
			wide.WriteString(", ")
		}
		wide.WriteString(`{"id": "i` + strconv.Itoa(i) + `", "min": 0, "max": 1}`)
	}
	wide.WriteString(`], "actors": [{"id": "a", "capability": 1, "stances": {`)
	for i := range 50_000 {
		if i > 0 {
			wide.WriteString(", ")
		}
		wide.WriteString(`"i` + strconv.Itoa(i) + `": {"position": 1, "salience": 1}`)
	}
	wide.WriteString("}}]}\n")
	big := filepath.Join(dir, "70MiB-of-zeros.yaml")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(70 << 20); err != nil { // sparse: no disk used
		t.Fatal(err)
	}
	f.Close()
	out := map[string]string{
		// The reproduction: a fatal stack overflow.
		write("deep-2M-brackets.json", strings.Repeat("[", 2_000_000), strings.Repeat("]", 2_000_000)):                       "nested more than 64 levels deep",
		write("deep-200k-objects.json", strings.Repeat(`{"a":`, 200_000), "1", strings.Repeat("}", 200_000)):                 "nested more than 64 levels deep",
		write("deep-200k-flow.yaml", "a: ", strings.Repeat("[", 200_000), strings.Repeat("]", 200_000)):                      "exceeded max depth of 10000",
		write("deep-20k-block.yaml", strings.Repeat("- ", 20_000), "x\n"):                                                    "exceeded max depth of 10000", // yaml.v3 stops first
		write("deep-200k.xml", "<Scenario>", strings.Repeat("<a>", 200_000), strings.Repeat("</a>", 200_000), "</Scenario>"): "nested more than 64 levels deep",
		write("flat-3M-values.json", `{"actors": [`, strings.Repeat("0,", 3_000_000), "0]}"):                                 "more than 2000000 values",
		// Text in a million pieces (comments between them) was joined
		// piece by piece: quadratic time.
		write("xml-text-in-pieces.xml", "<Scenario><name>", strings.Repeat("x<!---->", 1_000_000), "</name></Scenario>"): "missing element <desc>",
		write("bdm-150k-actors.csv", csv.String()): "more than 100000 actors",
		// One actor's stances on 50,000 issues: the YAML decoder compared
		// every key with every other (32 s; minutes for 100,000).
		write("stances-50k.json", wide.String()):                  "a mapping of more than 10000 keys",
		write("stances-50k.yaml", "# flow YAML\n", wide.String()): "a mapping of more than 10000 keys",
		big: "larger than the input limit of 64 MiB; stopped reading there",
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		out["/dev/zero"] = "larger than the input limit of 64 MiB; stopped reading there"
	}
	return out
}

// TestHostileInputs runs 'parley validate' on every hostile input: each
// ends promptly with exit 2 and a problem naming the file (one legal file
// passes), never a panic, a stack overflow or exhausted memory. The
// issue's two reproductions are here: two million nested brackets and
// /dev/zero.
func TestHostileInputs(t *testing.T) {
	entries, err := os.ReadDir(hostileDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(hostileExpect) {
		t.Errorf("%d files in %s, %d expected outcomes", len(entries), hostileDir, len(hostileExpect))
	}
	type input struct {
		path string
		code int
		want string
	}
	var inputs []input
	for _, e := range entries {
		x, ok := hostileExpect[e.Name()]
		if !ok {
			t.Errorf("%s: no expected outcome", e.Name())
			continue
		}
		inputs = append(inputs, input{filepath.Join(hostileDir, e.Name()), x.code, x.want})
	}
	for path, want := range hostileGenerated(t, t.TempDir()) {
		inputs = append(inputs, input{path, 2, want})
	}
	for _, in := range inputs {
		start := time.Now()
		code, out, errs := parley("validate", in.path)
		took := time.Since(start)
		first, _, _ := strings.Cut(errs+out, "\n")
		t.Logf("%-28s exit %d in %5.2fs: %s", filepath.Base(in.path), code, took.Seconds(), shorten(first, 110))
		switch {
		case code != in.code:
			t.Errorf("%s: exit %d, want %d:\n%s%s", in.path, code, in.code, shorten(errs, 500), shorten(out, 200))
		case !strings.Contains(first, in.want):
			t.Errorf("%s: first line %q, want it to contain %q", in.path, shorten(first, 300), in.want)
		case code == 2 && !strings.HasPrefix(first, in.path):
			t.Errorf("%s: the problem does not name the file: %q", in.path, shorten(first, 300))
		case strings.Contains(errs, "goroutine ") || strings.Contains(errs, "panic"):
			t.Errorf("%s: %s", in.path, shorten(errs, 500))
		case took > 30*time.Second:
			t.Errorf("%s: took %v", in.path, took)
		}
	}
}

// TestInputLimitFlag: --max-input and $PARLEY_MAX_INPUT set the input
// limit; the flag wins.
func TestInputLimitFlag(t *testing.T) {
	path := filepath.Join(hostileDir, "deep-65.xml") // 470 bytes
	for _, c := range []struct {
		env  string
		args []string
		want string
	}{
		{"", []string{"--max-input", "100"}, "larger than the input limit of 100 bytes"},
		{"200", nil, "larger than the input limit of 200 bytes"},
		{"200", []string{"--max-input", "1000"}, "nested more than 64 levels deep"},
		{"x", nil, "$PARLEY_MAX_INPUT=\"x\": want a positive whole number"},
	} {
		t.Setenv(EnvMaxInput, c.env)
		code, _, errs := parley(append([]string{"validate", path}, c.args...)...)
		if code != 2 || !strings.Contains(errs, c.want) {
			t.Errorf("$%s=%q %v: exit %d, %q, want %q", EnvMaxInput, c.env, c.args, code, errs, c.want)
		}
	}
	t.Setenv(EnvMaxInput, "")
	t.Setenv(EnvMaxCells, "1")
	if code, _, errs := parley("validate", "../../scenarios/emission-1994.yaml"); code != 2 || !strings.Contains(errs, "10 actors × 1 issues is more than the limit of 1 stances") {
		t.Errorf("$%s=1: exit %d, %q", EnvMaxCells, code, errs)
	}
}

func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
