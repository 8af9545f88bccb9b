package sweep_test

import (
	"context"
	"testing"

	"github.com/parley-project/parley/sweep"
)

// FuzzDecode feeds arbitrary bytes to the reader of sweep result files
// (what 'parley sweep merge' reads): it must never panic, and whatever it
// accepts must merge without panicking.
func FuzzDecode(f *testing.F) {
	r, err := sweep.Run(context.Background(), config(f, 5))
	if err != nil {
		f.Fatal(err)
	}
	seed, _ := r.Encode()
	f.Add(seed)
	f.Add([]byte(`{"histogram_bins": 20, "issues": [], "state": {"issues": []}}`))
	f.Add([]byte(`{"state": {"issues": [{"sum": "0x1p-1074", "bins": [{"i": -1}]}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := sweep.Decode(data)
		if err != nil {
			return
		}
		_, _ = sweep.Merge(res)
	})
}
