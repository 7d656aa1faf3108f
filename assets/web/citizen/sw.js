// Lượt — the citizen app's service worker (scope /). It keeps the shell
// (the citizen pages, their style and scripts, the icons) and the last
// known state of each ticket, booking, dossier and report followed on
// this phone, so that they open without a network and say when they were
// last updated; it shows the push notifications and opens the item's
// page when one is tapped. Staff pages and every other request pass
// through untouched. Network first everywhere: online, the citizen sees
// the truth, never a stale copy.
"use strict";

const SHELL = "luot-shell-v1";
const STATE = "luot-state-v1";
const SEEN = "luot-push-seen-v1";
// SUBS are the items this browser subscribed to push ({item, secret,
// lang}, written by notify.js), to subscribe again when the browser
// renews its push subscription.
const SUBS = "luot-subs-v1";
const SHELL_FILES = [
  "/static/luot.css", "/citizen/citizen.css", "/citizen/citizen.js", "/citizen/notify.js",
  "/citizen/track.js", "/citizen/booking.js", "/citizen/take.js", "/citizen/hs.css", "/citizen/hs.js",
  "/citizen/pa.css", "/citizen/pa.js", "/citizen/pa-report.js",
  "/favicon.svg", "/icons/icon-192.png", "/manifest.webmanifest",
];

// The citizens' pages (navigations), by the first part of the path; the
// unsubscribe page /u/ is never kept (its address is a secret).
const PAGE = /^\/(?:$|o\/|t\/|b\/|cancel$|hs(?:\/|$)|pa(?:\/|$))/;
// The shell's files.
const FILE = /^\/(?:static\/|citizen\/|icons\/|favicon\.|manifest\.webmanifest$)/;
// The states a page shows: read with GET, but a dossier's with POST (its
// key travels in the body, not in the address).
const STATE_GET = /^\/api\/v1\/(?:tickets\/[^/]+\/track|bookings\/[^/]+|reports\/[^/]+|offices\/[^/]+(?:\/feedback|\/dossier-catalogue)?)$/;
const STATE_POST = /^\/api\/v1\/dossiers\/[^/]+\/lookup$/;

