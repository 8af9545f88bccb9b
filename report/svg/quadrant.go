package svg

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Region is a shaded part of a Quadrant chart: a polygon painted in
// Fill, named by Label at (LabelX, LabelY) with the text anchor Anchor
// ("start", "middle" or "end"). Coordinates are fractions of the axis
// range, from −1 to 1 on each axis.
type Region struct {
	Fill           string
	Polygon        [][2]float64
	Label          string
	LabelX, LabelY float64
	Anchor         string
}

// QPoint is a labelled point of a Quadrant chart.
type QPoint struct {
	Label string
	X, Y  float64
}

// Quadrant is a scatter chart centred on (0, 0) with shaded regions and
// a label beside every point: Bueno de Mesquita's perceptual map or
// KTAB's quad map. Points at the same place share one dot and one label;
// labels are placed where they overlap nothing, with a leader line when
// they had to move away, and as numbered notes under the chart when no
// place is free.
type Quadrant struct {
	Title          string
	XLabel, YLabel string
	Side           float64 // plot side, default 420
	Regions        []Region
	// Diagonals draws y = x and y = −x (the octant boundaries).
	Diagonals bool
	// Mark is drawn at the origin's label corner, e.g. the actor whose
	// view it is.
	Points []QPoint
}

const (
	qFont  = 11.0
	qCharW = 6.1 // average advance of a character at qFont (sans-serif)
	qLineH = 13.0
	qLeft  = 56.0  // room for the y axis's ticks and title
	qRight = 150.0 // room for labels right of the plot
)

type box struct{ x0, y0, x1, y1 float64 }

// qgroup is the points of a Quadrant that share a pixel.
type qgroup struct {
	x, y   float64 // pixels
	labels []string
}

func (a box) hits(b box) bool { return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1 }

// qplaced is a label placed on a Quadrant: its lines, where its text
// starts and its first baseline, the point it names and whether a leader
// joins them, or the number of its note under the chart.
type qplaced struct {
	lines      []string
	x, y       float64 // text anchor (start), first baseline
	leader     bool
	gx, gy     float64 // the point
	lx, ly     float64 // where its leader meets the label
	note       int
	noteAnchor bool
}

// seg is a leader line, from a point to its label.
type seg struct{ x0, y0, x1, y1 float64 }

// crosses reports whether the segment passes through box b, sampled
// every pixel (the leaders are a few hundred pixels long at most).
func (s seg) crosses(b box) bool {
	n := int(math.Ceil(math.Hypot(s.x1-s.x0, s.y1-s.y0)))
	for i := 0; i <= n; i++ {
		t := float64(i) / math.Max(float64(n), 1)
		x, y := s.x0+t*(s.x1-s.x0), s.y0+t*(s.y1-s.y0)
		if x > b.x0 && x < b.x1 && y > b.y0 && y < b.y1 {
			return true
		}
	}
	return false
}

// qlayout is a Quadrant laid out: its axis range and ticks, the groups of
// points, the labels placed and the notes under the chart, and its size.
type qlayout struct {
	lim, left, top, side float64
	width, height        float64
	ticks                []Tick
	groups               []qgroup
	out                  []qplaced
	noteLines            []string
}

func (l *qlayout) px(v float64) float64 { return l.left + (v+l.lim)/(2*l.lim)*l.side }
func (l *qlayout) py(v float64) float64 { return l.top + (l.lim-v)/(2*l.lim)*l.side }

// Size is the chart's width and height: the plot, the room for labels
// either side, and the notes of the labels that found no place.
func (c Quadrant) Size() (w, h float64) {
	l := c.layout()
	return l.width, l.height
}

// SVG renders the chart as a document of its own.
func (c Quadrant) SVG() string { return SVG(c) }

