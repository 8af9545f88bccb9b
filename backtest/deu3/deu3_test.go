package deu3

import (
	"math"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/parley-project/parley/internal/fixture"
)

func load(t testing.TB) *Dataset {
	t.Helper()
	f, err := os.Open(fixture.Path("deu3/fixture.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d, err := Read(f, "fixture.tsv")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestReadFixture(t *testing.T) {
	d := load(t)
	if got := strings.Join(d.Actors, ","); got != "com,ep,de,fr,it,pl,nl,lu" {
		t.Errorf("actors %s", got)
	}
	if d.GDP[3] != 2.8 || d.GDP[7] != 0.08 {
		t.Errorf("GDP %v", d.GDP)
	}
	if len(d.Issues) != 8 {
		t.Fatalf("%d issues, want 8", len(d.Issues))
	}
	is := d.Issues[1]
	if is.Line != 4 || is.Proposal != "d001" || is.ID != "d001i2" || is.Procedure != Codecision || is.Rule != QMV {
		t.Errorf("issue 2: %+v", is)
	}
	if !math.IsNaN(is.Position[4]) || is.Position[7] != 0 || !math.IsNaN(is.Salience[7]) || is.Reference != 100 || is.Outcome != 40 {
		t.Errorf("issue 2 values: %v %v rp %v out %v", is.Position, is.Salience, is.Reference, is.Outcome)
	}
	if d.Issues[4].Rule != QMV || !math.IsNaN(d.Issues[4].Reference) {
		t.Errorf("QMV(10) issue: rule %q rp %v", d.Issues[4].Rule, d.Issues[4].Reference)
	}
	used, skipped := d.Usable()
	if len(used) != 6 || skipped["no outcome"] != 1 || skipped["fewer than 3 positioned actors"] != 1 {
		t.Errorf("used %d, skipped %v", len(used), skipped)
	}
	if got := strings.Join(Proposals(used), ","); got != "d001,d002,d003,d004" {
		t.Errorf("proposals %s", got)
	}
}

func TestToScenario(t *testing.T) {
	d := load(t)
	is := &d.Issues[1] // d001i2: it has no position, lu no salience
	cases := []struct {
		scheme string
		caps   map[string]float64
	}{
		{Equal, map[string]float64{"com": 1, "de": 1, "lu": 1}},
		{Votes, map[string]float64{"com": 29, "ep": 29, "de": 29, "pl": 27, "nl": 13, "lu": 4}},
		{GDP, map[string]float64{"com": 4.1, "fr": 2.8, "lu": 0.08}},
	}
	for _, c := range cases {
		sc, conv, err := d.ToScenario(is, c.scheme)
		if err != nil {
			t.Fatal(err)
		}
		if len(sc.Actors) != 7 || conv.ImputedSaliences != 1 {
			t.Errorf("%s: %d actors, %d imputed", c.scheme, len(sc.Actors), conv.ImputedSaliences)
		}
		for id, want := range c.caps {
			if got := sc.Actor(id).Capability.Value; got != want {
				t.Errorf("%s: capability of %s = %v, want %v", c.scheme, id, got, want)
			}
		}
		st := sc.Stakeholders(is.ID)
		// lu's salience is the mean of the others': (60+70+50+50+30+40)/6 = 50.
		if lu := st[len(st)-1]; lu.ID != "lu" || lu.Salience != 0.5 || lu.Position != 0 {
			t.Errorf("%s: lu %+v", c.scheme, lu)
		}
	}
	if _, _, err := d.ToScenario(is, "population"); err == nil || !strings.Contains(err.Error(), "unknown capability scheme") {
		t.Errorf("bad scheme: %v", err)
	}
	if _, _, err := d.ToScenario(&d.Issues[3], Equal); err == nil || !strings.Contains(err.Error(), "fewer than 3") {
		t.Errorf("two actors: %v", err)
	}
}

func TestReadErrors(t *testing.T) {
	const head = "\"prnr\"\t\"isnr\"\t\"proc\"\t\"counvte\"\t\"pcom\"\t\"pde\"\t\"scom\"\t\"sde\"\t\"rp\"\t\"out\"\n"
	const gdp = "\t\t\t\t4.1\t4.1\t\t\t\t\n"
	row := func(s string) string { return head + gdp + s + "\n" }
	cases := []struct{ name, data, want string }{
		{"empty", "", "x.tsv: empty file"},
		{"no rp column", "\"prnr\"\t\"isnr\"\t\"proc\"\t\"counvte\"\t\"pcom\"\t\"scom\"\t\"out\"\n", "x.tsv:1: column rp: missing column"},
		{"no actors", "\"prnr\"\t\"isnr\"\t\"proc\"\t\"counvte\"\t\"rp\"\t\"out\"\n", "x.tsv:1: no actor columns"},
		{"duplicate", "\"prnr\"\t\"prnr\"\n", "x.tsv:1: column prnr: duplicate column name"},
		{"no weights", head, "x.tsv:2: missing row 2"},
		{"missing weight", head + "\t\t\t\t4.1\t\t\t\t\t\n1\t1\tCOD\tQMV\t1\t2\t3\t4\t5\t6\n", "x.tsv:2: column pde: missing GDP weight for actor de"},
		{"bad number", row("p1\ti1\tCOD\tQMV\t50\tabc\t50\t50\t0\t10"), "x.tsv:3: column pde: \"abc\" is not a number"},
		{"out of range", row("p1\ti1\tCOD\tQMV\t50\t50\t50\t120\t0\t10"), "x.tsv:3: column sde: 120 is outside 0 to 100"},
		{"negative outcome", row("p1\ti1\tCOD\tQMV\t50\t50\t50\t50\t0\t-1"), "x.tsv:3: column out: -1 is outside 0 to 100"},
		{"procedure", row("p1\ti1\tOLP\tQMV\t50\t50\t50\t50\t0\t10"), "x.tsv:3: column proc: unknown procedure \"OLP\""},
		{"rule", row("p1\ti1\tCOD\tmajority\t50\t50\t50\t50\t0\t10"), "x.tsv:3: column counvte: unknown Council voting rule"},
		{"no proposal", row("\ti1\tCOD\tQMV\t50\t50\t50\t50\t0\t10"), "x.tsv:3: column prnr: missing proposal id"},
		{"too many fields", row("p1\ti1\tCOD\tQMV\t50\t50\t50\t50\t0\t10\t7"), "x.tsv:3: 11 fields, but the header has 10"},
		{"bad quote", row("p1\t\"i1\tCOD\tQMV\t50\t50\t50\t50\t0\t10"), "x.tsv:3:"},
		{"no rows", head + gdp, "x.tsv: no data rows"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(c.data), "x.tsv")
			if err == nil || !strings.HasPrefix(err.Error(), c.want) {
				t.Errorf("got %v, want prefix %q", err, c.want)
			}
		})
	}
}

