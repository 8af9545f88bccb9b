package institution

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// votes builds a position map that makes each listed member vote as given
// on the proposal 80 against the status quo 50.
func votes(yes, no []string) map[string]float64 {
	pos := map[string]float64{}
	for _, id := range yes {
		pos[id] = 90
	}
	for _, id := range no {
		pos[id] = 10
	}
	return pos
}

func mustBuiltin(t *testing.T, name string) *Body {
	t.Helper()
	b, err := Builtin(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Validate(); err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecide(t *testing.T) {
	cases := []struct {
		pos, prop, sq float64
		want          Choice
	}{
		{90, 80, 50, Yes},
		{66, 80, 50, Yes},
		{64, 80, 50, No},
		{65, 80, 50, Abstain},
		{10, 80, 50, No},
		{0, 0, 100, Yes},
		{50, 50, 50, Abstain},
	}
	for _, c := range cases {
		if got, why := Decide(c.pos, c.prop, c.sq); got != c.want || why == "" {
			t.Errorf("Decide(%v, %v, %v) = %s (%q), want %s", c.pos, c.prop, c.sq, got, why, c.want)
		}
	}
}

func TestSecurityCouncil(t *testing.T) {
	elected := []string{"BEL", "COG", "GHA", "IDN", "ITA", "PAN", "PER", "QAT", "SVK", "ZAF"}
	cases := []struct {
		name    string
		yes, no []string
		rules   map[string]MemberRule
		pass    bool
		vetoes  []string
	}{
		{"all fifteen yes", append([]string{"USA", "GBR", "FRA", "RUS", "CHN"}, elected...), nil, nil, true, nil},
		{"a veto blocks fourteen yes", append([]string{"USA", "GBR", "FRA", "CHN"}, elected...), []string{"RUS"}, nil, false, []string{"RUS"}},
		{"permanent abstention is not a veto", append([]string{"USA", "GBR", "FRA"}, elected[:6]...), nil, nil, true, nil},
		{"eight yes are not enough", append([]string{"USA", "GBR", "FRA"}, elected[:5]...), nil, nil, false, nil},
		{"elected no votes do not veto", append([]string{"USA", "GBR", "FRA", "RUS", "CHN"}, elected[:4]...), elected[4:], nil, true, nil},
		{"explicit rule overrides the position", append([]string{"USA", "GBR", "FRA", "RUS", "CHN"}, elected...), nil,
			map[string]MemberRule{"RUS": {Vote: No, Reason: "Moscow said it would block"}}, false, []string{"RUS"}},
	}
	b := mustBuiltin(t, "unsc-2007")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := b.Vote(80, 50, votes(c.yes, c.no), Options{Members: c.rules})
			if out.Passed != c.pass {
				t.Errorf("passed = %v, want %v (%s)", out.Passed, c.pass, out.Reason)
			}
			if !slices.Equal(out.Vetoes, c.vetoes) {
				t.Errorf("vetoes = %v, want %v", out.Vetoes, c.vetoes)
			}
			if out.Tally.Yes+out.Tally.No+out.Tally.Abstain != 15 {
				t.Errorf("tally %+v does not count 15 members", out.Tally)
			}
		})
	}
}

func TestSecurityCouncilComposition(t *testing.T) {
	for year, want := range map[int][]string{
		2007: {"CHN", "FRA", "RUS", "GBR", "USA", "BEL", "COG", "GHA", "IDN", "ITA", "PAN", "PER", "QAT", "SVK", "ZAF"},
		2008: {"CHN", "FRA", "RUS", "GBR", "USA", "BEL", "BFA", "CRI", "HRV", "IDN", "ITA", "LBY", "PAN", "VNM", "ZAF"},
	} {
		b := unsc(year)
		var got []string
		vetoes := 0
		for _, m := range b.Members {
			got = append(got, m.ID)
			if m.Veto {
				vetoes++
			}
			if m.Name == m.ID {
				t.Errorf("%d: member %s has no name from the UN list", year, m.ID)
			}
		}
		if !slices.Equal(got, want) || vetoes != 5 {
			t.Errorf("%d: members %v (%d vetoes), want %v (5)", year, got, vetoes, want)
		}
	}
}

