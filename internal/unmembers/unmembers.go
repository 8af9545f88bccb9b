// Package unmembers embeds the list of the 193 UN member states shared by
// the institution package (member names, the General Assembly) and the
// recognition model (the states at risk and their covariates); README.md
// gives its origin and licence.
package unmembers

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"sync"
)

// File is the name of the embedded file, as used in error messages.
const File = "un-members-2007.csv"

// CSV is the embedded file: a header line, then one row per member state
// with the columns iso3, country, eu_member_feb2008, nato_member_feb2008
// and unga_ideal_point_session62. Callers must not modify it.
//
//go:embed un-members-2007.csv
var CSV []byte

// Member is the code and name of one member state.
type Member struct {
	ISO3 string
	Name string
}

// Members returns the first two columns of the embedded file, in file
// order, parsed once; callers must not modify the result. A damaged file (a
// build defect that the tests of institution and model/recognition catch)
// gives an empty list.
var Members = sync.OnceValue(func() []Member {
	rows, err := csv.NewReader(bytes.NewReader(CSV)).ReadAll()
	if err != nil || len(rows) < 2 {
		return nil
	}
	out := make([]Member, 0, len(rows)-1)
	for _, r := range rows[1:] {
		if len(r) < 2 {
			return nil
		}
		out = append(out, Member{ISO3: r[0], Name: r[1]})
	}
	return out
})
