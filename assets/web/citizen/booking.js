// A booking's confirmation: code, QR and the slot, printable.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const { t, $ } = Luot;
  const code = decodeURIComponent(location.pathname.split("/")[2] || "");
  const p = new URLSearchParams(location.search);
  function render() {
    $("#code").textContent = code;
    $("#qr").src = "/qr/b/" + encodeURIComponent(code) + ".png";
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
