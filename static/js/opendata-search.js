// The search page's filters: a closed <details> on a phone, always open on a wide screen.
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    const facets = document.querySelector("[data-facets]");
    if (facets && window.matchMedia("(min-width: 48em)").matches) facets.open = true;
  });
})();
