package scenario

import (
	"bytes"
	"io"
	"math"
	"reflect"
	"strings"
	"testing"
)

// soeCSV is the start of KTAB's SOE-Pol-Comp sample (MIT licence, see
// model/smp/testdata/README.md), with KTAB's trailing commas and padding.
const soeCSV = `China Policy/Competitive; scen 2,Scenario-0002;Combined Policy and Competitive, 3, 2, 
Actor,Description,Influence,Policy Position,Policy Salience,Competitive Position,Competitive Salience, 
XJ,Xi Jinping,                            100.0,30,24.0,20,48.0, 
LK,Li Keqiang,                             60.2,45,44.7,65,41.3, 
"N, Q",  "Quoted, name",  40,  1,  2, 99.5, 3
`

const ktabXML = "\ufeff" + `<?xml version="1.0" encoding="UTF-8"?>
<Scenario xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="smpSchema.xsd">
  <name>Tiny</name>
  <desc>Three actors</desc>
  <prngSeed>03507583219545544127</prngSeed>
  <ModelParameters>
    <VictoryProbModel>Square</VictoryProbModel>
    <PCEModel>MarkovIncentive</PCEModel>
    <StateTransitions>Deterministic</StateTransitions>
    <VotingRule>PropCbc</VotingRule>
    <BigRAdjust>Half</BigRAdjust>
    <BigRRange>Max</BigRRange>
    <ThirdPartyCommit>FullCommit</ThirdPartyCommit>
    <InterVecBrgn>S1P1</InterVecBrgn>
    <BargnModel>PWCompInterp</BargnModel>
  </ModelParameters>
  <Dimensions>
    <dName>First</dName>
    <dName>Second</dName>
  </Dimensions>
  <Actors>
    <Actor>
      <name>Alice</name>
      <description>One</description>
      <capability>117.7</capability>
      <Position><dCoord>10</dCoord><dCoord>39.8</dCoord></Position>
      <Salience><dSal>20</dSal><dSal>30</dSal></Salience>
    </Actor>
    <Actor>
      <name>Bob</name>
      <description>Two &amp; more</description>
      <capability>50</capability>
      <Position><dCoord>90</dCoord><dCoord>0</dCoord></Position>
      <Salience><dSal>50</dSal><dSal>50</dSal></Salience>
    </Actor>
    <Actor>
      <name>Carol</name>
      <description>Three</description>
      <capability>80</capability>
      <Position><dCoord>50</dCoord><dCoord>100</dCoord></Position>
      <Salience><dSal>10</dSal><dSal>60</dSal></Salience>
    </Actor>
  </Actors>
  <IdealAdjustment>
    <iaPair>
      <adjustingIdeal>Alice</adjustingIdeal>
      <referencePos>Bob</referencePos>
      <adjust>0.25</adjust>
    </iaPair>
  </IdealAdjustment>
</Scenario>
`

func TestKTABCSVRead(t *testing.T) {
	if got := Detect([]byte(soeCSV)); got != FormatKTAB {
		t.Fatalf("detected %s", got)
	}
	sc, err := Parse([]byte(soeCSV), "soe.csv")
	if err != nil {
		t.Fatal(err)
	}
	if sc.Name != "China Policy/Competitive; scen 2" || sc.Description != "Scenario-0002;Combined Policy and Competitive" || sc.SalienceScale != 100 {
		t.Errorf("header: %q %q %v", sc.Name, sc.Description, sc.SalienceScale)
	}
	wantIssues := []Issue{{ID: "policy-position", Name: "Policy Position", Max: 100}, {ID: "competitive-position", Name: "Competitive Position", Max: 100}}
	if !reflect.DeepEqual(sc.Issues, wantIssues) {
		t.Errorf("issues %+v", sc.Issues)
	}
	a := sc.Actors[2]
	if a.ID != "N, Q" || a.Name != "Quoted, name" || a.Capability.Value != 40 ||
		a.Stances["policy-position"].Position.Value != 1 || a.Stances["policy-position"].Salience.Value != 2 ||
		a.Stances["competitive-position"].Position.Value != 99.5 || a.Stances["competitive-position"].Salience.Value != 3 {
		t.Errorf("actor 3: %+v", a)
	}
	if sc.Actors[0].Name != "Xi Jinping" || sc.Actors[1].Capability.Value != 60.2 {
		t.Errorf("actors: %+v", sc.Actors[:2])
	}
}

