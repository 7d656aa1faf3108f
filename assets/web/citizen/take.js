// Take a same-day number online: service → name and phone → (the code
// texted to the phone, when the office confirms phones) → number,
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

  // takeNumber asks for the number (with the code when the office
  // confirms phones) and shows it; errors go to errEl.
  async function takeNumber(code, errEl, button) {
    showError(errEl, null);
    $("#dup").hidden = true;
    button.disabled = true;
    try {
      const body = { service: chosen.id, name: $("#name").value, phone: $("#phone").value };
      if (code !== undefined) body.code = code;
      const r = await api("POST", "/offices/" + encodeURIComponent(office) + "/remote-tickets", body);
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
      $("#step-code").hidden = true;
      $("#result").hidden = false;
    } catch (e) {
      showError(errEl, e);
      if (e.code === "already_has_number") {
        // The number is this phone's if it kept it: lead there; if not,
        // to what to do without the link.
        const kept = Luot.showMine("numbers", $("#mine")) > 0;
        $("#dup-link").href = kept ? "#mine" : "#lost";
        $("#dup-link").dataset.vi = kept ? "Xem số của bạn hôm nay" : "Mất đường liên kết? Xem cách lấy lại";
        $("#dup-link").dataset.en = kept ? "See your number today" : "Lost the link? See what to do";
        $("#dup-link").textContent = t($("#dup-link").dataset.vi, $("#dup-link").dataset.en);
        $("#dup").hidden = false;
        // The link is on the name and phone step.
        $("#step-code").hidden = true;
        $("#step-person").hidden = false;
      }
    } finally {
      button.disabled = false;
    }
  }

  // The code step. The server limits the codes (per phone, address and
  // office) and says how long to wait when it refuses (Retry-After): the
  // "send again" button waits that long; otherwise the server's limits
  // are the only ones.
  let masked = "";
  let resendAt = 0;
  let resendTimer = 0;
  function renderCode() {
    const label = $("#code-label");
    label.textContent = t("Nhập mã gồm 6 chữ số đã gửi đến số " + masked, "Enter the 6-digit code sent to " + masked);
    const left = Math.ceil((resendAt - Date.now()) / 1000);
    $("#resend").disabled = left > 0;
    $("#resend").textContent = left > 0
      ? t("Gửi lại mã (sau " + left + " giây)", "Send the code again (in " + left + " s)")
      : t("Gửi lại mã", "Send the code again");
  }
  function waitResend(secs) {
    resendAt = Date.now() + secs * 1000;
    clearInterval(resendTimer);
    resendTimer = setInterval(() => {
      renderCode();
      if (Date.now() >= resendAt) clearInterval(resendTimer);
    }, 1000);
    renderCode();
  }
  document.addEventListener("luot:lang", () => { if (masked) renderCode(); });

  // sendCode asks the server to text a code to the phone; true when sent.
  async function sendCode(errEl, button) {
    showError(errEl, null);
    button.disabled = true;
    try {
      const r = await api("POST", "/offices/" + encodeURIComponent(office) + "/phone-codes", { phone: $("#phone").value });
      masked = r.phone;
      return true;
    } catch (e) {
      showError(errEl, e);
      if (e.retryAfter) waitResend(e.retryAfter);
      return false;
    } finally {
      button.disabled = false;
      if (masked) renderCode();
    }
  }

  $("#step-person").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!info || !info.phone_code) {
      await takeNumber(undefined, $("#error"), $("#take"));
      return;
    }
    $("#dup").hidden = true;
    if (!(await sendCode($("#error"), $("#take")))) return;
    $("#code").value = "";
    $("#code-sent").hidden = true;
    showError($("#code-error"), null);
    renderCode();
    $("#step-person").hidden = true;
    $("#step-code").hidden = false;
    $("#code").focus();
  });

  $("#step-code").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const code = $("#code").value.replace(/\s/g, "");
    $("#code-sent").hidden = true;
    if (!/^[0-9]{6}$/.test(code)) {
      $("#code").setAttribute("aria-invalid", "true");
      showError($("#code-error"), new Error(t("Mã gồm đúng 6 chữ số.", "The code is exactly 6 digits.")));
      return;
    }
    $("#code").removeAttribute("aria-invalid");
    await takeNumber(code, $("#code-error"), $("#code-take"));
  });

  $("#resend").addEventListener("click", async () => {
    $("#code-sent").hidden = true;
    if (await sendCode($("#code-error"), $("#resend"))) {
      const done = $("#code-sent");
      done.dataset.vi = "Đã gửi mã mới. Mã cũ không còn dùng được.";
      done.dataset.en = "A new code was sent. The old one no longer works.";
      done.textContent = t(done.dataset.vi, done.dataset.en);
      done.hidden = false;
      $("#code").value = "";
      $("#code").focus();
    }
  });

  $("#code-back").addEventListener("click", () => {
    $("#step-code").hidden = true;
    $("#step-person").hidden = false;
    $("#phone").focus();
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
