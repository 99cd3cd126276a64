// A river's page, kept current: the walkway notice and each entrance's state change as the gate
// system, the water-level rule or staff change them, each station's level as it is read, and the
// fine dust of each new hour, all over the socket (/ws/rivers/?river=<slug>). A level older than
// the live limit turns into "unknown", as the server would show it. Without this script the page shows what it was rendered
// with, each level with its time.
(function () {
  "use strict";

  const RETRY_MS = 5000;
  const CHECK_MS = 30000;
  // Times are shown as the page shows them: in Seoul time, whatever the phone's zone.
  const SEOUL_PARTS = new Intl.DateTimeFormat("en-CA", {
    timeZone: "Asia/Seoul", year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  });

  function seoul(date) {
    const parts = {};
    SEOUL_PARTS.formatToParts(date).forEach(function (part) { parts[part.type] = part.value; });
    return parts;
  }

  function clock(date) {
    const parts = seoul(date);
    return parts.hour + ":" + parts.minute;
  }

  function stamp(date) {
    const parts = seoul(date);
    return parts.year + "-" + parts.month + "-" + parts.day + " " + clock(date);
  }

  function showWalkway(region, texts, data) {
    const holder = region.querySelector("[data-walkway]");
    if (!holder) return;
    const notice = document.createElement("p");
    if (data.closed) {
      // A new alert element: screen readers announce it as it is inserted.
      const reason = document.documentElement.lang === "ko" ? data.reason_ko : data.reason_en || data.reason_ko;
      const strong = document.createElement("strong");
      strong.textContent = texts.walkway_closed;
      notice.className = "notice notice--danger";
      notice.setAttribute("role", "alert");
      notice.append(strong, reason ? " " + reason : "");
    } else {
      notice.className = "notice";
      notice.setAttribute("role", "status");
      notice.textContent = texts.walkway_open;
    }
    holder.replaceChildren(notice);
    // "Near a spot" sends walkers to the water's edge: not while the walkway is closed.
    region.querySelectorAll("[data-near-spot-tools]").forEach(function (tools) {
      tools.hidden = Boolean(data.closed);
    });
  }

  function showEntrance(element, texts, isOpen, reason) {
    const state = element.querySelector("[data-entrance-state]");
    if (!state || element.dataset.open === (isOpen ? "1" : "0")) return;
    element.dataset.open = isOpen ? "1" : "0";
    if (isOpen) {
      state.textContent = texts.open;
      return;
    }
    const strong = document.createElement("strong");
    strong.textContent = texts.closed;
    state.replaceChildren(strong, reason ? " (" + reason + ")" : "");
  }

  function showLevel(element, texts, level, alertLevel, readAt, liveSeconds) {
    const now = element.querySelector("[data-level-now]");
    if (!now) return;
    const live = level !== null && readAt !== null && Date.now() - readAt.getTime() <= liveSeconds * 1000;
    if (live) {
      now.textContent = level.toFixed(2) + " m (" + (texts.alerts[alertLevel] || alertLevel) + ") · " + texts.read_at + " " + clock(readAt);
    } else {
      now.textContent = texts.unknown + (readAt ? " (" + texts.last_read + " " + stamp(readAt) + ")" : "");
    }
    element.dataset.level = level === null ? "" : String(level);
    element.dataset.alertLevel = alertLevel;
    element.dataset.readAt = readAt ? readAt.toISOString() : "";
  }

  // The hour AirKorea measured at the station nearest the river, written as the page writes it.
  function showAir(region, texts, data) {
    const holder = region.querySelector("[data-air]");
    if (!holder) return;
    function part(label, value, grade) {
      const strong = document.createElement("strong");
      strong.textContent = value === null ? texts.not_measured : value + " µg/m³";
      return [label + " ", strong, texts.grades[grade] ? " (" + texts.grades[grade] + ")" : ""];
    }
    const measured = new Date(data.measured_at);
    const small = document.createElement("small");
    small.textContent = texts.measured.replace("{station}", data.station).replace("{time}", stamp(measured)) +
      (data.illustrative ? " (" + texts.illustrative + ")" : "");
    holder.replaceChildren(...part(texts.pm10, data.pm10, data.pm10_grade), " · ",
      ...part(texts.pm25, data.pm25, data.pm25_grade), document.createElement("br"), small);
  }

  function connect(region, texts, liveSeconds) {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    const socket = new WebSocket(scheme + location.host + region.dataset.socket);
    socket.addEventListener("message", function (event) {
      const data = JSON.parse(event.data);
      if (data.type === "walkway") {
        showWalkway(region, texts, data);
        const reason = document.documentElement.lang === "ko" ? data.reason_ko : data.reason_en || data.reason_ko;
        data.entrances.forEach(function (entrance) {
          region.querySelectorAll('[data-entrance="' + CSS.escape(entrance.code) + '"]').forEach(function (element) {
            showEntrance(element, texts, entrance.open, data.closed ? reason : "");
          });
        });
      } else if (data.type === "air") {
        showAir(region, texts, data);
      } else if (data.type === "level") {
        region.querySelectorAll('[data-station="' + CSS.escape(data.station) + '"]').forEach(function (element) {
          showLevel(element, texts, data.water_level_m, data.alert_level, new Date(data.read_at), liveSeconds);
        });
      }
    });
    socket.addEventListener("close", function (event) {
      if (event.code !== 4404) setTimeout(function () { connect(region, texts, liveSeconds); }, RETRY_MS);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    const region = document.querySelector("[data-river-live]");
    const textsElement = document.getElementById("river-live-texts");
    if (!region || !textsElement) return;
    const texts = JSON.parse(textsElement.textContent);
    const liveSeconds = Number(region.dataset.liveSeconds) || 1800;
    // A level that stops arriving ages into "unknown" on an open page too, socket or not.
    setInterval(function () {
      region.querySelectorAll("[data-station]").forEach(function (element) {
        if (!element.dataset.level || !element.dataset.readAt) return;
        showLevel(element, texts, Number(element.dataset.level), element.dataset.alertLevel,
          new Date(element.dataset.readAt), liveSeconds);
      });
    }, CHECK_MS);
    if ("WebSocket" in window) connect(region, texts, liveSeconds);
  });
})();
