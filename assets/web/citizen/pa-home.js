// The feedback start page: send a report, the reports sent from this
// phone (kept in this browser only), the public list, a report by code.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const { t, $ } = Luot;
  Luot.showMine("reports", $("#mine"));
  $("#find").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const code = $("#code").value.trim().toUpperCase();
    if (!/^PA-\d{4}-\d{1,6}$/.test(code)) {
      Luot.showError($("#find-error"), new Error(t("Mã phản ánh có dạng PA-2611-00001: kiểm tra lại mã.", "A report code looks like PA-2611-00001: check the code.")));
      return;
    }
    location.href = "/pa/" + encodeURIComponent(code);
  });
});
