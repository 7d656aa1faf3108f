// Lượt — the opt-in to notifications on the page of a ticket, a booking,
// a dossier or a report (the section #notify of the page): the browser's
// notifications (Web Push, through the service worker) where the browser
// has them and the server sends them, SMS to a phone where the server has
// an SMS route, and for iPhones the note that notifications need the app
// on the Home Screen. The page calls LuotNotify.offer(item, secret) once
// it knows the item, with the secret of its link; this phone remembers
// what it subscribed to (the unsubscribe links), never the server.
"use strict";

const LuotNotify = (() => {
  const { t, api, $, showError } = Luot;
  const ios = /iP(hone|ad|od)/.test(navigator.userAgent) || (navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1);
  const standalone = (window.matchMedia && window.matchMedia("(display-mode: standalone)").matches) || navigator.standalone === true;
  const pushable = "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
  let item = null;
  let secret = "";
  let key = "";
  let canPush = false;
  let done = {};

  const storeKey = () => "luot-sub-" + item.type + "-" + item.id;
  function load() {
    try { done = JSON.parse(localStorage.getItem(storeKey()) || "{}") || {}; } catch (e) { done = {}; }
  }
  function save() {
    try { localStorage.setItem(storeKey(), JSON.stringify(done)); } catch (e) { /* private mode: not remembered */ }
  }

  // bytes decodes the server's key (base64url) for pushManager.subscribe.
  function bytes(b64) {
    const s = atob((b64 + "===".slice((b64.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(s, (c) => c.charCodeAt(0));
  }

  function show() {
    if (!item) return;
    const parts = [];
    if (done.push) parts.push(t("Đã bật thông báo trên điện thoại này.", "Notifications are on for this phone."));
    if (done.sms) parts.push(t("Đã đăng ký nhận SMS.", "SMS messages are on."));
    const st = $("#notify-status");
    st.textContent = parts.join(" ");
    st.hidden = parts.length === 0;
    for (const ch of ["push", "sms"]) {
      const a = $("#notify-stop-" + ch);
      if (!a) continue;
      a.hidden = !done[ch];
      if (done[ch]) a.href = done[ch];
    }
    $("#notify-push").hidden = !canPush || !!done.push;
  }
  document.addEventListener("luot:lang", show);

  // offer shows the opt-in for item ({type, id, office}) whose link's
  // secret is secret, with the channels this browser and server have.
  async function offer(it, sec) {
    const box = $("#notify");
    if (item || !box || !it || !sec) return;
    item = it;
    secret = sec;
    load();
    try { key = (await api("GET", "/push/key")).public_key || ""; } catch (e) { key = ""; }
    let sms = false;
    try { sms = !!(await api("GET", "/offices/" + encodeURIComponent(it.office))).sms; } catch (e) { sms = false; }
    canPush = !!key && pushable && Notification.permission !== "denied";
    // Safari on iOS has Web Push only in an app added to the Home Screen.
    const iosNote = ios && !standalone && !!key;
    $("#notify-sms").hidden = !sms;
    $("#notify-ios").hidden = !iosNote;
    box.hidden = !(canPush || sms || iosNote || done.push || done.sms);
    box.dataset.ready = "true";
    show();
  }

  // hide takes the opt-in away (the item ended).
  function hide() {
    const box = $("#notify");
    if (box) box.hidden = true;
  }

  // within rejects with a TimeoutError when p has not settled in ms.
  function within(ms, p) {
    return Promise.race([p, new Promise((_, no) => setTimeout(() => no(new DOMException("no answer", "TimeoutError")), ms))]);
  }

  async function subscribe(body) {
    return api("POST", "/subscriptions", Object.assign({ item, secret, lang: Luot.lang() }, body));
  }

  async function pushOn() {
    showError($("#notify-error"), null);
    try {
      const perm = await Notification.requestPermission();
      if (perm !== "granted") {
        throw new Error(t("Bạn chưa cho phép thông báo. Hãy cho phép trong cài đặt của trình duyệt, hoặc nhận SMS.",
          "Notifications are not allowed. Allow them in the browser's settings, or choose SMS."));
      }
      await navigator.serviceWorker.register("/sw.js");
      const reg = await navigator.serviceWorker.ready;
      let sub = await reg.pushManager.getSubscription();
      // A browser without a reachable push service may never answer.
      if (!sub) sub = await within(30000, reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: bytes(key) }));
      const j = sub.toJSON();
      const r = await subscribe({ channel: "push", push: { endpoint: j.endpoint, keys: { p256dh: j.keys.p256dh, auth: j.keys.auth } } });
      done.push = r.unsubscribe;
      save();
      // What the worker needs to subscribe the item again should the
      // browser renew its push subscription (sw.js, pushsubscriptionchange),
      // kept before "on" is shown.
      try {
        const c = await caches.open("luot-subs-v1");
        await c.put("/__sub/" + item.type + "/" + encodeURIComponent(item.office) + "/" + encodeURIComponent(item.id),
          new Response(JSON.stringify({ item, secret, lang: Luot.lang() }), { headers: { "Content-Type": "application/json" } }));
      } catch (e) { /* no Cache Storage: the subscription lasts until the browser renews it */ }
      show();
    } catch (e) {
      let err = e;
      if (!e.code && e.name && e.name !== "Error") {
        err = new Error(t("Trình duyệt không bật được thông báo (" + e.name + "). Hãy thử lại, hoặc nhận SMS.",
          "The browser could not turn notifications on (" + e.name + "). Try again, or choose SMS."));
      }
      showError($("#notify-error"), err);
    }
  }

  async function smsOn(ev) {
    ev.preventDefault();
    showError($("#notify-error"), null);
    const phone = $("#notify-phone").value.trim();
    if (!phone) {
      $("#notify-phone").setAttribute("aria-invalid", "true");
      showError($("#notify-error"), new Error(t("Hãy nhập số điện thoại để nhận SMS.", "Type the phone number to get SMS at.")));
      return;
    }
    try {
      const r = await subscribe({ channel: "sms", phone });
      $("#notify-phone").removeAttribute("aria-invalid");
      $("#notify-phone").value = "";
      done.sms = r.unsubscribe;
      save();
      show();
    } catch (e) {
      showError($("#notify-error"), e);
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    const b = $("#notify-push");
    if (b) b.addEventListener("click", pushOn);
    const f = $("#notify-sms");
    if (f) f.addEventListener("submit", smsOn);
  });

  return { offer, hide };
})();
