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
		v, err := ss.SaveScenario(ctx, "alpha", `{"name":"alpha"}`, 0)
		if err != nil || v != 1 {
			t.Fatalf("create: version %d, %v", v, err)
		}
		if _, err := ss.SaveScenario(ctx, "alpha", `{}`, 0); !errors.Is(err, ErrConflict) {
			t.Errorf("creating an existing name: %v, want ErrConflict", err)
		}
		if _, err := ss.SaveScenario(ctx, "beta", `{}`, 3); !errors.Is(err, ErrNoScenario) {
			t.Errorf("updating a missing scenario: %v, want ErrNoScenario", err)
		}
		v, err = ss.SaveScenario(ctx, "alpha", `{"name":"alpha","title":"A"}`, 1)
		if err != nil || v != 2 {
			t.Fatalf("update: version %d, %v", v, err)
		}
		if _, err := ss.SaveScenario(ctx, "alpha", `{"stale":true}`, 1); !errors.Is(err, ErrConflict) {
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
		if got.Source != `{"name":"alpha","title":"A"}` || got.Version != 2 || got.Updated.IsZero() {
			t.Errorf("stored %+v", got)
		}
		if _, err := ss.SaveScenario(ctx, "beta", `{}`, 0); err != nil {
			t.Fatal(err)
		}
		list, err := ss.Scenarios(ctx)
		if err != nil || len(list) != 2 || list[0].Name != "alpha" || list[1].Name != "beta" || list[0].Source != "" {
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
