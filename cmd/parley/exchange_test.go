package main

import (
	"encoding/json"
	"math"
	"testing"
)

// TestExchangeJSONContract checks the "exchanges" entries of issue 3 on
// Decide's sample data: round, the two actors, each one's supply issue,
// moves and the gain; absent for other models.
func TestExchangeJSONContract(t *testing.T) {
	code, out, errs := parley("forecast", "--model", "exchange", "--rounds", "2", "--json", "testdata/decide-sample.txt")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc struct {
		Exchanges []struct {
			Round  int
			Actors []string
			Supply map[string]string
			Moves  map[string]struct {
				Issue    string
				From, To float64
			}
			Gain float64
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Exchanges) != 39+37 {
		t.Fatalf("%d exchanges, want 39 in round 1 and 37 in round 2", len(doc.Exchanges))
	}
	e := doc.Exchanges[0]
	if e.Round != 1 || len(e.Actors) != 2 || e.Actors[0] != "Willems" || e.Actors[1] != "Wcentr" ||
		e.Supply["Willems"] != "extra-investering" || e.Supply["Wcentr"] != "tolheffing-binnenstad" ||
		math.Abs(e.Gain-1.973684) > 1e-6 || e.Moves["Willems"].From != 25 || e.Moves["Willems"].To != 100 ||
		math.Abs(e.Moves["Wcentr"].To-61.051) > 1e-3 {
		t.Errorf("first exchange %+v", e)
	}
	if last := doc.Exchanges[len(doc.Exchanges)-1]; last.Round != 2 {
		t.Errorf("last exchange in round %d", last.Round)
	}
	_, out, _ = parley("forecast", "--model", "mean", "--json", "testdata/decide-sample.txt")
	var other map[string]any
	if err := json.Unmarshal([]byte(out), &other); err != nil {
		t.Fatal(err)
	}
	if _, ok := other["exchanges"]; ok {
		t.Error("the mean model's document has exchanges")
	}
}
