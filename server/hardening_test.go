package server

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parley-project/parley/model"
	"github.com/parley-project/parley/model/baseline"
	"github.com/parley-project/parley/result"
	"github.com/parley-project/parley/scenario"
	"github.com/parley-project/parley/store"
	"github.com/parley-project/parley/store/storetest"
)

// send makes a request with the headers given ("Host" sets the Host) and
// returns the status, the headers and the body.
func send(t *testing.T, url, method, path, body string, headers map[string]string) (int, http.Header, string) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		if k == "Host" {
			req.Host = v
		} else {
			req.Header.Set(k, v)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(data)
}

// TestHostAllowList: a request addressed to a name the server does not
// answer to (DNS rebinding: attacker.example resolving to 127.0.0.1) is
// refused; IP literals, localhost and the allowed names are served.
func TestHostAllowList(t *testing.T) {
	_, ts := newTest(t, Config{AllowedHosts: []string{"parley.example.org"}})
	for host, want := range map[string]int{
		"attacker.example":           http.StatusMisdirectedRequest,
		"attacker.example:8080":      http.StatusMisdirectedRequest,
		"localhost.attacker.example": http.StatusMisdirectedRequest,
		"127.0.0.1:8080":             http.StatusOK,
		"[::1]:8080":                 http.StatusOK,
		"10.1.2.3":                   http.StatusOK,
		"localhost:8080":             http.StatusOK,
		"app.localhost":              http.StatusOK,
		"PARLEY.example.org:443":     http.StatusOK,
		"parley.example.org.":        http.StatusOK,
	} {
		for _, path := range []string{"/api/v1/models", "/", "/login"} {
			if code, _, body := send(t, ts.URL, "GET", path, "", map[string]string{"Host": host}); code != want {
				t.Errorf("Host %s, %s: %d %s, want %d", host, path, code, body, want)
			}
		}
	}
	_, any := newTest(t, Config{AllowedHosts: []string{"*"}})
	if code, _, _ := send(t, any.URL, "GET", "/api/v1/models", "", map[string]string{"Host": "anything.example"}); code != http.StatusOK {
		t.Errorf("allow-host *: %d", code)
	}
}

// TestCrossOriginRefused: a page of another origin cannot change
// anything: its state-changing requests are refused by Origin or
// Sec-Fetch-Site, whether or not they are "simple" (text/plain, no-cors);
// same-origin pages and clients without those headers (curl) are served.
func TestCrossOriginRefused(t *testing.T) {
	s, ts := newTest(t, Config{})
	sweep := `{"scenario": "emission-1994", "draws": 10, "noise": {"position": 0.05}}`
	for _, h := range []map[string]string{
		{"Origin": "http://evil.example", "Content-Type": "application/json"},
		{"Origin": "null", "Content-Type": "application/json"},
		{"Sec-Fetch-Site": "cross-site", "Content-Type": "text/plain"},
		{"Sec-Fetch-Site": "same-site", "Origin": "http://other.localhost:1", "Content-Type": "application/json"},
	} {
		for _, r := range []struct{ method, path, body string }{
			{"POST", "/api/v1/runs/sweep", sweep},
			{"POST", "/api/v1/scenarios", `{"scenario": {"name": "x"}}`},
			{"POST", "/api/v1/scenarios/import?name=evil", "Actor,Capability,Position,Salience\na,1,1,1\nb,1,2,1\n"},
			{"DELETE", "/api/v1/runs/1", ""},
			{"POST", "/api/v1/jobs/1/cancel", ""},
			{"POST", "/login", "token=x"},
		} {
			if code, _, body := send(t, ts.URL, r.method, r.path, r.body, h); code != http.StatusForbidden {
				t.Errorf("%v %s %s: %d %s, want 403", h, r.method, r.path, code, body)
			}
		}
	}
	if jobs := s.jobs.List(); len(jobs) != 0 {
		t.Errorf("a cross-origin request started %d jobs", len(jobs))
	}
	if st, _ := s.scen.Scenarios(context.Background()); len(st) != 0 {
		t.Errorf("a cross-origin request stored %d scenarios", len(st))
	}
	// Reading stays open to any page as before (no CORS headers are sent,
	// so a foreign page cannot read the answer).
	if code, h, _ := send(t, ts.URL, "GET", "/api/v1/models", "", map[string]string{"Sec-Fetch-Site": "cross-site"}); code != http.StatusOK || h.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("GET cross-site: %d, %v", code, h)
	}
	for _, h := range []map[string]string{
		{"Origin": ts.URL, "Content-Type": "application/json"},
		{"Sec-Fetch-Site": "same-origin", "Content-Type": "application/json"},
		{"Content-Type": "application/json"}, // curl
	} {
		if code, _, body := send(t, ts.URL, "POST", "/api/v1/runs/sweep", sweep, h); code != http.StatusAccepted {
			t.Errorf("%v: %d %s, want 202", h, code, body)
		}
	}
}

