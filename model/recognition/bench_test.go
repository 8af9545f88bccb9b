package recognition

import (
	"context"
	"testing"
)

// BenchmarkFit fits the model on all episodes: the dataset's rows, the
// BFGS optimisation and the numerical Hessian.
func BenchmarkFit(b *testing.B) {
	eps, err := AllEpisodes()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := FitEpisodes(eps); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkForecast is Kosovo's forecast with 10,000 draws, each with its
// own coefficients, episode effect and declaration day.
func BenchmarkForecast(b *testing.B) {
	for b.Loop() {
		if _, err := Forecast(context.Background(), Kosovo(), Options{Draws: DefaultDraws, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}
