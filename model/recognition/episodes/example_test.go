package episodes_test

import (
	"bytes"
	"fmt"

	"github.com/parley-project/parley/model/recognition/episodes"
)

func ExampleParse() {
	file := []byte(`id: example-2000
entity: Exampleland
parent: SRB
declared: "2000-03-15"
until: "2001-12-31"
until_reason: the end of the data
recognising: [ALB]
opposing: []
sides_note: Albania backs the declaration.
sides_sources: [a]
sources:
  - {id: a, outlet: An outlet, title: A report, date: "2000-05-02", url: "https://example.org/report"}
events:
  - {state: ALB, recognised: "2000-03-15", source: a}
  - {state: USA, recognised: "2000-04", source: a}
`)
	ep, err := episodes.Parse("example-2000.yaml", file, func(code string) bool { return len(code) == 3 })
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range ep.Events {
		fmt.Println(e.State, e.Recognised.At().Format("2006-01-02"))
	}
	bad := bytes.Replace(file, []byte(`"2000-04"`), []byte(`"2000-13"`), 1)
	_, err = episodes.Parse("example-2000.yaml", bad, nil)
	fmt.Println(err)
	// Output:
	// ALB 2000-03-15
	// USA 2000-04-15
	// example-2000.yaml:15: events[1].recognised: date "2000-13": want YYYY-MM-DD, YYYY-MM, YYYY or YYYY-MM-DD/YYYY-MM-DD
}
