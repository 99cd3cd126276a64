// "Save this trail" (and "save this river guide", templates/includes/save_offline.html): the page,
// every page it marks data-save-offline (a trail's markers, the GPX and the stamp passport; a
// river's guide points) and the files those pages use (scripts, styles, photos, audio) go into a
// cache of their own that templates/sw.js answers from when there is no connection. Each marker's
// permanent address (/t/<code>) is kept as a redirect to its saved page, so scanning a QR code in
// airplane mode opens it (and keeps the scan for the stamp tour: #stamp-offline, static/js/stamps.js).
// Map tiles are never saved (the OpenStreetMap tile policy forbids bulk copies): they are on another
// server, which this cache never holds.
(function () {
  "use strict";

  const CACHE = "portal-saved-trails"; // templates/sw.js answers from it
  const SAVED_KEY = "portal-saved-trails";
  const FILES = [
    "script[src]", "link[rel~=stylesheet][href]", "link[rel~=icon][href]", "img[src]", "audio[src]",
    "audio source[src]", "video[src]", "video source[src]", "track[src]",
  ].join(", ");

  function local(url) {
    const parsed = new URL(url, location.href);
    return parsed.origin === location.origin ? parsed.pathname + parsed.search : null;
  }

  function filesOf(doc) {
    const urls = [];
    doc.querySelectorAll(FILES).forEach(function (element) {
      urls.push(element.getAttribute("src") || element.getAttribute("href"));
    });
    doc.querySelectorAll("img[srcset], source[srcset]").forEach(function (element) {
      element.getAttribute("srcset").split(",").forEach(function (entry) { urls.push(entry.trim().split(/\s+/)[0]); });
    });
    doc.querySelectorAll("use[href]").forEach(function (element) { urls.push(element.getAttribute("href").split("#")[0]); });
    // Leaflet is loaded by static/js/complaint-map.js only when a map is needed; its tag names the files.
    doc.querySelectorAll("[data-leaflet-js]").forEach(function (element) {
      urls.push(element.dataset.leafletJs, element.dataset.leafletCss);
    });
    return urls.filter(Boolean).map(local).filter(Boolean);
  }

  function savedTrails() {
    try {
      return JSON.parse(localStorage.getItem(SAVED_KEY)) || {};
    } catch (error) {
      return {};
    }
  }

  async function saveTrail() {
    const cache = await caches.open(CACHE);
    const links = Array.from(document.querySelectorAll("a[data-save-offline]"));
    const pages = [location.pathname].concat(links.map(function (link) { return local(link.href); }).filter(Boolean));
    const files = new Set(filesOf(document));
    for (const url of pages) {
      let response = await fetch(url, { credentials: "same-origin" });
      if (!response.ok) throw new Error(url + " answered " + response.status);
      if (response.redirected) {
        // A browser refuses a redirected response as the answer to a page it opens: keep its body.
        response = new Response(await response.blob(), { status: response.status, headers: response.headers });
      }
      if ((response.headers.get("Content-Type") || "").startsWith("text/html")) {
        const doc = new DOMParser().parseFromString(await response.clone().text(), "text/html");
        filesOf(doc).forEach(function (file) { files.add(file); });
      }
      await cache.put(url, response);
    }
    pages.forEach(function (page) { files.delete(page); });
    await cache.addAll(Array.from(files));
    await Promise.all(
      links.filter(function (link) { return link.dataset.placeCode; }).map(function (link) {
        const permanent = "/t/" + encodeURIComponent(link.dataset.placeCode);
        return cache.put(permanent, Response.redirect(new URL(local(link.href) + "#stamp-offline", location.href).href, 302));
      })
    );
    const saved = savedTrails();
    saved[location.pathname] = new Date().toISOString();
    try {
      localStorage.setItem(SAVED_KEY, JSON.stringify(saved));
    } catch (error) {
      // the pages are saved all the same
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    const section = document.querySelector("[data-save-trail]");
    if (!section || !("caches" in window) || !("serviceWorker" in navigator)) return;
    const button = section.querySelector("[data-save-trail-button]");
    const status = section.querySelector("[data-save-trail-status]");
    section.hidden = false;
    if (savedTrails()[location.pathname]) status.textContent = section.dataset.textSaved;
    button.addEventListener("click", function () {
      button.disabled = true;
      status.textContent = section.dataset.textSaving;
      saveTrail()
        .then(function () { status.textContent = section.dataset.textSaved; })
        .catch(function () { status.textContent = section.dataset.textFailed; })
        .then(function () { button.disabled = false; });
    });
  });
})();
