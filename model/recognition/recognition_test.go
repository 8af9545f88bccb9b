package recognition

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parley-project/parley/internal/unmembers"
	"github.com/parley-project/parley/model/recognition/episodes"
)

func world(t testing.TB) *World {
	t.Helper()
	w, err := LoadWorld()
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestStates(t *testing.T) {
	w := world(t)
	if len(w.States) != 193 {
		t.Fatalf("got %d states, want 193", len(w.States))
	}
	count := map[string]int{}
	for _, s := range w.States {
		count[s.Group]++
	}
	want := map[string]int{GroupAfrica: 54, GroupAsiaPacific: 54, GroupEastEurope: 23, GroupLatinAmerica: 33, GroupWestern: 29}
	for k, v := range want {
		if count[k] != v {
			t.Errorf("%s: %d states, want %d", k, count[k], v)
		}
	}
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	for code, from := range map[string]string{"SSD": "2011-07-09", "DEU": "1955-05-05", "SRB": "1944-10-20", "SMR": "1816-01-01", "HRV": "1992-01-15"} {
		i, _ := Lookup(w.States, code)
		if got := w.States[i].ExistsFrom; !got.Equal(day(from)) {
			t.Errorf("%s exists from %s, want %s", code, got.Format(time.DateOnly), from)
		}
	}
	// Bloc, alliance and conflict spells as of given days.
	for _, c := range []struct {
		state, bloc, day string
		want             bool
	}{
		{"GBR", "EC", "1972-12-31", false}, {"GBR", "EC", "1973-01-01", true}, {"ALB", "WP", "1967-01-01", true},
		{"ALB", "WP", "1970-01-01", false}, {"EGY", "ARAB", "1985-01-01", false}, {"MAR", "OAU", "1985-01-01", false},
		{"CYP", "NAM", "2005-01-01", false}, {"BGD", "OIC", "1974-07-01", true}, {"RUS", "CSTO", "2008-01-01", true},
	} {
		if got := w.InBloc(c.state, c.bloc, day(c.day)); got != c.want {
			t.Errorf("%s in %s on %s: %v", c.state, c.bloc, c.day, got)
		}
	}
	if !w.Allied("USA", "JPN", day("2000-01-01")) || w.Allied("RUS", "IND", day("1970-01-01")) || !w.Allied("RUS", "IND", day("1972-01-01")) {
		t.Error("alliance spells")
	}
	if w.Secession("GBR", day("1990-01-01")) != 2 || w.Secession("GBR", day("2007-01-01")) != 1 || w.Secession("ISL", day("2007-01-01")) != 0 {
		t.Error("secession spells")
	}
	if p, ok := w.Population("SRB", 2007); !ok || p < 7e6 || p > 8e6 {
		t.Errorf("Serbia's population in 2007: %g", p)
	}
}

func TestLookup(t *testing.T) {
	w := world(t)
	for _, c := range []struct{ in, want string }{
		{"USA", "USA"}, {"usa", "USA"}, {"uk", "GBR"}, {"germany", "DEU"}, {"Russia", "RUS"},
		{"serbia", "SRB"}, {"new_zealand", "NZL"}, {"georgia", "GEO"},
	} {
		i, err := Lookup(w.States, c.in)
		if err != nil || w.States[i].ISO3 != c.want {
			t.Errorf("Lookup(%q) = %v, %v; want %s", c.in, i, err, c.want)
		}
	}
	if _, err := Lookup(w.States, "XKX"); err == nil || !strings.Contains(err.Error(), `"XKX"`) {
		t.Errorf("Lookup(XKX): %v", err)
	}
}

const (
	tStates = "iso3,un_group,cow_code,exists_from,note\nAAA,WEOG,1,1900-01-01,\nBBB,EEG,2,1990-01-01,\n"
	tBlocs  = "bloc,iso3,from,to,note\nNATO,AAA,1949-08-24,,\n"
	tAll    = "alliance,iso3,from,to\nX,AAA,1950-01-01,\nX,BBB,1950-01-01,1960-01-01\n"
	tSec    = "iso3,from,to,level,conflict\nBBB,1991-01-01,,2,c\n"
	tPop    = "iso3,year,population\nAAA,2007,1000000\n"
	tAgree  = "period,a,b,agree,votes\np,AAA,BBB,0.5,10\n"
)

func TestParseWorldErrors(t *testing.T) {
	members := "iso3,country\nAAA,Aland\nBBB,Bland\n"
	parse := func(m, s, b, a, sec, p, ag string) error {
		_, err := parseWorld([]byte(m), []byte(s), []byte(b), []byte(a), []byte(sec), []byte(p), []byte(ag))
		return err
	}
	if err := parse(members, tStates, tBlocs, tAll, tSec, tPop, tAgree); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name                         string
		m, s, b, a, sec, p, ag, want string
	}{
		{"missing column", strings.Replace(members, "country", "name", 1), tStates, tBlocs, tAll, tSec, tPop, tAgree, `un-members-2007.csv:1: missing column "country"`},
		{"unknown state", members, strings.Replace(tStates, "BBB,EEG", "CCC,EEG", 1), tBlocs, tAll, tSec, tPop, tAgree, `states.csv:3: iso3: "CCC" is not in un-members-2007.csv`},
		{"bad group", members, strings.Replace(tStates, "EEG", "XX", 1), tBlocs, tAll, tSec, tPop, tAgree, `states.csv:3: un_group: "XX" is not one of`},
		{"bad date", members, strings.Replace(tStates, "1990-01-01", "1990", 1), tBlocs, tAll, tSec, tPop, tAgree, `states.csv:3: exists_from: want YYYY-MM-DD, got "1990"`},
		{"missing row", members, strings.Replace(tStates, "BBB,EEG,2,1990-01-01,\n", "", 1), tBlocs, tAll, tSec, tPop, tAgree, `states.csv: no row for BBB (Bland)`},
		{"bad bloc", members, tStates, strings.Replace(tBlocs, "NATO", "SCO", 1), tAll, tSec, tPop, tAgree, `blocs.csv:2: bloc: "SCO" is not one of`},
		{"spell ends first", members, tStates, tBlocs, strings.Replace(tAll, "1960-01-01", "1940-01-01", 1), tSec, tPop, tAgree, `alliances.csv:3: to: 1940-01-01 is not after from`},
		{"bad level", members, tStates, tBlocs, tAll, strings.Replace(tSec, ",2,", ",3,", 1), tPop, tAgree, `secession.csv:2: level: want 1 or 2, got "3"`},
		{"bad population", members, tStates, tBlocs, tAll, tSec, strings.Replace(tPop, "1000000", "-5", 1), tAgree, `population.csv:2: population: want a positive number, got "-5"`},
		{"bad agreement", members, tStates, tBlocs, tAll, tSec, tPop, strings.Replace(tAgree, "0.5", "1.5", 1), `unga-agreement.csv:2: agree: want a share from 0 to 1, got "1.5"`},
		{"short row", members, tStates, tBlocs, tAll, tSec, tPop, strings.Replace(tAgree, ",10", "", 1), `unga-agreement.csv: record on line 2: wrong number of fields`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := parse(c.m, c.s, c.b, c.a, c.sec, c.p, c.ag); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want an error containing %q", err, c.want)
			}
		})
	}
}

