package scenarios

import (
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/parley-project/parley/institution"
	"github.com/parley-project/parley/model/recognition"
	"github.com/parley-project/parley/scenario"
)

// sceptic reports whether an EU member belongs to kosovo-2007's eu_sceptics
// group by the rule in the actor's note: a member of the EU on the as-of
// date with an active or latent secessionist conflict of its own on that
// date in model/recognition/data/secession.csv, other than the large
// members coded as actors of their own.
func sceptic(w *recognition.World, iso3 string, asOf time.Time, ownActor map[string]string) bool {
	return w.InBloc(iso3, "EC", asOf) && w.Secession(iso3, asOf) > 0 && ownActor[iso3] == ""
}

// TestEUSceptics pins the membership rule of kosovo-2007's eu_sceptics
// group: every institution of the scenario maps exactly the members the
// rule gives to the group, the EU Council's other members to the EU's
// common line or, for the four large members, to their own actors. The
// list is not hand-written anywhere but in the mappings, so a change of
// the covariate table or of the mappings that breaks the rule fails here.
func TestEUSceptics(t *testing.T) {
	sc, err := Get("kosovo-2007")
	if err != nil {
		t.Fatal(err)
	}
	w, err := recognition.LoadWorld()
	if err != nil {
		t.Fatal(err)
	}
	asOf, err := time.Parse(time.DateOnly, sc.AsOf)
	if err != nil {
		t.Fatal(err)
	}
	ownActor := map[string]string{"FRA": "france", "GBR": "uk", "DEU": "germany", "ITA": "italy"}

	// What the rule gives on the table, over all UN members.
	var got []string
	eu := 0
	for _, m := range institution.UNMembers() {
		if w.InBloc(m.ISO3, "EC", asOf) {
			eu++
		}
		if sceptic(w, m.ISO3, asOf, ownActor) {
			got = append(got, m.ISO3)
		}
	}
	slices.Sort(got)
	if want := []string{"BEL", "CYP", "ESP", "ROU", "SVK"}; !slices.Equal(got, want) || eu != 27 {
		t.Fatalf("the rule gives %v of %d EU members, want %v of 27", got, eu, want)
	}
	// The large members left out are in the table too (FRA, GBR): the
	// exception is what keeps them out, and they vote as their own actors.
	for iso3, id := range ownActor {
		if sc.Actor(id) == nil {
			t.Errorf("%s's own actor %q is missing", iso3, id)
		}
	}

	checked := map[string]int{}
	for _, in := range sc.Institutions {
		body, err := institution.Builtin(in.Builtin)
		if err != nil {
			t.Fatalf("%s: %v", in.ID, err)
		}
		euBody := in.Builtin == "eu-council" || in.Builtin == "eu-council-cfsp"
		var members []string
		for _, m := range body.Members {
			members = append(members, m.ID)
			actor := in.Actors[m.ID]
			var want string
			switch {
			case !w.InBloc(m.ID, "EC", asOf):
				if actor == "eu_sceptics" || actor == "eu" {
					t.Errorf("%s: %s is not an EU member on %s but votes with %s", in.ID, m.ID, sc.AsOf, actor)
				}
				continue
			case ownActor[m.ID] != "":
				want = ownActor[m.ID]
			case sceptic(w, m.ID, asOf, ownActor):
				want = "eu_sceptics"
			case euBody:
				want = "eu"
			default: // an EU member outside the EU's bodies may stay unmapped
				if actor == "eu_sceptics" {
					t.Errorf("%s: %s votes with eu_sceptics, which the rule does not give", in.ID, m.ID)
				}
				continue
			}
			if actor != want {
				t.Errorf("%s: %s votes with %q, want %q", in.ID, m.ID, actor, want)
			}
			if actor == "eu_sceptics" {
				checked[in.ID]++
			}
		}
		for _, id := range slices.Sorted(maps.Keys(in.Actors)) {
			if !slices.Contains(members, id) {
				t.Errorf("%s maps %s, not a member", in.ID, id)
			}
		}
	}
	if want := map[string]int{"unsc": 2, "eu-cfsp": 5, "eu-council": 5}; !maps.Equal(checked, want) {
		t.Errorf("members voting with eu_sceptics per body: %v, want %v", checked, want)
	}
}

// TestKosovoRecognitionSides checks that every patron of kosovo-2007's
// recognition stage is put on its side by a paragraph the stage cites (no
// state whose stance no source reports), and that recognition.Kosovo()
// uses the same sides.
func TestKosovoRecognitionSides(t *testing.T) {
	sc, err := Get("kosovo-2007")
	if err != nil {
		t.Fatal(err)
	}
	var st *scenario.Stage
	for i := range sc.Process.Stages {
		if sc.Process.Stages[i].Kind == "recognition" {
			st = &sc.Process.Stages[i]
		}
	}
	if st == nil {
		t.Fatal("no recognition stage")
	}
	// The paragraphs that put each patron on its side: Burns's promise to
	// recognise (Pravda.ru para. 14), "nearly all" EU states recognising
	// (FPIF para. 6) for the Contact Group's EU members (op-ed para. 5),
	// Lavrov's rejection (Pravda.ru para. 7).
	backing := map[string][]string{
		"USA": {"004/14"},
		"GBR": {"002/6", "000/5"}, "FRA": {"002/6", "000/5"}, "DEU": {"002/6", "000/5"}, "ITA": {"002/6", "000/5"},
		"RUS": {"004/7"},
	}
	cited := map[string]bool{}
	for _, e := range st.Evidence {
		cited[fmt.Sprintf("%s/%d", e.Source, e.Paragraph)] = true
	}
	for _, iso3 := range append(slices.Clone(st.Recognising), st.Opposing...) {
		refs, ok := backing[iso3]
		if !ok {
			t.Errorf("patron %s: no source paragraph puts it on a side", iso3)
		}
		for _, r := range refs {
			if !cited[r] {
				t.Errorf("patron %s: the stage does not cite %s", iso3, r)
			}
		}
	}
	k := recognition.Kosovo()
	if !slices.Equal(st.Recognising, k.Recognising) || !slices.Equal(st.Opposing, k.Opposing) || st.Parent != k.Parent {
		t.Errorf("scenario sides %v / %s / %v, recognition.Kosovo() %v / %s / %v",
			st.Recognising, st.Parent, st.Opposing, k.Recognising, k.Parent, k.Opposing)
	}
}
