(function () {
  "use strict";
  var me = document.currentScript;
  var generation = (me && me.getAttribute("data-generation")) || "";
  var overlay = null;
  function show(html) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "briefwerk-error-overlay";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
        "background:rgba(24,24,24,.97);color:#f2f2f2;padding:2rem;text-align:left;" +
        "font:14px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace";
      overlay.innerHTML = '<p style="margin:0 0 1rem;font-weight:bold;color:#ff9e80">' +
        "briefwerk: the last edit has errors. This is the last good build; " +
        "fix the file and the page reloads.</p>" +
        '<pre style="white-space:pre-wrap;margin:0 0 1rem"></pre>' +
        '<button type="button">Hide</button>';
      overlay.querySelector("button").onclick = function () {
        overlay.remove();
        overlay = null;
      };
      document.body.appendChild(overlay);
    }
    overlay.querySelector("pre").innerHTML = html;
  }
  var events = new EventSource("/__briefwerk/events?generation=" + encodeURIComponent(generation));
  events.addEventListener("reload", function () {
    events.close();
    location.reload();
  });
  events.addEventListener("error", function (e) {
    // The browser fires a plain `error` when the connection drops (it reconnects by
    // itself); ours carries data.
    if (typeof e.data === "string") show(e.data);
  });
})();
