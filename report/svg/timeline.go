package svg

import (
	"fmt"
	"strings"
)

// Step is one stage of a Timeline.
type Step struct {
	Label string
	// Detail is a second line (an outcome, a date).
	Detail string
	// Mark highlights the step (e.g. the stage where the process ended).
	Mark bool
}

// Timeline draws stages as boxes joined by arrows, wrapping into rows.
type Timeline struct {
	Title string
	Width float64 // default 640
	Steps []Step
}

const stepW, stepH, stepGapX, stepGapY = 190.0, 46.0, 24.0, 22.0

func (t Timeline) perRow() int {
	return max(1, int((orDefault(t.Width, 640)+stepGapX)/(stepW+stepGapX)))
}

// Size is the timeline's width and height: as many rows of boxes as the
// steps need.
func (t Timeline) Size() (w, h float64) {
	rows := (len(t.Steps) + t.perRow() - 1) / t.perRow()
	return orDefault(t.Width, 640), float64(max(rows, 1))*(stepH+stepGapY) + 4
}

// SVG renders the timeline as a document of its own.
func (t Timeline) SVG() string { return SVG(t) }

func (t Timeline) draw(b *strings.Builder, pos *point) {
	w, h := t.Size()
	perRow := t.perRow()
	open(b, pos, w, h, t.Title)
	b.WriteString(`<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker></defs>`)
	for i, s := range t.Steps {
		r, c := i/perRow, i%perRow
		x, y := float64(c)*(stepW+stepGapX)+2, float64(r)*(stepH+stepGapY)+2
		fill, sw := "#f4f4f4", "1"
		if s.Mark {
			fill, sw = "#fde9c9", "2.2"
		}
		fmt.Fprintf(b, `<rect x="%s" y="%s" width="%s" height="%s" rx="5" fill="%s" stroke="#333" stroke-width="%s"/>`, f(x), f(y), f(stepW), f(stepH), fill, sw)
		fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="middle" font-size="11" font-weight="bold">%s</text>`, f(x+stepW/2), f(y+18), esc(Clip(s.Label, 28)))
		if s.Detail != "" {
			fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="middle" font-size="10">%s</text>`, f(x+stepW/2), f(y+34), esc(Clip(s.Detail, 34)))
		}
		if i+1 < len(t.Steps) {
			if c+1 < perRow {
				fmt.Fprintf(b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#333" stroke-width="1.2" marker-end="url(#arrow)"/>`, f(x+stepW), f(y+stepH/2), f(x+stepW+stepGapX-2), f(y+stepH/2))
			} else {
				fmt.Fprintf(b, `<path d="M%s,%s V%s H%s V%s" fill="none" stroke="#333" stroke-width="1.2" marker-end="url(#arrow)"/>`,
					f(x+stepW/2), f(y+stepH), f(y+stepH+stepGapY/2), f(2+stepW/2), f(y+stepH+stepGapY-2))
			}
		}
	}
	b.WriteString(`</svg>`)
}
