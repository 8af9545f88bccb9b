package backtest

import (
	"context"
	"errors"
	"testing"

	"github.com/parley-project/parley/backtest/deu3"
	"github.com/parley-project/parley/model/registry"
)

// TestPredictStopsOnCancel: Predict under an ended context returns its
// error (each model run checks it).
func TestPredictStopsOnCancel(t *testing.T) {
	d, used, _ := loadFixture(t)
	reg := registry.Default()
	specs, err := ParseSpecs("eum,procedure", reg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Predict(ctx, d, used, deu3.Equal, specs, reg, 2); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}
