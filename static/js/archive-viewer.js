// The archive's viewer page: Mirador (static/vendor/mirador) opens the item's IIIF manifest in one
// window, without the workspace controls a phone has no room for.
(function () {
  "use strict";
  var box = document.getElementById("archive-viewer");
  if (!box || !window.Mirador) {
    return;
  }
  window.Mirador.viewer({
    id: "archive-viewer",
    language: box.dataset.language,
    windows: [{ manifestId: box.dataset.manifest, thumbnailNavigationPosition: "far-bottom" }],
    window: { allowClose: false, allowMaximize: false, defaultSideBarPanel: "info", sideBarOpenByDefault: false },
    workspaceControlPanel: { enabled: false },
    workspace: { showZoomControls: true },
  });
})();
