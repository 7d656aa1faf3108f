// Lượt — shared code of the feedback pages (phản ánh): the office's
// feedback configuration, names of categories, units and statuses in the
// page's language, dates, the reports kept on this phone, and the map
// (Leaflet when the build has it; without it the pages say so in words).
"use strict";

const PA = (() => {
  const { t } = Luot;
  const meta = document.querySelector('meta[name="luot-office"]');
  const office = meta ? meta.content : "";
  let cfgPromise = null;

  // config is the office's feedback configuration (fetched once).
  function config() {
    if (!cfgPromise) {
      cfgPromise = Luot.api("GET", "/offices/" + encodeURIComponent(office) + "/feedback");
      cfgPromise.catch(() => { cfgPromise = null; });
    }
    return cfgPromise;
  }

  const named = (x) => (Luot.lang() === "en" && x.name_en ? x.name_en : x.name);
  function category(cfg, id) {
    const c = cfg && (cfg.categories || []).find((x) => x.id === id);
    return c ? named(c) : id || "";
  }
  function unit(cfg, id) {
    const u = cfg && (cfg.units || []).find((x) => x.id === id);
    return u ? named(u) : id || "";
  }

  const STATUS = {
    new: ["Đã gửi, chờ tiếp nhận", "Sent, awaiting review"],
    accepted: ["Đã tiếp nhận", "Accepted"],
    assigned: ["Đã chuyển đơn vị xử lý", "Passed to the unit in charge"],
    in_progress: ["Đang xử lý", "Being handled"],
    resolved: ["Đã xử lý", "Resolved"],
    unfounded: ["Phản ánh không đúng sự thật", "Found unfounded"],
    refused: ["Không tiếp nhận", "Not accepted"],
    duplicate: ["Trùng với phản ánh khác", "Duplicate of another report"],
  };
  const OPEN = ["new", "accepted", "assigned", "in_progress"];
  const status = (s) => (STATUS[s] ? t(STATUS[s][0], STATUS[s][1]) : s);
  const statuses = () => Object.keys(STATUS);
  // badgeClass is the colour of a status: open, resolved or closed.
  const badgeClass = (s) => (OPEN.includes(s) ? "open" : s === "resolved" ? "resolved" : "closed");

  // EVENT names a timeline entry; {unit} is replaced by the unit's name.
  const EVENT = {
    created: ["Đã gửi phản ánh", "Report sent"],
    accept: ["Đã tiếp nhận phản ánh", "Report accepted"],
    refuse: ["Không tiếp nhận phản ánh", "Report not accepted"],
    unfounded: ["Xác định phản ánh không đúng sự thật", "Report found unfounded"],
    duplicate: ["Xác định trùng với phản ánh khác", "Marked as a duplicate of another report"],
    assign: ["Chuyển đến {unit}", "Passed to {unit}"],
    start: ["{unit} bắt đầu xử lý", "{unit} started handling it"],
    return: ["Trả lại để phân công lại", "Returned to be passed to another unit"],
    answer: ["Đã có trả lời", "Answered"],
    resolve: ["Đã xử lý xong", "Resolved"],
    reopen: ["Người phản ánh chưa hài lòng, mở lại", "Reopened by the reporter"],
    satisfied: ["Người phản ánh hài lòng", "The reporter is satisfied"],
    me_too: ["Thêm người cùng gặp vấn đề này", "One more person has the same problem"],
    hide_photo: ["Một ảnh được ẩn khỏi trang công khai", "A photo was hidden from the public"],
    show_photo: ["Một ảnh được hiện lại", "A photo was shown again"],
    erase: ["Đã xóa thông tin cá nhân của người phản ánh", "The reporter's personal data were erased"],
  };
  function eventText(cfg, ev) {
    const k = String(ev.type || "").replace(/^report\./, "").replace(/-/g, "_");
    const e = EVENT[k];
    const text = e ? t(e[0], e[1]) : status(ev.status);
    const u = unit(cfg, ev.unit) || t("Đơn vị xử lý", "The unit in charge");
    return text.replace("{unit}", u);
  }

  // when writes an ISO time of the office as "14:05, 27/11/2026"
  // ("14:05, 27 Nov 2026"): the server sends the office's offset.
  function when(iso) {
    const m = /^(\d{4}-\d\d-\d\d)T(\d\d):(\d\d)/.exec(iso || "");
    if (!m) return "";
    const d = m[1].split("-");
    const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    const day = Luot.lang() === "en" ? Number(d[2]) + " " + months[Number(d[1]) - 1] + " " + d[0] : d[2] + "/" + d[1] + "/" + d[0];
    return m[2] + ":" + m[3] + ", " + day;
  }
  // day writes an ISO time's date alone.
  const day = (iso) => Luot.dateText(String(iso || "").slice(0, 10));

  // placeText is a report's place in words: its address, its ward, or
  // that it has a point on the map.
  function placeText(cfg, p) {
    if (!p) return "";
    const parts = [];
    if (p.address) parts.push(p.address);
    if (p.ward) parts.push(unit(cfg, p.ward));
    if (!parts.length && hasPoint(p)) parts.push(p.lat.toFixed(5) + ", " + p.lon.toFixed(5));
    return parts.join(" · ");
  }
  const hasPoint = (p) => !!p && typeof p.lat === "number" && typeof p.lon === "number" && !(p.lat === 0 && p.lon === 0);

  // The reports sent from this phone: kept in this browser only, a year
  // from the day each was sent, with its link (which holds the k that
  // lets the reporter judge the answer).
  function remember(r, url) {
    const until = new Date(Date.now() + 365 * 86400e3).toISOString().slice(0, 10);
    Luot.remember("reports", { id: r.code, url, day: until, number: r.code, name: r.category_name || "", name_en: r.category_name_en || "" });
  }

  // map makes a Leaflet map in el, or, without Leaflet, shows note (an
  // element saying the map is not available) and returns null. Tiles are
  // drawn when the configuration names a tile URL; without, the markers
  // stand on a plain background with a scale. The zoom buttons speak the
  // page's language (again after a switch).
  function map(el, note, cfg, opts) {
    if (!window.L) {
      el.hidden = true;
      if (note) note.hidden = false;
      return null;
    }
    const m = cfg.map || {};
    const center = Array.isArray(m.center) && m.center.length === 2 ? m.center : [10.7769, 106.7009];
    const lm = L.map(el, Object.assign({ zoomControl: false, attributionControl: false }, opts || {})).setView(center, m.zoom || 15);
    if (m.tile_url) {
      L.tileLayer(m.tile_url, { maxZoom: 19 }).addTo(lm);
      if (m.attribution) L.control.attribution({ prefix: false }).addAttribution(textOnly(m.attribution)).addTo(lm);
    }
    L.control.scale({ imperial: false }).addTo(lm);
    // The wards' boundaries, when configured: on a map without tiles
    // they are what the dots stand in.
    if (cfg.wards && cfg.wards.type === "FeatureCollection") {
      try {
        L.geoJSON(cfg.wards, { interactive: false, style: { color: "#0b4f8a", weight: 1.5, opacity: 0.7, fillOpacity: 0.05 } }).addTo(lm);
      } catch (e) { /* a boundary Leaflet cannot draw: the map without it */ }
    }
    let zoom = null;
    const zoomLang = () => {
      if (zoom) zoom.remove();
      zoom = L.control.zoom({ zoomInTitle: t("Phóng to", "Zoom in"), zoomOutTitle: t("Thu nhỏ", "Zoom out") }).addTo(lm);
    };
    zoomLang();
    document.addEventListener("luot:lang", zoomLang);
    el.setAttribute("role", "region");
    const label = () => el.setAttribute("aria-label", t("Bản đồ", "Map"));
    label();
    document.addEventListener("luot:lang", label);
    return lm;
  }
  // textOnly keeps an attribution as text: it is configuration, shown
  // as words, never as markup.
  function textOnly(s) {
    const d = document.createElement("div");
    d.textContent = s;
    return d.innerHTML;
  }

  // dot is a marker's icon: a plain dot of size px, drawn in CSS (no
  // image needed). Markers get a title: Leaflet makes them buttons, and
  // a button needs a name.
  function dot(cls, size) {
    const n = size || 18;
    return L.divIcon({ className: "pa-dot " + (cls || ""), iconSize: [n, n], iconAnchor: [n / 2, n / 2] });
  }

  // el makes an element with a class and text.
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // i18n sets an element's two texts and shows the current one.
  function i18n(e, vi, en) {
    e.dataset.vi = vi;
    e.dataset.en = en;
    e.textContent = t(vi, en);
    return e;
  }

  return { office, config, category, unit, status, statuses, badgeClass, OPEN, eventText, when, day, placeText, hasPoint, remember, map, dot, el, i18n };
})();
