// Follow a ticket live: the ticket's websocket pushes its state on every
// change; when websockets are blocked the page polls. When the ticket is
// called: a big "Mời bạn đến quầy N", vibration and a short sound where
// the phone allows them.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const { t, api, showError, $, hhmm, duration } = Luot;
  const id = decodeURIComponent(location.pathname.split("/")[2] || "");
  const token = new URLSearchParams(location.search).get("token") || "";
  const path = "/tickets/" + encodeURIComponent(id);
  const q = "?token=" + encodeURIComponent(token);
  let last = null;
  let calledAt = null;
  let pollTimer = null;
  let ws = null;

  function render(j) {
    last = j;
    const tk = j.ticket;
    $("#office").textContent = Luot.lang() === "en" && j.office_name_en ? j.office_name_en : j.office_name;
    $("#number").textContent = tk.number;
    $("#service").textContent = Luot.lang() === "en" && tk.service_name_en ? tk.service_name_en : tk.service_name;
    const waiting = tk.status === "waiting";
    $("#facts").hidden = !waiting;
    $("#ahead").textContent = tk.ahead;
    $("#eta").textContent = duration(tk.eta_seconds);
    $("#eta-at").textContent = j.eta_at ? t("dự kiến gọi lúc ", "expected at ") + hhmm(j.eta_at) : t("thời gian chờ dự kiến", "estimated wait");

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
    $("#ended").textContent = j.reason ? reasons[j.reason] || j.reason : "";
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
      cur.textContent = c.current || (c.state === "open" ? "–" : t("đóng", "closed"));
      li.append(name, cur);
      ul.append(li);
    }
    if (["done", "no_show", "cancelled", "expired"].includes(tk.status) && !j.can_rate) stopLive();
  }

  function alertHolder() {
    try { if (navigator.vibrate) navigator.vibrate([400, 150, 400, 150, 400]); } catch (e) { /* not allowed */ }
    try {
      const Ctx = window.AudioContext || window.webkitAudioContext;
      if (!Ctx) return;
      const ctx = new Ctx();
      [0, 0.35].forEach((at, i) => {
        const o = ctx.createOscillator();
        const g = ctx.createGain();
        o.frequency.value = i ? 660 : 880;
        g.gain.setValueAtTime(0.2, ctx.currentTime + at);
        g.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + at + 0.3);
        o.connect(g).connect(ctx.destination);
        o.start(ctx.currentTime + at);
        o.stop(ctx.currentTime + at + 0.32);
      });
    } catch (e) { /* sound needs a tap first on most phones */ }
  }

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
