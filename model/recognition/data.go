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
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/parley-project/parley/internal/unmembers"
)

// The embedded covariate file; data/README.md gives its origin and licence.
// The member file it joins with is embedded by package unmembers.
//
//go:embed data/covariates.csv
var covariatesCSV []byte

// UN regional groups as composed in 2007 (the peer sets of the dynamic
// peer term).
const (
	GroupAfrica       = "AFR"
	GroupAsiaPacific  = "APG"
	GroupEastEurope   = "EEG"
	GroupLatinAmerica = "GRULAC"
	GroupWestern      = "WEOG"
)

var groups = []string{GroupAfrica, GroupAsiaPacific, GroupEastEurope, GroupLatinAmerica, GroupWestern}

// State is one UN member state with the covariates of the model, as of
// early 2008.
type State struct {
	ISO3 string `json:"iso3"`
	Name string `json:"name"`
	// IdealPoint is the UN General Assembly ideal point for session 62
	// (Bailey, Strezhnev & Voeten 2017; higher = closer to the US).
	IdealPoint float64 `json:"ideal_point"`
	// IdealImputed is true when the data file has no ideal point and
	// IdealPoint is the median of the state's regional group.
	IdealImputed bool `json:"ideal_imputed,omitempty"`
	EU           bool `json:"eu"`
	NATO         bool `json:"nato"`
	OIC          bool `json:"oic"`
	CSTO         bool `json:"csto"`
	// Group is the UN regional group (AFR, APG, EEG, GRULAC, WEOG).
	Group string `json:"group"`
	// Secession codes the state's own secessionist or breakaway conflicts:
	// 0 none, 1 latent or minor, 2 active, armed or frozen.
	Secession int `json:"secession"`
	// TieRUS, TieCHN and TieSRB code dependence on or alignment with
	// Russia, China and Serbia: 0 none, 1 close, 2 ally or client.
	TieRUS int `json:"tie_rus"`
	TieCHN int `json:"tie_chn"`
	TieSRB int `json:"tie_srb"`
	// ExistsFrom is the date the state came into being when that is after
	// early 2008 (zero otherwise); it is not at risk before.
	ExistsFrom time.Time `json:"exists_from,omitzero"`
}

// States returns the 193 UN member states with their covariates, in the
// order of the data file (alphabetical by English name).
func States() ([]State, error) {
	return parseData(unmembers.CSV, covariatesCSV)
}

// parseData joins the member file and the covariate file by ISO3 code.
func parseData(members, covariates []byte) ([]State, error) {
	var states []State
	index := map[string]int{}
	err := readCSV(unmembers.File, members,
		[]string{"iso3", "country", "eu_member_feb2008", "nato_member_feb2008", "unga_ideal_point_session62"},
		func(col func(string) string) error {
			s := State{ISO3: col("iso3"), Name: col("country")}
			if err := checkISO3(s.ISO3); err != nil {
				return fieldError("iso3", err)
			}
			if _, dup := index[s.ISO3]; dup {
				return fieldError("iso3", fmt.Errorf("duplicate %s", s.ISO3))
			}
			if s.Name == "" {
				return fieldError("country", errors.New("empty"))
			}
			var err error
			if s.EU, err = parseBool(col("eu_member_feb2008")); err != nil {
				return fieldError("eu_member_feb2008", err)
			}
			if s.NATO, err = parseBool(col("nato_member_feb2008")); err != nil {
				return fieldError("nato_member_feb2008", err)
			}
			if v := col("unga_ideal_point_session62"); v == "" {
				s.IdealPoint, s.IdealImputed = math.NaN(), true
			} else if s.IdealPoint, err = strconv.ParseFloat(v, 64); err != nil || math.IsNaN(s.IdealPoint) || math.IsInf(s.IdealPoint, 0) {
				return fieldError("unga_ideal_point_session62", fmt.Errorf("not a number: %q", v))
			}
			index[s.ISO3] = len(states)
			states = append(states, s)
			return nil
		})
	if err != nil {
		return nil, err
	}
	seen := make([]bool, len(states))
	err = readCSV("covariates.csv", covariates,
		[]string{"iso3", "un_group", "oic", "csto", "secession", "tie_rus", "tie_chn", "tie_srb", "exists_from"},
		func(col func(string) string) error {
			code := col("iso3")
			i, ok := index[code]
			if !ok {
				return fieldError("iso3", fmt.Errorf("%q is not in %s", code, unmembers.File))
			}
			if seen[i] {
				return fieldError("iso3", fmt.Errorf("duplicate %s", code))
			}
			seen[i] = true
			s := &states[i]
			s.Group = col("un_group")
			if !slices.Contains(groups, s.Group) {
				return fieldError("un_group", fmt.Errorf("%q is not one of %s", s.Group, strings.Join(groups, ", ")))
			}
			var err error
			if s.OIC, err = parseBool(col("oic")); err != nil {
				return fieldError("oic", err)
			}
			if s.CSTO, err = parseBool(col("csto")); err != nil {
				return fieldError("csto", err)
			}
			for _, f := range []struct {
				name string
				dst  *int
			}{{"secession", &s.Secession}, {"tie_rus", &s.TieRUS}, {"tie_chn", &s.TieCHN}, {"tie_srb", &s.TieSRB}} {
				v, err := strconv.Atoi(col(f.name))
				if err != nil || v < 0 || v > 2 {
					return fieldError(f.name, fmt.Errorf("want 0, 1 or 2, got %q", col(f.name)))
				}
				*f.dst = v
			}
			if v := col("exists_from"); v != "" {
				if s.ExistsFrom, err = time.Parse(time.DateOnly, v); err != nil {
					return fieldError("exists_from", fmt.Errorf("want YYYY-MM-DD, got %q", v))
				}
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	for i, ok := range seen {
		if !ok {
			return nil, fmt.Errorf("covariates.csv: no row for %s (%s)", states[i].ISO3, states[i].Name)
		}
	}
	imputeIdealPoints(states)
	return states, nil
}

// imputeIdealPoints replaces a missing ideal point by the median of the
// state's regional group (South Sudan, which did not vote in 2007–08).
func imputeIdealPoints(states []State) {
	by := map[string][]float64{}
	for _, s := range states {
		if !s.IdealImputed {
			by[s.Group] = append(by[s.Group], s.IdealPoint)
		}
	}
	for i := range states {
		if !states[i].IdealImputed {
			continue
		}
		xs := by[states[i].Group]
		sort.Float64s(xs)
		switch n := len(xs); {
		case n == 0:
			states[i].IdealPoint = 0
		case n%2 == 1:
			states[i].IdealPoint = xs[n/2]
		default:
			states[i].IdealPoint = (xs[n/2-1] + xs[n/2]) / 2
		}
	}
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

func parseBool(s string) (bool, error) {
	switch s {
	case "0":
		return false, nil
	case "1":
		return true, nil
	}
	return false, fmt.Errorf("want 0 or 1, got %q", s)
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
