package recognition

import (
	"context"
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parley-project/parley/internal/unmembers"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func mustStates(t testing.TB) []State {
	t.Helper()
	s, err := States()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestStates(t *testing.T) {
	states := mustStates(t)
	if len(states) != 193 {
		t.Fatalf("got %d states, want 193", len(states))
	}
	count := map[string]int{}
	for _, s := range states {
		count[s.Group]++
		if s.EU {
			count["EU"]++
		}
		if s.NATO {
			count["NATO"]++
		}
		if s.OIC {
			count["OIC"]++
		}
		if s.CSTO {
			count["CSTO"]++
		}
		if s.IdealImputed {
			count["imputed"]++
		}
	}
	want := map[string]int{"EU": 27, "NATO": 26, "OIC": 56, "CSTO": 7, "imputed": 1,
		GroupAfrica: 54, GroupAsiaPacific: 54, GroupEastEurope: 23, GroupLatinAmerica: 33, GroupWestern: 29}
	for k, v := range want {
		if count[k] != v {
			t.Errorf("%s: %d states, want %d", k, count[k], v)
		}
	}
	i, err := Lookup(states, "SSD")
	if err != nil {
		t.Fatal(err)
	}
	ssd := states[i]
	// Median of the African group's 53 ideal points.
	if !ssd.IdealImputed || ssd.ExistsFrom.Format(time.DateOnly) != "2011-07-09" || ssd.IdealPoint > -0.4 || ssd.IdealPoint < -0.7 {
		t.Errorf("South Sudan: %+v", ssd)
	}
}

func TestLookup(t *testing.T) {
	states := mustStates(t)
	for _, c := range []struct{ in, want string }{
		{"USA", "USA"}, {"usa", "USA"}, {"uk", "GBR"}, {"germany", "DEU"}, {"Russia", "RUS"},
		{"serbia", "SRB"}, {"new_zealand", "NZL"}, {"Czech Republic", "CZE"},
	} {
		i, err := Lookup(states, c.in)
		if err != nil {
			if c.in == "Czech Republic" { // the file may spell it Czechia
				continue
			}
			t.Errorf("Lookup(%q): %v", c.in, err)
			continue
		}
		if states[i].ISO3 != c.want {
			t.Errorf("Lookup(%q) = %s, want %s", c.in, states[i].ISO3, c.want)
		}
	}
	if _, err := Lookup(states, "XKX"); err == nil || !strings.Contains(err.Error(), `"XKX"`) {
		t.Errorf("Lookup(XKX): %v", err)
	}
}

func TestParseDataErrors(t *testing.T) {
	members := "iso3,country,eu_member_feb2008,nato_member_feb2008,unga_ideal_point_session62\nAAA,Aland,1,0,0.5\nBBB,Bland,0,1,-0.5\n"
	cov := "iso3,un_group,oic,csto,secession,tie_rus,tie_chn,tie_srb,exists_from\nAAA,WEOG,0,0,0,0,0,0,\nBBB,EEG,0,0,2,1,0,0,\n"
	if s, err := parseData([]byte(members), []byte(cov)); err != nil || len(s) != 2 || s[1].Secession != 2 || !s[0].EU {
		t.Fatalf("valid files: %v %+v", err, s)
	}
	cases := []struct {
		name, members, cov, want string
	}{
		{"missing column", strings.Replace(members, "country,", "", 1), cov, `un-members-2007.csv:1: missing column "country"`},
		{"bad bool", strings.Replace(members, "Aland,1", "Aland,yes", 1), cov, `un-members-2007.csv:2: eu_member_feb2008: want 0 or 1, got "yes"`},
		{"bad ideal", strings.Replace(members, "0.5", "x", 1), cov, `un-members-2007.csv:2: unga_ideal_point_session62: not a number: "x"`},
		{"bad iso", strings.Replace(members, "BBB", "Bb", 1), cov, `un-members-2007.csv:3: iso3: want a 3-letter ISO code, got "Bb"`},
		{"duplicate", strings.Replace(members, "BBB", "AAA", 1), cov, `un-members-2007.csv:3: iso3: duplicate AAA`},
		{"unknown state", members, strings.Replace(cov, "BBB", "CCC", 1), `covariates.csv:3: iso3: "CCC" is not in un-members-2007.csv`},
		{"bad group", members, strings.Replace(cov, "EEG", "XX", 1), `covariates.csv:3: un_group: "XX" is not one of`},
		{"bad level", members, strings.Replace(cov, "EEG,0,0,2", "EEG,0,0,3", 1), `covariates.csv:3: secession: want 0, 1 or 2, got "3"`},
		{"bad date", members, strings.Replace(cov, "0,0,0,0,0,0,\n", "0,0,0,0,0,0,2011\n", 1), `covariates.csv:2: exists_from: want YYYY-MM-DD, got "2011"`},
		{"missing row", members, strings.Replace(cov, "BBB,EEG,0,0,2,1,0,0,\n", "", 1), `covariates.csv: no row for BBB (Bland)`},
		{"short row", members, strings.Replace(cov, "BBB,EEG,0,0,2,1,0,0,", "BBB,EEG", 1), `covariates.csv: record on line 3: wrong number of fields`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := parseData([]byte(c.members), []byte(c.cov))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want an error containing %q", err, c.want)
			}
		})
	}
}

