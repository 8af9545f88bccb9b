package institution

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/parley-project/parley/internal/unmembers"
)

// UNMember is one row of the embedded list of UN member states.
type UNMember struct {
	ISO3 string
	Name string
	// Joined2011 marks South Sudan, not a member in 2007–08.
	Joined2011 bool
}

// UNMembers returns the embedded list of the 193 UN member states (ISO3
// code and name), in file order.
func UNMembers() []UNMember { return slices.Clone(unMembers()) }

// unMembers converts the embedded list once; a damaged file (a build
// defect that the tests catch) gives an empty list.
var unMembers = sync.OnceValue(func() []UNMember {
	ms := unmembers.Members()
	if len(ms) == 0 {
		return nil
	}
	out := make([]UNMember, len(ms))
	for i, m := range ms {
		out[i] = UNMember{ISO3: m.ISO3, Name: m.Name, Joined2011: m.ISO3 == "SSD"}
	}
	return out
})

func unName(iso3 string) string {
	for _, m := range unMembers() {
		if m.ISO3 == iso3 {
			return m.Name
		}
	}
	return iso3
}

// Security Council composition: the five permanent members (UN Charter
// Art. 23(1)) and the ten elected members of each year (elected by the
// General Assembly for two-year terms).
var (
	unscPermanent = []string{"CHN", "FRA", "RUS", "GBR", "USA"}
	unscElected   = map[int][]string{
		// 2006–07: Congo, Ghana, Peru, Qatar, Slovakia; 2007–08: Belgium,
		// Indonesia, Italy, Panama, South Africa.
		2007: {"BEL", "COG", "GHA", "IDN", "ITA", "PAN", "PER", "QAT", "SVK", "ZAF"},
		// 2007–08 as above; 2008–09: Burkina Faso, Costa Rica, Croatia,
		// Libya, Viet Nam.
		2008: {"BEL", "BFA", "CRI", "HRV", "IDN", "ITA", "LBY", "PAN", "VNM", "ZAF"},
	}
)

func unsc(year int) *Body {
	b := &Body{
		ID:        fmt.Sprintf("unsc-%d", year),
		Name:      fmt.Sprintf("UN Security Council (%d)", year),
		Rule:      Votes,
		Threshold: Threshold{Votes: 9},
		Basis:     "UN Charter Art. 23(1) (composition) and Art. 27(3) (nine affirmative votes including the concurring votes of the permanent members; a permanent member's abstention is not a veto, settled practice since 1946 confirmed by the ICJ, Namibia opinion 1971, para. 22)",
	}
	for _, id := range unscPermanent {
		b.Members = append(b.Members, Member{ID: id, Name: unName(id), Weight: 1, Veto: true})
	}
	for _, id := range unscElected[year] {
		b.Members = append(b.Members, Member{ID: id, Name: unName(id), Weight: 1})
	}
	return b
}

// euCouncil lists the 27 member states with their Nice-treaty weights (EC
// Treaty Art. 205(2) as amended by Art. 12 of the 2003 Act of Accession and
// by the 2005 Act of Accession; total 345) and their populations in
// thousands as set for 2008 in Annex III, Article 1, of the Council's Rules
// of Procedure (Council Decision 2007/881/EC of 20 December 2007, Eurostat
// figures of 1 January 2007). The figures are transcribed by hand; their sum,
// 495 126.0, is within 0.005% of the total behind the Decision's official
// 62% threshold of 306 964.4 thousand (see docs/models/process.md).
var euCouncil = []struct {
	iso3       string
	weight     float64
	population float64
}{
	{"DEU", 29, 82314.9},
	{"FRA", 29, 63392.1},
	{"GBR", 29, 60852.8},
	{"ITA", 29, 59131.3},
	{"ESP", 27, 44474.6},
	{"POL", 27, 38125.5},
	{"ROU", 14, 21565.1},
	{"NLD", 13, 16357.9},
	{"GRC", 12, 11171.7},
	{"PRT", 12, 10599.1},
	{"BEL", 12, 10584.5},
	{"CZE", 12, 10287.2},
	{"HUN", 12, 10066.2},
	{"SWE", 10, 9113.3},
	{"AUT", 10, 8298.9},
	{"BGR", 10, 7679.3},
	{"DNK", 7, 5447.1},
	{"SVK", 7, 5393.6},
	{"FIN", 7, 5276.9},
	{"IRL", 7, 4312.5},
	{"LTU", 7, 3384.9},
	{"LVA", 4, 2281.3},
	{"SVN", 4, 2010.3},
	{"EST", 4, 1342.4},
	{"CYP", 4, 778.7},
	{"LUX", 4, 476.2},
	{"MLT", 3, 407.7},
}

func euBody(id, name string, rule Rule) *Body {
	b := &Body{ID: id, Name: name, Rule: rule}
	for _, m := range euCouncil {
		b.Members = append(b.Members, Member{ID: m.iso3, Name: unName(m.iso3), Weight: m.weight, Population: m.population})
	}
	switch rule {
	case Qualified:
		// EC Treaty Art. 205(2): 255 of 345 votes cast by a majority of
		// the members (14 of 27) on a Commission proposal; Art. 205(4): on
		// request, 62% of the Union's population.
		b.Threshold = Threshold{Votes: 255, Members: 14, Population: 0.62}
		b.Basis = "EC Treaty Art. 205(2) and (4) as amended at Nice and by the 2003 and 2005 Acts of Accession: 255 of 345 weighted votes, a majority of the members (14 of 27), and on request 62% of the population (Council Rules of Procedure, Annex III)"
	case Unanimity:
		b.Basis = "TEU Art. 23(1) (common foreign and security policy decisions by unanimity; abstention does not prevent adoption) and EC Treaty Art. 205(3)"
	}
	return b
}

func unga(rule Rule) *Body {
	b := &Body{Name: "UN General Assembly (session 62, 2007–08)", Rule: rule}
	switch rule {
	case TwoThirds:
		b.ID = "unga-two-thirds"
		b.Name += ", important questions"
		b.Basis = "UN Charter Art. 18(2): important questions by a two-thirds majority of the members present and voting"
	default:
		b.ID = "unga"
		b.Basis = "UN Charter Art. 18(3): other questions by a majority of the members present and voting"
	}
	for _, m := range UNMembers() {
		if m.Joined2011 {
			continue
		}
		b.Members = append(b.Members, Member{ID: m.ISO3, Name: m.Name, Weight: 1})
	}
	return b
}

// builtins maps each built-in body's name to its constructor.
var builtins = map[string]func() *Body{
	"unsc-2007": func() *Body { return unsc(2007) },
	"unsc-2008": func() *Body { return unsc(2008) },
	"eu-council": func() *Body {
		return euBody("eu-council", "Council of the EU (27 members, Nice qualified majority)", Qualified)
	},
	"eu-council-cfsp": func() *Body {
		return euBody("eu-council-cfsp", "Council of the EU (27 members, foreign policy: unanimity)", Unanimity)
	},
	"unga":            func() *Body { return unga(SimpleMajority) },
	"unga-two-thirds": func() *Body { return unga(TwoThirds) },
}

// Builtins lists the names of the built-in bodies in alphabetical order.
func Builtins() []string {
	names := make([]string, 0, len(builtins))
	for n := range builtins {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Builtin returns a fresh copy of the named built-in body.
func Builtin(name string) (*Body, error) {
	f, ok := builtins[name]
	if !ok {
		return nil, fmt.Errorf("no built-in body %q (have %s)", name, strings.Join(Builtins(), ", "))
	}
	return f(), nil
}
