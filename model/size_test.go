package model_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/parley-project/parley/internal/fixture"
	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/model/eum"
)

// TestLargestIssue counts the actors holding a position on the fullest
// issue, and the positions of the whole scenario, after some actors leave
// some issues.
func TestLargestIssue(t *testing.T) {
	tests := []struct {
		actors, issues int
		leave          map[int][]string // actor index → issues it leaves
		largest, count int
	}{
		{5, 1, nil, 5, 5},
		{7, 3, nil, 7, 21},
		{7, 3, map[int][]string{0: {"i0", "i2"}, 1: {"i0", "i1"}, 2: {"i0"}}, 6, 16},
		{4, 2, map[int][]string{0: {"i0", "i1"}, 1: {"i0", "i1"}, 2: {"i0", "i1"}, 3: {"i0", "i1"}}, 0, 0},
	}
	for _, tt := range tests {
		sc := fixture.Random(tt.actors, tt.issues, 1)
		for a, ids := range tt.leave {
			for _, id := range ids {
				delete(sc.Actors[a].Stances, id)
			}
		}
		if got := model.LargestIssue(sc); got != tt.largest {
			t.Errorf("%d×%d leaving %v: LargestIssue %d, want %d", tt.actors, tt.issues, tt.leave, got, tt.largest)
		}
		if got := model.CountPositions(sc); got != tt.count {
			t.Errorf("%d×%d leaving %v: CountPositions %d, want %d", tt.actors, tt.issues, tt.leave, got, tt.count)
		}
	}
}

// TestIssueActors checks IssueActors against the stakeholders of each
// issue, issue by issue, after some actors leave some issues.
func TestIssueActors(t *testing.T) {
	sc := fixture.Random(7, 3, 1)
	delete(sc.Actors[0].Stances, "i0")
	delete(sc.Actors[1].Stances, "i0")
	delete(sc.Actors[1].Stances, "i2")
	want := make([]int, len(sc.Issues))
	for k := range sc.Issues {
		want[k] = len(sc.Stakeholders(sc.Issues[k].ID))
	}
	if got := model.IssueActors(sc); !slices.Equal(got, want) || !slices.Equal(got, []int{5, 7, 6}) {
		t.Errorf("IssueActors %v, want %v (the stakeholders) = [5 7 6]", got, want)
	}
}

// Four actors on two issues, one of whom holds no position on the second.
func ExampleIssueActors() {
	sc := fixture.Random(4, 2, 1)
	delete(sc.Actors[3].Stances, "i1")
	fmt.Println(model.IssueActors(sc), model.LargestIssue(sc))
	// Output: [4 3] 4
}

// A sweep asks the model whether it takes the scenario before its first
// draw: the EUM takes 10,000 actors on one issue, the toy model of the
// package example declares no limit.
func ExampleCheckSize() {
	sc := fixture.Random(eum.MaxActors+1, 1, 1)
	fmt.Println(model.CheckSize(eum.Model{}, sc, model.Options{}))
	fmt.Println(model.CheckSize(shift{}, sc, model.Options{}))
	// Output:
	// issue "i0": 10001 actors hold a position; the eum model takes at most 10000 on one issue (its work grows with the square of the actors: n² log n steps a round)
	// <nil>
}
