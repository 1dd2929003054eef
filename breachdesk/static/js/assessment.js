// Keeps the recommendation beside the assessment form in step with the facts as the DPO
// changes them. The page is complete without it: "Update the recommendation" does the same.
(function () {
  "use strict";
  var form = document.getElementById("assessment-form");
  var target = document.getElementById("recommendation");
  var differs = document.getElementById("decision-differs");
  if (!form || !target || !window.fetch || !window.FormData) return;
  var timer = null, latest = 0;

  function refresh() {
    var body = new FormData(form), ticket = ++latest;
    body.set("action", "preview");
    fetch(form.dataset.previewUrl, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (data) {
      // Only the answer to the latest change counts; the server's HTML is already escaped.
      if (!data || ticket !== latest) return;
      target.innerHTML = data.html;
      if (data.follow) follow(data.follow, data.prefilled_decision);
      if (differs) differs.textContent = data.differs;
    }).catch(function () { /* keep the last recommendation; the button still works */ });
  }

  // The decision buttons the DPO has not touched move with the recommendation.
  function follow(values, token) {
    Object.keys(values).forEach(function (name) {
      var button = form.querySelector("input[name='" + name + "'][value='" + values[name] + "']");
      if (button) button.checked = true;
    });
    var remembered = form.querySelector("input[name='prefilled_decision']");
    if (remembered) remembered.value = token;
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 300);
  }

  form.addEventListener("change", schedule);
  form.addEventListener("input", function (event) {
    if (event.target.type === "text" || event.target.type === "number") schedule();
  });
})();