func TestKTABXMLRead(t *testing.T) {
	if got := Detect([]byte(ktabXML)); got != FormatKTABXML {
		t.Fatalf("detected %s", got)
	}
	sc, err := Parse([]byte(ktabXML), "tiny.xml")
	if err != nil {
		t.Fatal(err)
	}
	if sc.Name != "Tiny" || len(sc.Issues) != 2 || sc.Issues[1].ID != "second" || len(sc.Actors) != 3 {
		t.Fatalf("%+v", sc)
	}
	if b := sc.Actor("Bob"); b.Name != "Two & more" || b.Stances["first"].Position.Value != 90 || b.Stances["second"].Salience.Value != 50 {
		t.Errorf("Bob: %+v", b)
	}
	k := sc.KTAB
	if k == nil || k.Seed != "03507583219545544127" || k.Parameters["BargnModel"] != "PWCompInterp" || k.Parameters["VotingRule"] != "PropCbc" || len(k.Parameters) != 9 {
		t.Fatalf("ktab: %+v", k)
	}
	if !reflect.DeepEqual(k.IdealAdjustment, []IdealAdjust{{"Alice", "Bob", 0.25}}) {
		t.Errorf("ideal adjustment %+v", k.IdealAdjustment)
	}
	sp, err := sc.Spatial()
	if err != nil {
		t.Fatal(err)
	}
	if sp.Acc[0*3+1] != 0.25 || sp.Acc[0] != 1 || sp.Acc[4] != 1 || math.Abs(sp.Pos[0][1]-0.398) > 1e-15 || sp.Sal[2][1] != 0.6 {
		t.Errorf("spatial: %+v", sp)
	}
}

// TestKTABErrors checks that bad KTAB files name the file, the line and
// the field.
func TestKTABErrors(t *testing.T) {
	cases := []struct {
		name, data string
		want       []string
		count      int // how many problems, when not 0
	}{
		{"bad power", "S,D,2,1\nActor,Description,Power,P,S\nA,a,lots,50,50\nB,b,1,20,30\n",
			[]string{"f.csv:3: actor row 1, power: \"lots\" is not a number"}, 0},
		{"short row", "S,D,2,1\nActor,Description,Power,P,S\nA,a,1,50\nB,b,1,20,30\n",
			[]string{"f.csv:3: actor row 1: want 5 fields"}, 0},
		{"count", "S,D,3,1\nActor,Description,Power,P,S\nA,a,1,50,50\nB,b,1,20,30\n",
			[]string{"f.csv:1: number of actors: the scenario line announces 3 actors but 2 actor lines follow"}, 0},
		{"salience total", "S,D,2,2\nActor,Description,Power,P,S,Q,T\nA,a,1,50,60,1,50\nB,b,1,20,30,1,1\n",
			[]string{"f.csv:3: actor row 1, salience: saliences total 110; KTAB allows at most 100"}, 0},
		{"position out of scale", "S,D,2,1\nActor,Description,Power,P,S\nA,a,1,50,50\n\nB,b,1,120,30\n",
			[]string{"f.csv:5: actor row 2, issue p position: position 120 is outside the scale 0 to 100"}, 0},
		{"header", "S,D,2,2\nActor,Description,Power,P,S\nA,a,1,50,50\nB,b,1,20,30\n",
			[]string{"f.csv:2: header: want Actor, Description, Power and a position and salience column for each of 2 dimensions, got 5 columns"}, 0},
		{"xml syntax", "<Scenario>\n<name>x</name>\n<desc>\n</Scenario>\n",
			[]string{"f.csv:4: element <desc> closed by </Scenario>"}, 0},
		{"xml capability", strings.Replace(ktabXML, "<capability>50</capability>", "<capability>fifty</capability>", 1),
			[]string{"f.csv:32: Actor 2 capability: \"fifty\" is not a number"}, 0},
		{"xml parameter", strings.Replace(ktabXML, "<BigRRange>Max</BigRRange>", "<BigRRange>Huge</BigRRange>", 1),
			[]string{"f.csv:12: ModelParameters BigRRange: unknown value \"Huge\" (want one of Min, Mid, Max)"}, 0},
		{"xml dimensions", strings.Replace(ktabXML, "<dCoord>90</dCoord>", "", 1),
			[]string{"f.csv:33: Actor 2 Position: 1 <dCoord> values for 2 dimensions"}, 0},
		{"xml missing", strings.Replace(ktabXML, "<name>Carol</name>", "", 1),
			[]string{"f.csv:36: Actor: missing element <name>", "missing actor id"}, 0},
		{"xml seed", strings.Replace(ktabXML, "<prngSeed>03507583219545544127</prngSeed>", "<prngSeed>-1</prngSeed>", 1),
			[]string{"f.csv:5: prngSeed: seed \"-1\" is not an unsigned 64-bit integer"}, 1},
		{"xml ideal", strings.Replace(ktabXML, "<referencePos>Bob</referencePos>", "<referencePos>Dan</referencePos>", 1),
			[]string{"ktab.ideal_adjustment[0].reference: unknown actor \"Dan\""}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse([]byte(c.data), "f.csv")
			ps := problemsOf(t, err)
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n%v\ndoes not contain\n%s", err, w)
				}
			}
			if c.count != 0 && len(ps) != c.count {
				t.Errorf("%d problems, want %d:\n%v", len(ps), c.count, err)
			}
		})
	}
}

