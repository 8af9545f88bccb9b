package scenario_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/scenarios"
)

// wholeYAML is the scenario encoded as one document by one yaml.v3
// encoder, as WriteYAML did before it wrote the actors in chunks.
func wholeYAML(t *testing.T, sc *scenario.Scenario) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(sc); err != nil {
		t.Fatal(err)
	}
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestWriteYAMLInChunks checks that WriteYAML, which encodes the actors a
// chunk at a time, writes the same bytes as one encoder over the whole
// document: for every built-in scenario; for each of them grown past one
// chunk by copies of its actors (their evidence, notes, ranges and
// per-issue capabilities included); and for actors whose text has blank
// lines, leading spaces, quotes, a trailing newline, a line reading
// "actors: []" and non-ASCII letters (block scalars and quoted strings,
// where indentation matters), at 0, 1 and chunk-boundary counts.
func TestWriteYAMLInChunks(t *testing.T) {
	var cases []*scenario.Scenario
	for _, name := range scenarios.Names() {
		sc, err := scenarios.Get(name)
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, sc)
		big := *sc
		big.Actors = nil
		for copyNo := 0; len(big.Actors) < 1300; copyNo++ {
			for _, a := range sc.Actors {
				a.ID = fmt.Sprintf("%s_%d", a.ID, copyNo)
				big.Actors = append(big.Actors, a)
			}
		}
		cases = append(cases, &big)
	}
	texts := []string{"plain", "two\n\nparagraphs\n", "  leading spaces\nand more", `quotes "and" 'these'`,
		"actors: []", "line\nactors: []\n", "Prishtinë/Priština – Beograd", "trailing newline\n", ""}
	for _, n := range []int{0, 1, 511, 512, 513, 1025} {
		sc := &scenario.Scenario{Name: fmt.Sprintf("texts-%d", n), Description: "top\n\nlevel\n",
			Issues: []scenario.Issue{{ID: "status", Min: 0, Max: 100, Description: "an issue\n\nwith a gap"}}}
		for k := 0; k < n; k++ {
			text := texts[k%len(texts)]
			sc.Actors = append(sc.Actors, scenario.Actor{ID: fmt.Sprintf("a%d", k), Name: text, Kind: strings.ToUpper(text),
				Capability: scenario.Number{Value: float64(k), Note: text},
				Stances:    map[string]scenario.Stance{"status": {Position: scenario.N(float64(k % 100)), Salience: scenario.Number{Value: 50, Note: text}}}})
		}
		cases = append(cases, sc)
	}
	chunked := 0
	for _, sc := range cases {
		var got bytes.Buffer
		if err := scenario.WriteYAML(&got, sc); err != nil {
			t.Fatalf("%s: %v", sc.Name, err)
		}
		if want := wholeYAML(t, sc); !bytes.Equal(got.Bytes(), want) {
			g, w := got.String(), string(want)
			at := 0
			for at < len(g) && at < len(w) && g[at] == w[at] {
				at++
			}
			t.Fatalf("%s (%d actors): differs at byte %d: %q, whole document %q", sc.Name, len(sc.Actors), at,
				g[max(0, at-40):min(len(g), at+40)], w[max(0, at-40):min(len(w), at+40)])
		}
		if len(sc.Actors) > 512 {
			chunked++
		}
	}
	if chunked < 5 {
		t.Fatalf("only %d scenarios were written in chunks", chunked)
	}
}
