package scenarios

import (
	"bufio"
	"flag"
	"fmt"
	"hash/fnv"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/parley-project/parley/scenario"
)

// The articles the built-in scenarios cite (../shared/sources) are not in
// the repository: Parley paraphrases them and may quote a few words at
// most. TestNoCopiedSentences checks that rule mechanically against a
// fingerprint of the articles: testdata/article-fingerprints.txt holds,
// for every run of copyWords consecutive words of each article (after
// normalise), a 64-bit FNV-1a hash and the article's id, and nothing
// else, so the file cannot be read back into the articles' text.
//
// To rebuild or re-check the fingerprint from the articles:
//
//	go test ./scenarios -run TestArticleFingerprints -articles ../../shared/sources [-update-fingerprints]
//
// (the test runs in scenarios/, so a relative DIR is relative to it).
var (
	articlesDir        = flag.String("articles", "", "directory of the source articles (NNN_*.txt); TestArticleFingerprints checks the fingerprint file against them")
	updateFingerprints = flag.Bool("update-fingerprints", false, "with -articles: rewrite testdata/article-fingerprints.txt")
)

// copyWords is the shortest run of words shared with an article that
// counts as copying: a quotation may run to copyWords-1 words.
const copyWords = 7

const fingerprintFile = "testdata/article-fingerprints.txt"

// normalise splits text into lower-case words: apostrophes are dropped
// (so "Kosovo's" and "Kosovo’s" are both "kosovos"), a comma or point
// between digits is dropped ("16,000" is "16000"), and every other
// character that is not a letter or a digit separates words.
func normalise(text string) []string {
	return normaliseLines(text, nil)
}

// normaliseLines is normalise that also appends to lines the 1-based line
// of text on which each word starts (when lines is not nil).
func normaliseLines(text string, lines *[]int) []string {
	var words []string
	var b strings.Builder
	line := 1
	start := 1
	rs := []rune(text)
	flush := func() {
		if b.Len() > 0 {
			words = append(words, b.String())
			if lines != nil {
				*lines = append(*lines, start)
			}
			b.Reset()
		}
	}
	for i, r := range rs {
		switch {
		case r == '\'' || r == '’' || r == '‘' || r == '`':
			continue
		case (r == ',' || r == '.') && i > 0 && i+1 < len(rs) && unicode.IsDigit(rs[i-1]) && unicode.IsDigit(rs[i+1]):
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if b.Len() == 0 {
				start = line
			}
			b.WriteRune(unicode.ToLower(r))
		default:
			flush()
		}
		if r == '\n' {
			line++
		}
	}
	flush()
	return words
}

func shingleHash(words []string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(strings.Join(words, " ")))
	return h.Sum64()
}

// fingerprint returns the hash of every run of copyWords words of text.
func fingerprint(text string) []uint64 {
	w := normalise(text)
	var hs []uint64
	for i := 0; i+copyWords <= len(w); i++ {
		hs = append(hs, shingleHash(w[i:i+copyWords]))
	}
	return hs
}

// readFingerprints reads the fingerprint file: hash (hex) → article id.
func readFingerprints(t *testing.T) map[uint64]string {
	fp, _ := readFingerprintFile(t)
	return fp
}

