// Cancel a booking with its manage link: /cancel?code=…&token=…, from the
// confirmation page. The form shows the booking it cancels (read with the
// token) and its code, filled in. Without the token the page only says how
// to get it (the code and the phone number are not enough) and lists the
// bookings kept on this phone.
"use strict";

document.addEventListener("DOMContentLoaded", async () => {
  const { t, api, showError, $ } = Luot;
  const p = new URLSearchParams(location.search);
  const code = (p.get("code") || "").toUpperCase().replace(/[\s.-]/g, "");
  const token = p.get("token") || "";
  Luot.showMine("bookings", $("#mine"));
  if (!code || !token) return;
  $("#need-link").hidden = true;
  $("#mine").hidden = true;
  $("#form").hidden = false;
  $("#code").textContent = code;
  $("#code-field").value = code;
  let b = null;
  let done = null;

  function render() {
    if (b) {
      $("#office").textContent = Luot.officeName(b);
      $("#details").textContent = Luot.serviceName({ name: b.service_name, name_en: b.service_name_en }) + " · " + b.slot + ", " + Luot.dateText(b.date);
      $("#back").href = b.office ? "/o/" + encodeURIComponent(b.office) + "/book" : "/";
    }
    if (done) {
      $("#ok-text").textContent = t("Đã hủy lịch hẹn " + done.code + " (" + done.slot + ", " + Luot.dateText(done.date) + ").",
        "Appointment " + done.code + " (" + done.slot + ", " + Luot.dateText(done.date) + ") is cancelled.");
    }
  }
  document.addEventListener("luot:lang", render);

  try {
    b = (await api("GET", "/bookings/" + encodeURIComponent(code) + "?token=" + encodeURIComponent(token))).booking;
    render();
    if (b.status !== "booked") {
      // Nothing to cancel: say what the booking is, in the server's words.
      $("#submit").hidden = true;
      $("#code-field").disabled = true;
      showError($("#error"), new Error(b.status === "cancelled" ? t("Lịch hẹn này đã được hủy.", "This appointment is already cancelled.")
        : t("Lịch hẹn này không còn hủy được (đã nhận số hoặc đã qua).", "This appointment can no longer be cancelled (checked in or past).")));
      if (b.status === "cancelled") Luot.forget("bookings", code);
    }
  } catch (e) {
    showError($("#error"), e);
  }

  $("#form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    showError($("#error"), null);
    $("#submit").disabled = true;
    try {
      const r = await api("DELETE", "/bookings/" + encodeURIComponent(code), { token });
      Luot.forget("bookings", code);
      done = r.booking;
      b = b || r.booking;
      $("#form").hidden = true;
      $("#ok").hidden = false;
      render();
    } catch (e) {
      showError($("#error"), e);
    } finally {
      $("#submit").disabled = false;
    }
  });
});
