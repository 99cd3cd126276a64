// Leaflet maps of the complaint pages. Tiles come from the site's tile server; with none set (tests,
// machines without internet) the map draws a plain background and requests nothing.
// Leaflet itself (150 kB of script, and its stylesheet) is fetched only once a map's box is near the
// screen and the visitor has done something on the page (scrolled, touched, typed): until then the
// box is a plain placeholder of the map's size, and nobody who only reads the page pays for the
// map (Lighthouse counted Leaflet's start-up as most of these pages' blocking time; issue 12).
(function () {
  "use strict";

  // Where Leaflet is: this script's tag names the files (their names carry a hash).
  const files = document.currentScript.dataset;
  let leafletLoaded = null;

  function loadFile(tag, attributes) {
    return new Promise(function (resolve, reject) {
      const element = document.createElement(tag);
      Object.assign(element, attributes);
      element.onload = resolve;
      element.onerror = reject;
      document.head.appendChild(element);
    });
  }

  function loadLeaflet() {
    if (!leafletLoaded) {
      leafletLoaded = Promise.all([
        loadFile("link", { rel: "stylesheet", href: files.leafletCss }),
        loadFile("script", { src: files.leafletJs }),
      ]);
    }
    return leafletLoaded;
  }

  // The visitor's first scroll, touch or key press on the page.
  const interacted = new Promise(function (resolve) {
    ["scroll", "wheel", "touchstart", "pointerdown", "keydown"].forEach(function (name) {
      window.addEventListener(name, resolve, { once: true, passive: true, capture: true });
    });
  });

  // Calls draw(element) with Leaflet loaded, once the map's box is near the screen and the visitor
  // has scrolled, touched or typed. Returns a function that loads it at once (for a button that acts
  // on the map).
  function whenNeeded(element, draw) {
    let started = false;
    let observer = null;
    function start() {
      if (started) return;
      started = true;
      if (observer) observer.disconnect();
      loadLeaflet().then(function () { draw(element); }, function () {});
    }
    if ("IntersectionObserver" in window) {
      observer = new IntersectionObserver(function (entries) {
        if (entries.some(function (entry) { return entry.isIntersecting; })) interacted.then(start);
      }, { rootMargin: "200px" });
      observer.observe(element);
    } else {
      interacted.then(start);
    }
    return start;
  }

  function createMap(element) {
    const data = element.dataset;
    const map = L.map(element, { minZoom: 10, maxZoom: 19, attributionControl: Boolean(data.tileUrl) });
    map.setView([parseFloat(data.latitude), parseFloat(data.longitude)], Number(data.zoom) || 15);
    if (data.tileUrl) {
      L.tileLayer(data.tileUrl, { attribution: data.tileAttribution, maxZoom: 19 }).addTo(map);
    }
    return map;
  }

  // Explicit addresses: Leaflet guesses them from its stylesheet, which fails once static file
  // names carry a hash.
  function pinIcon(element) {
    return L.icon({
      iconUrl: element.dataset.markerIcon,
      iconRetinaUrl: element.dataset.markerIconRetina,
      shadowUrl: element.dataset.markerShadow,
      iconSize: [25, 41],
      iconAnchor: [12, 41],
      popupAnchor: [1, -34],
      shadowSize: [41, 41],
    });
  }

  function popupLink(point) {
    const link = document.createElement("a");
    link.href = point.url;
    link.textContent = point.label;
    return link;
  }

  // Public cases: points are already rounded by the server.
  function showCases(element) {
    const points = JSON.parse(document.getElementById(element.dataset.points).textContent);
    const map = createMap(element);
    const markers = points.map(function (point) {
      return L.circleMarker([point.latitude, point.longitude], {
        radius: 11,
        color: "#073763",
        weight: 2,
        fillColor: "#0b5394",
        fillOpacity: 0.55,
      })
        .bindPopup(popupLink(point))
        .addTo(map);
    });
    if (markers.length > 1) {
      map.fitBounds(L.featureGroup(markers).getBounds(), { padding: [24, 24], maxZoom: 16 });
    } else if (markers.length === 1) {
      map.setView(markers[0].getLatLng(), 16);
    }
  }

  window.ComplaintMap = { create: createMap, pinIcon: pinIcon, whenNeeded: whenNeeded };

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-points]").forEach(function (element) { whenNeeded(element, showCases); });
  });
})();
