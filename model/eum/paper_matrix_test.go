package eum

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/scenario"
)

// paperRuns runs the paper variant on 400 seeded random scenarios (2–61
// actors; continuous, few distinct and integer positions; some fixed risk
// exponents; several Q and T) for 8 rounds each, on one worker or two, and
// returns the results (or errors) as JSON.
func paperRuns(t *testing.T) []byte {
	t.Helper()
	rng := rand.New(rand.NewPCG(77, 7))
	var out []any
	for trial := range 400 {
		n := 2 + rng.IntN(60)
		kind := rng.IntN(4)
		sc := &scenario.Scenario{Name: "z", Issues: []scenario.Issue{{ID: "x", Min: 0, Max: 100}}}
		for i := range n {
			c, s, x := randomStance(rng, kind)
			a := scenario.Actor{ID: fmt.Sprintf("a%d", i), Capability: scenario.N(c),
				Stances: map[string]scenario.Stance{"x": {Position: scenario.N(x), Salience: scenario.N(s)}}}
			if rng.IntN(8) == 0 {
				r := 0.5 + 1.5*rng.Float64()
				a.Risk = &r
			}
			sc.Actors = append(sc.Actors, a)
		}
		q, tt := 1.0, -1.0
		if rng.IntN(3) == 0 {
			q = []float64{0, 0.5, 0.8}[rng.IntN(3)]
			tt = []float64{-1, 0, 0.3, 1}[rng.IntN(4)]
		}
		params := model.Params{"q": model.Number(q)}
		if tt >= 0 {
			params["t"] = model.Number(tt)
		}
		res, err := Model{}.Run(context.Background(), sc, model.Options{Variant: "paper", Rounds: 8, Workers: 1 + trial%2, Params: params})
		if err != nil {
			out = append(out, err.Error())
			continue
		}
		out = append(out, res)
	}
	b, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestPaperSameAsMatrixVersion checks that the paper variant without n × n
// matrices (issue 20) gives the very bytes of the version that kept them:
// testdata/paper-matrix-runs.sha256 is the SHA-256 of paperRuns' JSON as
// that version (main at 411c9be) produced it. A deliberate change of the
// paper variant's results must replace the file and say why.
func TestPaperSameAsMatrixVersion(t *testing.T) {
	want, err := os.ReadFile("testdata/paper-matrix-runs.sha256")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(paperRuns(t))
	if got := hex.EncodeToString(sum[:]); got != strings.TrimSpace(string(want)) {
		t.Fatalf("paper results changed: SHA-256 %s, the matrix version's %s", got, strings.TrimSpace(string(want)))
	}
}