// TestJSONContentType: JSON endpoints take only bodies declared JSON.
func TestJSONContentType(t *testing.T) {
	_, ts := newTest(t, Config{})
	body := `{"scenario": "emission-1994", "model": "mean"}`
	for ct, want := range map[string]int{
		"":                                  http.StatusUnsupportedMediaType,
		"text/plain":                        http.StatusUnsupportedMediaType,
		"application/x-www-form-urlencoded": http.StatusUnsupportedMediaType,
		"multipart/form-data; boundary=x":   http.StatusUnsupportedMediaType,
		"application/json":                  http.StatusCreated,
		"application/json; charset=utf-8":   http.StatusCreated,
		"application/merge-patch+json":      http.StatusCreated,
	} {
		code, _, resp := send(t, ts.URL, "POST", "/api/v1/runs/forecast", body, map[string]string{"Content-Type": ct})
		if code != want {
			t.Errorf("%q: %d %s, want %d", ct, code, resp, want)
		}
	}
}

// TestFrameHeaders: no answer may be framed by another page.
func TestFrameHeaders(t *testing.T) {
	_, ts := newTest(t, Config{})
	for _, path := range []string{"/", "/api/v1/models", "/login", "/static/app.js", "/api/v1/nothing"} {
		_, h, _ := send(t, ts.URL, "GET", path, "", nil)
		if h.Get("X-Frame-Options") != "DENY" || !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") || h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: %v", path, h)
		}
	}
}

// TestDeepNesting: two million nested brackets (which overflowed the
// stack and killed the server) get the validator's problem and 422 from
// import; the server keeps serving.
func TestDeepNesting(t *testing.T) {
	_, ts := newTest(t, Config{})
	deep := strings.Repeat("[", 2_000_000) + strings.Repeat("]", 2_000_000)
	var v struct {
		Valid    bool
		Problems scenario.Problems
	}
	resp := call(t, ts, "POST", "/api/v1/scenarios/validate?file=d.json", deep, &v)
	if resp.StatusCode != http.StatusOK || v.Valid || len(v.Problems) != 1 || v.Problems[0].Msg != "nested more than 64 levels deep" {
		t.Errorf("validate: %d %+v", resp.StatusCode, v)
	}
	resp = call(t, ts, "POST", "/api/v1/scenarios/import?name=deep", deep, nil)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("import: %d", resp.StatusCode)
	}
	wrapped := `{"scenario": ` + deep + `}`
	if resp := call(t, ts, "POST", "/api/v1/scenarios", wrapped, nil); resp.StatusCode != http.StatusBadRequest && resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("create: %d", resp.StatusCode)
	}
	if resp := call(t, ts, "GET", "/api/v1/models", nil, nil); resp.StatusCode != http.StatusOK {
		t.Errorf("after: %d", resp.StatusCode)
	}
}