func FuzzParseData(f *testing.F) {
	f.Add(string(unmembers.CSV[:400]), string(covariatesCSV[:400]))
	f.Add("iso3,country,eu_member_feb2008,nato_member_feb2008,unga_ideal_point_session62\nAAA,A,1,0,\n", "iso3,un_group,oic,csto,secession,tie_rus,tie_chn,tie_srb,exists_from\nAAA,AFR,1,1,1,1,1,1,2010-01-01\n")
	f.Fuzz(func(t *testing.T, members, cov string) {
		states, err := parseData([]byte(members), []byte(cov))
		if err != nil {
			return
		}
		for _, s := range states {
			if math.IsNaN(s.IdealPoint) || !slices.Contains(groups, s.Group) || s.Secession < 0 || s.Secession > 2 {
				t.Fatalf("accepted an invalid state %+v", s)
			}
		}
	})
}

// TestStaticIndex checks eq. 1 and 3 by hand for three states.
func TestStaticIndex(t *testing.T) {
	states := mustStates(t)
	m, err := build(states, Kosovo(), Options{Draws: 1})
	if err != nil {
		t.Fatal(err)
	}
	x := func(code string) State { i, _ := Lookup(states, code); return states[i] }
	mr := (x("USA").IdealPoint + x("GBR").IdealPoint + x("FRA").IdealPoint + x("DEU").IdealPoint + x("ITA").IdealPoint + x("ALB").IdealPoint) / 6
	mo := (x("SRB").IdealPoint + x("RUS").IdealPoint + x("CHN").IdealPoint) / 3
	z := func(code string) float64 { return (x(code).IdealPoint - mo) / (mr - mo) }
	p := DefaultParams()
	want := map[string]float64{
		// Sweden: EU, not NATO; no conflicts or ties.
		"SWE": p.Align*z("SWE") + p.EU,
		// Greece: EU, NATO, close to Russia (1) and Serbia (2).
		"GRC": p.Align*z("GRC") + p.EU + p.NATO - p.TieRUS - 2*p.TieSRB,
		// Pakistan: OIC, latent separatism (1), China's ally (2).
		"PAK": p.Align*z("PAK") + p.OIC - p.Secession - 2*p.TieCHN,
		// The United States: a recognising patron in NATO.
		"USA": p.Align*z("USA") + p.NATO + p.Patron,
	}
	for code, eta := range want {
		i, _ := Lookup(states, code)
		if got := math.Log(m.static[i]); math.Abs(got-eta) > 1e-12 {
			t.Errorf("%s: η = %.6f, want %.6f", code, got, eta)
		}
	}
	for _, code := range []string{"SRB", "RUS", "CHN"} {
		if i, _ := Lookup(states, code); m.static[i] != 0 {
			t.Errorf("%s: the opposing side must never be at risk", code)
		}
	}
	// Eq. 2 and the first month's exposure: 13 of February 2008's 29 days.
	b1 := math.Exp(p.Base) * (1 + p.Wave) * 13 / 29
	b2 := math.Exp(p.Base) * (1 + p.Wave*math.Exp(-1/p.WaveMonths))
	if math.Abs(m.base[0]-b1) > 1e-15 || math.Abs(m.base[1]-b2) > 1e-15 || m.months != 155 {
		t.Errorf("baseline %g %g (want %g %g), %d months", m.base[0], m.base[1], b1, b2, m.months)
	}
}

