// Lượt — the admin page's planning import: sends the chosen GeoJSON file
// as the body of POST /api/v1/planning/{zones|parcels} (with the session
// cookie and its CSRF token), with the coordinate system in the query, and
// says what came of it. The texts come from the page, in its language.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("planning-form");
  if (!form) return;
  const $ = (id) => document.getElementById(id);
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const status = $("qh-status");
  const error = $("qh-error");
  const say = (el, text) => { el.textContent = text; el.hidden = !text; };
  const vn = () => $("qh-crs").value === "vn2000";
  const crsFields = () => { $("qh-meridian").disabled = !vn(); $("qh-zone").disabled = !vn(); };
  $("qh-crs").addEventListener("change", crsFields);
  crsFields();

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    say(status, "");
    say(error, "");
    const file = $("qh-file").files[0];
    if (!file) {
      say(error, form.dataset.noFile);
      return;
    }
    const kind = $("qh-kind").value;
    const q = new URLSearchParams();
    if ($("qh-name").value.trim()) q.set("name", $("qh-name").value.trim());
    if (vn()) {
      q.set("crs", "vn2000");
      q.set("meridian", $("qh-meridian").value.trim());
      q.set("zone", $("qh-zone").value);
    }
    $("qh-submit").disabled = true;
    say(status, form.dataset.importing);
    try {
      const res = await fetch("/api/v1/planning/" + kind + "?" + q, {
        method: "POST",
        headers: { "Content-Type": "application/geo+json", "Accept-Language": document.documentElement.lang, "X-CSRF-Token": csrf },
        body: file,
      });
      const data = await res.json().catch(() => null);
      if (!res.ok) {
        say(status, "");
        const m = data && data.error && data.error.message;
        say(error, form.dataset.failed + ": " + (m || res.status));
        return;
      }
      const n = (data && data[kind] && data[kind].count) || 0;
      say(status, (kind === "zones" ? form.dataset.doneZones : form.dataset.doneParcels).replace("{n}", n.toLocaleString(document.documentElement.lang)));
    } catch (e) {
      say(status, "");
      say(error, form.dataset.failed + ": " + e.message);
    } finally {
      $("qh-submit").disabled = false;
    }
  });
});