// layout places the chart's labels where they overlap nothing.
func (c Quadrant) layout() *qlayout {
	side := orDefault(c.Side, 420)
	left, top := qLeft, 30.0
	// The axis range: symmetric, a nice number above the largest value.
	lim := 0.0
	for _, p := range c.Points {
		if !math.IsNaN(p.X) && !math.IsNaN(p.Y) {
			lim = math.Max(lim, math.Max(math.Abs(p.X), math.Abs(p.Y)))
		}
	}
	if lim == 0 {
		lim = 1
	}
	// Round the range up to a whole number of tick steps.
	ticks := NiceTicks(-lim*1.06, lim*1.06, 8)
	if len(ticks) > 1 {
		step := ticks[1].Value - ticks[0].Value
		lim = math.Ceil(lim*1.06/step-1e-9) * step
	}
	ticks = NiceTicks(-lim, lim, 4)
	px := func(v float64) float64 { return left + (v+lim)/(2*lim)*side }
	py := func(v float64) float64 { return top + (lim-v)/(2*lim)*side }
	// Group points that fall on the same pixel.
	var groups []qgroup
	for _, p := range c.Points {
		if math.IsNaN(p.X) || math.IsNaN(p.Y) {
			continue
		}
		x, y := px(p.X), py(p.Y)
		k := slices.IndexFunc(groups, func(g qgroup) bool { return math.Abs(g.x-x) < 1.5 && math.Abs(g.y-y) < 1.5 })
		if k < 0 {
			groups = append(groups, qgroup{x: x, y: y})
			k = len(groups) - 1
		}
		groups[k].labels = append(groups[k].labels, p.Label)
	}
	// Place labels: most crowded first, then top to bottom.
	order := make([]int, len(groups))
	for i := range order {
		order[i] = i
	}
	crowd := func(g qgroup) int {
		n := 0
		for _, o := range groups {
			if math.Hypot(o.x-g.x, o.y-g.y) < 40 {
				n++
			}
		}
		return n
	}
	slices.SortStableFunc(order, func(a, b int) int {
		ca, cb := crowd(groups[a]), crowd(groups[b])
		if ca != cb {
			return cb - ca
		}
		switch {
		case groups[a].y < groups[b].y:
			return -1
		case groups[a].y > groups[b].y:
			return 1
		}
		return 0
	})
	width := left + side + qRight
	var taken, labels []box // labels: the regions' names and the labels placed, which no leader may cross
	for _, g := range groups {
		taken = append(taken, box{g.x - 3.5, g.y - 3.5, g.x + 3.5, g.y + 3.5})
	}
	// The plot's title and axis labels, and the regions' names, are off
	// limits too.
	taken = append(taken, box{0, 0, width, top - 4}, box{left, top + side + 2, left + side, top + side + 40})
	// The y axis's tick labels and its title (rotated, centred on the
	// axis).
	for _, t := range ticks {
		y := py(t.Value)
		taken = append(taken, box{left - 34, y - 7, left, y + 7})
	}
	half := 2.9 * float64(len([]rune(c.YLabel)))
	taken = append(taken, box{left - 42, top + side/2 - half, left - 26, top + side/2 + half})
	for _, r := range c.Regions {
		if r.Label == "" {
			continue
		}
		w := 5.6 * float64(len([]rune(r.Label)))
		x, y := px(r.LabelX*lim), py(r.LabelY*lim)
		switch r.Anchor {
		case "end":
			x -= w
		case "middle":
			x -= w / 2
		}
		taken = append(taken, box{x - 1, y - 10, x + w + 1, y + 3})
		labels = append(labels, taken[len(taken)-1])
	}
	var out []qplaced
	var notes []string
	var leaders []seg
	area := box{left + 1, top, width - 2, top + side + 2} // labels stay right of the y axis's ticks
	for _, k := range order {
		g := groups[k]
		ok := false
		for _, chars := range []int{26, 16} {
			lines := wrap(strings.Join(g.labels, ", "), chars)
			w, h := 0.0, qLineH*float64(len(lines))
			for _, l := range lines {
				w = math.Max(w, qCharW*float64(len([]rune(l))))
			}
			firstW := qCharW * float64(len([]rune(lines[0])))
			if p, found := place(g, w, h, firstW, taken, labels, leaders, groups, area); found {
				taken, labels = append(taken, p.b), append(labels, p.b)
				q := qplaced{lines: lines, x: p.b.x0 + 1, y: p.b.y0 + 1 + qFont - 1, leader: p.leader != nil, gx: g.x, gy: g.y}
				if p.leader != nil {
					leaders = append(leaders, *p.leader)
					q.lx, q.ly = p.leader.x1, p.leader.y1
				}
				out = append(out, q)
				ok = true
				break
			}
		}
		if !ok {
			// The point gets a number, placed as a label is, and its
			// names go under the chart.
			notes = append(notes, strings.Join(g.labels, ", "))
			n := len(notes)
			q := qplaced{lines: []string{fmt.Sprint(n)}, x: g.x + 5, y: g.y - 4, note: n, noteAnchor: true, gx: g.x, gy: g.y}
			w := qCharW * float64(len(q.lines[0]))
			if p, found := place(g, w, qLineH, w, taken, labels, leaders, groups, area); found {
				taken, labels = append(taken, p.b), append(labels, p.b)
				q.x, q.y = p.b.x0+1, p.b.y0+qFont
				if p.leader != nil {
					leaders = append(leaders, *p.leader)
					q.leader, q.lx, q.ly = true, p.leader.x1, p.leader.y1
				}
			}
			out = append(out, q)
		}
	}
	// Numbered notes under the chart.
	noteH := 0.0
	noteLines := wrapNotes(notes, int((width-20)/qCharW))
	if len(noteLines) > 0 {
		noteH = qLineH*float64(len(noteLines)) + 10
	}
	return &qlayout{lim: lim, left: left, top: top, side: side, width: width, height: top + side + 44 + noteH,
		ticks: ticks, groups: groups, out: out, noteLines: noteLines}
}

