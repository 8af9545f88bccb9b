// Package run is Parley's run layer. For each kind of run — a forecast, a
// Monte Carlo sweep, a sensitivity analysis, a process, a recognition
// forecast, a backtest, a conflicts view, an actor's advice, a body's
// voting power — it owns
//
//   - the Spec a caller asks for (typed, with its defaults and limits in
//     one place: NewForecastSpec, NewSweepSpec, …; its JSON form is the
//     body of the server's POST /api/v1/runs/KIND),
//   - how the run is carried out from the spec (ForecastSpec.Run, …),
//   - the typed record of the run (Record: the store's columns in Header,
//     the kind's stored Config and its Result), how it is saved (Save) and
//     how it is read back (Read), including runs stored by older versions.
//
// The command line, the server, 'parley report', 'parley runs show/diff'
// and the server's charts all go through it, so a run made by one reads
// the same in the others, and the same request stores the same run
// whoever makes it (cmd/parley/consistency_test.go proves it for every
// kind). Package store keeps bytes and columns only; this package maps
// typed values to them.
//
// # Adding a kind of run
//
//  1. Give it a kind name (a constant here and in store for the column).
//  2. Write its Spec (the request, JSON-tagged, with a New…Spec holding
//     the defaults and a Check holding the limits: every count bounded,
//     env's workers and, for Monte Carlo draws, Env.MaxDraws, see
//     limits.go), its stored Config
//     (what, beyond the columns, repeats the run; keep its JSON stable,
//     old runs are read back with it) and pick its Result type (the
//     package's own result, JSON-tagged).
//  3. Declare the record as an alias, type Foo = Record[FooConfig,
//     foo.Result], and register it in kinds (kinds.go) with register.
//  4. Write the spec's Run method: check, run, and return the record
//     (Header from newHeader) for Save.
//  5. Optionally give the kind its leaves for 'runs show/diff' (leaves.go;
//     the default lists every leaf of the result document), its report
//     view (a case in report.NewPage) and its chart (report.RunChart).
//  6. The command binds its flags to a New…Spec (their defaults are the
//     spec's), runs spec.Run and saves with its store flags; the server
//     decodes its body into a request embedding the spec (decodeRun),
//     then runs it in the request (runNow) or as a job (submitSaved).
//  7. Add it to the table of TestCommandLineAndServerStoreTheSame, and its
//     limits to TestCommandLineAndServerRefuseTheSame.
package run

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/parley-project/parley/param"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/store"
)

// Kinds of run, as the store's kind column holds them.
const (
	KindForecast    = store.KindForecast
	KindSweep       = store.KindSweep
	KindSensitivity = store.KindSensitivity
	KindProcess     = store.KindProcess
	KindRecognition = store.KindRecognition
	KindBacktest    = store.KindBacktest
	KindConflicts   = store.KindConflicts
	KindAdvice      = store.KindAdvice
	KindPower       = store.KindPower
)

// Header is what every stored run has, whatever its kind: the store's
// columns, with the scenario snapshot decoded.
type Header struct {
	ID     int64
	Kind   string
	Status string
	// Scenario is the scenario's name; Snapshot the scenario as it was
	// run (nil when the run keeps none, as a backtest or a sweep merged
	// without its scenario).
	Scenario string
	Snapshot *scenario.Scenario
	// Model, Variant and Params are the resolved model settings (Params
	// in canonical form, defaults filled in); Model is the kind's name
	// for a run that has no single bargaining model (process,
	// recognition, backtest).
	Model   string
	Variant string
	Params  map[string]param.Value
	Seed    uint64
	// CodeVersion is the build of Parley that made the run.
	CodeVersion string
	Created     time.Time
	Updated     time.Time
	// Draws is the number of per-draw results stored (a sweep's).
	Draws int
}

// Head returns the header itself; every Record has it through Header.
func (h *Header) Head() *Header { return h }

// Run is a run of any kind read back from the store or ready to be saved
// there: a *Record of one kind's config and result.
type Run interface {
	Head() *Header
	// encode gives the config and result documents (result nil when the
	// run has none yet).
	encode() (config, result json.RawMessage, err error)
}

// Record is a run of the kind whose stored configuration is C and whose
// result is R. Result is nil until the run has finished.
type Record[C, R any] struct {
	Header
	Config C
	Result *R
}

func (r *Record[C, R]) encode() (json.RawMessage, json.RawMessage, error) {
	conf, err := json.Marshal(r.Config)
	if err != nil {
		return nil, nil, fmt.Errorf("run config: %w", err)
	}
	if r.Result == nil {
		return conf, nil, nil
	}
	res, err := json.Marshal(r.Result)
	if err != nil {
		return nil, nil, fmt.Errorf("run result: %w", err)
	}
	return conf, res, nil
}

// Other is a run of a kind this build does not know (made by a newer
// Parley): its config and result as stored.
type Other = Record[json.RawMessage, json.RawMessage]

// storeRun is the store's row of a run.
func storeRun(r Run) (*store.Run, error) {
	h := r.Head()
	conf, res, err := r.encode()
	if err != nil {
		return nil, err
	}
	var snap json.RawMessage
	if h.Snapshot != nil {
		if snap, err = json.Marshal(h.Snapshot); err != nil {
			return nil, fmt.Errorf("run snapshot: %w", err)
		}
	}
	params := h.Params
	if params == nil {
		params = map[string]param.Value{}
	}
	return &store.Run{ID: h.ID, Kind: h.Kind, Status: h.Status, Scenario: h.Scenario, Snapshot: snap, Model: h.Model, Variant: h.Variant,
		Params: params, Config: conf, Seed: h.Seed, CodeVersion: h.CodeVersion, Created: h.Created, Updated: h.Updated, Result: res, Draws: h.Draws}, nil
}

