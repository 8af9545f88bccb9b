package svg

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// Moment is a dated point of a Timeline row, with a short Label written
// beside it. From and To, when set, are the dates it may fall on (an
// uncertain date: a window or a range of draws), drawn as a bar around
// the point.
type Moment struct {
	Date     time.Time
	From, To time.Time
	Label    string
}

// Lane is one row of a Timeline: its name (wrapped in the column left of
// the axis), a second line under the name (an outcome), and its moments.
type Lane struct {
	Label, Detail string
	Moments       []Moment
}

// Timeline draws dated events on a real time axis: one lane per row,
// named on the left, each moment a dot at its date (a bar across its
// range when the date is uncertain) with its label beside it, on an axis
// of years or months with a grid line at each tick.
type Timeline struct {
	Title string
	Width float64 // default 760
	// NameWidth is the room for the lanes' names (default 220).
	NameWidth float64
	Lanes     []Lane
}

const (
	laneGap     = 8.0
	timeAxisTop = 24.0
	timeAxisBot = 30.0
)

// laneLines are the name and detail lines of a lane.
func (t Timeline) laneLines(ln Lane) (name, detail []string) {
	w := orDefault(t.NameWidth, 220) - 14
	name = WrapText(ln.Label, w, 11)
	if ln.Detail != "" {
		detail = WrapText(ln.Detail, w, 10)
	}
	return name, detail
}

// laneHeight is the height of a lane: its lines, at least one row of
// dots.
func (t Timeline) laneHeight(ln Lane) float64 {
	name, detail := t.laneLines(ln)
	return max(22, float64(len(name))*13+float64(len(detail))*12+6)
}

// Size is the timeline's width and height: a lane per row, as tall as
// its name's lines.
func (t Timeline) Size() (w, h float64) {
	h = timeAxisTop + timeAxisBot
	for _, ln := range t.Lanes {
		h += t.laneHeight(ln) + laneGap
	}
	return orDefault(t.Width, 760), h
}

// SVG renders the timeline as a document of its own.
func (t Timeline) SVG() string { return SVG(t) }

// span is the first and last date of the timeline's moments.
func (t Timeline) span() (lo, hi time.Time) {
	for _, ln := range t.Lanes {
		for _, m := range ln.Moments {
			for _, d := range []time.Time{m.Date, m.From, m.To} {
				if d.IsZero() {
					continue
				}
				if lo.IsZero() || d.Before(lo) {
					lo = d
				}
				if hi.IsZero() || d.After(hi) {
					hi = d
				}
			}
		}
	}
	return lo, hi
}

// timeTicks are the ticks of a time axis from lo to hi: the first of
// each year, every k-th year, when it spans more than two years; else the
// first of every month (every k-th month), labelled "Jan 2008" where the
// year starts and by the month's name elsewhere.
func timeTicks(lo, hi time.Time) []time.Time {
	var out []time.Time
	years := hi.Sub(lo).Hours() / 24 / 365.25
	if years > 2 {
		k := int(math.Ceil(years / 10))
		for y := lo.Year() + 1; y <= hi.Year(); y++ {
			if (y-lo.Year()-1)%k == 0 {
				out = append(out, time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC))
			}
		}
		return out
	}
	months := int(math.Ceil(years * 12))
	k := max(1, (months+9)/10)
	d := time.Date(lo.Year(), lo.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 1, 0)
	for i := 0; !d.After(hi); i++ {
		if i%k == 0 {
			out = append(out, d)
		}
		d = d.AddDate(0, 1, 0)
	}
	return out
}

func tickLabel(d time.Time, yearly bool) string {
	if yearly {
		return fmt.Sprint(d.Year())
	}
	if d.Month() == time.January {
		return d.Format("Jan 2006")
	}
	return d.Format("Jan")
}

func (t Timeline) draw(b *strings.Builder, pos *point) {
	w, h := t.Size()
	open(b, pos, w, h, t.Title)
	left, right := orDefault(t.NameWidth, 220), w-150
	lo, hi := t.span()
	if lo.IsZero() {
		b.WriteString(`</svg>`)
		return
	}
	// A margin of 3% of the span (at least a week) either side.
	pad := max(hi.Sub(lo)/33, 7*24*time.Hour)
	lo, hi = lo.Add(-pad), hi.Add(pad)
	x := func(d time.Time) float64 {
		return left + float64(d.Sub(lo))/float64(hi.Sub(lo))*(right-left)
	}
	bottom := h - timeAxisBot
	yearly := hi.Sub(lo).Hours()/24/365.25 > 2
	for _, d := range timeTicks(lo, hi) {
		fmt.Fprintf(b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#ddd" stroke-width="0.6"/>`, f(x(d)), f(timeAxisTop-4), f(x(d)), f(bottom))
		fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="middle" font-size="10">%s</text>`, f(x(d)), f(bottom+14), tickLabel(d, yearly))
		fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="middle" font-size="10" fill="#555">%s</text>`, f(x(d)), f(timeAxisTop-8), tickLabel(d, yearly))
	}
	fmt.Fprintf(b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#333" stroke-width="0.8"/>`, f(left), f(bottom), f(right), f(bottom))
	y := timeAxisTop
	for _, ln := range t.Lanes {
		lh := t.laneHeight(ln)
		mid := y + lh/2
		fmt.Fprintf(b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#eee" stroke-width="0.8"/>`, f(left), f(mid), f(right), f(mid))
		name, detail := t.laneLines(ln)
		top := y + 3 + 6.5
		for i, l := range name {
			fmt.Fprintf(b, `<text x="8" y="%s" font-size="11" dominant-baseline="middle">%s</text>`, f(top+float64(i)*13), esc(l))
		}
		for i, l := range detail {
			fmt.Fprintf(b, `<text x="8" y="%s" font-size="10" dominant-baseline="middle" fill="#555">%s</text>`, f(top+float64(len(name))*13+float64(i)*12), esc(l))
		}
		for _, m := range ln.Moments {
			if !m.From.IsZero() && !m.To.IsZero() {
				fmt.Fprintf(b, `<rect x="%s" y="%s" width="%s" height="8" rx="3" fill="#56B4E9" fill-opacity="0.45"><title>%s to %s</title></rect>`,
					f(x(m.From)), f(mid-4), f(math.Max(x(m.To)-x(m.From), 2)), m.From.Format(time.DateOnly), m.To.Format(time.DateOnly))
			}
			cx := x(m.Date)
			fmt.Fprintf(b, `<circle cx="%s" cy="%s" r="4" fill="#0072B2" stroke="#fff" stroke-width="1"><title>%s</title></circle>`, f(cx), f(mid), m.Date.Format(time.DateOnly))
			if m.Label != "" {
				lx, anchor := cx+7, "start"
				if !m.To.IsZero() {
					lx = math.Max(lx, x(m.To)+4)
				}
				if lx+TextWidth(m.Label, 10) > w-4 {
					lx, anchor = cx-7, "end"
					if !m.From.IsZero() {
						lx = math.Min(lx, x(m.From)-4)
					}
				}
				fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="%s" font-size="10" dominant-baseline="middle">%s</text>`, f(lx), f(mid), anchor, esc(m.Label))
			}
		}
		y += lh + laneGap
	}
	b.WriteString(`</svg>`)
}