// TestCountLimits: a sweep of 10¹⁸ draws (which was accepted, then
// panicked a worker and took the server down) and the other counts
// beyond their limits are refused before any job starts.
func TestCountLimits(t *testing.T) {
	s, ts := newTest(t, Config{MaxDraws: 5000, MaxIntervalDraws: 3000})
	for _, r := range []struct {
		path, body, want string
	}{
		{"/api/v1/runs/sweep", `{"scenario": "emission-1994", "draws": 1000000000000000000}`, "draws 1000000000000000000: want a positive number up to 5000 on this server (--max-draws)"},
		{"/api/v1/runs/sweep", `{"scenario": "emission-1994", "draws": 5001}`, "draws 5001: want a positive number up to 5000 on this server"},
		{"/api/v1/runs/sweep", `{"scenario": "emission-1994", "draws": -3}`, "draws -3: want a positive number up to 5000"},
		{"/api/v1/runs/sweep", `{"scenario": "emission-1994", "bins": 7}`, "histogram bins must divide 1000"},
		{"/api/v1/runs/process", `{"scenario": "kosovo-2007", "draws": 6000}`, "draws 6000: want a positive number up to 5000 on this server (--max-draws)"},
		{"/api/v1/runs/process", `{"scenario": "kosovo-2007", "draws": 100000000}`, "draws 100000000: want a positive number up to 5000 on this server"},
		{"/api/v1/runs/recognition", `{"scenario": "kosovo-2007", "draws": 5001}`, "draws 5001: want a positive number up to 5000 on this server (--max-draws)"},
		{"/api/v1/runs/sensitivity", `{"scenario": "emission-1994", "samples": 100000000}`, "at most 1562500 samples for this scenario"},
		{"/api/v1/runs/forecast", `{"scenario": "emission-1994", "interval": true, "draws": 3001}`, "draws 3001: want a positive number up to 3000 on this server (--max-interval-draws)"},
		{"/api/v1/runs/forecast", `{"scenario": "emission-1994", "draws": 400}`, "draws 400: draws and seed set the forecast's interval, which was not asked for (add interval)"},
		{"/api/v1/runs/forecast", `{"scenario": "emission-1994", "seed": 3}`, "seed 3: draws and seed set the forecast's interval, which was not asked for (add interval)"},
		{"/api/v1/runs/conflicts", `{"scenario": "emission-1994", "round": 12}`, "round 12 is beyond the run of 10 rounds: raise rounds to 12 or more"},
		{"/api/v1/runs/advise", `{"scenario": "emission-1994"}`, "missing actor: name the actor to advise (one of "},
		{"/api/v1/runs/backtest", `{"data": "x", "bootstrap": 1000000000}`, "bootstrap must be 0 to 100000"},
		{"/api/v1/runs/backtest", `{"data": "x", "folds": 100000}`, "folds must be 0 (no ensemble) or 2 to 1000"},
	} {
		var e apiError
		resp := call(t, ts, "POST", r.path, r.body, &e)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(e.Error, r.want) {
			t.Errorf("%s %s: %d %q, want 400 and %q", r.path, r.body, resp.StatusCode, e.Error, r.want)
		}
	}
	if jobs := s.jobs.List(); len(jobs) != 0 {
		t.Errorf("%d jobs started", len(jobs))
	}
}

// boom is a model that panics (a stand-in for a bug in a model).
type boom struct{}

func (boom) Info() model.Info { return model.Info{Name: "boom", Description: "panics", Rounds: 1} }
func (boom) Run(context.Context, *scenario.Scenario, model.Options) (*result.Result, error) {
	var s []int
	return nil, fmt.Errorf("%d", s[3])
}

