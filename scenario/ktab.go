package scenario

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// KTAB holds what only KTAB's file formats carry: the model parameters
// and the seed of KTAB's XML files, and its ideal-adjustment pairs.
type KTAB struct {
	// Parameters maps a KTAB <ModelParameters> element name (for example
	// VotingRule) to its value name (for example Prop). KTABParameters
	// lists the names.
	Parameters map[string]string `yaml:"parameters,omitempty" json:"parameters,omitempty"`
	// Seed is KTAB's prngSeed, kept as written.
	Seed string `yaml:"seed,omitempty" json:"seed,omitempty"`
	// IdealAdjustment lists how far each actor's ideal point follows
	// another actor's position (KTAB's iaPair; absent pairs are 1 for an
	// actor itself and 0 otherwise).
	IdealAdjustment []IdealAdjust `yaml:"ideal_adjustment,omitempty" json:"ideal_adjustment,omitempty"`
}

// IdealAdjust is one of KTAB's iaPair entries.
type IdealAdjust struct {
	Actor     string  `yaml:"actor" json:"actor"`
	Reference string  `yaml:"reference" json:"reference"`
	Adjust    float64 `yaml:"adjust" json:"adjust"`
}

// KTABParameter is one of KTAB's nine model parameters: its element name
// and its value names in KTAB's enumeration order.
type KTABParameter struct {
	Name   string
	Values []string
}

// KTABParameters lists KTAB's model parameters in the order of KTAB's
// <ModelParameters> element and of its model-parameter vector.
var KTABParameters = []KTABParameter{
	{"VictoryProbModel", []string{"Linear", "Square", "Quartic", "Octic", "Binary"}},
	{"PCEModel", []string{"Conditional", "MarkovIncentive", "MarkovUniform"}},
	{"StateTransitions", []string{"Deterministic", "Stochastic"}},
	{"VotingRule", []string{"Binary", "PropBin", "Prop", "PropCbc", "Cubic", "ASymProsp"}},
	{"BigRAdjust", []string{"None", "OneThird", "Half", "TwoThirds", "Full"}},
	{"BigRRange", []string{"Min", "Mid", "Max"}},
	{"ThirdPartyCommit", []string{"NoCommit", "SemiCommit", "FullCommit"}},
	{"InterVecBrgn", []string{"S1P1", "S2P2", "S2PMax"}},
	{"BargnModel", []string{"InitOnlyInterp", "InitRcvrInterp", "PWCompInterp"}},
}

// KTABDefaults are KTAB's default model parameters.
var KTABDefaults = map[string]string{
	"VictoryProbModel": "Linear", "PCEModel": "Conditional", "StateTransitions": "Deterministic",
	"VotingRule": "Prop", "BigRAdjust": "OneThird", "BigRRange": "Mid",
	"ThirdPartyCommit": "SemiCommit", "InterVecBrgn": "S2P2", "BargnModel": "InitOnlyInterp",
}

// check reports unknown parameters, values and actors.
func (k *KTAB) check(s *Scenario, l *problemList) {
	for _, name := range sortedKeys(k.Parameters) {
		i := slices.IndexFunc(KTABParameters, func(p KTABParameter) bool { return p.Name == name })
		if i < 0 {
			l.add("ktab.parameters."+name, "unknown KTAB model parameter %q", name)
			continue
		}
		if v := k.Parameters[name]; !slices.Contains(KTABParameters[i].Values, v) {
			l.add("ktab.parameters."+name, "unknown value %q (want one of %s)", v, strings.Join(KTABParameters[i].Values, ", "))
		}
	}
	if k.Seed != "" {
		if _, err := strconv.ParseUint(k.Seed, 10, 64); err != nil {
			l.add("ktab.seed", "seed %q is not an unsigned 64-bit integer", k.Seed)
		}
	}
	for i, p := range k.IdealAdjustment {
		f := fmt.Sprintf("ktab.ideal_adjustment[%d]", i)
		if s.Actor(p.Actor) == nil {
			l.add(f+".actor", "unknown actor %q", p.Actor)
		}
		if s.Actor(p.Reference) == nil {
			l.add(f+".reference", "unknown actor %q", p.Reference)
		}
		if !finite(p.Adjust) || p.Adjust < 0 || p.Adjust > 1 {
			l.add(f+".adjust", "adjustment must lie between 0 and 1, got %v", p.Adjust)
		}
	}
}

