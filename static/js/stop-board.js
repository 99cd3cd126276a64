// A stop page's arrivals, kept current: the page itself may come from a cache, so its board is
// fetched again from the board address (at once when it is older than a refresh, then every
// refresh while the tab is visible). Without this script the page shows the board it was built with.
(function () {
  "use strict";

  const REFRESH_MS = 30000;

  function refresh(board) {
    return fetch(board.dataset.refresh, { headers: { Accept: "text/html" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        const next = new DOMParser().parseFromString(html, "text/html").querySelector("[data-stop-board]");
        if (next) board.replaceChildren.apply(board, Array.from(next.childNodes));
      })
      .catch(function () { /* offline or failing: keep what is shown, with its "as of" time */ });
  }

  document.addEventListener("DOMContentLoaded", function () {
    const board = document.querySelector("[data-stop-board]");
    if (!board || !window.fetch) return;
    const renderedAt = Date.parse(board.dataset.renderedAt);
    if (!(Date.now() - renderedAt < REFRESH_MS)) refresh(board);
    setInterval(function () { if (!document.hidden) refresh(board); }, REFRESH_MS);
  });
})();
