// Free spaces on the parking pages, kept current: each count the car park sends arrives over the
// socket and replaces the number and its time; a number older than the live limit turns into
// "unknown", as the server would show it. Without this script the page shows the counts it was
// rendered with, each with its time.
(function () {
  "use strict";

  const RETRY_MS = 5000;
  const CHECK_MS = 30000;

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, name) { return name in values ? values[name] : all; });
  }

  function clock(date) {
    return date.toLocaleTimeString(document.documentElement.lang, { hour: "2-digit", minute: "2-digit", hour12: false });
  }

  function show(element, texts, freeSpaces, readAt, liveSeconds) {
    if (element.dataset.open !== "1") return; // closed now: the count does not matter
    const number = element.querySelector("[data-free-number]");
    const time = element.querySelector("[data-free-time]");
    const live = freeSpaces !== null && Date.now() - readAt.getTime() <= liveSeconds * 1000;
    element.classList.toggle("free-spaces--live", live);
    element.classList.toggle("free-spaces--unknown", !live);
    number.textContent = live
      ? format(freeSpaces === 1 ? texts.one : texts.many, { count: freeSpaces.toLocaleString(document.documentElement.lang) })
      : texts.unknown;
    time.textContent = format(texts.at, { time: clock(readAt) });
    element.dataset.readAt = readAt.toISOString();
    element.dataset.free = freeSpaces === null ? "" : String(freeSpaces);
  }

  function connect(region, texts, liveSeconds) {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    const socket = new WebSocket(scheme + location.host + region.dataset.socket);
    socket.addEventListener("message", function (event) {
      const data = JSON.parse(event.data);
      if (data.type !== "free_spaces") return;
      region.querySelectorAll('[data-free-spaces="' + CSS.escape(data.car_park) + '"]').forEach(function (element) {
        show(element, texts, data.free_spaces, new Date(data.read_at), liveSeconds);
      });
    });
    socket.addEventListener("close", function (event) {
      if (event.code !== 4404) setTimeout(function () { connect(region, texts, liveSeconds); }, RETRY_MS);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    const region = document.querySelector("[data-parking-live]");
    const textsElement = document.getElementById("parking-live-texts");
    if (!region || !textsElement || !("WebSocket" in window)) return;
    const texts = JSON.parse(textsElement.textContent);
    const liveSeconds = Number(region.dataset.liveSeconds) || 900;
    connect(region, texts, liveSeconds);
    // A count that stops arriving ages into "unknown" on an open page too.
    setInterval(function () {
      region.querySelectorAll("[data-free-spaces]").forEach(function (element) {
        if (!element.dataset.free || !element.dataset.readAt) return;
        show(element, texts, Number(element.dataset.free), new Date(element.dataset.readAt), liveSeconds);
      });
    }, CHECK_MS);
  });
})();
