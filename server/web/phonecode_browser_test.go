package web

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"luot/internal/browsertest"
	"luot/server/api"
	"luot/server/notify"
	"luot/server/notifyjobs"
	"luot/server/queue"
)

// newPhoneCodeEnv is newCitEnv with SMS and phone codes on: the codes go
// through the real notifyjobs.PhoneCodes into the store's outbox, where
// the tests read them (outboxCode) as the phone would.
func newPhoneCodeEnv(t *testing.T) *env {
	t.Helper()
	return newStack(t, stack{office: citOffice(), staff: clerks(1), kiosk: queue.Device{ID: "k1", Name: "k1"},
		notify: &notifyOn{sms: true},
		apiCfg: func(c *api.Config) { c.PhoneVerifier = &notifyjobs.PhoneCodes{Store: c.Notify, Now: c.Now} }})
}

// outboxCodes claims the phone codes waiting in the outbox for phone
// (normalised), marks them sent and returns their codes, oldest first.
func (e *env) outboxCodes(phone string) []string {
	e.t.Helper()
	ctx := context.Background()
	ms, err := e.db.Claim(ctx, e.clock.Now(), time.Minute, 100)
	if err != nil {
		e.t.Fatal(err)
	}
	var codes []string
	for _, m := range ms {
		if err := e.db.MarkSent(ctx, m.ID, e.clock.Now()); err != nil {
			e.t.Fatal(err)
		}
		if m.Notice.Kind == notify.PhoneCode && m.Sub.Phone == phone {
			codes = append(codes, m.Notice.Params["code"])
		}
	}
	return codes
}

// ticketCount is the number of tickets of the office today.
func (e *env) ticketCount() int {
	e.t.Helper()
	v, err := e.eng.View(e.officeID)
	if err != nil {
		e.t.Fatal(err)
	}
	return len(v.Frozen().Tickets)
}

