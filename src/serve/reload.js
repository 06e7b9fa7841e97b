/* digest serve: live reload. Injected only by the development server. */
(function () {
  "use strict";
  var OVERLAY = "digest-error-overlay";
  function hide() {
    var el = document.getElementById(OVERLAY);
    if (el) el.remove();
  }
  function show(text) {
    hide();
    var box = document.createElement("div");
    box.id = OVERLAY;
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;" +
      "background:#1b1b1f;color:#ffd7d1;border-top:4px solid #e5484d;padding:1rem 1.25rem;" +
      "font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;white-space:pre-wrap;box-shadow:0 -4px 24px #0006";
    var title = document.createElement("strong");
    title.textContent = "digest: the last change did not build. The page shows the last good version.\n\n";
    box.appendChild(title);
    box.appendChild(document.createTextNode(text));
    document.body.appendChild(box);
  }
  function swapStylesheets() {
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (old) {
      var url = new URL(old.href);
      url.searchParams.set("digest", String(Date.now()));
      var next = old.cloneNode();
      next.href = url.toString();
      next.onload = function () { old.remove(); };
      old.after(next);
    });
  }
  var source = new EventSource("/__digest/events");
  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("css", swapStylesheets);
  source.addEventListener("error-overlay", function (e) {
    if (e.data) show(e.data); else hide();
  });
  window.__digestLive = source;
})();
