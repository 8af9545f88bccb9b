package process

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/model/recognition"
	"github.com/parley-project/parley/model/registry"
	"github.com/parley-project/parley/scenario"
)

// Check reports what a scenario's process names that the scenario package
// cannot check and Run would refuse: a talks stage's unknown model, a
// variant or parameter the model does not have, and a recognition stage's
// patron or initial recogniser that is not a UN member in the recognition
// data (model/recognition), a state named on both sides under two names,
// or a horizon longer than the recognition model takes. Fields are named
// by path as scenario.Validate names them, so passing Check to
// scenario.Parse or scenario.Load reports each problem at its line:
//
//	kosovo.yaml:1494: process.stages[0].model: unknown model "eumm" (have ...)
//
// Problems that scenario.Validate reports (a missing model name, a
// literal name on both sides) are left to it. Models are looked up in reg,
// the registry Run will be given (nil: registry.Default()).
func Check(reg *model.Registry) scenario.Check {
	if reg == nil {
		reg = registry.Default()
	}
	return func(sc *scenario.Scenario) scenario.Problems {
		if sc == nil || sc.Process == nil {
			return nil
		}
		var ps scenario.Problems
		for i := range sc.Process.Stages {
			ps = append(ps, CheckStage(sc, i, &sc.Process.Stages[i], reg)...)
		}
		return ps
	}
}

// CheckStage reports Check's problems of one stage, st, with the models of
// reg (nil: registry.Default()), checked in place
// of the process's i-th stage (its fields named process.stages[i]…): a
// caller that overrides some of a stage's settings checks a copy with
// them cleared, so only what it takes from the file is reported there.
func CheckStage(sc *scenario.Scenario, i int, st *scenario.Stage, reg *model.Registry) scenario.Problems {
	if sc == nil || sc.Process == nil || st == nil {
		return nil
	}
	if reg == nil {
		reg = registry.Default()
	}
	var ps scenario.Problems
	add := func(field string, err error) {
		ps = append(ps, scenario.Problem{File: sc.File, Field: field, Msg: err.Error()})
	}
	f := fmt.Sprintf("process.stages[%d]", i)
	switch st.Kind {
	case scenario.StageTalks:
		checkTalks(reg, st, f, add)
	case scenario.StageRecognition:
		checkRecognition(sc.Process, st, f, add)
	}
	return ps
}

// checkTalks checks a talks stage's model, variant and parameters as Run
// resolves them (reg, model.Resolve), each parameter at its own field.
func checkTalks(reg *model.Registry, st *scenario.Stage, f string, add func(string, error)) {
	if st.Model == "" {
		return
	}
	m, err := reg.Get(st.Model)
	if err != nil {
		add(f+".model", err)
		return
	}
	info := m.Info()
	if _, err := model.Resolve(info, model.Options{Variant: st.Variant}); err != nil {
		add(f+".variant", err)
	}
	for _, k := range slices.Sorted(maps.Keys(st.Params)) {
		if _, err := model.Resolve(info, model.Options{Params: model.Params{k: st.Params[k]}}); err != nil {
			add(f+".params."+k, err)
		}
	}
}

// checkRecognition resolves a recognition stage's states as the
// recognition model does (recognition.Lookup).
func checkRecognition(p *scenario.Process, st *scenario.Stage, f string, add func(string, error)) {
	states, err := recognition.States()
	if err != nil {
		add(f, err)
		return
	}
	side := map[int]string{}
	for _, list := range []struct {
		name  string
		names []string
	}{{"parent", parentList(st)}, {"recognising", st.Recognising}, {"opposing", st.Opposing}, {"initial", st.Initial}} {
		for j, name := range list.names {
			field := fmt.Sprintf("%s.%s[%d]", f, list.name, j)
			if list.name == "parent" {
				field = f + ".parent"
			}
			k, err := recognition.Lookup(states, name)
			if err != nil {
				add(field, err)
				continue
			}
			state := fmt.Sprintf("%q", name)
			if iso := states[k].ISO3; iso != name {
				state += " (" + iso + ")"
			}
			switch prev := side[k]; {
			case list.name == "opposing" && prev == "recognising" && !slices.Contains(st.Recognising, name):
				// The same name on both sides is scenario.Validate's to report.
				add(field, fmt.Errorf("%s is also among the recognising patrons", state))
			case list.name == "initial" && prev == "opposing":
				add(field, fmt.Errorf("%s is a patron of the opposing side, which never recognises", state))
			case prev == "parent" && list.name != "initial" && name != st.Parent:
				// The same name as the parent is scenario.Validate's to report.
				add(field, fmt.Errorf("%s is also the parent state", state))
			case list.name == "initial" && prev == "parent":
				add(field, fmt.Errorf("%s is the parent state, which never recognises", state))
			case prev == "":
				side[k] = list.name
			}
		}
	}
	after := p.Stage(st.After)
	if after == nil {
		return
	}
	start, err1 := time.Parse(time.DateOnly, after.FirstDate())
	end, err2 := time.Parse(time.DateOnly, st.Until)
	if err1 == nil && err2 == nil && end.After(start.AddDate(recognition.MaxYears, 0, 0)) {
		add(f+".until", fmt.Errorf("until %s is more than %d years after the %s stage (%s)", st.Until, recognition.MaxYears, st.After, after.FirstDate()))
	}
}

// parentList is the stage's parent as a list of zero or one names.
func parentList(st *scenario.Stage) []string {
	if st.Parent == "" {
		return nil
	}
	return []string{st.Parent}
}