// readFingerprintFile reads the fingerprint file: hash (hex) → article
// id, and article id → its number of paragraphs (non-blank lines).
func readFingerprintFile(t *testing.T) (map[uint64]string, map[string]int) {
	t.Helper()
	f, err := os.Open(fingerprintFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fp := map[uint64]string{}
	paragraphs := map[string]int{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, "# paragraphs "); ok {
			id, count, _ := strings.Cut(rest, " ")
			k, err := strconv.Atoi(count)
			if err != nil {
				t.Fatalf("%s:%d: %q", fingerprintFile, n, line)
			}
			paragraphs[id] = k
			continue
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		hex, id, ok := strings.Cut(line, " ")
		h, err := strconv.ParseUint(hex, 16, 64)
		if !ok || err != nil {
			t.Fatalf("%s:%d: want \"<hex hash> <article id>\", got %q", fingerprintFile, n, line)
		}
		fp[h] = id
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return fp, paragraphs
}

// buildFingerprints computes the fingerprint file's text from the
// articles in dir (files NNN_*.txt; the id is NNN).
func buildFingerprints(dir string) (string, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(paths) == 0 {
		return "", fmt.Errorf("no articles (*.txt) in %s", dir)
	}
	seen := map[uint64]string{}
	var counts []string
	for _, p := range paths {
		id, _, _ := strings.Cut(filepath.Base(p), "_")
		data, err := os.ReadFile(p)
		if err != nil {
			return "", err
		}
		n := 0
		for _, l := range strings.Split(string(data), "\n") {
			if strings.TrimSpace(l) != "" {
				n++
			}
		}
		counts = append(counts, fmt.Sprintf("# paragraphs %s %d\n", id, n))
		for _, h := range fingerprint(string(data)) {
			if _, ok := seen[h]; !ok {
				seen[h] = id
			}
		}
	}
	hs := make([]uint64, 0, len(seen))
	for h := range seen {
		hs = append(hs, h)
	}
	slices.Sort(hs)
	var b strings.Builder
	fmt.Fprintf(&b, "# FNV-1a 64 hashes of every run of %d consecutive words of the source articles\n", copyWords)
	b.WriteString("# (normalised as in paraphrase_test.go), with the article's id. Not the text.\n")
	b.WriteString("# Rebuild: go test ./scenarios -run TestArticleFingerprints -articles DIR -update-fingerprints\n")
	b.WriteString("# Each article's number of paragraphs (non-blank lines, the scenarios' paragraph convention):\n")
	for _, c := range counts {
		b.WriteString(c)
	}
	for _, h := range hs {
		fmt.Fprintf(&b, "%016x %s\n", h, seen[h])
	}
	return b.String(), nil
}

// TestArticleFingerprints checks the fingerprint file against the
// articles when they are given with -articles (they are not in the
// repository), and rewrites it with -update-fingerprints.
func TestArticleFingerprints(t *testing.T) {
	if *articlesDir == "" {
		t.Skip("the articles are not in the repository; run with -articles DIR to check the fingerprint file against them")
	}
	want, err := buildFingerprints(*articlesDir)
	if err != nil {
		t.Fatal(err)
	}
	if *updateFingerprints {
		if err := os.WriteFile(fingerprintFile, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(fingerprintFile)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("%s does not match the articles in %s; rerun with -update-fingerprints", fingerprintFile, *articlesDir)
	}
}

// TestFingerprintsMatchNormalisation checks, without the articles, that
// the fingerprint file was built with this file's normalisation: the
// headlines of two articles (which the scenarios cite as titles) must be
// found in it, each attributed to its article.
func TestFingerprintsMatchNormalisation(t *testing.T) {
	fp := readFingerprints(t)
	if len(fp) < 4000 {
		t.Fatalf("%s holds %d fingerprints; the five articles give about 4,900", fingerprintFile, len(fp))
	}
	for _, c := range []struct{ id, headline string }{
		{"003", "Kosovo: Internationally Mediated Talks End Without A Deal"},
		{"004", "Russia and U.S.: conflict over Kosovo. Russia and U.S. are close"},
	} {
		for _, h := range fingerprint(c.headline) {
			if fp[h] != c.id {
				t.Errorf("a run of %q is attributed to article %q, want %s", c.headline, fp[h], c.id)
			}
		}
	}
}

// copiedRun is a run of words a checked file shares with an article.
type copiedRun struct {
	line    int
	article string
	words   []string
}

// copiedRuns finds every maximal run of at least copyWords words of text
// that is also in an article, skipping the runs that lie inside an
// exempt phrase (an article's own headline, cited as its title).
func copiedRuns(text string, fp map[uint64]string, exempt [][]string) []copiedRun {
	var lines []int
	w := normaliseLines(text, &lines)
	// Words inside an exempt phrase break every run.
	skip := make([]bool, len(w))
	for _, e := range exempt {
		for i := 0; i+len(e) <= len(w); i++ {
			if slices.Equal(w[i:i+len(e)], e) {
				for j := i; j < i+len(e); j++ {
					skip[j] = true
				}
			}
		}
	}
	hit := make([]string, len(w)) // article id of the shingle starting at i
	for i := 0; i+copyWords <= len(w); i++ {
		if slices.Contains(skip[i:i+copyWords], true) {
			continue
		}
		hit[i] = fp[shingleHash(w[i:i+copyWords])]
	}
	var runs []copiedRun
	for i := 0; i < len(hit); {
		if hit[i] == "" {
			i++
			continue
		}
		j := i
		for j+1 < len(hit) && hit[j+1] != "" {
			j++
		}
		runs = append(runs, copiedRun{lines[i], hit[i], w[i : j+copyWords]})
		i = j + 1
	}
	return runs
}

// TestNoCopiedSentences checks that no built-in scenario, no page of the
// documentation and not the README shares a run of copyWords or more
// words with a source article: evidence texts, notes and the docs'
// quotations must paraphrase, quoting a few words at most. The
// articles' headlines, which the scenarios give as titles, are exempt.
func TestNoCopiedSentences(t *testing.T) {
	fp := readFingerprints(t)
	var exempt [][]string
	for _, name := range Names() {
		sc, err := Get(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range sc.Sources {
			if w := normalise(s.Title); len(w) >= copyWords {
				exempt = append(exempt, w)
			}
		}
	}
	var files []string
	for _, name := range Names() {
		files = append(files, name+".yaml")
	}
	files = append(files, "../README.md")
	err := filepath.WalkDir("../docs", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		for _, r := range copiedRuns(string(data), fp, exempt) {
			t.Errorf("%s:%d: %d words copied from article %s: %q", f, r.line, len(r.words), r.article, strings.Join(r.words, " "))
		}
	}
	if checked < 10 {
		t.Errorf("checked %d files, want the scenarios, the README and the docs", checked)
	}
}

// TestCopiedRuns checks the detector on made-up text.
func TestCopiedRuns(t *testing.T) {
	article := "The quick brown fox jumps over the lazy dog near the river bank today."
	fp := map[uint64]string{}
	for _, h := range fingerprint(article) {
		fp[h] = "009"
	}
	for _, c := range []struct {
		text   string
		want   []string // the runs found, words joined by spaces
		exempt string
	}{
		// Six words shared: a quotation, allowed.
		{text: "He said the quick brown fox jumps over, then left.", want: nil},
		// Seven words shared, across a line break, with different case and punctuation.
		{text: "intro\nThe Quick brown-fox\njumps over the, lazy cat", want: []string{"the quick brown fox jumps over the lazy"}},
		// An apostrophe does not hide a copy.
		{text: "x fox jump's over the lazy dog near the river y", want: []string{"fox jumps over the lazy dog near the river"}},
		// An exempt phrase (a cited headline) is not a copy.
		{text: "see “the quick brown fox jumps over the lazy dog” (title)", exempt: "the quick brown fox jumps over the lazy dog"},
	} {
		var exempt [][]string
		if c.exempt != "" {
			exempt = append(exempt, normalise(c.exempt))
		}
		var got []string
		for _, r := range copiedRuns(c.text, fp, exempt) {
			got = append(got, strings.Join(r.words, " "))
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%q: found %q, want %q", c.text, got, c.want)
		}
	}
	if got := normalise("Kosovo’s 16,000 U.S.-backed troops; Đukanović's"); !slices.Equal(got, []string{"kosovos", "16000", "u", "s", "backed", "troops", "đukanovićs"}) {
		t.Errorf("normalise: %q", got)
	}
	var lines []int
	normaliseLines("a b\n\nc", &lines)
	if !slices.Equal(lines, []int{1, 1, 3}) {
		t.Errorf("lines %v, want [1 1 3]", lines)
	}
}

// TestEvidenceParagraphsExist checks that every evidence entry of the
// built-in scenarios that cites one of the articles names a paragraph the
// article has (paragraph N is its N-th non-blank line).
func TestEvidenceParagraphsExist(t *testing.T) {
	_, paragraphs := readFingerprintFile(t)
	if len(paragraphs) != 5 {
		t.Fatalf("%s gives the paragraphs of %d articles, want 5", fingerprintFile, len(paragraphs))
	}
	checked := 0
	for _, name := range Names() {
		sc, err := Get(name)
		if err != nil {
			t.Fatal(err)
		}
		article := map[string]string{} // source id → article id
		for _, s := range sc.Sources {
			if id, _, ok := strings.Cut(s.Ref, "_"); ok && paragraphs[id] > 0 {
				article[s.ID] = id
			}
		}
		walkTexts(name, sc, func(string, string) {}, func(where string, e scenario.Evidence) {
			id, ok := article[e.Source]
			if !ok {
				return
			}
			checked++
			if e.Paragraph < 1 || e.Paragraph > paragraphs[id] {
				t.Errorf("%s cites paragraph %d of article %s, which has %d", where, e.Paragraph, id, paragraphs[id])
			}
		})
	}
	if checked < 500 {
		t.Errorf("checked %d entries citing the articles; the built-in scenarios hold over 500", checked)
	}
}
