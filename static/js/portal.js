// Small enhancements on top of pages that already work without JavaScript.
(function () {
  "use strict";

  // The phone menu folds and unfolds with its button's aria-expanded (static/css/portal.css): it is
  // folded from the first paint, not by this script once the page is drawn, so nothing moves.
  function setUpMenu() {
    const toggle = document.querySelector(".site-nav__toggle");
    if (!toggle) return;
    toggle.addEventListener("click", function () {
      toggle.setAttribute("aria-expanded", String(toggle.getAttribute("aria-expanded") !== "true"));
    });
  }

  // A reader can fold an alert down to its title line. The fold is remembered per alert and
  // revision (data-alert), so a new or edited alert opens again; the last few are kept.
  const FOLDED_KEY = "portal-alerts-folded";
  const FOLDED_KEPT = 50;

  function foldedAlerts() {
    try {
      const keys = JSON.parse(localStorage.getItem(FOLDED_KEY));
      return Array.isArray(keys) ? keys : [];
    } catch (error) {
      return []; // storage switched off or unreadable: every alert shows
    }
  }

  function rememberFold(key, folded) {
    const keys = foldedAlerts().filter(function (kept) { return kept !== key; });
    if (folded) keys.push(key);
    try {
      localStorage.setItem(FOLDED_KEY, JSON.stringify(keys.slice(-FOLDED_KEPT)));
    } catch (error) {
      // the fold lasts for this page only
    }
  }

  function setUpAlerts(region) {
    const folded = foldedAlerts();
    region.querySelectorAll("[data-alert]").forEach(function (alert) {
      const title = alert.querySelector(".alert__title");
      const message = alert.querySelector(".alert__message");
      if (!title || !message) return;
      const button = document.createElement("button");
      button.type = "button";
      button.className = "alert__toggle";
      button.setAttribute("aria-controls", message.id);
      const text = document.createElement("span");
      text.className = "alert__title-text";
      text.append.apply(text, Array.from(title.childNodes));
      button.append(text);
      title.append(button);
      function show(open) {
        button.setAttribute("aria-expanded", String(open));
        message.hidden = !open;
        alert.classList.toggle("is-folded", !open);
      }
      show(folded.indexOf(alert.dataset.alert) === -1);
      button.addEventListener("click", function () {
        const open = button.getAttribute("aria-expanded") !== "true";
        show(open);
        rememberFold(alert.dataset.alert, !open);
      });
    });
  }

  // Alerts published by editors arrive over a websocket; reconnect with a growing delay.
  function listenForAlerts() {
    const region = document.getElementById("site-alerts");
    if (!region) return;
    setUpAlerts(region);
    if (!("WebSocket" in window)) return;
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    let delay = 1000;
    function connect() {
      const socket = new WebSocket(scheme + location.host + region.dataset.alertsSocket);
      socket.addEventListener("open", function () { delay = 1000; });
      socket.addEventListener("message", function (event) {
        const data = JSON.parse(event.data);
        if (data.type === "alerts") {
          region.innerHTML = data.html;
          setUpAlerts(region);
          // A reconnect names what the page now shows, so it is not sent the same alerts again.
          region.dataset.alertsSocket = region.dataset.alertsSocket.replace(/([?&]shown=)[^&]*/, "$1" + data.version);
        }
      });
      socket.addEventListener("close", function () {
        setTimeout(connect, delay);
        delay = Math.min(delay * 2, 60000);
      });
    }
    connect();
  }

  function registerServiceWorker() {
    const url = document.body.dataset.serviceWorker;
    if (url && "serviceWorker" in navigator) {
      navigator.serviceWorker.register(url, { scope: "/" }).catch(function () {});
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpMenu();
    listenForAlerts();
    registerServiceWorker();
  });
})();