// TestJobPanicMarksRunFailed: a panic in a job (here in a sweep's worker
// goroutine) no longer ends the server: the job fails, its stored run is
// marked failed with the reason everywhere its status shows, the stack
// goes to the log, and the server keeps serving. A panic while answering
// a request gets a generic 500.
func TestJobPanicMarksRunFailed(t *testing.T) {
	var logged bytes.Buffer
	var mu sync.Mutex
	logw := writerFunc(func(p []byte) (int, error) { mu.Lock(); defer mu.Unlock(); return logged.Write(p) })
	_, ts := newTest(t, Config{Registry: model.NewRegistry(boom{}, baseline.Mean{}), Log: log.New(logw, "", 0)})
	var j Job
	if resp := call(t, ts, "POST", "/api/v1/runs/sweep", `{"scenario": "emission-1994", "model": "boom", "draws": 50, "noise": {"position": 0.1}}`, &j); resp.StatusCode != http.StatusAccepted {
		t.Fatalf("sweep: %d", resp.StatusCode)
	}
	j = waitJob(t, ts, j.ID, ended)
	if j.Status != JobFailed || !strings.HasPrefix(j.Error, "internal error: panic: runtime error: index out of range") {
		t.Fatalf("job %+v", j)
	}
	var run runDoc
	call(t, ts, "GET", fmt.Sprintf("/api/v1/runs/%d", j.RunID), nil, &run)
	if run.Status != store.StatusFailed || !strings.HasPrefix(run.StatusText, "failed: internal error in job "+j.ID+": panic: runtime error: index out of range") || run.Error == "" || run.Resumable {
		t.Errorf("run %+v", run)
	}
	var list []runDoc
	call(t, ts, "GET", "/api/v1/runs", nil, &list)
	if len(list) != 1 || list[0].StatusText != run.StatusText {
		t.Errorf("list %+v", list)
	}
	mu.Lock()
	if !strings.Contains(logged.String(), "goroutine") || !strings.Contains(logged.String(), "boom.Run") {
		t.Errorf("log has no stack:\n%s", logged.String())
	}
	mu.Unlock()
	var e apiError
	resp := call(t, ts, "POST", "/api/v1/runs/forecast", `{"scenario": "emission-1994", "model": "boom"}`, &e)
	if resp.StatusCode != http.StatusInternalServerError || !strings.HasPrefix(e.Error, "internal error (incident ") {
		t.Errorf("forecast: %d %q", resp.StatusCode, e.Error)
	}
	if resp := call(t, ts, "GET", "/api/v1/models", nil, nil); resp.StatusCode != http.StatusOK {
		t.Errorf("after the panics: %d", resp.StatusCode)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// TestImportTimeoutStoresNothing: an import whose request times out
// stores nothing, even when the time runs out after the scenario is read
// (the answer, which used to be encoded after the save, now comes before
// it, and the save commits only while the request can still answer).
func TestImportTimeoutStoresNothing(t *testing.T) {
	s, ts := newTest(t, Config{RequestTimeout: 300 * time.Millisecond})
	done := make(chan struct{})
	s.encoded = func() {
		time.Sleep(400 * time.Millisecond) // a large scenario's answer
		close(done)
	}
	csv := "Actor,Capability,Position,Salience\na,1,1,1\nb,1,2,1\nc,1,3,1\n"
	resp := call(t, ts, "POST", "/api/v1/scenarios/import?name=late", csv, nil)
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("import: %d, want 503", resp.StatusCode)
	}
	<-done
	time.Sleep(100 * time.Millisecond) // the save after the hook
	if st, err := s.scen.Scenarios(context.Background()); err != nil || len(st) != 0 {
		t.Errorf("stored after the timeout: %+v %v", st, err)
	}
	s.encoded = nil
	if resp := call(t, ts, "POST", "/api/v1/scenarios/import?name=late", csv, nil); resp.StatusCode != http.StatusCreated {
		t.Errorf("in time: %d", resp.StatusCode)
	}
}

// TestListingReadsNoSource: the list of scenarios comes from the
// summaries kept with them: a scenario whose source no longer parses is
// listed with its summary (it is not read), and one saved before
// summaries were kept is read once and its summary recorded.
func TestListingReadsNoSource(t *testing.T) {
	path := filepath.Join(t.TempDir(), "parley.db")
	s, ts := newTestAt(t, Config{}, path)
	ctx := context.Background()
	if _, err := s.scen.SaveScenario(ctx, "kept", "not a scenario: [", store.Summary{Title: "Kept", Issues: 2, Actors: 5}, 0); err != nil {
		t.Fatal(err)
	}
	src, _ := json.Marshal(map[string]any{"name": "old", "title": "Old", "issues": []any{map[string]any{"id": "i", "min": 0, "max": 1}},
		"actors": []any{map[string]any{"id": "a", "capability": 1, "stances": map[string]any{"i": map[string]any{"position": 1, "salience": 1}}}}})
	if _, err := s.scen.SaveScenario(ctx, "old", string(src), store.Summary{}, 0); err != nil {
		t.Fatal(err)
	}
	// What migration 0006 leaves of a scenario saved before it.
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`UPDATE scenarios SET title = NULL, issues = NULL, actors = NULL WHERE name = 'old'`); err != nil {
		t.Fatal(err)
	}
	var list []scenarioInfo
	call(t, ts, "GET", "/api/v1/scenarios", nil, &list)
	got := map[string]scenarioInfo{}
	for _, l := range list {
		got[l.Name] = l
	}
	if k := got["kept"]; k.Title != "Kept" || k.Issues != 2 || k.Actors != 5 || k.Error != "" {
		t.Errorf("listing parsed the source: %+v", k)
	}
	if o := got["old"]; o.Title != "Old" || o.Issues != 1 || o.Actors != 1 || o.Error != "" {
		t.Errorf("a scenario without a summary: %+v", o)
	}
	stored, _ := s.scen.Scenarios(ctx)
	for _, st := range stored {
		if st.Summary == nil {
			t.Errorf("%s has no summary after listing", st.Name)
		}
	}
	if resp := call(t, ts, "GET", "/api/v1/scenarios/kept", nil, nil); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("reading it does parse it: %d", resp.StatusCode)
	}
}