func run(t testing.TB, states []State, in Input, opt Options) *Result {
	t.Helper()
	m, err := build(states, in, opt)
	if err != nil {
		t.Fatal(err)
	}
	acc, err := m.run(context.Background(), opt.Workers)
	if err != nil {
		t.Fatal(err)
	}
	return m.result(acc)
}

// TestMonotone raises one covariate of one state in the direction that
// favours recognition and checks that the state's own hazard (eq. 1)
// rises and its probability of having recognised rises. For covariates
// that do not change the alliance network (alignment, conflicts, ties), no
// state's probability by any date may fall: with common random numbers
// (the same seed) this holds draw by draw, so the check is exact. Joining
// a bloc also enlarges the bloc's other members' ally sets, diluting their
// shares (eq. 4), so there only the state itself is checked.
func TestMonotone(t *testing.T) {
	base := mustStates(t)
	opt := Options{Draws: 1000, Seed: 7, Workers: 2}
	ref := run(t, base, Kosovo(), opt)
	cases := []struct {
		name, state string
		network     bool // the change alters the alliance network
		change      func(*State)
	}{
		{"alignment with the recognising patrons", "BRA", false, func(s *State) { s.IdealPoint += 0.5 }},
		{"alignment, small step", "JPN", false, func(s *State) { s.IdealPoint += 0.01 }},
		{"EU membership", "CHE", true, func(s *State) { s.EU = true }},
		{"NATO membership", "AUT", true, func(s *State) { s.NATO = true }},
		{"OIC membership", "BRA", true, func(s *State) { s.OIC = true }},
		{"fewer secessionist conflicts", "ESP", false, func(s *State) { s.Secession-- }},
		{"weaker tie to Russia", "GRC", false, func(s *State) { s.TieRUS-- }},
		{"weaker tie to China", "PAK", false, func(s *State) { s.TieCHN-- }},
		{"weaker tie to Serbia", "ROU", false, func(s *State) { s.TieSRB-- }},
	}
	m0, err := build(base, Kosovo(), opt)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			states := append([]State(nil), base...)
			i, err := Lookup(states, c.state)
			if err != nil {
				t.Fatal(err)
			}
			c.change(&states[i])
			m, err := build(states, Kosovo(), opt)
			if err != nil {
				t.Fatal(err)
			}
			if m.static[i] <= m0.static[i] {
				t.Errorf("hazard factor did not rise: %g -> %g", m0.static[i], m.static[i])
			}
			got := run(t, states, Kosovo(), opt)
			var before, after float64
			for _, d := range DefaultByDates {
				before += ref.States[i].PBy[d]
				after += got.States[i].PBy[d]
			}
			if after <= before {
				t.Errorf("%s: Σ p_by did not rise: %g -> %g", c.state, before, after)
			}
			if c.network {
				return
			}
			for j := range got.States {
				for _, d := range DefaultByDates {
					if got.States[j].PBy[d] < ref.States[j].PBy[d] {
						t.Errorf("%s by %s fell from %g to %g", got.States[j].ISO3, d, ref.States[j].PBy[d], got.States[j].PBy[d])
					}
				}
			}
			if got.Cumulative[len(got.Cumulative)-1].Expected <= ref.Cumulative[len(ref.Cumulative)-1].Expected {
				t.Error("the expected count did not rise")
			}
		})
	}
}

