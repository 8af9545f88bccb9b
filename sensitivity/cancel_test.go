package sensitivity_test

import (
	"context"
	"errors"
	"testing"

	"github.com/parley-project/parley/model/eum"
	"github.com/parley-project/parley/sensitivity"
)

// TestAnalyseStopsOnCancel: an analysis under an ended context returns
// its error without running.
func TestAnalyseStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := sensitivity.Analyse(ctx, sensitivity.Config{Scenario: three(), Model: eum.Model{}, Samples: 64})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}
