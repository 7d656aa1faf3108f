// Lượt — shared code of the citizens' pages: the language switch (each
// element's Vietnamese text is in the page, its English in data-en), small
// helpers to call the API and show errors, dates and hours in the page's
// language, and what this phone keeps. No framework, no build step.
"use strict";

const Luot = (() => {
  const key = "luot-lang";
  let lang = localStorage.getItem(key) === "en" ? "en" : "vi";

  // t picks the text of the current language: t("Xin chào", "Hello").
  const t = (vi, en) => (lang === "en" ? en : vi);

  function applyLang() {
    document.documentElement.lang = lang;
    document.querySelectorAll("[data-en]").forEach((el) => {
      if (el.dataset.vi === undefined) el.dataset.vi = el.textContent;
      el.textContent = lang === "en" ? el.dataset.en : el.dataset.vi;
    });
    document.querySelectorAll("[data-en-placeholder]").forEach((el) => {
      if (el.dataset.viPlaceholder === undefined) el.dataset.viPlaceholder = el.placeholder;
      el.placeholder = lang === "en" ? el.dataset.enPlaceholder : el.dataset.viPlaceholder;
    });
    const b = document.getElementById("lang");
    if (b) b.textContent = lang === "en" ? "Tiếng Việt" : "English";
    document.dispatchEvent(new Event("luot:lang"));
  }

  document.addEventListener("DOMContentLoaded", () => {
    const b = document.getElementById("lang");
    if (b) b.addEventListener("click", () => {
      lang = lang === "en" ? "vi" : "en";
      localStorage.setItem(key, lang);
      applyLang();
    });
    applyLang();
  });

  // api calls the JSON API in the page's language (Accept-Language); it
  // resolves with the body, or rejects with an Error whose message is the
  // server's message (written for people, in that language) and code its
  // code, for the page to act on (never to show).
  async function api(method, path, body) {
    const opts = { method, headers: { "Accept-Language": lang } };
    if (body !== undefined) {
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(body);
    }
    let res;
    try {
      res = await fetch("/api/v1" + path, opts);
    } catch (e) {
      const err = new Error(t("Không kết nối được máy chủ. Vui lòng thử lại.", "Cannot reach the server. Please try again."));
      err.code = "network";
      throw err;
    }
    offline(res.headers.get("X-Luot-Offline"));
    const data = res.status === 204 ? null : await res.json().catch(() => null);
    if (!res.ok) {
      const e = (data && data.error) || {};
      const m = typeof e.message === "string" && e.message ? e.message
        : t("Máy chủ không trả lời được (lỗi " + res.status + "). Vui lòng thử lại.", "The server could not answer (error " + res.status + "). Please try again.");
      const err = new Error(m.charAt(0).toUpperCase() + m.slice(1));
      err.code = e.code;
      err.status = res.status;
      // Seconds the server asks to wait (429, 503), 0 when it says none.
      err.retryAfter = Number(res.headers.get("Retry-After")) || 0;
      throw err;
    }
    return data;
  }

  // offline shows, at the top of the page, that what it shows is the
  // last state this phone kept (the service worker answered for the
  // server, at the time saved), and hides the note again once the server
  // answers.
  let offlineAt = null;
  function offline(at) {
    offlineAt = at === null ? null : at;
    let el = document.getElementById("offline");
    if (offlineAt === null) {
      if (el) el.hidden = true;
      return;
    }
    if (!el) {
      el = document.createElement("p");
      el.id = "offline";
      el.className = "offline";
      el.setAttribute("role", "status");
      const main = document.querySelector("main") || document.body;
      main.prepend(el);
    }
    el.hidden = false;
    const d = new Date(offlineAt);
    const p = (n) => String(n).padStart(2, "0");
    const when = isNaN(d) ? "" : p(d.getHours()) + ":" + p(d.getMinutes()) + " " + p(d.getDate()) + "/" + p(d.getMonth() + 1);
    el.textContent = when ? t("Đang ngoại tuyến — thông tin cập nhật lần cuối lúc " + when, "Offline — last updated at " + when)
      : t("Đang ngoại tuyến — đây là thông tin đã lưu", "Offline — this is what was saved");
  }
  document.addEventListener("luot:lang", () => { if (offlineAt !== null) offline(offlineAt); });

  // The service worker keeps the pages and the last states for offline
  // use, and shows the notifications (sw.js). A browser without it (or a
  // private window that refuses it) works as before.
  if ("serviceWorker" in navigator) {
    window.addEventListener("load", () => { navigator.serviceWorker.register("/sw.js").catch(() => {}); });
  }

  function showError(el, err) {
    el.textContent = err ? err.message : "";
    el.hidden = !err;
  }

  const $ = (sel) => document.querySelector(sel);
  const serviceName = (s) => (lang === "en" && s.name_en ? s.name_en : s.name);
  // officeName is an office's (or a ticket's or booking's office) name in
  // the page's language: name_en/office_name_en when the office has one.
  const officeName = (o) => (lang === "en" ? o.name_en || o.office_name_en : "") || o.name || o.office_name || "Lượt";
  const officeID = () => decodeURIComponent(location.pathname.split("/")[2] || "");

  // hhmm shows an ISO time as local HH:MM of the office (the page's own
  // clock zone is the phone's; the server sends offsets of the office).
  function hhmm(iso) {
    const m = /T(\d\d):(\d\d)/.exec(iso || "");
    return m ? m[1] + ":" + m[2] : "";
  }

  // dateText writes a day "YYYY-MM-DD" the way people there write it:
  // "Thứ Sáu, 27/11/2026" or "Friday 27 November 2026" (short: "T6 27/11",
  // "Fri 27 Nov"). The day is a calendar day: no time zone moves it.
  function dateText(d, short) {
    const m = /^(\d{4})-(\d\d)-(\d\d)$/.exec(d || "");
    if (!m) return d || "";
    const [y, mo, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const wd = new Date(Date.UTC(y, mo - 1, day)).getUTCDay();
    if (lang === "en") {
      const mon = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"][mo - 1];
      return short ? EN_DAYS[wd].slice(0, 3) + " " + day + " " + mon.slice(0, 3) : EN_DAYS[wd] + " " + day + " " + mon + " " + y;
    }
    return short ? VI_SHORT[wd] + " " + day + "/" + mo : VI_DAYS[wd] + ", " + m[3] + "/" + m[2] + "/" + y;
  }
  const VI_DAYS = ["Chủ Nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"];
  const VI_SHORT = ["CN", "T2", "T3", "T4", "T5", "T6", "T7"];
  const EN_DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

  // hoursLines writes an office's week hours ({mon: [{from, to}], …}) as
  // lines, consecutive days with the same hours together:
  // "Thứ Hai – Thứ Sáu: 07:30–11:30, 13:30–17:00".
  function hoursLines(hours) {
    const keys = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    const names = lang === "en" ? EN_DAYS.slice(1).concat(EN_DAYS[0]) : VI_DAYS.slice(1).concat(VI_DAYS[0]);
    const spans = keys.map((k) => ((hours && hours[k]) || []).map((s) => s.from + "–" + (s.to === "24:00" ? "24:00" : s.to)).join(", "));
    const out = [];
    for (let i = 0; i < 7;) {
      let j = i;
      while (j + 1 < 7 && spans[j + 1] === spans[i]) j++;
      const days = i === j ? names[i] : names[i] + " – " + names[j];
      out.push(days + ": " + (spans[i] || t("nghỉ", "closed")));
      i = j + 1;
    }
    return out;
  }

  // etaText is a waiting ticket's expected wait. With no counter open
  // (eta_provisional) it never promises a short wait: it says so, with the
  // time the ticket is expected to be called after if the server knows it.
  function etaText(tk) {
    if (tk.eta_provisional) {
      const at = hhmm(tk.expected_at);
      return at ? t("Chưa có quầy mở; dự kiến gọi sau " + at, "No counter is open yet; expected to be called after " + at)
        : t("Chưa có quầy mở", "No counter is open yet");
    }
    return duration(tk.eta_seconds);
  }

  function duration(sec) {
    if (sec < 0) return t("chưa rõ", "unknown");
    const m = Math.round(sec / 60);
    if (m < 1) return t("sắp đến lượt", "any moment");
    if (m < 60) return m + t(" phút", " min");
    return Math.floor(m / 60) + t(" giờ ", " h ") + (m % 60) + t(" phút", " min");
  }

  // The numbers and bookings taken on this phone, kept in this browser
  // only (never sent anywhere), so that their holder finds their links
  // again: "Số của bạn hôm nay", "Lịch hẹn của bạn". A phone number is not
  // enough to get them back from the server, by design. Each item is
  // {id, url, day, number, name, name_en, slot}: a ticket is kept for its
  // day, a booking until its date; older ones are dropped when read.
  const mineKey = (kind) => "luot-mine-" + kind;
  function today() {
    const d = new Date();
    const p = (n) => String(n).padStart(2, "0");
    return d.getFullYear() + "-" + p(d.getMonth() + 1) + "-" + p(d.getDate());
  }
  function mine(kind) {
    let list = [];
    try { list = JSON.parse(localStorage.getItem(mineKey(kind)) || "[]"); } catch (e) { list = []; }
    if (!Array.isArray(list)) list = [];
    const keep = list.filter((x) => x && typeof x.id === "string" && typeof x.url === "string" && x.url.startsWith("/") && !x.url.startsWith("//") && typeof x.day === "string" && x.day >= today());
    if (keep.length !== list.length) save(kind, keep);
    return keep;
  }
  function save(kind, list) {
    try { localStorage.setItem(mineKey(kind), JSON.stringify(list.slice(0, 10))); } catch (e) { /* private mode: nothing kept */ }
  }
  function remember(kind, item) {
    save(kind, [item].concat(mine(kind).filter((x) => x.id !== item.id)));
  }
  function forget(kind, id) {
    save(kind, mine(kind).filter((x) => x.id !== id));
  }
  // mineLabel is how a kept item reads in the page's language.
  function mineLabel(x) {
    const name = serviceName({ name: x.name || "", name_en: x.name_en });
    return [x.number, x.slot ? x.slot + " " + dateText(x.date || x.day, true) : "", name].filter(Boolean).join(" · ");
  }
  // showMine lists the kept items of kind in the <ul> of section box, in
  // the page's language, and again after each language switch.
  function showMine(kind, box) {
    if (!box) return 0;
    const ul = box.querySelector("ul");
    ul.textContent = "";
    for (const x of mine(kind)) {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.className = "choice";
      a.href = x.url;
      a.textContent = mineLabel(x);
      li.append(a);
      ul.append(li);
    }
    box.hidden = ul.children.length === 0;
    if (!box.dataset.mine) {
      box.dataset.mine = kind;
      document.addEventListener("luot:lang", () => showMine(kind, box));
    }
    return ul.children.length;
  }

  return { t, api, showError, $, serviceName, officeName, officeID, hhmm, duration, etaText, dateText, hoursLines,
    lang: () => lang, today, remember, forget, mine, showMine };
})();
