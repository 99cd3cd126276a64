// Leaflet maps of the complaint pages. Tiles come from the site's tile server; with none set (tests,
// machines without internet) the map draws a plain background and requests nothing.
(function () {
  "use strict";

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

  window.ComplaintMap = { create: createMap, pinIcon: pinIcon };

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.L) return;
    document.querySelectorAll("[data-points]").forEach(showCases);
  });
})();
