// A report's page: its status, place, photos before and after, the
// city's answer and its timeline, kept up to date live (the report's
// websocket; polling when websockets are blocked). The reporter's link
// (?k=) also lets them judge the answer: satisfied, or reopen with a
// reason (once, within the window the server says).
"use strict";

document.addEventListener("DOMContentLoaded", async () => {
  const { t, $ } = Luot;
  const code = decodeURIComponent(location.pathname.split("/")[2] || "");
  const k = new URLSearchParams(location.search).get("k") || "";
  const path = "/reports/" + encodeURIComponent(code);
  let cfg = null;
  let last = null;
  let lmap = null;
  let marker = null;
  let doneMsg = null;

  function photoGrid(box, list, vi, en) {
    box.textContent = "";
    list.forEach((p, i) => {
      const a = PA.el("a");
      a.href = p.url;
      const img = PA.el("img");
      img.src = p.thumb_url || p.url;
      img.alt = t(vi, en) + " " + (i + 1);
      img.loading = "lazy";
      a.append(img);
      box.append(a);
    });
  }

  function render(j) {
    last = j;
    const r = j.report || j;
    const timeline = j.timeline || r.timeline || [];
    const mine = !!(j.mine || r.mine);
    document.title = r.code + " — " + t("Phản ánh", "Report") + " — Lượt";
    $("#report").hidden = false;
    $("#code").textContent = r.code;
    const st = $("#status");
    st.textContent = PA.status(r.status);
    st.className = "badge " + PA.badgeClass(r.status);
    $("#overdue").hidden = !r.overdue;
    $("#category").textContent = PA.category(cfg, r.category);
    $("#description").textContent = r.description || "";
    const place = PA.placeText(cfg, r.place);
    $("#place").textContent = place ? t("Vị trí: ", "Place: ") + place : "";
    const facts = [t("Gửi lúc ", "Sent at ") + PA.when(r.created_at)];
    if (r.unit) facts.push(t("Đơn vị xử lý: ", "Unit in charge: ") + PA.unit(cfg, r.unit));
    if (PA.OPEN.includes(r.status) && r.resolve_due) facts.push(t("Hạn xử lý: ", "To be handled by ") + PA.when(r.resolve_due));
    if (r.resolved_at) facts.push(t("Xử lý xong lúc ", "Resolved at ") + PA.when(r.resolved_at));
    if (r.reason && ["refused", "unfounded", "duplicate"].includes(r.status)) facts.push(t("Lý do: ", "Reason: ") + r.reason);
    $("#facts").textContent = facts.join(" · ");
    $("#metoo").hidden = !(r.me_too > 0);
    $("#metoo").textContent = t(r.me_too + " người khác cũng gặp vấn đề này.", r.me_too + (r.me_too === 1 ? " other person has" : " other people have") + " the same problem.");
    const dup = $("#duplicate");
    dup.hidden = !r.duplicate_of;
    dup.textContent = "";
    if (r.duplicate_of) {
      const a = PA.el("a", "", r.duplicate_of);
      a.href = "/pa/" + encodeURIComponent(r.duplicate_of);
      dup.append(document.createTextNode(t("Xem phản ánh trùng: ", "See the report it duplicates: ")), a);
    }
    const photos = r.photos || [];
    const before = photos.filter((p) => !p.answer);
    const after = photos.filter((p) => p.answer);
    $("#before").hidden = before.length === 0;
    photoGrid($("#before .photos"), before, "Ảnh phản ánh", "Photo sent");
    $("#answer-card").hidden = !r.answer && after.length === 0;
    $("#answer").textContent = r.answer || "";
    $("#answer").hidden = !r.answer;
    $("#answer-unit").textContent = r.unit ? PA.unit(cfg, r.unit) : "";
    photoGrid($("#after"), after, "Ảnh sau xử lý", "Photo after handling");

    const tl = $("#timeline");
    tl.textContent = "";
    for (const ev of timeline) {
      const li = document.createElement("li");
      li.dataset.type = ev.type;
      const tm = PA.el("time", "", PA.when(ev.at));
      tm.dateTime = ev.at;
      li.append(tm, PA.el("b", "", PA.eventText(cfg, ev)));
      if (ev.reason) li.append(PA.el("p", "description", t("Lý do: ", "Reason: ") + ev.reason));
      if (ev.text) li.append(PA.el("p", "description", ev.text));
      tl.append(li);
    }
    $("#timeline-card").hidden = timeline.length === 0;

    const canRate = mine && !!(j.can_rate || r.can_rate);
    const canReopen = mine && !!(j.can_reopen || r.can_reopen);
    $("#verdict").hidden = !(canRate || canReopen);
    $("#satisfied").hidden = !canRate;
    $("#reopen-form").hidden = !canReopen;
    $("#verdict-until").textContent = t("Bạn có thể trả lời một lần, trong 7 ngày sau khi xử lý xong.", "You can answer once, within 7 days of the resolution.");
    const v = r.verdict;
    const verdictDone = $("#verdict-done");
    if (mine && v === "satisfied") doneMsg = ["Bạn đã xác nhận hài lòng. Cảm ơn bạn!", "You said you are satisfied. Thank you!"];
    else if (mine && v === "reopened" && PA.OPEN.includes(r.status)) doneMsg = ["Phản ánh đã được mở lại và chuyển xử lý tiếp.", "The report is open again and being handled."];
    verdictDone.hidden = !doneMsg;
    verdictDone.textContent = doneMsg ? t(doneMsg[0], doneMsg[1]) : "";

    if (mine && k) {
      const c = (cfg && (cfg.categories || []).find((x) => x.id === r.category)) || {};
      PA.remember({ code: r.code, category_name: c.name, category_name_en: c.name_en }, location.pathname + location.search);
    }
    drawMap(r);
  }

  function drawMap(r) {
    if (!PA.hasPoint(r.place) || !cfg) return;
    const ll = [r.place.lat, r.place.lon];
    if (!lmap) {
      $("#map").hidden = false;
      lmap = PA.map($("#map"), null, cfg, { scrollWheelZoom: false });
      if (!lmap) return;
      lmap.setView(ll, 17);
    }
    if (!marker) {
      marker = L.marker(ll, { icon: PA.dot(PA.badgeClass(r.status), 22), keyboard: false, interactive: false }).addTo(lmap);
    } else {
      marker.setLatLng(ll);
    }
  }

  async function load() {
    try {
      const j = await Luot.api("GET", path + (k ? "?k=" + encodeURIComponent(k) : ""));
      Luot.showError($("#error"), null);
      render(j);
      if (k) LuotNotify.offer({ type: "report", id: code, office: PA.office }, k);
      return true;
    } catch (e) {
      Luot.showError($("#error"), e);
      if (e.status === 404) stopLive();
      return false;
    }
  }

  // Live: each event of the report says it changed; the page reads the
  // report again (with its timeline and what this holder may do).
  let ws = null;
  let pollTimer = null;
  let retry = 1000;
  let stopped = false;
  let pending = null;
  function changed() {
    if (pending) return;
    pending = setTimeout(() => { pending = null; load(); }, 100);
  }
  function startPolling() {
    $("#live").classList.add("polling");
    if (!pollTimer) pollTimer = setInterval(load, 20000);
  }
  function stopLive() {
    stopped = true;
    if (pollTimer) clearInterval(pollTimer);
    pollTimer = null;
    if (ws) { ws.onclose = null; ws.close(); ws = null; }
    $("#live").hidden = true;
  }
  function connect() {
    if (stopped) return;
    if (!("WebSocket" in window)) { startPolling(); return; }
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    ws = new WebSocket(proto + "//" + location.host + "/api/v1" + path + "/events");
    ws.onopen = () => {
      retry = 1000;
      $("#live").classList.remove("polling");
      if (pollTimer) { clearInterval(pollTimer); pollTimer = null; }
      // What changed while the socket was down.
      changed();
    };
    ws.onmessage = () => changed();
    ws.onclose = () => {
      ws = null;
      if (stopped) return;
      startPolling();
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 30000);
    };
  }

  async function verdict(body, button) {
    Luot.showError($("#verdict-error"), null);
    button.disabled = true;
    try {
      await Luot.api("POST", path + "/verdict", Object.assign({ k }, body));
      await load();
    } catch (e) {
      Luot.showError($("#verdict-error"), e);
    } finally {
      button.disabled = false;
    }
  }
  $("#satisfied").addEventListener("click", () => verdict({ verdict: "satisfied" }, $("#satisfied")));
  $("#reopen-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const reason = $("#reason").value.trim();
    if (!reason) {
      Luot.showError($("#verdict-error"), new Error(t("Hãy cho biết vì sao bạn chưa hài lòng.", "Say why you are not satisfied.")));
      $("#reason").focus();
      return;
    }
    verdict({ verdict: "reopen", reason }, $("#reopen"));
  });

  document.addEventListener("luot:lang", () => { if (last) render(last); });

  try {
    cfg = await PA.config();
  } catch (e) {
    cfg = null; // names show as their ids; the report still shows
  }
  if (await load()) connect();
});
