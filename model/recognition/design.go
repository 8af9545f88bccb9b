package recognition

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// Covariates are the names of the static covariates, in the order of
// Design.X's columns (docs/models/recognition.md §2 defines each):
//
//	patron     1 for a patron of the recognising side
//	agree_rec  share of UN General Assembly votes cast alike with the
//	           recognising side's patrons, two years before the declaration
//	agree_opp  the same with the parent state and the opposing patrons
//	ally_rec   1 when in a formal defence alliance with a recognising patron
//	ally_opp   1 when allied with the parent or an opposing patron
//	bloc_rec   number of blocs (Blocs) shared with a recognising patron
//	bloc_opp   number of blocs shared with the parent or an opposing patron
//	secession  own secessionist conflicts: 0 none, 1 latent, 2 active
//	log_pop    natural log of the population in millions, the year before
//	major      1 for a major power (Correlates of War list)
//	unsc       1 for every state when the Security Council had called on
//	           all states not to recognise the entity (an episode-level
//	           covariate; Case.NonRecognition)
var Covariates = []string{"patron", "agree_rec", "agree_opp", "ally_rec", "ally_opp", "bloc_rec", "bloc_opp", "secession", "log_pop", "major", "unsc"}

// Covariate column indices.
const (
	cPatron = iota
	cAgreeRec
	cAgreeOpp
	cAllyRec
	cAllyOpp
	cBlocRec
	cBlocOpp
	cSecession
	cLogPop
	cMajor
	cUNSC
	nCov
)

// PeriodForecast is the agreement table's period for declarations from
// 10 December 2007 on: the roll calls of the two years before that day,
// the as-of date of the kosovo-2007 scenario.
const PeriodForecast = "2005-2007"

// forecastFrom is the first day PeriodForecast serves.
var forecastFrom = time.Date(2007, 12, 10, 0, 0, 0, 0, time.UTC)

// Case is a declaration as the covariates see it.
type Case struct {
	ID     string
	Date   time.Time
	Parent string
	// Recognising and Opposing are the patrons (ISO3).
	Recognising, Opposing []string
	// Period names the agreement table's period; "" means ID for an
	// episode and PeriodForecast for a date from 10 December 2007.
	Period string
	// NonRecognition is true when the Security Council had called on all
	// states not to recognise the entity, at the declaration or within
	// episodes.CallWindow of it (the covariate unsc).
	NonRecognition bool
}

// Side labels.
const (
	SideRecognising = "recognising"
	SideOpposing    = "opposing"
	SideParent      = "parent"
)

// Design is the covariate matrix of a case: one row per member state.
type Design struct {
	Case   Case
	X      [][nCov]float64
	AtRisk []bool
	Side   []string
	// Imputed counts the at-risk states whose value of a covariate was
	// missing and replaced by the mean of the others.
	Imputed map[string]int
}

// majors are the Correlates of War major powers with the day each became
// one (the list of 2016 from 1945 on).
var majors = map[string]time.Time{
	"USA": {}, "GBR": {}, "FRA": {}, "RUS": {},
	"CHN": time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC),
	"DEU": time.Date(1991, 1, 1, 0, 0, 0, 0, time.UTC),
	"JPN": time.Date(1991, 1, 1, 0, 0, 0, 0, time.UTC),
}

