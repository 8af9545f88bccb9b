// Package progress draws a one-line progress bar with rate and time
// remaining on a terminal, and nothing when the output is not a terminal.
package progress

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"
)

// Bar is a progress bar. A nil *Bar is valid and draws nothing, so callers
// need not check whether output goes to a terminal.
type Bar struct {
	mu    sync.Mutex
	w     io.Writer
	label string
	total int
	start time.Time
	last  time.Time
	now   func() time.Time
	// base is the count already done when the bar started (resumed
	// work), left out of the rate.
	base, done int
}

// width is the number of cells of the bar itself.
const width = 30

// every is the shortest interval between redraws.
const every = 100 * time.Millisecond

// ForTerminal returns a bar drawing on f when f is a terminal, else nil.
func ForTerminal(f *os.File, label string, total int) *Bar {
	if f == nil || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return New(f, label, total, time.Now)
}

// New returns a bar drawing on w with the given clock.
func New(w io.Writer, label string, total int, now func() time.Time) *Bar {
	t := now()
	return &Bar{w: w, label: label, total: total, start: t, now: now, base: -1}
}

// Update records that done of the total are finished and redraws the bar
// at most every 100 ms (and always at the end).
func (b *Bar) Update(done int) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.base < 0 {
		b.base = done
	}
	b.done = done
	t := b.now()
	if done < b.total && t.Sub(b.last) < every {
		return
	}
	b.last = t
	fmt.Fprint(b.w, "\r"+b.line(t)+"\x1b[K")
}

// Finish ends the bar's line.
func (b *Bar) Finish() {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	fmt.Fprint(b.w, "\r"+b.line(b.now())+"\x1b[K\n")
}

// line renders the bar: label, cells, count, percentage, rate and the
// time remaining at the rate so far.
func (b *Bar) line(t time.Time) string {
	frac := 1.0
	if b.total > 0 {
		frac = float64(b.done) / float64(b.total)
	}
	cells := int(frac * width)
	bar := strings.Repeat("=", cells) + strings.Repeat(" ", width-cells)
	if cells < width {
		bar = bar[:cells] + ">" + bar[cells+1:]
	}
	el := t.Sub(b.start).Seconds()
	rate := 0.0
	if el > 0 {
		rate = float64(b.done-max(b.base, 0)) / el
	}
	eta := "--:--"
	if rate > 0 {
		eta = clock(time.Duration(float64(b.total-b.done) / rate * float64(time.Second)))
	}
	return fmt.Sprintf("%s [%s] %d/%d %5.1f%% %.0f/s ETA %s", b.label, bar, b.done, b.total, 100*frac, rate, eta)
}

// clock writes a duration as m:ss or h:mm:ss.
func clock(d time.Duration) string {
	s := int(d.Round(time.Second).Seconds())
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}
