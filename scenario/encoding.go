package scenario

import (
	"bytes"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// Scenario files are UTF-8. Two other encodings are common in the files
// of the programs Parley reads, written by Excel or on Windows (Decide's
// own repository holds a file in UTF-16, and three whose Windows-1252
// quotation marks an earlier conversion already turned into U+FFFD):
// a file that starts with a UTF-16 byte-order mark is decoded from
// UTF-16 whatever its format, and a CSV-like file (Decide, BDM or KTAB
// CSV) that is not valid UTF-8 is read as Windows-1252, the Windows code
// page of Western Europe and a superset of Latin-1's printable
// characters, with a warning. YAML and JSON must be UTF-8 (or UTF-16),
// as their specifications say; KTAB XML declares its own encoding.

// fromUTF16 decodes data that starts with a UTF-16 byte-order mark to
// UTF-8, without the mark; other data is returned as it is.
func fromUTF16(data []byte) []byte {
	var order unicode.Endianness
	switch {
	case bytes.HasPrefix(data, []byte{0xff, 0xfe}):
		order = unicode.LittleEndian
	case bytes.HasPrefix(data, []byte{0xfe, 0xff}):
		order = unicode.BigEndian
	default:
		return data
	}
	// Invalid sequences (an odd byte, a lone surrogate) become U+FFFD;
	// the decoder returns no error for them.
	out, err := unicode.UTF16(order, unicode.ExpectBOM).NewDecoder().Bytes(data)
	if err != nil {
		return data
	}
	return out
}

// fromWindows1252 decodes a CSV-like file of the given format that is
// not valid UTF-8 from Windows-1252 and returns the 1-based line of its
// first byte that is not UTF-8; line is 0 when data is returned as it is.
func fromWindows1252(data []byte, format string) (out []byte, line int) {
	if format != FormatDecide && format != FormatBDMCSV && format != FormatKTAB || utf8.Valid(data) ||
		bytes.HasPrefix(data, []byte("\ufeff")) {
		return data, 0
	}
	bad := 0
	for bad < len(data) {
		r, n := utf8.DecodeRune(data[bad:])
		if r == utf8.RuneError && n <= 1 {
			break
		}
		bad += n
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil {
		return data, 0
	}
	return out, bytes.Count(data[:bad], []byte("\n")) + 1
}