// TestParseBudget: scenario bytes being parsed are bounded; a request
// that finds no room in time gets 503 with Retry-After, and is served
// once the room is free.
func TestParseBudget(t *testing.T) {
	s, ts := newTest(t, Config{MaxBody: 1 << 20, ParseBudget: 1 << 20})
	release, err := s.parses.acquire(context.Background(), 1<<20) // another parse holds it all
	if err != nil {
		t.Fatal(err)
	}
	csv := "Actor,Capability,Position,Salience\na,1,1,1\nb,1,2,1\n"
	for _, path := range []string{"/api/v1/scenarios/validate", "/api/v1/scenarios/import?name=x"} {
		start := time.Now()
		code, h, body := send(t, ts.URL, "POST", path, csv, nil)
		if code != http.StatusServiceUnavailable || h.Get("Retry-After") != "2" || !strings.Contains(body, "busy") {
			t.Errorf("%s: %d %v %s", path, code, h, body)
		}
		if d := time.Since(start); d < parseWait || d > parseWait+5*time.Second {
			t.Errorf("%s: answered after %v", path, d)
		}
	}
	release()
	if code, _, body := send(t, ts.URL, "POST", "/api/v1/scenarios/validate", csv, nil); code != http.StatusOK {
		t.Errorf("after the release: %d %s", code, body)
	}
}

