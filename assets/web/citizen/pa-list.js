// The public list and map of reports, filtered by category and stage:
// what anyone may see (never a reporter's name or phone — the API's
// public reports carry none). The list is the primary view; the map shows
// the same reports, on tiles when the server has a tile URL, else as dots
// on a plain background with a scale.
"use strict";

document.addEventListener("DOMContentLoaded", async () => {
  const { t, $ } = Luot;
  const PAGE = 20;
  const q = new URLSearchParams(location.search);
  let cfg = null;
  let reports = [];
  let more = false;
  let lmap = null;
  let layer = null;
  let seq = 0;

  function options() {
    const cat = $("#category");
    const keep = cat.value || q.get("category") || "";
    cat.textContent = "";
    cat.append(new Option(t("Tất cả", "All"), ""));
    for (const c of (cfg && cfg.categories) || []) cat.append(new Option(PA.category(cfg, c.id), c.id));
    cat.value = keep;
    const st = $("#status");
    const keepSt = st.value || q.get("status") || "";
    st.textContent = "";
    st.append(new Option(t("Tất cả", "All"), ""));
    st.append(new Option(t("Chưa xử lý xong", "Not yet resolved"), "open"));
    for (const s of PA.statuses()) st.append(new Option(PA.status(s), s));
    st.value = keepSt;
    $("#tabs").setAttribute("aria-label", t("Danh sách hoặc bản đồ", "List or map"));
  }

  function query(offset) {
    const p = new URLSearchParams({ limit: String(PAGE + 1), offset: String(offset) });
    if ($("#category").value) p.set("category", $("#category").value);
    const s = $("#status").value;
    if (s === "open") p.set("open", "1");
    else if (s) p.set("status", s);
    return p;
  }

  async function load(append) {
    const my = ++seq;
    const offset = append ? reports.length : 0;
    try {
      const r = await Luot.api("GET", "/offices/" + encodeURIComponent(PA.office) + "/reports?" + query(offset));
      if (my !== seq) return;
      const got = r.reports || [];
      more = got.length > PAGE;
      reports = (append ? reports : []).concat(got.slice(0, PAGE));
      Luot.showError($("#error"), null);
    } catch (e) {
      if (my !== seq) return;
      Luot.showError($("#error"), e);
    }
    render();
  }

  function render() {
    $("#count").textContent = reports.length === 0 ? t("Không có phản ánh nào", "No reports")
      : t(reports.length + (more ? "+" : "") + " phản ánh", reports.length + (more ? "+" : "") + (reports.length === 1 ? " report" : " reports"));
    const ul = $("#reports");
    ul.textContent = "";
    for (const r of reports) {
      const li = document.createElement("li");
      li.dataset.code = r.code;
      const ph = (r.photos || []).find((p) => !p.answer);
      if (ph) {
        const img = PA.el("img");
        img.src = ph.thumb_url;
        img.alt = t("Ảnh của phản ánh ", "Photo of report ") + r.code;
        img.loading = "lazy";
        li.append(img);
      }
      const what = PA.el("div", "what");
      const a = PA.el("a", "", r.code + " · " + PA.category(cfg, r.category));
      a.href = "/pa/" + encodeURIComponent(r.code);
      const st = PA.el("span", "badge " + PA.badgeClass(r.status), PA.status(r.status));
      const line = PA.el("p");
      line.append(st);
      if (r.overdue) line.append(" ", PA.el("span", "badge overdue", t("Quá hạn", "Overdue")));
      what.append(a, line);
      what.append(PA.el("p", "muted", [PA.day(r.created_at), PA.placeText(cfg, r.place)].filter(Boolean).join(" · ")));
      what.append(PA.el("p", "description", String(r.description || "").slice(0, 200)));
      li.append(what);
      ul.append(li);
    }
    $("#more").hidden = !more;
    drawMap();
  }

  function drawMap() {
    if (!lmap || !cfg) return;
    layer.clearLayers();
    const pts = [];
    for (const r of reports) {
      if (!PA.hasPoint(r.place)) continue;
      const ll = [r.place.lat, r.place.lon];
      pts.push(ll);
      const m = L.marker(ll, { icon: PA.dot(PA.badgeClass(r.status)), title: r.code + " · " + PA.category(cfg, r.category) + " · " + PA.status(r.status) });
      m.on("add", () => { const e = m.getElement(); if (e) e.dataset.code = r.code; });
      const pop = PA.el("div");
      const a = PA.el("a", "", r.code);
      a.href = "/pa/" + encodeURIComponent(r.code);
      pop.append(a, PA.el("div", "", PA.category(cfg, r.category)), PA.el("div", "", PA.status(r.status)));
      m.bindPopup(pop, { closeButton: false });
      layer.addLayer(m);
    }
    if (pts.length) lmap.fitBounds(pts, { maxZoom: 17, padding: [24, 24] });
  }

  function tab(map) {
    $("#show-list").setAttribute("aria-pressed", String(!map));
    $("#show-map").setAttribute("aria-pressed", String(map));
    $("#list-view").hidden = map;
    $("#map-view").hidden = !map;
    if (map && !lmap && cfg) {
      lmap = PA.map($("#map"), $("#no-map"), cfg);
      if (lmap) {
        $("#no-tiles").hidden = !!(cfg.map && cfg.map.tile_url);
        layer = L.layerGroup().addTo(lmap);
      }
    }
    if (map && lmap) {
      lmap.invalidateSize();
      drawMap();
    }
  }
  $("#show-list").addEventListener("click", () => tab(false));
  $("#show-map").addEventListener("click", () => tab(true));
  $("#more").addEventListener("click", () => load(true));
  $("#filters").addEventListener("change", () => {
    const u = new URL(location.href);
    for (const k of ["category", "status"]) {
      if ($("#" + k).value) u.searchParams.set(k, $("#" + k).value);
      else u.searchParams.delete(k);
    }
    history.replaceState(null, "", u);
    load(false);
  });
  $("#filters").addEventListener("submit", (ev) => ev.preventDefault());
  document.addEventListener("luot:lang", () => { options(); render(); });

  try {
    cfg = await PA.config();
  } catch (e) {
    Luot.showError($("#error"), e);
  }
  options();
  await load(false);
  if (q.get("view") === "map") tab(true);
});
