// Small enhancements on top of pages that already work without JavaScript.
(function () {
  "use strict";

  function setUpMenu() {
    const toggle = document.querySelector(".site-nav__toggle");
    const list = document.getElementById("site-nav-list");
    if (!toggle || !list || window.matchMedia("(min-width: 48em)").matches) return;
    toggle.hidden = false;
    list.classList.add("is-collapsed");
    toggle.addEventListener("click", function () {
      const open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", String(!open));
      list.classList.toggle("is-collapsed", open);
    });
  }

  // Alerts published by editors arrive over a websocket; reconnect with a growing delay.
  function listenForAlerts() {
    const region = document.getElementById("site-alerts");
    if (!region || !("WebSocket" in window)) return;
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    let delay = 1000;
    function connect() {
      const socket = new WebSocket(scheme + location.host + region.dataset.alertsSocket);
      socket.addEventListener("open", function () { delay = 1000; });
      socket.addEventListener("message", function (event) {
        const data = JSON.parse(event.data);
        if (data.type === "alerts") region.innerHTML = data.html;
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