// Spatial is a scenario as KTAB's spatial model sees it: every actor on
// every issue, with positions and saliences on 0–1.
type Spatial struct {
	// Cap is each actor's capability: KTAB's model gives an actor one
	// capability, which weighs its vote over whole positions (all issues
	// at once).
	Cap []float64
	// IssueCap[i][k] is actor i's capability on issue k (its capability
	// of its own on the issue where it sets one): the weight of the
	// per-issue means (the fill-in position below and the smp model's
	// per-issue forecast), which are Parley's and not KTAB's.
	IssueCap [][]float64
	// Pos[i][k] and Sal[i][k] are actor i's position and salience on
	// issue k, on 0–1.
	Pos, Sal [][]float64
	// Held[i][k] reports whether actor i holds a position on issue k.
	Held [][]bool
	// Acc is the ideal-adjustment matrix (n×n, row-major), or nil for the
	// identity.
	Acc []float64
}

// ktabMinActors and ktabMaxActors are the fewest and most actors KTAB's readers accept
// (kmodel.h minNumActor, maxNumActor).
const ktabMinActors, ktabMaxActors = 3, 250

// ktabExport returns the spatial form of a scenario to be written in a
// KTAB format, or an error when KTAB could not read the result.
func (s *Scenario) ktabExport() (*Spatial, error) {
	if n := len(s.Actors); n < ktabMinActors || n > ktabMaxActors {
		return nil, fmt.Errorf("KTAB reads scenarios of %d to %d actors; %s has %d", ktabMinActors, ktabMaxActors, s.Name, n)
	}
	return s.Spatial()
}

// Spatial returns the scenario on KTAB's internal scale. A position x on
// an issue from Min to Max becomes (x−Min)/(Max−Min); a salience v becomes
// v/SalienceMax. KTAB requires each actor's saliences to total at most 1:
// when an actor's total exceeds 1 (Parley allows up to the scale on every
// issue), its saliences are divided by their total. An actor without a
// position on an issue gets salience 0 there, and as position the
// capability×salience weighted mean of the positions held on it (with each
// holder's capability on that issue).
func (s *Scenario) Spatial() (*Spatial, error) {
	n, d := len(s.Actors), len(s.Issues)
	sp := &Spatial{Cap: make([]float64, n), IssueCap: make([][]float64, n), Pos: make([][]float64, n), Sal: make([][]float64, n), Held: make([][]bool, n)}
	scale := s.SalienceMax()
	for i := range s.Actors {
		a := &s.Actors[i]
		sp.Cap[i] = a.Capability.Value
		if !(a.Capability.Value > 0) {
			return nil, fmt.Errorf("actor %s: the spatial model needs a positive capability, got %v", a.ID, a.Capability.Value)
		}
		sp.Pos[i], sp.Sal[i], sp.Held[i], sp.IssueCap[i] = make([]float64, d), make([]float64, d), make([]bool, d), make([]float64, d)
		total := 0.0
		for k := range s.Issues {
			is := &s.Issues[k]
			st, ok := a.Stances[is.ID]
			if !ok || !st.Position.Set {
				continue
			}
			sp.Held[i][k] = true
			sp.IssueCap[i][k] = a.CapabilityOn(is.ID)
			sp.Pos[i][k] = (st.Position.Value - is.Min) / (is.Max - is.Min)
			v := st.Salience.Value
			if scale != 1 {
				v /= scale
			}
			sp.Sal[i][k] = v
			total += v
		}
		if total <= 0 {
			return nil, fmt.Errorf("actor %s: the spatial model needs a positive salience on at least one issue", a.ID)
		}
		if total > 1 {
			for k := range sp.Sal[i] {
				sp.Sal[i][k] /= total
			}
		}
	}
	for k := range s.Issues {
		var sw, swx float64
		for i := range s.Actors {
			if sp.Held[i][k] {
				w := sp.IssueCap[i][k] * sp.Sal[i][k]
				sw += w
				swx += w * sp.Pos[i][k]
			}
		}
		fill := 0.5
		if sw > 0 {
			fill = swx / sw
		}
		for i := range s.Actors {
			if !sp.Held[i][k] {
				sp.Pos[i][k] = fill
			}
		}
	}
	if s.KTAB != nil && len(s.KTAB.IdealAdjustment) > 0 {
		sp.Acc = make([]float64, n*n)
		for i := 0; i < n; i++ {
			sp.Acc[i*n+i] = 1
		}
		idx := func(id string) int { return slices.IndexFunc(s.Actors, func(a Actor) bool { return a.ID == id }) }
		for _, p := range s.KTAB.IdealAdjustment {
			i, j := idx(p.Actor), idx(p.Reference)
			if i < 0 || j < 0 {
				return nil, fmt.Errorf("ideal adjustment: unknown actor %q or %q", p.Actor, p.Reference)
			}
			sp.Acc[i*n+j] = p.Adjust
		}
	}
	return sp, nil
}

