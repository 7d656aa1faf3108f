// A booking's confirmation: code, QR and the slot, printable with the
// office's name. Its link carries the booking's token (?token=), which the
// QR, the cancel link and the status read (GET /bookings/{code}) need.
// The page says "booked" only once the server says so: a cancelled,
// checked-in or past booking says what it is. It keeps itself under
// "Lịch hẹn của bạn" on this phone while it is booked.
"use strict";

document.addEventListener("DOMContentLoaded", async () => {
  const { t, $ } = Luot;
  const code = decodeURIComponent(location.pathname.split("/")[2] || "");
  const p = new URLSearchParams(location.search);
  const token = p.get("token") || "";
  // What the booking page put in the link, until the server answers.
  let b = { code, office_name: p.get("o") || "", office_name_en: p.get("oe") || "", service_name: p.get("s") || "",
    service_name_en: p.get("e") || "", date: p.get("d") || "", slot: p.get("t") || "",
    checkin_from: p.get("f") || "", checkin_until: p.get("u") || "", office: p.get("of") || "" };
  let status = "";
  $("#cancel").href = "/cancel?" + new URLSearchParams({ code, token }).toString();

  const headings = {
    booked: ["Bạn đã đặt lịch thành công", "Your appointment is booked"],
    checked_in: ["Bạn đã nhận số cho lịch hẹn này", "You have checked in with this appointment"],
    cancelled: ["Lịch hẹn này đã bị hủy", "This appointment is cancelled"],
    expired: ["Lịch hẹn này đã hết hạn", "This appointment has expired"],
    no_show: ["Lịch hẹn này đã qua mà bạn không đến", "This appointment has passed without a check-in"],
    unknown: ["Lịch hẹn của bạn", "Your appointment"],
    error: ["Không mở được lịch hẹn này", "This appointment cannot be shown"],
  };

  function render() {
    $("#code").textContent = code;
    const h = headings[status];
    const heading = $("#heading");
    if (h) { heading.dataset.vi = h[0]; heading.dataset.en = h[1]; }
    heading.textContent = t(heading.dataset.vi, heading.dataset.en);
    heading.classList.toggle("status-bad", !!status && status !== "booked" && status !== "unknown");
    const officeName = Luot.officeName(b);
    $("#office").textContent = officeName;
    $("#office-line").textContent = b.office_name ? t("Cơ quan: ", "Office: ") + officeName : "";
    document.title = t("Lịch hẹn", "Appointment") + " " + code + " — " + officeName;
    $("#service").textContent = Luot.serviceName({ name: b.service_name, name_en: b.service_name_en });
    $("#when").textContent = b.slot + (b.date ? ", " + Luot.dateText(b.date) : "");
    $("#window").textContent = b.checkin_from ? t("Làm thủ tục nhận số từ " + b.checkin_from + " đến " + b.checkin_until + ".",
      "Check in between " + b.checkin_from + " and " + b.checkin_until + ".") : "";
    // Only a live booking offers its QR, printing and cancelling.
    const live = status === "booked" || status === "unknown";
    $("#live-info").hidden = !live;
    $("#qr").hidden = !live || !token;
    if (live && token && !$("#qr").src) $("#qr").src = "/qr/b/" + encodeURIComponent(code) + ".png?token=" + encodeURIComponent(token);
    $("#book-again").hidden = !status || live || status === "error" || !b.office;
    if (b.office) $("#book-again").href = "/o/" + encodeURIComponent(b.office) + "/book";
  }
  document.addEventListener("luot:lang", render);
  $("#print").addEventListener("click", () => window.print());
  render();

  if (!token) {
    Luot.showError($("#error"), new Error(t("Đường liên kết này thiếu phần mã bí mật: hãy mở đúng đường liên kết bạn nhận được khi đặt lịch.",
      "This link lacks its secret part: open the exact link you received when you booked.")));
    return;
  }
  try {
    const r = await Luot.api("GET", "/bookings/" + encodeURIComponent(code) + "?token=" + encodeURIComponent(token));
    b = r.booking;
    status = b.status;
  } catch (e) {
    Luot.showError($("#error"), e);
    if (e.code === "unknown_booking") Luot.forget("bookings", code);
    // Offline: what the link says, under a heading that promises nothing.
    status = e.code === "network" ? "unknown" : "error";
  }
  if (status === "booked") {
    LuotNotify.offer({ type: "booking", id: code, office: b.office }, token);
    // Kept until the appointment's day (never less than today, whatever
    // the phone's clock says).
    Luot.remember("bookings", { id: code, url: location.pathname + location.search, day: [b.date, Luot.today()].sort()[1],
      number: code, slot: b.slot, date: b.date, name: b.service_name, name_en: b.service_name_en });
  } else if (status) {
    Luot.forget("bookings", code);
  }
  render();
});