// TestBrowserTakeWithPhoneCode: where the office confirms phones, the
// take-a-number page asks for the code texted to the phone, in both
// languages: the code step reads in the page's language only and passes
// axe; a wrong code is refused with the server's words; "send again"
// texts a new code and the old one stops working; the new code takes the
// number. Past the API's limit for the phone, "send again" waits as long
// as the server says.
func TestBrowserTakeWithPhoneCode(t *testing.T) {
	browsertest.NeedAxe(t)
	e := newPhoneCodeEnv(t)
	ctx := newBrowser(t)
	run(t, ctx, chromedp.EmulateViewport(390, 844), chromedp.Navigate(e.srv.URL+"/cancel"))

	// readable checks the page in lang: no words of the other language,
	// no serious axe violation.
	readable := func(where, lang string) {
		t.Helper()
		text, err := chromedp.Run(ctx, chromedp.Evaluate[string](pageText))
		if err != nil {
			t.Fatal(err)
		}
		if words := browsertest.OtherLanguage(text, lang); len(words) > 0 {
			t.Errorf("%s (%s): words of the other language %q in %q", where, lang, words, contexts(text, words))
		}
		vs, err := browsertest.Axe(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range browsertest.SeriousOnly(vs) {
			t.Errorf("%s (%s): axe: %s", where, lang, v)
		}
	}
	start := func(lang, phone string) {
		t.Helper()
		run(t, ctx, chromedp.Evaluate[chromedp.Void](`localStorage.setItem("luot-lang", "`+lang+`")`),
			chromedp.Navigate(e.srv.URL+"/o/hcm-q1"))
		waitJS(t, ctx, "the office says codes are needed", `!!document.querySelector('[data-service="ho-tich"]')`)
		run(t, ctx, chromedp.Click(`[data-service="ho-tich"]`),
			chromedp.SendKeys(`#name`, "Pham Van An"),
			chromedp.SendKeys(`#phone`, phone),
			chromedp.Click(`#take`))
	}
	typeCode := func(code string) {
		t.Helper()
		run(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector("#code").value = ""`), chromedp.SendKeys(`#code`, code), chromedp.Click(`#code-take`))
	}
	type words struct{ label, wrong, sent, wait string }
	texts := map[string]words{
		"vi": {"Nhập mã gồm 6 chữ số đã gửi đến số 0912 *** ", "Mã sai", "Đã gửi mã mới", "Gửi lại mã (sau "},
		"en": {"Enter the 6-digit code sent to 0912 *** ", "The code is wrong", "A new code was sent", "Send the code again (in "},
	}
	tickets := 0
	for i, lang := range []string{"vi", "en"} {
		w := texts[lang]
		phone := fmt.Sprintf("0912 000 %03d", i+1)
		e164 := fmt.Sprintf("+84912000%03d", i+1)
		start(lang, phone)
		waitJS(t, ctx, lang+": the code step", `!document.querySelector('#step-code').hidden && document.querySelector('#step-person').hidden && document.querySelector('#code-label').textContent === "`+w.label+e164[9:]+`"`)
		readable("code step", lang)
		codes := e.outboxCodes(e164)
		if len(codes) != 1 || len(codes[0]) != 6 {
			t.Fatalf("%s: codes in the outbox %q, want one of 6 digits", lang, codes)
		}
		first := codes[0]
		// Not 6 digits: the page says so without asking the server.
		typeCode("12a")
		waitJS(t, ctx, lang+": not 6 digits", `!document.querySelector('#code-error').hidden && document.querySelector('#code').getAttribute('aria-invalid') === "true"`)
		wrong := "000000"
		if first == wrong {
			wrong = "111111"
		}
		typeCode(wrong)
		waitJS(t, ctx, lang+": wrong code", `document.querySelector('#code-error').textContent.startsWith("`+w.wrong+`") && !document.querySelector('#code-error').hidden`)
		readable("wrong code", lang)

		// Send again: a new code, and the first no longer works.
		run(t, ctx, chromedp.Click(`#resend`))
		waitJS(t, ctx, lang+": new code sent", `!document.querySelector('#code-sent').hidden && document.querySelector('#code-sent').textContent.startsWith("`+w.sent+`")`)
		codes = e.outboxCodes(e164)
		if len(codes) != 1 {
			t.Fatalf("%s: after send again, codes in the outbox %q, want one", lang, codes)
		}
		second := codes[0]
		if second != first {
			typeCode(first)
			waitJS(t, ctx, lang+": the first code refused", `document.querySelector('#code-error').textContent.startsWith("`+w.wrong+`") && document.querySelector('#code-sent').hidden`)
		}
		if tickets != e.ticketCount() {
			t.Fatalf("%s: a ticket was made without the right code", lang)
		}
		typeCode(second)
		waitJS(t, ctx, lang+": number given", `!document.querySelector('#result').hidden && document.querySelector('#number').textContent.startsWith("B") && document.querySelector('#step-code').hidden`)
		tickets++
		if n := e.ticketCount(); n != tickets {
			t.Fatalf("%s: %d tickets, want %d", lang, n, tickets)
		}
	}

	// The phone's limit (5 at once): the fifth code is the last; the sixth
	// request is refused and "send again" waits as the server said.
	run(t, ctx, chromedp.Evaluate[chromedp.Void](`localStorage.setItem("luot-lang", "vi")`))
	start("vi", "0912 000 009")
	waitJS(t, ctx, "the code step", `!document.querySelector('#step-code').hidden`)
	for n := 2; n <= 5; n++ {
		run(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('#code-sent').hidden = true`), chromedp.Click(`#resend`))
		waitJS(t, ctx, fmt.Sprintf("code %d sent", n), `!document.querySelector('#code-sent').hidden && !document.querySelector('#resend').disabled`)
	}
	if codes := e.outboxCodes("+84912000009"); len(codes) != 5 {
		t.Fatalf("%d codes sent, want 5", len(codes))
	}
	run(t, ctx, chromedp.Click(`#resend`))
	waitJS(t, ctx, "limited", `!document.querySelector('#code-error').hidden && document.querySelector('#code-sent').hidden && document.querySelector('#resend').disabled && document.querySelector('#resend').textContent.startsWith("`+texts["vi"].wait+`")`)
	readable("limited", "vi")
	run(t, ctx, chromedp.Click(`#lang`))
	waitJS(t, ctx, "limited, in English", `document.querySelector('#resend').textContent.startsWith("`+texts["en"].wait+`") && document.querySelector('#code-label').textContent.startsWith("Enter the 6-digit code")`)
	if codes := e.outboxCodes("+84912000009"); len(codes) != 0 {
		t.Fatalf("codes sent past the limit: %q", codes)
	}
}

// phoneCodeCrawlPages are the code step of the take-a-number page for
// TestBrowserEveryPageBothLanguages: on a server of their own, where the
// office confirms phones (the crawl's server does not), asked for and
// then with a wrong code. The language is the phone's choice, kept per
// site: each visit sets it on this one first.
func phoneCodeCrawlPages(t *testing.T) []crawlPage {
	e := newPhoneCodeEnv(t)
	phones := 0
	ask := func(ctx context.Context, lang string) (string, error) {
		phones++
		e164 := fmt.Sprintf("+84913100%03d", phones)
		err := chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+"/cancel"),
			chromedp.Evaluate[chromedp.Void](`localStorage.setItem("luot-lang", "`+lang+`")`),
			chromedp.Navigate(e.srv.URL+"/o/hcm-q1"),
			chromedp.WaitVisible(`[data-service="ho-tich"]`),
			chromedp.Click(`[data-service="ho-tich"]`),
			chromedp.SendKeys(`#name`, "Pham Van An"),
			chromedp.SendKeys(`#phone`, "0"+e164[3:]),
			chromedp.Click(`#take`))
		return e164, err
	}
	codeShown := `!document.querySelector('#step-code').hidden && document.querySelector('#code-label').textContent.includes("*** ")`
	return []crawlPage{
		{name: "take-code", who: "citizen", go_: func(ctx context.Context, lang string) error {
			_, err := ask(ctx, lang)
			return err
		}, ready: codeShown, shotAt: 390},
		{name: "take-wrong-code", who: "citizen", go_: func(ctx context.Context, lang string) error {
			phone, err := ask(ctx, lang)
			if err == nil {
				err = poll(ctx, codeShown)
			}
			if err != nil {
				return err
			}
			wrong := "000000"
			if codes := e.outboxCodes(phone); len(codes) != 1 {
				return fmt.Errorf("codes sent to the phone: %q, want one", codes)
			} else if codes[0] == wrong {
				wrong = "111111"
			}
			return chromedp.Do(ctx, chromedp.SendKeys(`#code`, wrong), chromedp.Click(`#code-take`))
		}, ready: codeShown + ` && !document.querySelector('#code-error').hidden && document.querySelector('#code-error').textContent.trim() !== ""`},
	}
}
