package scenario

import (
	"reflect"
	"strings"
	"testing"
)

// TestSubset keeps the actors and issues named, in the scenario's order,
// with their stances on the kept issues only; leaves out, with a warning,
// an actor left without a stance; drops the process sections and the
// ideal adjustments of actors left out; and refuses unknown ids and an
// issue no kept actor holds.
func TestSubset(t *testing.T) {
	sc := mustParse(t, positionsYAML, "k.yaml")
	sc.KTAB = &KTAB{IdealAdjustment: []IdealAdjust{{Actor: "srb", Reference: "usa", Adjust: 0.5}, {Actor: "kos", Reference: "srb", Adjust: 0.2}}}
	sc.Process = &Process{}
	sub, err := sc.Subset([]string{"usa", "srb"}, []string{"aid"})
	if err != nil {
		t.Fatal(err)
	}
	if ids := sub.ActorIDs(); !reflect.DeepEqual(ids, []string{"srb", "usa"}) || !reflect.DeepEqual(sub.IssueIDs(), []string{"aid"}) {
		t.Fatalf("actors %v, issues %v", ids, sub.IssueIDs())
	}
	if _, ok := sub.Actor("srb").Stances["status"]; ok || len(sc.Actor("srb").Stances) != 2 {
		t.Error("stances not filtered, or the original changed")
	}
	if sub.Process != nil || len(sub.KTAB.IdealAdjustment) != 1 || len(sc.KTAB.IdealAdjustment) != 2 {
		t.Errorf("process %v, ideal adjustments %v", sub.Process, sub.KTAB.IdealAdjustment)
	}
	if err := sub.Validate(); err != nil {
		t.Errorf("subset does not validate: %v", err)
	}
	// kos holds status and aid; with status only, every actor stays; with
	// aid only and kos, usa named, both stay; srb alone on status: fine.
	sub, err = sc.Subset(nil, []string{"status"})
	if err != nil || len(sub.Actors) != 3 {
		t.Errorf("issues only: %v, %v", sub, err)
	}
	base := mustParse(t, baseYAML, "b.yaml") // kos holds status only
	sub, err = base.Subset(nil, []string{"aid"})
	if err != nil || len(sub.Actors) != 2 || len(sub.Warnings) != 1 || !strings.Contains(sub.Warnings[0].Msg, `actor "kos" holds no position on the issues chosen`) {
		t.Errorf("actor without a stance: %v, %v, warnings %v", sub, err, sub.Warnings)
	}
	for _, c := range []struct {
		actors, issues []string
		want           string
	}{
		{[]string{"nato"}, nil, `unknown actor "nato" (the scenario's actors: srb, kos, usa)`},
		{nil, []string{"trade"}, `unknown issue "trade" (the scenario's issues: status, aid)`},
		{[]string{"kos"}, []string{"aid", "status"}, ""},
		{[]string{"kos"}, nil, ""},
	} {
		_, err := base.Subset(c.actors, c.issues)
		if c.want == "" {
			if err == nil || !strings.Contains(err.Error(), `issue "aid": none of the actors chosen holds a position on it`) {
				t.Errorf("%v %v: %v", c.actors, c.issues, err)
			}
			continue
		}
		if err == nil || err.Error() != c.want {
			t.Errorf("%v %v: %v, want %s", c.actors, c.issues, err, c.want)
		}
	}
}

// TestScaleCapability scales the actor's capability and each of its
// capabilities on an issue, copying the stances so that a shallow copy of
// the actor leaves the original alone.
func TestScaleCapability(t *testing.T) {
	a := Actor{ID: "a", Capability: N(10), Stances: map[string]Stance{
		"p": {Position: N(1), Salience: N(1), Capability: N(4)}, "q": {Position: N(2), Salience: N(1)}}}
	b := a
	b.ScaleCapability(1.5)
	if b.Capability.Value != 15 || b.CapabilityOn("p") != 6 || b.CapabilityOn("q") != 15 {
		t.Errorf("scaled: %v %v %v", b.Capability.Value, b.CapabilityOn("p"), b.CapabilityOn("q"))
	}
	if a.CapabilityOn("p") != 4 || a.Capability.Value != 10 {
		t.Error("the original changed")
	}
}
