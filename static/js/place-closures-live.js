// The closures shown on a place's page (a trail marker's: its own and those of the markers ahead),
// kept current: when /ws/places/ says a closure of one of the page's places began, changed or was
// lifted (a river's walkway closing nearby), the page fetches itself again and swaps in its new
// closures section. Without this script the page shows the closures it was rendered with.
(function () {
  "use strict";

  const RETRY_MS = 5000;
  // A walkway closing changes several places at once: one fetch for all of them.
  const SETTLE_MS = 300;

  async function refresh(region) {
    // Past the browser's copy: the page cache was emptied when the closure was stored.
    const response = await fetch(location.href, { cache: "no-store", credentials: "same-origin" });
    if (!response.ok) return;
    const fresh = new DOMParser().parseFromString(await response.text(), "text/html").getElementById(region.id);
    if (!fresh) return;
    region.replaceChildren(...fresh.childNodes);
    // A new warning is announced as it arrives.
    region.querySelectorAll(".notice--warning, .notice--info").forEach(function (notice) {
      notice.setAttribute("role", "alert");
    });
  }

  function connect(region) {
    let pending = null;
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    const socket = new WebSocket(scheme + location.host + region.dataset.placeClosuresSocket);
    socket.addEventListener("message", function (event) {
      if (JSON.parse(event.data).type !== "closures" || pending) return;
      pending = setTimeout(function () {
        pending = null;
        refresh(region).catch(function () {});
      }, SETTLE_MS);
    });
    socket.addEventListener("close", function (event) {
      if (event.code !== 4400) setTimeout(function () { connect(region); }, RETRY_MS);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!("WebSocket" in window)) return;
    document.querySelectorAll("[data-place-closures-socket]").forEach(connect);
  });
})();
