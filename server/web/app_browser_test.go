package web

import (
	"context"
	"crypto/ecdh"
	"crypto/rand"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/serviceworker"
	"github.com/chromedp/chromedp"

	"luot/internal/browsertest"
	"luot/server/notify"
	"luot/server/queue"
)

// vapidKey is an application server key as the server gives it: a real
// P-256 public key, which browsers check before they subscribe.
func vapidKey(t *testing.T) string {
	t.Helper()
	k, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return base64.RawURLEncoding.EncodeToString(k.PublicKey().Bytes())
}

// newAppEnv is newCitEnv with the notifications on: push with key, and
// SMS.
func newAppEnv(t *testing.T, key string) *env {
	t.Helper()
	return newStack(t, stack{office: citOffice(), staff: clerks(1), kiosk: queue.Device{ID: "k1", Name: "k1"},
		notify: &notifyOn{pushKey: key, sms: true}})
}

// fakePushService stands in for the browser's push service, which a
// test cannot reach (Chromium's is Google's): pushManager.subscribe
// answers a subscription on a loopback endpoint with fresh keys made by
// the page's own WebCrypto, and keeps the options it was given.
const fakePushService = `PushManager.prototype.getSubscription = async function () { return null; };
PushManager.prototype.subscribe = async function (opts) {
  window.subscribedWith = opts;
  const k = await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"]);
  const b64 = (u) => btoa(String.fromCharCode(...u)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  const p256dh = b64(new Uint8Array(await crypto.subtle.exportKey("raw", k.publicKey)));
  const auth = b64(crypto.getRandomValues(new Uint8Array(16)));
  return { toJSON: () => ({ endpoint: location.origin + "/push-service/1", expirationTime: null, keys: { p256dh, auth } }) };
};`