// TestMonotoneDynamic checks eq. 4: the share tables rise with the
// number of peers and allies that have recognised, and a state given as
// an initial recogniser never lowers anyone's probability.
func TestMonotoneDynamic(t *testing.T) {
	states := mustStates(t)
	opt := Options{Draws: 1000, Seed: 3}
	m, err := build(states, Kosovo(), opt)
	if err != nil {
		t.Fatal(err)
	}
	for i := range states {
		for _, tab := range [][]float64{m.peerExp[i], m.allyExp[i]} {
			for k := 1; k < len(tab); k++ {
				if tab[k] <= tab[k-1] {
					t.Fatalf("%s: share factor falls at k=%d", states[i].ISO3, k)
				}
			}
		}
	}
	ref := run(t, states, Kosovo(), opt)
	in := Kosovo()
	in.Initial = []string{"MKD", "TUR"}
	got := run(t, states, in, opt)
	for j := range got.States {
		for _, d := range DefaultByDates {
			if got.States[j].PBy[d] < ref.States[j].PBy[d] {
				t.Errorf("%s by %s fell from %g to %g with Macedonia and Turkey recognising first", got.States[j].ISO3, d, ref.States[j].PBy[d], got.States[j].PBy[d])
			}
		}
	}
	for _, code := range in.Initial {
		i, _ := Lookup(states, code)
		if got.States[i].PBy["2008-12-31"] != 1 {
			t.Errorf("initial recogniser %s: p_by %v", code, got.States[i].PBy)
		}
	}
	// Stronger peer and ally effects never lower the count.
	p := DefaultParams()
	p.Peer, p.Ally = 2, 2
	opt.Params = &p
	if hi := run(t, states, Kosovo(), opt); hi.Cumulative[100].Expected <= ref.Cumulative[100].Expected {
		t.Errorf("stronger diffusion: %g <= %g", hi.Cumulative[100].Expected, ref.Cumulative[100].Expected)
	}
}

func TestWorkersReproducible(t *testing.T) {
	states := mustStates(t)
	var first *Result
	for _, w := range []int{1, 2, 3, 8} {
		res := run(t, states, Kosovo(), Options{Draws: 700, Seed: 42, Workers: w})
		if first == nil {
			first = res
			continue
		}
		if !reflect.DeepEqual(first, res) {
			t.Fatalf("%d workers gave a different result from 1 worker", w)
		}
	}
	other := run(t, states, Kosovo(), Options{Draws: 700, Seed: 43, Workers: 2})
	if reflect.DeepEqual(first.Cumulative, other.Cumulative) {
		t.Error("a different seed gave the same result")
	}
}

