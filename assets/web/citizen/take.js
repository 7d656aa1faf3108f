// Take a same-day number online: service → name and phone → number,
// tracking link and QR. The start page also lists what this phone took
// today (and its coming appointments), says what to do when the link is
// lost, and, while the office is closed, its hours with booking first.
"use strict";

document.addEventListener("DOMContentLoaded", async () => {
  const { t, api, showError, $, serviceName, officeID } = Luot;
  const office = officeID();
  let info = null;
  document.querySelectorAll(".book-link").forEach((a) => { a.href = "/o/" + encodeURIComponent(office) + "/book"; });
  Luot.showMine("numbers", $("#mine"));
  Luot.showMine("bookings", $("#mine-bookings"));
  // The look-up of dossiers is offered where the office follows them.
  fetch("/api/v1/offices/" + encodeURIComponent(office) + "/dossier-catalogue", { credentials: "omit" })
    .then((r) => { $("#hs-card").hidden = !r.ok; }, () => {});

  function render() {
    if (!info) return;
    $("#office").textContent = Luot.officeName(info);
    document.title = t("Lấy số trực tuyến", "Take a number online") + " — " + Luot.officeName(info);
    const closed = !info.open_now;
    $("#closed").hidden = !closed;
    // Closed: booking is what can be done now, so it comes first.
    $("#book-card").hidden = closed;
    const hours = $("#hours");
    hours.textContent = "";
    for (const line of Luot.hoursLines(info.hours)) {
      const li = document.createElement("li");
      li.textContent = line;
      hours.append(li);
    }
    $("#sms").hidden = !info.link_by_sms;
    const ul = $("#services");
    ul.textContent = "";
    for (const s of info.services) {
      if (!s.active || !s.served) continue;
      const li = document.createElement("li");
      const b = document.createElement("button");
      b.type = "button";
      b.className = "choice";
      b.dataset.service = s.id;
      b.textContent = serviceName(s);
      b.disabled = closed;
      b.addEventListener("click", () => choose(s));
      li.append(b);
      ul.append(li);
    }
    if (chosen) $("#chosen").textContent = serviceName(chosen);
  }

  let chosen = null;
  function choose(s) {
    chosen = s;
    $("#chosen").textContent = serviceName(s);
    $("#step-service").hidden = true;
    $("#step-person").hidden = false;
    $("#name").focus();
  }

  let shown = null;
  function renderResult() {
    if (!shown) return;
    $("#result-service").textContent = serviceName({ name: shown.service_name, name_en: shown.service_name_en });
    $("#eta").textContent = Luot.etaText(shown);
  }
  document.addEventListener("luot:lang", () => { render(); renderResult(); });

  try {
    info = await api("GET", "/offices/" + encodeURIComponent(office));
    render();
  } catch (e) {
    showError($("#load-error"), e);
  }

  $("#back").addEventListener("click", () => {
    $("#step-person").hidden = true;
    $("#step-service").hidden = false;
  });

  $("#step-person").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    showError($("#error"), null);
    $("#dup").hidden = true;
    $("#take").disabled = true;
    try {
      const r = await api("POST", "/offices/" + encodeURIComponent(office) + "/remote-tickets", {
        service: chosen.id, name: $("#name").value, phone: $("#phone").value,
      });
      const tk = r.ticket;
      const token = new URL(tk.track_url, location.href).searchParams.get("token");
      shown = tk;
      $("#number").textContent = tk.number;
      $("#ahead").textContent = tk.ahead;
      renderResult();
      $("#qr").src = "/qr/t/" + encodeURIComponent(tk.id) + ".png?token=" + encodeURIComponent(token);
      $("#track").href = "/t/" + encodeURIComponent(tk.id) + "?token=" + encodeURIComponent(token);
      Luot.remember("numbers", { id: tk.id, url: $("#track").getAttribute("href"), day: Luot.today(),
        number: tk.number, name: tk.service_name, name_en: tk.service_name_en });
      Luot.showMine("numbers", $("#mine"));
      $("#step-person").hidden = true;
      $("#result").hidden = false;
    } catch (e) {
      showError($("#error"), e);
      if (e.code === "already_has_number") {
        // The number is this phone's if it kept it: lead there; if not,
        // to what to do without the link.
        const kept = Luot.showMine("numbers", $("#mine")) > 0;
        $("#dup-link").href = kept ? "#mine" : "#lost";
        $("#dup-link").dataset.vi = kept ? "Xem số của bạn hôm nay" : "Mất đường liên kết? Xem cách lấy lại";
        $("#dup-link").dataset.en = kept ? "See your number today" : "Lost the link? See what to do";
        $("#dup-link").textContent = t($("#dup-link").dataset.vi, $("#dup-link").dataset.en);
        $("#dup").hidden = false;
      }
    } finally {
      $("#take").disabled = false;
    }
  });

  // "Send my link again": the server answers the same whatever the phone
  // has (it tells no one whether a phone took a number), so the page says
  // what will happen if it did.
  $("#sms").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    showError($("#sms-error"), null);
    $("#sms-done").hidden = true;
    const phone = $("#sms-phone").value.trim();
    if (!phone) {
      $("#sms-phone").setAttribute("aria-invalid", "true");
      showError($("#sms-error"), new Error(t("Hãy nhập số điện thoại bạn đã khai.", "Type the phone number you gave.")));
      return;
    }
    $("#sms-send").disabled = true;
    try {
      await api("POST", "/offices/" + encodeURIComponent(office) + "/link-again", { phone, lang: Luot.lang() });
      $("#sms-phone").removeAttribute("aria-invalid");
      const done = $("#sms-done");
      done.dataset.vi = "Nếu số điện thoại này có số thứ tự hôm nay hoặc lịch hẹn, bạn sẽ nhận SMS trong ít phút.";
      done.dataset.en = "If this phone number has a number today or an appointment, an SMS will arrive within minutes.";
      done.textContent = t(done.dataset.vi, done.dataset.en);
      done.hidden = false;
    } catch (e) {
      showError($("#sms-error"), e);
    } finally {
      $("#sms-send").disabled = false;
    }
  });
});
