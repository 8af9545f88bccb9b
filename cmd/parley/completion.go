package main

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/parley-project/parley/backtest"
	"github.com/parley-project/parley/institution"
	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/model/recognition"
	"github.com/parley-project/parley/model/registry"
	"github.com/parley-project/parley/run"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/scenarios"
	"github.com/parley-project/parley/store"
)

// Shell completion of values ('parley completion bash|zsh|fish|powershell'
// writes the script): scenarios (built-in names and scenario files),
// models, variants of the --model given, parameter names and values,
// export formats, issues of the scenario given, run ids from the store,
// run kinds, voting bodies, UN members. addCompletions attaches them to
// the command tree by argument and flag name, so that a command gets them
// by declaring its arguments and flags as the others do.

// completions are the values of one argument or flag, each with an
// optional description (shown by zsh, fish and PowerShell).
type completions []string

func (c *completions) add(value, desc string) {
	if desc != "" {
		value += "\t" + firstLine(desc)
	}
	*c = append(*c, value)
}

// firstLine shortens a description to its first line and at most 60
// characters.
func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if r := []rune(s); len(r) > 60 {
		s = string(r[:59]) + "…"
	}
	return s
}

// described returns the names, each with the description desc gives.
func described(names []string, desc func(string) string) completions {
	var c completions
	for _, n := range names {
		c.add(n, desc(n))
	}
	return c
}

// matching keeps the completions that start with prefix.
func (c completions) matching(prefix string) []string {
	var out []string
	for _, v := range c {
		if strings.HasPrefix(v, prefix) {
			out = append(out, v)
		}
	}
	return out
}

type completeFunc = func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective)

const noFiles = cobra.ShellCompDirectiveNoFileComp

// addCompletions walks the command tree below root and attaches value
// completion to each command's arguments and flags.
func addCompletions(root *cobra.Command) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.ValidArgsFunction == nil {
			c.ValidArgsFunction = argsCompletion(c)
		}
		for name, f := range flagCompletions {
			if c.Flags().Lookup(name) != nil {
				if _, done := c.GetFlagCompletionFunc(name); !done {
					_ = c.RegisterFlagCompletionFunc(name, f)
				}
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// argsCompletion completes a command's positional arguments by the
// words of its Use line: SCENARIO, BODY, ID, RUN, FILE; nil leaves the
// shell's file completion.
func argsCompletion(c *cobra.Command) completeFunc {
	// Alternatives in parentheses, "(--proposal X | --power)", are flags.
	words := strings.Fields(regexp.MustCompile(`\([^)]*\)`).ReplaceAllString(c.Use, ""))
	var argWords []string
	for i := 1; i < len(words); i++ {
		w := words[i]
		if strings.HasPrefix(w, "-") {
			i++ // the flag's value
			continue
		}
		w = strings.Trim(w, "[].")
		if w == strings.ToUpper(w) || w == "deu3" {
			argWords = append(argWords, w)
		}
	}
	if len(argWords) == 0 && c.Runnable() {
		return func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) { return nil, noFiles }
	}
	return func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		i := len(args)
		if i >= len(argWords) {
			if !strings.HasSuffix(c.Use, "...") {
				return nil, noFiles
			}
			i = len(argWords) - 1
		}
		switch w := argWords[i]; {
		case w == "SCENARIO":
			return completeScenario(toComplete)
		case w == "BODY":
			return completeBodies(cmd, toComplete)
		case w == "ID" || w == "ID1" || w == "ID2" || w == "RUN":
			return completeRunIDs(cmd, args, toComplete)
		case w == "deu3":
			return []string{"deu3\tDEU III, EU legislative decisions"}, noFiles
		}
		return nil, cobra.ShellCompDirectiveDefault
	}
}

// scenarioExts are the extensions of the files completed as scenarios.
var scenarioExts = []string{".yaml", ".yml", ".json", ".csv", ".xml", ".txt", ".tsv"}

// completeScenario completes the built-in scenarios and scenario files
// (and folders) starting with toComplete.
func completeScenario(toComplete string) ([]string, cobra.ShellCompDirective) {
	out := described(scenarios.Names(), func(name string) string {
		if sc, err := scenarios.Get(name); err == nil {
			return sc.Title
		}
		return ""
	}).matching(toComplete)
	dir, base := filepath.Split(toComplete)
	entries, _ := os.ReadDir(cmp.Or(dir, "."))
	dirs := 0
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, base) || strings.HasPrefix(name, ".") && !strings.HasPrefix(base, ".") {
			continue
		}
		switch {
		case e.IsDir():
			out = append(out, dir+name+string(filepath.Separator))
			dirs++
		case slices.Contains(scenarioExts, strings.ToLower(filepath.Ext(name))):
			out = append(out, dir+name)
		}
	}
	if dirs == 1 && len(out) == 1 {
		return out, noFiles | cobra.ShellCompDirectiveNoSpace
	}
	return out, noFiles
}

