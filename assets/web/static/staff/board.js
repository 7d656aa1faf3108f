// Lượt — web board for smart TVs. Follows the office's event stream:
// the first message is a snapshot (or, on resume with ?since=, the events
// missed); a call blinks the latest number (show/hide) and plays the
// chime when the browser allows sound; any change re-reads the snapshot
// for counters, recent calls and waiting counts. A gap in seq, or a
// dropped connection, reconnects with since = the last seq handled.
"use strict";
(function () {
  var root = document.getElementById("board");
  var office = root.dataset.office;
  var $ = function (id) { return document.getElementById(id); };
  var lastSeq = -1, backoff = 500, ws = null, names = {}, blinkTimer = null, fetching = false, again = false;
  var chime = new Audio("/board/chime.wav");
  var soundOK = false;

  function clear(el) { while (el.firstChild) { el.removeChild(el.firstChild); } }
  function li(text, cls) {
    var e = document.createElement("li");
    e.textContent = text;
    if (cls) { e.className = cls; }
    return e;
  }
  function loadOffice() {
    return fetch("/api/v1/offices/" + encodeURIComponent(office), { headers: { "Accept-Language": document.documentElement.lang || "vi" } }).then(function (r) { return r.json(); }).then(function (o) {
      names = {};
      (o.services || []).forEach(function (s) { names[s.id] = s.name; });
      $("office-name").textContent = o.name;
      $("ticker").textContent = o.ticker || "";
    }).catch(function () {});
  }
  function showSnapshot(s) {
    var c = $("counters");
    clear(c);
    (s.counters || []).forEach(function (k) {
      if (k.state === "closed") { return; }
      var e = li("", "tile " + k.state);
      var n = document.createElement("b");
      n.textContent = String(k.number);
      var cur = document.createElement("span");
      cur.textContent = k.current ? k.current.number : "—";
      e.appendChild(n); e.appendChild(cur);
      c.appendChild(e);
    });
    var r = $("recent");
    clear(r);
    (s.recent || []).forEach(function (t) { r.appendChild(li(t.number + " → " + t.counter_number)); });
    var w = $("waiting");
    clear(w);
    Object.keys(s.waiting || {}).sort().forEach(function (id) {
      w.appendChild(li((names[id] || id) + ": " + s.waiting[id]));
    });
    if (s.ticker !== undefined) { $("ticker").textContent = s.ticker || ""; }
    if (lastSeq < 0 && s.recent && s.recent.length) { setLatest(s.recent[0], false); }
  }
  function setLatest(t, announce) {
    $("latest-number").textContent = t.number;
    $("latest-counter").textContent = String(t.counter_number || "");
    root.dataset.latest = t.number;
    if (!announce) { return; }
    var el = document.querySelector(".latest-call"), n = 0;
    if (blinkTimer) { clearInterval(blinkTimer); }
    blinkTimer = setInterval(function () {
      el.classList.toggle("off");
      if (++n >= 10) { clearInterval(blinkTimer); blinkTimer = null; el.classList.remove("off"); }
    }, 500);
    if (soundOK) { chime.currentTime = 0; chime.play().catch(function () {}); }
  }
  function refresh() {
    if (fetching) { again = true; return; }
    fetching = true;
    fetch("/api/v1/offices/" + encodeURIComponent(office) + "/state", { headers: { "Accept-Language": document.documentElement.lang || "vi" } }).then(function (r) { return r.json(); })
      .then(showSnapshot).catch(function () {}).then(function () {
        fetching = false;
        if (again) { again = false; refresh(); }
      });
  }
  function connect() {
    var proto = location.protocol === "https:" ? "wss://" : "ws://";
    var url = proto + location.host + "/api/v1/offices/" + encodeURIComponent(office) + "/events" + (lastSeq >= 0 ? "?since=" + lastSeq : "");
    ws = new WebSocket(url);
    ws.onopen = function () { backoff = 500; $("offline").hidden = true; };
    ws.onmessage = function (m) {
      var ev;
      try { ev = JSON.parse(m.data); } catch (e) { return; }
      if (ev.type === "snapshot") {
        lastSeq = ev.seq;
        showSnapshot(ev.data);
        return;
      }
      if (lastSeq >= 0 && ev.seq <= lastSeq) { return; }
      if (lastSeq >= 0 && ev.seq !== lastSeq + 1) { ws.close(); return; }
      lastSeq = ev.seq;
      root.dataset.seq = lastSeq;
      if ((ev.type === "ticket.called" || ev.type === "ticket.recalled") && ev.data && ev.data.ticket) {
        setLatest(ev.data.ticket, true);
      }
      if (ev.type === "config.changed") { loadOffice().then(refresh); return; }
      refresh();
    };
    ws.onclose = function () {
      $("offline").hidden = false;
      setTimeout(connect, backoff);
      backoff = Math.min(backoff * 2, 10000);
    };
  }
  // The clock shows the office's time, whatever the TV's timezone.
  function clock() {
    var d = new Date(), tz = root.dataset.tz || undefined;
    try {
      $("clock").textContent = d.toLocaleTimeString("vi-VN", { timeZone: tz, hour12: false }) + "  " + d.toLocaleDateString("vi-VN", { timeZone: tz });
    } catch (e) {
      $("clock").textContent = d.toLocaleTimeString() + "  " + d.toLocaleDateString();
    }
  }
  // Browsers allow sound only after a user gesture (or by kiosk policy):
  // try at once, and offer a button when refused.
  chime.volume = 0.8;
  chime.play().then(function () { chime.pause(); soundOK = true; $("sound").hidden = true; })
    .catch(function () { $("sound").hidden = false; });
  $("sound").addEventListener("click", function () {
    chime.play().then(function () { soundOK = true; $("sound").hidden = true; }).catch(function () {});
  });
  clock();
  setInterval(clock, 1000);
  loadOffice().then(connect);
})();
