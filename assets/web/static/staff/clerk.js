// Lượt — clerk console. The page's data comes from GET /clerk/state (the
// real order of the rule, computed by the server); the event stream tells
// when to fetch it again. Actions go to the JSON API with the session
// cookie and the CSRF token in X-CSRF-Token. All text is set with
// textContent (never parsed as HTML), in the page's language: the texts
// come from the page (#console-texts), the API's error messages from the
// server, asked for in that language.
//
// One press, one action: each press gets a fresh Idempotency-Key, which
// its retries (after a network failure) send again, so the server answers
// a retry with the first answer instead of acting twice; and the action
// buttons are disabled while a press is in flight, so a double-click (or
// a held-down shortcut key) sends one request.
//
// Second thoughts: a no-show waits a few seconds before it is sent, with
// "Hoàn tác" (Esc) to take it back — it is pressed many times a day, often
// just as the citizen walks up, and a dialog each time would slow every
// one of them. Transfer and closing the counter are rarer and send the
// citizen or the counter somewhere else, so they ask first (a modal
// dialog: Enter confirms, Esc goes back, and no shortcut acts behind it).
"use strict";
(function () {
  var root = document.getElementById("console");
  var office = root.dataset.office, counter = root.dataset.counter, lang = root.dataset.lang;
  var T = JSON.parse(document.getElementById("console-texts").textContent);
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var $ = function (id) { return document.getElementById(id); };
  var state = null, lastSeq = -1, ws = null, backoff = 500, fetching = false, again = false;
  var busy = false, pending = null;
  var NO_SHOW_DELAY = 5; // seconds to take a no-show back

  // fmt fills the %d and %s of a text, in order.
  function fmt(key) {
    var args = Array.prototype.slice.call(arguments, 1);
    return (T[key] || key).replace(/%[ds]/g, function () { return String(args.shift()); });
  }
  // duration writes seconds as people say them: "23 giây", "4 phút",
  // "1 giờ 5 phút" ("23 seconds", "4 minutes", "1 hour 5 minutes").
  function duration(sec) {
    sec = Math.max(0, Math.floor(sec));
    var one = function (n, unit) { return fmt(n === 1 ? unit + "1" : unit, n); };
    if (sec < 60) { return one(sec, "dur.s"); }
    var m = Math.floor(sec / 60);
    if (m < 60) { return one(m, "dur.m"); }
    var h = Math.floor(m / 60);
    m = m % 60;
    return one(h, "dur.h") + (m ? " " + one(m, "dur.m") : "");
  }
  function sourceText(t) {
    var s = T["src." + t.source] || t.source;
    if (t.source === "booking" && t.slot) { s += " " + t.slot; }
    return s;
  }
  function priorityText(p) { return p ? (T["prio." + p] || p) : ""; }
  function statusText(t) {
    var s = T["status." + t.status] || t.status;
    return t.recalls ? s + " (" + fmt("status.recalls", t.recalls + 1) + ")" : s;
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
      $("cur-priority").textContent = priorityText(cur.priority) || "—";
      $("cur-waited").textContent = duration(cur.waited_seconds);
      $("cur-status").textContent = statusText(cur);
      $("cur-name").textContent = cur.name || "—";
      $("cur-phone").textContent = cur.phone || "—";
      // Its own service is no place to transfer it to.
      var sel = $("transfer-target");
      Array.prototype.forEach.call(sel.options, function (o) { o.disabled = o.value === "service:" + cur.service; });
      if (sel.selectedIndex < 0 || sel.options[sel.selectedIndex].disabled) {
        sel.selectedIndex = Array.prototype.findIndex.call(sel.options, function (o) { return !o.disabled; });
      }
    }
    var cs = state.counter.state;
    root.classList.remove("counter-open", "counter-paused", "counter-closed");
    root.classList.add("counter-" + cs);
    root.dataset.state = cs;
    $("counter-banner").className = "banner " + cs;
    $("banner-title").textContent = T["state." + cs];
    $("banner-hint").textContent = T["state." + cs + ".hint"];
    $("btn-open").firstChild.textContent = (cs === "paused" ? T.resume : T.open) + " ";
    $("btn-open").hidden = cs === "open";
    var tb = $("queue");
    while (tb.firstChild) { tb.removeChild(tb.firstChild); }
    state.queue.forEach(function (t) {
      var tr = document.createElement("tr");
      tr.dataset.id = t.id;
      [t.number, t.service_name, sourceText(t), priorityText(t.priority), duration(waitedNow(t)), t.phone || ""].forEach(function (x, i) {
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
    updateButtons();
    // The console's other parts (dossier_clerk.js) follow the state.
    root.dispatchEvent(new CustomEvent("console-state", { detail: state }));
  }
  // can says whether an action makes sense in the counter's state: a
  // button that cannot act is disabled rather than answered with an error.
  function can(action) {
    if (!state) { return false; }
    var open = state.counter.state === "open", cur = state.current;
    var called = !!cur && cur.status === "called";
    switch (action) {
      case "open": return !open;
      case "pause": return open;
      case "next": case "call": return open;
      case "recall": case "start": case "no-show": return called && !pending;
      case "done": case "transfer": return !!cur && !pending;
      case "close": return state.counter.state !== "closed" && !cur;
      case "undo": return !!pending;
    }
    return false;
  }
  function updateButtons() {
    Array.prototype.forEach.call(document.querySelectorAll("button[data-action]"), function (b) {
      b.disabled = busy || !can(b.dataset.action);
    });
    $("btn-transfer").disabled = busy || !can("transfer");
    $("transfer-target").disabled = $("transfer-end").disabled = !can("transfer");
    $("btn-call").disabled = busy || !can("call");
    $("call-number").disabled = !can("call");
    $("btn-undo").disabled = busy || !can("undo");
    $("btn-reprint").disabled = busy || !reprintTarget();
  }
  // reprintTarget is the ticket "In lại" prints again: the current one,
  // else the one this counter finished last.
  function reprintTarget() {
    return state ? (state.current || state.last || null) : null;
  }
  function setBusy(on) {
    busy = on;
    root.setAttribute("aria-busy", on ? "true" : "false");
    updateButtons();
  }
  function tick() {
    if (!state) { return; }
    var rows = $("queue").querySelectorAll("tr");
    state.queue.forEach(function (t, i) {
      var td = rows[i] && rows[i].querySelector(".waited");
      if (td) { td.textContent = duration(waitedNow(t)); }
    });
  }
  function refresh() {
    if (fetching) { again = true; return; }
    fetching = true;
    fetch("/clerk/state?lang=" + encodeURIComponent(lang), { credentials: "same-origin", headers: { "Accept-Language": lang } }).then(function (r) {
      if (r.status === 401) { location.assign("/clerk/login"); return null; }
      if (!r.ok) { throw new Error(fmt("err.http", r.status)); }
      return r.json();
    }, function () { throw new Error(T["err.network"]); }).then(function (j) {
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
    c.textContent = ok ? T.live : T.offline;
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
    if (msg) { showNotice(""); }
  }
  function showNotice(msg) {
    var e = $("action-notice");
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
  // send sends one press: a new key, the same on each retry of that
  // press. It resolves to the answer's JSON (null for an empty answer), or
  // to false when the press failed (the error is shown).
  function send(action, body) {
    showError("");
    showNotice("");
    setBusy(true);
    var key = newKey();
    var req = {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept-Language": lang, "X-CSRF-Token": csrf, "Idempotency-Key": key },
      body: body ? JSON.stringify(body) : undefined
    };
    var url = "/api/v1/counters/" + encodeURIComponent(counter) + "/" + action;
    function attempt(tries) {
      return fetch(url, req).catch(function (e) {
        // No answer (the network failed): the server may have acted, so
        // the retry is the same press, with the same key.
        if (tries <= 0) { throw e; }
        return new Promise(function (ok) { setTimeout(ok, 700); }).then(function () { return attempt(tries - 1); });
      });
    }
    return attempt(2).then(function (r) {
      if (r.status === 401) { location.assign("/clerk/login"); return false; }
      if (!r.ok) {
        return r.json().catch(function () { return null; }).then(function (j) {
          showError(j && j.error && j.error.message ? j.error.message : fmt("err.http", r.status));
          return false;
        });
      }
      refresh();
      return r.status === 204 ? null : r.json().catch(function () { return null; });
    }, function () {
      showError(T["err.network"]);
      return false;
    }).then(function (res) { setBusy(false); return res; });
  }
  // press is the clerk's press of an action. A no-show waiting for its
  // undo is sent first: the clerk has moved on.
  function press(action, body) {
    if (busy) { return Promise.resolve(false); }
    if (pending) {
      return commitNoShow().then(function (ok) { return ok === false ? false : press(action, body); });
    }
    return send(action, body);
  }

  // No-show with undo.
  function startNoShow() {
    if (busy || pending || !can("no-show")) { return; }
    showError("");
    showNotice("");
    var number = state.current.number;
    pending = { number: number, left: NO_SHOW_DELAY };
    var show = function () { $("undo-text").textContent = fmt("noshow.pending", number, duration(pending.left)); };
    show();
    $("undo-bar").hidden = false;
    pending.timer = setInterval(function () {
      pending.left--;
      if (pending.left > 0) { show(); } else { commitNoShow(); }
    }, 1000);
    updateButtons();
  }
  function endPending() {
    var p = pending;
    clearInterval(p.timer);
    pending = null;
    $("undo-bar").hidden = true;
    updateButtons();
    return p;
  }
  function undoNoShow() {
    if (!pending || busy) { return; }
    var p = endPending();
    showNotice(fmt("noshow.undone", p.number));
  }
  function commitNoShow() {
    var p = endPending();
    return send("no-show").then(function (res) {
      if (res !== false) { showNotice(fmt("noshow.done", p.number)); }
      return res;
    });
  }
  // A no-show not yet sent when the page goes away is sent on the way out
  // (keepalive), so that leaving the page does not take it back silently.
  window.addEventListener("pagehide", function () {
    if (!pending) { return; }
    endPending();
    fetch("/api/v1/counters/" + encodeURIComponent(counter) + "/no-show", {
      method: "POST", credentials: "same-origin", keepalive: true,
      headers: { "Content-Type": "application/json", "Accept-Language": lang, "X-CSRF-Token": csrf, "Idempotency-Key": newKey() }
    });
  });

  // confirmFirst asks in the modal dialog (confirm.js), "yes" focused: it
  // resolves to true when the clerk confirms.
  var dlg = $("confirm");
  function confirmFirst(text, yes) { return window.luotConfirm(text, yes, "yes"); }

  Array.prototype.forEach.call(document.querySelectorAll("button[data-action]"), function (b) {
    b.addEventListener("click", function (ev) {
      // The second click of a double click (detail 2) is the same press,
      // however fast the first one's answer came back.
      if (ev.detail > 1) { return; }
      var a = b.dataset.action;
      if (a === "no-show") { startNoShow(); return; }
      if (a === "close") {
        if (busy || !can("close")) { return; }
        confirmFirst(fmt("confirm.close", root.dataset.counterNumber), T.close).then(function (yes) {
          if (yes) { press("close"); }
        });
        return;
      }
      press(a);
    });
  });
  $("btn-undo").addEventListener("click", undoNoShow);
  // "In lại": the ticket printed again at this counter's station.
  $("btn-reprint").addEventListener("click", function (ev) {
    var t = reprintTarget();
    if (ev.detail > 1 || busy || !t) { return; }
    showError("");
    showNotice("");
    setBusy(true);
    fetch("/api/v1/tickets/" + encodeURIComponent(t.id) + "/reprint", {
      method: "POST", credentials: "same-origin",
      headers: { "Accept-Language": lang, "X-CSRF-Token": csrf, "Idempotency-Key": newKey() }
    }).then(function (r) {
      if (r.status === 401) { location.assign("/clerk/login"); return; }
      if (!r.ok) {
        return r.json().catch(function () { return null; }).then(function (j) {
          showError(j && j.error && j.error.message ? j.error.message : fmt("err.http", r.status));
        });
      }
      showNotice(fmt("reprinted", t.number));
    }, function () {
      showError(T["err.network"]);
    }).then(function () { setBusy(false); });
  });
  $("transfer-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    if (busy || !can("transfer")) { return; }
    var sel = $("transfer-target"), opt = sel.options[sel.selectedIndex];
    if (!opt) { return; }
    var v = sel.value.split(":"), where = opt.dataset.where, toEnd = $("transfer-end").checked;
    var number = state.current.number;
    var body = { to_end: toEnd };
    body[v[0]] = v[1];
    confirmFirst(fmt(toEnd ? "confirm.transfer.end" : "confirm.transfer", number, where), T.transfer).then(function (yes) {
      if (!yes) { return; }
      press("transfer", body).then(function (res) {
        if (res === false) { return; }
        var msg = fmt(toEnd ? "transferred.end" : "transferred", number, where);
        if (res && res.ticket && typeof res.ticket.ahead === "number" && res.ticket.ahead >= 0) {
          msg += " " + (res.ticket.ahead ? fmt("transferred.ahead", res.ticket.ahead) : T["transferred.first"]);
        }
        showNotice(msg);
      });
    });
  });
  $("call-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var n = $("call-number").value.trim();
    if (n && !busy) { press("call", { number: n }); $("call-number").value = ""; }
  });
  var keys = { n: "btn-next", r: "btn-recall", s: "btn-start", d: "btn-done", x: "btn-no-show", i: "btn-reprint" };
  document.addEventListener("keydown", function (ev) {
    // The dialog is modal: its own keys (Enter, Esc) answer it, and no
    // shortcut acts on the console behind it.
    if (dlg.open) { return; }
    if (ev.key === "Escape" && pending) { ev.preventDefault(); undoNoShow(); return; }
    var tag = (ev.target && ev.target.tagName) || "";
    // A held-down key repeats: one press is one action.
    if (ev.repeat || ev.ctrlKey || ev.altKey || ev.metaKey || tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA") { return; }
    var k = ev.key.toLowerCase();
    if (keys[k]) { ev.preventDefault(); $(keys[k]).click(); }
    else if (k === "p") { ev.preventDefault(); $(state && state.counter.state === "open" ? "btn-pause" : "btn-open").click(); }
    else if (k === "t") { ev.preventDefault(); $("transfer-target").focus(); }
    else if (k === "c") { ev.preventDefault(); $("call-number").focus(); }
  });
  setConn(false);
  updateButtons();
  refresh();
  setInterval(tick, 1000);
})();