func FuzzParseWorld(f *testing.F) {
	f.Add(string(unmembers.CSV[:300]), tStates, tBlocs, tAll, tSec, tPop, tAgree)
	f.Add("iso3,country\nAAA,A\n", "iso3,un_group,cow_code,exists_from\nAAA,AFR,1,2000-01-01\n", "bloc,iso3,from,to\n", "alliance,iso3,from,to\n", "iso3,from,to,level,conflict\n", "iso3,year,population\n", "period,a,b,agree,votes\n")
	f.Fuzz(func(t *testing.T, m, s, b, a, sec, p, ag string) {
		w, err := parseWorld([]byte(m), []byte(s), []byte(b), []byte(a), []byte(sec), []byte(p), []byte(ag))
		if err != nil {
			return
		}
		for _, st := range w.States {
			if !slices.Contains(groups, st.Group) || st.COW <= 0 || st.ExistsFrom.IsZero() {
				t.Fatalf("accepted an invalid state %+v", st)
			}
		}
		for _, tab := range w.agreement {
			for _, v := range tab {
				if !(v.share >= 0 && v.share <= 1) || v.votes <= 0 {
					t.Fatalf("accepted agreement %+v", v)
				}
			}
		}
	})
}

// TestDesign checks the covariates of three states of the Croatian episode
// against the tables by hand.
func TestDesign(t *testing.T) {
	w := world(t)
	day := time.Date(1991, 6, 25, 0, 0, 0, 0, time.UTC)
	d, err := w.Design(Case{ID: "croatia-1991", Date: day, Parent: "SRB", Recognising: []string{"DEU", "AUT"}})
	if err != nil {
		t.Fatal(err)
	}
	row := func(code string) ([nCov]float64, bool, string) {
		i, _ := Lookup(w.States, code)
		return d.X[i], d.AtRisk[i], d.Side[i]
	}
	agree := func(a, b string) float64 { v, _, _ := w.Agreement("croatia-1991", a, b); return v }
	// Italy: EC and NATO with Germany, no bloc with Yugoslavia, allied
	// with Germany (NATO), latent conflict cleared (South Tyrol ended 1972).
	x, risk, side := row("ITA")
	want := [nCov]float64{0, (agree("DEU", "ITA") + agree("AUT", "ITA")) / 2, agree("SRB", "ITA"), 1, 0, 2, 0, 0, x[cLogPop], 0}
	if x != want || !risk || side != "" {
		t.Errorf("ITA: %v %v %q, want %v", x, risk, side, want)
	}
	if p, _ := w.Population("ITA", 1990); math.Abs(x[cLogPop]-math.Log(p/1e6)) > 1e-12 {
		t.Errorf("ITA log population %g", x[cLogPop])
	}
	// Austria: a recognising patron; its agreement is with Germany alone.
	x, _, side = row("AUT")
	if x[cPatron] != 1 || x[cAgreeRec] != agree("AUT", "DEU") || side != SideRecognising {
		t.Errorf("AUT: %v %q", x, side)
	}
	// India: shares the Non-Aligned Movement with Yugoslavia, allied with
	// the Soviet Union only, an active conflict of its own.
	x, _, _ = row("IND")
	if x[cBlocOpp] != 1 || x[cBlocRec] != 0 || x[cAllyRec] != 0 || x[cSecession] != 2 {
		t.Errorf("IND: %v", x)
	}
	// The parent and states born after the declaration are not at risk.
	for _, code := range []string{"SRB", "SVN", "UKR", "EST"} {
		if _, risk, _ := row(code); risk {
			t.Errorf("%s is at risk", code)
		}
	}
	if _, err := w.Design(Case{Date: day, Parent: "SRB"}); err == nil || !strings.Contains(err.Error(), "no UN General Assembly agreement data") {
		t.Errorf("a date without agreement data: %v", err)
	}
}

