// Package scenarios embeds Parley's built-in scenarios and resolves a
// command-line argument to a scenario: a file path or a built-in name.
package scenarios

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"

	"github.com/parley-project/parley/scenario"
)

//go:embed *.yaml
var files embed.FS

// Default is the scenario used when none is named.
const Default = "kosovo-2007"

// Names lists the built-in scenarios.
func Names() []string {
	entries, _ := fs.Glob(files, "*.yaml")
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = strings.TrimSuffix(e, ".yaml")
	}
	slices.Sort(names)
	return names
}

// Source returns the file text of a built-in scenario.
func Source(name string) ([]byte, error) {
	data, err := files.ReadFile(name + ".yaml")
	if err != nil {
		return nil, fmt.Errorf("no built-in scenario %q (have %s)", name, strings.Join(Names(), ", "))
	}
	return data, nil
}

// Get parses a built-in scenario, with the further checks given (see
// scenario.Parse).
func Get(name string, checks ...scenario.Check) (*scenario.Scenario, error) {
	data, err := Source(name)
	if err != nil {
		return nil, err
	}
	return scenario.Parse(data, name+".yaml", checks...)
}

// Resolve loads arg as a file if one exists at that path, else as a
// built-in scenario name; "" means Default. The further checks given run
// as scenario.Parse runs them.
func Resolve(arg string, checks ...scenario.Check) (*scenario.Scenario, error) {
	return ResolveWithin(scenario.DefaultLimits, arg, checks...)
}

// ResolveWithin is Resolve with a file read within the limits l.
func ResolveWithin(l scenario.Limits, arg string, checks ...scenario.Check) (*scenario.Scenario, error) {
	if arg == "" {
		arg = Default
	}
	if _, err := os.Stat(arg); err == nil {
		return l.Load(arg, checks...)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("reading scenario: %w", err)
	}
	if slices.Contains(Names(), arg) {
		return Get(arg, checks...)
	}
	return nil, fmt.Errorf("no file and no built-in scenario named %q (built-ins: %s)", arg, strings.Join(Names(), ", "))
}
