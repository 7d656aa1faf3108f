package modem_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"luot/modem"
	"luot/modem/virtual"
	"luot/server/notify"
)

// reportTime is the virtual modem's clock: the time of its delivery
// reports.
var reportTime = time.Date(2026, 11, 27, 8, 15, 0, 0, time.FixedZone("ICT", 7*3600))

// start runs a virtual modem and opens it through the real serial code.
func start(t *testing.T, cfg modem.Config) (*virtual.Modem, *modem.Modem) {
	t.Helper()
	v, err := virtual.Start(virtual.Options{Out: filepath.Join(t.TempDir(), "messages.jsonl"), Now: func() time.Time { return reportTime }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { v.Close() })
	cfg.Port = v.Path()
	if cfg.Timeout == 0 {
		cfg.Timeout = 500 * time.Millisecond
	}
	if cfg.SendTimeout == 0 {
		cfg.SendTimeout = 5 * time.Second
	}
	if cfg.RetryDelay == 0 {
		cfg.RetryDelay = -1
	}
	if cfg.CheckEvery == 0 {
		cfg.CheckEvery = -1 // the tests call Check themselves
	}
	m, err := modem.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return v, m
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

// report waits for the delivery report of ref.
func report(t *testing.T, c context.Context, m *modem.Modem, ref int) modem.Report {
	t.Helper()
	for {
		select {
		case r, ok := <-m.Reports():
			if !ok {
				t.Fatal("reports closed")
			}
			if r.Ref == ref {
				return r
			}
		case <-c.Done():
			t.Fatalf("no delivery report for %d", ref)
		}
	}
}

// TestVietnameseUCS2 sends Vietnamese through the modem and the virtual
// modem in one, two and three parts: the file holds the same text, joined,
// and a delivery report comes for every part.
func TestVietnameseUCS2(t *testing.T) {
	v, m := start(t, modem.Config{})
	c := ctx(t)
	for _, n := range []int{40, 120, 190} {
		text := vietnamese(n)
		refs, err := m.Send(c, "+84912345678", text, false)
		if err != nil {
			t.Fatal(err)
		}
		want := (n + 66) / 67
		if n <= 70 {
			want = 1
		}
		msg, err := v.Next(c)
		if err != nil {
			t.Fatal(err)
		}
		if msg.Text != text || msg.Parts != want || msg.Encoding != "ucs2" || msg.Phone != "+84912345678" || len(refs) != want {
			t.Fatalf("%d characters: sent in %d parts (refs %v), received %+v", n, want, refs, msg)
		}
		for i, r := range refs {
			if msg.Refs[i] != r {
				t.Fatalf("refs %v, the modem gave %v", refs, msg.Refs)
			}
			if rep := report(t, c, m, r); !rep.Delivered() || !rep.Final() || rep.Phone != "+84912345678" || !rep.At.Equal(reportTime) {
				t.Fatalf("report %+v", rep)
			}
		}
	}
	// The file says the same, one JSON line a message.
	msgs, err := virtual.ReadMessages(filepath.Join(filepath.Dir(v.Out()), "messages.jsonl"))
	if err != nil || len(msgs) != 3 || msgs[2].Parts != 3 || msgs[2].Text != vietnamese(190) {
		t.Fatalf("file: %d messages, %v", len(msgs), err)
	}
	if st := m.Status(); !st.OK() || st.Sent != 6 || st.Resets != 0 {
		t.Fatalf("status %+v", st)
	}
}

// vietnameseLetters is every Vietnamese letter, lower and upper case, with
// its letter without marks: the 12 vowels and their 5 tones, đ.
func vietnameseLetters() (letters []string, plain []string) {
	bases := map[rune]rune{'a': 'a', 'ă': 'a', 'â': 'a', 'e': 'e', 'ê': 'e', 'i': 'i', 'o': 'o', 'ô': 'o', 'ơ': 'o', 'u': 'u', 'ư': 'u', 'y': 'y'}
	for _, b := range "aăâeêioôơuưy" {
		for _, tone := range []string{"", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"} {
			l := norm.NFC.String(string(b) + tone)
			letters = append(letters, l, strings.ToUpper(l))
			plain = append(plain, string(bases[b]), strings.ToUpper(string(bases[b])))
		}
	}
	letters = append(letters, "đ", "Đ")
	plain = append(plain, "d", "D")
	return letters, plain
}

// TestGSM7EveryVietnameseLetter: every Vietnamese letter, unaccented by
// notify.Unaccent, goes as GSM-7 and arrives as its plain letter; the
// accented ones are refused by GSM-7 with a clear error.
func TestGSM7EveryVietnameseLetter(t *testing.T) {
	letters, plain := vietnameseLetters()
	if len(letters) != 146 {
		t.Fatalf("%d letters, want 146", len(letters))
	}
	text := notify.Unaccent(strings.Join(letters, ""))
	if want := strings.Join(plain, ""); text != want {
		t.Fatalf("Unaccent gave %q, want %q", text, want)
	}
	if nfd := notify.Unaccent(norm.NFD.String(strings.Join(letters, ""))); nfd != text {
		t.Fatalf("Unaccent of the decomposed letters gave %q, want %q", nfd, text)
	}
	for _, l := range letters {
		_, err := modem.EncodeSubmit("0912345678", l, true, 0)
		// GSM 03.38 itself has a few accented letters (à è é É ì ò ù).
		if l == notify.Unaccent(l) || strings.Contains("àèéÉìòù", l) {
			if err != nil {
				t.Errorf("%s: %v", l, err)
			}
		} else if err == nil || !strings.Contains(err.Error(), "GSM 03.38") {
			t.Errorf("%s accepted as GSM-7 (err %v)", l, err)
		}
	}
	v, m := start(t, modem.Config{})
	c := ctx(t)
	refs, err := m.Send(c, "0912345678", text, true)
	if err != nil {
		t.Fatal(err)
	}
	msg, err := v.Next(c)
	if err != nil {
		t.Fatal(err)
	}
	if msg.Text != text || msg.Encoding != "gsm7" || msg.Parts != 1 || len(refs) != 1 {
		t.Fatalf("received %+v", msg)
	}
	// A real notice, unaccented by the domain, fits GSM-7 too.
	sms := notify.SMSText(notify.Notice{Kind: notify.TicketCalled, Params: map[string]string{"number": "A012", "counter": "Quầy 3"}}, "vi", "https://luot.example.vn/t/x", "https://luot.example.vn/u/y", true)
	if _, err := m.Send(c, "0912345678", sms, true); err != nil {
		t.Fatalf("notify.SMSText %q: %v", sms, err)
	}
	if msg, err := v.Next(c); err != nil || msg.Text != sms {
		t.Fatalf("received %+v, %v", msg, err)
	}
}

// TestCMSErrorRetried: a temporary +CMS ERROR is tried again and the
// message goes; a permanent one is given up at once; both are in the
// status's LastError.
func TestCMSErrorRetried(t *testing.T) {
	v, m := start(t, modem.Config{Tries: 3})
	c := ctx(t)
	v.FailNext(38, 2) // network out of order, twice
	refs, err := m.Send(c, "0912345678", "Xin chào", false)
	if err != nil || len(refs) != 1 {
		t.Fatalf("refs %v, err %v", refs, err)
	}
	if st := m.Status(); !st.OK() || !strings.Contains(st.LastError, "+CMS ERROR: 38") {
		t.Fatalf("status %+v", st)
	}
	if got := countPrefix(v.Commands(), "AT+CMGS="); got != 3 {
		t.Fatalf("%d AT+CMGS, want 3 (two refused, one accepted)", got)
	}

	v.FailNext(38, 3) // more than the tries
	_, err = m.Send(c, "0912345678", "Xin chào", false)
	var cms *modem.CMSError
	if !errors.As(err, &cms) || cms.Code != 38 || modem.Permanent(err) {
		t.Fatalf("err %v, want a temporary +CMS ERROR 38", err)
	}

	v.FailNext(1, 1) // unassigned number
	before := countPrefix(v.Commands(), "AT+CMGS=")
	_, err = m.Send(c, "0912345678", "Xin chào", false)
	if !errors.As(err, &cms) || cms.Code != 1 || !modem.Permanent(err) {
		t.Fatalf("err %v, want a permanent +CMS ERROR 1", err)
	}
	if got := countPrefix(v.Commands(), "AT+CMGS=") - before; got != 1 {
		t.Fatalf("a permanent error was tried %d times", got)
	}
	if n := len(v.Messages()); n != 1 {
		t.Fatalf("%d messages received, want 1", n)
	}

	// A part refused in the middle of a long message: Send says which.
	v.FailNext(1, 1)
	refs, err = m.Send(c, "0912345678", vietnamese(100), false)
	if err == nil || !strings.Contains(err.Error(), "part 1 of 2") || len(refs) != 0 {
		t.Fatalf("refs %v, err %v", refs, err)
	}
	// The SIM is gone: a device fault.
	v.FailNext(310, 3)
	if _, err = m.Send(c, "0912345678", "Xin chào", false); err == nil {
		t.Fatal("sent without a SIM")
	}
	if st := m.Status(); st.OK() || !strings.Contains(st.Message, "+CMS ERROR 310") {
		t.Fatalf("status %+v, want a fault naming 310", st)
	}
	if _, err := m.Send(c, "0912345678", "Xin chào", false); err != nil {
		t.Fatal(err)
	}
	if st := m.Status(); !st.OK() {
		t.Fatalf("status %+v after a message went", st)
	}
}

func countPrefix(cmds []string, p string) int {
	n := 0
	for _, c := range cmds {
		if strings.HasPrefix(c, p) {
			n++
		}
	}
	return n
}

// TestSilentModemReset: a modem that ignores a few commands is reset
// (ATZ) and the message goes; one that stays silent makes Send fail with
// ErrNoAnswer and the status a fault until it answers again.
func TestSilentModemReset(t *testing.T) {
	v, m := start(t, modem.Config{Tries: 3, Timeout: 200 * time.Millisecond})
	c := ctx(t)
	v.Silence(1) // the AT+CMGS
	refs, err := m.Send(c, "0912345678", "Xin chào", false)
	if err != nil || len(refs) != 1 {
		t.Fatalf("refs %v, err %v", refs, err)
	}
	st := m.Status()
	if !st.OK() || st.Resets != 1 || !strings.Contains(st.LastError, "no answer to AT+CMGS") {
		t.Fatalf("status %+v, want ok after one reset", st)
	}
	if countPrefix(v.Commands(), "ATZ") != 1 {
		t.Fatalf("commands %q: no ATZ", v.Commands())
	}
	if len(v.Messages()) != 1 {
		t.Fatal("message not received")
	}

	v.Silence(-1)
	_, err = m.Send(c, "0912345678", "Xin chào", false)
	if !errors.Is(err, modem.ErrNoAnswer) || modem.Permanent(err) {
		t.Fatalf("err %v, want ErrNoAnswer", err)
	}
	if st := m.Status(); st.OK() || st.State != "fault" || !strings.Contains(st.Message, "does not answer") {
		t.Fatalf("status %+v, want a fault", st)
	}
	v.Speak()
	if _, err := m.Send(c, "0912345678", "Xin chào", false); err != nil {
		t.Fatal(err)
	}
	if st := m.Status(); !st.OK() {
		t.Fatalf("status %+v after the modem answered again", st)
	}
	if len(v.Messages()) != 2 {
		t.Fatalf("%d messages, want 2", len(v.Messages()))
	}
}

// TestOpenRefuses: no port, and a modem that does not answer.
func TestOpenRefuses(t *testing.T) {
	if _, err := modem.Open(modem.Config{}); err == nil || !strings.Contains(err.Error(), "no port") {
		t.Fatalf("err %v", err)
	}
	if _, err := modem.Open(modem.Config{Port: filepath.Join(t.TempDir(), "none")}); err == nil || !strings.Contains(err.Error(), "opening") {
		t.Fatalf("err %v", err)
	}
	v, err := virtual.Start(virtual.Options{Out: filepath.Join(t.TempDir(), "m.jsonl")})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	v.Silence(-1)
	if _, err := modem.Open(modem.Config{Port: v.Path(), Timeout: 100 * time.Millisecond}); err == nil || !strings.Contains(err.Error(), "does not answer AT") {
		t.Fatalf("err %v", err)
	}
}

// TestSendAfterClose fails clearly.
func TestSendAfterClose(t *testing.T) {
	_, m := start(t, modem.Config{})
	m.Close()
	if _, err := m.Send(ctx(t), "0912345678", "x", true); !errors.Is(err, modem.ErrClosed) {
		t.Fatalf("err %v", err)
	}
	if _, ok := <-m.Reports(); ok {
		t.Fatal("reports still open")
	}
}

// TestCheck: an idle modem that stops answering is found by Check, reset
// and reported; answering again, the next Check brings it back.
func TestCheck(t *testing.T) {
	v, m := start(t, modem.Config{Timeout: 100 * time.Millisecond, CheckEvery: -1})
	c := ctx(t)
	if err := m.Check(c); err != nil {
		t.Fatal(err)
	}
	if st := m.Status(); !st.OK() || st.Resets != 0 {
		t.Fatalf("status %+v", st)
	}
	v.Silence(-1)
	if err := m.Check(c); !errors.Is(err, modem.ErrNoAnswer) {
		t.Fatalf("err %v, want ErrNoAnswer", err)
	}
	if st := m.Status(); st.State != "fault" || st.Resets != 1 || !strings.Contains(st.Message, "does not answer after a reset") {
		t.Fatalf("status %+v", st)
	}
	v.Speak()
	if err := m.Check(c); err != nil {
		t.Fatal(err)
	}
	if st := m.Status(); !st.OK() || st.Resets != 2 || !strings.Contains(st.Message, "reset and ready") {
		t.Fatalf("status %+v", st)
	}
}

// TestIdleWatch: Open's periodic check finds a silent modem without any
// message being sent (the bounded wait only catches a missing check).
func TestIdleWatch(t *testing.T) {
	v, m := start(t, modem.Config{Timeout: 100 * time.Millisecond, CheckEvery: 50 * time.Millisecond})
	v.Silence(-1)
	deadline := time.Now().Add(20 * time.Second)
	for m.Status().OK() {
		if time.Now().After(deadline) {
			t.Fatal("the silent modem is still ok")
		}
		time.Sleep(10 * time.Millisecond)
	}
	v.Speak()
	for !m.Status().OK() {
		if time.Now().After(deadline) {
			t.Fatalf("status %+v after the modem answered again", m.Status())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if m.Status().Resets < 1 {
		t.Fatal("no reset counted")
	}
}