self.addEventListener("install", (e) => {
  e.waitUntil(caches.open(SHELL).then((c) => c.addAll(SHELL_FILES)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (e) => {
  const keep = [SHELL, STATE, SEEN, SUBS];
  e.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => !keep.includes(k)).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (e) => {
  const req = e.request;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (req.method === "GET" && req.mode === "navigate" && PAGE.test(url.pathname)) {
    e.respondWith(page(req, url));
  } else if (req.method === "GET" && FILE.test(url.pathname)) {
    e.respondWith(file(req));
  } else if (req.method === "GET" && STATE_GET.test(url.pathname)) {
    e.respondWith(state(req, req.url));
  } else if (req.method === "POST" && STATE_POST.test(url.pathname)) {
    e.respondWith(req.clone().text().then((body) => state(req, req.url + "?sw-body=" + encodeURIComponent(body))));
  }
});

// pageKey is where a page is kept besides its own address: one copy per
// kind of page, for an address never opened (the pages are the same for
// every ticket; the script reads the address).
function pageKey(url) {
  return "/__page/" + (url.pathname.split("/")[1] || "home");
}

async function page(req, url) {
  const c = await caches.open(SHELL);
  try {
    const res = await fetch(req);
    if (res.ok) {
      await c.put(req.url, res.clone());
      await c.put(pageKey(url), res.clone());
    }
    return res;
  } catch (err) {
    const hit = (await c.match(req.url)) || (await c.match(req.url, { ignoreSearch: true })) || (await c.match(pageKey(url)));
    return hit || offlinePage();
  }
}

async function file(req) {
  const c = await caches.open(SHELL);
  try {
    const res = await fetch(req);
    if (res.ok) await c.put(req, res.clone());
    return res;
  } catch (err) {
    return (await c.match(req, { ignoreSearch: true })) || Response.error();
  }
}

// state answers from the network and keeps the answer under key with the
// time it was received; offline it answers the kept one, with that time
// in X-Luot-Offline, which the pages show ("offline, last updated at …").
async function state(req, key) {
  const c = await caches.open(STATE);
  try {
    const res = await fetch(req);
    if (res.ok) {
      const h = new Headers(res.headers);
      h.set("X-Luot-Saved-At", new Date().toISOString());
      await c.put(key, new Response(await res.clone().blob(), { status: res.status, headers: h }));
    } else if (res.status === 404 || res.status === 401 || res.status === 403) {
      await c.delete(key); // the item is gone or no longer theirs: keep nothing
    }
    return res;
  } catch (err) {
    const hit = await c.match(key);
    if (!hit) return Response.error();
    const h = new Headers(hit.headers);
    h.set("X-Luot-Offline", hit.headers.get("X-Luot-Saved-At") || "");
    return new Response(await hit.blob(), { status: 200, headers: h });
  }
}

function offlinePage() {
  const html = '<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
    '<title>Lượt — ngoại tuyến / offline</title><link rel="stylesheet" href="/static/luot.css"><link rel="stylesheet" href="/citizen/citizen.css"></head>' +
    '<body><header class="bar"><h1>Lượt</h1></header><main class="page"><section class="card"><h2>Không có kết nối mạng</h2>' +
    '<p>Trang này chưa được mở trên điện thoại này khi có mạng. Hãy thử lại khi có kết nối.</p>' +
    '<h2 lang="en">You are offline</h2><p lang="en">This page was never opened on this phone while online. Try again once connected.</p></section></main></body></html>';
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

// A push message is the outbox's payload: {key, kind, item, title, body,
// url, unsubscribe}. One sent again after a crash (the same key) replaces
// the shown one without ringing again.
self.addEventListener("push", (e) => {
  let p = {};
  try {
    p = e.data ? e.data.json() : {};
  } catch (err) {
    p = { body: e.data ? e.data.text() : "" };
  }
  const item = p.item || {};
  const tag = item.type ? item.type + "/" + item.office + "/" + item.id : "luot";
  e.waitUntil((async () => {
    let again = false;
    if (p.key) {
      const seen = await caches.open(SEEN);
      const k = "/__push/" + encodeURIComponent(p.key);
      again = !!(await seen.match(k));
      if (!again) await seen.put(k, new Response(""));
    }
    await self.registration.showNotification(p.title || "Lượt", {
      body: p.body || "",
      tag,
      renotify: !again,
      silent: again,
      icon: "/icons/icon-192.png",
      badge: "/icons/icon-192.png",
      vibrate: p.kind === "ticket.called" ? [400, 150, 400, 150, 400] : [200],
      requireInteraction: p.kind === "ticket.called",
      data: { url: p.url || "/", unsubscribe: p.unsubscribe || "" },
      // The unsubscribe link every message carries; the payload has no
      // language, so the button says it in both.
      actions: p.unsubscribe ? [{ action: "stop", title: "Tắt thông báo · Stop" }] : [],
    });
  })());
});

// A tap opens the item's page on this site (a page already open is
// focused), the "stop" button the unsubscribe page: only the path of the
// payload's link is used, so that a link written with another host name
// still opens here.
self.addEventListener("notificationclick", (e) => {
  e.notification.close();
  const data = e.notification.data || {};
  const link = e.action === "stop" && data.unsubscribe ? data.unsubscribe : data.url;
  let target;
  try {
    const u = new URL(link || "/", self.location.origin);
    target = new URL(u.pathname + u.search, self.location.origin);
  } catch (err) {
    target = new URL("/", self.location.origin);
  }
  e.waitUntil((async () => {
    const wins = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
    for (const w of wins) {
      const u = new URL(w.url);
      if (u.pathname === target.pathname && "focus" in w) return w.focus();
    }
    return self.clients.openWindow(target.href);
  })());
});

// The browser renewed (or lost) its push subscription: the server's is
// dead (its push service will answer 410 and the sender drops it), so the
// new one is given to the server for each item followed. An item the
// server no longer knows, or that is over, is forgotten.
self.addEventListener("pushsubscriptionchange", (e) => {
  e.waitUntil((async () => {
    let sub = e.newSubscription;
    const key = e.oldSubscription && e.oldSubscription.options && e.oldSubscription.options.applicationServerKey;
    if (!sub && key) sub = await self.registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
    if (!sub) return;
    const j = sub.toJSON();
    const c = await caches.open(SUBS);
    for (const req of await c.keys()) {
      try {
        const s = await (await c.match(req)).json();
        const res = await fetch("/api/v1/subscriptions", {
          method: "POST",
          headers: { "Content-Type": "application/json", "Accept-Language": s.lang },
          body: JSON.stringify({ item: s.item, secret: s.secret, channel: "push", lang: s.lang, push: { endpoint: j.endpoint, keys: j.keys } }),
        });
        if (res.status === 404 || res.status === 409) await c.delete(req);
      } catch (err) { /* offline: the next change tries again */ }
    }
  })());
});