// ktabRow returns actor i's positions and saliences, both on KTAB's 0–100
// scale, written as they are in the scenario when the scales already agree
// so that a KTAB file read and written back is unchanged. KTAB (and
// parseKTABCSV) refuses an actor whose saliences total more than 100; a row
// rescaled by Spatial can exceed 100 by a rounding error, so its largest
// salience is lowered by the few units in the last place that keep the
// total, summed in file order as a reader sums it, at most 100.
func ktabRow(s *Scenario, sp *Spatial, i int) (pos, sal []float64) {
	a := &s.Actors[i]
	pos, sal = make([]float64, len(s.Issues)), make([]float64, len(s.Issues))
	for k := range s.Issues {
		is := &s.Issues[k]
		st, held := a.Stances[is.ID]
		if held && st.Position.Set && is.Min == 0 && is.Max == 100 {
			pos[k] = st.Position.Value
		} else {
			pos[k] = sp.Pos[i][k] * 100
		}
		if held && s.SalienceMax() == 100 && sp.Sal[i][k] == st.Salience.Value/100 {
			sal[k] = st.Salience.Value
		} else {
			sal[k] = sp.Sal[i][k] * 100
		}
	}
	top := 0
	for k, v := range sal {
		if v > sal[top] {
			top = k
		}
	}
	for ktabTotal(sal) > 100 && sal[top] > 0 {
		sal[top] = math.Nextafter(sal[top], 0)
	}
	return pos, sal
}

// ktabTotal sums saliences in order, as parseKTABCSV and parseKTABXML do.
func ktabTotal(sal []float64) float64 {
	total := 0.0
	for _, v := range sal {
		total += v
	}
	return total
}

