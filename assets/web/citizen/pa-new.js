// The report form: a category, photos (made into JPEGs of at most 2,048
// px on their long side in the browser, upright by their EXIF), the place
// (the phone's location with a pin to move on the map, or an address), a
// description, anonymous or a name and phone; open reports of the same
// category nearby, with "me too", before sending; then the code and link.
"use strict";

document.addEventListener("DOMContentLoaded", async () => {
  const { t, $ } = Luot;
  const MAX_SIDE = 2048;
  let cfg = null;
  let limits = { max_photos: 5, max_photo_bytes: 10 << 20, max_description: 4000 };
  let chosen = null;
  let point = null; // {lat, lon, accuracy}
  let lmap = null;
  let pin = null;
  let idemKey = "";
  const photos = []; // {blob, thumb, w, h}

  // ---- categories ----
  function renderCategories() {
    const ul = $("#categories");
    ul.textContent = "";
    for (const c of cfg.categories || []) {
      const li = document.createElement("li");
      const b = PA.el("button", "choice");
      b.type = "button";
      b.dataset.category = c.id;
      b.setAttribute("aria-pressed", String(chosen === c.id));
      b.append(document.createTextNode(PA.category(cfg, c.id)));
      const hint = Luot.lang() === "en" ? c.hint_en : c.hint;
      if (hint) b.append(PA.el("small", "", hint));
      b.addEventListener("click", () => {
        chosen = c.id;
        idemKey = "";
        ul.querySelectorAll("button").forEach((x) => x.setAttribute("aria-pressed", String(x === b)));
        showError(null);
        refreshNearby();
      });
      li.append(b);
      ul.append(li);
    }
  }

  // ---- photos ----
  function photoHint() {
    $("#photo-hint").textContent = t("Tối đa " + limits.max_photos + " ảnh. Ảnh được thu nhỏ trên điện thoại trước khi gửi.",
      "Up to " + limits.max_photos + " photos. They are made smaller on the phone before sending.");
  }

  // decode reads a picture the way this browser can: createImageBitmap
  // turned upright by its EXIF; else an <img> (Safari shows HEIC there),
  // which browsers also turn upright.
  async function decode(file) {
    if (window.createImageBitmap) {
      try {
        return await createImageBitmap(file, { imageOrientation: "from-image" });
      } catch (e) { /* try an <img> */ }
    }
    const url = await new Promise((resolve, reject) => {
      const r = new FileReader();
      r.onload = () => resolve(r.result);
      r.onerror = () => reject(r.error);
      r.readAsDataURL(file);
    });
    const img = new Image();
    img.src = url;
    await img.decode();
    return img;
  }

  const toBlob = (canvas, q) => new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("toBlob"))), "image/jpeg", q));

  // prepare makes a JPEG of at most MAX_SIDE px on its long side, within
  // the server's size limit, and a thumbnail to show.
  async function prepare(file) {
    const src = await decode(file);
    const w0 = src.naturalWidth || src.width;
    const h0 = src.naturalHeight || src.height;
    if (!w0 || !h0) throw new Error("empty");
    const s = Math.min(1, MAX_SIDE / Math.max(w0, h0));
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(w0 * s));
    canvas.height = Math.max(1, Math.round(h0 * s));
    canvas.getContext("2d").drawImage(src, 0, 0, canvas.width, canvas.height);
    let q = 0.85;
    let blob = await toBlob(canvas, q);
    while (blob.size > limits.max_photo_bytes && q > 0.35) {
      q -= 0.15;
      blob = await toBlob(canvas, q);
    }
    const ts = Math.min(1, 240 / Math.max(canvas.width, canvas.height));
    const tc = document.createElement("canvas");
    tc.width = Math.max(1, Math.round(canvas.width * ts));
    tc.height = Math.max(1, Math.round(canvas.height * ts));
    tc.getContext("2d").drawImage(canvas, 0, 0, tc.width, tc.height);
    if (src.close) src.close();
    return { blob, thumb: tc.toDataURL("image/jpeg", 0.7), w: canvas.width, h: canvas.height };
  }

  async function addFiles(input) {
    const files = [...input.files];
    input.value = "";
    Luot.showError($("#photo-error"), null);
    const problems = [];
    for (const f of files) {
      if (photos.length >= limits.max_photos) {
        problems.push(t("Chỉ gửi được tối đa " + limits.max_photos + " ảnh: bỏ bớt ảnh rồi chọn lại.",
          "At most " + limits.max_photos + " photos can be sent: remove one before adding another."));
        break;
      }
      $("#photo-busy").hidden = false;
      try {
        photos.push(await prepare(f));
      } catch (e) {
        problems.push(t("Trình duyệt không đọc được ảnh “" + f.name + "”. Hãy chụp lại, hoặc chọn ảnh JPEG hay PNG; ảnh này không được gửi.",
          "This browser cannot read the picture “" + f.name + "”. Take it again, or choose a JPEG or PNG picture; this one is not sent."));
      } finally {
        $("#photo-busy").hidden = true;
      }
    }
    if (problems.length) Luot.showError($("#photo-error"), new Error(problems.join(" ")));
    renderThumbs();
  }

  function renderThumbs() {
    idemKey = "";
    const ul = $("#thumbs");
    ul.textContent = "";
    photos.forEach((p, i) => {
      const li = document.createElement("li");
      li.dataset.w = p.w;
      li.dataset.h = p.h;
      li.dataset.bytes = p.blob.size;
      const img = PA.el("img");
      img.src = p.thumb;
      img.alt = t("Ảnh " + (i + 1), "Photo " + (i + 1));
      const b = PA.el("button", "", t("Xóa ảnh " + (i + 1), "Remove photo " + (i + 1)));
      b.type = "button";
      b.addEventListener("click", () => {
        photos.splice(i, 1);
        renderThumbs();
        Luot.showError($("#photo-error"), null);
      });
      li.append(img, b);
      ul.append(li);
    });
    const full = photos.length >= limits.max_photos;
    $("#camera").disabled = full;
    $("#gallery").disabled = full;
  }
  $("#camera").addEventListener("change", (ev) => addFiles(ev.target));
  $("#gallery").addEventListener("change", (ev) => addFiles(ev.target));

  // ---- place ----
  let locateMsg = null;
  function locateStatus(vi, en) {
    locateMsg = vi === null ? null : [vi, en];
    const p = $("#locate-status");
    p.hidden = !locateMsg;
    p.textContent = locateMsg ? t(locateMsg[0], locateMsg[1]) : "";
  }
  const pinTitle = () => t("Vị trí phản ánh: kéo để chỉnh", "The report's place: drag to adjust");

  function setPoint(lat, lon, accuracy) {
    point = { lat, lon, accuracy: accuracy || 0 };
    idemKey = "";
    refreshNearby();
  }

  function showPin() {
    if (!lmap) {
      lmap = PA.map($("#map"), $("#no-map"), cfg);
      if (!lmap) return;
      $("#map").hidden = false;
      lmap.invalidateSize();
      lmap.on("click", (e) => {
        pin.setLatLng(e.latlng);
        setPoint(e.latlng.lat, e.latlng.lng, 0);
      });
    }
    $("#pin-hint").hidden = false;
    const ll = [point.lat, point.lon];
    if (!pin) {
      pin = L.marker(ll, { draggable: true, autoPan: true, icon: PA.dot("pin", 26), title: pinTitle() }).addTo(lmap);
      pin.on("dragend", () => {
        const p = pin.getLatLng();
        setPoint(p.lat, p.lng, 0);
      });
    } else {
      pin.setLatLng(ll);
    }
    lmap.setView(ll, 17);
  }

  $("#locate").addEventListener("click", () => {
    if (!navigator.geolocation) {
      locateStatus("Điện thoại này không cho biết vị trí: hãy ghi địa chỉ hoặc mô tả vị trí.", "This phone does not tell its location: write the address or describe the place.");
      $("#address").focus();
      return;
    }
    locateStatus("Đang lấy vị trí…", "Finding your location…");
    navigator.geolocation.getCurrentPosition((pos) => {
      const c = pos.coords;
      setPoint(c.latitude, c.longitude, c.accuracy);
      const m = Math.round(c.accuracy || 0);
      locateStatus("Đã lấy vị trí (sai số khoảng " + m + " m).", "Location found (within about " + m + " m).");
      showPin();
    }, (err) => {
      if (err.code === 1) {
        locateStatus("Bạn chưa cho phép lấy vị trí: hãy ghi địa chỉ hoặc mô tả vị trí bên dưới.", "Location is not allowed: write the address or describe the place below.");
      } else {
        locateStatus("Không lấy được vị trí của điện thoại: hãy ghi địa chỉ hoặc mô tả vị trí bên dưới.", "The phone's location could not be found: write the address or describe the place below.");
      }
      $("#address").focus();
    }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
  });

  // ---- description ----
  function counter() {
    const n = [...$("#description").value].length;
    $("#desc-count").textContent = n + " / " + limits.max_description + t(" ký tự", " characters");
    $("#desc-count").classList.toggle("status-bad", n > limits.max_description);
  }
  $("#description").addEventListener("input", counter);

  // ---- anonymous ----
  function anonymous() {
    const on = $("#anonymous").checked;
    $("#contact").hidden = on;
    $("#anon-note").hidden = !on;
  }
  $("#anonymous").addEventListener("change", anonymous);

  // ---- nearby open reports ("me too") ----
  let nearbySeq = 0;
  let nearbyTimer = null;
  let nearbyReports = [];
  const meToo = {}; // code → count after this phone's "me too"
  function refreshNearby() {
    clearTimeout(nearbyTimer);
    nearbyTimer = setTimeout(loadNearby, 300);
  }
  async function loadNearby() {
    if (!chosen || !point) {
      nearbyReports = [];
      renderNearby();
      return;
    }
    const seq = ++nearbySeq;
    const q = new URLSearchParams({ category: chosen, near: point.lat.toFixed(6) + "," + point.lon.toFixed(6), radius: "200", open: "1", limit: "5" });
    try {
      const r = await Luot.api("GET", "/offices/" + encodeURIComponent(PA.office) + "/reports?" + q);
      if (seq !== nearbySeq) return;
      nearbyReports = r.reports || [];
    } catch (e) {
      if (seq !== nearbySeq) return;
      nearbyReports = []; // a suggestion only: the report can be sent anyway
    }
    renderNearby();
  }
  function renderNearby() {
    const ul = $("#nearby-list");
    ul.textContent = "";
    for (const r of nearbyReports) {
      const li = document.createElement("li");
      li.dataset.code = r.code;
      const ph = (r.photos || [])[0];
      if (ph) {
        const img = PA.el("img");
        img.src = ph.thumb_url;
        img.alt = t("Ảnh của phản ánh ", "Photo of report ") + r.code;
        li.append(img);
      }
      const what = PA.el("div", "what");
      const a = PA.el("a", "", r.code);
      a.href = "/pa/" + encodeURIComponent(r.code);
      what.append(a, PA.el("p", "", PA.status(r.status) + " · " + PA.day(r.created_at)));
      what.append(PA.el("p", "description", String(r.description || "").slice(0, 160)));
      const n = meToo[r.code];
      if (n !== undefined) {
        what.append(PA.el("p", "done", t("Đã ghi nhận: " + n + " người cùng gặp vấn đề này.", "Noted: " + n + " people have this problem.")));
      } else {
        const b = PA.el("button", "secondary", t("Tôi cũng gặp vấn đề này", "I have this problem too"));
        b.type = "button";
        b.dataset.meToo = r.code;
        b.addEventListener("click", () => sayMeToo(r.code, b));
        what.append(b);
      }
      li.append(what);
      ul.append(li);
    }
    $("#nearby").hidden = nearbyReports.length === 0;
  }
  async function sayMeToo(code, b) {
    b.disabled = true;
    try {
      const r = await Luot.api("POST", "/reports/" + encodeURIComponent(code) + "/me-too", {});
      meToo[code] = r.me_too;
      renderNearby();
    } catch (e) {
      b.disabled = false;
      showError(e);
    }
  }

  // ---- sending ----
  let errMsg = null;
  function showError(e) {
    errMsg = e;
    Luot.showError($("#error"), e);
  }
  const problem = (vi, en) => {
    const e = new Error(t(vi, en));
    e.local = [vi, en];
    return e;
  };

  function newKey() {
    const b = new Uint8Array(16);
    crypto.getRandomValues(b);
    return [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  }

  $("#form").addEventListener("input", () => { idemKey = ""; });
  $("#form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    showError(null);
    const address = $("#address").value.trim();
    const description = $("#description").value.trim();
    if (!chosen) {
      showError(problem("Hãy chọn loại vấn đề (bước 1).", "Choose what the problem is (step 1)."));
      $("#categories button").focus();
      return;
    }
    if (!point && !address) {
      showError(problem("Hãy cho biết vấn đề ở đâu: dùng vị trí hiện tại, hoặc ghi địa chỉ (bước 3).", "Say where the problem is: use your location, or write the address (step 3)."));
      $("#address").focus();
      return;
    }
    if (!description) {
      showError(problem("Hãy mô tả vấn đề (bước 4).", "Describe the problem (step 4)."));
      $("#description").focus();
      return;
    }
    const fd = new FormData();
    fd.append("category", chosen);
    fd.append("description", description);
    if (point) {
      fd.append("lat", point.lat.toFixed(7));
      fd.append("lon", point.lon.toFixed(7));
      if (point.accuracy) fd.append("accuracy", String(Math.round(point.accuracy)));
    }
    if (address) fd.append("address", address);
    if ($("#anonymous").checked) {
      fd.append("anonymous", "1");
    } else {
      fd.append("name", $("#name").value.trim());
      fd.append("phone", $("#phone").value.trim());
    }
    photos.forEach((p, i) => fd.append("photo", p.blob, "photo-" + (i + 1) + ".jpg"));
    // The same key while the form is unchanged: sending again after a
    // lost answer gives the report already made, not a second one.
    if (!idemKey) idemKey = newKey();
    $("#submit").disabled = true;
    try {
      const r = await send("/offices/" + encodeURIComponent(PA.office) + "/reports", fd, idemKey);
      done(r);
    } catch (e) {
      showError(e);
      if (e.status && e.status < 500) idemKey = "";
    } finally {
      $("#submit").disabled = false;
    }
  });

  // send posts a form as multipart, in the page's language; errors are
  // the server's message, as Luot.api gives them.
  async function send(path, fd, key) {
    let res;
    try {
      res = await fetch("/api/v1" + path, { method: "POST", body: fd, headers: { "Accept-Language": Luot.lang(), "Idempotency-Key": key } });
    } catch (e) {
      throw problem("Không kết nối được máy chủ: kiểm tra mạng rồi bấm gửi lại (phản ánh không bị gửi hai lần).",
        "Cannot reach the server: check the network and press send again (the report will not be sent twice).");
    }
    const data = await res.json().catch(() => null);
    if (!res.ok) {
      const e = (data && data.error) || {};
      const m = typeof e.message === "string" && e.message ? e.message
        : t("Máy chủ không nhận được phản ánh (lỗi " + res.status + "). Vui lòng thử lại.", "The server could not take the report (error " + res.status + "). Please try again.");
      const err = new Error(m.charAt(0).toUpperCase() + m.slice(1));
      err.code = e.code;
      err.status = res.status;
      throw err;
    }
    return data;
  }

  function done(r) {
    const rep = r.report;
    // A repeated request (same Idempotency-Key) is answered without the
    // token: the link is then the public page.
    const url = r.report_url || "/pa/" + encodeURIComponent(rep.code) + (r.token ? "?k=" + encodeURIComponent(r.token) : "");
    const c = (cfg.categories || []).find((x) => x.id === rep.category) || {};
    PA.remember({ code: rep.code, category_name: c.name, category_name_en: c.name_en }, url);
    $("#done-code").textContent = rep.code;
    $("#done-link").textContent = new URL(url, location.href).href;
    $("#done-open").href = url;
    $("#done-nolink").hidden = !!(r.report_url || r.token);
    $("#form").hidden = true;
    $("#done").hidden = false;
    window.scrollTo(0, 0);
  }

  document.addEventListener("luot:lang", () => {
    if (!cfg) return;
    renderCategories();
    photoHint();
    renderThumbs();
    renderNearby();
    counter();
    if (locateMsg) locateStatus(locateMsg[0], locateMsg[1]);
    if (errMsg && errMsg.local) showError(problem(errMsg.local[0], errMsg.local[1]));
    if (pin && pin.getElement()) pin.getElement().title = pinTitle();
  });

  anonymous();
  try {
    cfg = await PA.config();
    limits = Object.assign(limits, cfg.limits || {});
    $("#description").maxLength = limits.max_description;
    renderCategories();
    photoHint();
    counter();
  } catch (e) {
    Luot.showError($("#load-error"), e);
    $("#form").hidden = true;
  }
});
