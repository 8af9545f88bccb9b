package eum

import (
	"encoding/json"
	"os"
	"slices"
	"testing"
)

// The cases in testdata/pyset-cpython311.json were printed by CPython 3.11:
// for each list of floats, hash(x) of each and list(set(xs)).
func TestPySetOrderMatchesCPython(t *testing.T) {
	data, err := os.ReadFile("testdata/pyset-cpython311.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct {
		In   []float64 `json:"in"`
		Out  []float64 `json:"out"`
		Hash []int64   `json:"hash"`
	}
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) < 50 {
		t.Fatalf("only %d cases", len(cases))
	}
	for i, c := range cases {
		for j, x := range c.In {
			if got := pyFloatHash(x); got != c.Hash[j] {
				t.Errorf("case %d: hash(%v) = %d, CPython %d", i, x, got, c.Hash[j])
			}
		}
		if got := new(pySet).order(c.In); !slices.Equal(got, c.Out) {
			t.Errorf("case %d: order %v, CPython %v", i, got, c.Out)
		}
	}
}
