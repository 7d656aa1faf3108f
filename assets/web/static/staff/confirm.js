// Lượt — the staff pages' question before an action that cannot be taken
// back, asked in the page's modal <dialog id="confirm"> (its buttons
// #confirm-yes and #confirm-no). window.luotConfirm(text, yesText, focus)
// resolves to true when the member confirms; focus is "yes" or "no", the
// button that has the focus when the dialog opens.
//
// The answer is taken from the buttons (and Esc) as they are pressed, not
// from the dialog's close event: that event is queued as a task of its own
// and can arrive after the next question has opened, answering it.
"use strict";
(function () {
  var dlg = null, answer = null;
  function settle(yes) {
    var a = answer;
    answer = null;
    // The returnValue says which button answered (tests read it).
    if (dlg.open) { dlg.close(yes ? "yes" : "no"); }
    if (a) { a(yes); }
  }
  function setUp() {
    dlg = document.getElementById("confirm");
    document.getElementById("confirm-yes").addEventListener("click", function (ev) { ev.preventDefault(); settle(true); });
    document.getElementById("confirm-no").addEventListener("click", function (ev) { ev.preventDefault(); settle(false); });
    dlg.addEventListener("cancel", function (ev) { ev.preventDefault(); settle(false); });
  }
  window.luotConfirm = function (text, yesText, focus) {
    if (!dlg) { setUp(); }
    settle(false);
    return new Promise(function (resolve) {
      answer = resolve;
      document.getElementById("confirm-text").textContent = text;
      document.getElementById("confirm-yes").textContent = yesText;
      dlg.returnValue = "";
      dlg.showModal();
      document.getElementById(focus === "yes" ? "confirm-yes" : "confirm-no").focus();
    });
  };
})();
