// The archive's viewer page: the item's first image is shown at once, and Mirador
// (static/vendor/mirador, 2.3 MB of script and seconds of a phone's time) is fetched and started
// when the visitor presses "Start the viewer". It opens the item's IIIF manifest in one window,
// without the workspace controls a phone has no room for.
(function () {
  "use strict";
  var box = document.getElementById("archive-viewer");
  var start = box && box.querySelector("[data-start-viewer]");
  if (!start) {
    return;
  }
  var status = box.querySelector("[data-viewer-status]");

  function open() {
    box.querySelector(".archive-viewer__preview").remove();
    box.querySelector(".archive-viewer__start").remove();
    window.Mirador.viewer({
      id: "archive-viewer",
      language: box.dataset.language,
      windows: [{ manifestId: box.dataset.manifest, thumbnailNavigationPosition: "far-bottom" }],
      window: { allowClose: false, allowMaximize: false, defaultSideBarPanel: "info", sideBarOpenByDefault: false },
      workspaceControlPanel: { enabled: false },
      workspace: { showZoomControls: true },
    });
  }

  start.hidden = false;
  start.addEventListener("click", function () {
    start.disabled = true;
    status.textContent = start.dataset.loading;
    var script = document.createElement("script");
    script.src = box.dataset.script;
    script.onload = open;
    script.onerror = function () {
      start.disabled = false;
      status.textContent = start.dataset.failed;
    };
    document.head.appendChild(script);
  });
})();