// TestKTABRoundTrip writes KTAB files back in their own format and reads
// them again: nothing may change.
func TestKTABRoundTrip(t *testing.T) {
	for _, c := range []struct {
		name, data string
		write      func(io.Writer, *Scenario) error
	}{
		{"csv", soeCSV, WriteKTABCSV},
		{"xml", ktabXML, WriteKTABXML},
		{"csv as xml", soeCSV, WriteKTABXML},
		{"xml as yaml", ktabXML, WriteYAML},
	} {
		t.Run(c.name, func(t *testing.T) {
			sc, err := Parse([]byte(c.data), "in")
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if err := c.write(&b, sc); err != nil {
				t.Fatal(err)
			}
			back, err := Parse(b.Bytes(), "out")
			if err != nil {
				t.Fatalf("%v\n%s", err, b.String())
			}
			if c.name == "csv as xml" {
				back.KTAB = nil // the XML format always carries a seed
			}
			sc.File, back.File = "", ""
			if !reflect.DeepEqual(sc, back) {
				t.Errorf("round trip changed the scenario:\n%+v\n%+v\n%s", sc, back, b.String())
			}
		})
	}
}

// TestKTABExportScales writes a native scenario with its own scales, a
// missing stance and saliences totalling more than KTAB allows, and checks
// the mapping to KTAB's 0–100 scales.
func TestKTABExportScales(t *testing.T) {
	src := `name: scaled
salience_scale: 1
issues:
  - {id: a, name: Alpha, min: -10, max: 10}
  - {id: b, min: 0, max: 4}
actors:
  - {id: x, capability: 2, stances: {a: {position: -10, salience: 0.9}, b: {position: 1, salience: 0.6}}}
  - {id: y, capability: 1, stances: {a: {position: 5, salience: 0.5}}}
  - {id: z, capability: 3, stances: {a: {position: 0, salience: 0.2}, b: {position: 3, salience: 0.2}}}
`
	sc, err := Parse([]byte(src), "s.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteKTABCSV(&b, sc); err != nil {
		t.Fatal(err)
	}
	back, err := Parse(b.Bytes(), "s.csv")
	if err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	want := map[string][4]float64{ // position a, salience a, position b, salience b
		"x": {0, 60, 25, 40},
		// y holds no position on b: salience 0 at the weighted mean of
		// x and z on b, (2·0.4·0.25 + 3·0.2·0.75)/(2·0.4 + 3·0.2) on 0–1.
		"y": {75, 50, (2*0.4*0.25 + 3*0.2*0.75) / (2*0.4 + 3*0.2) * 100, 0},
		"z": {50, 20, 75, 20},
	}
	for id, w := range want {
		a := back.Actor(id)
		got := [4]float64{a.Stances["alpha"].Position.Value, a.Stances["alpha"].Salience.Value, a.Stances["b"].Position.Value, a.Stances["b"].Salience.Value}
		for k := range got {
			if math.Abs(got[k]-w[k]) > 1e-9 {
				t.Errorf("actor %s: %v, want %v\n%s", id, got, w, b.String())
				break
			}
		}
	}
}

