// A river guide point's page: the 3D model (with AR where the phone can) loads only when asked,
// and the page follows its river's walkway over /ws/rivers/: closed, the safety notice replaces
// the 3D view; reopened, it comes back. Without this script the page shows what it was rendered with.
(function () {
  "use strict";
  var page = document.querySelector("[data-river-point]");
  if (!page) {
    return;
  }
  var closed = page.querySelector("[data-point-closed]");
  var open = page.querySelector("[data-point-open]");
  var button = page.querySelector("[data-model-open]");
  var korean = document.documentElement.lang === "ko";

  if (button) {
    button.addEventListener("click", function () {
      var box = page.querySelector("[data-model-box]");
      var script = document.createElement("script");
      script.type = "module";
      script.src = button.dataset.viewer;
      document.head.appendChild(script);
      var viewer = document.createElement("model-viewer");
      viewer.setAttribute("src", button.dataset.src);
      if (button.dataset.iosSrc) {
        viewer.setAttribute("ios-src", button.dataset.iosSrc);
      }
      viewer.setAttribute("alt", button.dataset.alt);
      viewer.setAttribute("ar", "");
      viewer.setAttribute("ar-modes", "webxr scene-viewer quick-look");
      viewer.setAttribute("camera-controls", "");
      viewer.setAttribute("touch-action", "pan-y");
      box.appendChild(viewer);
      box.hidden = false;
      var poster = page.querySelector("[data-model-poster]");
      if (poster) {
        poster.hidden = true;
      }
      button.hidden = true;
    });
  }

  function show(isClosed, reason) {
    closed.hidden = !isClosed;
    closed.querySelector("[data-point-reason]").textContent = reason || "";
    if (open) {
      open.hidden = isClosed;
    }
  }

  var delay = 1000;
  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + page.dataset.socket);
    socket.addEventListener("message", function (event) {
      var data = JSON.parse(event.data);
      if (data.type === "walkway") {
        show(data.closed, korean ? data.reason_ko : data.reason_en || data.reason_ko);
      }
    });
    socket.addEventListener("open", function () {
      delay = 1000;
    });
    socket.addEventListener("close", function () {
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    });
  }
  connect();
})();
