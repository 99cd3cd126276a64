// The dataset page's "copy" buttons for the API examples. The page works without it.
(function () {
  "use strict";

  function selectText(element) {
    const range = document.createRange();
    range.selectNodeContents(element);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function setUpCopyButtons() {
    const status = document.getElementById("copy-code-status");
    document.querySelectorAll("[data-copy-code]").forEach(function (button) {
      const code = document.getElementById(button.dataset.copyCode);
      if (!code || !status) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        function copied() { status.textContent = status.dataset.copied; }
        function selectForCopying() {
          selectText(code);
          if (document.execCommand("copy")) copied();
        }
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(code.textContent).then(copied, selectForCopying);
        } else {
          selectForCopying();
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", setUpCopyButtons);
})();