func TestEUCouncilQualifiedMajority(t *testing.T) {
	b := mustBuiltin(t, "eu-council")
	var weight, pop float64
	for _, m := range b.Members {
		weight += m.Weight
		pop += m.Population
	}
	if len(b.Members) != 27 || weight != 345 {
		t.Fatalf("%d members with %v votes, want 27 and 345", len(b.Members), weight)
	}
	if math.Abs(pop-495126.0) > 0.05 {
		t.Fatalf("total population %v thousand, want 495126.0", pop)
	}
	all := func() []string {
		var ids []string
		for _, m := range b.Members {
			ids = append(ids, m.ID)
		}
		return ids
	}
	without := func(drop ...string) []string {
		return slices.DeleteFunc(all(), func(id string) bool { return slices.Contains(drop, id) })
	}
	cases := []struct {
		name      string
		yes, no   []string
		pass      bool
		yesWeight float64
		because   string
	}{
		{"everyone", all(), nil, true, 345, ""},
		// 345 − 29 − 27 − 27 = 262 votes but Spain and Poland and Germany
		// hold 82314.9+44474.6+38125.5 thousand: 66.7% remain.
		{"without DEU, ESP, POL", without("DEU", "ESP", "POL"), []string{"DEU", "ESP", "POL"}, true, 262, ""},
		// 345 − 29 − 29 − 27 − 4 = 256 votes ≥ 255, but population
		// 495126.0 − 82314.9 − 63392.1 − 44474.6 − 476.2 = 304468.2,
		// 61.49% < 62%.
		{"votes without population", without("DEU", "FRA", "ESP", "LUX"), []string{"DEU", "FRA", "ESP", "LUX"}, false, 256, "population"},
		// 345 − 29 − 29 − 29 − 4 = 254 < 255 (a blocking minority of 91).
		{"blocking minority of 91", without("DEU", "FRA", "ITA", "LUX"), []string{"DEU", "FRA", "ITA", "LUX"}, false, 254, "weighted votes"},
		// The 13 largest states hold 257 votes and 88.6% of the
		// population but are one short of a majority of members.
		{"votes and population without members", all()[:13], all()[13:], false, 257, "members"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := b.Vote(80, 50, votes(c.yes, c.no), Options{})
			if out.Passed != c.pass || out.Tally.YesWeight != c.yesWeight {
				t.Errorf("passed %v with %v votes, want %v with %v (%s)", out.Passed, out.Tally.YesWeight, c.pass, c.yesWeight, out.Reason)
			}
			if c.because != "" && !strings.Contains(out.Reason, c.because) {
				t.Errorf("reason %q does not mention %q", out.Reason, c.because)
			}
		})
	}
	// The population share of the votes-without-population case.
	out := b.Vote(80, 50, votes(without("DEU", "FRA", "ESP", "LUX"), nil), Options{})
	if share := out.Tally.YesPopulation / out.Tally.TotalPopulation; math.Abs(share-304468.2/495126.0) > 1e-9 {
		t.Errorf("population share %v, want %v", share, 304468.2/495126.0)
	}
}

func TestUnanimity(t *testing.T) {
	b := mustBuiltin(t, "eu-council-cfsp")
	ids := make([]string, len(b.Members))
	for i, m := range b.Members {
		ids[i] = m.ID
	}
	cases := []struct {
		name    string
		yes, no []string
		pass    bool
		vetoes  int
	}{
		{"all yes", ids, nil, true, 0},
		{"one no blocks", ids[1:], ids[:1], false, 1},
		{"Malta's no blocks too", ids[:26], ids[26:], false, 1},
		{"abstentions do not block", ids[:20], nil, true, 0},
		{"nobody in favour", nil, nil, false, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := b.Vote(80, 50, votes(c.yes, c.no), Options{})
			if out.Passed != c.pass || len(out.Vetoes) != c.vetoes {
				t.Errorf("passed %v with vetoes %v, want %v with %d (%s)", out.Passed, out.Vetoes, c.pass, c.vetoes, out.Reason)
			}
		})
	}
}