// Save stores a finished run in one write — header, config and result,
// marked done — and sets its ID, status and times.
func Save(ctx context.Context, st store.Store, r Run) error {
	h := r.Head()
	h.Status = store.StatusDone
	row, err := storeRun(r)
	if err != nil {
		return err
	}
	if row.Result == nil {
		return fmt.Errorf("run: a %s run without a result cannot be saved as finished", h.Kind)
	}
	if err := st.Create(ctx, row); err != nil {
		return err
	}
	h.ID, h.Created, h.Updated = row.ID, row.Created, row.Updated
	return nil
}

// Get reads the run id from the store, typed (see Read).
func Get(ctx context.Context, st store.Store, id int64) (Run, error) {
	row, err := st.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	return Read(row)
}

// Read decodes a stored run: its snapshot, its kind's config and its
// result (nil when it has not finished). Runs stored by older versions
// read back: their configs hold fewer fields, their parameters numbers
// only. A kind this build does not know reads as an *Other.
func Read(row *store.Run) (Run, error) {
	h := Header{ID: row.ID, Kind: row.Kind, Status: row.Status, Scenario: row.Scenario, Model: row.Model, Variant: row.Variant,
		Params: row.Params, Seed: row.Seed, CodeVersion: row.CodeVersion, Created: row.Created, Updated: row.Updated, Draws: row.Draws}
	if len(row.Snapshot) > 0 && string(row.Snapshot) != "null" {
		var sc scenario.Scenario
		if err := json.Unmarshal(row.Snapshot, &sc); err != nil {
			return nil, fmt.Errorf("run %d: stored scenario: %w", row.ID, err)
		}
		h.Snapshot = &sc
	}
	k, ok := kinds[row.Kind]
	if !ok {
		return &Other{Header: h, Config: row.Config, Result: rawResult(row.Result)}, nil
	}
	r, err := k.read(h, row.Config, row.Result)
	if err != nil {
		return nil, fmt.Errorf("run %d: %w", row.ID, err)
	}
	return r, nil
}

func rawResult(doc json.RawMessage) *json.RawMessage {
	if len(doc) == 0 {
		return nil
	}
	return &doc
}

// kind is how the run layer reads one kind of run.
type kind struct {
	read func(h Header, config, result json.RawMessage) (Run, error)
}

// register makes the record type Record[C, R] the reading of a kind.
func register[C, R any](name string) kind {
	return kind{read: func(h Header, config, doc json.RawMessage) (Run, error) {
		r := &Record[C, R]{Header: h}
		if len(config) > 0 && string(config) != "null" {
			if err := json.Unmarshal(config, &r.Config); err != nil {
				return nil, fmt.Errorf("stored %s settings: %w", name, err)
			}
		}
		if len(doc) > 0 {
			r.Result = new(R)
			if err := json.Unmarshal(doc, r.Result); err != nil {
				return nil, fmt.Errorf("stored %s result: %w", name, err)
			}
		}
		return r, nil
	}}
}

// Result returns a run's result document as stored, nil before it
// finished.
func Result(r Run) (json.RawMessage, error) {
	_, res, err := r.encode()
	return res, err
}

// RequestError is a request the run layer refuses: it names what does not
// exist (a model, a variant, a file's field) or gives a value outside
// what the run takes. The command line exits 2 on it; the server answers
// 422 when Refused (the options were read and refused by the model's
// declaration), else 400.
type RequestError struct {
	Err     error
	Refused bool
	// Field names the request's field (the command line's flag) the error
	// is about, when it is about one; the message starts with it.
	Field string
	// Also lists other fields the message names, each written {field}
	// in Err's message ("raise {rounds}"): Error spells them as the
	// request's fields, as the server's clients give them ("raise
	// rounds"); Spell lets the command line spell them as its flags
	// ("raise --rounds").
	Also []string
}

func (e *RequestError) Error() string { return e.Spell(func(f string) string { return f }) }

// Spell is the message with each field of Also spelled by name.
func (e *RequestError) Spell(name func(field string) string) string {
	msg := e.Err.Error()
	for _, f := range e.Also {
		msg = strings.ReplaceAll(msg, "{"+f+"}", name(f))
	}
	return msg
}

func (e *RequestError) Unwrap() error { return e.Err }

// badRequest wraps err as a RequestError (nil stays nil).
func badRequest(err error) error {
	if err == nil {
		return nil
	}
	var re *RequestError
	if errors.As(err, &re) {
		return err
	}
	return &RequestError{Err: err}
}

// refused wraps err as a RequestError with Refused set.
func refused(err error) error {
	if err == nil {
		return nil
	}
	return &RequestError{Err: err, Refused: true}
}

// newHeader starts the header of a run of kind on sc.
func newHeader(kind string, sc *scenario.Scenario, codeVersion string) Header {
	h := Header{Kind: kind, CodeVersion: codeVersion, Params: map[string]param.Value{}}
	if sc != nil {
		h.Scenario, h.Snapshot = sc.Name, sc
	}
	return h
}
