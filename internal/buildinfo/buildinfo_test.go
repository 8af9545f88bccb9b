package buildinfo

import (
	"runtime/debug"
	"testing"
)

func TestFrom(t *testing.T) {
	vcs := func(rev, when, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "-compiler", Value: "gc"}, {Key: "vcs", Value: "git"},
			{Key: "vcs.revision", Value: rev}, {Key: "vcs.time", Value: when}, {Key: "vcs.modified", Value: modified}}
	}
	cases := []struct {
		name   string
		bi     *debug.BuildInfo
		linked string
		want   string
	}{
		{"nothing known", nil, "", "dev"},
		{"link-time version only", nil, "v0.9.0", "v0.9.0"},
		{"go test or go run", &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "(devel)"}}, "", "dev"},
		{"go build in a clean checkout", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"},
			Settings: vcs("53b712c1a2b3d4e5f60718293a4b5c6d7e8f9012", "2026-03-01T12:34:56Z", "false")}, "",
			"dev (commit 53b712c1a2b3, 2026-03-01 12:34 UTC)"},
		{"go build with uncommitted changes", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"},
			Settings: vcs("53b712c1a2b3d4e5f60718293a4b5c6d7e8f9012", "2026-03-01T13:34:56+01:00", "true")}, "",
			"dev (commit 53b712c1a2b3, 2026-03-01 12:34 UTC, modified)"},
		{"go install module@version", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.0"}}, "", "v1.2.0"},
		{"go install module@commit", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20260301123456-53b712c1a2b3"}}, "dev",
			"v0.0.0-20260301123456-53b712c1a2b3"},
		{"Go 1.24+ build of a tagged checkout", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.0"},
			Settings: vcs("53b712c1a2b3d4e5f60718293a4b5c6d7e8f9012", "2026-03-01T12:34:56Z", "false")}, "",
			"v1.2.0 (commit 53b712c1a2b3, 2026-03-01 12:34 UTC)"},
	}
	for _, c := range cases {
		if got := From(c.bi, c.linked).String(); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

func TestFromFields(t *testing.T) {
	in := From(&debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "(devel)"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "abc"}, {Key: "vcs.time", Value: "not a time"}, {Key: "vcs.modified", Value: "true"}}}, "")
	if in.Version != "dev" || in.Revision != "abc" || !in.Time.IsZero() || !in.Modified || in.Go != "go1.26.0" {
		t.Errorf("got %+v", in)
	}
	if got := in.String(); got != "dev (commit abc, modified)" {
		t.Errorf("String = %q", got)
	}
}

// The test binary carries build information (Main.Version "(devel)" or
// empty); Read must not fail on it.
func TestRead(t *testing.T) {
	if in := Read("v9"); in.Version == "" {
		t.Errorf("Read gave no version: %+v", in)
	}
}
