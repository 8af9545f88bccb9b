package recognition

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/parley-project/parley/internal/unmembers"
)

// The embedded data files; data/README.md gives their origin, coding
// rules and licences. The member list they join with is embedded by
// package unmembers.
var (
	//go:embed data/states.csv
	statesCSV []byte
	//go:embed data/blocs.csv
	blocsCSV []byte
	//go:embed data/alliances.csv
	alliancesCSV []byte
	//go:embed data/secession.csv
	secessionCSV []byte
	//go:embed data/population.csv
	populationCSV []byte
	//go:embed data/unga-agreement.csv
	agreementCSV []byte
)

// UN regional groups as composed in 2007 (the peer sets of the diffusion
// term).
const (
	GroupAfrica       = "AFR"
	GroupAsiaPacific  = "APG"
	GroupEastEurope   = "EEG"
	GroupLatinAmerica = "GRULAC"
	GroupWestern      = "WEOG"
)

var groups = []string{GroupAfrica, GroupAsiaPacific, GroupEastEurope, GroupLatinAmerica, GroupWestern}

// Blocs whose shared membership with a side's patrons is counted (bloc_rec,
// bloc_opp): the European Communities/Union, NATO, the Organisation of the
// Islamic Conference, the Non-Aligned Movement, the OAU/AU, the Arab League,
// the Warsaw Pact and the Collective Security Treaty Organisation.
var Blocs = []string{"EC", "NATO", "OIC", "NAM", "OAU", "ARAB", "WP", "CSTO"}

// State is one of the 193 UN member states of 2007.
type State struct {
	ISO3 string `json:"iso3"`
	Name string `json:"name"`
	// Group is the UN regional group (AFR, APG, EEG, GRULAC, WEOG).
	Group string `json:"group"`
	// COW is the Correlates of War state number of the state or of the
	// predecessor whose seat it continues.
	COW int `json:"cow"`
	// ExistsFrom is the date the state (or that predecessor) entered the
	// state system; it is not at risk in an episode declared before.
	ExistsFrom time.Time `json:"exists_from"`
}

// spell is a membership or condition in force from From to To (zero To:
// still in force).
type spell struct {
	key      string // bloc, alliance or conflict
	from, to time.Time
	level    int
}

func (s spell) on(d time.Time) bool {
	return !d.Before(s.from) && (s.to.IsZero() || d.Before(s.to))
}

// World holds the covariate tables.
type World struct {
	States     []State
	index      map[string]int
	blocs      map[string][]spell // by iso3
	alliances  map[string][]spell // by iso3
	secession  map[string][]spell // by iso3
	population map[string]map[int]float64
	agreement  map[string]map[[2]string]agree // by period
}

type agree struct {
	share float64
	votes int
}

// LoadWorld returns the embedded tables, parsed once.
var LoadWorld = sync.OnceValues(func() (*World, error) {
	return parseWorld(unmembers.CSV, statesCSV, blocsCSV, alliancesCSV, secessionCSV, populationCSV, agreementCSV)
})

// States returns the 193 UN member states, in the order of the member list
// (alphabetical by English name).
func States() ([]State, error) {
	w, err := LoadWorld()
	if err != nil {
		return nil, err
	}
	return w.States, nil
}

