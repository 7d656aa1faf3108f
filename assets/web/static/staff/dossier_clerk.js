// Lượt — the clerk console's "Tiếp nhận hồ sơ" (docs/dossier.md, "Pages").
// While a ticket is served, the clerk records the citizen's dossier: the
// procedures of the ticket's service are proposed first, the applicant is
// the ticket's (name and phone when it has them), the papers checklist is
// the procedure's (every required paper must be ticked before "Tiếp
// nhận"); or the clerk records a refusal with its reason. The receipt is
// sent to the JSON API (POST /api/v1/counters/{id}/dossiers), which prints
// it on the counter's station; afterwards the console shows the code with
// "In lại" and "Mở giấy A5" (the printable page, with the applicant's
// token, which only this answer carries, so that its QR is the
// applicant's link). When the served ticket is a pickup ticket, its
// dossier is shown with "Trả kết quả". When the server sends SMS, the
// form asks whether the citizen agrees to SMS about the dossier (off by
// default; it needs the phone): the API makes that subscription with the
// dossier, so that the "received" SMS goes at once.
//
// The console's state comes from clerk.js (the "console-state" event);
// texts from the page, set with textContent only.
"use strict";
(function () {
  var root = document.getElementById("console");
  var box = document.getElementById("dzc");
  if (!root || !box) { return; }
  var counter = root.dataset.counter, lang = root.dataset.lang;
  var T = JSON.parse(document.getElementById("console-texts").textContent);
  var catalogue = JSON.parse(document.getElementById("dzc-catalogue").textContent) || [];
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var tz = box.dataset.tz || undefined;
  var $ = function (id) { return document.getElementById(id); };
  var ticket = null;   // the ticket being served (clerk.js's state.current)
  var shown = null;    // the dossier shown in the view
  var busy = false, asked = 0;
  var links = {};      // code → the applicant's link, from the receipt's answer

  function fmt(key) {
    var args = Array.prototype.slice.call(arguments, 1);
    return (T[key] || key).replace(/%[ds]/g, function () { return String(args.shift()); });
  }
  function newKey() {
    var b = new Uint8Array(16), s = "";
    crypto.getRandomValues(b);
    for (var i = 0; i < b.length; i++) { s += (b[i] < 16 ? "0" : "") + b[i].toString(16); }
    return s;
  }
  function showError(msg) { $("dzc-error").textContent = msg; $("dzc-error").hidden = !msg; if (msg) { showNotice(""); } }
  function showNotice(msg) { $("dzc-notice").textContent = msg; $("dzc-notice").hidden = !msg; }
  // due writes a due date in the office's time: the end of a working day
  // (24:00) is that day.
  function due(iso) {
    if (!iso) { return "—"; }
    var d = new Date(iso);
    var parts = {};
    new Intl.DateTimeFormat("en-GB", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
      .formatToParts(d).forEach(function (p) { parts[p.type] = p.value; });
    if (parts.hour === "00" && parts.minute === "00") { return due(new Date(d.getTime() - 60000).toISOString()); }
    var day = parts.day + "/" + parts.month + "/" + parts.year;
    return (parts.hour === "23" && parts.minute === "59") ? day : parts.hour + ":" + parts.minute + " " + day;
  }
  function procedure(code) {
    for (var i = 0; i < catalogue.length; i++) { if (catalogue[i].code === code) { return catalogue[i]; } }
    return null;
  }
  // call sends one press to the API; it resolves to [status, json].
  function call(method, url, body) {
    var key = newKey();
    var req = {
      method: method, credentials: "same-origin",
      headers: { "Accept-Language": lang, "X-CSRF-Token": csrf }
    };
    if (method !== "GET") { req.headers["Idempotency-Key"] = key; }
    if (body) { req.headers["Content-Type"] = "application/json"; req.body = JSON.stringify(body); }
    function attempt(tries) {
      return fetch(url, req).catch(function (e) {
        if (tries <= 0) { throw e; }
        return new Promise(function (ok) { setTimeout(ok, 700); }).then(function () { return attempt(tries - 1); });
      });
    }
    return attempt(2).then(function (r) {
      if (r.status === 401) { location.assign("/clerk/login"); return [401, null]; }
      return r.json().catch(function () { return null; }).then(function (j) { return [r.status, j]; });
    });
  }
  function apiError(st, j) {
    return j && j.error && j.error.message ? j.error.message : fmt("err.http", st);
  }
  function setBusy(on) {
    busy = on;
    box.setAttribute("aria-busy", on ? "true" : "false");
    update();
  }

  // The form.
  function fillProcedures() {
    var sel = $("dzc-procedure");
    while (sel.firstChild) { sel.removeChild(sel.firstChild); }
    var svc = ticket ? ticket.service : "";
    var mine = catalogue.filter(function (p) { return p.service === svc; });
    var others = catalogue.filter(function (p) { return p.service !== svc; });
    [[T["dzc.proposed"], mine], [T["dzc.others"], others]].forEach(function (g) {
      if (!g[1].length) { return; }
      var og = document.createElement("optgroup");
      og.label = g[0];
      g[1].forEach(function (p) {
        var o = document.createElement("option");
        o.value = p.code;
        o.textContent = p.name;
        og.appendChild(o);
      });
      sel.appendChild(og);
    });
    sel.selectedIndex = 0;
    fillPapers();
  }
  function fillPapers() {
    var p = procedure($("dzc-procedure").value);
    var ul = $("dzc-papers");
    while (ul.firstChild) { ul.removeChild(ul.firstChild); }
    $("dzc-terms").textContent = p ? p.days + " · " + p.fee : "";
    (p ? p.papers : []).forEach(function (x) {
      var li = document.createElement("li");
      var label = document.createElement("label");
      var cb = document.createElement("input");
      cb.type = "checkbox";
      cb.value = x.id;
      cb.dataset.required = x.optional ? "0" : "1";
      cb.addEventListener("change", update);
      label.appendChild(cb);
      label.appendChild(document.createTextNode(" " + x.name + " "));
      var tag = document.createElement("span");
      tag.className = x.optional ? "muted" : "dzc-req";
      tag.textContent = "(" + (x.optional ? T["dzc.optional"] : T["dzc.required"]) + ")";
      label.appendChild(tag);
      li.appendChild(label);
      ul.appendChild(li);
    });
    update();
  }
  function missing() {
    return Array.prototype.filter.call($("dzc-papers").querySelectorAll("input"), function (cb) {
      return cb.dataset.required === "1" && !cb.checked;
    }).length;
  }
  function openForm() {
    if (!ticket || busy || isPickup()) { return; }
    showError("");
    showNotice("");
    ["dzc-name", "dzc-phone", "dzc-id", "dzc-address", "dzc-extra", "dzc-reason"].forEach(function (id) { $(id).value = ""; });
    if ($("dzc-sms")) { $("dzc-sms").checked = false; }
    $("dzc-name").value = ticket.name || "";
    $("dzc-phone").value = ticket.phone || "";
    fillProcedures();
    $("dzc-form").hidden = false;
    $("dzc-view").hidden = true;
    update();
    $("dzc-procedure").focus();
  }
  function closeForm() {
    $("dzc-form").hidden = true;
    $("dzc-view").hidden = !shown;
    update();
  }
  function smsConsent() { return !!($("dzc-sms") && $("dzc-sms").checked); }
  function isPickup() { return !!(shown && ticket && shown.pickup && shown.pickup.ticket === ticket.id); }
  function update() {
    var name = $("dzc-name").value.trim() !== "";
    var n = missing();
    var smsNoPhone = smsConsent() && $("dzc-phone").value.trim() === "";
    $("dzc-missing").textContent = !name ? T["dzc.need.name"] : (n ? fmt("dzc.missing", n) : (smsNoPhone ? T["dzc.sms.phone"] : ""));
    $("dzc-receive").disabled = busy || !ticket || !name || n > 0 || smsNoPhone || !$("dzc-procedure").value;
    $("dzc-refuse").disabled = busy || !ticket || !name || $("dzc-reason").value.trim() === "" || !$("dzc-procedure").value;
    $("dzc-open").hidden = !ticket || isPickup() || !$("dzc-form").hidden;
    $("dzc-open").firstChild.textContent = (shown ? T["dzc.another"] : T["dzc.open"]) + " ";
    $("dzc-open").disabled = busy;
    var completed = shown && shown.status === "completed";
    $("dzc-return").hidden = !isPickup();
    $("dzc-return").disabled = busy || !completed;
    var receipt = shown && shown.status !== "refused" && shown.status !== "submitted";
    $("dzc-reprint").hidden = $("dzc-a5").hidden = !receipt || isPickup();
    $("dzc-reprint").disabled = busy;
    box.hidden = !ticket && !shown;
  }
  function body(refuse) {
    var papers = Array.prototype.filter.call($("dzc-papers").querySelectorAll("input"), function (cb) { return cb.checked; })
      .map(function (cb) { return cb.value; });
    var extra = $("dzc-extra").value.split("\n").map(function (s) { return s.trim(); }).filter(function (s) { return s; });
    var b = {
      procedure: $("dzc-procedure").value,
      applicant: { name: $("dzc-name").value.trim(), phone: $("dzc-phone").value.trim(), id_number: $("dzc-id").value.trim(), address: $("dzc-address").value.trim() },
      papers: papers
    };
    if (extra.length) { b.extra = extra; }
    if (refuse) {
      b.refuse = $("dzc-reason").value.trim();
    } else if (smsConsent()) {
      b.sms_consent = true;
      b.lang = lang === "en" ? "en" : "vi";
    }
    return b;
  }
  function submit(refuse) {
    if (busy || !ticket) { return; }
    showError("");
    showNotice("");
    setBusy(true);
    call("POST", "/api/v1/counters/" + encodeURIComponent(counter) + "/dossiers", body(refuse)).then(function (res) {
      var st = res[0], j = res[1];
      if (st === 401) { return; }
      if (st !== 201 && st !== 200) { showError(apiError(st, j)); return; }
      var d = j.dossier;
      if (j.link) { links[d.code] = j.link; }
      show(d, "received");
      $("dzc-form").hidden = true;
      if (refuse) {
        showNotice(fmt("dzc.refused", d.code));
      } else {
        var msg = fmt("dzc.received", d.code, due(d.due_at));
        msg += " " + (j.print && j.print.job ? T["dzc.printed"] : T["dzc.print.none"]);
        if (j.sms) { msg += " " + T["dzc.sms.on"]; }
        showNotice(msg);
      }
      box.dataset.created = d.code;
    }, function () { showError(T["err.network"]); }).then(function () { setBusy(false); });
  }

  // The view of a dossier: the one just received, or the one a pickup
  // ticket collects.
  function show(d, kind) {
    shown = d;
    box.dataset.code = d.code;
    box.dataset.status = d.status;
    box.dataset.kind = kind;
    $("dzc-view-label").textContent = kind === "pickup" ? T["dzc.pickup"] : (d.status === "refused" ? T["dzc.from.ticket.refused"] : T["dzc.from.ticket"]);
    $("dzc-code").textContent = d.code;
    var p = procedure(d.procedure);
    $("dzc-v-procedure").textContent = p ? p.name : (d.procedure_name || d.procedure);
    $("dzc-v-name").textContent = d.applicant ? d.applicant.name : "";
    $("dzc-v-status").textContent = T["dz.st." + d.status] || d.status;
    $("dzc-v-due").textContent = due(d.due_at);
    $("dzc-v-result").textContent = d.result || "";
    Array.prototype.forEach.call(box.querySelectorAll(".dzc-v-result"), function (e) { e.hidden = !d.result; });
    var page = "/staff/dossiers/" + encodeURIComponent(d.code);
    $("dzc-page").href = page;
    var k = "";
    if (links[d.code]) {
      try { k = new URL(links[d.code], location.origin).searchParams.get("k") || ""; } catch (e) { k = ""; }
    }
    $("dzc-a5").href = page + "/receipt" + (k ? "?k=" + encodeURIComponent(k) : "");
    $("dzc-view").hidden = false;
    update();
  }
  function clearView() {
    shown = null;
    delete box.dataset.code;
    delete box.dataset.status;
    delete box.dataset.kind;
    $("dzc-view").hidden = true;
  }
  // lookup asks for the dossier of the ticket being served (received
  // from it, or collected by it); an older answer is dropped.
  function lookup(t) {
    var n = ++asked;
    box.dataset.looked = "";
    call("GET", "/api/v1/tickets/" + encodeURIComponent(t.id) + "/dossier").then(function (res) {
      if (n !== asked) { return; }
      var st = res[0], j = res[1];
      if (st === 200 && j) {
        var d = j.dossier || j;
        show(d, d.pickup && d.pickup.ticket === t.id ? "pickup" : "received");
      } else if (st !== 404) {
        showError(apiError(st, j));
      }
      box.dataset.looked = t.id;
      update();
    }, function () { if (n === asked) { showError(T["err.network"]); } });
  }
  root.addEventListener("console-state", function (ev) {
    var cur = ev.detail.current;
    var id = cur ? cur.id : "";
    if (id === (ticket ? ticket.id : "")) { ticket = cur; update(); return; }
    ticket = cur;
    if (cur) {
      // Another citizen: the last one's form and notices go.
      clearView();
      showError("");
      showNotice("");
      $("dzc-form").hidden = true;
      lookup(cur);
    } else {
      $("dzc-form").hidden = true;
    }
    update();
  });

  $("dzc-open").addEventListener("click", openForm);
  $("dzc-cancel").addEventListener("click", closeForm);
  $("dzc-procedure").addEventListener("change", fillPapers);
  $("dzc-name").addEventListener("input", update);
  $("dzc-phone").addEventListener("input", update);
  if ($("dzc-sms")) { $("dzc-sms").addEventListener("change", update); }
  $("dzc-reason").addEventListener("input", update);
  $("dzc-form").addEventListener("submit", function (ev) { ev.preventDefault(); if (!$("dzc-receive").disabled) { submit(false); } });
  $("dzc-refuse").addEventListener("click", function () { if (!$("dzc-refuse").disabled) { submit(true); } });
  $("dzc-reprint").addEventListener("click", function (ev) {
    if (ev.detail > 1 || busy || !shown) { return; }
    showError("");
    showNotice("");
    setBusy(true);
    var code = shown.code;
    call("POST", "/api/v1/dossiers/" + encodeURIComponent(code) + "/print", { counter: counter, kind: "receipt" }).then(function (res) {
      if (res[0] === 401) { return; }
      if (res[0] >= 300) { showError(apiError(res[0], res[1])); return; }
      showNotice(fmt("dzc.reprinted", code));
    }, function () { showError(T["err.network"]); }).then(function () { setBusy(false); });
  });
  $("dzc-return").addEventListener("click", function (ev) {
    if (ev.detail > 1 || busy || !shown) { return; }
    showError("");
    showNotice("");
    setBusy(true);
    var code = shown.code;
    call("POST", "/api/v1/dossiers/" + encodeURIComponent(code) + "/actions/return", { version: shown.version }).then(function (res) {
      if (res[0] === 401) { return; }
      if (res[0] >= 300) { showError(apiError(res[0], res[1])); return; }
      var d = (res[1] && res[1].dossier) || shown;
      show(d, "pickup");
      showNotice(fmt("dzc.returned", code));
    }, function () { showError(T["err.network"]); }).then(function () { setBusy(false); });
  });
  document.addEventListener("keydown", function (ev) {
    var dlg = document.getElementById("confirm");
    if (dlg && dlg.open) { return; }
    var tag = (ev.target && ev.target.tagName) || "";
    if (ev.repeat || ev.ctrlKey || ev.altKey || ev.metaKey || tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA") { return; }
    if (ev.key.toLowerCase() === "h" && !$("dzc-open").hidden) { ev.preventDefault(); openForm(); }
  });
  update();
})();
