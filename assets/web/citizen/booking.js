// A booking's confirmation: code, QR and the slot, printable. Its link
// carries the booking's token (?token=), which the QR and the cancel link
// need; the page keeps itself under "Lịch hẹn của bạn" on this phone.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const { t, $ } = Luot;
  const code = decodeURIComponent(location.pathname.split("/")[2] || "");
  const p = new URLSearchParams(location.search);
  const token = p.get("token") || "";
  if (token) {
    $("#cancel").href = "/cancel?" + new URLSearchParams({ code, token }).toString();
    // Kept until the appointment's day (never less than today, whatever
    // the phone's clock says).
    const day = [p.get("d") || "", Luot.today()].sort()[1];
    Luot.remember("bookings", { id: code, url: location.pathname + location.search, day,
      label: code + " · " + (p.get("t") || "") + " " + (p.get("d") || "").split("-").reverse().join("/") });
  }
  function render() {
    $("#code").textContent = code;
    $("#qr").hidden = !token;
    if (token) $("#qr").src = "/qr/b/" + encodeURIComponent(code) + ".png?token=" + encodeURIComponent(token);
    if (p.get("o")) $("#office").textContent = p.get("o");
    $("#service").textContent = Luot.lang() === "en" && p.get("e") ? p.get("e") : p.get("s") || "";
    const d = (p.get("d") || "").split("-").reverse().join("/");
    $("#when").textContent = (p.get("t") || "") + (d ? ", " + d : "");
    $("#window").textContent = p.get("f") ? t("Làm thủ tục nhận số từ " + p.get("f") + " đến " + p.get("u") + ".", "Check in between " + p.get("f") + " and " + p.get("u") + ".") : "";
  }
  document.addEventListener("luot:lang", render);
  render();
  $("#print").addEventListener("click", () => window.print());
});
