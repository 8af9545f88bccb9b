package deu3_test

import (
	"fmt"
	"strings"

	"github.com/parley-project/parley/backtest/deu3"
)

// A DEU III file has the column names in row 1 and the actors' GDP
// weights in row 2; blanks are missing values.
func ExampleRead() {
	const data = "prnr\tisnr\tproc\tcounvte\tpcom\tpde\tpfr\tscom\tsde\tsfr\trp\tout\n" +
		"\t\t\t\t4.1\t4.1\t2.8\n" +
		"d1\td1i1\tCOD\tQMV\t100\t0\t50\t80\t90\t40\t0\t60\n" +
		"d1\td1i2\tCNS\tUnan\t100\t\t\t50\t\t\t0\t\n"
	d, err := deu3.Read(strings.NewReader(data), "example.tsv")
	if err != nil {
		fmt.Println(err)
		return
	}
	used, skipped := d.Usable()
	fmt.Println(d.Actors, len(used), skipped)
	sc, _, _ := d.ToScenario(&used[0], deu3.Votes)
	for _, a := range sc.Actors {
		fmt.Println(a.ID, a.Name, a.Capability.Value)
	}
	_, err = deu3.Read(strings.NewReader(strings.Replace(data, "\t90\t", "\t900\t", 1)), "example.tsv")
	fmt.Println(err)
	// Output:
	// [com de fr] 1 map[no outcome:1]
	// com European Commission 29
	// de Germany 29
	// fr France 29
	// example.tsv:3: column sde: 900 is outside 0 to 100
}
