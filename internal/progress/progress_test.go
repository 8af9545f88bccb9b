package progress

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"
)

func TestBarRendersRateAndETA(t *testing.T) {
	var buf bytes.Buffer
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	now := t0
	b := New(&buf, "sweep", 1000, func() time.Time { return now })
	b.Update(0)
	now = t0.Add(2 * time.Second)
	b.Update(250)
	want := "\rsweep [=======>                      ] 250/1000  25.0% 125/s ETA 0:06\x1b[K"
	if got := buf.String()[strings.LastIndex(buf.String(), "\r"):]; got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	// Redraws are throttled to one per 100 ms, except at the end.
	n := buf.Len()
	now = now.Add(10 * time.Millisecond)
	b.Update(251)
	if buf.Len() != n {
		t.Error("redrew within 100 ms")
	}
	b.Update(1000)
	b.Finish()
	if !strings.HasSuffix(buf.String(), "1000/1000 100.0% 498/s ETA 0:00\x1b[K\n") || !strings.Contains(buf.String(), "[==============================]") {
		t.Errorf("final line %q", buf.String()[n:])
	}
}

func TestResumedWorkLeftOutOfRate(t *testing.T) {
	var buf bytes.Buffer
	t0 := time.Now()
	now := t0
	b := New(&buf, "x", 100, func() time.Time { return now })
	b.Update(50) // resumed: half done before the bar started
	now = t0.Add(10 * time.Second)
	b.Update(60)
	if !strings.Contains(buf.String(), "60/100  60.0% 1/s ETA 0:40") {
		t.Errorf("got %q", buf.String())
	}
}

func TestNilBarAndNonTerminal(t *testing.T) {
	var b *Bar
	b.Update(3) // must not panic
	b.Finish()
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if ForTerminal(f, "x", 10) != nil {
		t.Error("a regular file counted as a terminal")
	}
}

func TestClock(t *testing.T) {
	for d, want := range map[time.Duration]string{0: "0:00", 61 * time.Second: "1:01", 3725 * time.Second: "1:02:05"} {
		if got := clock(d); got != want {
			t.Errorf("clock(%v) = %q, want %q", d, got, want)
		}
	}
}
