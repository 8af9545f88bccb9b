package scenarios

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/parley-project/parley/scenario"
)

func TestBuiltinsValidate(t *testing.T) {
	for _, name := range Names() {
		if _, err := Get(name); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestKosovoIssues pins the issues of the built-in Kosovo scenario and the
// parties to each: an actor with no stance on an issue is not involved.
func TestKosovoIssues(t *testing.T) {
	sc, err := Get("kosovo-2007")
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		id      string
		parties []string
	}{
		{"status", nil}, // every actor
		{"serbia_eu", []string{"serbia", "usa", "eu"}},
		{"presence", []string{"kosovo_albanians", "serbia", "kosovo_serbs", "usa", "russia", "china", "eu", "uk", "france", "germany", "italy", "eu_sceptics", "nato", "un_sg", "ahtisaari"}},
		{"serb_rights", []string{"kosovo_albanians", "serbia", "kosovo_serbs", "usa", "russia", "eu", "nato", "ahtisaari"}},
		{"missile_defence", []string{"usa", "russia", "uk", "france", "germany", "italy", "nato"}},
		{"cfe", []string{"usa", "russia", "uk", "france", "germany", "italy", "nato"}},
	}
	if len(sc.Issues) != len(want) || len(sc.Actors) != 19 {
		t.Fatalf("%d issues and %d actors, want %d and 19", len(sc.Issues), len(sc.Actors), len(want))
	}
	for i, w := range want {
		is := sc.Issues[i]
		if is.ID != w.id {
			t.Errorf("issue %d is %q, want %q", i, is.ID, w.id)
			continue
		}
		if is.Min != 0 || is.Max != 100 || len(is.Anchors) < 3 {
			t.Errorf("%s: scale %v–%v with %d anchors, want 0–100 with at least 3", is.ID, is.Min, is.Max, len(is.Anchors))
		}
		var got []string
		for _, st := range sc.Stakeholders(is.ID) {
			got = append(got, st.ID)
		}
		if w.parties == nil {
			if len(got) != len(sc.Actors) {
				t.Errorf("%s: %d parties, want all %d actors", is.ID, len(got), len(sc.Actors))
			}
			continue
		}
		if !slices.Equal(got, w.parties) {
			t.Errorf("%s: parties %v, want %v (in file order)", is.ID, got, w.parties)
		}
	}
}

// TestKosovoEvidence checks that every capability, position and salience
// of the Kosovo scenario carries at least one piece of evidence with a
// paragraph number and a paraphrase.
func TestKosovoEvidence(t *testing.T) {
	sc, err := Get("kosovo-2007")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, a := range sc.Actors {
		check := func(what string, evidence int, paraOK bool) {
			n++
			if evidence == 0 || !paraOK {
				t.Errorf("%s %s: %d evidence entries (paragraphs given: %v)", a.ID, what, evidence, paraOK)
			}
		}
		c := a.Capability
		check("capability", len(c.Evidence), allParagraphs(c.Evidence))
		for _, issue := range slices.Sorted(maps.Keys(a.Stances)) {
			st := a.Stances[issue]
			check(issue+" position", len(st.Position.Evidence), allParagraphs(st.Position.Evidence))
			check(issue+" salience", len(st.Salience.Evidence), allParagraphs(st.Salience.Evidence))
		}
	}
	// 19 capabilities, 19 status stances and 47 linked-issue stances.
	if want := 19 + 2*(19+3+15+8+7+7); n != want {
		t.Errorf("checked %d numbers, want %d", n, want)
	}
}

// allParagraphs reports whether every entry names a paragraph and has a
// paraphrase.
func allParagraphs(ev []scenario.Evidence) bool {
	for _, e := range ev {
		if e.Paragraph < 1 || e.Text == "" || e.Source == "" {
			return false
		}
	}
	return true
}

// TestKosovoInferredNumbersHaveRanges checks issue 14's recoding: every
// number whose note says INFERRED, or whose evidence says the coded value
// is inferred or background knowledge, is marked inferred and carries its
// own range around the value, with the reason for the range in its note;
// and no number with direct evidence is marked.
func TestKosovoInferredNumbersHaveRanges(t *testing.T) {
	sc, err := Get("kosovo-2007")
	if err != nil {
		t.Fatal(err)
	}
	inferred, direct := 0, 0
	check := func(what string, n scenario.Number) {
		thin := strings.Contains(n.Note, "INFERRED")
		for _, e := range n.Evidence {
			l := strings.ToLower(e.Text + " " + n.Note)
			thin = thin || strings.Contains(l, "inferred") || strings.Contains(l, "background")
		}
		if !thin {
			direct++
			if n.Inferred || n.Spread() {
				t.Errorf("%s rests on direct evidence but is marked inferred or has a range", what)
			}
			return
		}
		inferred++
		if !n.Inferred || len(n.Range) != 2 || n.Range[0] >= n.Range[1] || n.Value < n.Range[0] || n.Value > n.Range[1] {
			t.Errorf("%s is inferred: want inferred: true and a range around %v, got %v %v", what, n.Value, n.Inferred, n.Range)
		}
		if !strings.Contains(n.Note, "Range ") || !strings.Contains(n.Note, "¶") && !strings.Contains(n.Note, "no source") && !strings.Contains(n.Note, "not reported") && !strings.Contains(n.Note, "background") {
			t.Errorf("%s: the note gives no reason for the range: %q", what, n.Note)
		}
	}
	for _, a := range sc.Actors {
		check(a.ID+" capability", a.Capability)
		for id, st := range a.Stances {
			check(a.ID+" position on "+id, st.Position)
			check(a.ID+" salience on "+id, st.Salience)
		}
	}
	if inferred != 61 || direct != 76 {
		t.Errorf("%d inferred and %d direct numbers, want 61 and 76 (docs/scenarios/kosovo-2007.md §6b)", inferred, direct)
	}
}
