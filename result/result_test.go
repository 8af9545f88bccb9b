package result

import (
	"encoding/json"
	"testing"
)

// TestJSONUnchanged: the model-specific parts (Extensions, Utilities)
// give the document of GUIDE §5 byte for byte: "exchanges" at the top
// level and only when there are some; "eu" and "partner_eu" on every move,
// 0 for models that have none.
func TestJSONUnchanged(t *testing.T) {
	res := Result{Scenario: "s", Model: "m", Issues: []Issue{{ID: "i", Name: "i", Forecast: 1, Rounds: []Round{{Round: 1,
		Positions: map[string]float64{"a": 1}, Moves: []Move{
			{Actor: "a", Partner: "b", Kind: "bargain", From: 1, To: 2},
			{Actor: "b", Partner: "a", Kind: "compromise", From: 3, To: 2.5, Utilities: &Utilities{EU: -0.11, PartnerEU: 0.24}},
		}}}}}}
	const moves = `"moves":[{"actor":"a","partner":"b","kind":"bargain","from":1,"to":2,"eu":0,"partner_eu":0},` +
		`{"actor":"b","partner":"a","kind":"compromise","from":3,"to":2.5,"eu":-0.11,"partner_eu":0.24}]`
	doc := `{"scenario":"s","model":"m","variant":"","issues":[{"id":"i","name":"i","forecast":1,"rounds":[{"round":1,` +
		`"forecast":0,"median":0,"mean":0,"positions":{"a":1},` + moves + `}]}]}`
	check := func(what string, r Result, want string) {
		t.Helper()
		got, err := json.Marshal(r)
		if err != nil || string(got) != want {
			t.Errorf("%s:\n got %s\nwant %s (%v)", what, got, want, err)
		}
		var back Result
		if err := json.Unmarshal(got, &back); err != nil {
			t.Fatal(err)
		}
		again, _ := json.Marshal(back)
		if string(again) != want {
			t.Errorf("%s read back:\n got %s\nwant %s", what, again, want)
		}
	}
	check("no extension", res, doc)
	res.Trades = &Trades{}
	check("no trades", res, doc)
	res.Trades.Exchanges = []Exchange{{Round: 1, Actors: [2]string{"a", "b"}, Supply: map[string]string{"a": "i", "b": "j"},
		Moves: map[string]ExchangeMove{"a": {Issue: "i", From: 0, To: 1}, "b": {Issue: "j", From: 2, To: 1}}, Gain: 0.5}}
	check("trades", res, doc[:len(doc)-1]+`,"exchanges":[{"round":1,"actors":["a","b"],"supply":{"a":"i","b":"j"},`+
		`"moves":{"a":{"issue":"i","from":0,"to":1},"b":{"issue":"j","from":2,"to":1}},"gain":0.5}]}`)
	var back Result
	if err := json.Unmarshal([]byte(doc), &back); err != nil || back.Trades != nil ||
		back.Issues[0].Rounds[0].Moves[0].Utilities != nil || *back.Issues[0].Rounds[0].Moves[1].Utilities != (Utilities{-0.11, 0.24}) {
		t.Errorf("read: %+v %v", back, err)
	}
	if u := back.Issues[0].Rounds[0].Moves[0].ExpectedUtilities(); u != (Utilities{}) {
		t.Errorf("no utilities read as %+v", u)
	}
}
