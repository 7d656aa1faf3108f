// Lượt — clerk console. The page's data comes from GET /clerk/state (the
// real order of the rule, computed by the server); the event stream tells
// when to fetch it again. Actions go to the JSON API with the session
// cookie and the CSRF token in X-CSRF-Token. All text is set with
// textContent (never parsed as HTML).
//
// One press, one action: each press gets a fresh Idempotency-Key, which
// its retries (after a network failure) send again, so the server answers
// a retry with the first answer instead of acting twice; and the action
// buttons are disabled while a press is in flight, so a double-click (or
// a held-down shortcut key) sends one request.
"use strict";
(function () {
  var root = document.getElementById("console");
  var office = root.dataset.office, counter = root.dataset.counter;
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var $ = function (id) { return document.getElementById(id); };
  var state = null, lastSeq = -1, ws = null, backoff = 500, fetching = false, again = false;

  function fmtWait(sec) {
    sec = Math.max(0, Math.floor(sec));
    var m = Math.floor(sec / 60), s = sec % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }
  function sourceText(t) {
    var s = root.dataset["t" + t.source.charAt(0).toUpperCase() + t.source.slice(1)] || t.source;
    if (t.source === "booking" && t.slot) { s += " " + t.slot; }
    return s;
  }
  function waitedNow(t) {
    if (t.status !== "waiting") { return t.waited_seconds; }
    var skew = Date.now() - state.fetchedAt;
    return t.waited_seconds + skew / 1000;
  }
  function render() {
    var cur = state.current;
    $("current").hidden = !cur;
    $("current-empty").hidden = !!cur;
    if (cur) {
      $("cur-number").textContent = cur.number;
      $("cur-service").textContent = cur.service_name;
      $("cur-source").textContent = sourceText(cur);
      $("cur-priority").textContent = cur.priority || "—";
      $("cur-waited").textContent = fmtWait(cur.waited_seconds);
      $("cur-status").textContent = cur.status + (cur.recalls ? " ×" + (cur.recalls + 1) : "");
      $("cur-name").textContent = cur.name || "—";
      $("cur-phone").textContent = cur.phone || "—";
    }
    var paused = state.counter.state !== "open";
    var pb = $("btn-pause");
    pb.dataset.action = paused ? "open" : "pause";
    pb.firstChild.textContent = (paused ? root.dataset.tResume : root.dataset.tPause) + " ";
    var tb = $("queue");
    while (tb.firstChild) { tb.removeChild(tb.firstChild); }
    state.queue.forEach(function (t) {
      var tr = document.createElement("tr");
      tr.dataset.id = t.id;
      [t.number, t.service_name, sourceText(t), t.priority || "", fmtWait(waitedNow(t)), t.phone || ""].forEach(function (x, i) {
        var td = document.createElement("td");
        td.textContent = x;
        if (i === 4) { td.className = "waited"; }
        tr.appendChild(td);
      });
      tb.appendChild(tr);
    });
    $("waiting-count").textContent = state.queue.length;
    $("fig-called").textContent = state.today.called;
    $("fig-served").textContent = state.today.served;
    $("fig-noshow").textContent = state.today.no_show;
    $("fig-wait").textContent = state.today.avg_wait_minutes.toFixed(1);
    $("fig-service").textContent = state.today.avg_service_minutes.toFixed(1);
  }
  function tick() {
    if (!state) { return; }
    var rows = $("queue").querySelectorAll("tr");
    state.queue.forEach(function (t, i) {
      var td = rows[i] && rows[i].querySelector(".waited");
      if (td) { td.textContent = fmtWait(waitedNow(t)); }
    });
  }
  function refresh() {
    if (fetching) { again = true; return; }
    fetching = true;
    fetch("/clerk/state", { credentials: "same-origin", headers: { "Accept-Language": document.documentElement.lang || "vi" } }).then(function (r) {
      if (r.status === 401) { location.assign("/clerk/login"); return null; }
      if (!r.ok) { throw new Error("HTTP " + r.status); }
      return r.json();
    }).then(function (j) {
      if (!j) { return; }
      j.fetchedAt = Date.now();
      state = j;
      root.dataset.seq = j.seq;
      render();
      if (!ws) { connect(j.seq); }
    }).catch(function (e) { showError(e.message); }).then(function () {
      fetching = false;
      if (again) { again = false; refresh(); }
    });
  }
  function setConn(ok) {
    var c = $("conn");
    c.textContent = ok ? root.dataset.tLive : root.dataset.tOffline;
    c.className = "conn " + (ok ? "ok" : "down");
  }
  function connect(since) {
    var proto = location.protocol === "https:" ? "wss://" : "ws://";
    ws = new WebSocket(proto + location.host + "/api/v1/offices/" + encodeURIComponent(office) + "/events?since=" + since);
    ws.onopen = function () { backoff = 500; setConn(true); };
    ws.onmessage = function (m) {
      var ev;
      try { ev = JSON.parse(m.data); } catch (e) { return; }
      if (typeof ev.seq === "number") { lastSeq = Math.max(lastSeq, ev.seq); }
      refresh();
    };
    ws.onclose = function () {
      setConn(false);
      setTimeout(function () { connect(Math.max(lastSeq, state ? state.seq : 0)); }, backoff);
      backoff = Math.min(backoff * 2, 10000);
    };
  }
  function showError(msg) {
    var e = $("action-error");
    e.textContent = msg;
    e.hidden = !msg;
  }
  // newKey returns 128 random bits in hex. crypto.getRandomValues, not
  // crypto.randomUUID: the console may be served over plain HTTP on the
  // office network, where randomUUID does not exist.
  function newKey() {
    var b = new Uint8Array(16), s = "";
    crypto.getRandomValues(b);
    for (var i = 0; i < b.length; i++) { s += (b[i] < 16 ? "0" : "") + b[i].toString(16); }
    return s;
  }
  var busy = false;
  function setBusy(on) {
    busy = on;
    Array.prototype.forEach.call(document.querySelectorAll("button[data-action], #btn-transfer, #btn-call"), function (b) {
      b.disabled = on;
    });
  }
  // act sends one press: a new key, the same on each retry of that press.
  function act(action, body) {
    if (busy) { return; }
    showError("");
    setBusy(true);
    var key = newKey();
    var req = {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf, "Idempotency-Key": key, "Accept-Language": document.documentElement.lang || "vi" },
      body: body ? JSON.stringify(body) : undefined
    };
    var url = "/api/v1/counters/" + encodeURIComponent(counter) + "/" + action;
    function send(tries) {
      return fetch(url, req).catch(function (e) {
        // No answer (the network failed): the server may have acted, so
        // the retry is the same press, with the same key.
        if (tries <= 0) { throw e; }
        return new Promise(function (ok) { setTimeout(ok, 700); }).then(function () { return send(tries - 1); });
      });
    }
    return send(2).then(function (r) {
      if (r.status === 401) { location.assign("/clerk/login"); return; }
      if (!r.ok) {
        return r.json().then(function (j) { showError(j && j.error ? j.error.message : "HTTP " + r.status); });
      }
      refresh();
    }).catch(function (e) { showError(e.message); }).then(function () { setBusy(false); });
  }
  Array.prototype.forEach.call(document.querySelectorAll("button[data-action]"), function (b) {
    b.addEventListener("click", function (ev) {
      // The second click of a double click (detail 2) is the same press,
      // however fast the first one's answer came back.
      if (ev.detail > 1) { return; }
      act(b.dataset.action);
    });
  });
  $("transfer-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var v = $("transfer-target").value.split(":");
    var body = { to_end: $("transfer-end").checked };
    body[v[0]] = v[1];
    act("transfer", body);
  });
  $("call-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var n = $("call-number").value.trim();
    if (n && !busy) { act("call", { number: n }); $("call-number").value = ""; }
  });
  var keys = { n: "btn-next", r: "btn-recall", s: "btn-start", d: "btn-done", x: "btn-no-show", p: "btn-pause" };
  document.addEventListener("keydown", function (ev) {
    var tag = (ev.target && ev.target.tagName) || "";
    // A held-down key repeats: one press is one action.
    if (ev.repeat || ev.ctrlKey || ev.altKey || ev.metaKey || tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA") { return; }
    var k = ev.key.toLowerCase();
    if (keys[k]) { ev.preventDefault(); $(keys[k]).click(); }
    else if (k === "t") { ev.preventDefault(); $("transfer-target").focus(); }
    else if (k === "c") { ev.preventDefault(); $("call-number").focus(); }
  });
  setConn(false);
  refresh();
  setInterval(tick, 1000);
})();
