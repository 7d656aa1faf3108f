// Take a same-day number online: service → name and phone → number,
// tracking link and QR.
"use strict";

document.addEventListener("DOMContentLoaded", async () => {
  const { t, api, showError, $, serviceName, officeID, duration } = Luot;
  const office = officeID();
  let info = null;
  let chosen = null;
  $("#book-link").href = "/o/" + encodeURIComponent(office) + "/book";
  Luot.showMine("numbers", $("#mine"));

  function renderServices() {
    if (!info) return;
    $("#office").textContent = Luot.lang() === "en" && info.name_en ? info.name_en : info.name;
    $("#closed").hidden = info.open_now;
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
      b.disabled = !info.open_now;
      b.addEventListener("click", () => {
        chosen = s;
        $("#chosen").textContent = serviceName(s);
        $("#step-service").hidden = true;
        $("#step-person").hidden = false;
        $("#name").focus();
      });
      li.append(b);
      ul.append(li);
    }
  }
  document.addEventListener("luot:lang", renderServices);

  try {
    info = await api("GET", "/offices/" + encodeURIComponent(office));
    renderServices();
  } catch (e) {
    showError($("#error"), e);
  }

  $("#back").addEventListener("click", () => {
    $("#step-person").hidden = true;
    $("#step-service").hidden = false;
  });

  $("#step-person").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    showError($("#error"), null);
    $("#take").disabled = true;
    try {
      const r = await api("POST", "/offices/" + encodeURIComponent(office) + "/remote-tickets", {
        service: chosen.id, name: $("#name").value, phone: $("#phone").value,
      });
      const tk = r.ticket;
      const u = new URL(tk.track_url, location.href);
      const token = u.searchParams.get("token");
      $("#number").textContent = tk.number;
      $("#result-service").textContent = serviceName({ name: tk.service_name, name_en: tk.service_name_en });
      $("#ahead").textContent = tk.ahead;
      $("#eta").textContent = duration(tk.eta_seconds);
      $("#qr").src = "/qr/t/" + encodeURIComponent(tk.id) + ".png?token=" + encodeURIComponent(token);
      $("#track").href = "/t/" + encodeURIComponent(tk.id) + "?token=" + encodeURIComponent(token);
      Luot.remember("numbers", { id: tk.id, url: $("#track").getAttribute("href"), day: Luot.today(),
        label: tk.number + " · " + serviceName({ name: tk.service_name, name_en: tk.service_name_en }) });
      Luot.showMine("numbers", $("#mine"));
      $("#step-person").hidden = true;
      $("#result").hidden = false;
    } catch (e) {
      showError($("#error"), e);
    } finally {
      $("#take").disabled = false;
    }
  });
});
