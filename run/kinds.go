package run

import (
	"github.com/parley-project/parley/backtest"
	"github.com/parley-project/parley/model/recognition"
	"github.com/parley-project/parley/process"
	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/sensitivity"
	"github.com/parley-project/parley/sweep"
)

// kinds are the kinds of run this build reads, by name.
var kinds = map[string]kind{
	KindForecast:    register[ForecastConfig, result.Result](KindForecast),
	KindSweep:       register[sweep.Header, sweep.Result](KindSweep),
	KindSensitivity: register[SensitivityConfig, sensitivity.Result](KindSensitivity),
	KindProcess:     register[ProcessConfig, process.Result](KindProcess),
	KindRecognition: register[RecognitionConfig, recognition.Result](KindRecognition),
	KindBacktest:    register[BacktestConfig, backtest.Report](KindBacktest),
	KindConflicts:   register[ConflictsConfig, ConflictsResult](KindConflicts),
	KindAdvice:      register[AdviceConfig, AdviceResult](KindAdvice),
	KindPower:       register[PowerConfig, PowerResult](KindPower),
}

// Kinds lists the kinds of run this build knows.
func Kinds() []string {
	return []string{KindForecast, KindSweep, KindSensitivity, KindProcess, KindRecognition, KindBacktest, KindConflicts, KindAdvice, KindPower}
}
