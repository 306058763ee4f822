// What htmx swaps into a page after an error: our own error fragments as they are, and for
// anything else (a proxy's or the server's raw error body) one short line, never the body.
(function () {
  "use strict";
  var MESSAGES = {
    400: "The request was not understood. Check what you typed and try again.",
    403: "You do not have the right to do that.",
    404: "That is no longer there. Reload the page.",
    413: "That is too long. Shorten it and try again.",
    414: "That is too long. Shorten it and try again.",
    431: "That is too long. Shorten it and try again.",
    429: "Too many requests from here. Wait a little and try again."
  };
  var GENERIC = "Something went wrong on our side. Try again in a moment.";

  function line(text) {
    var p = document.createElement("p");
    p.className = "error-message";
    p.setAttribute("role", "alert");
    p.textContent = text;
    return p.outerHTML;
  }

  document.addEventListener("htmx:after:request", function (event) {
    var ctx = event.detail && event.detail.ctx;
    if (!ctx || !ctx.response || ctx.response.status < 400) return;
    // 422 is the app's "please fix this form" answer: a fragment made for its place.
    if (ctx.response.status === 422 || ctx.response.headers.get("X-Error-Fragment")) return;
    ctx.text = line(MESSAGES[ctx.response.status] || GENERIC);
  });

  document.addEventListener("htmx:error", function (event) {
    var ctx = event.detail && event.detail.ctx;
    if (!ctx || !ctx.target || !ctx.target.isConnected || ctx.response) return;
    ctx.target.innerHTML = line("The server could not be reached. Check your connection and try again.");
  });
})();

// Live search: arrow keys go from the box into the results and between them; Escape (or
// up from the first result) goes back to the box. Results stay plain links.
(function () {
  "use strict";
  function links(box) {
    var results = document.querySelector(box.getAttribute("data-live-results"));
    return results ? Array.from(results.querySelectorAll("a[href]")) : [];
  }
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var target = event.target;
    if (!target || !target.closest) return;
    if (target.matches("[data-live-results]")) {
      if (event.key !== "ArrowDown") return;
      var all = links(target);
      if (!all.length) return;
      event.preventDefault();
      all[0].focus();
      return;
    }
    var box = null;
    for (var input of document.querySelectorAll("[data-live-results]")) {
      var results = document.querySelector(input.getAttribute("data-live-results"));
      if (results && results.contains(target)) { box = input; break; }
    }
    if (!box) return;
    var items = links(box), here = items.indexOf(target);
    if (here < 0) return;
    if (event.key === "ArrowDown" && here < items.length - 1) {
      items[here + 1].focus();
    } else if (event.key === "ArrowUp") {
      (here > 0 ? items[here - 1] : box).focus();
    } else if (event.key === "Escape") {
      box.focus();
    } else {
      return;
    }
    event.preventDefault();
  });
})();

// Autocomplete for filter fields: <input data-suggest="organizations|people|teams" list=…>
// fills its <datalist> from /search/?format=options as one types. Without JavaScript the
// field still takes a name (or a slug) as typed.
(function () {
  "use strict";
  var timers = new WeakMap();
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[data-suggest][list]")) return;
    clearTimeout(timers.get(input));
    timers.set(input, setTimeout(function () {
      var list = document.getElementById(input.getAttribute("list"));
      var q = input.value.trim();
      if (!list || q.length < 2) return;
      var url = "/search/?format=options&type=" + encodeURIComponent(input.dataset.suggest) +
        "&q=" + encodeURIComponent(q);
      fetch(url, {headers: {"Accept": "text/html"}}).then(function (response) {
        return response.ok ? response.text() : "";
      }).then(function (html) {
        if (input.value.trim() === q) list.innerHTML = html;
      }).catch(function () { /* offline: typing still works */ });
    }, 150));
  });
})();
