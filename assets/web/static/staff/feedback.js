// Lượt — the staff's feedback pages: the inbox (/staff/reports) and a
// report (/staff/reports/{code}). Both are drawn from the JSON API
// (/api/v1/feedback/…), which decides what the member may see; the
// office's event stream for staff (/api/v1/feedback/events) tells when
// to fetch again, so that a new report appears without a reload. Changes
// go to the API with the session cookie, the CSRF token in X-CSRF-Token
// and a fresh Idempotency-Key per press; the buttons are disabled while
// one is in flight. All text is set with textContent (never parsed as
// HTML), in the page's language: the texts come from the page
// (#fb-texts), the API's error messages from the server, asked for in
// that language.
"use strict";
(function () {
  var root = document.getElementById("fb");
  var page = root.dataset.page, office = root.dataset.office, lang = root.dataset.lang, tz = root.dataset.tz;
  var moderator = root.dataset.role === "moderator";
  var T = JSON.parse(document.getElementById("fb-texts").textContent);
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var $ = function (id) { return document.getElementById(id); };
  var config = { categories: [], units: [] };
  var OPEN = ["new", "accepted", "assigned", "in_progress"];

  function fmt(key) {
    var args = Array.prototype.slice.call(arguments, 1);
    return (T[key] || key).replace(/%[ds]/g, function () { return String(args.shift()); });
  }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = text; }
    if (cls) { e.className = cls; }
    return e;
  }
  function clear(e) { while (e.firstChild) { e.removeChild(e.firstChild); } }
  function named(x) { return x ? (lang === "en" && x.name_en ? x.name_en : x.name) : ""; }
  function find(list, id) {
    for (var i = 0; i < list.length; i++) { if (list[i].id === id) { return list[i]; } }
    return null;
  }
  function categoryName(id) { return named(find(config.categories, id)) || id || "—"; }
  function unitName(id) { return named(find(config.units, id)) || id || "—"; }
  function statusName(s) { return T["fb.st." + s] || s; }
  var dateFmt;
  try {
    dateFmt = new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "vi-VN", { timeZone: tz || undefined, dateStyle: "short", timeStyle: "short" });
  } catch (e) {
    dateFmt = new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "vi-VN", { dateStyle: "short", timeStyle: "short" });
  }
  var dayFmt = new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "vi-VN", { timeZone: dateFmt.resolvedOptions().timeZone, dateStyle: "short" });
  // due writes a deadline, the end (24:00) of a working day, as that day.
  function due(s) {
    if (!s) { return "—"; }
    var d = new Date(s);
    return isNaN(d) ? "—" : dayFmt.format(new Date(d.getTime() - 1));
  }
  function when(s) {
    if (!s) { return "—"; }
    var d = new Date(s);
    return isNaN(d) ? "—" : dateFmt.format(d);
  }
  function showError(msg) {
    var e = $("fb-error");
    e.textContent = msg || "";
    e.hidden = !msg;
  }
  function showNotice(msg) {
    var e = $("fb-notice") || $("live-notice");
    e.textContent = msg || "";
    e.hidden = !msg;
  }
  // get fetches JSON from the API in the page's language; it rejects with
  // a sentence to show.
  function get(url) {
    return fetch(url, { credentials: "same-origin", headers: { "Accept-Language": lang } }).then(function (r) {
      if (r.status === 401) { location.assign("/staff/login?next=" + encodeURIComponent(location.pathname + location.search)); throw new Error(""); }
      if (!r.ok) {
        return r.json().catch(function () { return null; }).then(function (j) {
          throw new Error(j && j.error && j.error.message ? j.error.message : fmt("err.http", r.status));
        });
      }
      return r.json();
    }, function () { throw new Error(T["err.network"]); });
  }
  function newKey() {
    var b = new Uint8Array(16), s = "";
    crypto.getRandomValues(b);
    for (var i = 0; i < b.length; i++) { s += (b[i] < 16 ? "0" : "") + b[i].toString(16); }
    return s;
  }
  // post sends one press to the API: JSON (or a FormData as multipart),
  // with the CSRF token and an Idempotency-Key that a retry after a
  // network failure sends again. It resolves to the answer's JSON or
  // rejects with a sentence to show.
  function post(url, body) {
    var headers = { "Accept-Language": lang, "X-CSRF-Token": csrf, "Idempotency-Key": newKey() };
    var data = body;
    if (!(body instanceof FormData)) {
      headers["Content-Type"] = "application/json";
      data = JSON.stringify(body || {});
    }
    var req = { method: "POST", credentials: "same-origin", headers: headers, body: data };
    function attempt(tries) {
      return fetch(url, req).catch(function (e) {
        if (tries <= 0) { throw e; }
        return new Promise(function (ok) { setTimeout(ok, 700); }).then(function () { return attempt(tries - 1); });
      });
    }
    return attempt(1).then(function (r) {
      if (r.status === 401) { location.assign("/staff/login?next=" + encodeURIComponent(location.pathname)); throw new Error(""); }
      return r.json().catch(function () { return null; }).then(function (j) {
        if (!r.ok) { throw new Error(j && j.error && j.error.message ? j.error.message : fmt("err.http", r.status)); }
        return j;
      });
    }, function () { throw new Error(T["err.network"]); });
  }

  // The staff event stream: any event the member may see makes the page
  // fetch again (the page asks the API, which knows who sees what).
  var ws = null, backoff = 500, lastSeq = 0;
  function setConn(ok) {
    var c = $("conn");
    c.textContent = ok ? T.live : T.offline;
    c.className = "conn " + (ok ? "ok" : "down");
  }
  function connect(onEvent, onOpen) {
    var proto = location.protocol === "https:" ? "wss://" : "ws://";
    ws = new WebSocket(proto + location.host + "/api/v1/feedback/events" + (lastSeq ? "?since=" + lastSeq : ""));
    ws.onopen = function () { backoff = 500; setConn(true); onOpen(); };
    ws.onmessage = function (m) {
      var ev;
      try { ev = JSON.parse(m.data); } catch (e) { return; }
      if (typeof ev.seq === "number") { lastSeq = Math.max(lastSeq, ev.seq); }
      onEvent(ev);
    };
    ws.onclose = function () {
      setConn(false);
      setTimeout(function () { connect(onEvent, onOpen); }, backoff);
      backoff = Math.min(backoff * 2, 10000);
    };
  }
  function eventCode(ev) {
    if (!ev) { return ""; }
    if (typeof ev.report === "string") { return ev.report; }
    if (ev.report && ev.report.code) { return ev.report.code; }
    return ev.code || "";
  }

  // refresher runs load once at a time; a call while one runs runs it
  // again after.
  function refresher(load) {
    var running = false, again = false;
    return function run() {
      if (running) { again = true; return; }
      running = true;
      load().catch(function (e) { if (e.message) { showError(e.message); } }).then(function () {
        running = false;
        if (again) { again = false; run(); }
      });
    };
  }

  var loadConfig = get("/api/v1/offices/" + encodeURIComponent(office) + "/feedback").then(function (j) {
    config = j || config;
    config.categories = config.categories || [];
    config.units = config.units || [];
  });

  // ---- The inbox ----
  function inbox() {
    var params = new URLSearchParams(location.search);
    var known = null; // the codes already shown, to mark new ones
    function fillSelect(sel, items, grouped) {
      var groups = {};
      items.forEach(function (x) {
        var o = el("option", named(x));
        o.value = x.id;
        var parent = sel;
        if (grouped && x.kind) {
          if (!groups[x.kind]) {
            groups[x.kind] = el("optgroup");
            groups[x.kind].label = T["fb.kind." + x.kind] || x.kind;
            sel.appendChild(groups[x.kind]);
          }
          parent = groups[x.kind];
        }
        parent.appendChild(o);
      });
    }
    function setForm() {
      $("f-status").value = params.get("status") || "";
      $("f-category").value = params.get("category") || "";
      $("f-unit").value = params.get("unit") || "";
      $("f-overdue").checked = params.get("overdue") === "1";
      $("f-q").value = params.get("q") || "";
      Array.prototype.forEach.call(document.querySelectorAll("#counts li"), function (li) {
        var on = li.dataset.status === "overdue" ? params.get("overdue") === "1" : params.get("status") === li.dataset.status;
        li.classList.toggle("on", on);
        var a = li.querySelector("a");
        if (on) { a.setAttribute("aria-current", "page"); } else { a.removeAttribute("aria-current"); }
      });
    }
    function query(withStatus) {
      var q = new URLSearchParams();
      ["status", "category", "unit", "overdue", "q"].forEach(function (k) {
        var v = params.get(k);
        if (v && (withStatus || k !== "status")) { q.set(k, v); }
      });
      q.set("limit", "500");
      return q.toString();
    }
    function deadline(r) {
      if (OPEN.indexOf(r.status) < 0) { return null; }
      return r.status === "new" ? r.ack_due : r.resolve_due;
    }
    function row(r, fresh) {
      var tr = el("tr");
      tr.dataset.code = r.code;
      tr.dataset.status = r.status;
      if (r.overdue) { tr.classList.add("overdue"); }
      if (fresh) { tr.classList.add("fresh"); }
      var td = el("td"), a = el("a", r.code);
      a.href = "/staff/reports/" + encodeURIComponent(r.code);
      td.appendChild(a);
      tr.appendChild(td);
      tr.appendChild(el("td", categoryName(r.category)));
      tr.appendChild(el("td", statusName(r.status)));
      tr.appendChild(el("td", r.unit ? unitName(r.unit) : "—"));
      var place = r.place || {};
      tr.appendChild(el("td", place.address || (place.ward ? unitName(place.ward) : "") || (typeof place.lat === "number" ? place.lat.toFixed(5) + ", " + place.lon.toFixed(5) : "—"), "fb-addr"));
      tr.appendChild(el("td", when(r.created_at)));
      var dl = el("td", due(deadline(r)));
      if (r.overdue) {
        var flag = el("span", null, "fb-flag");
        flag.appendChild(el("span", "⚠ ")).setAttribute("aria-hidden", "true");
        flag.appendChild(document.createTextNode(T["fb.overdue"]));
        dl.appendChild(document.createTextNode(" "));
        dl.appendChild(flag);
      }
      tr.appendChild(dl);
      tr.appendChild(el("td", String(r.me_too || 0)));
      return tr;
    }
    function counts(list, given) {
      var c = {}, overdue = 0;
      if (given) {
        c = given;
        overdue = given.overdue || 0;
      } else {
        list.forEach(function (r) {
          c[r.status] = (c[r.status] || 0) + 1;
          if (r.overdue) { overdue++; }
        });
      }
      Array.prototype.forEach.call(document.querySelectorAll("#counts li"), function (li) {
        var s = li.dataset.status;
        li.querySelector(".n").textContent = String(s === "overdue" ? overdue : (c[s] || 0));
      });
    }
    var load = function () {
      var withStatus = get("/api/v1/feedback/reports?" + query(true));
      var all = params.get("status") ? get("/api/v1/feedback/reports?" + query(false)) : null;
      return Promise.all([withStatus, all]).then(function (res) {
        var list = (res[0] && res[0].reports) || [];
        counts(res[1] ? res[1].reports || [] : list, res[0] && res[0].counts);
        var tb = $("reports"), fresh = [];
        clear(tb);
        list.forEach(function (r) {
          var isNew = known !== null && !known[r.code];
          if (isNew) { fresh.push(r.code); }
          tb.appendChild(row(r, isNew));
        });
        known = {};
        list.forEach(function (r) { known[r.code] = true; });
        $("shown").textContent = fmt("fb.shown", list.length);
        $("empty").hidden = list.length > 0;
        root.dataset.loaded = String(Number(root.dataset.loaded || 0) + 1);
        if (fresh.length) { showNotice(fmt("fb.new.live", fresh.join(", "))); }
        showError("");
      });
    };
    var refresh = refresher(load);
    // A handler sees their unit's reports only: no unit to choose.
    $("f-unit").closest("label").hidden = !moderator;
    loadConfig.then(function () {
      if ($("my-unit")) { $("my-unit").textContent = unitName($("my-unit").dataset.unit); }
      fillSelect($("f-category"), config.categories, false);
      fillSelect($("f-unit"), config.units, true);
      setForm();
    }, function (e) { showError(e.message); }).then(function () {
      setConn(false);
      connect(function () { refresh(); }, refresh);
    });
  }

  // ---- A report ----
  function report() {
    var code = root.dataset.code, rep = null, busy = false, answerPhotos = [], templates = [];
    function can(act) {
      if (!rep) { return false; }
      var s = rep.status, open = OPEN.indexOf(s) >= 0, working = s === "assigned" || s === "in_progress";
      switch (act) {
        case "accept": return moderator && s === "new";
        case "refuse": case "duplicate": return moderator && (s === "new" || s === "accepted");
        case "unfounded": return moderator ? open : working;
        case "assign": return moderator && (s === "accepted" || working);
        case "start": return s === "assigned";
        case "return": return !moderator && working;
        case "answer": return working;
        case "resolve": return working;
        case "photo": return moderator;
      }
      return false;
    }
    function setBusy(on) {
      busy = on;
      root.setAttribute("aria-busy", on ? "true" : "false");
      Array.prototype.forEach.call(document.querySelectorAll("#actions button, #r-photos button, #r-photos-after button"), function (b) {
        b.disabled = on || (b.dataset.act === "resolve" && !(rep && rep.answer));
      });
      $("answer-photos").disabled = on;
    }
    function dd(id, text) { $(id).textContent = text === undefined || text === null || text === "" ? "—" : text; }
    function photoHash(p) { return p.hash || String(p.url || "").split("?")[0].split("/").pop(); }
    function drawPhotos(list, ul, answer) {
      clear(ul);
      list.forEach(function (p, i) {
        var li = el("li");
        if (p.hidden) { li.classList.add("hidden-photo"); }
        var a = el("a");
        a.href = p.url;
        a.target = "_blank";
        a.rel = "noopener";
        a.setAttribute("aria-label", fmt("fb.photo.open", i + 1));
        var img = el("img");
        img.src = p.thumb_url || p.url;
        img.alt = fmt("fb.photo.n", i + 1, code);
        a.appendChild(img);
        li.appendChild(a);
        if (p.hidden) { li.appendChild(el("span", T["fb.photo.hidden"], "fb-hidden-label")); }
        if (can("photo")) {
          var b = el("button", p.hidden ? T["fb.photo.show"] : T["fb.photo.hide"]);
          b.type = "button";
          b.dataset.photo = photoHash(p);
          b.addEventListener("click", function () {
            act(p.hidden ? "show-photo" : "hide-photo", { photo: photoHash(p) }, fmt(p.hidden ? "fb.photo.shown.done" : "fb.photo.hidden.done", i + 1));
          });
          li.appendChild(b);
        }
        ul.appendChild(li);
      });
      if (!list.length && !answer) { ul.appendChild(el("li", T["fb.no.photos"], "muted")); }
    }
    function timelineText(ev) {
      var type = String(ev.type || "").replace(/^report\./, "").replace(/-/g, "_");
      return T["fb.ev." + type] || type;
    }
    function drawTimeline(list) {
      var ol = $("r-timeline");
      clear(ol);
      list.forEach(function (ev) {
        var li = el("li");
        li.appendChild(el("time", when(ev.at)));
        li.appendChild(el("strong", timelineText(ev)));
        var actor = ev.actor || {};
        var who = actor.name || ev.staff_name || ev.staff || (actor.role === "moderator" || actor.role === "handler" ? actor.id : "");
        if (who) { li.appendChild(el("span", fmt("fb.by", who), "fb-who")); }
        if (ev.unit && (ev.type === "report.assign" || ev.type === "report.return")) { li.appendChild(el("span", unitName(ev.unit), "fb-unit")); }
        if (ev.status) { li.appendChild(el("span", statusName(ev.status), "fb-status-small")); }
        if (ev.reason) { li.appendChild(el("p", ev.reason, "fb-note")); }
        if (ev.text) { li.appendChild(el("p", ev.text, "fb-note")); }
        if (ev.duplicate_of) { li.appendChild(el("p", T["fb.duplicate.of"] + " " + ev.duplicate_of, "fb-note")); }
        ol.appendChild(li);
      });
    }
    function draw(timeline) {
      var r = rep;
      root.dataset.status = r.status;
      $("r-body").hidden = false;
      $("r-status").textContent = statusName(r.status);
      $("r-status").className = "fb-status st-" + r.status;
      $("r-overdue").hidden = !r.overdue;
      dd("r-description", r.description);
      dd("r-category", categoryName(r.category));
      dd("r-unit", r.unit ? unitName(r.unit) : "");
      dd("r-created", when(r.created_at));
      dd("r-ack", due(r.ack_due));
      dd("r-resolve", due(r.resolve_due));
      dd("r-channel", T["fb.ch." + r.channel] || r.channel);
      dd("r-metoo", String(r.me_too || 0));
      $("r-reason").hidden = $("r-reason-t").hidden = !r.reason;
      $("r-reason").textContent = r.reason || "";
      $("r-dup").hidden = $("r-dup-t").hidden = !r.duplicate_of;
      if (r.duplicate_of) {
        $("r-dup-link").textContent = r.duplicate_of;
        $("r-dup-link").href = "/staff/reports/" + encodeURIComponent(r.duplicate_of);
      }
      var v = $("r-verdict");
      v.hidden = !r.verdict;
      v.textContent = r.verdict ? (T["fb.verdict." + r.verdict] || r.verdict) : "";
      var photos = r.photos || [];
      drawPhotos(photos.filter(function (p) { return !p.answer; }), $("r-photos"), false);
      var after = photos.filter(function (p) { return p.answer; });
      drawPhotos(after, $("r-photos-after"), true);
      $("r-photos-after-t").hidden = !after.length;
      var place = r.place || {};
      dd("r-address", place.address);
      var hasPoint = typeof place.lat === "number" && typeof place.lon === "number";
      var coords = hasPoint ? place.lat.toFixed(6) + ", " + place.lon.toFixed(6) : "";
      if (hasPoint && place.accuracy) { coords += " (" + fmt("fb.accuracy", Math.round(place.accuracy)) + ")"; }
      dd("r-coords", coords);
      dd("r-ward", place.ward ? unitName(place.ward) : "");
      var ml = $("r-map-link");
      ml.hidden = !hasPoint;
      if (hasPoint) {
        ml.href = "https://www.openstreetmap.org/?mlat=" + place.lat + "&mlon=" + place.lon + "#map=18/" + place.lat + "/" + place.lon;
        ml.rel = "noopener noreferrer";
        ml.target = "_blank";
      }
      if (hasPoint) { drawMap(place.lat, place.lon); }
      var rp = r.reporter || {};
      if (rp.anonymous) {
        dd("r-rep-name", T["fb.anonymous"]);
        dd("r-rep-phone", "");
      } else {
        dd("r-rep-name", rp.name || (r.closed_at ? T["fb.erased"] : ""));
        dd("r-rep-phone", rp.phone);
      }
      // An Open311 client's media_url: an outside link, never fetched nor
      // shown inline; only http(s) (the server checks it too).
      var media = /^https?:\/\//i.test(r.media_url || "") ? r.media_url : "";
      $("r-media").hidden = !media;
      if (media) { $("r-media-link").href = media; } else { $("r-media-link").removeAttribute("href"); }
      dd("r-answer", r.answer || T["fb.no.answer"]);
      drawTimeline(timeline || r.timeline || []);
      drawActions();
    }
    // drawMap shows the place on a small Leaflet map when the build has
    // Leaflet: the tiles of the configuration (none: a plain background),
    // the wards' boundaries, a dot at the point.
    var map = null, dot = null;
    function drawMap(lat, lon) {
      if (!window.L) { return; }
      var box = $("r-map");
      box.hidden = false;
      // The map is an extra beside the coordinates and the link: if it
      // cannot be drawn, the page goes on without it.
      try {
        if (!map) {
          // The view first: layers are placed from it.
          map = L.map(box, { scrollWheelZoom: false, zoomControl: false, attributionControl: !!(config.map && config.map.attribution) });
          map.setView([lat, lon], 17);
          L.control.zoom({ zoomInTitle: T["fb.zoom.in"], zoomOutTitle: T["fb.zoom.out"] }).addTo(map);
          if (map.attributionControl) { map.attributionControl.setPrefix(false); }
          if (config.map && config.map.tile_url) {
            L.tileLayer(config.map.tile_url, { attribution: config.map.attribution || "", maxZoom: 19 }).addTo(map);
          }
          if (config.wards) {
            L.geoJSON(config.wards, { style: { color: "#0b4f8a", weight: 1, fillOpacity: 0.05 }, interactive: false }).addTo(map);
          }
          dot = L.circleMarker([lat, lon], { radius: 8, color: "#c8102e", weight: 3, fillOpacity: 0.6, interactive: false }).addTo(map);
          box.dataset.ready = "1";
          return;
        }
        dot.setLatLng([lat, lon]);
      } catch (e) {
        box.hidden = true;
        if (window.console) { console.warn("the report's map could not be drawn", e); }
      }
    }
    function drawActions() {
      var any = false;
      ["accept", "start"].forEach(function (a) { $("act-" + a).hidden = !can(a); any = any || can(a); });
      $("form-assign").hidden = !can("assign");
      var reasons = ["refuse", "unfounded", "return"].filter(can);
      ["refuse", "unfounded", "return"].forEach(function (a) { $("act-" + a).hidden = !can(a); });
      $("form-reason").hidden = !reasons.length;
      $("form-dup").hidden = !can("duplicate");
      $("form-answer").hidden = !can("answer");
      any = any || can("assign") || reasons.length > 0 || can("duplicate") || can("answer");
      $("no-actions").hidden = any;
      if (can("assign")) {
        var sel = $("assign-unit");
        if (!sel.options.length) {
          var groups = {};
          config.units.forEach(function (u) {
            var k = u.kind || "department";
            if (!groups[k]) {
              groups[k] = el("optgroup");
              groups[k].label = T["fb.kind." + k] || k;
              sel.appendChild(groups[k]);
            }
            var o = el("option", named(u));
            o.value = u.id;
            groups[k].appendChild(o);
          });
        }
        if (rep.unit && !sel.dataset.touched) { sel.value = rep.unit; }
      }
      if (can("answer") && !$("answer-text").dataset.touched) {
        $("answer-text").value = rep.answer || "";
      }
      setBusy(busy);
    }
    var load = function () {
      return get("/api/v1/feedback/reports/" + encodeURIComponent(code)).then(function (j) {
        rep = j.report || j;
        draw(j.timeline || rep.timeline);
        root.dataset.version = String(rep.version || 0);
      });
    };
    var refresh = refresher(load);
    // act sends an action; done is the notice after it.
    function act(action, body, done) {
      if (busy) { return Promise.resolve(false); }
      showError("");
      showNotice("");
      setBusy(true);
      return post("/api/v1/feedback/reports/" + encodeURIComponent(code) + "/" + action, body).then(function (j) {
        if (j && j.report) { rep = j.report; }
        showNotice(done);
        return load().then(function () { return true; });
      }).catch(function (e) {
        if (e.message) { showError(e.message); }
        return false;
      }).then(function (ok) { setBusy(false); return ok; });
    }
    // confirmFirst asks in the modal dialog (confirm.js), "go back"
    // focused: it resolves to true when the member confirms.
    function confirmFirst(text, yes) { return window.luotConfirm(text, yes, "no"); }
    $("act-accept").addEventListener("click", function () { act("accept", {}, T["fb.done.accept"]); });
    $("act-start").addEventListener("click", function () { act("start", {}, T["fb.done.start"]); });
    $("assign-unit").addEventListener("change", function () { this.dataset.touched = "1"; });
    $("form-assign").addEventListener("submit", function (ev) {
      ev.preventDefault();
      var u = $("assign-unit").value;
      if (!u || busy) { return; }
      act("assign", { unit: u }, fmt("fb.done.assign", unitName(u))).then(function (ok) {
        if (ok) { delete $("assign-unit").dataset.touched; }
      });
    });
    ["refuse", "unfounded", "return"].forEach(function (a) {
      $("act-" + a).addEventListener("click", function () {
        var reason = $("reason").value.trim();
        if (!reason) { showError(T["fb.need.reason"]); $("reason").focus(); return; }
        if (busy) { return; }
        var go = function () {
          act(a, { reason: reason }, T["fb.done." + a]).then(function (ok) { if (ok) { $("reason").value = ""; } });
        };
        if (a === "return") { go(); return; }
        confirmFirst(fmt("fb.confirm." + a, code), T["fb.act." + a]).then(function (yes) { if (yes) { go(); } });
      });
    });
    $("form-dup").addEventListener("submit", function (ev) {
      ev.preventDefault();
      var of = $("dup-code").value.trim().toUpperCase();
      if (!/^PA-\d{4}-\d{5,}$/.test(of)) { showError(T["fb.need.dup"]); $("dup-code").focus(); return; }
      if (busy) { return; }
      confirmFirst(fmt("fb.confirm.duplicate", code, of), T["fb.act.duplicate"]).then(function (yes) {
        if (yes) { act("duplicate", { duplicate_of: of }, T["fb.done.duplicate"]); }
      });
    });
    $("template").addEventListener("change", function () {
      var t = find(templates, this.value);
      if (!t) { return; }
      $("answer-text").value = lang === "en" && t.text_en ? t.text_en : t.text;
      $("answer-text").dataset.touched = "1";
    });
    $("answer-text").addEventListener("input", function () { this.dataset.touched = "1"; });
    function drawAnswerPhotos() {
      var ul = $("answer-photo-list");
      clear(ul);
      answerPhotos.forEach(function (p, i) {
        var li = el("li"), img = el("img");
        img.src = p.thumb_url || p.url;
        img.alt = fmt("fb.photo.n", i + 1, code);
        li.appendChild(img);
        var b = el("button", fmt("fb.photo.remove", i + 1));
        b.type = "button";
        b.addEventListener("click", function () { answerPhotos.splice(i, 1); drawAnswerPhotos(); });
        li.appendChild(b);
        ul.appendChild(li);
      });
    }
    $("answer-photos").addEventListener("change", function () {
      var files = Array.prototype.slice.call(this.files || []);
      var input = this;
      if (!files.length || busy) { return; }
      var fd = new FormData();
      files.forEach(function (f) { fd.append("photo", f, f.name); });
      showError("");
      showNotice(T["fb.uploading"]);
      setBusy(true);
      post("/api/v1/feedback/photos", fd).then(function (j) {
        var got = (j && j.photos) || [];
        answerPhotos = answerPhotos.concat(got);
        drawAnswerPhotos();
        showNotice(fmt("fb.uploaded", got.length));
        root.dataset.uploaded = String(answerPhotos.length);
      }).catch(function (e) {
        showNotice("");
        if (e.message) { showError(e.message); }
      }).then(function () { input.value = ""; setBusy(false); });
    });
    $("form-answer").addEventListener("submit", function (ev) {
      ev.preventDefault();
      var text = $("answer-text").value.trim();
      if (!text) { showError(T["fb.need.text"]); $("answer-text").focus(); return; }
      var hashes = answerPhotos.map(function (p) { return p.hash; });
      act("answer", { text: text, photos: hashes }, T["fb.done.answer"]).then(function (ok) {
        if (ok) {
          answerPhotos = [];
          drawAnswerPhotos();
          delete $("answer-text").dataset.touched;
        }
      });
    });
    $("act-resolve").addEventListener("click", function () {
      if (!rep || !rep.answer) { showError(T["fb.need.answer"]); return; }
      act("resolve", {}, T["fb.done.resolve"]);
    });
    loadConfig.catch(function (e) { showError(e.message); }).then(function () {
      get("/api/v1/feedback/templates").then(function (j) {
        templates = Array.isArray(j) ? j : (j && j.templates) || [];
        templates.forEach(function (t) {
          // A template has its title in Vietnamese only: an English page
          // names it by the start of its English text.
          var label = t.title;
          if (lang === "en" && (t.title_en || t.text_en)) {
            label = t.title_en || (t.text_en.length > 60 ? t.text_en.slice(0, 57) + "…" : t.text_en);
          }
          var o = el("option", label);
          o.value = t.id;
          $("template").appendChild(o);
        });
      }).catch(function () { /* answers can be written without templates */ });
      setConn(false);
      connect(function (ev) {
        if (!eventCode(ev) || eventCode(ev) === code) { refresh(); }
      }, refresh);
    });
  }

  if (page === "inbox") { inbox(); } else { report(); }
})();
