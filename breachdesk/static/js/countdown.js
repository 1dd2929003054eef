// Keeps "31 hours 12 minutes left" current without a reload; the server-rendered words
// stay correct when scripts are off.
(function () {
  "use strict";
  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }
  function words(ms) {
    var overdue = ms < 0, total = Math.floor(Math.abs(ms) / 60000);
    var hours = Math.floor(total / 60), minutes = total % 60, parts = [];
    if (overdue && hours >= 48) {
      var days = Math.floor(hours / 24); hours = hours % 24;
      parts.push(plural(days, "day")); if (hours) parts.push(plural(hours, "hour"));
    } else {
      if (hours) parts.push(plural(hours, "hour"));
      if (minutes) parts.push(plural(minutes, "minute"));
    }
    if (!parts.length) return overdue ? "overdue by less than a minute" : "less than a minute left";
    return overdue ? "overdue by " + parts.join(" ") : parts.join(" ") + " left";
  }
  function urgency(ms) {
    if (ms < 0) return "overdue";
    if (ms <= 6 * 3600e3) return "urgent";
    if (ms <= 24 * 3600e3) return "soon";
    return "calm";
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll(".countdown[data-due]").forEach(function (el) {
      if (el.dataset.stopped === "yes") return;
      var ms = Date.parse(el.dataset.due) - now;
      el.textContent = words(ms);
      el.className = "countdown urgency-" + urgency(ms);
    });
  }
  setInterval(tick, 30000);
})();
