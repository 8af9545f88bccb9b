package plural

import (
	"fmt"
	"testing"
)

func TestCount(t *testing.T) {
	tests := []struct {
		got, want string
	}{
		{Count(0, "issue"), "0 issues"},
		{Count(1, "issue"), "1 issue"},
		{Count(2, "issue"), "2 issues"},
		{Count(int64(1), "draw"), "1 draw"},
		{Count(1.0, "affirmative vote"), "1 affirmative vote"},
		{Count(1.5, "affirmative vote"), "1.5 affirmative votes"},
		{Count(9.0, "affirmative vote"), "9 affirmative votes"},
		{Noun(1, "round"), "round"},
		{Noun(-1, "round"), "rounds"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

func ExampleCount() {
	fmt.Println(Count(1, "issue") + ", " + Count(3, "actor"))
	// Output: 1 issue, 3 actors
}
