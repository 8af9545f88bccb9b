package deu3

import (
	"github.com/parley-project/parley/institution"
	"github.com/parley-project/parley/scenario"
)

// ISO3 maps DEU III's member-state codes to ISO 3166 alpha-3, the ids of
// the members of institution's built-in EU Council.
var ISO3 = map[string]string{
	"at": "AUT", "be": "BEL", "bu": "BGR", "cr": "HRV", "cy": "CYP", "cz": "CZE", "dk": "DNK",
	"ee": "EST", "fi": "FIN", "fr": "FRA", "de": "DEU", "el": "GRC", "hu": "HUN", "ie": "IRL",
	"it": "ITA", "lv": "LVA", "lt": "LTU", "lu": "LUX", "mt": "MLT", "nl": "NLD", "pl": "POL",
	"pt": "PRT", "ro": "ROU", "si": "SVN", "sk": "SVK", "es": "ESP", "se": "SWE", "uk": "GBR",
}

// Croatia is not in the Council of 27. Its Nice weight (7 votes) and the
// qualified majority of the Council of 28 (260 of 352 votes, 15 members,
// 62% of the population) are those of the 2012 Act of Accession, Art. 20;
// its population (thousands, Eurostat 1 January 2013, rounded) only
// enters the population test.
const (
	croatiaVotes      = 7
	croatiaPopulation = 4262
	qmv28Votes        = 260
	qmv28Members      = 15
)

// council27 is the built-in Council of 27 under the Nice treaty.
var council27 = func() *institution.Body {
	b, err := institution.Builtin("eu-council")
	if err != nil {
		panic("deu3: institution has no built-in eu-council: " + err.Error())
	}
	return b
}()

// CouncilVotes returns a member state's weight in the Council under the
// Treaty of Nice, by DEU III actor code.
func CouncilVotes(code string) (float64, bool) {
	iso, ok := ISO3[code]
	if !ok {
		return 0, false
	}
	if iso == "HRV" {
		return croatiaVotes, true
	}
	m := council27.Member(iso)
	if m == nil {
		return 0, false
	}
	return m.Weight, true
}

// IsMemberState reports whether code is a member state (not the
// Commission or the Parliament).
func IsMemberState(code string) bool {
	_, ok := ISO3[code]
	return ok
}

// Institution ids in the scenarios ToScenario builds.
const (
	CouncilID    = "council"
	ParliamentID = "parliament"
)

// institutions declares the bodies that must adopt an issue's outcome:
// the Council under the issue's voting rule (the built-in Council of 27,
// or a Council of 28 when Croatia holds a position) and, under
// codecision, the Parliament as one member voting by the ep actor.
// Members with no position vote yes: a state that took no position on an
// issue is taken not to oppose what the others agree, and so is one that
// gave the issue salience 0 (it is not an actor of the scenario).
// positioned marks the actors with a position in the file, inScenario
// those in the scenario.
func institutions(is *Issue, positioned, inScenario map[string]bool) []scenario.Institution {
	council := scenario.Institution{ID: CouncilID, Name: "Council of the EU", NoPosition: "yes", Actors: map[string]string{}}
	if positioned["cr"] {
		council.Rule = string(institution.Qualified)
		council.Threshold = &scenario.InstitutionThreshold{Votes: qmv28Votes, Members: qmv28Members, Population: council27.Threshold.Population}
		for _, m := range council27.Members {
			council.Members = append(council.Members, scenario.InstitutionMember{ID: m.ID, Name: m.Name, Weight: m.Weight, Population: m.Population})
		}
		council.Members = append(council.Members, scenario.InstitutionMember{ID: "HRV", Name: "Croatia", Weight: croatiaVotes, Population: croatiaPopulation})
	} else {
		council.Builtin = "eu-council"
	}
	if is.Rule == Unanimity {
		council.Rule = string(institution.Unanimity)
	}
	for code, iso := range ISO3 {
		if inScenario[code] {
			council.Actors[iso] = code
		}
	}
	out := []scenario.Institution{council}
	if is.Procedure == Codecision && inScenario[Parliament] {
		out = append(out, scenario.Institution{
			ID: ParliamentID, Name: "European Parliament", Rule: string(institution.SimpleMajority),
			Members: []scenario.InstitutionMember{{ID: Parliament, Name: Name(Parliament), Actor: Parliament}},
		})
	}
	return out
}
