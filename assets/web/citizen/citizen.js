// Lượt — shared code of the citizens' pages: the language switch (each
// element's Vietnamese text is in the page, its English in data-en), small
// helpers to call the API and show errors. No framework, no build step.
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

  // api calls the JSON API; it resolves with the body, or rejects with an
  // Error whose message is the server's (in the page's language, which
  // every request asks for) and code its code.
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
    const data = res.status === 204 ? null : await res.json().catch(() => null);
    if (!res.ok) {
      const e = (data && data.error) || {};
      const err = new Error(message(e.code, e.message || res.statusText, res));
      err.code = e.code;
      err.status = res.status;
      throw err;
    }
    return data;
  }

  // Vietnamese words for the errors a citizen meets; the server's English
  // message otherwise.
  function message(code, fallback, res) {
    const vi = {
      invalid_phone: "Số điện thoại không hợp lệ: nhập 10 số bắt đầu bằng 0 (ví dụ 0912 345 678).",
      invalid_name: "Họ tên không hợp lệ (1–100 ký tự, không chứa < >).",
      slot_full: "Khung giờ này vừa hết chỗ. Vui lòng chọn khung giờ khác.",
      already_has_number: "Số điện thoại này đã có số thứ tự cho thủ tục này hôm nay. Hãy mở đường liên kết bạn nhận được khi lấy số (trên điện thoại đã dùng để lấy số, xem mục \"Số của bạn hôm nay\").",
      already_booked: "Số điện thoại này đã đặt lịch cho thủ tục này trong ngày đã chọn. Hãy mở đường liên kết bạn nhận được khi đặt lịch (trên điện thoại đã dùng để đặt, xem mục \"Lịch hẹn của bạn\") để xem hoặc hủy.",
      office_closed: "Ngoài giờ làm việc: chỉ lấy số trực tuyến khi cơ quan đang mở cửa.",
      daily_cap_reached: "Đã hết số trực tuyến hôm nay. Vui lòng lấy số tại quầy.",
      unknown_booking: "Không tìm thấy lịch hẹn với mã và đường liên kết này. Hãy mở đúng đường liên kết bạn nhận được khi đặt lịch.",
      token_required: "Cần đường liên kết bạn nhận được khi đặt lịch: mã lịch hẹn và số điện thoại không đủ để hủy.",
      booking_cancelled: "Lịch hẹn này đã được hủy.",
      rate_limited: "Bạn thao tác quá nhanh. Vui lòng thử lại sau " + (res && res.headers.get("Retry-After") || "ít") + " giây.",
      already_rated: "Bạn đã đánh giá lượt này. Cảm ơn bạn!",
      date_in_past: "Ngày đã qua.", date_beyond_horizon: "Ngày này vượt quá thời hạn cho phép đặt lịch.",
    };
    return lang === "vi" && vi[code] ? vi[code] : fallback;
  }

  function showError(el, err) {
    el.textContent = err ? err.message : "";
    el.hidden = !err;
  }

  const $ = (sel) => document.querySelector(sel);
  const serviceName = (s) => (lang === "en" && s.name_en ? s.name_en : s.name);
  const officeID = () => decodeURIComponent(location.pathname.split("/")[2] || "");

  // hhmm shows an ISO time as local HH:MM of the office (the page's own
  // clock zone is the phone's; the server sends offsets of the office).
  function hhmm(iso) {
    const m = /T(\d\d):(\d\d)/.exec(iso || "");
    return m ? m[1] + ":" + m[2] : "";
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
  // {id, url, label, day}; an item is dropped once its day has passed.
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
    return list.filter((x) => x && typeof x.url === "string" && x.url.startsWith("/") && !x.url.startsWith("//") && x.day >= today());
  }
  function remember(kind, item) {
    const list = mine(kind).filter((x) => x.id !== item.id);
    list.unshift(item);
    try { localStorage.setItem(mineKey(kind), JSON.stringify(list.slice(0, 10))); } catch (e) { /* private mode: nothing kept */ }
  }
  function forget(kind, id) {
    try { localStorage.setItem(mineKey(kind), JSON.stringify(mine(kind).filter((x) => x.id !== id))); } catch (e) { /* nothing kept */ }
  }
  // showMine lists the kept items of kind in the <ul> of section box.
  function showMine(kind, box) {
    if (!box) return;
    const ul = box.querySelector("ul");
    ul.textContent = "";
    for (const x of mine(kind)) {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.className = "choice";
      a.href = x.url;
      a.textContent = x.label;
      li.append(a);
      ul.append(li);
    }
    box.hidden = ul.children.length === 0;
  }

  return { t, api, showError, $, serviceName, officeID, hhmm, duration, lang: () => lang, today, remember, forget, showMine };
})();
