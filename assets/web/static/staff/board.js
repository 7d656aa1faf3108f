// Lượt — web board for smart TVs. Follows the office's event stream:
// the first message is a snapshot (or, on resume with ?since=, the events
// missed); the snapshot's latest call goes on the big line, unannounced.
// Each call (or recall) then gets its moment, as on the Fyne display: the
// calls queue, and each has the big line to itself, blinking for a few
// seconds and until its announcement has been said, then a short gap
// before the next. The announcement is the display's own sentence (the
// server composes it from display/announce) played from the display's
// voice clips with Web Audio, once the browser allows sound. Any change
// re-reads the snapshot for counters, recent calls and waiting counts. A
// gap in seq, or a dropped connection, reconnects with since = the last
// seq handled.
"use strict";
(function () {
  var $ = function (id) { return document.getElementById(id); };
  var root = $("board");
  var office = root.dataset.office;
  var lang = root.dataset.lang === "en" ? "en" : "vi";
  var BLINK = Number(root.dataset.blinkMs) || 0, EVERY = Number(root.dataset.blinkEveryMs) || 1000, GAP = Number(root.dataset.gapMs) || 0;
  var lastSeq = -1, backoff = 500, ws = null, names = {}, fetching = false, again = false;
  function param(name) {
    var m = new RegExp("[?&]" + name + "=([^&]*)").exec(location.search);
    return m ? decodeURIComponent(m[1]) : "";
  }

  // Time. The pacing of calls runs on later(); with ?clock=manual (the
  // browser tests) its timers fire only when luotBoard.advance(ms) moves
  // the board's clock, so a test drives the moments step by step.
  var manual = param("clock") === "manual";
  var fakeNow = 0, timers = [], timerSeq = 0;
  function later(fn, ms) {
    if (!manual) { return setTimeout(fn, ms); }
    timers.push({ id: ++timerSeq, at: fakeNow + Math.max(0, ms), fn: fn });
    return timerSeq;
  }
  function advance(ms) {
    var end = fakeNow + ms;
    for (;;) {
      var next = null;
      for (var i = 0; i < timers.length; i++) {
        var t = timers[i];
        if (t.at <= end && (!next || t.at < next.at || (t.at === next.at && t.id < next.id))) { next = t; }
      }
      if (!next) { break; }
      timers.splice(timers.indexOf(next), 1);
      fakeNow = next.at;
      next.fn();
    }
    fakeNow = end;
  }

  function clear(el) { while (el.firstChild) { el.removeChild(el.firstChild); } }
  function li(text, cls) {
    var e = document.createElement("li");
    e.textContent = text;
    if (cls) { e.className = cls; }
    return e;
  }
  function loadOffice() {
    return fetch("/api/v1/offices/" + encodeURIComponent(office), { headers: { "Accept-Language": lang } }).then(function (r) { return r.json(); }).then(function (o) {
      names = {};
      (o.services || []).forEach(function (s) { names[s.id] = (lang === "en" && s.name_en) || s.name; });
      $("office-name").textContent = (lang === "en" && o.name_en) || o.name;
      setTicker(o.ticker || "");
    }).catch(function () {});
  }

  // Fitting: the board never scrolls, so a list longer than its panel
  // first gets a smaller type, then loses its last rows (the oldest
  // calls); a ticker wider than the screen runs.
  function fit(list) {
    list.classList.remove("small");
    if (list.scrollHeight <= list.clientHeight + 1) { return; }
    list.classList.add("small");
    while (list.scrollHeight > list.clientHeight + 1 && list.lastChild) { list.removeChild(list.lastChild); }
  }
  function fitAll() {
    ["counters", "recent", "waiting", "ready"].forEach(function (id) { fit($(id)); });
    var box = $("ticker-box"), t = $("ticker");
    t.classList.remove("scrolling");
    if (t.scrollWidth > box.clientWidth) {
      t.style.animationDuration = Math.max(10, t.scrollWidth / 80) + "s";
      t.classList.add("scrolling");
    }
  }
  function setTicker(text) {
    if ($("ticker").textContent !== text) { $("ticker").textContent = text; fitAll(); }
  }

  function showSnapshot(s, first) {
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
      // A long name gives way (ellipsis) to the count, which always shows.
      var e = li(""), n = document.createElement("span"), k = document.createElement("span");
      n.className = "name";
      n.textContent = names[id] || id;
      k.textContent = ": " + s.waiting[id];
      e.appendChild(n); e.appendChild(k);
      w.appendChild(e);
    });
    if (s.ticker !== undefined && s.ticker !== null) { setTicker(s.ticker || ""); }
    fitAll();
    // The stream's snapshot (start or reconnect) puts its latest call on
    // the big line, without a word: it was announced when it was made.
    if (first && !moment && s.recent && s.recent.length) {
      setLatest({ number: s.recent[0].number, counter: s.recent[0].counter_number });
    }
  }
  // The dossiers whose result waits for pickup ("Hồ sơ đã có kết quả"):
  // read at each (re)connection, replaced by each dossiers.ready event.
  // The panel shows only when the office has it on and it lists any.
  var readyOff = false, lastReady = null;
  function showReady(r) {
    lastReady = r;
    var list = (r && r.dossiers) || [], ul = $("ready");
    clear(ul);
    list.forEach(function (d) {
      var e = li(""), c = document.createElement("span");
      c.className = "code";
      c.textContent = d.code;
      e.appendChild(c);
      if (d.name) {
        var n = document.createElement("span");
        n.className = "who";
        n.textContent = d.name;
        e.appendChild(n);
      }
      ul.appendChild(e);
    });
    var hide = readyOff || list.length === 0;
    $("ready-box").hidden = hide;
    $("board-grid").classList.toggle("with-ready", !hide);
    root.dataset.ready = String(hide ? 0 : list.length);
    fitAll();
  }
  function loadReady() {
    return fetch("/api/v1/offices/" + encodeURIComponent(office) + "/dossiers/ready", { headers: { "Accept-Language": lang } }).then(function (r) {
      if (!r.ok) { throw new Error("ready dossiers: " + r.status); }
      return r.json();
    }).then(function (j) {
      readyOff = !!j.off;
      showReady(j);
    }).catch(function () {}); // a server without dossiers: no panel
  }
  function setLatest(c) {
    $("latest-number").textContent = c.number;
    $("latest-counter").textContent = String(c.counter || "");
    root.dataset.latest = c.number;
  }

  // Moments: calls wait in pending; the one on the big line is moment.
  var pending = [], moment = null, shown = [], said = [];
  function enqueue(c) {
    pending.push(c);
    if (!moment) { nextMoment(); }
  }
  function nextMoment() {
    moment = null;
    if (!pending.length) { return; }
    var c = pending.shift(), m = moment = { call: c, blinked: false, said: false, ending: false };
    setLatest(c);
    shown.push(c.number + "→" + c.counter);
    if (shown.length > 200) { shown.shift(); }
    blink();
    later(function () { m.blinked = true; done(m); }, BLINK);
    say(c).then(function () { m.said = true; done(m); });
  }
  function done(m) {
    if (m !== moment || !m.blinked || !m.said || m.ending) { return; }
    m.ending = true;
    later(nextMoment, GAP);
  }
  // blink hides the call in every other EVERY of the first BLINK ms, as
  // the display does: shown, hidden, shown.
  function blink() {
    var el = document.querySelector(".latest-call");
    el.classList.remove("off");
    for (var k = 1; k * EVERY < BLINK; k++) {
      (function (hide) { later(function () { el.classList.toggle("off", hide); }, k * EVERY); })(k % 2 === 1);
    }
    later(function () { el.classList.remove("off"); }, BLINK);
  }

  // Sound. Browsers start Web Audio suspended until a user gesture (unless
  // a kiosk policy allows it): the button shows while it is suspended. The
  // click is remembered, so that after a reload the board tries at once
  // and on any key or touch, and asks again only if sound is still blocked.
  var KEY = "luot.board.sound";
  var AC = window.AudioContext || window.webkitAudioContext;
  var audio = AC ? new AC() : null;
  var buffers = {}, loading = 0;
  function remembered() { try { return localStorage.getItem(KEY) === "on"; } catch (e) { return false; } }
  function soundState() {
    var on = !!audio && audio.state === "running";
    $("sound").hidden = on || !audio;
    root.dataset.sound = on ? "on" : "off";
  }
  function clip(name) {
    if (!buffers[name]) {
      buffers[name] = fetch("/board/voice/" + name + ".wav").then(function (r) {
        if (!r.ok) { throw new Error("clip " + name + ": " + r.status); }
        return r.arrayBuffer();
      }).then(function (b) {
        return new Promise(function (ok, fail) { audio.decodeAudioData(b, ok, fail); });
      });
      buffers[name].catch(function () { delete buffers[name]; });
    }
    return buffers[name];
  }
  // say plays the display's announcement of a call and resolves when it
  // has been said (on the board's clock); at once when there is no sound,
  // the call is too old to be said, or a clip cannot be had.
  function say(c) {
    if (!audio || audio.state !== "running") { return Promise.resolve(); }
    var q = "number=" + encodeURIComponent(c.number) + "&counter=" + c.counter + (c.at ? "&at=" + encodeURIComponent(c.at) : "");
    if (param("reading")) { q += "&reading=" + encodeURIComponent(param("reading")); }
    if (param("southern") === "1") { q += "&southern=1"; }
    // loading counts announcements being fetched and decoded (a test
    // advances the board's clock only when it is zero).
    loading++;
    var sentence, loaded = false;
    function unload() { if (!loaded) { loaded = true; loading--; } }
    return fetch("/board/voice/sentence?" + q).then(function (r) { return r.ok ? r.json() : { say: false }; }).then(function (s) {
      sentence = s;
      if (!s.say) { return []; }
      return Promise.all(s.parts.filter(function (p) { return p.clip; }).map(function (p) { return clip(p.clip); }));
    }).then(function (bufs) {
      unload();
      if (!sentence.say) { return null; }
      var t0 = audio.currentTime + 0.05, t = t0, i = 0, clips = [];
      sentence.parts.forEach(function (p) {
        if (!p.clip) { t += (p.pause_ms || 0) / 1000; return; }
        var src = audio.createBufferSource();
        src.buffer = bufs[i++];
        src.connect(audio.destination);
        src.start(t);
        t += src.buffer.duration;
        clips.push(p.clip);
      });
      said.push({ number: c.number, counter: c.counter, recall: !!c.recall, clips: clips, text: sentence.text });
      if (said.length > 200) { said.shift(); }
      return new Promise(function (ok) { later(ok, Math.ceil((t - audio.currentTime) * 1000)); });
    }).catch(unload); // a call that cannot be said still has its moment
  }
  function unlock() {
    if (!audio) { return Promise.resolve(); }
    return audio.resume().then(soundState);
  }
  if (audio) {
    audio.onstatechange = soundState;
    if (remembered()) { unlock(); }
    ["keydown", "pointerdown"].forEach(function (ev) {
      document.addEventListener(ev, function () { if (remembered() && audio.state !== "running") { unlock(); } });
    });
  }
  $("sound").addEventListener("click", function () {
    try { localStorage.setItem(KEY, "on"); } catch (e) {}
    unlock().then(function () {
      // A chime says the sound works.
      clip("chime").then(function (b) {
        var src = audio.createBufferSource();
        src.buffer = b;
        src.connect(audio.destination);
        src.start();
      }).catch(function () {});
    });
  });
  soundState();

  function refresh() {
    if (fetching) { again = true; return; }
    fetching = true;
    fetch("/api/v1/offices/" + encodeURIComponent(office) + "/state", { headers: { "Accept-Language": lang } }).then(function (r) { return r.json(); })
      .then(function (s) { showSnapshot(s, false); }).catch(function () {}).then(function () {
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
        root.dataset.seq = lastSeq;
        showSnapshot(ev.data, true);
        loadReady();
        return;
      }
      if (lastSeq >= 0 && ev.seq <= lastSeq) { return; }
      if (lastSeq >= 0 && ev.seq !== lastSeq + 1) { ws.close(); return; }
      lastSeq = ev.seq;
      root.dataset.seq = lastSeq;
      // A print job for a counter's station shows nothing here.
      if (ev.type === "print.queued") { return; }
      if (ev.type === "dossiers.ready") { showReady(ev.data); return; }
      if ((ev.type === "ticket.called" || ev.type === "ticket.recalled") && ev.data && ev.data.ticket) {
        var t = ev.data.ticket;
        enqueue({ number: t.number, counter: t.counter_number, at: ev.at || t.called_at, recall: ev.type === "ticket.recalled" });
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
  var locale = lang === "en" ? "en-GB" : "vi-VN";
  function clock() {
    var d = new Date(), tz = root.dataset.tz || undefined;
    try {
      $("clock").textContent = d.toLocaleTimeString(locale, { timeZone: tz, hour12: false }) + "  " + d.toLocaleDateString(locale, { timeZone: tz });
    } catch (e) {
      $("clock").textContent = d.toLocaleTimeString() + "  " + d.toLocaleDateString();
    }
  }
  // What the board did, for the browser tests and a technician's console:
  // the calls given the big line and the announcements started, in order.
  window.luotBoard = {
    shown: shown,
    said: said,
    pending: function () { return pending.length + (moment ? 1 : 0); },
    busy: function () { return loading > 0; },
    advance: manual ? advance : undefined
  };
  // A new size lays the lists out again from the snapshot (fit may have
  // trimmed rows that now have room).
  window.addEventListener("resize", function () {
    refresh();
    if (lastReady) { showReady(lastReady); }
  });
  clock();
  setInterval(clock, 1000);
  loadOffice().then(connect);
})();
