// Package docs holds Parley's documentation; its test checks that every
// relative link in the README and the pages under docs/ leads somewhere.
package docs

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var (
	linkRE    = regexp.MustCompile(`\]\(([^)\s]+)\)`)
	headingRE = regexp.MustCompile(`(?m)^#{1,6} (.+)$`)
	fenceRE   = regexp.MustCompile("(?ms)^```.*?^```")
	dropRE    = regexp.MustCompile(`[^\p{L}\p{N}_\- ]`)
)

// anchors lists the heading anchors of a Markdown file as GitHub makes
// them (lower case, punctuation dropped, spaces as hyphens).
func anchors(text string) map[string]bool {
	out := map[string]bool{}
	for _, m := range headingRE.FindAllStringSubmatch(fenceRE.ReplaceAllString(text, ""), -1) {
		a := strings.ReplaceAll(dropRE.ReplaceAllString(strings.ToLower(strings.TrimSpace(m[1])), ""), " ", "-")
		out[a] = true
	}
	return out
}

// markdownFiles lists the README and every Markdown page under docs/.
func markdownFiles(t *testing.T) []string {
	t.Helper()
	files := []string{"../README.md"}
	err := filepath.WalkDir(".", func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestLinksResolve(t *testing.T) {
	files := markdownFiles(t)
	if len(files) < 20 {
		t.Fatalf("found %d Markdown files; want the README and the docs", len(files))
	}
	checked := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text := fenceRE.ReplaceAllString(string(data), "")
		for _, m := range linkRE.FindAllStringSubmatch(text, -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			path, frag, _ := strings.Cut(target, "#")
			dest := f
			if path != "" {
				dest = filepath.Join(filepath.Dir(f), path)
				if _, err := os.Stat(dest); err != nil {
					t.Errorf("%s: link %q: %v", f, target, err)
					continue
				}
			}
			checked++
			if frag == "" || !strings.HasSuffix(dest, ".md") {
				continue
			}
			body, err := os.ReadFile(dest)
			if err != nil {
				t.Errorf("%s: link %q: %v", f, target, err)
				continue
			}
			if !anchors(string(body))[frag] {
				t.Errorf("%s: link %q: no heading #%s in %s", f, target, frag, dest)
			}
		}
	}
	if checked < 50 {
		t.Errorf("only %d links checked", checked)
	}
}

var (
	docPathRE    = regexp.MustCompile(`(?:^|[^\w/.])(docs/[\w./-]*\.md)`)
	readmeSecRE  = regexp.MustCompile(`README(?:\.md)?(?:,? section|:) \*?([A-Z][\w ]*)`)
	backtickPath = regexp.MustCompile("`([A-Za-z0-9_][\\w.-]*(?:/[\\w.*-]+)+/?)`")
)

// TestReferencesResolve checks the references that are not Markdown links:
// a docs/….md page named in plain text, in the program's messages and
// help, or in the browser UI must exist; "README, section X" must name a
// heading of the README; and a path in backticks that starts with one of
// the repository's top-level folders (`model/smp/testdata/…`) must exist.
// docs/decisions.md and docs/performance.md are records of their time and
// are left out.
func TestReferencesResolve(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var headings []string
	for _, m := range headingRE.FindAllStringSubmatch(fenceRE.ReplaceAllString(string(readme), ""), -1) {
		headings = append(headings, strings.ToLower(m[1]))
	}
	tops := map[string]bool{}
	entries, err := os.ReadDir("..")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
			tops[e.Name()] = true
		}
	}
	checked := 0
	err = filepath.WalkDir("..", func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); p != ".." && (strings.HasPrefix(n, ".") || n == "testdata" || n == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		ext := filepath.Ext(p)
		isMD := ext == ".md"
		if !isMD && ext != ".go" && ext != ".js" && ext != ".html" || strings.HasSuffix(p, "_test.go") ||
			strings.HasSuffix(p, "decisions.md") || strings.HasSuffix(p, "performance.md") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		text := string(data)
		if isMD {
			text = fenceRE.ReplaceAllString(text, "")
		}
		for _, m := range docPathRE.FindAllStringSubmatch(text, -1) {
			checked++
			if _, err := os.Stat(filepath.Join("..", m[1])); err != nil {
				t.Errorf("%s names %s, which does not exist", p, m[1])
			}
		}
		for _, m := range readmeSecRE.FindAllStringSubmatch(text, -1) {
			checked++
			found := false
			for _, h := range headings {
				found = found || strings.HasPrefix(h, strings.ToLower(strings.TrimSpace(m[1])))
			}
			if !found {
				t.Errorf("%s names %q, but the README has no such section", p, m[0])
			}
		}
		if isMD {
			for _, m := range backtickPath.FindAllStringSubmatch(text, -1) {
				if !tops[strings.Split(m[1], "/")[0]] {
					continue
				}
				checked++
				if hits, _ := filepath.Glob(filepath.Join("..", m[1])); len(hits) == 0 {
					t.Errorf("%s names `%s`, which does not exist", p, m[1])
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 100 {
		t.Errorf("only %d references checked", checked)
	}
}

var tableRuleRE = regexp.MustCompile(`^\|[-| :]+\|$`)

// TestTablesWhole: a Markdown table row that follows a blank line after
// another table starts a new table, which needs its own header and rule;
// a row without them is shown as plain text with its bars (a table split
// by a stray blank line).
func TestTablesWhole(t *testing.T) {
	files := markdownFiles(t)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(fenceRE.ReplaceAllString(string(data), ""), "\n")
		for i := 0; i+2 < len(lines); i++ {
			if strings.HasPrefix(lines[i], "|") && strings.TrimSpace(lines[i+1]) == "" && strings.HasPrefix(lines[i+2], "|") &&
				(i+3 >= len(lines) || !tableRuleRE.MatchString(strings.TrimSpace(lines[i+3]))) {
				t.Errorf("%s: a table row after a blank line has no header rule under it: %.60s", f, lines[i+2])
			}
		}
	}
}