func parseWorld(members, states, blocs, alliances, secession, population, agreement []byte) (*World, error) {
	w := &World{index: map[string]int{}, blocs: map[string][]spell{}, alliances: map[string][]spell{},
		secession: map[string][]spell{}, population: map[string]map[int]float64{}, agreement: map[string]map[[2]string]agree{}}
	err := readCSV(unmembers.File, members, []string{"iso3", "country"}, func(col func(string) string) error {
		s := State{ISO3: col("iso3"), Name: col("country")}
		if err := checkISO3(s.ISO3); err != nil {
			return fieldError("iso3", err)
		}
		if _, dup := w.index[s.ISO3]; dup {
			return fieldError("iso3", fmt.Errorf("duplicate %s", s.ISO3))
		}
		if s.Name == "" {
			return fieldError("country", errors.New("empty"))
		}
		w.index[s.ISO3] = len(w.States)
		w.States = append(w.States, s)
		return nil
	})
	if err != nil {
		return nil, err
	}
	seen := make([]bool, len(w.States))
	err = readCSV("states.csv", states, []string{"iso3", "un_group", "cow_code", "exists_from"}, func(col func(string) string) error {
		i, err := w.code(col("iso3"))
		if err != nil {
			return fieldError("iso3", err)
		}
		if seen[i] {
			return fieldError("iso3", fmt.Errorf("duplicate %s", col("iso3")))
		}
		seen[i] = true
		s := &w.States[i]
		s.Group = col("un_group")
		if !slices.Contains(groups, s.Group) {
			return fieldError("un_group", fmt.Errorf("%q is not one of %s", s.Group, strings.Join(groups, ", ")))
		}
		if s.COW, err = strconv.Atoi(col("cow_code")); err != nil || s.COW <= 0 {
			return fieldError("cow_code", fmt.Errorf("want a positive integer, got %q", col("cow_code")))
		}
		if s.ExistsFrom, err = parseDay(col("exists_from")); err != nil {
			return fieldError("exists_from", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i, ok := range seen {
		if !ok {
			return nil, fmt.Errorf("states.csv: no row for %s (%s)", w.States[i].ISO3, w.States[i].Name)
		}
	}
	for _, t := range []struct {
		file string
		data []byte
		key  string
		dst  map[string][]spell
	}{{"blocs.csv", blocs, "bloc", w.blocs}, {"alliances.csv", alliances, "alliance", w.alliances}, {"secession.csv", secession, "conflict", w.secession}} {
		want := []string{t.key, "iso3", "from", "to"}
		if t.file == "secession.csv" {
			want = []string{"iso3", "from", "to", "level", "conflict"}
		}
		err := readCSV(t.file, t.data, want, func(col func(string) string) error {
			code := col("iso3")
			if _, err := w.code(code); err != nil {
				return fieldError("iso3", err)
			}
			sp := spell{key: col(t.key), level: 1}
			if sp.key == "" {
				return fieldError(t.key, errors.New("empty"))
			}
			if t.file == "blocs.csv" && !slices.Contains(Blocs, sp.key) {
				return fieldError("bloc", fmt.Errorf("%q is not one of %s", sp.key, strings.Join(Blocs, ", ")))
			}
			var err error
			if sp.from, err = parseDay(col("from")); err != nil {
				return fieldError("from", err)
			}
			if v := col("to"); v != "" {
				if sp.to, err = parseDay(v); err != nil {
					return fieldError("to", err)
				}
				if !sp.to.After(sp.from) {
					return fieldError("to", fmt.Errorf("%s is not after from (%s)", v, col("from")))
				}
			}
			if t.file == "secession.csv" {
				if sp.level, err = strconv.Atoi(col("level")); err != nil || sp.level < 1 || sp.level > 2 {
					return fieldError("level", fmt.Errorf("want 1 or 2, got %q", col("level")))
				}
			}
			t.dst[code] = append(t.dst[code], sp)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	err = readCSV("population.csv", population, []string{"iso3", "year", "population"}, func(col func(string) string) error {
		code := col("iso3")
		if _, err := w.code(code); err != nil {
			return fieldError("iso3", err)
		}
		y, err := strconv.Atoi(col("year"))
		if err != nil || y < 1900 || y > 2100 {
			return fieldError("year", fmt.Errorf("want a year, got %q", col("year")))
		}
		p, err := strconv.ParseFloat(col("population"), 64)
		if err != nil || !(p > 0) || math.IsInf(p, 0) {
			return fieldError("population", fmt.Errorf("want a positive number, got %q", col("population")))
		}
		if w.population[code] == nil {
			w.population[code] = map[int]float64{}
		}
		w.population[code][y] = p
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = readCSV("unga-agreement.csv", agreement, []string{"period", "a", "b", "agree", "votes"}, func(col func(string) string) error {
		a, b := col("a"), col("b")
		for _, f := range []struct{ name, v string }{{"a", a}, {"b", b}} {
			if _, err := w.code(f.v); err != nil {
				return fieldError(f.name, err)
			}
		}
		v, err := strconv.ParseFloat(col("agree"), 64)
		if err != nil || !(v >= 0 && v <= 1) {
			return fieldError("agree", fmt.Errorf("want a share from 0 to 1, got %q", col("agree")))
		}
		n, err := strconv.Atoi(col("votes"))
		if err != nil || n <= 0 {
			return fieldError("votes", fmt.Errorf("want a positive count, got %q", col("votes")))
		}
		p := col("period")
		if w.agreement[p] == nil {
			w.agreement[p] = map[[2]string]agree{}
		}
		w.agreement[p][[2]string{a, b}] = agree{v, n}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return w, nil
}

func (w *World) code(c string) (int, error) {
	i, ok := w.index[c]
	if !ok {
		return -1, fmt.Errorf("%q is not in %s", c, unmembers.File)
	}
	return i, nil
}

// Known reports whether code is the ISO3 code of a member state.
func (w *World) Known(code string) bool {
	_, ok := w.index[code]
	return ok
}

// InBloc reports whether state is a member of bloc on day d.
func (w *World) InBloc(state, bloc string, d time.Time) bool {
	for _, s := range w.blocs[state] {
		if s.key == bloc && s.on(d) {
			return true
		}
	}
	return false
}

// Allied reports whether a and b share a formal defence alliance on day d.
func (w *World) Allied(a, b string, d time.Time) bool {
	for _, s := range w.alliances[a] {
		if !s.on(d) {
			continue
		}
		for _, t := range w.alliances[b] {
			if t.key == s.key && t.on(d) {
				return true
			}
		}
	}
	return false
}

// Secession is the level (0 none, 1 latent, 2 active or frozen) of the
// state's own secessionist conflicts on day d.
func (w *World) Secession(state string, d time.Time) int {
	lv := 0
	for _, s := range w.secession[state] {
		if s.on(d) {
			lv = max(lv, s.level)
		}
	}
	return lv
}

// Population is the state's population in the latest year of the table at
// or before year; false when there is none.
func (w *World) Population(state string, year int) (float64, bool) {
	best, by := 0.0, -1
	for y, p := range w.population[state] {
		if y <= year && y > by {
			best, by = p, y
		}
	}
	return best, by >= 0
}

// Agreement is the share of General Assembly roll calls of the period on
// which a and b voted alike (yes, no or abstain), with the number of roll
// calls both voted in; false when the table has none.
func (w *World) Agreement(period, a, b string) (float64, int, bool) {
	t := w.agreement[period]
	if v, ok := t[[2]string{a, b}]; ok {
		return v.share, v.votes, true
	}
	if v, ok := t[[2]string{b, a}]; ok {
		return v.share, v.votes, true
	}
	return 0, 0, false
}

// HasPeriod reports whether the agreement table has the period.
func (w *World) HasPeriod(period string) bool { return w.agreement[period] != nil }

func parseDay(s string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return t, fmt.Errorf("want YYYY-MM-DD, got %q", s)
	}
	return t, nil
}

type fieldErr struct {
	field string
	err   error
}

func (e fieldErr) Error() string { return e.field + ": " + e.err.Error() }

func fieldError(field string, err error) error { return fieldErr{field, err} }

// readCSV reads a CSV file with a header naming at least the wanted
// columns, calling row for each data line; errors, row's too, name the
// file and line.
func readCSV(file string, data []byte, want []string, row func(col func(string) string) error) error {
	r := csv.NewReader(bytes.NewReader(data))
	header, err := r.Read()
	if err != nil {
		return fmt.Errorf("%s:1: reading the header: %w", file, err)
	}
	pos := map[string]int{}
	for i, h := range header {
		pos[strings.TrimSpace(h)] = i
	}
	for _, w := range want {
		if _, ok := pos[w]; !ok {
			return fmt.Errorf("%s:1: missing column %q", file, w)
		}
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		line, _ := r.FieldPos(0)
		col := func(name string) string { return strings.TrimSpace(rec[pos[name]]) }
		if err := row(col); err != nil {
			return fmt.Errorf("%s:%d: %w", file, line, err)
		}
	}
}

func checkISO3(s string) error {
	if len(s) != 3 {
		return fmt.Errorf("want a 3-letter ISO code, got %q", s)
	}
	for _, c := range s {
		if c < 'A' || c > 'Z' {
			return fmt.Errorf("want a 3-letter upper-case ISO code, got %q", s)
		}
	}
	return nil
}