// Design computes the covariates of every member state for a case as of
// its date (docs/models/recognition.md §2).
func (w *World) Design(c Case) (*Design, error) {
	period := c.Period
	if period == "" {
		var err error
		if period, err = w.AgreementPeriod(c.ID, c.Date); err != nil {
			return nil, err
		}
	} else if !w.HasPeriod(period) {
		return nil, fmt.Errorf("no UN General Assembly agreement data for period %q", period)
	}
	n := len(w.States)
	d := &Design{Case: c, X: make([][nCov]float64, n), AtRisk: make([]bool, n), Side: make([]string, n), Imputed: map[string]int{}}
	side := map[string]string{}
	if _, err := w.code(c.Parent); err != nil {
		return nil, fmt.Errorf("parent: %w", err)
	}
	side[c.Parent] = SideParent
	for _, l := range []struct {
		name  string
		codes []string
	}{{SideRecognising, c.Recognising}, {SideOpposing, c.Opposing}} {
		for _, code := range l.codes {
			if _, err := w.code(code); err != nil {
				return nil, fmt.Errorf("%s: %w", l.name, err)
			}
			if prev := side[code]; prev != "" && prev != l.name {
				return nil, fmt.Errorf("%s is both %s and %s", code, prev, l.name)
			}
			side[code] = l.name
		}
	}
	opp := append([]string{c.Parent}, c.Opposing...)
	missing := [nCov][]int{}
	sum, cnt := [nCov]float64{}, [nCov]int{}
	for i, s := range w.States {
		d.Side[i] = side[s.ISO3]
		d.AtRisk[i] = !s.ExistsFrom.After(c.Date) && d.Side[i] != SideParent && d.Side[i] != SideOpposing
		x := &d.X[i]
		if d.Side[i] == SideRecognising {
			x[cPatron] = 1
		}
		set := func(k int, v float64, ok bool) {
			if !ok {
				missing[k] = append(missing[k], i)
				return
			}
			x[k] = v
			if d.AtRisk[i] {
				sum[k] += v
				cnt[k]++
			}
		}
		v, ok := w.meanAgreement(period, s.ISO3, c.Recognising)
		set(cAgreeRec, v, ok)
		v, ok = w.meanAgreement(period, s.ISO3, opp)
		set(cAgreeOpp, v, ok)
		x[cAllyRec] = b2f(w.alliedAny(s.ISO3, c.Recognising, c.Date))
		x[cAllyOpp] = b2f(w.alliedAny(s.ISO3, opp, c.Date))
		x[cBlocRec] = float64(w.sharedBlocs(s.ISO3, c.Recognising, c.Date))
		x[cBlocOpp] = float64(w.sharedBlocs(s.ISO3, opp, c.Date))
		x[cSecession] = float64(w.Secession(s.ISO3, c.Date))
		p, ok := w.Population(s.ISO3, c.Date.Year()-1)
		set(cLogPop, math.Log(p/1e6), ok)
		if from, ok := majors[s.ISO3]; ok && !from.After(c.Date) {
			x[cMajor] = 1
		}
		x[cUNSC] = b2f(c.NonRecognition)
	}
	for k, idx := range missing {
		mean := 0.0
		if cnt[k] > 0 {
			mean = sum[k] / float64(cnt[k])
		}
		for _, i := range idx {
			d.X[i][k] = mean
			if d.AtRisk[i] {
				d.Imputed[Covariates[k]]++
			}
		}
	}
	return d, nil
}

// AgreementPeriod returns the agreement table's period for a declaration
// with the given episode id (or "") and day: the episode's own period, or
// PeriodForecast for a day from 10 December 2007 on. It fails for any
// other declaration, whose covariates cannot be computed.
func (w *World) AgreementPeriod(id string, day time.Time) (string, error) {
	if w.HasPeriod(id) {
		return id, nil
	}
	if !day.Before(forecastFrom) {
		return PeriodForecast, nil
	}
	var eps []string
	for p := range w.agreement {
		if p != PeriodForecast {
			eps = append(eps, p)
		}
	}
	slices.Sort(eps)
	return "", fmt.Errorf("no UN General Assembly agreement data for %s (%s): the data cover the episodes %s and declarations from %s on",
		orDash(id), day.Format(time.DateOnly), strings.Join(eps, ", "), forecastFrom.Format(time.DateOnly))
}

// meanAgreement averages the state's agreement with the patrons other than
// itself that the table has; false when it has none.
func (w *World) meanAgreement(period, state string, patrons []string) (float64, bool) {
	var s float64
	n := 0
	for _, p := range patrons {
		if p == state {
			continue
		}
		if v, _, ok := w.Agreement(period, state, p); ok {
			s += v
			n++
		}
	}
	if n == 0 {
		return 0, false
	}
	return s / float64(n), true
}

func (w *World) alliedAny(state string, patrons []string, d time.Time) bool {
	return slices.ContainsFunc(patrons, func(p string) bool { return p != state && w.Allied(state, p, d) })
}

func (w *World) sharedBlocs(state string, patrons []string, d time.Time) int {
	n := 0
	for _, b := range Blocs {
		if !w.InBloc(state, b, d) {
			continue
		}
		if slices.ContainsFunc(patrons, func(p string) bool { return p != state && w.InBloc(p, b, d) }) {
			n++
		}
	}
	return n
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func orDash(s string) string {
	if s == "" {
		return "the declaration"
	}
	return s
}