// completeBodies completes the built-in voting bodies.
func completeBodies(_ *cobra.Command, toComplete string) ([]string, cobra.ShellCompDirective) {
	return described(institution.Builtins(), func(name string) string {
		if b, err := institution.Builtin(name); err == nil {
			return b.Name
		}
		return ""
	}).matching(toComplete), noFiles
}

// completeRunIDs completes the ids of the stored runs (the newest 100)
// in the store --db names, described by kind, scenario, model and date.
func completeRunIDs(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	loc, _ := cmd.Flags().GetString("db")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	resolved, err := store.Resolve(loc)
	if err != nil {
		return nil, noFiles
	}
	if !strings.Contains(resolved, "://") {
		if _, err := os.Stat(resolved); err != nil {
			return nil, noFiles // completing must not create a store
		}
	}
	s, err := store.Open(ctx, resolved)
	if err != nil {
		return nil, noFiles
	}
	defer s.Close()
	runs, err := s.List(ctx, store.Filter{Limit: 100})
	if err != nil {
		return nil, noFiles
	}
	var c completions
	for _, r := range runs {
		id := strconv.FormatInt(r.ID, 10)
		if slices.Contains(args, id) {
			continue
		}
		c.add(id, fmt.Sprintf("%s %s %s, %s", r.Kind, r.Scenario, r.Model, r.Created.Local().Format("2006-01-02 15:04")))
	}
	return c.matching(toComplete), noFiles | cobra.ShellCompDirectiveKeepOrder
}

// flagCompletions complete flags by name, wherever a command declares
// them.
var flagCompletions = map[string]completeFunc{
	"model":      completeModels,
	"variant":    completeVariants,
	"param":      completeParams(false),
	"param-dist": completeParams(true),
	"format":     completeFormats,
	"issue":      completeIssues,
	"issues":     argsList(scenarioIDs(false)),
	"actors":     argsList(scenarioIDs(true)),
	"kind": func(c *cobra.Command, a []string, s string) ([]string, cobra.ShellCompDirective) {
		return fixed(run.Kinds()...)(c, a, s)
	},
	"scenario": func(_ *cobra.Command, _ []string, s string) ([]string, cobra.ShellCompDirective) {
		return completeScenario(s)
	},
	"models":         commaList(modelVariants),
	"capabilities":   commaList(func() []string { return []string{"equal", "votes", "gdp"} }),
	"learned":        commaList(func() []string { return append([]string{"all", "none"}, backtest.LearnerNames()...) }),
	"recognising":    commaList(unMembers),
	"opposing":       commaList(unMembers),
	"initial":        commaList(unMembers),
	"parent":         commaList(unMembers),
	"rounds":         nothing,
	"draws":          nothing,
	"seed":           nothing,
	"workers":        nothing,
	"width":          nothing,
	"epsilon":        nothing,
	"stable":         nothing,
	"limit":          nothing,
	"samples":        nothing,
	"top":            nothing,
	"bins":           nothing,
	"proposal":       nothing,
	"status-quo":     nothing,
	"position-sd":    nothing,
	"salience-sd":    nothing,
	"capability-sd":  nothing,
	"dropout":        nothing,
	"entity":         nothing,
	"token":          nothing,
	"addr":           nothing,
	"start":          nothing,
	"start-latest":   nothing,
	"end":            nothing,
	"by":             nothing,
	"position-range": nothing,
	"salience-range": nothing,
}

// nothing completes a flag whose value is typed (a number, a date):
// no suggestions and no files.
func nothing(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return nil, noFiles
}

// fixed completes one of the values given.
func fixed(values ...string) completeFunc {
	return func(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		return completions(values).matching(toComplete), noFiles
	}
}

// commaList completes the last element of a comma-separated list.
func commaList(values func() []string) completeFunc {
	return argsList(func([]string) completions { return values() })
}

// argsList completes the last element of a list separated by "," (or
// ";") with the values the command's arguments give, leaving out those
// the list already holds.
func argsList(values func(args []string) completions) completeFunc {
	return func(_ *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		head := ""
		if i := strings.LastIndexAny(toComplete, ",;"); i >= 0 {
			head, toComplete = toComplete[:i+1], toComplete[i+1:]
		}
		given := strings.FieldsFunc(head, func(r rune) bool { return r == ',' || r == ';' })
		var out []string
		for _, v := range values(args).matching(toComplete) {
			if id, _, _ := strings.Cut(v, "\t"); !slices.Contains(given, id) {
				out = append(out, head+v)
			}
		}
		return out, noFiles | cobra.ShellCompDirectiveNoSpace
	}
}

