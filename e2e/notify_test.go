package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"luot/internal/e2etest"
	"luot/internal/pushtest"
	"luot/server/client"
	"luot/server/outbox"
)

// TestNotifyJourney follows a remote ticket's notifications on the real
// programs: the server (demo office, web push on, SMS through the virtual
// modem — the modem lane's virtualmodem on a pseudo-terminal, writing each
// SMS it receives to a file), and npm's web-push-testing as the push
// service (it decrypts what it receives):
//
//  1. six walk-ins of ho-tich are taken at the kiosk;
//  2. a citizen asks for a code for her phone: it arrives by SMS (the
//     remote numbers' PhoneVerifier, -phone-codes), and with it she takes
//     a remote number, seventh in line;
//  3. she subscribes to her ticket by push (a subscription made at
//     web-push-testing with the server's VAPID key) and by SMS;
//  4. the clerk at q4 calls and serves; no push comes while more than 3
//     are ahead; when 3 are ahead the "near" push arrives, decrypted;
//  5. her number is called: the "called" push arrives (with the counter),
//     and the SMS of "near" and "called" are in the modem's file;
//  6. she unsubscribes the SMS with their link (/u/…) and is recalled:
//     the push comes again, no SMS.
func TestNotifyJourney(t *testing.T) {
	if testing.Short() {
		t.Skip("the notifications' end-to-end journey (every program, web-push-testing): skipped with -short")
	}
	push := pushtest.Start(t) // skips (or fails in CI) without Node.js
	server := e2etest.Build(t, e2etest.Server)
	vmodem := e2etest.Build(t, e2etest.VirtualModem)
	tmp := t.TempDir()
	ctx := ctxFor(t, 5*time.Minute)

	link := filepath.Join(tmp, "modem.tty")
	smsFile := filepath.Join(tmp, "sms.jsonl")
	e2etest.Start(t, "virtual modem", exec.Command(vmodem, "-out", smsFile, "-link", link))
	e2etest.WaitFor(t, 20*time.Second, "the virtual modem's port", func() bool { _, err := os.Stat(link); return err == nil })

	addr := e2etest.FreeAddr(t)
	base := "http://" + addr
	srv := e2etest.Start(t, "server", exec.Command(server, "-demo", "-addr", addr, "-data", filepath.Join(tmp, "data"),
		"-public-url", base, "-push", "-push-subject", "mailto:it@example.gov.vn", "-sms-modem", link, "-phone-codes", "-quiet-hours", "off"))
	e2etest.WaitFor(t, 60*time.Second, "the server to answer", func() bool { return e2etest.Healthy(base) })

	// 1. Six walk-ins ahead.
	kiosk, _ := client.New(base, client.WithDeviceKey("demo-kiosk"))
	for range 6 {
		if _, err := kiosk.Issue(ctx, "demo", client.IssueRequest{Service: "ho-tich"}, client.NewIdempotencyKey()); err != nil {
			t.Fatalf("kiosk ticket: %v", err)
		}
	}

	// 2. The phone's code comes by SMS; the remote number with it.
	const phone, intl = "0901234567", "+84901234567"
	post(t, base+"/api/v1/offices/demo/phone-codes", map[string]string{"phone": phone}, http.StatusAccepted, nil)
	var code string
	e2etest.WaitFor(t, 60*time.Second, "the phone code's SMS in the virtual modem's file", func() bool {
		for _, m := range readSMS(t, smsFile) {
			if c := regexp.MustCompile(`\b\d{6}\b`).FindString(m.Text); c != "" && samePhone(m.Phone, intl) {
				code = c
				return true
			}
		}
		return false
	})
	anon, _ := client.New(base)
	tk, err := anon.RemoteTicket(ctx, "demo", client.RemoteTicketRequest{Service: "ho-tich", Phone: phone, Name: "Nguyễn Thị Thông Báo", Code: code})
	if err != nil {
		t.Fatalf("remote ticket with the texted code %s: %v", code, err)
	}
	if tk.Ahead != 6 {
		t.Fatalf("the remote ticket %s has %d ahead; want 6", tk.Number, tk.Ahead)
	}
	token := tokenOf(t, tk.TrackURL)
	t.Logf("remote number %s, code %s from the SMS", tk.Number, code)

	// 3. Subscriptions: push (at web-push-testing) and SMS.
	var key struct {
		PublicKey string `json:"public_key"`
	}
	get(t, base+"/api/v1/push/key", &key)
	sub, err := push.Subscribe(ctx, key.PublicKey)
	if err != nil {
		t.Fatalf("subscribing at web-push-testing: %v", err)
	}
	item := map[string]string{"type": "ticket", "id": tk.ID, "office": "demo"}
	post(t, base+"/api/v1/subscriptions", map[string]any{"item": item, "secret": token, "channel": "push", "lang": "vi",
		"push": map[string]any{"endpoint": sub.Endpoint, "keys": map[string]string{"p256dh": sub.P256DH, "auth": sub.Auth}}}, http.StatusCreated, nil)
	post(t, base+"/api/v1/subscriptions", map[string]any{"item": item, "secret": token, "channel": "sms", "lang": "vi", "phone": phone}, http.StatusCreated, nil)

	// 4. The clerk at q4 calls and serves until 3 are ahead.
	s, err := anon.Login(ctx, "demo", "q4", "nv4", "1234")
	if err != nil {
		t.Fatalf("clerk login at q4: %v", err)
	}
	clerk, _ := client.New(base, client.WithToken(s.Token))
	if _, err := clerk.Act(ctx, "q4", client.ActionOpen, nil); err != nil {
		t.Fatalf("open q4: %v", err)
	}
	serve := func() *client.Ticket {
		t.Helper()
		c, err := clerk.Act(ctx, "q4", client.ActionNext, nil)
		if err != nil || c == nil {
			t.Fatalf("next at q4: %+v, %v", c, err)
		}
		if c.ID == tk.ID {
			return c
		}
		for _, a := range []client.CounterAction{client.ActionStart, client.ActionDone} {
			if _, err := clerk.Act(ctx, "q4", a, nil); err != nil {
				t.Fatalf("%s at q4: %v", a, err)
			}
		}
		return c
	}
	pushes := func() []outbox.PushPayload {
		msgs, err := push.Messages(ctx, sub)
		if err != nil {
			t.Fatalf("reading web-push-testing's messages: %v", err)
		}
		out := make([]outbox.PushPayload, len(msgs))
		for i, m := range msgs {
			if err := json.Unmarshal([]byte(m), &out[i]); err != nil {
				t.Fatalf("push message %d is not the payload the service worker reads: %v\n%s", i, err, m)
			}
		}
		return out
	}
	for ahead := 5; ahead > 3; ahead-- {
		serve()
		if p := pushes(); len(p) > 0 {
			t.Fatalf("a push came while %d were ahead: %+v", ahead, p)
		}
	}
	serve() // 3 ahead
	e2etest.WaitFor(t, 60*time.Second, "the near push", func() bool { return len(pushes()) > 0 })
	near := pushes()[0]
	if near.Kind != "ticket.near" || !strings.HasPrefix(near.Key, "ticket/"+tk.ID+"/near") || !strings.Contains(near.Body, "3") || !strings.Contains(near.Title+near.Body, tk.Number) {
		t.Fatalf("the first push: %+v; want ticket.near for %s with 3 ahead", near, tk.Number)
	}
	t.Logf("push, near: %s — %s", near.Title, near.Body)

	// 5. Called.
	for range 3 {
		serve()
	}
	if c := serve(); c.ID != tk.ID {
		t.Fatalf("q4 called %s; want the remote ticket %s", c.Number, tk.Number)
	}
	e2etest.WaitFor(t, 60*time.Second, "the called push", func() bool { return len(pushes()) > 1 })
	p := pushes()
	called := p[1]
	if len(p) != 2 || called.Kind != "ticket.called" || !strings.Contains(called.Title+called.Body, tk.Number) || !strings.Contains(called.Body, "4") {
		t.Fatalf("the pushes: %+v; want near, then ticket.called for %s at counter 4", p, tk.Number)
	}
	t.Logf("push, called: %s — %s", called.Title, called.Body)
	var texts []string
	e2etest.WaitFor(t, 60*time.Second, "the near and called SMS in the virtual modem's file", func() bool {
		texts = texts[:0]
		for _, m := range readSMS(t, smsFile) {
			if samePhone(m.Phone, intl) && strings.Contains(m.Text, tk.Number) {
				texts = append(texts, m.Text)
			}
		}
		return len(texts) >= 2
	})
	says := func(txt string) string { s, _, _ := strings.Cut(txt, "http"); return s } // the words before the links
	if len(texts) != 2 || !strings.Contains(says(texts[0]), "3") || !strings.Contains(says(texts[1]), "4") {
		t.Fatalf("the SMS about %s: %q; want near (3 ahead), then called at counter 4", tk.Number, texts)
	}
	for _, txt := range texts {
		if !strings.Contains(txt, "/u/") {
			t.Errorf("the SMS %q has no unsubscribe link", txt)
		}
	}
	t.Logf("SMS: %q", texts)

	// 6. She stops the SMS with the link they carry; the clerk recalls
	// her: the push tells it again, no SMS does (none is even queued).
	_, unsub, _ := strings.Cut(texts[1], "/u/")
	unsub = strings.Fields(unsub)[0]
	form, _ := http.NewRequest(http.MethodPost, base+"/u/"+unsub, nil)
	form.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	answer(t, form, http.StatusOK, nil)
	if _, err := clerk.Act(ctx, "q4", client.ActionRecall, nil); err != nil {
		t.Fatalf("recall at q4: %v", err)
	}
	e2etest.WaitFor(t, 60*time.Second, "the recall's push and an empty outbox", func() bool {
		m, err := http.Get(base + "/metrics")
		if err != nil {
			return false
		}
		defer m.Body.Close()
		b, _ := io.ReadAll(m.Body)
		return len(pushes()) == 3 && strings.Contains(string(b), `luot_outbox_messages{state="queued"} 0`)
	})
	if p := pushes(); p[2].Kind != "ticket.called" || p[2].Key == called.Key {
		t.Errorf("the recall's push: %+v; want ticket.called again, with a key of its own", p[2])
	}
	n := 0
	for _, m := range readSMS(t, smsFile) {
		if samePhone(m.Phone, intl) && strings.Contains(m.Text, tk.Number) {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d SMS about %s after unsubscribing and a recall; want the 2 before", n, tk.Number)
	}
	if !srv.Stop(10 * time.Second) {
		t.Error("the server did not end on SIGTERM within 10 s")
	}
}

// sms is one message the virtual modem received (one JSON line of its
// file), its parts joined.
type sms struct {
	Phone string `json:"phone"`
	Text  string `json:"text"`
}

// samePhone compares phones by their national digits ("+84901234567",
// "84901234567" and "0901234567" are one phone).
func samePhone(a, b string) bool {
	digits := func(s string) string {
		s = strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, s)
		s = strings.TrimPrefix(s, "84")
		return strings.TrimPrefix(s, "0")
	}
	return a != "" && digits(a) == digits(b)
}

// readSMS reads the virtual modem's file (absent: nothing yet).
func readSMS(t *testing.T, path string) []sms {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var out []sms
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		var m sms
		if json.Unmarshal(sc.Bytes(), &m) == nil {
			out = append(out, m) // a line being written is read next time
		}
	}
	return out
}

// tokenOf is the tracking token of a track URL (…/t/{id}?token=…).
func tokenOf(t *testing.T, trackURL string) string {
	t.Helper()
	_, tok, ok := strings.Cut(trackURL, "?token=")
	if !ok || tok == "" {
		t.Fatalf("track URL %q has no token", trackURL)
	}
	return tok
}

// post sends body as JSON and decodes the answer into out (when not nil);
// the status must be want.
func post(t *testing.T, url string, body any, want int, out any) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", client.NewIdempotencyKey())
	answer(t, req, want, out)
}

// get reads a JSON answer (200).
func get(t *testing.T, url string, out any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	answer(t, req, http.StatusOK, out)
}

func answer(t *testing.T, req *http.Request, want int, out any) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("%s %s: %s %s (want %d)", req.Method, req.URL, resp.Status, data, want)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s %s: %v", req.Method, req.URL, fmt.Errorf("decode %s: %w", data, err))
		}
	}
}
