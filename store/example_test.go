package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/parley-project/parley/param"
	"github.com/parley-project/parley/store"
)

// A sweep stores its draws as they finish; after an interruption another
// process reads them back and only runs the rest.
func Example() {
	dir, _ := os.MkdirTemp("", "parley-example-")
	defer os.RemoveAll(dir)
	ctx := context.Background()

	s, err := store.Open(ctx, filepath.Join(dir, "runs.db")) // or "postgres://…"
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	run := &store.Run{Kind: store.KindSweep, Scenario: "kosovo-2007", Model: "eum", Variant: "scholz",
		Params: map[string]param.Value{"q": param.Number(1)}, Seed: 42, CodeVersion: "dev"}
	if err := s.Create(ctx, run); err != nil {
		fmt.Println(err)
		return
	}
	s.AddDraws(ctx, run.ID, []store.Draw{{Index: 0, Data: json.RawMessage(`[80.5]`)}, {Index: 1, Data: json.RawMessage(`[78]`)}})

	done, _ := s.Draws(ctx, run.ID)
	fmt.Println("finished draws:", len(done))
	s.Finish(ctx, run.ID, json.RawMessage(`{"draws": 2}`))
	got, _ := s.Get(ctx, run.ID)
	fmt.Println(got.Kind, got.Status, got.Draws, string(got.Result))
	// Output:
	// finished draws: 2
	// sweep done 2 {"draws": 2}
}