// TestKTABExportRescaledTotal exports an actor whose saliences (95, 60
// and 90 of 100) total more than KTAB allows: divided by their total they
// sum to 100.00000000000001 in floating point, which KTAB's reader refuses,
// so the written row must be lowered to total at most 100 and both formats
// must read back (kosovo-2007's kosovo_serbs hit this).
func TestKTABExportRescaledTotal(t *testing.T) {
	src := `name: rescaled
issues: [{id: a, min: 0, max: 100}, {id: b, min: 0, max: 100}, {id: c, min: 0, max: 100}]
actors:
  - {id: x, capability: 8, stances: {a: {position: 5, salience: 95}, b: {position: 10, salience: 60}, c: {position: 95, salience: 90}}}
  - {id: y, capability: 1, stances: {a: {position: 50, salience: 50}}}
  - {id: z, capability: 2, stances: {b: {position: 20, salience: 30}}}
`
	sc, err := Parse([]byte(src), "r.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for name, write := range map[string]func(io.Writer, *Scenario) error{"csv": WriteKTABCSV, "xml": WriteKTABXML} {
		var b bytes.Buffer
		if err := write(&b, sc); err != nil {
			t.Fatal(err)
		}
		back, err := Parse(b.Bytes(), "r."+name)
		if err != nil {
			t.Fatalf("%s: %v\n%s", name, err, b.String())
		}
		x := back.Actor("x")
		total := 0.0
		for _, id := range []string{"a", "b", "c"} {
			total += x.Stances[id].Salience.Value
		}
		if total > 100 || total < 100-1e-9 {
			t.Errorf("%s: saliences of x total %v, want 100 (at most)", name, total)
		}
		if got, want := x.Stances["a"].Salience.Value, 95/2.45; math.Abs(got-want) > 1e-9 {
			t.Errorf("%s: salience of x on a %v, want %v", name, got, want)
		}
	}
}

func TestKTABExportActorLimits(t *testing.T) {
	sc, err := Parse([]byte("S,D,2,1\nActor,Description,Power,P,S\nA,a,1,50,50\nB,b,1,20,30\n"), "two.csv")
	if err != nil {
		t.Fatal(err)
	}
	for _, write := range []func(io.Writer, *Scenario) error{WriteKTABCSV, WriteKTABXML} {
		if err := write(io.Discard, sc); err == nil || !strings.Contains(err.Error(), "KTAB reads scenarios of 3 to 250 actors; S has 2") {
			t.Errorf("two actors: %v", err)
		}
	}
}

func FuzzKTABCSV(f *testing.F) {
	f.Add(soeCSV)
	f.Add("S,D,2,1\nActor,Description,Power,P,S\nA,a,1,50,50\nB,b,1,20,30\n")
	f.Add("S,D,0,0\nActor,Description\n")
	f.Add("\"S,D,2,1\nActor,\"")
	f.Fuzz(func(t *testing.T, data string) { fuzzKTAB(t, data, WriteKTABCSV) })
}

func FuzzKTABXML(f *testing.F) {
	f.Add(ktabXML)
	f.Add("<Scenario><name/><Dimensions><dName>a</dName></Dimensions><Actors/></Scenario>")
	f.Add("<Scenario>")
	f.Fuzz(func(t *testing.T, data string) { fuzzKTAB(t, data, WriteKTABXML) })
}

// fuzzKTAB checks that any input parses or fails with located problems
// (checkParse), and that what parses can be written and read back.
func fuzzKTAB(t *testing.T, data string, write func(io.Writer, *Scenario) error) {
	sc, _ := checkParse(t, []byte(data))
	if sc == nil {
		return
	}
	var b bytes.Buffer
	if err := write(&b, sc); err != nil {
		return // e.g. an actor with no salience: the spatial model's error
	}
	if _, err := Parse(b.Bytes(), "again"); err != nil {
		t.Fatalf("written file does not parse: %v\n%s", err, b.String())
	}
}
