// Lượt — staff login: posts the form as JSON to the API, which sets the
// HttpOnly session cookie; then opens the console or the admin pages.
"use strict";
(function () {
  var form = document.getElementById("login");
  var office = document.getElementById("office");
  var counter = document.getElementById("counter");
  var err = document.getElementById("login-error");
  function filterCounters() {
    var first = null;
    Array.prototype.forEach.call(counter.options, function (o) {
      var show = !o.dataset.office || o.dataset.office === office.value;
      o.hidden = !show;
      o.disabled = !show;
      if (show && !first && o.dataset.office) { first = o; }
    });
    if (counter.selectedOptions[0] && counter.selectedOptions[0].disabled && first) { counter.value = first.value; }
  }
  office.addEventListener("change", filterCounters);
  filterCounters();
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    err.hidden = true;
    var body = { office: office.value, staff: form.staff.value.trim(), pin: form.pin.value };
    if (counter.value) { body.counter = counter.value; }
    fetch("/api/v1/sessions", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept-Language": document.documentElement.lang || "vi" }, body: JSON.stringify(body)
    }).then(function (r) {
      if (r.status === 201) { location.assign(form.dataset.next || "/clerk"); return; }
      return r.json().then(function (j) { throw new Error(j && j.error ? j.error.message : "HTTP " + r.status); });
    }).catch(function (e) {
      err.textContent = e.message;
      err.hidden = false;
      form.pin.value = "";
    });
  });
})();