// TestLogLikClosedForm computes the log-likelihood of a tiny data set by
// hand: with σ → 0 the episode effect vanishes and the likelihood is the
// product of the cloglog probabilities (eq. 1).
func TestLogLikClosedForm(t *testing.T) {
	x1 := [nCov]float64{1, 0.5}
	x2 := [nCov]float64{0, 0.2, 0, 0, 0, 0, 0, 1}
	ds := &Dataset{eps: []epData{{id: "e", x: [][nCov]float64{x1, x2},
		rs: []int32{0, 1, 1}, rpiece: []int8{0, 0, 1}, rpeer: []float64{0, 0, 0.5}, rexpo: []float64{0.5, 0.5, 1},
		es: []int32{0}, epiece: []int8{1}, epeer: []float64{0.25}, eexpo: []float64{1}}}}
	theta := make([]float64, nPar)
	theta[pBase], theta[pBase+1] = -2, -1.5
	theta[pCov], theta[pCov+1], theta[pCov+7] = 0.8, -1, -0.4
	theta[pPeer] = 0.7
	theta[pSigma] = -30
	eta := func(p int, x [nCov]float64, peer, expo float64) float64 {
		v := theta[pBase+p] + theta[pPeer]*peer + math.Log(expo)
		for j := range x {
			v += theta[pCov+j] * x[j]
		}
		return v
	}
	surv := func(e float64) float64 { return -math.Exp(e) } // log(1 − h)
	want := surv(eta(0, x1, 0, 0.5)) + math.Log(-math.Expm1(-math.Exp(eta(1, x1, 0.25, 1)))) +
		surv(eta(0, x2, 0, 0.5)) + surv(eta(1, x2, 0.5, 1))
	if got := ds.logLik(theta, nil); math.Abs(got-want) > 1e-9 {
		t.Errorf("log-likelihood %.12f, want %.12f", got, want)
	}
	// The gradient against central differences.
	g := make([]float64, nPar)
	theta[pSigma] = math.Log(0.8)
	ds.logLik(theta, g)
	for i := range theta {
		a, b := slices.Clone(theta), slices.Clone(theta)
		a[i] += 1e-6
		b[i] -= 1e-6
		num := (ds.logLik(a, nil) - ds.logLik(b, nil)) / 2e-6
		if math.Abs(num-g[i]) > 1e-6*(1+math.Abs(num)) {
			t.Errorf("∂/∂%s: analytic %.9f, numeric %.9f", ParamNames[i], g[i], num)
		}
	}
	// The fitted function adds the N(0, 2.5²) prior of unsc: −β²/12.5.
	theta[pCov+cUNSC] = -1.3
	if d := ds.logPost(theta, nil) - ds.logLik(theta, nil); math.Abs(d-(-1.69/12.5)) > 1e-12 {
		t.Errorf("log prior %.12f, want %.12f", d, -1.69/12.5)
	}
	gp := make([]float64, nPar)
	ds.logPost(theta, gp)
	ds.logLik(theta, g)
	if d := gp[pCov+cUNSC] - g[pCov+cUNSC]; math.Abs(d-1.3/6.25) > 1e-12 {
		t.Errorf("∂ log prior/∂unsc %.12f, want %.12f", d, 1.3/6.25)
	}
}

