package recognition

import (
	"encoding/json"
	"flag"
	"math"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "rewrite data/fit.json and the golden files")

// TestEmbeddedFit refits the model on all episodes and checks that the
// shipped data/fit.json holds that fit (go test -run TestEmbeddedFit
// -update rewrites it after a change to the data or the model).
func TestEmbeddedFit(t *testing.T) {
	eps, err := AllEpisodes()
	if err != nil {
		t.Fatal(err)
	}
	f, err := FitEpisodes(eps)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		data, err := json.MarshalIndent(f, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("data/fit.json", append(data, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := EmbeddedFit()
	if err != nil {
		t.Fatal(err)
	}
	for i, n := range f.Names {
		if math.Abs(got.Estimate[i]-f.Estimate[i]) > 1e-4*(1+math.Abs(f.Estimate[i])) || math.Abs(got.SE[i]-f.SE[i]) > 1e-3*(1+f.SE[i]) {
			t.Errorf("%s: shipped %.5f (%.5f), refitted %.5f (%.5f)", n, got.Estimate[i], got.SE[i], f.Estimate[i], f.SE[i])
		}
	}
	if f.Events != got.Events || f.StateMonths != got.StateMonths {
		t.Errorf("shipped fit has %d events in %d state-months, refit %d in %d", got.Events, got.StateMonths, f.Events, f.StateMonths)
	}
}
