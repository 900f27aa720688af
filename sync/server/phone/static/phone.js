// The phone page's live parts: the server sends each change of the ticket (server-sent events, or
// /state every 10 s where they cannot be used); this script only puts the texts in place.
(function () {
  "use strict";
  var body = document.body, main = document.querySelector("main");
  if (!main || !body.getAttribute("data-state")) return;
  // The back button must never show a page kept from before (another resident's, on a shared phone).
  window.addEventListener("pageshow", function (event) { if (event.persisted) window.location.reload(); });

  function show(part, visible) {
    var node = document.querySelector('[data-part="' + part + '"]');
    if (node) node.hidden = !visible;
  }
  function apply(state) {
    var lines = state.lines || {};
    Object.keys(lines).forEach(function (name) {
      var node = document.querySelector('[data-line="' + name + '"]');
      if (node && node.textContent !== lines[name]) node.textContent = lines[name];
    });
    main.setAttribute("data-status", state.status);
    var form = document.querySelector('[data-part="rating"]');
    var typing = form && !form.hidden && form.contains(document.activeElement);
    if (!typing) show("rating", state.rating_open);
    show("rated", state.rated);
    show("closed", state.rating_closed);
  }
  function poll() {
    var request = new XMLHttpRequest();
    request.open("GET", body.getAttribute("data-state"));
    request.onload = function () { if (request.status === 200) apply(JSON.parse(request.responseText)); };
    request.send();
  }
  if (window.EventSource) {
    var source = new EventSource(body.getAttribute("data-events"));
    source.onmessage = function (event) { apply(JSON.parse(event.data)); };
    source.addEventListener("end", function () { source.close(); });
    source.onerror = function () {
      if (source.readyState === EventSource.CLOSED) { window.setInterval(poll, 10000); }
    };
  } else {
    window.setInterval(poll, 10000);
  }
})();
