// A trail page's map: the track as a line and the markers as numbered points that open their
// pages, drawn with Leaflet over the site's tiles (static/js/complaint-map.js creates the map).
(function () {
  "use strict";

  function markerLink(marker) {
    const link = document.createElement("a");
    link.href = marker.url;
    link.textContent = marker.label;
    return link;
  }

  document.addEventListener("DOMContentLoaded", function () {
    const element = document.querySelector("[data-trail]");
    if (!element || !window.ComplaintMap) return;
    window.ComplaintMap.whenNeeded(element, drawTrail);
  });

  function drawTrail(element) {
    const data = JSON.parse(document.getElementById(element.dataset.trail).textContent);
    // Offline (a saved trail in airplane mode) the tiles cannot come, and are never saved: the line
    // and the markers are drawn over a plain background.
    if (!navigator.onLine) delete element.dataset.tileUrl;
    const map = window.ComplaintMap.create(element);
    const line = L.polyline(data.line, { color: "#2e7d32", weight: 5, opacity: 0.85 }).addTo(map);
    data.markers.forEach(function (marker) {
      L.circleMarker([marker.latitude, marker.longitude], {
        radius: 10,
        color: "#073763",
        weight: 2,
        fillColor: "#ffffff",
        fillOpacity: 1,
      })
        .bindTooltip(String(marker.number), { permanent: true, direction: "center", className: "trail-map__number" })
        .bindPopup(markerLink(marker))
        .addTo(map);
    });
    if (data.line.length > 1) map.fitBounds(line.getBounds(), { padding: [16, 16] });
  }
})();