func TestResultShape(t *testing.T) {
	res, err := Forecast(context.Background(), Kosovo(), Options{Draws: 2000, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.States) != 193 || len(res.Cumulative) != 155 {
		t.Fatalf("%d states, %d months", len(res.States), len(res.Cumulative))
	}
	if res.Cumulative[0].Date != "2008-02-29" || res.Cumulative[154].Date != "2020-12-31" {
		t.Errorf("months run %s to %s", res.Cumulative[0].Date, res.Cumulative[154].Date)
	}
	prev := Point{}
	for _, p := range res.Cumulative {
		if p.P05 > p.Expected || p.Expected > p.P95 {
			t.Errorf("%s: band %g–%g does not contain the expectation %g", p.Date, p.P05, p.P95, p.Expected)
		}
		if p.Expected < prev.Expected || p.P05 < prev.P05 || p.P95 < prev.P95 {
			t.Errorf("%s: the cumulative count falls", p.Date)
		}
		prev = p
	}
	var sum float64
	for _, s := range res.States {
		for k := 1; k < len(DefaultByDates); k++ {
			if s.PBy[DefaultByDates[k]] < s.PBy[DefaultByDates[k-1]] {
				t.Errorf("%s: p_by falls from %s to %s", s.ISO3, DefaultByDates[k-1], DefaultByDates[k])
			}
		}
		switch s.Side {
		case sideOpposing:
			if s.PBy["2020-12-31"] != 0 {
				t.Errorf("opposing patron %s recognises", s.ISO3)
			}
		case sideRecognising:
			if s.PBy["2008-12-31"] < 0.99 {
				t.Errorf("recognising patron %s: %g by 2008", s.ISO3, s.PBy["2008-12-31"])
			}
		}
		sum += s.PBy["2020-12-31"]
	}
	// The expected count is the sum of the states' probabilities.
	if last := res.Cumulative[154].Expected; math.Abs(sum-last) > 1e-9 {
		t.Errorf("Σ p_by = %g, expected count %g", sum, last)
	}
}

// TestGoldenJSON pins the JSON document of a small run (go test
// ./model/recognition -update rewrites it).
func TestGoldenJSON(t *testing.T) {
	in := Kosovo()
	in.End = time.Date(2008, 12, 31, 0, 0, 0, 0, time.UTC)
	res, err := Forecast(context.Background(), in, Options{Draws: 300, Seed: 5, ByDates: []string{"2008-06-30", "2008-12-31"}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "kosovo-2008.json")
	if *update {
		if err := os.WriteFile(path, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./model/recognition -update creates it)", err)
	}
	if string(want) != string(got)+"\n" {
		t.Errorf("JSON differs from %s (-update rewrites it)", path)
	}
	var doc struct {
		States []struct {
			ISO3 string             `json:"iso3"`
			Name string             `json:"name"`
			PBy  map[string]float64 `json:"p_by"`
		} `json:"states"`
		Cumulative []map[string]any `json:"cumulative"`
	}
	if err := json.Unmarshal(got, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.States) != 193 || doc.States[0].ISO3 == "" || doc.States[0].Name == "" || len(doc.States[0].PBy) != 2 {
		t.Errorf("states: %+v", doc.States[0])
	}
	for _, key := range []string{"date", "expected", "p05", "p95"} {
		if _, ok := doc.Cumulative[0][key]; !ok {
			t.Errorf("cumulative[0] has no %q", key)
		}
	}
}

// TestDefaultByDates checks that without ByDates a short horizon reports
// the default dates within it, or its end.
func TestDefaultByDates(t *testing.T) {
	for _, c := range []struct {
		end  time.Time
		want []string
	}{
		{time.Date(2011, 6, 30, 0, 0, 0, 0, time.UTC), []string{"2008-12-31", "2010-12-31"}},
		{time.Date(2008, 9, 30, 0, 0, 0, 0, time.UTC), []string{"2008-09-30"}},
	} {
		in := Kosovo()
		in.End = c.end
		res, err := Forecast(context.Background(), in, Options{Draws: 50})
		if err != nil {
			t.Fatal(err)
		}
		if got := res.States[0].PBy; len(got) != len(c.want) {
			t.Errorf("end %s: p_by %v, want the dates %v", c.end.Format(time.DateOnly), got, c.want)
		} else {
			for _, d := range c.want {
				if _, ok := got[d]; !ok {
					t.Errorf("end %s: p_by %v lacks %s", c.end.Format(time.DateOnly), got, d)
				}
			}
		}
	}
}

func TestForecastErrors(t *testing.T) {
	bad := DefaultParams()
	bad.Secession = -1
	cases := []struct {
		name string
		edit func(*Input, *Options)
		want string
	}{
		{"unknown state", func(in *Input, _ *Options) { in.Recognising = append(in.Recognising, "Narnia") }, `recognising: unknown state "Narnia"`},
		{"both sides", func(in *Input, _ *Options) { in.Opposing = append(in.Opposing, "usa") }, "opposing: usa: is on both sides"},
		{"initial opponent", func(in *Input, _ *Options) { in.Initial = []string{"RUS"} }, "initial: RUS: is a patron of the opposing side"},
		{"no opponents", func(in *Input, _ *Options) { in.Opposing = nil }, "both sides need at least one patron"},
		{"dates", func(in *Input, _ *Options) { in.End = in.Start }, "is not after start"},
		{"horizon", func(in *Input, _ *Options) { in.End = in.Start.AddDate(100, 0, 1) }, "end 2108-02-18 is more than 100 years after start 2008-02-17"},
		{"by-date", func(_ *Input, o *Options) { o.ByDates = []string{"2030-01-01"} }, "by-date 2030-01-01 is outside"},
		{"by-date format", func(_ *Input, o *Options) { o.ByDates = []string{"2010"} }, `by-date "2010": want YYYY-MM-DD`},
		{"param", func(_ *Input, o *Options) { o.Params = &bad }, "secession: -1 is negative"},
		{"draws", func(_ *Input, o *Options) { o.Draws = -1 }, "draws must be 0 (the default, 10000) to 10000000, got -1"},
		{"too many draws", func(_ *Input, o *Options) { o.Draws = 1e12 }, "draws must be 0 (the default, 10000) to 10000000, got 1000000000000"},
		{"workers", func(_ *Input, o *Options) { o.Workers = 1e6 }, "workers must be 0 (one per CPU) to 256, got 1000000"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in, opt := Kosovo(), Options{Draws: 10}
			c.edit(&in, &opt)
			_, err := Forecast(context.Background(), in, opt)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want an error containing %q", err, c.want)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Forecast(ctx, Kosovo(), Options{Draws: 100}); err != context.Canceled {
		t.Errorf("cancelled context: %v", err)
	}
}

func TestParamsSet(t *testing.T) {
	p := DefaultParams()
	if err := p.Set("peer", 2.5); err != nil || p.Peer != 2.5 {
		t.Errorf("Set(peer): %v, %g", err, p.Peer)
	}
	if err := p.Set("nope", 1); err == nil || !strings.Contains(err.Error(), "align, ally") {
		t.Errorf("Set(nope): %v", err)
	}
	if err := p.Set("wave_months", 0); err == nil {
		t.Error("wave_months 0 accepted")
	}
}

// TestClosedForm switches off diffusion (Peer = Ally = 0), which makes the
// states independent, so each state's probability of having recognised by
// the end of month k is exactly 1 − exp(−exp(static_i)·Σ_{t≤k} b(t))
// (eq. 1a, 2). The simulation must agree within four standard errors.
func TestClosedForm(t *testing.T) {
	states := mustStates(t)
	p := DefaultParams()
	p.Peer, p.Ally = 0, 0
	opt := Options{Draws: 20000, Seed: 11, Params: &p}
	m, err := build(states, Kosovo(), opt)
	if err != nil {
		t.Fatal(err)
	}
	res := run(t, states, Kosovo(), opt)
	checked := 0
	for i, s := range res.States {
		for k, d := range m.byDates {
			var cum float64
			for tt := 0; tt < m.byMonth[k]; tt++ {
				cum += m.base[tt]
			}
			if m.enter[i] > 1 {
				continue
			}
			want := -math.Expm1(-m.static[i] * cum)
			se := math.Sqrt(want*(1-want)/float64(opt.Draws)) + 1e-9
			if got := s.PBy[d]; math.Abs(got-want) > 4*se+1e-12 {
				t.Errorf("%s by %s: simulated %.4f, exact %.4f (se %.4f)", s.ISO3, d, got, want, se)
			}
			if want > 0.05 && want < 0.95 {
				checked++
			}
		}
	}
	if checked < 40 {
		t.Errorf("only %d informative comparisons", checked)
	}
}
