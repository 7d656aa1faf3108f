package api

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"luot/server/client"
	"luot/server/queue"
)

// The client's contract (package server/client) is written out apart from
// the server's code, which it must not import (server/client/deps_test.go).
// These tests tie it to the server: the booking-code rules to queue's, the
// error codes to the codes the server answers.

// TestClientBookingCodeRules: the client's alphabet, length and
// normalisation are queue's, and the API takes exactly the codes the
// client deems well formed.
func TestClientBookingCodeRules(t *testing.T) {
	if client.BookingCodeAlphabet != queue.BookingCodeAlphabet {
		t.Errorf("client.BookingCodeAlphabet %q, queue's %q", client.BookingCodeAlphabet, queue.BookingCodeAlphabet)
	}
	if client.BookingCodeLen != queue.BookingCodeLen {
		t.Errorf("client.BookingCodeLen %d, queue's %d", client.BookingCodeLen, queue.BookingCodeLen)
	}
	for _, s := range bookingCodeSeeds {
		sameBookingCodeRules(t, s)
	}
}

var bookingCodeSeeds = []string{
	"", "AC3467", "ac3467", " AC-3467\r\n", "AC.34.67", "\tAC 34 67", "AB0345", "ACEFG", "ACEFGHJ",
	"ĐB2345", "ac\u00a03467", "ACEFGß", "https://luot.example.vn/b/AC3467",
}

// FuzzBookingCodeRules: for any input, client and queue normalise alike
// and agree on validity, and the API's decoder agrees with both.
func FuzzBookingCodeRules(f *testing.F) {
	for _, s := range bookingCodeSeeds {
		f.Add(s)
	}
	f.Fuzz(sameBookingCodeRules)
}

func sameBookingCodeRules(t *testing.T, s string) {
	c, q := client.NormalizeBookingCode(s), queue.NormalizeBookingCode(s)
	if c != q {
		t.Errorf("NormalizeBookingCode(%q): client %q, queue %q", s, c, q)
	}
	if client.ValidBookingCode(s) != queue.ValidBookingCode(s) {
		t.Errorf("ValidBookingCode(%q): client %v, queue %v", s, client.ValidBookingCode(s), queue.ValidBookingCode(s))
	}
	got, err := bookingCode(s)
	if (err == nil) != client.ValidBookingCode(c) || err == nil && got != c {
		t.Errorf("the API takes %q as %q (err %v); the client normalises it to %q, valid %v", s, got, err, c, client.ValidBookingCode(c))
	}
	if !strings.Contains(s, "://") {
		if sc, ok := client.ScannedBookingCode(s); sc != c || ok != client.ValidBookingCode(c) {
			t.Errorf("ScannedBookingCode(%q) = %q, %v; NormalizeBookingCode gives %q", s, sc, ok, c)
		}
	}
}

// TestClientErrorCodes: every code server/client publishes is one the
// server answers, and every code of the domain's errors (queue's Err…
// values) is published.
func TestClientErrorCodes(t *testing.T) {
	for _, p := range []struct{ client, queue string }{
		{client.CodeOfficeClosed, queue.ErrOfficeClosed.Code},
		{client.CodeCapReached, queue.ErrCapReached.Code},
		{client.CodeNotServed, queue.ErrNotServed.Code},
		{client.CodeServiceInactive, queue.ErrServiceClosed.Code},
		{client.CodeUnknownService, queue.ErrUnknownService.Code},
		{client.CodeUnknownBooking, queue.ErrUnknownBooking.Code},
		{client.CodeBookingCancelled, queue.ErrBookingCanceled.Code},
		{client.CodeTooEarly, queue.ErrTooEarly.Code},
		{client.CodeTooLate, queue.ErrTooLate.Code},
		{client.CodeCheckedIn, queue.ErrCheckedIn.Code},
		{client.CodeJustCalled, queue.ErrJustCalled.Code},
		{client.CodeNobodyWaiting, queue.ErrNobodyWaiting.Code},
	} {
		if p.client != p.queue {
			t.Errorf("client code %q, queue's %q", p.client, p.queue)
		}
	}

	published := map[string]string{} // value → constant
	for name, v := range clientCodes(t) {
		published[v] = name
	}
	answered := serverStrings(t)
	for v, name := range published {
		if !answered[v] {
			t.Errorf("client.%s = %q, which no server code answers", name, v)
		}
	}
	for _, v := range queueErrorCodes(t) {
		if _, ok := published[v]; !ok {
			t.Errorf("queue's error code %q is not published by server/client (codes.go)", v)
		}
	}
}

