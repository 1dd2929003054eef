// "Copy this section" buttons for the ICO's online form. Without scripts the buttons stay
// hidden and each section can still be selected and copied from its box by hand.
(function () {
  "use strict";
  document.querySelectorAll(".copy-button[data-copy]").forEach(function (button) {
    var box = document.getElementById(button.dataset.copy);
    if (!box) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var done = function () { button.textContent = "Copied"; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(box.value).then(done);
      } else {
        box.select();
        document.execCommand("copy");
        done();
      }
    });
  });
})();
