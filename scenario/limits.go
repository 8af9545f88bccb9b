package scenario

import (
	"fmt"
	"io"
	"os"
	"strconv"

	"gopkg.in/yaml.v3"
)

// MaxDepth is how deeply the mappings and sequences of a YAML or JSON
// scenario, or the elements of a KTAB XML file, may nest. A scenario
// needs about ten levels (the evidence of a process stage's number is the
// deepest); the bound keeps a hostile file from exhausting the stack or
// the memory of the readers, which would otherwise follow it down. CSV,
// BDM CSV and Decide files are flat: a row holds fields, nothing nests.
const MaxDepth = 64

// MaxKeys is the most keys one mapping of a YAML or JSON scenario may
// hold: an actor's stances are a mapping keyed by issue, so it is also the
// most issues one actor takes a position on. The YAML decoder compares
// every key of a mapping with every other to refuse duplicates, so a
// mapping of k keys costs k²/2 comparisons: 50,000 stances of one actor
// took 32 s to read, 100,000 (within DefaultMaxCells) minutes, in a parse
// no request's deadline stops. 10,000 keys take about 0.1 s.
const MaxKeys = 10_000

// MaxProblems is the most problems a parse reports; a file with more
// gets the first MaxProblems and one more problem saying how many were
// left out.
const MaxProblems = 1000

// Defaults of Limits.
const (
	// DefaultMaxBytes is the largest file Load reads: 64 MiB, eight times
	// the largest scenario the web server accepts by default.
	DefaultMaxBytes = 64 << 20
	// DefaultMaxCells bounds actors × issues: 100,000 stances, such as
	// 10,000 actors on 10 issues.
	DefaultMaxCells = 100_000
	// DefaultMaxValues bounds the values (mappings, sequences, keys and
	// scalars) of a YAML or JSON file, and the elements of an XML file:
	// 2,000,000, room for a scenario at DefaultMaxCells with evidence.
	DefaultMaxValues = 2_000_000
)

// Limits bound what the readers accept, so that a hostile or mistaken file
// ends with a clear problem instead of exhausting memory or time. Zero
// fields take the defaults.
type Limits struct {
	// MaxBytes is the largest file Load reads; it stops reading there.
	MaxBytes int64
	// MaxCells is the most actors × issues (stances that can be coded) a
	// scenario may have.
	MaxCells int
	// MaxValues is the most values a YAML or JSON file, or elements an
	// XML file, may hold.
	MaxValues int
}

// DefaultLimits are the limits Parse and Load apply.
var DefaultLimits = Limits{MaxBytes: DefaultMaxBytes, MaxCells: DefaultMaxCells, MaxValues: DefaultMaxValues}

// withDefaults fills in the zero fields.
func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxCells <= 0 {
		l.MaxCells = DefaultMaxCells
	}
	if l.MaxValues <= 0 {
		l.MaxValues = DefaultMaxValues
	}
	return l
}

// TooLargeError is returned when an input is larger than the limit; no
// more than the limit (and one byte) was read.
type TooLargeError struct {
	Name  string
	Limit int64
}

func (e *TooLargeError) Error() string { return e.Name + ": " + TooLargeMsg(e.Limit) }

// TooLargeMsg is the problem of an input larger than limit bytes.
func TooLargeMsg(limit int64) string {
	return "larger than the input limit of " + FormatBytes(limit)
}

// ReadAll reads r up to limit bytes; a longer input is refused with a
// *TooLargeError after reading limit+1 bytes, however long it is (a
// device such as /dev/zero never ends).
func ReadAll(r io.Reader, name string, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, &TooLargeError{Name: name, Limit: limit}
	}
	return data, nil
}

// ReadFile reads the file at path up to limit bytes (see ReadAll).
func ReadFile(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() && fi.Size() > limit {
		return nil, &TooLargeError{Name: path, Limit: limit} // nothing to read to know
	}
	return ReadAll(f, path, limit)
}

// FormatBytes writes a byte count in the largest binary unit that divides
// it (64 MiB, 8 KiB, 1000 bytes).
func FormatBytes(n int64) string {
	for _, u := range []struct {
		shift uint
		name  string
	}{{30, "GiB"}, {20, "MiB"}, {10, "KiB"}} {
		if n > 0 && n%(1<<u.shift) == 0 {
			return strconv.FormatInt(n>>u.shift, 10) + " " + u.name
		}
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// CheckCells reports a scenario of more actors × issues than the limit;
// the product is computed without overflow.
func CheckCells(actors, issues, limit int) error {
	if actors > 0 && issues > 0 && (actors > limit || issues > limit/actors) {
		return fmt.Errorf("%d actors × %d issues is more than the limit of %d stances", actors, issues, limit)
	}
	return nil
}

// errTooDeep is the problem of a value nested deeper than MaxDepth.
var errTooDeep = fmt.Errorf("nested more than %d levels deep", MaxDepth)

// errTooManyKeys is the problem of a mapping of more than MaxKeys keys.
var errTooManyKeys = fmt.Errorf("a mapping of more than %d keys; one mapping holds at most that many (an actor's stances: at most %d issues)", MaxKeys, MaxKeys)

// checkTree walks a YAML node tree (of a YAML file, or of a JSON file
// read by jsonToNode) and reports the first node nested deeper than
// MaxDepth, a mapping of more than MaxKeys keys and a tree of more than
// maxValues nodes, with the line and
// the field path. It never descends further than MaxDepth.
func checkTree(root *yaml.Node, maxValues int) Problems {
	count := 0
	var walk func(n *yaml.Node, path string, depth int) Problems
	walk = func(n *yaml.Node, path string, depth int) Problems {
		count++
		if count > maxValues {
			return Problems{{Line: n.Line, Field: path, Msg: fmt.Sprintf("more than %d values; a scenario file holds at most that many", maxValues)}}
		}
		if n.Kind != yaml.MappingNode && n.Kind != yaml.SequenceNode && n.Kind != yaml.DocumentNode {
			return nil
		}
		if depth > MaxDepth {
			return Problems{{Line: n.Line, Field: path, Msg: errTooDeep.Error()}}
		}
		if n.Kind == yaml.MappingNode && len(n.Content)/2 > MaxKeys {
			return Problems{{Line: n.Line, Field: path, Msg: errTooManyKeys.Error()}}
		}
		for i, c := range n.Content {
			p := path
			switch {
			case n.Kind == yaml.SequenceNode:
				p = fmt.Sprintf("%s[%d]", path, i)
			case n.Kind == yaml.MappingNode && i%2 == 1:
				p = joinPath(path, n.Content[i-1].Value)
			}
			if ps := walk(c, p, depth+1); ps != nil {
				return ps
			}
		}
		return nil
	}
	return walk(root, "", 1)
}

// capProblems keeps the first MaxProblems problems and says how many more
// there were.
func capProblems(ps Problems) Problems {
	if len(ps) <= MaxProblems {
		return ps
	}
	more := len(ps) - MaxProblems
	ps = append(ps[:MaxProblems:MaxProblems], Problem{File: ps[0].File, Msg: fmt.Sprintf("and %d more problems (only the first %d are listed)", more, MaxProblems)})
	return ps
}
