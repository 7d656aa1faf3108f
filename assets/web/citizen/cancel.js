// Cancel a booking with its manage link: /cancel?code=…&token=…, from the
// confirmation page. Without the token the page only says how to get it
// (the code and the phone number are not enough) and lists the bookings
// kept on this phone.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
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
  $("#form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    showError($("#error"), null);
    $("#submit").disabled = true;
    try {
      const r = await api("DELETE", "/bookings/" + encodeURIComponent(code), { token });
      Luot.forget("bookings", code);
      $("#form").hidden = true;
      $("#ok").hidden = false;
      $("#ok").textContent = t("Đã hủy lịch hẹn " + r.booking.code + " (" + r.booking.slot + ", " + r.booking.date + ").",
        "Appointment " + r.booking.code + " (" + r.booking.slot + ", " + r.booking.date + ") is cancelled.");
    } catch (e) {
      showError($("#error"), e);
    } finally {
      $("#submit").disabled = false;
    }
  });
});
