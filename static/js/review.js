// Keyboard review: j/k move between cards, a/r/d/s/e act on the focused one.
(function () {
  "use strict";
  function cards() { return Array.from(document.querySelectorAll("[data-review-card]")); }
  function current() {
    var el = document.activeElement;
    return el && el.closest ? el.closest("[data-review-card]") : null;
  }
  function focusCard(index) {
    var all = cards();
    if (!all.length) return;
    var card = all[Math.max(0, Math.min(index, all.length - 1))];
    card.focus();
    card.scrollIntoView({block: "nearest"});
  }
  function move(step) {
    var all = cards(), here = all.indexOf(current());
    focusCard(here < 0 ? 0 : here + step);
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target.matches && target.matches("input, textarea, select")) {
      if (event.key === "Escape") { target.closest("[data-review-card]").focus(); }
      return;
    }
    var card = current();
    switch (event.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "a": case "s": case "e":
        if (card) { var el = card.querySelector('[data-key="' + event.key + '"]'); if (el) el.click(); }
        break;
      case "r": case "d":
        if (card) { var field = card.querySelector('[data-key="' + event.key + '"]'); if (field) field.focus(); }
        break;
      default: return;
    }
    event.preventDefault();
  });
  // After a decision swaps a card for its outcome, carry on with the next card.
  var acting = null;
  document.addEventListener("htmx:before:request", function () {
    var card = current();
    acting = card ? card.id : null;
  });
  document.addEventListener("htmx:after:swap", function () {
    var done = acting && document.getElementById(acting);
    acting = null;
    if (!done || !done.hasAttribute("data-decided")) return;
    var all = cards(), here = all.indexOf(done);
    var next = all.slice(here + 1).find(function (c) { return !c.hasAttribute("data-decided"); });
    (next || done).focus();
  });
})();