func TestWindow(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	w := NewWindow(day("2008-02-17"), day("2008-04-10"))
	if w.Months != 3 || math.Abs(w.Expo[0]-13.0/29) > 1e-15 || w.Expo[1] != 1 || math.Abs(w.Expo[2]-10.0/30) > 1e-15 {
		t.Errorf("%+v", w)
	}
	for d, m := range map[string]int{"2008-02-16": 0, "2008-02-17": 1, "2008-03-31": 2, "2008-04-10": 3, "2008-04-11": 4} {
		if got := w.MonthOf(day(d)); got != m {
			t.Errorf("MonthOf(%s) = %d, want %d", d, got, m)
		}
	}
}

func run(t testing.TB, in Input, opt Options) *Result {
	t.Helper()
	r, err := Forecast(context.Background(), in, opt)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestWorkersReproducible(t *testing.T) {
	a, _ := json.Marshal(run(t, Kosovo(), Options{Draws: 700, Seed: 9, Workers: 1}))
	b, _ := json.Marshal(run(t, Kosovo(), Options{Draws: 700, Seed: 9, Workers: 3}))
	if string(a) != string(b) {
		t.Error("one worker and three workers differ")
	}
	c, _ := json.Marshal(run(t, Kosovo(), Options{Draws: 700, Seed: 10, Workers: 3}))
	if string(a) == string(c) {
		t.Error("another seed gives the same result")
	}
}

// TestUncertaintyWidens: drawing the coefficients and the episode effect
// widens the band against the same model with both held fixed, and fixing
// a parameter by name removes its uncertainty only.
func TestUncertaintyWidens(t *testing.T) {
	opt := Options{Draws: 3000, Seed: 4}
	wide := run(t, Kosovo(), opt)
	opt.NoUncertainty = true
	narrow := run(t, Kosovo(), opt)
	last := len(wide.Cumulative) - 1
	w, n := wide.Cumulative[last], narrow.Cumulative[last]
	if !(w.P95-w.P05 > 2*(n.P95-n.P05)) {
		t.Errorf("band with uncertainty %g–%g, without %g–%g", w.P05, w.P95, n.P05, n.P95)
	}
	if !strings.HasPrefix(wide.Uncertainty, "coefficients drawn") || !strings.HasPrefix(narrow.Uncertainty, "none") {
		t.Errorf("uncertainty %q / %q", wide.Uncertainty, narrow.Uncertainty)
	}
	fixed := run(t, Kosovo(), Options{Draws: 10, Fixed: map[string]float64{"peer": 0.5}})
	f, _ := EmbeddedFit()
	for i, c := range fixed.Coefficients {
		switch {
		case c.Name == "peer" && (c.Estimate != 0.5 || c.SE != 0):
			t.Errorf("peer: %+v", c)
		case c.Name != "peer" && math.Abs(c.SE-f.SE[i]) > 0.02*f.SE[i]:
			// Fixing one parameter conditions the others' draws on nothing
			// else, so their spread stays the marginal one.
			t.Errorf("%s: SE %g, fit %g", c.Name, c.SE, f.SE[i])
		}
	}
}

// TestMonotone: raising the patron coefficient can only make the patrons
// recognise earlier (common random numbers: the same seed), and raising
// the baseline raises every state's probability.
func TestMonotone(t *testing.T) {
	f, _ := EmbeddedFit()
	ref := run(t, Kosovo(), Options{Draws: 2000, Seed: 3, NoUncertainty: true})
	hi := run(t, Kosovo(), Options{Draws: 2000, Seed: 3, NoUncertainty: true, Fixed: map[string]float64{"patron": f.Value("patron") + 1}})
	base := map[string]float64{}
	for _, n := range ParamNames[:nPieces] {
		base[n] = f.Value(n) + 0.5
	}
	up := run(t, Kosovo(), Options{Draws: 2000, Seed: 3, NoUncertainty: true, Fixed: base})
	for i, s := range ref.States {
		for d, p := range s.PBy {
			if s.Side == SideRecognising && hi.States[i].PBy[d] < p {
				t.Errorf("%s by %s: %g with a larger patron effect, %g without", s.ISO3, d, hi.States[i].PBy[d], p)
			}
			if up.States[i].PBy[d] < p {
				t.Errorf("%s by %s: %g with a higher baseline, %g without", s.ISO3, d, up.States[i].PBy[d], p)
			}
		}
	}
}

func TestResultShape(t *testing.T) {
	r := run(t, Kosovo(), Options{Draws: 500, Seed: 2})
	if len(r.States) != 193 || len(r.Cumulative) != 156 || r.Cumulative[0].Date != "2008-01-31" || r.Cumulative[155].Date != "2020-12-31" {
		t.Fatalf("%d states, %d months from %s", len(r.States), len(r.Cumulative), r.Cumulative[0].Date)
	}
	if r.Parent != "SRB" || !slices.Equal(r.Opposing, []string{"RUS"}) || r.StartLatest != "2008-02-29" || len(r.Coefficients) != nPar {
		t.Errorf("%s %v %s %d", r.Parent, r.Opposing, r.StartLatest, len(r.Coefficients))
	}
	for _, s := range r.States {
		if s.Side == SideParent || s.Side == SideOpposing {
			for d, p := range s.PBy {
				if p != 0 {
					t.Errorf("%s (%s) recognises by %s with %g", s.ISO3, s.Side, d, p)
				}
			}
		}
		if s.ISO3 == "SSD" && s.Hazard != 0 {
			t.Errorf("South Sudan, not yet a state, has hazard %g", s.Hazard)
		}
	}
	// January is before any declaration day of the window only in part:
	// the count at the end of January is below that at the end of February.
	if !(r.Cumulative[0].Expected < r.Cumulative[1].Expected) {
		t.Errorf("cumulative %v", r.Cumulative[:2])
	}
	for i, c := range r.Cumulative {
		if c.P05 > c.Expected || c.Expected > c.P95 || i > 0 && c.Expected < r.Cumulative[i-1].Expected {
			t.Fatalf("point %d %+v", i, c)
		}
	}
}

func TestForecastErrors(t *testing.T) {
	cases := []struct {
		name string
		edit func(*Input, *Options)
		want string
	}{
		{"unknown state", func(in *Input, _ *Options) { in.Recognising = append(in.Recognising, "Narnia") }, `recognising: unknown state "Narnia"`},
		{"both sides", func(in *Input, _ *Options) { in.Opposing = append(in.Opposing, "usa") }, "opposing: usa: is on both sides (recognising)"},
		{"parent recognises", func(in *Input, _ *Options) { in.Recognising = append(in.Recognising, "SRB") }, "is on both sides (parent)"},
		{"initial opponent", func(in *Input, _ *Options) { in.Initial = []string{"RUS"} }, "initial: RUS: is the opposing, which never recognises"},
		{"no sides", func(in *Input, _ *Options) { in.Opposing, in.Parent = nil, "" }, "both sides need at least one state"},
		{"dates", func(in *Input, _ *Options) { in.End = in.StartLatest }, "is not after start"},
		{"window", func(in *Input, _ *Options) { in.StartLatest = in.Start.AddDate(0, 0, -1) }, "latest start 2007-12-31 is before start 2008-01-01"},
		{"horizon", func(in *Input, _ *Options) { in.End = in.Start.AddDate(100, 0, 1) }, "more than 100 years after start 2008-01-01"},
		{"no agreement data", func(in *Input, _ *Options) { in.Start, in.StartLatest = in.Start.AddDate(-1, 0, 0), time.Time{} }, "no UN General Assembly agreement data"},
		{"by-date", func(_ *Input, o *Options) { o.ByDates = []string{"2030-01-01"} }, "by-date 2030-01-01 is outside"},
		{"by-date format", func(_ *Input, o *Options) { o.ByDates = []string{"2010"} }, `by-date "2010": want YYYY-MM-DD`},
		{"param", func(_ *Input, o *Options) { o.Fixed = map[string]float64{"align": 1} }, `unknown recognition parameter "align"`},
		{"param value", func(_ *Input, o *Options) { o.Fixed = map[string]float64{"peer": math.Inf(1)} }, "peer: not a finite number"},
		{"draws", func(_ *Input, o *Options) { o.Draws = -1 }, "draws must be 0 (the default, 10000) to 10000000, got -1"},
		{"too many draws", func(_ *Input, o *Options) { o.Draws = 1e12 }, "draws must be 0 (the default, 10000) to 10000000, got 1000000000000"},
		{"workers", func(_ *Input, o *Options) { o.Workers = 1e6 }, "workers must be 0 (one per CPU) to 256, got 1000000"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in, opt := Kosovo(), Options{Draws: 10}
			c.edit(&in, &opt)
			if _, err := Forecast(context.Background(), in, opt); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want %q", err, c.want)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Forecast(ctx, Kosovo(), Options{Draws: 100}); err != context.Canceled {
		t.Errorf("cancelled: %v", err)
	}
}

// TestGoldenJSON pins the seeded output for a small run (go test -update
// rewrites testdata/kosovo-2008.json after an intended change).
func TestGoldenJSON(t *testing.T) {
	in := Kosovo()
	in.End = time.Date(2008, 12, 31, 0, 0, 0, 0, time.UTC)
	got, err := json.MarshalIndent(run(t, in, Options{Draws: 300, Seed: 5}), "", " ")
	if err != nil {
		t.Fatal(err)
	}
	const golden = "testdata/kosovo-2008.json"
	if *update {
		if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != string(got)+"\n" {
		t.Errorf("output differs from %s (go test -update rewrites it)", golden)
	}
}

// TestClosedFormSim: with every covariate and the peer effect at zero and
// no uncertainty, each state recognises by the end of month T with
// probability 1 − exp(−Σ_{t≤T} exp(α_p(t))·ε_t) (eq. 1), which the
// simulation must reproduce within Monte Carlo error.
func TestClosedFormSim(t *testing.T) {
	in := Kosovo()
	in.StartLatest = time.Time{}
	in.Start = time.Date(2008, 2, 17, 0, 0, 0, 0, time.UTC)
	in.End = time.Date(2010, 12, 31, 0, 0, 0, 0, time.UTC)
	fixed := map[string]float64{}
	for _, n := range ParamNames {
		fixed[n] = 0
	}
	alpha := []float64{-2, -2.5, -3, -3.5, -4}
	for p, n := range ParamNames[:nPieces] {
		fixed[n] = alpha[p]
	}
	const draws = 20000
	r := run(t, in, Options{Draws: draws, Seed: 8, NoUncertainty: true, Fixed: fixed, ByDates: []string{"2008-02-29", "2008-12-31", "2010-12-31"}})
	win := NewWindow(in.Start, in.End)
	want := map[string]float64{}
	var cum float64
	for m := 1; m <= win.Months; m++ {
		cum += math.Exp(alpha[piece(m)]) * win.Expo[m-1]
		switch m {
		case 1:
			want["2008-02-29"] = -math.Expm1(-cum)
		case 11:
			want["2008-12-31"] = -math.Expm1(-cum)
		case 35:
			want["2010-12-31"] = -math.Expm1(-cum)
		}
	}
	var n int
	mean := map[string]float64{}
	for _, s := range r.States {
		if s.Side != "" || s.ISO3 == "SSD" {
			continue
		}
		n++
		for d, p := range s.PBy {
			mean[d] += p
		}
	}
	for d, w := range want {
		got := mean[d] / float64(n)
		// The mean over n states of draws-sized samples: standard error
		// below sqrt(w(1−w)/draws).
		if se := math.Sqrt(w * (1 - w) / draws); math.Abs(got-w) > 4*se {
			t.Errorf("by %s: simulated %.5f, closed form %.5f (se %.5f)", d, got, w, se)
		}
	}
}

// TestAgreementPeriods checks the General Assembly agreement table of each
// episode against the state system and against values recomputed by hand
// from Voeten's roll calls (the package unvotes' raw copy,
// data-raw/UNVotesPublished.RData, country codes of the Correlates of
// War): no state has an agreement in a period before it existed (the
// tidy table's missing country code "NA" was once read as Namibia's,
// giving Namibia North Yemen's votes of the 1960s–80s and leaving North
// Yemen without any), North Yemen has its own, and Germany's agreement
// before Croatia's and Slovenia's declarations counts the votes of the
// Federal Republic (COW 260) and of united Germany (255) after October
// 1990.
func TestAgreementPeriods(t *testing.T) {
	w := world(t)
	eps, err := AllEpisodes()
	if err != nil {
		t.Fatal(err)
	}
	for _, ep := range eps {
		patrons := append(append([]string{ep.Parent}, ep.Recognising...), ep.Opposing...)
		for _, s := range w.States {
			for _, p := range patrons {
				// Belarus and Ukraine held UN seats as Soviet republics
				// from 1945 and voted, though not states until 1991.
				soviet := s.ISO3 == "BLR" || s.ISO3 == "UKR"
				if _, _, ok := w.Agreement(ep.ID, p, s.ISO3); ok && s.ExistsFrom.After(ep.Declared) && !soviet {
					t.Errorf("%s: %s has an agreement with %s, but exists only from %s", ep.ID, s.ISO3, p, s.ExistsFrom.Format(time.DateOnly))
				}
			}
		}
		if _, _, ok := w.Agreement(ep.ID, ep.Parent, "YEM"); !ok {
			t.Errorf("%s: no agreement for North Yemen", ep.ID)
		}
	}
	for _, c := range []struct {
		period, a, b string
		agree        float64
		votes        int
	}{
		{"croatia-1991", "DEU", "ITA", 0.9444, 198},
		{"croatia-1991", "DEU", "USA", 0.3687, 198},
		{"croatia-1991", "AUT", "NAM", 0.6386, 83},
		{"sadr-1976", "MAR", "YEM", 0.8585, 106},
		{"croatia-1991", "AUT", "ITA", 0.6717, 198},
		{"2005-2007", "IND", "USA", 0.1559, 186},
	} {
		v, n, ok := w.Agreement(c.period, c.a, c.b)
		if !ok || math.Abs(v-c.agree) > 1e-4 || n != c.votes {
			t.Errorf("%s %s–%s: %.4f over %d roll calls (found %v), want %.4f over %d", c.period, c.a, c.b, v, n, ok, c.agree, c.votes)
		}
	}
}

// TestPruningExact checks the simulator's shortcut (a state whose
// threshold its cumulative hazard cannot reach is left out) against a
// plain month-by-month simulation of eq. 1–2 with the same random numbers,
// with the peer coefficient negative (as about a third of the draws have
// it): the bound must then use the largest peer factor, exp(0), not the
// factor with every peer recognised.
func TestPruningExact(t *testing.T) {
	w := world(t)
	for _, gamma := range []float64{-3, 0.8} {
		m, err := build(w, Kosovo(), Options{Draws: 300, Seed: 11, Fixed: map[string]float64{"peer": gamma}})
		if err != nil {
			t.Fatal(err)
		}
		s := m.newSim()
		for d := range uint64(m.draws) {
			tl := m.newTally()
			s.draw(d, tl)
			// The reference: every state that exists is simulated.
			s.pcg.Seed(m.seed, d)
			s.params()
			n := len(w.States)
			thr, cum, rec := make([]float64, n), make([]float64, n), make([]int, n)
			for i := range thr {
				thr[i] = s.rng.ExpFloat64()
				rec[i] = m.months + 1
			}
			k := make([]int, len(groups))
			for i := range n {
				if m.initial[i] {
					rec[i] = 0
					k[m.peer.group[i]]++
				}
			}
			for mo := 1; mo <= m.months; mo++ {
				var fresh []int
				for i := range n {
					if m.initial[i] || rec[i] <= m.months || m.enter[i] > mo {
						continue
					}
					g := m.peer.group[i]
					cum[i] += s.static[i] * s.peerExp[g][k[g]] * s.base[mo-1]
					if cum[i] >= thr[i] {
						fresh = append(fresh, i)
					}
				}
				for _, i := range fresh {
					rec[i] = mo
					k[m.peer.group[i]]++
				}
			}
			for i := range n {
				for b, bm := range m.byMonth {
					if got, want := tl.by[i][b] == 1, rec[i] <= bm; got != want {
						t.Fatalf("peer %g, draw %d: %s recognised by %s: simulator %v, reference %v", gamma, d, w.States[i].ISO3, m.byDates[b], got, want)
					}
				}
			}
		}
	}
}

// TestSameConflict: the leave-one-out backtest holds Croatia and Slovenia
// out together (one parent, one day) and every other episode alone.
func TestSameConflict(t *testing.T) {
	eps, err := AllEpisodes()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range eps {
		for _, b := range eps {
			twins := a.ID == b.ID || strings.HasSuffix(a.ID, "-1991") && strings.HasSuffix(b.ID, "-1991")
			if got := SameConflict(a, b); got != twins {
				t.Errorf("SameConflict(%s, %s) = %v, want %v", a.ID, b.ID, got, twins)
			}
		}
	}
}

// TestBacktestNoLeakage: the forecast of a held-out episode cannot depend
// on what happened in it. Erasing Biafra's recognitions leaves Biafra's
// held-out forecast unchanged to the last digit, and changes the forecast
// of an episode fitted with Biafra in (so the test can see a leak).
func TestBacktestNoLeakage(t *testing.T) {
	w := world(t)
	eps, err := AllEpisodes()
	if err != nil {
		t.Fatal(err)
	}
	const biafra, sadr = 1, 3
	if eps[biafra].ID != "biafra-1967" || eps[sadr].ID != "sadr-1976" {
		t.Fatalf("episode order %s, %s", eps[biafra].ID, eps[sadr].ID)
	}
	erased := slices.Clone(eps)
	e := *eps[biafra]
	e.Events = nil
	erased[biafra] = &e
	opt := Options{Draws: 300, Seed: 5}
	score := func(eps []*episodes.Episode, k int) *EpisodeScore {
		sc, err := holdOut(context.Background(), w, eps, k, opt)
		if err != nil {
			t.Fatal(err)
		}
		return sc
	}
	a, b := score(eps, biafra), score(erased, biafra)
	if a.Actual["end"] != 5 || b.Actual["end"] != 0 || !slices.Equal(a.HeldOut, []string{"biafra-1967"}) {
		t.Fatalf("actual %v / %v, held out %v", a.Actual, b.Actual, a.HeldOut)
	}
	for h, v := range a.Expected {
		if b.Expected[h] != v || b.Band90[h] != a.Band90[h] {
			t.Errorf("Biafra's forecast at %s moved when its own outcome changed: %g → %g", h, v, b.Expected[h])
		}
	}
	if x, y := score(eps, sadr).Expected["end"], score(erased, sadr).Expected["end"]; x == y {
		t.Errorf("the SADR's forecast did not move when Biafra, in its training data, changed (%g)", x)
	}
}