func TestShortRowsAreMissing(t *testing.T) {
	const data = "prnr\tisnr\tproc\tcounvte\tpcom\tpde\tpfr\tscom\tsde\tsfr\trp\tout\n" +
		"\t\t\t\t1\t1\t1\n" +
		"p1\ti1\tCNS\tUnan\t10\t20\t30\n"
	d, err := Read(strings.NewReader(data), "x.tsv")
	if err != nil {
		t.Fatal(err)
	}
	is := d.Issues[0]
	if is.Positioned() != 3 || !math.IsNaN(is.Outcome) || is.SkipReason() != "no outcome" {
		t.Errorf("%+v: %s", is, is.SkipReason())
	}
}

func FuzzRead(f *testing.F) {
	data, err := os.ReadFile(fixture.Path("deu3/fixture.tsv"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte("prnr\tisnr\tproc\tcounvte\tpcom\tscom\trp\tout\n\t\t\t\t1\t\t\t\np\ti\tCOD\tQMV\t5\t5\t5\t5\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Read(strings.NewReader(string(data)), "f.tsv")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.tsv") {
				t.Errorf("error does not name the file: %v", err)
			}
			return
		}
		used, _ := d.Usable()
		for i := range used {
			for _, s := range Schemes {
				// A usable issue makes a scenario of MinActors actors or
				// more under every scheme (the vote weights know only the
				// EU's members and institutions).
				sc, _, err := d.ToScenario(&used[i], s)
				switch {
				case err != nil && !(s == Votes && strings.Contains(err.Error(), "no Council vote weight")):
					t.Errorf("usable issue %s under %s: %v", used[i].ID, s, err)
				case err == nil && len(sc.Actors) < MinActors:
					t.Errorf("scenario with %d actors", len(sc.Actors))
				}
			}
		}
	})
}

