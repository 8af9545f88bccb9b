package episodes

import (
	"testing"

	"github.com/parley-project/parley/internal/unmembers"
)

func known(code string) bool {
	for _, m := range unmembers.Members() {
		if m.ISO3 == code {
			return true
		}
	}
	return false
}

func TestAllParse(t *testing.T) {
	eps, err := All(known)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range eps {
		t.Logf("%s %s %d events", e.ID, e.Declared.Format("2006-01-02"), len(e.Events))
	}
}
