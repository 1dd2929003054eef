// When a page comes back with errors, its summary at the top takes the focus, so a screen
// reader reads it out and the keyboard starts there; each link then moves the focus to its
// field (a plain link would only scroll to it). Without scripts the links still scroll.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (!summary) return;
  if (document.title.indexOf("Error: ") !== 0) document.title = "Error: " + document.title;
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) return;
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    event.preventDefault();
    var label = field.closest(".field, fieldset") || field;
    label.scrollIntoView();
    field.focus({ preventScroll: true });
  });
})();