func TestGeneralAssembly(t *testing.T) {
	simple := mustBuiltin(t, "unga")
	two := mustBuiltin(t, "unga-two-thirds")
	if len(simple.Members) != 192 || simple.Member("SSD") != nil || simple.Member("MNE") == nil {
		t.Fatalf("General Assembly 2007–08 has %d members, want 192 without South Sudan", len(simple.Members))
	}
	ids := make([]string, len(simple.Members))
	for i, m := range simple.Members {
		ids[i] = m.ID
	}
	cases := []struct {
		name             string
		yes, no          int
		simplePass, twoP bool
	}{
		{"100 to 50", 100, 50, true, true},
		{"100 to 51", 100, 51, true, false},
		{"80 to 80", 80, 80, false, false},
		{"60 to 30, rest abstain", 60, 30, true, true},
		{"1 to 0", 1, 0, true, true},
		{"none", 0, 0, false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pos := votes(ids[:c.yes], ids[c.yes:c.yes+c.no])
			if out := simple.Vote(80, 50, pos, Options{}); out.Passed != c.simplePass {
				t.Errorf("simple majority: passed %v, want %v (%s)", out.Passed, c.simplePass, out.Reason)
			}
			if out := two.Vote(80, 50, pos, Options{}); out.Passed != c.twoP {
				t.Errorf("two thirds: passed %v, want %v (%s)", out.Passed, c.twoP, out.Reason)
			}
		})
	}
}

func TestAbstentionRules(t *testing.T) {
	b := &Body{ID: "trio", Name: "Three", Rule: SimpleMajority, Members: []Member{{ID: "a", Weight: 1}, {ID: "b", Weight: 1}, {ID: "c", Weight: 1}}}
	if err := b.Validate(); err != nil {
		t.Fatal(err)
	}
	pos := map[string]float64{"a": 90}
	cases := []struct {
		name   string
		opt    Options
		pass   bool
		abst   int
		reason string
	}{
		{"members without a position abstain", Options{}, true, 2, "no position: abstain"},
		{"members without a position vote no", Options{NoPosition: No}, false, 0, "no position: no"},
		{"an explicit rule wins", Options{Members: map[string]MemberRule{"a": {Vote: Abstain, Reason: "instructed"}}}, false, 3, "rule: instructed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := b.Vote(80, 50, pos, c.opt)
			if out.Passed != c.pass || out.Tally.Abstain != c.abst {
				t.Errorf("passed %v with %d abstentions, want %v with %d", out.Passed, out.Tally.Abstain, c.pass, c.abst)
			}
			found := false
			for _, bl := range out.Ballots {
				found = found || bl.Reason == c.reason
			}
			if !found {
				t.Errorf("no ballot with reason %q: %+v", c.reason, out.Ballots)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	cases := []struct {
		name string
		b    Body
		want string
	}{
		{"no members", Body{ID: "x", Rule: SimpleMajority}, "no members"},
		{"unknown rule", Body{ID: "x", Rule: "plurality", Members: []Member{{ID: "a", Weight: 1}}}, `unknown rule "plurality"`},
		{"duplicate", Body{ID: "x", Rule: Unanimity, Members: []Member{{ID: "a", Weight: 1}, {ID: "a", Weight: 1}}}, `duplicate member "a"`},
		{"threshold above total", Body{ID: "x", Rule: Votes, Threshold: Threshold{Votes: 3}, Members: []Member{{ID: "a", Weight: 1}}}, "vote threshold"},
		{"negative weight", Body{ID: "x", Rule: Unanimity, Members: []Member{{ID: "a", Weight: -1}}}, "weight"},
		{"population share", Body{ID: "x", Rule: Qualified, Threshold: Threshold{Votes: 1, Population: 1.5}, Members: []Member{{ID: "a", Weight: 1, Population: 1}}}, "population threshold"},
		{"population without populations", Body{ID: "x", Rule: Qualified, Threshold: Threshold{Votes: 1, Population: 0.6}, Members: []Member{{ID: "a", Weight: 1}}}, "no member has a population"},
	}
	for _, c := range cases {
		err := c.b.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
	if _, err := Builtin("nato"); err == nil || !strings.Contains(err.Error(), "unsc-2007") {
		t.Errorf("unknown built-in: %v", err)
	}
	for _, name := range Builtins() {
		mustBuiltin(t, name)
	}
}
