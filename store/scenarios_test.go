package store

import (
	"context"
	"errors"
	"testing"
)

func TestScenarios(t *testing.T) {
	forEach(t, func(t *testing.T, s Store, reopen func() (Store, error)) {
		ctx := context.Background()
		ss := s.(ScenarioStore)
		v, err := ss.SaveScenario(ctx, "alpha", `{"name":"alpha"}`, Summary{}, 0)
		if err != nil || v != 1 {
			t.Fatalf("create: version %d, %v", v, err)
		}
		if _, err := ss.SaveScenario(ctx, "alpha", `{}`, Summary{}, 0); !errors.Is(err, ErrConflict) {
			t.Errorf("creating an existing name: %v, want ErrConflict", err)
		}
		if _, err := ss.SaveScenario(ctx, "beta", `{}`, Summary{}, 3); !errors.Is(err, ErrNoScenario) {
			t.Errorf("updating a missing scenario: %v, want ErrNoScenario", err)
		}
		v, err = ss.SaveScenario(ctx, "alpha", `{"name":"alpha","title":"A"}`, Summary{Title: "A", Issues: 2, Actors: 3}, 1)
		if err != nil || v != 2 {
			t.Fatalf("update: version %d, %v", v, err)
		}
		if _, err := ss.SaveScenario(ctx, "alpha", `{"stale":true}`, Summary{}, 1); !errors.Is(err, ErrConflict) {
			t.Errorf("stale update: %v, want ErrConflict", err)
		}
		// The saved text survives reopening the store.
		s2, err := reopen()
		if err != nil {
			t.Fatal(err)
		}
		defer s2.Close()
		got, err := s2.(ScenarioStore).Scenario(ctx, "alpha")
		if err != nil {
			t.Fatal(err)
		}
		if got.Source != `{"name":"alpha","title":"A"}` || got.Version != 2 || got.Updated.IsZero() || *got.Summary != (Summary{"A", 2, 3, ""}) {
			t.Errorf("stored %+v", got)
		}
		if _, err := ss.SaveScenario(ctx, "beta", `{}`, Summary{}, 0); err != nil {
			t.Fatal(err)
		}
		list, err := ss.Scenarios(ctx)
		if err != nil || len(list) != 2 || list[0].Name != "alpha" || list[1].Name != "beta" || list[0].Source != "" || list[0].Summary.Title != "A" {
			t.Errorf("list %+v, %v", list, err)
		}
		if err := ss.DeleteScenario(ctx, "alpha"); err != nil {
			t.Fatal(err)
		}
		if err := ss.DeleteScenario(ctx, "alpha"); !errors.Is(err, ErrNoScenario) {
			t.Errorf("second delete: %v", err)
		}
		if _, err := ss.Scenario(ctx, "alpha"); !errors.Is(err, ErrNoScenario) {
			t.Errorf("get deleted: %v", err)
		}
	})
}

// TestScenarioSummaryBackfill: a scenario saved before the store kept
// summaries lists without one until SetSummary records it, which it does
// only for the version it was made from.
func TestScenarioSummaryBackfill(t *testing.T) {
	forEach(t, func(t *testing.T, s Store, _ func() (Store, error)) {
		ctx := context.Background()
		ss := s.(ScenarioStore)
		if _, err := ss.SaveScenario(ctx, "old", `{}`, Summary{}, 0); err != nil {
			t.Fatal(err)
		}
		// What migration 0006 leaves of a scenario saved before it.
		if _, err := s.(*sqlStore).db.Exec(`UPDATE scenarios SET title = NULL, issues = NULL, actors = NULL`); err != nil {
			t.Fatal(err)
		}
		list, err := ss.Scenarios(ctx)
		if err != nil || len(list) != 1 || list[0].Summary != nil {
			t.Fatalf("%+v, %v", list, err)
		}
		if err := ss.SetSummary(ctx, "old", 2, Summary{Title: "stale"}); err != nil {
			t.Fatal(err)
		}
		if err := ss.SetSummary(ctx, "old", 1, Summary{Title: "T", Issues: 1, Actors: 4, Error: "e"}); err != nil {
			t.Fatal(err)
		}
		list, err = ss.Scenarios(ctx)
		if err != nil || list[0].Summary == nil || *list[0].Summary != (Summary{"T", 1, 4, "e"}) {
			t.Errorf("%+v, %v", list[0].Summary, err)
		}
	})
}

// TestSaveAbandonedWhenContextEnds: a save whose context has ended by the
// time it would commit stores nothing.
func TestSaveAbandonedWhenContextEnds(t *testing.T) {
	forEach(t, func(t *testing.T, s Store, _ func() (Store, error)) {
		ss := s.(ScenarioStore)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := ss.SaveScenario(ctx, "late", `{}`, Summary{}, 0); !errors.Is(err, context.Canceled) {
			t.Errorf("save: %v", err)
		}
		if _, err := ss.Scenario(context.Background(), "late"); !errors.Is(err, ErrNoScenario) {
			t.Errorf("the abandoned save was stored: %v", err)
		}
	})
}
