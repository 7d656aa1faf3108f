// The planning look-up (tra cứu quy hoạch): the plan's zones on a map, a
// tap (or the phone's location) reads the rules of the zone there, and a
// search by map sheet and parcel number shows the parcel and the share of
// it in each zone. Everything comes from /api/v1/planning/…; the zones'
// names and decisions are the plan's own words, shown as written.
"use strict";

document.addEventListener("DOMContentLoaded", async () => {
  const { t, $ } = Luot;
  let info = null;
  let lmap = null;
  let zonesLayer = null;
  let pin = null;
  let parcelLayer = null;
  let point = null; // the last point answer
  let parcel = null; // the last parcel answer
  let zoneSeq = 0;
  let pointSeq = 0;

  const lang = () => document.documentElement.lang;
  const num = (x, digits) => Number(x).toLocaleString(lang() === "en" ? "en-GB" : "vi-VN", { maximumFractionDigits: digits === undefined ? 2 : digits });
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  // vi marks the plan's own words (names, decision numbers): Vietnamese
  // whatever the page's language.
  function vi(tag, text) {
    const e = el(tag, "", text);
    e.lang = "vi";
    return e;
  }
  function day(iso) {
    const m = /^(\d{4})-(\d\d)-(\d\d)$/.exec(iso || "");
    return m ? m[3] + "/" + m[2] + "/" + m[1] : iso || "";
  }
  const colours = { ODT: "#d9534f", ONT: "#d9534f", TMD: "#a05fb5", HH: "#e08a2e", DYT: "#2a9d8f", DGD: "#f2c230", CX: "#3c9a3c", DVH: "#3b6fb6" };
  const colour = (code) => colours[code] || "#6c7a89";

  // zoneBox shows one zone's rules; share, when given, the part of the
  // parcel in it.
  function zoneBox(z, share) {
    const box = el("div", "zone");
    box.dataset.zone = z.id;
    box.style.borderLeftColor = colour(z.code);
    const h = el("h3");
    h.append(z.code + " — ", vi("span", z.name));
    box.append(h);
    if (share) {
      box.append(el("p", "share", t("Chiếm " + num(share.percent, 1) + " % diện tích thửa (" + num(share.area_m2, 0) + " m²)",
        num(share.percent, 1) + " % of the parcel (" + num(share.area_m2, 0) + " m²)")));
    }
    const dl = el("dl");
    const row = (term, value) => {
      dl.append(el("dt", "", term));
      const dd = el("dd");
      dd.append(value);
      dl.append(dd);
    };
    const unset = t("không quy định", "not set");
    row(t("Mật độ xây dựng tối đa", "Maximum building coverage"), z.density ? num(z.density, 1) + " %" : unset);
    row(t("Chiều cao tối đa", "Maximum height"), z.height ? num(z.height, 1) + " m" : unset);
    row(t("Tầng cao tối đa", "Maximum floors"), z.floors ? num(z.floors, 0) : unset);
    row(t("Hệ số sử dụng đất", "Floor area ratio"), z.far ? num(z.far, 2) : unset);
    const dec = el("span");
    dec.append(vi("span", z.decision || ""), z.decision_date ? t(" ngày ", " of ") + day(z.decision_date) : "");
    row(t("Quyết định phê duyệt", "Approving decision"), dec);
    row(t("Mã ô quy hoạch", "Zone"), z.id);
    box.append(dl);
    return box;
  }

  function renderPoint() {
    const out = $("#point-result");
    out.textContent = "";
    if (!point) return;
    const where = point.point.lat.toFixed(5) + ", " + point.point.lon.toFixed(5);
    if (!point.zones.length) {
      out.append(el("p", "", point.outside
        ? t("Điểm " + where + " nằm ngoài khu vực của quy hoạch này.", "The point " + where + " is outside the area of this plan.")
        : t("Điểm " + where + " không thuộc ô quy hoạch nào (có thể là đường giao thông hoặc mặt nước).", "The point " + where + " is in no zone of the plan (it may be a road or water).")));
      return;
    }
    out.append(el("p", "", t("Tại điểm " + where + ":", "At the point " + where + ":")));
    for (const z of point.zones) out.append(zoneBox(z));
  }

  function renderParcel() {
    const out = $("#parcel-result");
    out.textContent = "";
    if (!parcel) return;
    const p = parcel.parcel;
    out.append(el("h3", "", t("Thửa " + p.number + ", tờ bản đồ " + p.sheet, "Parcel " + p.number + ", map sheet " + p.sheet)));
    out.append(el("p", "", t("Diện tích khoảng " + num(parcel.area_m2, 0) + " m²", "Area about " + num(parcel.area_m2, 0) + " m²")));
    if (!parcel.shares.length) {
      out.append(el("p", "", t("Thửa đất này không thuộc ô quy hoạch nào của quy hoạch đã nhập.", "This parcel lies in no zone of the imported plan.")));
      return;
    }
    out.append(el("p", "", parcel.shares.length === 1 ? t("Thửa đất thuộc ô quy hoạch:", "The parcel lies in the zone:")
      : t("Thửa đất thuộc " + parcel.shares.length + " ô quy hoạch:", "The parcel lies in " + parcel.shares.length + " zones:")));
    for (const s of parcel.shares) out.append(zoneBox(s.zone, s));
    if (parcel.uncovered >= 0.05) {
      out.append(el("p", "muted", t(num(parcel.uncovered, 1) + " % diện tích thửa nằm ngoài các ô quy hoạch.", num(parcel.uncovered, 1) + " % of the parcel is outside the plan's zones.")));
    }
  }

  function renderInfo() {
    if (!info) return;
    $("#sample").hidden = !info.sample;
    const name = (info.zones && info.zones.name) || "";
    const pn = $("#plan-name");
    pn.textContent = "";
    if (name) pn.append(t("Quy hoạch: ", "Plan: "), vi("span", name));
    $("#none").hidden = !!(info.zones && info.zones.count);
  }

  async function lookAt(lat, lon) {
    const my = ++pointSeq;
    if (lmap) {
      if (pin) pin.remove();
      pin = L.circleMarker([lat, lon], { radius: 8, color: "#1b1b1b", weight: 3, fillColor: "#fff", fillOpacity: 1, interactive: false }).addTo(lmap);
    }
    try {
      const r = await Luot.api("GET", "/planning/at?" + new URLSearchParams({ lat: String(lat), lon: String(lon) }));
      if (my !== pointSeq) return;
      point = r;
      Luot.showError($("#point-error"), null);
    } catch (e) {
      if (my !== pointSeq) return;
      point = null;
      Luot.showError($("#point-error"), e);
    }
    renderPoint();
  }

  async function drawZones() {
    if (!lmap) return;
    const my = ++zoneSeq;
    const b = lmap.getBounds();
    const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((x) => x.toFixed(6)).join(",");
    try {
      const fc = await Luot.api("GET", "/planning/zones?bbox=" + bbox);
      if (my !== zoneSeq) return;
      zonesLayer.clearLayers();
      zonesLayer.addData(fc);
      $("#truncated").hidden = !fc.truncated;
    } catch (e) {
      if (my !== zoneSeq) return;
      Luot.showError($("#point-error"), e);
    }
  }

  function makeMap() {
    if (!window.L) {
      $("#map").hidden = true;
      $("#no-map").hidden = false;
      $("#tap-hint").hidden = true;
      return;
    }
    const m = info.map || {};
    const centre = Array.isArray(m.center) && (m.center[0] || m.center[1]) ? m.center : [16.4637, 107.5909];
    lmap = L.map($("#map"), { zoomControl: false, attributionControl: false }).setView(centre, m.zoom || 15);
    if (m.tile_url) {
      L.tileLayer(m.tile_url, { maxZoom: 19 }).addTo(lmap);
      if (m.attribution) {
        const d = el("div", "", m.attribution);
        L.control.attribution({ prefix: false }).addAttribution(d.innerHTML).addTo(lmap);
      }
    } else {
      $("#no-tiles").hidden = false;
    }
    L.control.scale({ imperial: false }).addTo(lmap);
    let zoom = null;
    const zoomLang = () => {
      if (zoom) zoom.remove();
      zoom = L.control.zoom({ zoomInTitle: t("Phóng to", "Zoom in"), zoomOutTitle: t("Thu nhỏ", "Zoom out") }).addTo(lmap);
      $("#map").setAttribute("aria-label", t("Bản đồ quy hoạch", "Map of the plan"));
    };
    zoomLang();
    document.addEventListener("luot:lang", zoomLang);
    $("#map").setAttribute("role", "region");
    zonesLayer = L.geoJSON(null, {
      interactive: false,
      style: (f) => ({ color: colour(f.properties.code), weight: 1.5, opacity: 0.9, fillOpacity: 0.25 }),
    }).addTo(lmap);
    parcelLayer = L.layerGroup().addTo(lmap);
    if (Array.isArray(info.bounds) && info.bounds.length === 4) {
      const [w, s, e, n] = info.bounds;
      lmap.fitBounds([[s, w], [n, e]], { padding: [8, 8] });
    }
    lmap.on("moveend", drawZones);
    lmap.on("click", (ev) => lookAt(ev.latlng.lat, ev.latlng.lng));
    drawZones();
  }

  $("#locate").addEventListener("click", () => {
    if (!navigator.geolocation) {
      Luot.showError($("#point-error"), new Error(t("Trình duyệt này không cho biết vị trí: hãy chạm vào bản đồ.", "This browser cannot tell its location: tap the map instead.")));
      return;
    }
    navigator.geolocation.getCurrentPosition((pos) => {
      const { latitude, longitude } = pos.coords;
      if (lmap) lmap.setView([latitude, longitude], Math.max(lmap.getZoom(), 17));
      lookAt(latitude, longitude);
    }, () => {
      Luot.showError($("#point-error"), new Error(t("Không lấy được vị trí của bạn: hãy cho phép trình duyệt dùng vị trí, hoặc chạm vào bản đồ.", "Your location could not be read: allow the browser to use it, or tap the map.")));
    }, { enableHighAccuracy: true, timeout: 15000 });
  });

  $("#parcel-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const sheet = $("#sheet").value.trim();
    const number = $("#number").value.trim();
    if (!sheet || !number) {
      parcel = null;
      renderParcel();
      Luot.showError($("#parcel-error"), new Error(t("Hãy nhập cả số tờ bản đồ và số thửa.", "Enter both the map sheet number and the parcel number.")));
      return;
    }
    try {
      parcel = await Luot.api("GET", "/planning/parcel?" + new URLSearchParams({ sheet, number }));
      Luot.showError($("#parcel-error"), null);
    } catch (e) {
      parcel = null;
      Luot.showError($("#parcel-error"), e);
    }
    renderParcel();
    if (lmap && parcelLayer) {
      parcelLayer.clearLayers();
      if (parcel && parcel.geometry) {
        const g = L.geoJSON(parcel.geometry, { interactive: false, style: { color: "#1b1b1b", weight: 3, fillOpacity: 0.1, dashArray: "6 4" } });
        parcelLayer.addLayer(g);
        lmap.fitBounds(g.getBounds(), { maxZoom: 18, padding: [24, 24] });
      }
    }
  });

  document.addEventListener("luot:lang", () => { renderInfo(); renderPoint(); renderParcel(); });

  try {
    info = await Luot.api("GET", "/planning/info");
  } catch (e) {
    Luot.showError($("#point-error"), e);
    return;
  }
  renderInfo();
  makeMap();
});
