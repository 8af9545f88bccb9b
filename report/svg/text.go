package svg

import (
	"fmt"
	"strings"
	"unicode"
)

// TextWidth estimates the width in pixels of s set in a sans-serif face
// at size pixels, from the advance widths of Helvetica's character
// classes (narrow punctuation and i, l; digits; lower case; upper case;
// wide m, w, M, W). The charts do not embed fonts, so the page's face
// decides the true width; the estimate is what a chart lays out with —
// the room left of an axis for its labels today, labels at line ends and
// wrapped names tomorrow — and errs wide for the faces browsers pick.
func TextWidth(s string, size float64) float64 {
	em := 0.0
	for _, r := range s {
		switch {
		case r == ' ' || r == '.' || r == ',' || r == ':' || r == ';' || r == '\'' || r == '!' || r == '|' || r == 'i' || r == 'l' || r == 'j' || r == 'I':
			em += 0.28
		case r == '-' || r == '(' || r == ')' || r == 'f' || r == 't' || r == 'r':
			em += 0.34
		case r == 'm' || r == 'w' || r == 'M' || r == 'W' || r == '…' || r == '—':
			em += 0.85
		case unicode.IsDigit(r):
			em += 0.556
		case unicode.IsUpper(r):
			em += 0.68
		case r < 0x80:
			em += 0.53
		default:
			em += 0.6
		}
	}
	return em * size
}

// WrapText breaks s into lines no wider than width pixels at size (by
// TextWidth), at spaces; a word wider than a line is broken inside. A
// name is never cut: it takes as many lines as it needs. Width 0 or
// less keeps s on one line.
func WrapText(s string, width, size float64) []string {
	words := strings.Fields(s)
	if width <= 0 || len(words) == 0 {
		return []string{strings.TrimSpace(s)}
	}
	var lines []string
	cur := ""
	for _, w := range words {
		for TextWidth(w, size) > width {
			// A word wider than the line: as many of its runes as fit.
			if cur != "" {
				lines, cur = append(lines, cur), ""
			}
			r := []rune(w)
			k := 1
			for k < len(r) && TextWidth(string(r[:k+1]), size) <= width {
				k++
			}
			lines, w = append(lines, string(r[:k])), string(r[k:])
		}
		switch {
		case w == "":
		case cur == "":
			cur = w
		case TextWidth(cur+" "+w, size) <= width:
			cur += " " + w
		default:
			lines, cur = append(lines, cur), w
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}

// widest is the width of the widest of lines at size.
func widest(lines []string, size float64) float64 {
	w := 0.0
	for _, l := range lines {
		w = max(w, TextWidth(l, size))
	}
	return w
}

// writeLines writes lines as one text element whose block is centred
// vertically on y, each line lineH below the one before; attrs are
// further attributes (text-anchor, font-weight, fill).
func writeLines(b *strings.Builder, x, y float64, lines []string, size, lineH float64, attrs string) {
	top := y - float64(len(lines)-1)*lineH/2
	fmt.Fprintf(b, `<text x="%s" y="%s" font-size="%s" dominant-baseline="middle"%s>`, f(x), f(top), FormatNum(size), attrs)
	for i, l := range lines {
		if i == 0 {
			fmt.Fprintf(b, `<tspan x="%s">%s</tspan>`, f(x), esc(l))
			continue
		}
		fmt.Fprintf(b, `<tspan x="%s" dy="%s">%s</tspan>`, f(x), FormatNum(lineH), esc(l))
	}
	b.WriteString(`</text>`)
}