func unMembers() []string {
	var out []string
	for _, m := range institution.UNMembers() {
		out = append(out, m.ISO3+"\t"+m.Name)
	}
	return out
}

// modelVariants lists every model and model:variant.
func modelVariants() []string {
	var out []string
	for _, m := range registry.Default().All() {
		info := m.Info()
		out = append(out, info.Name)
		for _, v := range info.Variants {
			out = append(out, info.Name+":"+v.Name)
		}
	}
	return out
}

func completeModels(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	var c completions
	for _, m := range registry.Default().All() {
		c.add(m.Info().Name, m.Info().Description)
	}
	return c.matching(toComplete), noFiles
}

// chosenModel is the model the command's --model names (its default when
// not given), or nil.
func chosenModel(cmd *cobra.Command) model.Model {
	name, err := cmd.Flags().GetString("model")
	if err != nil {
		return nil
	}
	m, err := registry.Default().Get(name)
	if err != nil {
		return nil
	}
	return m
}

func completeVariants(cmd *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	m := chosenModel(cmd)
	if m == nil {
		return nil, noFiles
	}
	var c completions
	for _, v := range m.Info().Variants {
		c.add(v.Name, v.Description)
	}
	return c.matching(toComplete), noFiles
}

// completeParams completes NAME= with the parameters of the --model
// given (floatOnly: its real-valued ones, for --param-dist; under 'parley
// recognition', the recognition model's), and after the '=' the values of
// an enumeration or boolean parameter.
func completeParams(floatOnly bool) completeFunc {
	return func(cmd *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		var c completions
		if cmd.Name() == "recognition" {
			for _, n := range recognition.ParamNames {
				c.add(n+"=", "")
			}
			return c.matching(toComplete), noFiles | cobra.ShellCompDirectiveNoSpace
		}
		m := chosenModel(cmd)
		if m == nil {
			return nil, noFiles
		}
		params := m.Info().Params
		if name, _, ok := strings.Cut(toComplete, "="); ok {
			i := slices.IndexFunc(params, func(p model.Param) bool { return p.Name == name })
			if i < 0 || floatOnly {
				return nil, noFiles
			}
			switch p := params[i]; p.Kind {
			case model.Enum:
				for _, v := range p.Values {
					c.add(name+"="+v.Name, strings.Join(v.Aliases, ", "))
				}
			case model.Bool:
				c.add(name+"=true", "")
				c.add(name+"=false", "")
			}
			return c.matching(toComplete), noFiles
		}
		for _, p := range params {
			if !floatOnly || p.Kind == model.Float {
				c.add(p.Name+"=", p.Description)
			}
		}
		return c.matching(toComplete), noFiles | cobra.ShellCompDirectiveNoSpace
	}
}

// completeFormats completes an export's file formats, or the output
// formats of a command that prints a run.
func completeFormats(cmd *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	var c completions
	if cmd.Name() == "export" {
		for _, e := range scenario.Exporters {
			c.add(e.Name, e.Desc)
		}
	} else {
		for _, f := range outputFormats {
			c.add(f.name, f.desc)
		}
	}
	return c.matching(toComplete), noFiles
}

// completeIssues completes the ids of the issues of the scenario given
// as the command's argument (kosovo-2007 when none).
func completeIssues(_ *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	return scenarioIDs(false)(args).matching(toComplete), noFiles
}

// argScenario is the scenario the command's arguments name (the last
// built-in name or file among them), or nil.
func argScenario(args []string) *scenario.Scenario {
	arg := ""
	for _, a := range args {
		if _, err := scenarios.Get(a); err == nil {
			arg = a
		} else if fi, err := os.Stat(a); err == nil && !fi.IsDir() {
			arg = a
		}
	}
	sc, err := scenarios.Resolve(arg)
	if err != nil {
		return nil
	}
	return sc
}

// scenarioIDs lists the ids of the issues, or of the actors, of the
// scenario the command's arguments name, each with its name.
func scenarioIDs(actors bool) func(args []string) completions {
	return func(args []string) completions {
		sc := argScenario(args)
		if sc == nil {
			return nil
		}
		var c completions
		if actors {
			for _, a := range sc.Actors {
				c.add(a.ID, a.DisplayName())
			}
		} else {
			for _, is := range sc.Issues {
				c.add(is.ID, is.DisplayName())
			}
		}
		return c
	}
}
