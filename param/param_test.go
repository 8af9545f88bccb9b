package param

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestJSON: a value reads from a JSON number, boolean or string and writes
// back the same bytes; a number is written as encoding/json writes a
// float64, so runs stored before parameters were typed (numbers only)
// read back unchanged.
func TestJSON(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Value
	}{
		{`0.5`, Number(0.5)}, {`-1`, Number(-1)}, {`1e+21`, Number(1e21)}, {`9007199254740992`, Number(1 << 53)},
		{`true`, Bool(true)}, {`false`, Bool(false)}, {`"Prop"`, Text("Prop")}, {`"0.5"`, Text("0.5")}, {`""`, Text("")},
	} {
		var v Value
		if err := json.Unmarshal([]byte(c.in), &v); err != nil || v != c.want {
			t.Errorf("%s: read %#v, %v; want %#v", c.in, v, err, c.want)
			continue
		}
		out, err := json.Marshal(v)
		if err != nil || string(out) != c.in {
			t.Errorf("%s: wrote %s, %v", c.in, out, err)
		}
	}
	old := `{"q":1,"t":-1,"status_quo":-1000000000}`
	var m map[string]Value
	if err := json.Unmarshal([]byte(old), &m); err != nil || m["t"] != Number(-1) || m["status_quo"] != Number(-1e9) {
		t.Fatalf("old params: %v %v", m, err)
	}
	if out, _ := json.Marshal(m); string(out) != `{"q":1,"status_quo":-1000000000,"t":-1}` {
		t.Errorf("old params written back as %s", out)
	}
	for _, bad := range []string{`null`, `[1]`, `{"a":1}`} {
		var v Value
		if err := json.Unmarshal([]byte(bad), &v); err == nil || !strings.Contains(err.Error(), "want a number, true or false, or a string") {
			t.Errorf("%s: %v", bad, err)
		}
	}
	if _, err := json.Marshal(Number(math.NaN())); err == nil {
		t.Error("NaN written")
	}
	if out, _ := json.Marshal(Value{}); string(out) != "null" {
		t.Errorf("absent value written as %s", out)
	}
}

// TestYAML: a scalar's YAML tag decides: numbers and booleans as such,
// anything else (quoted numbers included) a word for the declaration to
// parse; writing gives the plain scalar back.
func TestYAML(t *testing.T) {
	var m map[string]Value
	src := "a: 0.5\nb: 3\nc: true\nd: Prop\ne: \"0.5\"\nf: no\n"
	if err := yaml.Unmarshal([]byte(src), &m); err != nil {
		t.Fatal(err)
	}
	want := map[string]Value{"a": Number(0.5), "b": Number(3), "c": Bool(true), "d": Text("Prop"), "e": Text("0.5"), "f": Text("no")}
	for k, v := range want {
		if m[k] != v {
			t.Errorf("%s: %#v, want %#v", k, m[k], v)
		}
	}
	out, err := yaml.Marshal(map[string]Value{"a": Number(0.5), "c": Bool(true), "d": Text("Prop")})
	if err != nil || string(out) != "a: 0.5\nc: true\nd: Prop\n" {
		t.Errorf("wrote %q, %v", out, err)
	}
	// yaml.v3 leaves a null alone: the value stays absent, which the
	// declaration then refuses ("no value").
	m = nil
	if err := yaml.Unmarshal([]byte("a: ~\n"), &m); err != nil || !m["a"].IsZero() {
		t.Errorf("null: %#v %v", m["a"], err)
	}
	for _, bad := range []string{"a: [1]\n", "a: {b: 1}\n"} {
		if err := yaml.Unmarshal([]byte(bad), &m); err == nil || !strings.Contains(err.Error(), "want a number, true or false, or a string") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestString(t *testing.T) {
	for v, want := range map[Value]string{Number(0.1): "0.1", Number(-1e9): "-1e+09", Bool(false): "false", Text("PropCbc"): "PropCbc", {}: ""} {
		if got := v.String(); got != want {
			t.Errorf("%#v: %q, want %q", v, got, want)
		}
	}
}

// FuzzJSON: any input either fails to read or reads to a value that
// writes and reads back to itself.
func FuzzJSON(f *testing.F) {
	for _, s := range []string{`0.5`, `true`, `"Prop"`, `null`, `[1]`, `1e400`, `"\u00e9"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v Value
		if json.Unmarshal(data, &v) != nil {
			return
		}
		out, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("%q read as %#v but does not write: %v", data, v, err)
		}
		var back Value
		if err := json.Unmarshal(out, &back); err != nil || back != v {
			t.Fatalf("%q → %#v → %s → %#v, %v", data, v, out, back, err)
		}
	})
}