// TestOfficeClosedSaysWhenToComeBack: a number asked for outside opening
// hours is refused with the next opening in come_back_at (and in the
// message); errors that know no such time have no come_back_at.
func TestOfficeClosedSaysWhenToComeBack(t *testing.T) {
	e := newEnv(t)
	o := testOffice()
	o.Hours = queue.WeekHours{"fri": {{From: "13:30", To: "17:00"}}}
	if _, err := e.eng.Do(context.Background(), office, func(s *queue.State, now time.Time) (*queue.Change, error) {
		return s.Reconfigure(now, o, "test")
	}); err != nil {
		t.Fatal(err)
	}
	issue := req{method: "POST", path: "/api/v1/offices/" + office + "/tickets", device: "kiosk1",
		header: map[string]string{"Idempotency-Key": "k1"}, body: map[string]string{"service": "xay-dung"}}
	r := e.do(t, issue) // Friday 08:00
	wantErr(t, r, http.StatusServiceUnavailable, client.CodeOfficeClosed)
	if at := comeBackAt(t, r); !at.Equal(start.Add(5*time.Hour + 30*time.Minute)) {
		t.Fatalf("come_back_at %v, want Friday 13:30: %s", at, r.body)
	}
	if !strings.Contains(string(r.body), "13:30") {
		t.Errorf("the message does not say when the office opens: %s", r.body)
	}
	issue.body = map[string]string{"service": "nope"}
	issue.header = map[string]string{"Idempotency-Key": "k2"}
	r = e.do(t, issue)
	wantErr(t, r, http.StatusNotFound, client.CodeUnknownService)
	if strings.Contains(string(r.body), "come_back_at") {
		t.Errorf("an error without a time to come back has come_back_at: %s", r.body)
	}
}

// comeBackAt returns an error answer's come_back_at (RFC 3339, required).
func comeBackAt(t *testing.T, r resp) time.Time {
	t.Helper()
	var b errorBody
	r.decode(t, &b)
	at, err := time.Parse(time.RFC3339, b.Error.ComeBackAt)
	if err != nil {
		t.Fatalf("come_back_at: %v: %s", err, r.body)
	}
	return at
}

func parseDir(t *testing.T, dir string) []*ast.File {
	t.Helper()
	var files []*ast.File
	fset := token.NewFileSet()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != dir && (d.Name() == "testdata" || path == filepath.Join("..", "client") || path == filepath.Join("..", "cmd")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		files = append(files, f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// clientCodes returns server/client's Code… constants.
func clientCodes(t *testing.T) map[string]string {
	out := map[string]string{}
	fset := token.NewFileSet()
	paths, _ := filepath.Glob(filepath.Join("..", "client", "*.go"))
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			vs, ok := n.(*ast.ValueSpec)
			if !ok {
				return true
			}
			for i, name := range vs.Names {
				if strings.HasPrefix(name.Name, "Code") && i < len(vs.Values) {
					if s, ok := stringLit(vs.Values[i]); ok {
						out[name.Name] = s
					}
				}
			}
			return true
		})
	}
	if len(out) < 10 {
		t.Fatalf("found only %d Code constants in server/client", len(out))
	}
	return out
}

// serverStrings returns every string literal of the server's code (not
// its tests, not the client): a code the server answers is among them.
func serverStrings(t *testing.T) map[string]bool {
	out := map[string]bool{}
	for _, f := range parseDir(t, "..") {
		ast.Inspect(f, func(n ast.Node) bool {
			if s, ok := stringLit(n); ok {
				out[s] = true
			}
			return true
		})
	}
	return out
}

// queueErrorCodes returns the codes of queue's &Error{Code: …} values.
func queueErrorCodes(t *testing.T) []string {
	var out []string
	for _, f := range parseDir(t, filepath.Join("..", "queue")) {
		ast.Inspect(f, func(n ast.Node) bool {
			cl, ok := n.(*ast.CompositeLit)
			if !ok {
				return true
			}
			if id, ok := cl.Type.(*ast.Ident); !ok || id.Name != "Error" {
				return true
			}
			for _, e := range cl.Elts {
				if kv, ok := e.(*ast.KeyValueExpr); ok {
					if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "Code" {
						if s, ok := stringLit(kv.Value); ok {
							out = append(out, s)
						}
					}
				}
			}
			return true
		})
	}
	if len(out) < 10 {
		t.Fatalf("found only %d error codes in queue", len(out))
	}
	return out
}

func stringLit(n ast.Node) (string, bool) {
	bl, ok := n.(*ast.BasicLit)
	if !ok || bl.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(bl.Value)
	return s, err == nil
}