// TestBrowserCitizenApp: the tracking page is an installable app
// (Chromium's own verdict through CDP), its service worker takes over,
// the opt-in offered on the page stores an SMS subscription, and with
// the network cut (the service worker's too) the page opens from the
// worker's cache and shows the last state, saying since when.
func TestBrowserCitizenApp(t *testing.T) {
	key := vapidKey(t)
	e := newAppEnv(t, key)
	for range 2 {
		e.issue("ho-tich")
	}
	id, token := e.remoteTicket("ho-tich", "0912 345 678")
	ctx := newBrowser(t)
	track := e.srv.URL + "/t/" + id + "?token=" + token
	run(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)), chromedp.Navigate(track))
	waitJS(t, ctx, "ticket shown", `document.querySelector('#number').textContent === "B003"`)

	m, err := chromedp.Call(ctx, cdppage.GetAppManifest, cdppage.GetAppManifestParams{})
	if err != nil {
		t.Fatal(err)
	}
	if m.URL != e.srv.URL+"/manifest.webmanifest" || len(m.Errors) != 0 || !strings.Contains(m.Data, `"short_name":"Lượt"`) {
		t.Fatalf("manifest %s: errors %v\n%s", m.URL, m.Errors, m.Data)
	}
	inst, err := chromedp.Call(ctx, cdppage.GetInstallabilityErrors, cdp.Empty{})
	if err != nil {
		t.Fatal(err)
	}
	for _, ie := range inst.InstallabilityErrors {
		t.Errorf("not installable: %s %v", ie.ErrorID, ie.ErrorArguments)
	}

	// The worker takes the page over (clients.claim); the page read again
	// goes through it, which keeps the page and the ticket's state.
	waitJS(t, ctx, "service worker in control", `navigator.serviceWorker.controller !== null`)
	run(t, ctx, chromedp.Reload())
	waitJS(t, ctx, "ticket shown again", `document.querySelector('#number').textContent === "B003" && navigator.serviceWorker.controller !== null`)

	// The opt-in: this server has push and SMS.
	waitJS(t, ctx, "opt-in offered", `document.querySelector('#notify').dataset.ready === "true" && !document.querySelector('#notify').hidden && !document.querySelector('#notify-sms').hidden && document.querySelector('#notify-ios').hidden && !document.querySelector('#notify-push').hidden`)
	violations, err := browsertest.Axe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range browsertest.SeriousOnly(violations) {
		t.Errorf("axe: %s", v)
	}
	run(t, ctx, chromedp.SendKeys(`#notify-phone`, "0987 654 321"), chromedp.Click(`#notify-sms button[type=submit]`))
	waitJS(t, ctx, "SMS on", `document.querySelector('#notify-status').textContent === "Đã đăng ký nhận SMS." && !document.querySelector('#notify-stop-sms').hidden`)
	subs, err := e.db.Subscriptions(context.Background(), notify.Item{Type: notify.ItemTicket, ID: id, Office: e.officeID})
	if err != nil {
		t.Fatal(err)
	}
	if len(subs) != 1 || subs[0].Channel != notify.SMS || subs[0].Phone != "+84987654321" || !strings.HasSuffix(subs[0].Link, "/t/"+id+"?token="+token) {
		t.Fatalf("subscriptions %+v", subs)
	}
	href, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#notify-stop-sms').href`))
	if !strings.HasSuffix(href, "/u/"+subs[0].Token) {
		t.Errorf("the stop link %q is not the subscription's", href)
	}

	// Push: the permission granted as a tap on "Allow" would; the push
	// service is the fake above (the end-to-end test delivers through a
	// real one, web-push-testing, from the API on).
	if _, err := chromedp.CallBrowser(ctx, browser.SetPermission, browser.SetPermissionParams{
		Permission: &browser.PermissionDescriptor{Name: "notifications"}, Setting: browser.PermissionSettingGranted, Origin: e.srv.URL}); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, chromedp.Evaluate[chromedp.Void](fakePushService), chromedp.Click(`#notify-push`))
	waitJS(t, ctx, "push on", `document.querySelector('#notify-status').textContent === "Đã bật thông báo trên điện thoại này. Đã đăng ký nhận SMS." && document.querySelector('#notify-push').hidden && !document.querySelector('#notify-stop-push').hidden`)
	asked, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { const o = window.subscribedWith; return o.userVisibleOnly + " " + btoa(String.fromCharCode(...new Uint8Array(o.applicationServerKey))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, ""); })()`))
	if asked != "true "+key {
		t.Errorf("subscribed with %q, want the server's key %q", asked, key)
	}
	// The worker keeps what it needs to subscribe again.
	kept, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(async () => { const r = await (await caches.open("luot-subs-v1")).match("/__sub/ticket/hcm-q1/`+id+`"); return r ? JSON.stringify(await r.json()) : ""; })()`, chromedp.EvalAwaitPromise))
	if want := `{"item":{"type":"ticket","id":"` + id + `","office":"hcm-q1"},"secret":"` + token + `","lang":"vi"}`; kept != want {
		t.Errorf("kept for a renewal %s, want %s", kept, want)
	}
	subs, err = e.db.Subscriptions(context.Background(), notify.Item{Type: notify.ItemTicket, ID: id, Office: e.officeID})
	if err != nil {
		t.Fatal(err)
	}
	if len(subs) != 2 || subs[1].Channel != notify.Push || subs[1].Endpoint != e.srv.URL+"/push-service/1" || len(subs[1].P256DH) != 87 || subs[1].Lang != "vi" {
		t.Fatalf("subscriptions %+v", subs)
	}

	// A push message as the outbox sends it, delivered to the worker by
	// Chromium itself: shown once per key, a ticket's newer message
	// replacing the older one (one tag per item).
	regs := make(chan string, 16)
	if err := chromedp.Listen(ctx, func(ev any) {
		if u, ok := ev.(*serviceworker.EventWorkerRegistrationUpdated); ok {
			for _, r := range u.Registrations {
				if !r.IsDeleted && r.ScopeURL == e.srv.URL+"/" {
					select {
					case regs <- string(r.RegistrationID):
					default:
					}
				}
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, serviceworker.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	var reg string
	select {
	case reg = <-regs:
	case <-time.After(step):
		t.Fatal("Chromium names no service worker registration of the site")
	}
	push := func(key, kind, title string) {
		t.Helper()
		data := `{"key":"` + key + `","kind":"` + kind + `","item":{"type":"ticket","id":"` + id + `","office":"hcm-q1"},"title":"` + title +
			`","body":"B003","url":"https://elsewhere.example/t/` + id + `?token=` + token + `","unsubscribe":"/u/x"}`
		if _, err := chromedp.Call(ctx, serviceworker.DeliverPushMessage, serviceworker.DeliverPushMessageParams{
			Origin: e.srv.URL, RegistrationID: serviceworker.RegistrationID(reg), Data: data}); err != nil {
			t.Fatal(err)
		}
	}
	shown := `(async () => { const r = await navigator.serviceWorker.ready; return JSON.stringify((await r.getNotifications()).map((n) => [n.title, n.body, n.tag, n.requireInteraction, n.data.url, n.actions.map((a) => a.action).join()])); })()`
	waitShown := func(what, want string) {
		t.Helper()
		deadline := time.Now().Add(step)
		var got string
		for time.Now().Before(deadline) {
			got, _ = chromedp.Run(ctx, chromedp.Evaluate[string](shown, chromedp.EvalAwaitPromise))
			if got == want {
				return
			}
			time.Sleep(100 * time.Millisecond) // a poll of the browser's state, bounded by step
		}
		t.Fatalf("%s: notifications %s, want %s", what, got, want)
	}
	link := "https://elsewhere.example/t/" + id + "?token=" + token
	push("ticket/"+id+"/near", "ticket.near", "Sắp đến lượt")
	waitShown("near", `[["Sắp đến lượt","B003","ticket/hcm-q1/`+id+`",false,"`+link+`","stop"]]`)
	push("ticket/"+id+"/near", "ticket.near", "Sắp đến lượt")
	push("ticket/"+id+"/called/1", "ticket.called", "Mời đến quầy 2")
	waitShown("called", `[["Mời đến quầy 2","B003","ticket/hcm-q1/`+id+`",true,"`+link+`","stop"]]`)

	// Offline: the page's network cut through CDP, and the server gone
	// (the worker's own requests do not follow the page's emulation):
	// the page and its last state come from the worker.
	offline := true
	if _, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		EmulateOfflineServiceWorker: &offline,
		MatchedNetworkConditions:    []*network.Conditions{{Offline: true, DownloadThroughput: -1, UploadThroughput: -1}},
	}); err != nil {
		t.Fatal(err)
	}
	e.srv.CloseClientConnections()
	e.srv.Close()
	run(t, ctx, chromedp.Reload())
	waitJS(t, ctx, "last state offline", `document.querySelector('#number').textContent === "B003" && document.querySelector('#offline') && !document.querySelector('#offline').hidden && document.querySelector('#offline').textContent.startsWith("Đang ngoại tuyến — thông tin cập nhật lần cuối lúc ")`)
	run(t, ctx, chromedp.Click(`#lang`))
	waitJS(t, ctx, "offline in English", `document.querySelector('#offline').textContent.startsWith("Offline — last updated at ")`)
}

// TestBrowserIPhoneNote: Safari on an iPhone, outside the Home Screen
// app, is told how to add it there to be notified, in both languages.
func TestBrowserIPhoneNote(t *testing.T) {
	e := newAppEnv(t, vapidKey(t))
	id, token := e.remoteTicket("ho-tich", "0912 345 678")
	ctx := newBrowser(t)
	ua := "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
	if _, err := chromedp.Call(ctx, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{UserAgent: ua}); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(3)), chromedp.Navigate(e.srv.URL+"/t/"+id+"?token="+token))
	waitJS(t, ctx, "iPhone note", `document.querySelector('#notify').dataset.ready === "true" && !document.querySelector('#notify-ios').hidden && document.querySelector('#notify-ios').textContent.includes("Thêm vào Màn hình chính")`)
	run(t, ctx, chromedp.Click(`#lang`))
	waitJS(t, ctx, "iPhone note in English", `document.querySelector('#notify-ios').textContent.includes("Add to Home Screen")`)
}
