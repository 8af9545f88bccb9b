package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// allCommands lists cmd and every command under it.
func allCommands(cmd *cobra.Command) []*cobra.Command {
	out := []*cobra.Command{cmd}
	for _, c := range cmd.Commands() {
		out = append(out, allCommands(c)...)
	}
	return out
}

// TestHelpDefaultsOnce: no flag's help line states its default twice (a
// usage text that says "(default …)" itself while cobra appends another).
func TestHelpDefaultsOnce(t *testing.T) {
	for _, c := range allCommands(newRoot()) {
		args := append(strings.Fields(c.CommandPath())[1:], "--help")
		code, out, errs := parley(args...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", strings.Join(args, " "), code, errs)
		}
		for _, line := range strings.Split(out, "\n") {
			if strings.Count(line, "(default") > 1 {
				t.Errorf("parley %s: a flag gives its default twice:\n%s", strings.Join(args, " "), line)
			}
		}
	}
}

var (
	docFenceRE  = regexp.MustCompile("(?ms)^```[a-z]*\n(.*?)^```")
	docInlineRE = regexp.MustCompile("`(parley [^`]+)`")
	docFlagRE   = regexp.MustCompile(`(?:^|\s|\[)(--[a-z][a-z0-9-]*)`)
)

// docCommands returns the parley command lines a Markdown text shows: the
// lines of its code blocks that run parley (after a "$ " prompt, a
// "VAR=… " prefix or "source <(" too) and its inline code spans that start
// with "parley ".
func docCommands(text string) []string {
	var out []string
	for _, m := range docFenceRE.FindAllStringSubmatch(text, -1) {
		for _, line := range strings.Split(m[1], "\n") {
			if i := strings.Index(line, "parley "); i >= 0 {
				pre := strings.TrimSpace(line[:i])
				if pre == "" || pre == "$" || pre == "source <(" || strings.HasSuffix(pre, "=") || regexp.MustCompile(`^(\$ )?[A-Z_]+=\S+$`).MatchString(pre) {
					out = append(out, line[i:])
				}
			}
		}
	}
	for _, m := range docInlineRE.FindAllStringSubmatch(docFenceRE.ReplaceAllString(text, ""), -1) {
		out = append(out, m[1])
	}
	return out
}

// TestDocumentedFlagsExist: every --flag that the README and docs/ show
// on a parley command line is a flag of that command, and the command
// exists, so that a reader who types what the pages show is not told
// "unknown flag".
func TestDocumentedFlagsExist(t *testing.T) {
	files := []string{"../../README.md"}
	for _, pat := range []string{"../../docs/*.md", "../../docs/*/*.md"} {
		m, err := filepath.Glob(pat)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	root := newRoot()
	root.InitDefaultCompletionCmd() // cobra adds it when the command runs
	checked := 0
	for _, f := range files {
		if strings.HasSuffix(f, "decisions.md") || strings.HasSuffix(f, "performance.md") {
			continue // records of how things were, not instructions
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range docCommands(string(data)) {
			// The command line ends at a comment, a pipe, a redirection or
			// the next command.
			for _, stop := range []string{" #", " |", " &&", ";", " >", " <", ")"} {
				if i := strings.Index(line, stop); i >= 0 {
					line = line[:i]
				}
			}
			words := strings.Fields(line)[1:]
			cmd, rest, err := root.Find(words)
			if err != nil || cmd == root && len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
				t.Errorf("%s: %q: no such command", f, line)
				continue
			}
			for _, m := range docFlagRE.FindAllStringSubmatch(line, -1) {
				name := strings.TrimPrefix(m[1], "--")
				if cmd.Flag(name) == nil && cmd.InheritedFlags().Lookup(name) == nil && name != "help" {
					t.Errorf("%s: %q: parley %s has no flag --%s", f, line, strings.Join(strings.Fields(cmd.CommandPath())[1:], " "), name)
				}
				checked++
			}
		}
	}
	t.Logf("%d documented flags checked", checked)
	if checked < 100 {
		t.Errorf("only %d documented flags checked", checked)
	}
}
