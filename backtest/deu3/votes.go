package deu3

// niceVotes are the member states' Council vote weights under the Treaty
// of Nice (EU-27 from 2007; Croatia's 7 from its 2013 accession treaty).
var niceVotes = map[string]float64{
	"de": 29, "fr": 29, "it": 29, "uk": 29,
	"es": 27, "pl": 27,
	"ro": 14,
	"nl": 13,
	"be": 12, "cz": 12, "el": 12, "hu": 12, "pt": 12,
	"at": 10, "bu": 10, "se": 10,
	"dk": 7, "ie": 7, "lt": 7, "sk": 7, "fi": 7, "cr": 7,
	"cy": 4, "ee": 4, "lv": 4, "lu": 4, "si": 4,
	"mt": 3,
}
