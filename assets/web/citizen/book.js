// Book an appointment: service → date (within the horizon, open days
// only) → free slot → name and phone → the confirmation page.
"use strict";

document.addEventListener("DOMContentLoaded", async () => {
  const { t, api, showError, $, serviceName, officeID } = Luot;
  const office = encodeURIComponent(officeID());
  let info = null;
  let slot = "";
  Luot.showMine("bookings", $("#mine"));

  const weekday = (d) => {
    const names = Luot.lang() === "en" ? ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] : ["CN", "T2", "T3", "T4", "T5", "T6", "T7"];
    const [y, m, day] = d.split("-").map(Number);
    return names[new Date(Date.UTC(y, m - 1, day)).getUTCDay()] + " " + day + "/" + m + "/" + y;
  };

  async function loadDates() {
    const sel = $("#date");
    sel.textContent = "";
    $("#slots").textContent = "";
    try {
      const r = await api("GET", "/offices/" + office + "/booking-dates?service=" + encodeURIComponent($("#service").value));
      for (const d of r.dates) sel.append(new Option(weekday(d), d));
      await loadSlots();
    } catch (e) { showError($("#error"), e); }
  }

  async function loadSlots() {
    slot = "";
    const box = $("#slots");
    box.textContent = "";
    if (!$("#date").value) { $("#no-slots").hidden = false; return; }
    try {
      const r = await api("GET", "/offices/" + office + "/slots?service=" + encodeURIComponent($("#service").value) + "&date=" + $("#date").value);
      $("#no-slots").hidden = r.slots.length > 0;
      for (const s of r.slots) {
        const b = document.createElement("button");
        b.type = "button";
        b.className = "choice";
        b.dataset.slot = s.slot;
        b.textContent = s.slot;
        b.title = s.free + t(" chỗ trống", " places free");
        b.addEventListener("click", () => {
          slot = s.slot;
          box.querySelectorAll("button").forEach((x) => x.setAttribute("aria-pressed", x === b ? "true" : "false"));
        });
        box.append(b);
      }
    } catch (e) { showError($("#error"), e); }
  }

  try {
    info = await api("GET", "/offices/" + office);
    $("#office").textContent = info.name;
    const sel = $("#service");
    // Only services that take appointments: those whose dates can be listed.
    for (const s of info.services) {
      if (!s.active || !s.served) continue;
      try {
        await api("GET", "/offices/" + office + "/booking-dates?service=" + encodeURIComponent(s.id));
        sel.append(new Option(serviceName(s), s.id));
      } catch (e) { /* not bookable */ }
    }
    sel.addEventListener("change", loadDates);
    $("#date").addEventListener("change", loadSlots);
    await loadDates();
  } catch (e) { showError($("#error"), e); }

  $("#form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    showError($("#error"), null);
    if (!slot) { showError($("#error"), new Error(t("Vui lòng chọn giờ hẹn.", "Please choose a time."))); return; }
    $("#submit").disabled = true;
    try {
      const r = await api("POST", "/offices/" + office + "/bookings", {
        service: $("#service").value, date: $("#date").value, slot, name: $("#name").value, phone: $("#phone").value,
      });
      const b = r.booking;
      // The manage link carries the booking's token: the only way to
      // cancel it. The confirmation page is that link (on this server),
      // with what it shows.
      const m = new URL(b.manage_url, location.href);
      const p = new URLSearchParams({ token: m.searchParams.get("token") || "", s: b.service_name, e: b.service_name_en || "", d: b.date, t: b.slot, f: b.checkin_from, u: b.checkin_until, o: b.office_name || "" });
      location.href = "/b/" + encodeURIComponent(b.code) + "?" + p.toString();
    } catch (e) {
      showError($("#error"), e);
      if (e.code === "slot_full") loadSlots();
    } finally {
      $("#submit").disabled = false;
    }
  });
});