func fmtNum(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// --- KTAB CSV ---

// isKTABCSV reports whether data looks like a KTAB CSV file: a first line
// "name,description,actors,dimensions" and a second line starting with
// "Actor,Description".
func isKTABCSV(data []byte) bool {
	lines := ktabLines(data, 2)
	if len(lines) < 2 {
		return false
	}
	f0 := ktabFields(lines[0].text)
	f1 := ktabFields(lines[1].text)
	if len(f0) < 4 || len(f1) < 2 {
		return false
	}
	_, e1 := strconv.Atoi(f0[2])
	_, e2 := strconv.Atoi(f0[3])
	return e1 == nil && e2 == nil && strings.EqualFold(f1[0], "actor")
}

type ktabLine struct {
	text string
	no   int
}

// ktabLines returns up to max non-blank lines (max < 0: all) with their
// 1-based numbers.
func ktabLines(data []byte, max int) []ktabLine {
	var out []ktabLine
	sc := bufio.NewScanner(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	sc.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	no := 0
	for sc.Scan() {
		no++
		t := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(t) == "" {
			continue
		}
		out = append(out, ktabLine{t, no})
		if max >= 0 && len(out) >= max {
			break
		}
	}
	return out
}

// ktabFields splits a KTAB CSV line at commas, honouring double quotes,
// trims spaces and quotes, and drops the empty field a trailing comma
// leaves.
func ktabFields(line string) []string {
	var out []string
	var b strings.Builder
	inQ := false
	for _, r := range line {
		switch {
		case r == '"':
			inQ = !inQ
		case r == ',' && !inQ:
			out = append(out, strings.TrimSpace(b.String()))
			b.Reset()
		default:
			b.WriteRune(r)
		}
	}
	out = append(out, strings.TrimSpace(b.String()))
	if len(out) > 1 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return out
}

// ktabLocator maps scenario paths to KTAB CSV lines and fields.
type ktabLocator struct {
	header int
	dims   int   // line of the dimension header
	rows   []int // line of actor i
}

var stancePathRE = regexp.MustCompile(`^actors\[(\d+)\](?:\.(\w+)(?:\.([^.]+)\.(\w+))?)?`)

func (l ktabLocator) locate(path string) (int, string) {
	if m := stancePathRE.FindStringSubmatch(path); m != nil {
		if i, _ := strconv.Atoi(m[1]); i < len(l.rows) {
			f := fmt.Sprintf("actor row %d", i+1)
			switch {
			case m[2] == "capability":
				f += ", power"
			case m[4] != "":
				f += fmt.Sprintf(", issue %s %s", m[3], m[4])
			}
			return l.rows[i], f
		}
	}
	if strings.HasPrefix(path, "issues") {
		return l.dims, path
	}
	return l.header, path
}

var slugRE = regexp.MustCompile(`[^a-z0-9]+`)

// issueIDs derives unique issue ids from dimension names.
func issueIDs(names []string) []string {
	seen := map[string]bool{}
	ids := make([]string, len(names))
	for i, n := range names {
		id := strings.Trim(slugRE.ReplaceAllString(strings.ToLower(n), "-"), "-")
		if id == "" {
			id = fmt.Sprintf("dim%d", i+1)
		}
		base := id
		for k := 2; seen[id]; k++ {
			id = fmt.Sprintf("%s-%d", base, k)
		}
		seen[id] = true
		ids[i] = id
	}
	return ids
}

// parseKTABCSV reads KTAB's CSV scenario format (smpread.cpp csvRead):
// a line "name, description, actors, dimensions", a header
// "Actor, Description, Power, then a position and a salience column per
// dimension", and one line per actor. Positions and saliences are on
// 0–100 and each actor's saliences total at most 100.
func parseKTABCSV(data []byte, l Limits) (*Scenario, ktabLocator, Problems) {
	lines := ktabLines(data, -1)
	loc := ktabLocator{}
	var ps Problems
	if len(lines) < 2 {
		return nil, loc, Problems{{Msg: "a KTAB CSV file needs a scenario line and a header line"}}
	}
	loc.header, loc.dims = lines[0].no, lines[1].no
	head := ktabFields(lines[0].text)
	if len(head) < 4 {
		return nil, loc, Problems{{Line: loc.header, Field: "scenario line", Msg: "want name, description, number of actors, number of dimensions"}}
	}
	na, err1 := strconv.Atoi(head[2])
	nd, err2 := strconv.Atoi(head[3])
	if err1 != nil || na < 1 {
		ps.addAt(loc.header, "number of actors", "%q is not a positive whole number", head[2])
	}
	if err2 != nil || nd < 1 {
		ps.addAt(loc.header, "number of dimensions", "%q is not a positive whole number", head[3])
	}
	if len(ps) > 0 {
		return nil, loc, ps
	}
	if err := CheckCells(max(na, len(lines)-2), nd, l.MaxCells); err != nil {
		return nil, loc, Problems{{Line: loc.header, Field: "number of dimensions", Msg: err.Error()}}
	}
	hdr := ktabFields(lines[1].text)
	if len(hdr) < 3+2*nd {
		ps.addAt(loc.dims, "header", "want Actor, Description, Power and a position and salience column for each of %d dimensions, got %d columns", nd, len(hdr))
		return nil, loc, ps
	}
	names := make([]string, nd)
	for k := 0; k < nd; k++ {
		names[k] = hdr[3+2*k]
	}
	ids := issueIDs(names)
	sc := &Scenario{Name: head[0], Description: head[1], SalienceScale: 100}
	if sc.Name == "" {
		sc.Name = "ktab"
	}
	for k := 0; k < nd; k++ {
		sc.Issues = append(sc.Issues, Issue{ID: ids[k], Name: names[k], Min: 0, Max: 100})
	}
	rows := lines[2:]
	if len(rows) != na {
		ps.addAt(loc.header, "number of actors", "the scenario line announces %d actors but %d actor lines follow", na, len(rows))
	}
	for r, ln := range rows {
		f := ktabFields(ln.text)
		loc.rows = append(loc.rows, ln.no)
		field := fmt.Sprintf("actor row %d", r+1)
		if len(f) < 3+2*nd {
			ps.addAt(ln.no, field, "want %d fields (name, description, power, then position and salience per dimension), got %d", 3+2*nd, len(f))
			continue
		}
		a := Actor{ID: f[0], Name: f[1], Stances: map[string]Stance{}}
		if a.Name == "" {
			a.Name = a.ID
		}
		num := func(s, what string) (float64, bool) {
			v, ok := parseFinite(s)
			if !ok {
				ps.addAt(ln.no, field+", "+what, "%q is not a number", s)
				return 0, false
			}
			return v, true
		}
		if v, ok := num(f[2], "power"); ok {
			a.Capability = N(v)
		}
		total := 0.0
		for k := 0; k < nd; k++ {
			st := Stance{}
			if v, ok := num(f[3+2*k], "issue "+ids[k]+" position"); ok {
				st.Position = N(v)
			}
			if v, ok := num(f[4+2*k], "issue "+ids[k]+" salience"); ok {
				st.Salience = N(v)
				total += v
			}
			a.Stances[ids[k]] = st
		}
		if total > 100 {
			ps.addAt(ln.no, field+", salience", "saliences total %v; KTAB allows at most 100", total)
		}
		sc.Actors = append(sc.Actors, a)
	}
	return sc, loc, ps
}

// WriteKTABCSV writes the scenario in KTAB's CSV format. Positions are
// mapped to 0–100 and saliences to shares of 100 as Spatial describes;
// sources, evidence, anchors and issue scales have no place in the format
// and are dropped.
func WriteKTABCSV(w io.Writer, s *Scenario) error {
	sp, err := s.ktabExport()
	if err != nil {
		return err
	}
	var b bytes.Buffer
	q := func(v string) string {
		if strings.ContainsAny(v, ",\"") || strings.TrimSpace(v) != v {
			return `"` + strings.ReplaceAll(v, `"`, "'") + `"`
		}
		return v
	}
	fmt.Fprintf(&b, "%s,%s,%d,%d\n", q(s.Name), q(oneLine(s.Description)), len(s.Actors), len(s.Issues))
	b.WriteString("Actor,Description,Power")
	for _, is := range s.Issues {
		name := is.DisplayName()
		fmt.Fprintf(&b, ",%s,%s", q(name), q(name+" Salience"))
	}
	b.WriteString("\n")
	for i := range s.Actors {
		a := &s.Actors[i]
		fmt.Fprintf(&b, "%s,%s,%s", q(a.ID), q(a.DisplayName()), fmtNum(a.Capability.Value))
		pos, sal := ktabRow(s, sp, i)
		for k := range s.Issues {
			fmt.Fprintf(&b, ",%s,%s", fmtNum(pos[k]), fmtNum(sal[k]))
		}
		b.WriteString("\n")
	}
	_, err = w.Write(b.Bytes())
	return err
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
