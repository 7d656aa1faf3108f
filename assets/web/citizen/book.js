// Book an appointment: service → date (within the horizon, open days
// only) → free slot → name and phone → the confirmation page. A service's
// dates and free slots come in one request (booking-slots); choosing
// another date asks nothing more.
"use strict";

document.addEventListener("DOMContentLoaded", async () => {
  const { t, api, showError, $, serviceName, officeID } = Luot;
  const office = encodeURIComponent(officeID());
  let info = null;
  let days = [];
  let slot = "";
  Luot.showMine("bookings", $("#mine"));

  function renderHeader() {
    if (!info) return;
    $("#office").textContent = Luot.officeName(info);
    document.title = t("Đặt lịch hẹn", "Book an appointment") + " — " + Luot.officeName(info);
    for (const o of $("#service").options) o.textContent = serviceName(info.services.find((s) => s.id === o.value));
  }

  function renderDates() {
    const sel = $("#date");
    const keep = sel.value;
    sel.textContent = "";
    for (const d of days) sel.append(new Option(Luot.dateText(d.date, true) + (d.slots.length ? "" : t(" (hết chỗ)", " (full)")), d.date));
    if (keep && days.some((d) => d.date === keep)) sel.value = keep;
  }

  function renderSlots() {
    const box = $("#slots");
    box.textContent = "";
    const day = days.find((d) => d.date === $("#date").value);
    const slots = day ? day.slots : [];
    $("#no-slots").hidden = slots.length > 0;
    for (const s of slots) {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "choice";
      b.dataset.slot = s.slot;
      b.textContent = s.slot;
      b.title = s.free + t(" chỗ trống", " places free");
      b.setAttribute("aria-pressed", s.slot === slot ? "true" : "false");
      b.addEventListener("click", () => {
        slot = s.slot;
        box.querySelectorAll("button").forEach((x) => x.setAttribute("aria-pressed", x === b ? "true" : "false"));
      });
      box.append(b);
    }
  }

  async function loadDays() {
    slot = "";
    days = [];
    renderDates();
    renderSlots();
    try {
      const r = await api("GET", "/offices/" + office + "/booking-slots?service=" + encodeURIComponent($("#service").value));
      days = r.days;
      renderDates();
      renderSlots();
    } catch (e) { showError($("#error"), e); }
  }

  document.addEventListener("luot:lang", () => { renderHeader(); renderDates(); renderSlots(); });

  try {
    info = await api("GET", "/offices/" + office);
    const sel = $("#service");
    for (const s of info.services) {
      if (s.active && s.served && s.bookable) sel.append(new Option(serviceName(s), s.id));
    }
    renderHeader();
    sel.addEventListener("change", loadDays);
    $("#date").addEventListener("change", () => { slot = ""; renderSlots(); });
    if (sel.options.length) await loadDays();
    else showError($("#error"), new Error(t("Cơ quan này chưa nhận đặt lịch hẹn trực tuyến.", "This office does not take appointments online yet.")));
  } catch (e) { showError($("#error"), e); }

  $("#form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    showError($("#error"), null);
    $("#dup").hidden = true;
    if (!slot) { showError($("#error"), new Error(t("Vui lòng chọn giờ hẹn.", "Please choose a time."))); return; }
    $("#submit").disabled = true;
    try {
      const r = await api("POST", "/offices/" + office + "/bookings", {
        service: $("#service").value, date: $("#date").value, slot, name: $("#name").value, phone: $("#phone").value,
      });
      const b = r.booking;
      // The manage link carries the booking's token: the only way to
      // cancel it. The confirmation page is that link (on this server),
      // with what it shows until it has read the booking itself.
      const m = new URL(b.manage_url, location.href);
      const p = new URLSearchParams({ token: m.searchParams.get("token") || "", s: b.service_name, e: b.service_name_en || "", d: b.date, t: b.slot,
        f: b.checkin_from, u: b.checkin_until, o: b.office_name || "", oe: b.office_name_en || "", of: officeID() });
      location.href = "/b/" + encodeURIComponent(b.code) + "?" + p.toString();
    } catch (e) {
      showError($("#error"), e);
      if (e.code === "slot_full") loadDays();
      if (e.code === "already_booked") $("#dup").hidden = Luot.showMine("bookings", $("#mine")) === 0;
    } finally {
      $("#submit").disabled = false;
    }
  });
});
