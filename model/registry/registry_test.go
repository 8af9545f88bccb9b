package registry

import (
	"strings"
	"testing"

	"github.com/parley-project/parley/model"
)

func TestDefaultRegistry(t *testing.T) {
	r := Default()
	seen := map[string]bool{}
	for _, m := range r.All() {
		info := m.Info()
		if info.Name == "" || info.Description == "" {
			t.Errorf("model %+v lacks a name or description", info)
		}
		if seen[info.Name] {
			t.Errorf("model %q registered twice", info.Name)
		}
		seen[info.Name] = true
		got, err := r.Get(info.Name)
		if err != nil || got.Info().Name != info.Name {
			t.Errorf("Get(%q) = %v, %v", info.Name, got, err)
		}
		if _, err := model.Resolve(info, model.Options{}); err != nil {
			t.Errorf("%s: default options rejected: %v", info.Name, err)
		}
		if err := model.CheckInfo(info); err != nil {
			t.Errorf("declarations: %v", err)
		}
	}
	for _, name := range []string{"mean", "median", "condorcet", "eum"} {
		if !seen[name] {
			t.Errorf("model %q missing", name)
		}
	}
	if _, err := r.Get(DefaultModel); err != nil {
		t.Errorf("the default model: %v", err)
	}
	_, err := r.Get("nosuch")
	if err == nil || !strings.Contains(err.Error(), `unknown model "nosuch"`) || !strings.Contains(err.Error(), "eum") {
		t.Errorf("Get(nosuch) error = %v, want it to name the known models", err)
	}
}