// TestLoginRateLimit: wrong tokens are answered 429 once a client has
// tried LoginBurst of them, at /login, in a link and in the
// Authorization header alike; until its budget refills, even the right
// token is not heard. (14,873 guesses in 5 seconds were possible.)
func TestLoginRateLimit(t *testing.T) {
	const token = "0123456789abcdef0123"
	_, ts := newTest(t, Config{Token: token})
	form := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
	for i := range LoginBurst {
		if code, _, _ := send(t, ts.URL, "POST", "/login", "token=guess"+fmt.Sprint(i), form); code != http.StatusUnauthorized {
			t.Fatalf("guess %d: %d", i, code)
		}
	}
	code, h, _ := send(t, ts.URL, "POST", "/login", "token=guess", form)
	if code != http.StatusTooManyRequests || h.Get("Retry-After") == "" {
		t.Errorf("guess %d: %d %v", LoginBurst+1, code, h)
	}
	for _, r := range []struct {
		path string
		h    map[string]string
	}{
		{"/login", form},
		{"/api/v1/models", map[string]string{"Authorization": "Bearer " + token}},
		{"/?token=" + token, nil},
	} {
		body := ""
		if r.path == "/login" {
			body = "token=" + token
		}
		if code, _, _ := send(t, ts.URL, map[bool]string{true: "POST", false: "GET"}[body != ""], r.path, body, r.h); code != http.StatusTooManyRequests {
			t.Errorf("%s while blocked: %d", r.path, code)
		}
	}
	// Each header guess counts too (a fresh server: a fresh budget).
	_, ts = newTest(t, Config{Token: token})
	codes := map[int]int{}
	for i := range 3 * LoginBurst {
		code, _, _ := send(t, ts.URL, "GET", "/api/v1/models", "", map[string]string{"Authorization": "Bearer guess" + fmt.Sprint(i)})
		codes[code]++
	}
	if codes[http.StatusUnauthorized] != LoginBurst || codes[http.StatusTooManyRequests] != 2*LoginBurst {
		t.Errorf("bearer guesses: %v", codes)
	}
	// Requests without any token are not guesses: the browser is sent to
	// /login as before.
	_, ts = newTest(t, Config{Token: token})
	for range 3 * LoginBurst {
		if code, _, _ := send(t, ts.URL, "GET", "/api/v1/models", "", nil); code != http.StatusUnauthorized {
			t.Fatalf("no token: %d", code)
		}
	}
}

// TestInternalErrorsAreGeneric: when the database fails, the answer
// says so without its details (a PostgreSQL error names the database's
// user, name and host); the log has them under the incident number the
// answer gives.
func TestInternalErrorsAreGeneric(t *testing.T) {
	var logged bytes.Buffer
	s, ts := newTest(t, Config{Log: log.New(&logged, "", 0)})
	s.cfg.Store.Close() // the database goes away
	for _, path := range []string{"/api/v1/runs", "/api/v1/runs/1", "/api/v1/scenarios", "/api/v1/scenarios/mine"} {
		var e apiError
		resp := call(t, ts, "GET", path, nil, &e)
		if resp.StatusCode != http.StatusInternalServerError || !strings.HasPrefix(e.Error, "internal error (incident ") || strings.Contains(e.Error, "sql") {
			t.Errorf("%s: %d %q", path, resp.StatusCode, e.Error)
		}
		incident := strings.TrimSuffix(strings.Fields(e.Error)[3], ";")
		if !strings.Contains(logged.String(), "incident "+incident+": ") || !strings.Contains(logged.String(), "database is closed") {
			t.Errorf("%s: the log lacks incident %s:\n%s", path, incident, logged.String())
		}
	}
}

// TestInternalErrorsPostgres: a PostgreSQL error (here: the schema is
// gone) is logged, and the answer names neither the database nor its
// tables.
func TestInternalErrorsPostgres(t *testing.T) {
	dsn := storetest.Postgres(t)
	var logged bytes.Buffer
	_, ts := newTestAt(t, Config{Log: log.New(&logged, "", 0)}, dsn)
	u, _ := url.Parse(dsn)
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`DROP SCHEMA ` + u.Query().Get("search_path") + ` CASCADE`); err != nil {
		t.Fatal(err)
	}
	var e apiError
	resp := call(t, ts, "GET", "/api/v1/runs", nil, &e)
	if resp.StatusCode != http.StatusInternalServerError || !strings.HasPrefix(e.Error, "internal error (incident ") ||
		strings.Contains(e.Error, "runs") || strings.Contains(e.Error, "SQLSTATE") || strings.Contains(e.Error, u.User.Username()) {
		t.Errorf("%d %q", resp.StatusCode, e.Error)
	}
	if !strings.Contains(logged.String(), "SQLSTATE") {
		t.Errorf("the log lacks the database's message:\n%s", logged.String())
	}
}

