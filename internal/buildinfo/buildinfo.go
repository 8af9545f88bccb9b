// Package buildinfo names the build of Parley a binary was made from, from
// what the Go toolchain stamps into every binary (runtime/debug.BuildInfo):
// the module version when installed with 'go install module@version', and
// the commit, its date and whether the work tree had uncommitted changes
// when built from a git checkout ('go build', 'go install ./cmd/parley').
package buildinfo

import (
	"runtime/debug"
	"time"
)

// Info describes one build.
type Info struct {
	// Version is the module version ("v1.2.0", or a pseudo-version such
	// as "v0.0.0-20260301120000-53b712c1a2b3" for 'go install …@commit'),
	// else the version set at link time, else "dev".
	Version string `json:"version"`
	// Revision is the full commit hash of a build from a checkout, "" when
	// Go recorded none ('go run', 'go test', a module download).
	Revision string `json:"revision,omitempty"`
	// Time is the commit's time, "" when unknown.
	Time time.Time `json:"time,omitzero"`
	// Modified reports uncommitted changes in the checkout built.
	Modified bool `json:"modified,omitempty"`
	// Go is the toolchain that built the binary.
	Go string `json:"go,omitempty"`
}

// Read returns the running binary's build; linked is the version set at
// link time (-ldflags "-X main.version=…"), "" or "dev" when none.
func Read(linked string) Info {
	bi, _ := debug.ReadBuildInfo()
	return From(bi, linked)
}

// From returns the build bi describes (nil: nothing known).
func From(bi *debug.BuildInfo, linked string) Info {
	in := Info{Version: "dev"}
	if linked != "" {
		in.Version = linked
	}
	if bi == nil {
		return in
	}
	in.Go = bi.GoVersion
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		in.Version = v
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			in.Revision = s.Value
		case "vcs.time":
			if t, err := time.Parse(time.RFC3339, s.Value); err == nil {
				in.Time = t.UTC()
			}
		case "vcs.modified":
			in.Modified = s.Value == "true"
		}
	}
	return in
}

// String is the one-line name of the build that stored runs record and
// 'parley --version' prints: the version, then the commit's first 12
// digits, its date and "modified" when known, for example
// "dev (commit 53b712c1a2b3, 2026-03-01 12:00 UTC, modified)".
func (in Info) String() string {
	s := in.Version
	if in.Revision == "" {
		return s
	}
	rev := in.Revision
	if len(rev) > 12 {
		rev = rev[:12]
	}
	s += " (commit " + rev
	if !in.Time.IsZero() {
		s += ", " + in.Time.Format("2006-01-02 15:04 UTC")
	}
	if in.Modified {
		s += ", modified"
	}
	return s + ")"
}
