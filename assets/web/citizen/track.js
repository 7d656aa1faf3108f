// Follow a ticket live: the ticket's websocket pushes its state on every
// change; when websockets are blocked the page polls. When the ticket is
// called: a big "Mời bạn đến quầy N", vibration and a ring where the phone
// allows them (browsers play sound only after a tap: the "Bật âm thanh"
// button is that tap). The ticket is kept on this phone for the day.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const { t, api, showError, $, hhmm } = Luot;
  const id = decodeURIComponent(location.pathname.split("/")[2] || "");
  const token = new URLSearchParams(location.search).get("token") || "";
  const path = "/tickets/" + encodeURIComponent(id);
  const q = "?token=" + encodeURIComponent(token);
  let last = null;
  let calledAt = null;
  let pollTimer = null;
  let ws = null;
  let kept = false;
  let audio = null;

  function render(j) {
    last = j;
    const tk = j.ticket;
    $("#office").textContent = Luot.officeName(j);
    $("#number").textContent = tk.number;
    $("#service").textContent = Luot.serviceName({ name: tk.service_name, name_en: tk.service_name_en });
    const waiting = tk.status === "waiting";
    $("#facts").hidden = !waiting;
    $("#keep-open").hidden = !waiting && tk.status !== "called";
    $("#ahead").textContent = tk.ahead;
    // No counter open: say so (with the time it is expected after), never
    // a short wait that nothing backs.
    // No counter of this service open (others may be): the forecast knows
    // no time, and the reason is the same.
    const noneOfMine = !tk.eta_provisional && tk.eta_seconds < 0 && j.counters.length > 0 && j.counters.every((c) => c.state !== "open");
    $("#eta").textContent = noneOfMine ? t("Chưa có quầy mở", "No counter is open yet") : Luot.etaText(tk);
    $("#eta").classList.toggle("provisional", !!tk.eta_provisional);
    const at = hhmm(tk.expected_at || j.eta_at);
    $("#eta-at").textContent = !tk.eta_provisional && at ? t("dự kiến gọi lúc ", "expected at ") + at : t("thời gian chờ dự kiến", "estimated wait");
    if (!kept && ["waiting", "called", "serving"].includes(tk.status)) {
      kept = true;
      Luot.remember("numbers", { id, url: location.pathname + location.search, day: Luot.today(),
        number: tk.number, name: tk.service_name, name_en: tk.service_name_en });
    }
    if (["cancelled", "expired"].includes(tk.status)) Luot.forget("numbers", id);
    // Notifications are offered while the turn is still to come.
    if (tk.status === "waiting") LuotNotify.offer({ type: "ticket", id, office: j.office }, token);
    else if (tk.status !== "called") LuotNotify.hide();

    const called = tk.status === "called" || tk.status === "serving";
    const box = $("#called");
    box.hidden = !called;
    if (called) {
      box.textContent = t("Mời bạn đến quầy " + tk.counter_number, "Please go to counter " + tk.counter_number);
      const when = tk.called_at + "/" + tk.recalls;
      if (calledAt !== when) {
        calledAt = when;
        alertHolder();
      }
    }
    const reasons = {
      no_show: t("Số của bạn đã được gọi nhưng bạn không có mặt. Vui lòng liên hệ quầy hướng dẫn.", "Your number was called but you were not there. Please ask at the information desk."),
      cancelled: t("Số thứ tự này đã được hủy.", "This number was cancelled."),
      day_ended: t("Số thứ tự đã hết hạn vì hết ngày làm việc.", "This number expired at the end of the working day."),
    };
    $("#ended").hidden = !j.reason;
    $("#ended").textContent = j.reason ? reasons[j.reason] || t("Số thứ tự này đã kết thúc.", "This number has ended.") : "";
    $("#done").hidden = tk.status !== "done";
    $("#cancel").hidden = !j.can_cancel;
    $("#rating").hidden = !j.can_rate;
    if (j.rated && $("#rating").hidden) $("#thanks").hidden = false;

    const ul = $("#counters");
    ul.textContent = "";
    for (const c of j.counters) {
      const li = document.createElement("li");
      const name = document.createElement("span");
      name.textContent = t("Quầy ", "Counter ") + c.number;
      const cur = document.createElement("b");
      cur.textContent = c.current || (c.state === "open" ? "–" : c.state === "paused" ? t("tạm nghỉ", "paused") : t("đóng", "closed"));
      li.append(name, cur);
      ul.append(li);
    }
    if (["done", "no_show", "cancelled", "expired"].includes(tk.status) && !j.can_rate) stopLive();
  }

  // ring plays two short tones (when audio was unlocked by a tap).
  function ring() {
    if (!audio) return;
    try {
      audio.resume();
      [0, 0.35, 0.9, 1.25].forEach((at, i) => {
        const o = audio.createOscillator();
        const g = audio.createGain();
        o.frequency.value = i % 2 ? 660 : 880;
        g.gain.setValueAtTime(0.25, audio.currentTime + at);
        g.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + at + 0.3);
        o.connect(g).connect(audio.destination);
        o.start(audio.currentTime + at);
        o.stop(audio.currentTime + at + 0.32);
      });
    } catch (e) { /* no sound on this phone */ }
  }

  function alertHolder() {
    try { if (navigator.vibrate) navigator.vibrate([400, 150, 400, 150, 400]); } catch (e) { /* not allowed */ }
    ring();
  }

  // The tap on "Bật âm thanh" makes the audio context the call rings
  // through (browsers start one only from a tap) and plays the ring once,
  // so that the holder hears what to expect.
  $("#sound").addEventListener("click", async () => {
    const Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return;
    try {
      if (!audio) audio = new Ctx();
      await audio.resume();
      ring();
      const b = $("#sound");
      b.setAttribute("aria-pressed", "true");
      b.dataset.vi = "Đã bật âm thanh ✓";
      b.dataset.en = "Sound is on ✓";
      b.textContent = t(b.dataset.vi, b.dataset.en);
    } catch (e) { /* no sound on this phone */ }
  });

  async function poll() {
    try {
      render(await api("GET", path + "/track" + q));
      showError($("#error"), null);
    } catch (e) {
      showError($("#error"), e);
      if (e.status === 404 || e.status === 401) stopLive();
    }
  }

  function startPolling() {
    $("#live").classList.add("polling");
    if (!pollTimer) pollTimer = setInterval(poll, 10000);
  }

  function stopLive() {
    if (pollTimer) clearInterval(pollTimer);
    pollTimer = null;
    if (ws) { ws.onclose = null; ws.close(); ws = null; }
    $("#live").hidden = true;
  }

  let retry = 1000;
  function connect() {
    if (!("WebSocket" in window)) { startPolling(); return; }
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    ws = new WebSocket(proto + "//" + location.host + "/api/v1" + path + "/events" + q);
    ws.onmessage = (m) => {
      retry = 1000;
      $("#live").classList.remove("polling");
      if (pollTimer) { clearInterval(pollTimer); pollTimer = null; }
      try { render(JSON.parse(m.data)); } catch (e) { /* ignore a bad message */ }
    };
    ws.onclose = () => {
      ws = null;
      startPolling();
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 30000);
    };
  }

  document.addEventListener("luot:lang", () => { if (last) render(last); });

  $("#cancel").addEventListener("click", async () => {
    if (!confirm(t("Bạn chắc chắn muốn hủy số thứ tự này?", "Cancel this number?"))) return;
    try {
      await api("POST", path + "/cancel", { token });
      await poll();
    } catch (e) {
      showError($("#error"), e);
    }
  });

  $("#rating").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const score = Number(new FormData(ev.target).get("score"));
    try {
      await api("POST", path + "/rating", { token, score, comment: $("#comment").value });
      $("#rating").hidden = true;
      $("#thanks").hidden = false;
      stopLive();
    } catch (e) {
      showError($("#rating-error"), e);
      if (e.code === "already_rated") { $("#rating").hidden = true; $("#thanks").hidden = false; }
    }
  });

  poll();
  connect();
});