// TestSkipUncaring: an issue whose scenario would keep fewer than three
// actors (the others have salience 0), or whose kept actors all have GDP
// weight 0, is skipped and counted: the first became a one-actor
// scenario, and under --capabilities gdp the second (and the first, when
// its one actor is an institution) stopped the whole backtest.
func TestSkipUncaring(t *testing.T) {
	const data = "prnr\tisnr\tproc\tcounvte\tpcom\tpde\tpfr\tpit\tscom\tsde\tsfr\tsit\trp\tout\n" +
		"\t\t\t\t0\t3\t2\t0\n" +
		"p1\ti1\tCOD\tQMV\t10\t20\t30\t\t50\t0\t0\t\t0\t25\n" + // com alone cares
		"p1\ti2\tCOD\tQMV\t10\t20\t30\t40\t50\t\t60\t0\t0\t25\n" + // com, de (imputed), fr
		"p2\ti3\tCOD\tQMV\t10\t\t\t40\t50\t\t\t60\t0\t25\n" + // two positioned
		"p3\ti4\tCOD\tQMV\t10\t20\t30\t40\t50\t0\t0\t60\t0\t25\n" + // com and it care: 2
		"p4\ti5\tCNS\tQMV\t10\t20\t30\t40\t50\t40\t30\t60\t0\t\n" // no outcome
	d, err := Read(strings.NewReader(data), "u.tsv")
	if err != nil {
		t.Fatal(err)
	}
	used, skipped := d.Usable()
	want := map[string]int{
		"fewer than 3 positioned actors with a salience above 0": 2,
		"fewer than 3 positioned actors":                         1,
		"no outcome":                                             1,
	}
	if len(used) != 1 || used[0].ID != "i2" || !reflect.DeepEqual(skipped, want) {
		t.Errorf("used %d, skipped %v", len(used), skipped)
	}
	for _, s := range Schemes {
		if sc, _, err := d.ToScenario(&used[0], s); err != nil || len(sc.Actors) != 3 {
			t.Errorf("%s: %v", s, err)
		}
	}
	// Three actors care, but only the Commission, whose GDP weight is 0.
	const noGDP = "prnr\tisnr\tproc\tcounvte\tpcom\tpep\tpde\tscom\tsep\tsde\trp\tout\n" +
		"\t\t\t\t0\t0\t0\n" +
		"p1\ti1\tCOD\tQMV\t10\t20\t30\t50\t50\t50\t0\t25\n"
	d, err = Read(strings.NewReader(noGDP), "g.tsv")
	if err != nil {
		t.Fatal(err)
	}
	if used, skipped := d.Usable(); len(used) != 0 || skipped["no GDP weight among the actors with a salience above 0"] != 1 {
		t.Errorf("used %d, skipped %v", len(used), skipped)
	}
}

// TestControlCharacterCell: a cell with a control character (they become
// scenario names and titles printed on terminals) is refused at its line
// and column.
func TestControlCharacterCell(t *testing.T) {
	const data = "prnr\tprname\tisnr\tproc\tcounvte\tpcom\tscom\trp\tout\n" +
		"\t\t\t\t\t1\t\t\t\n" +
		"p1\tevil\x1b[2J\ti1\tCOD\tQMV\t10\t50\t0\t25\n"
	_, err := Read(strings.NewReader(data), "c.tsv")
	if err == nil || err.Error() != "c.tsv:3: column prname: control character U+001B in the cell" {
		t.Errorf("got %v", err)
	}
}

func TestProposalScenarioAndZeroSalience(t *testing.T) {
	d := load(t)
	// d001's two issues: it has no position on the second, lu no salience.
	sc, conv, err := d.ToProposalScenario([]*Issue{&d.Issues[0], &d.Issues[1]}, Votes)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Name != "deu3-d001" || len(sc.Issues) != 2 || len(sc.Actors) != 8 || conv.ImputedSaliences != 1 {
		t.Errorf("%s: %d issues, %d actors, %+v", sc.Name, len(sc.Issues), len(sc.Actors), conv)
	}
	if it := sc.Actor("it"); len(it.Stances) != 1 || it.Capability.Value != 29 {
		t.Errorf("it: %+v", it)
	}
	const data = "prnr\tisnr\tproc\tcounvte\tpcom\tpde\tpfr\tscom\tsde\tsfr\trp\tout\n" +
		"\t\t\t\t1\t1\t1\n" +
		"p1\ti1\tCOD\tQMV\t10\t20\t30\t50\t0\t40\t0\t25\n" +
		"p1\ti2\tCOD\tQMV\t10\t20\t30\t0\t0\t0\t0\t25\n"
	z, err := Read(strings.NewReader(data), "z.tsv")
	if err != nil {
		t.Fatal(err)
	}
	sc, conv, err = z.ToScenario(&z.Issues[0], Equal)
	if err != nil {
		t.Fatal(err)
	}
	// de cares nothing for i1: left out, and so voting yes in the Council.
	if len(sc.Actors) != 2 || sc.Actor("de") != nil || conv.ZeroSalience != 1 {
		t.Errorf("actors %d, zero-salience %d", len(sc.Actors), conv.ZeroSalience)
	}
	if _, ok := sc.Institutions[0].Actors["DEU"]; ok {
		t.Error("the Council maps Germany to an actor that is not in the scenario")
	}
	if _, _, err := z.ToScenario(&z.Issues[1], Equal); err == nil || !strings.Contains(err.Error(), `z.tsv:4: issue "i2": every positioned actor has salience 0`) {
		t.Errorf("all zero: %v", err)
	}
}

func TestParseSchemes(t *testing.T) {
	got, err := ParseSchemes("equal, votes ,gdp")
	if err != nil || strings.Join(got, "|") != "equal|votes|gdp" {
		t.Errorf("ParseSchemes: %q, %v", got, err)
	}
	if _, err := ParseSchemes("equal,size"); err == nil || err.Error() != `unknown scheme "size" (want equal, votes, gdp)` {
		t.Errorf("ParseSchemes with an unknown scheme: %v", err)
	}
}
