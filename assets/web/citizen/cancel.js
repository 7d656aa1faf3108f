// Cancel a booking with its code and the phone it was made with.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const { t, api, showError, $ } = Luot;
  $("#form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    showError($("#error"), null);
    const code = $("#code").value.toUpperCase().replace(/[\s.-]/g, "");
    try {
      const r = await api("DELETE", "/bookings/" + encodeURIComponent(code), { phone: $("#phone").value });
      $("#form").hidden = true;
      $("#ok").hidden = false;
      $("#ok").textContent = t("Đã hủy lịch hẹn " + r.booking.code + " (" + r.booking.slot + ", " + r.booking.date + ").",
        "Appointment " + r.booking.code + " (" + r.booking.slot + ", " + r.booking.date + ") is cancelled.");
    } catch (e) {
      showError($("#error"), e);
    }
  });
});
