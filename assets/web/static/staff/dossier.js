// Lượt — the staff's dossier pages. A dossier's page is drawn by the
// server; its action forms are sent here to the JSON API
// (POST /api/v1/dossiers/{code}/actions/{action}) with the session cookie,
// the CSRF token in X-CSRF-Token, the dossier's version (a change made
// meanwhile by someone else is refused, not overwritten) and one
// Idempotency-Key per press, which a retry after a network failure sends
// again. On success the page is drawn again by the server. The A5
// receipt's "In giấy" prints the page. Text is set with textContent.
"use strict";
(function () {
  var printBtn = document.querySelector("[data-print]");
  if (printBtn) { printBtn.addEventListener("click", function () { window.print(); }); }
  var root = document.getElementById("dz");
  if (!root || root.dataset.page !== "dossier") { return; }
  var T = JSON.parse(document.getElementById("dz-texts").textContent);
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var lang = root.dataset.lang, code = root.dataset.code;
  var busy = false;
  var errBox = document.getElementById("dz-error");
  function fmt(key) {
    var args = Array.prototype.slice.call(arguments, 1);
    return (T[key] || key).replace(/%[ds]/g, function () { return String(args.shift()); });
  }
  function showError(msg) {
    errBox.textContent = msg;
    errBox.hidden = !msg;
    if (msg) { errBox.scrollIntoView({ block: "nearest" }); }
  }
  function newKey() {
    var b = new Uint8Array(16), s = "";
    crypto.getRandomValues(b);
    for (var i = 0; i < b.length; i++) { s += (b[i] < 16 ? "0" : "") + b[i].toString(16); }
    return s;
  }
  function setBusy(on) {
    busy = on;
    root.setAttribute("aria-busy", on ? "true" : "false");
    Array.prototype.forEach.call(document.querySelectorAll("#actions button"), function (b) { b.disabled = on; });
  }
  // body is the action's JSON: the form's filled fields and the version.
  function body(form) {
    var out = { version: Number(root.dataset.version) };
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name) { return; }
      var v = el.value.trim();
      if (v !== "") { out[el.name] = v; }
    });
    return out;
  }
  Array.prototype.forEach.call(document.querySelectorAll("form.dz-form"), function (form) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      if (busy) { return; }
      showError("");
      var missing = Array.prototype.some.call(form.elements, function (el) { return el.required && el.value.trim() === ""; });
      if (missing) { showError(T["dz.err.required"]); return; }
      var action = form.dataset.action;
      var req = {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept-Language": lang, "X-CSRF-Token": csrf, "Idempotency-Key": newKey() },
        body: JSON.stringify(body(form))
      };
      var url = "/api/v1/dossiers/" + encodeURIComponent(code) + "/actions/" + encodeURIComponent(action);
      function attempt(tries) {
        return fetch(url, req).catch(function (e) {
          if (tries <= 0) { throw e; }
          return new Promise(function (ok) { setTimeout(ok, 700); }).then(function () { return attempt(tries - 1); });
        });
      }
      setBusy(true);
      attempt(2).then(function (r) {
        if (r.status === 401) { location.assign("/staff/login?next=" + encodeURIComponent(location.pathname)); return; }
        if (!r.ok) {
          return r.json().catch(function () { return null; }).then(function (j) {
            showError(j && j.error && j.error.message ? j.error.message : fmt("err.http", r.status));
            setBusy(false);
          });
        }
        root.dataset.done = action;
        // A handler who transferred it sees it no more: back to the list.
        if (action === "transfer" && root.dataset.role === "handler") { location.assign("/staff/dossiers?moved=1"); return; }
        location.reload();
      }, function () {
        showError(T["err.network"]);
        setBusy(false);
      });
    });
  });
  // The forms act from now on (a test waits for it).
  root.dataset.ready = "1";
})();
