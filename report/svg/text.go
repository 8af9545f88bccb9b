package svg

import "unicode"

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