// TestResumeWhileLeased: a sweep another process is writing (it holds
// the run's lease) cannot be resumed; once its lease lapses, it can.
func TestResumeWhileLeased(t *testing.T) {
	s, ts := newTest(t, Config{})
	ctx := context.Background()
	var j Job
	call(t, ts, "POST", "/api/v1/runs/sweep", `{"scenario": "emission-1994", "draws": 20, "noise": {"position": 0.05}}`, &j)
	j = waitJob(t, ts, j.ID, ended)
	// Make it an interrupted sweep held by another process.
	run, err := s.cfg.Store.Get(ctx, j.RunID)
	if err != nil || run.Status != store.StatusDone {
		t.Fatalf("%+v %v", run, err)
	}
	r2 := *run
	r2.ID, r2.Status, r2.Result = 0, "", nil
	if err := s.cfg.Store.Create(ctx, &r2); err != nil {
		t.Fatal(err)
	}
	if err := s.cfg.Store.SetStatus(ctx, r2.ID, store.StatusInterrupted); err != nil {
		t.Fatal(err)
	}
	if err := s.cfg.Store.Lease(ctx, r2.ID, "other-process", 300*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	var doc runDoc
	call(t, ts, "GET", fmt.Sprintf("/api/v1/runs/%d", r2.ID), nil, &doc)
	if doc.Resumable {
		t.Error("a leased run is offered for resuming")
	}
	var e apiError
	resp := call(t, ts, "POST", fmt.Sprintf("/api/v1/runs/%d/resume", r2.ID), nil, &e)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(e.Error, "is being written by another process") {
		t.Errorf("resume while leased: %d %q", resp.StatusCode, e.Error)
	}
	time.Sleep(400 * time.Millisecond)
	if resp := call(t, ts, "POST", fmt.Sprintf("/api/v1/runs/%d/resume", r2.ID), nil, &j); resp.StatusCode != http.StatusAccepted {
		t.Fatalf("resume after the lease lapsed: %d", resp.StatusCode)
	}
	if j = waitJob(t, ts, j.ID, ended); j.Status != JobDone {
		t.Errorf("resumed job %+v", j)
	}
}

// TestHostileCorpus sends every file of testdata/hostile to the
// validator and to import: each is answered with its problems (a legal
// one is imported), none with a server error, and the server serves on.
func TestHostileCorpus(t *testing.T) {
	_, ts := newTest(t, Config{})
	dir := filepath.Join("..", "testdata", "hostile")
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) == 0 {
		t.Fatal(entries, err)
	}
	for i, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		legal := e.Name() == "decide-many-points.txt"
		var v struct{ Valid bool }
		resp := call(t, ts, "POST", "/api/v1/scenarios/validate?file="+e.Name(), data, &v)
		if resp.StatusCode != http.StatusOK || v.Valid != legal {
			t.Errorf("validate %s: %d, valid %v", e.Name(), resp.StatusCode, v.Valid)
		}
		resp = call(t, ts, "POST", fmt.Sprintf("/api/v1/scenarios/import?name=h%d&file=%s", i, e.Name()), data, nil)
		if want := map[bool]int{true: http.StatusCreated, false: http.StatusUnprocessableEntity}[legal]; resp.StatusCode != want {
			t.Errorf("import %s: %d, want %d", e.Name(), resp.StatusCode, want)
		}
	}
	if resp := call(t, ts, "GET", "/api/v1/scenarios", nil, nil); resp.StatusCode != http.StatusOK {
		t.Errorf("after: %d", resp.StatusCode)
	}
}