func (c Quadrant) draw(b *strings.Builder, pos *point) {
	l := c.layout()
	lim, left, top, side, width := l.lim, l.left, l.top, l.side, l.width
	ticks, groups, out, noteLines := l.ticks, l.groups, l.out, l.noteLines
	px, py := l.px, l.py
	open(b, pos, width, l.height, c.Title)
	fmt.Fprintf(b, `<text x="%s" y="18" font-size="13" font-weight="bold" text-anchor="middle">%s</text>`, f(width/2), esc(c.Title))
	for _, r := range c.Regions {
		pts := make([]string, len(r.Polygon))
		for i, q := range r.Polygon {
			pts[i] = f(px(q[0]*lim)) + "," + f(py(q[1]*lim))
		}
		fmt.Fprintf(b, `<polygon points="%s" fill="%s" stroke="none"/>`, strings.Join(pts, " "), r.Fill)
	}
	for _, r := range c.Regions {
		if r.Label == "" {
			continue
		}
		anchor := r.Anchor
		if anchor == "" {
			anchor = "start"
		}
		fmt.Fprintf(b, `<text x="%s" y="%s" font-size="10" fill="#555" text-anchor="%s" font-style="italic">%s</text>`,
			f(px(r.LabelX*lim)), f(py(r.LabelY*lim)), anchor, esc(r.Label))
	}
	// Frame, axes through the origin, ticks.
	fmt.Fprintf(b, `<rect x="%s" y="%s" width="%s" height="%s" fill="none" stroke="#333" stroke-width="0.8"/>`, f(left), f(top), f(side), f(side))
	fmt.Fprintf(b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#333" stroke-width="1"/>`, f(px(-lim)), f(py(0)), f(px(lim)), f(py(0)))
	fmt.Fprintf(b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#333" stroke-width="1"/>`, f(px(0)), f(py(-lim)), f(px(0)), f(py(lim)))
	if c.Diagonals {
		fmt.Fprintf(b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#777" stroke-width="0.8" stroke-dasharray="4 3"/>`, f(px(-lim)), f(py(-lim)), f(px(lim)), f(py(lim)))
		fmt.Fprintf(b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#777" stroke-width="0.8" stroke-dasharray="4 3"/>`, f(px(-lim)), f(py(lim)), f(px(lim)), f(py(-lim)))
	}
	for _, t := range ticks {
		fmt.Fprintf(b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#333" stroke-width="0.8"/>`, f(px(t.Value)), f(top+side), f(px(t.Value)), f(top+side+4))
		fmt.Fprintf(b, `<text x="%s" y="%s" font-size="10" text-anchor="middle">%s</text>`, f(px(t.Value)), f(top+side+15), esc(t.Label))
		fmt.Fprintf(b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#333" stroke-width="0.8"/>`, f(left-4), f(py(t.Value)), f(left), f(py(t.Value)))
		fmt.Fprintf(b, `<text x="%s" y="%s" font-size="10" text-anchor="end" dominant-baseline="middle">%s</text>`, f(left-6), f(py(t.Value)), esc(t.Label))
	}
	fmt.Fprintf(b, `<text x="%s" y="%s" font-size="11" text-anchor="middle">%s</text>`, f(left+side/2), f(top+side+32), esc(c.XLabel))
	fmt.Fprintf(b, `<text transform="translate(%s %s) rotate(-90)" font-size="11" text-anchor="middle">%s</text>`, f(left-34), f(top+side/2), esc(c.YLabel))
	// Leaders, dots, labels.
	for _, p := range out {
		if p.leader {
			fmt.Fprintf(b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#888" stroke-width="0.6"/>`, f(p.gx), f(p.gy), f(p.lx), f(p.ly))
		}
	}
	for _, g := range groups {
		fmt.Fprintf(b, `<circle cx="%s" cy="%s" r="3.2" fill="#0072B2" stroke="#fff" stroke-width="0.8"><title>%s</title></circle>`, f(g.x), f(g.y), esc(strings.Join(g.labels, ", ")))
	}
	for _, p := range out {
		weight := ""
		if p.noteAnchor {
			weight = ` font-weight="bold"`
		}
		fmt.Fprintf(b, `<text x="%s" y="%s" font-size="%s"%s fill="#111" paint-order="stroke" stroke="#fff" stroke-width="2.5" stroke-linejoin="round">`, f(p.x), f(p.y), f(qFont), weight)
		for i, l := range p.lines {
			if i == 0 {
				fmt.Fprintf(b, `<tspan>%s</tspan>`, esc(l))
			} else {
				fmt.Fprintf(b, `<tspan x="%s" dy="%s">%s</tspan>`, f(p.x), f(qLineH), esc(l))
			}
		}
		b.WriteString(`</text>`)
	}
	for i, l := range noteLines {
		fmt.Fprintf(b, `<text x="10" y="%s" font-size="10">%s</text>`, f(top+side+52+float64(i)*qLineH), esc(l))
	}
	b.WriteString(`</svg>`)
}

// spot is a free place for a label: its box, and the leader line that
// joins it to its point when it had to move away (nil when beside it).
type spot struct {
	b      box
	leader *seg
}

// place finds a free box of w × h near the point of group g, trying
// eight directions at growing distances. The box must stay inside area
// and clear of taken boxes, of other points and of the leaders already
// drawn; its own leader (to the middle of its first line, firstW wide)
// crosses no label (labels) where any such place exists, else as few as
// the first free place gives (a label beside its point beats a numbered
// note under the chart).
func place(g qgroup, w, h, firstW float64, taken, labels []box, leaders []seg, groups []qgroup, area box) (spot, bool) {
	if p, ok := placeOnce(g, w, h, firstW, taken, labels, leaders, groups, area, true); ok {
		return p, true
	}
	return placeOnce(g, w, h, firstW, taken, labels, leaders, groups, area, false)
}

// placeOnce is place's search; only when strict must the leader cross no
// label.
func placeOnce(g qgroup, w, h, firstW float64, taken, labels []box, leaders []seg, groups []qgroup, area box, strict bool) (spot, bool) {
	for _, r := range []float64{6, 16, 30, 48, 70, 95, 125, 160, 200} {
		for _, d := range [][2]float64{{1, 0}, {-1, 0}, {0, -1}, {0, 1}, {1, -1}, {-1, -1}, {1, 1}, {-1, 1}} {
			bx := g.x + d[0]*r
			by := g.y + d[1]*r
			switch {
			case d[0] < 0:
				bx -= w
			case d[0] == 0:
				bx -= w / 2
			}
			switch {
			case d[1] < 0:
				by -= h
			case d[1] == 0:
				by -= h / 2
			}
			b := box{bx - 1, by - 1, bx + w + 1, by + h + 1}
			if b.x0 < area.x0 || b.x1 > area.x1 || b.y0 < area.y0 || b.y1 > area.y1 {
				continue
			}
			if slices.ContainsFunc(taken, b.hits) || crossesDot(b, groups, g) || slices.ContainsFunc(leaders, func(l seg) bool { return l.crosses(b) }) {
				continue
			}
			if r <= 6 {
				return spot{b: b}, true
			}
			// The leader runs from the point to the label's nearest line
			// (across the first line's width), leaving out the few pixels around the point's own dot.
			tx := math.Max(bx, math.Min(g.x, bx+firstW))
			ty := math.Max(by+qFont/2, math.Min(g.y, by+h-qFont/2))
			l := seg{g.x, g.y, tx, ty}
			n := math.Hypot(tx-g.x, ty-g.y)
			from := seg{g.x + (tx-g.x)*5/n, g.y + (ty-g.y)*5/n, tx, ty}
			if strict && slices.ContainsFunc(labels, from.crosses) {
				continue
			}
			return spot{b: b, leader: &l}, true
		}
	}
	return spot{}, false
}

// crossesDot reports whether a label box covers any point other than its
// own.
func crossesDot(b box, groups []qgroup, own qgroup) bool {
	for _, g := range groups {
		if g.x == own.x && g.y == own.y {
			continue
		}
		if (box{g.x - 4, g.y - 4, g.x + 4, g.y + 4}).hits(b) {
			return true
		}
	}
	return false
}

// wrap breaks text at ", " or spaces into lines of at most n characters
// (a longer word keeps its own line).
func wrap(s string, n int) []string {
	words := strings.SplitAfter(s, " ")
	var lines []string
	cur := ""
	for _, w := range words {
		if cur != "" && len([]rune(cur+w)) > n {
			lines = append(lines, strings.TrimSpace(cur))
			cur = ""
		}
		cur += w
	}
	if strings.TrimSpace(cur) != "" {
		lines = append(lines, strings.TrimSpace(cur))
	}
	return lines
}

// wrapNotes numbers the notes and wraps each to n characters.
func wrapNotes(notes []string, n int) []string {
	var out []string
	for i, s := range notes {
		for k, l := range wrap(fmt.Sprintf("%d: %s", i+1, s), n) {
			if k > 0 {
				l = "   " + l
			}
			out = append(out, l)
		}
	}
	return out
}
